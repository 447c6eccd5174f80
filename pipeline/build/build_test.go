package build

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

const rawDir = "../../raw"

func buildTo(t *testing.T, raw string) (string, *Summary) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	sum, err := Run(context.Background(), Options{RawDir: raw, OutDir: out})
	require.NoError(t, err)
	return out, sum
}

// readTable reads a table back from its Parquet file as JSON-ready objects keyed by column.
func readTable(t *testing.T, out, table string) []map[string]any {
	t.Helper()
	set, err := schemas.Load()
	require.NoError(t, err)
	rows, err := publish.ReadParquet(filepath.Join(out, "parquet", table+".parquet"), set[table])
	require.NoError(t, err)
	var objs []map[string]any
	for _, r := range rows {
		o := map[string]any{}
		for i, f := range set[table].Fields {
			o[f.Name] = r[i]
		}
		objs = append(objs, o)
	}
	return objs
}

// TestGolden compares a canonical JSON dump of every table, per document, with the files in
// testdata/golden. Run with -update to rewrite them, then read the diff against raw/.
func TestGolden(t *testing.T) {
	out, sum := buildTo(t, rawDir)
	docs := map[string]map[string][]map[string]any{}
	ref := map[string][]map[string]any{}
	for _, table := range schemas.Order {
		for _, row := range readTable(t, out, table) {
			id, ok := row["document_id"].(string)
			if !ok {
				ref[table] = append(ref[table], row)
				continue
			}
			if docs[id] == nil {
				docs[id] = map[string][]map[string]any{}
			}
			docs[id][table] = append(docs[id][table], row)
		}
	}
	files := map[string]any{"reference": ref}
	for _, d := range sum.Documents {
		files[d.DocumentID] = docs[d.DocumentID]
	}
	for name, v := range files {
		got, err := publish.EncodeJSON(v)
		require.NoError(t, err)
		path := filepath.Join("testdata", "golden", name+".json")
		if *update {
			require.NoError(t, os.WriteFile(path, got, 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./pipeline/build -run TestGolden -update")
		assert.Equal(t, string(want), string(got), "golden %s differs; if the change is intended, run with -update and read the diff", path)
	}
}

// TestReproducible builds twice and compares every output file byte for byte.
func TestReproducible(t *testing.T) {
	a, _ := buildTo(t, rawDir)
	// The second build with one worker and the third with many: documents are extracted in
	// parallel, and the files must not show it.
	b := filepath.Join(t.TempDir(), "out")
	_, err := Run(context.Background(), Options{RawDir: rawDir, OutDir: b, Workers: 1})
	require.NoError(t, err)
	assertSameFiles(t, a, b)
	c := filepath.Join(t.TempDir(), "out")
	_, err = Run(context.Background(), Options{RawDir: rawDir, OutDir: c, Workers: 5})
	require.NoError(t, err)
	assertSameFiles(t, a, c)
}

// assertSameFiles checks that folder b holds every file of folder a with the same bytes, and
// that a is a build: 18 table files, accounting.json and validation.json.
func assertSameFiles(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	require.NoError(t, filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(x, y), "%s differs between two builds", rel)
		n++
		return nil
	}))
	assert.Equal(t, 20, n, "18 table files, accounting.json and validation.json")
}

// TestFormatsAgree reads every table from Parquet, CSV and JSON and compares the rows.
func TestFormatsAgree(t *testing.T) {
	out, sum := buildTo(t, rawDir)
	set, err := schemas.Load()
	require.NoError(t, err)
	for _, table := range schemas.Order {
		p, err := publish.ReadParquet(filepath.Join(out, "parquet", table+".parquet"), set[table])
		require.NoError(t, err)
		c, err := publish.ReadCSV(filepath.Join(out, "csv", table+".csv"), set[table])
		require.NoError(t, err)
		j, err := publish.ReadJSON(filepath.Join(out, "json", table+".json"), set[table])
		require.NoError(t, err)
		assert.Equal(t, p, c, "%s: Parquet and CSV differ", table)
		assert.Equal(t, p, j, "%s: Parquet and JSON differ", table)
		assert.Equal(t, sum.Rows[table], int64(len(p)), "%s row count", table)
	}
}

