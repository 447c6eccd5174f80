package metadata

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/ from the current output")

// fixedRelease is a small release with made-up sizes and hashes, listed out of order on purpose.
func fixedRelease(t *testing.T) *Release {
	t.Helper()
	ds, err := registry.LoadDataset("testdata")
	require.NoError(t, err)
	set, err := schemas.Load()
	require.NoError(t, err)
	h := func(c string) string { return strings.Repeat(c, 64) }
	return &Release{
		Version: "1.2.0",
		Date:    model.Date{Year: 2025, Month: 11, Day: 3},
		Issued:  model.Date{Year: 2025, Month: 10, Day: 30},
		Notes:   "Adds the TK2025 texts.",
		Versions: []VersionRef{
			{Version: "1.0.0", Date: model.Date{Year: 2025, Month: 10, Day: 30}},
			{Version: "1.1.0", Date: model.Date{Year: 2025, Month: 11, Day: 1}},
			{Version: "1.2.0", Date: model.Date{Year: 2025, Month: 11, Day: 3}, Page: true},
		},
		Temporal: Period{Start: model.Date{Year: 2017, Month: 3, Day: 15}, End: model.Date{Year: 2025, Month: 10, Day: 29}},
		Dataset:  ds,
		Schemas:  set,
		Files: []File{
			{Path: "json/elections.json", Table: "elections", Format: FormatJSON, SHA256: h("c"), Bytes: 300, Rows: 2},
			{Path: "parquet/parties.parquet", Table: "parties", Format: FormatParquet, SHA256: h("1"), Bytes: 4096, Rows: 18},
			{Path: "csv/parties.csv", Table: "parties", Format: FormatCSV, SHA256: h("2"), Bytes: 1398, Rows: 18},
			{Path: "csv/elections.csv", Table: "elections", Format: FormatCSV, SHA256: h("a"), Bytes: 120, Rows: 2},
			{Path: "parquet/elections.parquet", Table: "elections", Format: FormatParquet, SHA256: h("b"), Bytes: 2048, Rows: 2},
			{Path: "json/parties.json", Table: "parties", Format: FormatJSON, SHA256: h("3"), Bytes: 2500, Rows: 18},
		},
		Sources: []Source{
			{ID: "tk2025-digitalisering", Title: "Verkiezingsprogramma's 2025 over digitalisering", Path: "raw/tk2025-digitalisering-samenvattingen.txt",
				SHA256: h("d"), Bytes: 50000},
			{ID: "tk2023-bij1-digitale-rechten", Title: "Digitale rechten en technologie", Path: "raw/tk2023-bij1-digitale-rechten.txt",
				SHA256: h("e"), Bytes: 7945, URL: "https://example.org/bij1", Publisher: "BIJ1"},
		},
	}
}

// TestGolden compares both descriptions of a fixed release with testdata/golden/. Run with -update to
// rewrite them, then read the diff.
func TestGolden(t *testing.T) {
	r := fixedRelease(t)
	for _, tc := range []struct {
		file   string
		render func(*Release) ([]byte, error)
	}{
		{"datapackage.json", DataPackage},
		{"dcat.jsonld", DCAT},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := tc.render(r)
			require.NoError(t, err)
			path := filepath.Join("testdata", "golden", tc.file)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./pipeline/metadata/ -run TestGolden -update to create it")
			assert.Equal(t, string(want), string(got), "%s differs from the output; run with -update and read the diff", path)
		})
	}
}
