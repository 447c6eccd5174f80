package publish

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

func TestReadErrors(t *testing.T) {
	set := loadSchemas(t)
	const header = "document_id,party_id,score,question\n"
	tests := []struct {
		name           string
		format         Format
		table, content string
		line           int // 0: not checked
		msg            string
	}{
		{"csv empty file", FormatCSV, "scores", "", 1, "empty file"},
		{"csv wrong header", FormatCSV, "scores", "document_id,party,score,question\n", 1, "header is document_id,party,score,question"},
		{"csv missing column", FormatCSV, "scores", "document_id,party_id,score\n", 1, "header is"},
		{"csv bom", FormatCSV, "scores", "\ufeff" + header, 1, "byte order mark"},
		{"csv field count", FormatCSV, "scores", header + "d,p,1\n", 2, "wrong number of fields"},
		{"csv bad number", FormatCSV, "scores", header + "d,p,1,q\n\"d\n\",p,x,q\n", 4, "row 2, column score: \"x\" is not a finite number"},
		{"csv NaN", FormatCSV, "scores", header + "d,p,NaN,q\n", 2, "column score"},
		{"csv bad integer", FormatCSV, "document_parties", "document_id,party_id,passages,note\nd,p,1.5,\n", 2, "column passages: \"1.5\" is not an integer"},
		{"csv empty required integer", FormatCSV, "document_parties", "document_id,party_id,passages,note\nd,p,,\n", 2, "column passages: empty cell in a required column"},
		{"csv bad date", FormatCSV, "elections", "election_id,name,date\nTK2023,x,2023-2-1\n", 2, "column date"},
		{"csv bad list", FormatCSV, "parties", "party_id,abbreviation,name,aliases,members\np,P,N,a,[]\n", 2, "column aliases"},
		{"csv null in list", FormatCSV, "parties", "party_id,abbreviation,name,aliases,members\np,P,N,\"[null]\",[]\n", 2, "null list element at index 0"},
		{"csv bare quote", FormatCSV, "scores", header + "d,p\"x,1,q\n", 2, "bare \""},
		{"json not an array", FormatJSON, "scores", "{}\n", 1, "found {"},
		{"json key order", FormatJSON, "scores", "[\n{\"party_id\":\"p\",\"document_id\":\"d\",\"score\":1,\"question\":\"q\"}\n]\n", 2, `row 1: key "party_id", want column document_id`},
		{"json missing key", FormatJSON, "scores", "[\n{\"document_id\":\"d\",\"party_id\":\"p\",\"score\":1}\n]\n", 2, "row 1: missing column question"},
		{"json extra key", FormatJSON, "scores", "[\n{\"document_id\":\"d\",\"party_id\":\"p\",\"score\":1,\"question\":\"q\",\"x\":1}\n]\n", 2, `unexpected key "x"`},
		{"json null in required", FormatJSON, "scores", "[\n{\"document_id\":\"d\",\"party_id\":\"p\",\"score\":1,\"question\":\"q\"},\n{\"document_id\":\"d\",\"party_id\":null,\"score\":1,\"question\":\"q\"}\n]\n", 3, "row 2, column party_id: null in a required column"},
		{"json string for number", FormatJSON, "scores", "[\n{\"document_id\":\"d\",\"party_id\":\"p\",\"score\":\"1\",\"question\":\"q\"}\n]\n", 2, "column score"},
		{"json float for integer", FormatJSON, "document_parties", "[\n{\"document_id\":\"d\",\"party_id\":\"p\",\"passages\":1.5,\"note\":\"\"}\n]\n", 2, "column passages"},
		{"json trailing data", FormatJSON, "scores", "[]\n[]\n", 2, "data after the closing ]"},
		{"json truncated", FormatJSON, "scores", "[\n{\"document_id\":\"d\"", 0, "row 1"},
		{"parquet not parquet", FormatParquet, "scores", "PAR1 nope", 0, "not a readable Parquet file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.table+"."+string(tc.format))
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o644))
			_, err := readers[tc.format](path, set[tc.table])
			require.Error(t, err)
			var se *model.SourceError
			require.ErrorAs(t, err, &se, err.Error())
			assert.Equal(t, path, se.File)
			if tc.line > 0 {
				assert.Equal(t, tc.line, se.Line, err.Error())
			}
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestReadParquetWrongSchema(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	writeAll(t, dir, set, sampleRows(), 0)
	_, err := ReadParquet(Path(dir, FormatParquet, "passages"), set["scores"])
	assert.ErrorContains(t, err, "14 columns (passage_id,")

	// Same column names, other nullability.
	tbl := *set["scores"]
	tbl.Fields = append(tbl.Fields[:0:0], tbl.Fields...)
	tbl.Fields[3].Constraints.Required = false
	_, err = ReadParquet(Path(dir, FormatParquet, "scores"), &tbl)
	assert.ErrorContains(t, err, "column question: nullable is false, want true")

	// Other type.
	tbl.Fields[3].Constraints.Required = true
	tbl.Fields[2].Type = "integer"
	_, err = ReadParquet(Path(dir, FormatParquet, "scores"), &tbl)
	assert.ErrorContains(t, err, "column score: type float64, want int64")

	_, err = ReadParquet(filepath.Join(dir, "missing.parquet"), set["scores"])
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestScanParquetColumns reads subsets of every table's columns (a list column among them): the
// cells read are ScanParquet's, the others nil, and an unknown column is refused.
func TestScanParquetColumns(t *testing.T) {
	set := loadSchemas(t)
	rows := sampleRows()
	dir := t.TempDir()
	writeAll(t, dir, set, rows, 2) // several row groups
	for _, name := range schemas.Order {
		tab := set[name]
		path := Path(dir, FormatParquet, name)
		all, err := ReadParquet(path, tab)
		require.NoError(t, err)
		require.NotEmpty(t, all, name)
		for first := range tab.Fields {
			// every single column, and every pair with the last column (in reverse order)
			for _, names := range [][]string{{tab.Fields[first].Name}, {tab.Fields[len(tab.Fields)-1].Name, tab.Fields[first].Name}} {
				got, err := collect(ScanParquetColumns(path, tab, names))
				require.NoError(t, err, "%s %v", name, names)
				require.Len(t, got, len(all))
				for r := range all {
					want := make([]any, len(all[r]))
					for _, n := range names {
						want[tab.FieldIndex(n)] = all[r][tab.FieldIndex(n)]
					}
					require.Equal(t, want, got[r], "%s %v row %d", name, names, r+1)
				}
			}
		}
	}
	_, err := collect(ScanParquetColumns(Path(dir, FormatParquet, "scores"), set["scores"], []string{"score", "nope"}))
	require.ErrorContains(t, err, `no column "nope"`)
}
