package publish

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// decoded reads a JSON table file with the general decoder only.
func decoded(t testing.TB, path string, table *schemas.Table) ([][]any, error) {
	t.Helper()
	return collect(scanJSONDecoder(path, table))
}

// writtenJSON writes rows of the passages table with the writer and returns the JSON file.
func writtenJSON(t *testing.T, set schemas.Set, rows ...model.Row) string {
	t.Helper()
	dir := t.TempDir()
	w, err := NewWriter(dir, set, Meta{})
	require.NoError(t, err)
	tw, err := w.Table("passages")
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(r))
	}
	require.NoError(t, tw.Close())
	return Path(dir, FormatJSON, "passages")
}

func passageRow(id, text string) model.Passage {
	return model.Passage{ID: id, DocumentID: "tk2023-d", PartyID: model.Optional("bij1"), Kind: model.KindPoint,
		Section: "Digitaal", Number: ptr2(int64(12)), Seq: 3, Text: text, SourceStart: 10, SourceEnd: 20,
		SourceLine: 4, Flags: []string{"fragment"}, SectionPath: []string{"Digitaal", "Privacy \"en\" data"}}
}

// FuzzJSONLine holds the one-line row parser to the general decoder: a line it accepts must read,
// as a file of one row, as the same cells, with no error.
func FuzzJSONLine(f *testing.F) {
	set := loadSchemas(f)
	table := set["passages"]
	cols, err := columnsOf(table)
	require.NoError(f, err)
	keys := jsonKeys(cols)
	// Seeds: rows as the writer writes them, with texts that need escapes, and broken variants.
	dir := f.TempDir()
	w, err := NewWriter(dir, set, Meta{})
	require.NoError(f, err)
	tw, err := w.Table("passages")
	require.NoError(f, err)
	for i, text := range []string{"gewoon", tricky, "é’“” \u2028 \\ / \"", "a\x7fb", "null"} {
		p := passageRow(strings.Repeat("0", 15)+string(rune('a'+i)), text)
		if i%2 == 1 {
			p.PartyID, p.Number, p.Flags = nil, nil, nil
		}
		require.NoError(f, tw.Append(p))
	}
	require.NoError(f, tw.Close())
	b, err := os.ReadFile(Path(dir, FormatJSON, "passages"))
	require.NoError(f, err)
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSuffix(line, ",")
		if strings.HasPrefix(line, "{") {
			f.Add([]byte(line))
			f.Add([]byte(strings.Replace(line, `"seq":3`, `"seq":03`, 1)))
			f.Add([]byte(strings.Replace(line, `"seq":3`, `"seq":3.0`, 1)))
			f.Add([]byte(strings.Replace(line, `"text":"`, `"text":"\ud800`, 1)))
			f.Add([]byte(strings.Replace(line, `"flags":`, `"flags": `, 1)))
			f.Add([]byte(strings.Replace(line, `"passage_id":"`, `"passage_id":null,"x":"`, 1)))
		}
	}
	path := filepath.Join(f.TempDir(), "passages.json")
	f.Fuzz(func(t *testing.T, line []byte) {
		row, ok := jsonLine(line, cols, keys)
		if !ok || bytes.IndexByte(line, '\n') >= 0 {
			return // the general decoder reads it (its own tests), or the file is not one line a row
		}
		require.NoError(t, os.WriteFile(path, append(append([]byte("[\n"), line...), "\n]\n"...), 0o644))
		want, err := decoded(t, path, table)
		require.NoError(t, err, "the line parser took a row the decoder refuses: %s", line)
		require.Equal(t, [][]any{row}, want, "%s", line)
	})
}