// TestAccounting checks that the classes cover every raw file exactly and that each passage's
// source stretch has exactly the passage's letters and digits.
func TestAccounting(t *testing.T) {
	out, _ := buildTo(t, rawDir)
	b, err := os.ReadFile(filepath.Join(out, "accounting.json"))
	require.NoError(t, err)
	var acc struct{ Documents []model.Accounting }
	require.NoError(t, json.Unmarshal(b, &acc))
	require.Len(t, acc.Documents, 27)
	raws := map[string][]byte{}
	dropped := map[string][]model.DroppedSpan{}
	for _, d := range acc.Documents {
		raw, err := os.ReadFile(filepath.Join(rawDir, strings.TrimPrefix(d.RawPath, "raw/")))
		require.NoError(t, err)
		raws[d.DocumentID] = raw
		dropped[d.DocumentID] = d.Dropped
		var sum int64
		for _, n := range d.Classes {
			sum += n
		}
		assert.Equal(t, int64(len(raw)), d.Bytes, d.DocumentID)
		assert.Equal(t, d.Bytes, sum, "%s: classes cover the file exactly", d.DocumentID)
	}
	for _, p := range readTable(t, out, "passages") {
		id := p["document_id"].(string)
		start, end := p["source_start"].(int64), p["source_end"].(int64)
		// The span minus the furniture dropped inside it (a running header between two lines).
		var span []byte
		pos := start
		for _, d := range dropped[id] {
			if d.Start >= start && d.End <= end {
				span = append(span, raws[id][pos:d.Start]...)
				pos = d.End
			}
		}
		span = append(span, raws[id][pos:end]...)
		assert.Equal(t, letters(p["text"].(string)), letters(norm.NFC.String(string(span))), "passage %s", p["passage_id"])
	}
}

func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// copyRaw copies the raw folder so a test can change it.
func copyRaw(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "raw")
	require.NoError(t, os.CopyFS(dst, os.DirFS(rawDir)))
	require.NoError(t, filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return os.Chmod(p, 0o644)
	}))
	return dst
}

// TestEncodingVariants rewrites the raw texts with a byte order mark, CRLF, CR-only or U+2028 line ends, no-break
// spaces, decomposed accents and (where every character fits) Windows-1252, and expects the same
// passages: everything but byte offsets and the document hash.
func TestEncodingVariants(t *testing.T) {
	base, _ := buildTo(t, rawDir)
	want := passagesWithoutOffsets(t, base)
	files := []string{"tk2023-bigtech-scores.txt", "tk2023-bij1-digitale-rechten.txt", "tk2023-digitaal-stembusakkoord.txt",
		"tk2025-digitalisering-samenvattingen.txt", "tk2025-it-infrastructuur-samenvattingen.txt",
		// Programme texts extracted from PDFs: headers, page numbers and hyphenation must come out the same.
		"programmes/tk2023-d66-technologie.txt", "programmes/tk2021-groenlinks-democratie.txt", "programmes/tk2021-sp-eerlijke-economie.txt"}
	for _, v := range []struct {
		name string
		conv func(string) (string, bool)
	}{
		{"bom", func(s string) (string, bool) { return "\uFEFF" + s, true }},
		{"crlf", func(s string) (string, bool) { return strings.ReplaceAll(s, "\n", "\r\n"), true }},
		{"cr", func(s string) (string, bool) { return strings.ReplaceAll(s, "\n", "\r"), true }},
		{"u2028", func(s string) (string, bool) { return strings.ReplaceAll(s, "\n", "\u2028"), true }},
		{"nbsp", func(s string) (string, bool) { return strings.ReplaceAll(s, " wil ", "\u00a0wil\u00a0"), true }},
		{"nfd", func(s string) (string, bool) { return norm.NFD.String(s), true }},
		{"windows-1252", func(s string) (string, bool) {
			b, err := charmap.Windows1252.NewEncoder().String(s)
			return b, err == nil
		}},
	} {
		t.Run(v.name, func(t *testing.T) {
			raw := copyRaw(t)
			converted := 0
			for _, f := range files {
				b, err := os.ReadFile(filepath.Join(raw, f))
				require.NoError(t, err)
				s, ok := v.conv(string(b))
				if !ok {
					continue // a character has no Windows-1252 code (e.g. the subscript in CO₂)
				}
				converted++
				require.NoError(t, os.WriteFile(filepath.Join(raw, f), []byte(s), 0o644))
				if v.name == "windows-1252" {
					declareEncoding(t, raw, f, "windows-1252")
				}
			}
			require.Greater(t, converted, 2)
			out, _ := buildTo(t, raw)
			assert.Equal(t, want, passagesWithoutOffsets(t, out))
		})
	}
}

