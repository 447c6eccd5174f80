package metadata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

const rawDir = "../../raw"

// buildRelease runs the build stage on the repository's raw/ into a temporary folder and describes
// its files as release 1.0.0 of 2025-11-01, the way the release stage does.
func buildRelease(t *testing.T) *Release {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	sum, err := build.Run(context.Background(), build.Options{RawDir: rawDir, OutDir: out})
	require.NoError(t, err)
	ds, err := registry.LoadDataset(rawDir)
	require.NoError(t, err)
	set, err := schemas.Load()
	require.NoError(t, err)
	r := &Release{Version: "1.0.0", Date: model.Date{Year: 2025, Month: 11, Day: 1}, Notes: "First release.",
		Dataset: ds, Schemas: set}
	for _, table := range schemas.Order {
		for _, format := range []string{FormatParquet, FormatCSV, FormatJSON} {
			rel := format + "/" + table + "." + format
			b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
			require.NoError(t, err)
			sum256 := sha256.Sum256(b)
			r.Files = append(r.Files, File{Path: rel, Table: table, Format: format, SHA256: hex.EncodeToString(sum256[:]),
				Bytes: int64(len(b)), Rows: sum.Rows[table]})
		}
	}
	docs := set["documents"]
	rows, err := publish.ReadCSV(filepath.Join(out, "csv", "documents.csv"), docs)
	require.NoError(t, err)
	col := func(row []any, name string) any { return row[docs.FieldIndex(name)] }
	str := func(v any) string {
		switch s := v.(type) {
		case string:
			return s
		case *string:
			if s != nil {
				return *s
			}
		}
		return ""
	}
	for _, row := range rows {
		r.Sources = append(r.Sources, Source{ID: str(col(row, "document_id")), Title: str(col(row, "title")),
			Path: str(col(row, "raw_path")), SHA256: str(col(row, "raw_sha256")), URL: str(col(row, "source_url")),
			Publisher: str(col(row, "publisher")), Bytes: col(row, "raw_bytes").(int64)})
	}
	require.NotEmpty(t, r.Sources)

	// The temporal coverage is the span of the elections' dates, as the release stage gives it.
	elections := set["elections"]
	erows, err := publish.ReadCSV(filepath.Join(out, "csv", "elections.csv"), elections)
	require.NoError(t, err)
	for i, row := range erows {
		d, ok := row[elections.FieldIndex("date")].(model.Date)
		require.True(t, ok, "elections.date is read as a model.Date, got %T", row[elections.FieldIndex("date")])
		if i == 0 || d.String() < r.Temporal.Start.String() {
			r.Temporal.Start = d
		}
		if i == 0 || d.String() > r.Temporal.End.String() {
			r.Temporal.End = d
		}
	}
	require.NotEmpty(t, erows)
	return r
}