// TestScanJSONLayouts reads the same rows in the writer's layout, re-indented, and with a row the
// line parser leaves to the decoder in the middle: ScanJSON gives what the decoder gives, and a
// broken row after good ones is the decoder's error, naming the file and line.
func TestScanJSONLayouts(t *testing.T) {
	set := loadSchemas(t)
	table := set["passages"]
	path := writtenJSON(t, set, passageRow("000000000000000a", "eerste"), passageRow("000000000000000b", tricky),
		passageRow("000000000000000c", "derde"))
	want, err := decoded(t, path, table)
	require.NoError(t, err)
	require.Len(t, want, 3)
	got, err := ReadJSON(path, table)
	require.NoError(t, err)
	assert.Equal(t, want, got, "the writer's layout")

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, b, "", "  "))
	other := filepath.Join(t.TempDir(), "passages.json")
	require.NoError(t, os.WriteFile(other, indented.Bytes(), 0o644))
	got, err = ReadJSON(other, table)
	require.NoError(t, err)
	assert.Equal(t, want, got, "re-indented")

	// The second row with a space after a colon: the first comes from the line parser, the rest
	// from the decoder, each once.
	lines := strings.Split(string(b), "\n")
	lines[2] = strings.Replace(lines[2], `"seq":3`, `"seq": 3`, 1)
	require.NoError(t, os.WriteFile(other, []byte(strings.Join(lines, "\n")), 0o644))
	got, err = ReadJSON(other, table)
	require.NoError(t, err)
	assert.Equal(t, want, got, "a row left to the decoder")

	// A broken third row: two rows, then the decoder's error at line 4.
	lines = strings.Split(string(b), "\n")
	lines[3] = strings.Replace(lines[3], `"seq":3`, `"seq":"drie"`, 1)
	require.NoError(t, os.WriteFile(other, []byte(strings.Join(lines, "\n")), 0o644))
	var rows int
	var last error
	for _, err := range ScanJSON(other, table) {
		if err != nil {
			last = err
			break
		}
		rows++
	}
	assert.Equal(t, 2, rows)
	var se *model.SourceError
	require.ErrorAs(t, last, &se)
	assert.Equal(t, other, se.File)
	assert.Equal(t, 4, se.Line)

	for _, tc := range []struct{ name, body string }{
		{"empty table", "[]\n"},
		{"no newline at the end", strings.TrimSuffix(string(b), "\n")},
		{"trailing comma", strings.Replace(string(b), "}\n]", "},\n]", 1)},
		{"data after the end", string(b) + "[]\n"},
	} {
		require.NoError(t, os.WriteFile(other, []byte(tc.body), 0o644))
		want, wantErr := decoded(t, other, table)
		got, err := ReadJSON(other, table)
		assert.Equal(t, wantErr == nil, err == nil, "%s: %v / %v", tc.name, wantErr, err)
		if wantErr != nil {
			assert.Equal(t, wantErr.Error(), err.Error(), tc.name)
		} else {
			assert.Equal(t, want, got, tc.name)
		}
	}
}

// TestScanJSONEveryTable reads every table the writer writes for the golden rows with both
// readers.
func TestScanJSONEveryTable(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	writeAll(t, dir, set, sampleRows(), 0)
	for name, table := range set {
		path := Path(dir, FormatJSON, name)
		want, err := decoded(t, path, table)
		require.NoError(t, err, name)
		n, done := scanJSONLines(path, table, func([]any, error) bool { return true })
		assert.True(t, done, "%s: the writer's file is read by the line parser throughout", name)
		assert.Equal(t, len(want), n, name)
		got, err := ReadJSON(path, table)
		require.NoError(t, err, name)
		assert.Equal(t, want, got, name)
	}
}

// FuzzParseList holds the one-pass list parser to encoding/json: a list it accepts decodes as the
// same strings, none of them null.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{`[]`, `["a"]`, `["a","b"]`, `["\u00e9","\"",""]`, `["a",null]`, `["a", "b"]`, `[`, `["a"`, `["\ud800"]`, "[\"\xff\"]", `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		list, q, ok := jsonList(raw, 0)
		if !ok || q != len(raw) {
			return
		}
		var ps []*string
		require.NoError(t, json.Unmarshal(raw, &ps), "%q", raw)
		require.Len(t, ps, len(list))
		for i, p := range ps {
			require.NotNil(t, p)
			require.Equal(t, *p, list[i])
		}
	})
}