func declareEncoding(t *testing.T, raw, file, enc string) {
	p := filepath.Join(raw, "sources.toml")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	s := strings.Replace(string(b), "file = \""+file+"\"\n", "file = \""+file+"\"\nencoding = \""+enc+"\"\n", 1)
	require.NotEqual(t, string(b), s)
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
}

func passagesWithoutOffsets(t *testing.T, out string) []map[string]any {
	rows := readTable(t, out, "passages")
	for _, r := range rows {
		delete(r, "source_start")
		delete(r, "source_end")
	}
	return rows
}

// TestBadInputWritesNothing breaks a raw text and expects a clear error and an untouched output.
func TestBadInputWritesNothing(t *testing.T) {
	raw := copyRaw(t)
	out := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.MkdirAll(out, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(out, "accounting.json"), []byte("previous build"), 0o644))
	p := filepath.Join(raw, "tk2023-bigtech-scores.txt")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, bytes.Replace(b, []byte("## **SGP**"), []byte("## **SGB**"), 1), 0o644))
	_, err = Run(context.Background(), Options{RawDir: raw, OutDir: out})
	require.Error(t, err)
	assert.True(t, errors.Is(err, model.ErrInput))
	assert.Contains(t, err.Error(), `tk2023-bigtech-scores.txt:104:6: "SGB" names no known party (the closest known alias is "SGP"`)
	entries, _ := os.ReadDir(out)
	require.Len(t, entries, 1, "the output folder is untouched")
	parent, _ := os.ReadDir(filepath.Dir(out))
	assert.Len(t, parent, 1, "no staging folder is left behind")
}

// BenchmarkBuild builds every table of the real corpus into a fresh folder.
func BenchmarkBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		out := filepath.Join(b.TempDir(), "out")
		if _, err := Run(context.Background(), Options{RawDir: rawDir, OutDir: out}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCheckOut: a build replaces its output folder, so it refuses every folder that is not new, empty
// or a previous build: the raw folder, an output root, a releases folder, a release, the latest link.
func TestCheckOut(t *testing.T) {
	root := t.TempDir()
	mk := func(rel string, files ...string) string {
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(p, 0o755))
		for _, f := range files {
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(p, f)), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(p, f), []byte("x"), 0o644))
		}
		return p
	}
	raw := mk("raw", "sources.toml")
	out := mk("output", "CHANGELOG.md", "releases/v1.0.0/SHA256SUMS")
	require.NoError(t, os.Symlink("releases/v1.0.0", filepath.Join(out, "latest")))
	prev := mk("output/build", "accounting.json", "parquet/parties.parquet")
	for _, tc := range []struct {
		name, out, want string
	}{
		{"new folder", filepath.Join(root, "new"), ""},
		{"empty folder", mk("empty"), ""},
		{"previous build", prev, ""},
		{"the raw folder", raw, "raw folder"},
		{"inside the raw folder", filepath.Join(raw, "build"), "raw folder"},
		{"around the raw folder", root, "raw folder"},
		{"the output root", out, "output root"},
		{"the releases folder", filepath.Join(out, "releases"), "releases folder"},
		{"a release", filepath.Join(out, "releases", "v1.0.0"), "a release"},
		{"the latest link", filepath.Join(out, "latest"), "symbolic link"},
		{"a folder with other files", mk("docs", "notes.txt"), "notes.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOut(tc.out, raw)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, model.ErrConfig)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
