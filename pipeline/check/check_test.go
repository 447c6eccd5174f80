package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

var (
	goodOnce sync.Once
	goodDir  string
	goodErr  error
)

// good builds the real dataset once per test binary; tests work on copies of it.
func good(t testing.TB) string {
	t.Helper()
	goodOnce.Do(func() {
		dir, err := os.MkdirTemp("", "standpunten-check-")
		if err != nil {
			goodErr = err
			return
		}
		goodDir = filepath.Join(dir, "build")
		_, goodErr = build.Run(context.Background(), build.Options{RawDir: "../../raw", OutDir: goodDir})
	})
	require.NoError(t, goodErr)
	return goodDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if goodDir != "" {
		os.RemoveAll(filepath.Dir(goodDir))
	}
	os.Exit(code)
}

// scratch is a copy of the good build that a test may break.
func scratch(t *testing.T) string {
	t.Helper()
	src := good(t)
	dst := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.CopyFS(dst, os.DirFS(src)))
	return dst
}

func set(t *testing.T) schemas.Set {
	s, err := schemas.Load()
	require.NoError(t, err)
	return s
}

func errorsOf(r validate.Report) []validate.Finding {
	var out []validate.Finding
	for _, f := range r.Findings {
		if f.Severity == validate.Error {
			out = append(out, f)
		}
	}
	return out
}

func run(t *testing.T, dir string) validate.Report {
	t.Helper()
	r, err := Folder(context.Background(), dir, set(t))
	require.NoError(t, err)
	return r
}

// rewrite writes a table's rows, changed by edit, into the given formats of dir (the others are
// left as they were).
func rewrite(t *testing.T, dir, table string, formats []publish.Format, edit func(rows [][]any) [][]any) {
	t.Helper()
	s := set(t)
	rows, err := publish.ReadParquet(publish.Path(dir, publish.FormatParquet, table), s[table])
	require.NoError(t, err)
	rows = edit(rows)
	tmp := t.TempDir()
	w, err := publish.NewWriter(tmp, s, publish.Meta{Dataset: build.Dataset})
	require.NoError(t, err)
	tw, err := w.Table(table)
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(model.Cells(r)))
	}
	require.NoError(t, tw.Close())
	for _, f := range formats {
		b, err := os.ReadFile(publish.Path(tmp, f, table))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(publish.Path(dir, f, table), b, 0o644))
	}
}

func TestGoodBuildIsValid(t *testing.T) {
	dir := good(t)
	r := run(t, dir)
	assert.True(t, r.Valid, "%v", errorsOf(r))
	assert.Empty(t, errorsOf(r))
	assert.Greater(t, r.ChecksRun, int64(10000))
	var built validate.Report
	b, err := os.ReadFile(filepath.Join(dir, publish.ValidationFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &built))
	assert.Positive(t, built.Failed[validate.Warning])
	assert.Equal(t, built.Failed[validate.Warning], r.Failed[validate.Warning], "validate must find the warnings the build published")
}

func TestCorruptions(t *testing.T) {
	// The passage whose value the cases change: the first row of passages.
	cases := []struct {
		name  string
		brk   func(t *testing.T, dir string)
		rules []string // every error finding has one of these rules, and each occurs
		key   string   // the row key the findings name ("" for file-level findings)
		field string
	}{{
		name: "one Parquet value changed",
		brk: func(t *testing.T, dir string) {
			rewrite(t, dir, "passages", []publish.Format{publish.FormatParquet}, func(rows [][]any) [][]any {
				rows[0][8] = rows[0][8].(string) + " (gewijzigd)"
				return rows
			})
		},
		rules: []string{"rule.formats_agree"}, key: "first-passage", field: "text",
	}, {
		name: "a CSV row deleted",
		brk: func(t *testing.T, dir string) {
			path := publish.Path(dir, publish.FormatCSV, "scores")
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			lines := strings.SplitAfter(string(b), "\n")
			require.Contains(t, lines[1], "tk2023-bigtech-scores,bbb,")
			require.NoError(t, os.WriteFile(path, []byte(lines[0]+strings.Join(lines[2:], "")), 0o644))
		},
		rules: []string{"rule.formats_agree"}, key: "tk2023-bigtech-scores/bbb",
	}, {
		name: "a foreign key broken in all three copies",
		brk: func(t *testing.T, dir string) {
			rewrite(t, dir, "scores", publish.Formats, func(rows [][]any) [][]any {
				require.Equal(t, "bbb", rows[0][1])
				rows[0][1] = "zzz"
				return rows
			})
		},
		rules: []string{"fk.scores.party_id", "rule.scored_party_covered"}, key: "tk2023-bigtech-scores/zzz",
	}, {
		name: "a quote's parent pointed elsewhere in all three copies",
		brk: func(t *testing.T, dir string) {
			rewrite(t, dir, "passages", publish.Formats, func(rows [][]any) [][]any {
				for _, r := range rows {
					if r[3] == "quote" {
						other := "0123456789abcdef"
						r[6] = &other
						break
					}
				}
				return rows
			})
		},
		rules: []string{"fk.passages.parent_id", "rule.quote_parent"},
	}, {
		name: "a table file missing",
		brk: func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(publish.Path(dir, publish.FormatJSON, "parties")))
		},
		rules: []string{"file.readable"},
	}, {
		name: "accounting loses bytes",
		brk: func(t *testing.T, dir string) {
			path := filepath.Join(dir, AccountingFile)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			s := strings.Replace(string(b), `"whitespace": `, `"whitespace": 1`, 1)
			require.NotEqual(t, string(b), s)
			require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
		},
		rules: []string{"rule.accounting_covers_file"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := scratch(t)
			first, err := publish.ReadParquet(publish.Path(dir, publish.FormatParquet, "passages"), set(t)["passages"])
			require.NoError(t, err)
			c.brk(t, dir)
			r := run(t, dir)
			assert.False(t, r.Valid)
			errs := errorsOf(r)
			require.NotEmpty(t, errs)
			seen := map[string]bool{}
			for _, f := range errs {
				assert.Contains(t, c.rules, f.Rule, "unexpected finding %+v", f)
				seen[f.Rule] = true
				key := c.key
				if key == "first-passage" {
					key = first[0][0].(string)
				}
				if key != "" {
					assert.Equal(t, key, f.Key, "%+v", f)
				}
				if c.field != "" {
					assert.Equal(t, c.field, f.Field, "%+v", f)
				}
			}
			for _, rule := range c.rules {
				assert.True(t, seen[rule], "no %s finding in %+v", rule, errs)
			}
		})
	}
}

// writeSums writes a SHA256SUMS over every file of dir, as a release has.
func writeSums(t *testing.T, dir string) {
	t.Helper()
	b, err := publish.SHA256Sums(dir)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, SumsFile), b, 0o644))
}

func TestChecksums(t *testing.T) {
	dir := scratch(t)
	for _, name := range publish.LegacyReleaseFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, DataPackageFile), []byte(`{"resources":[]}`), 0o644))
	writeSums(t, dir)
	require.True(t, run(t, dir).Valid)

	// A tampered byte in a JSON table that keeps it readable: only the checksum notices.
	path := filepath.Join(dir, "accounting.json")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(b, ' '), 0o644))
	// An added file.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "extra.txt"), []byte("x"), 0o644))
	r := run(t, dir)
	require.False(t, r.Valid)
	sums, err := os.ReadFile(filepath.Join(dir, SumsFile))
	require.NoError(t, err)
	line := 1 + strings.Count(string(sums[:strings.Index(string(sums), "  accounting.json")]), "\n")
	var got []string
	for _, f := range errorsOf(r) {
		got = append(got, f.Rule+" "+f.Source)
	}
	assert.ElementsMatch(t, []string{fmt.Sprintf("file.sha256sums %s:%d", SumsFile, line), "file.sha256sums extra.txt"}, got)
}

func TestDataPackageHashes(t *testing.T) {
	dir := scratch(t)
	for _, name := range publish.LegacyReleaseFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
	}
	path := publish.Path(dir, publish.FormatCSV, "parties")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	dp := fmt.Sprintf(`{"resources":[{"name":"parties","path":"csv/parties.csv","bytes":%d,"hash":"sha256:%s","rows":21}]}`, len(b), hex.EncodeToString(sum[:]))
	require.NoError(t, os.WriteFile(filepath.Join(dir, DataPackageFile), []byte(dp), 0o644))
	writeSums(t, dir)
	r := run(t, dir)
	require.True(t, r.Valid, "%+v", errorsOf(r))

	// A datapackage.json whose size, hash and row count are wrong (and SHA256SUMS made to match it).
	dp = fmt.Sprintf(`{"resources":[{"name":"parties","path":"csv/parties.csv","bytes":%d,"hash":"sha256:%s","rows":17}]}`, len(b)+1, strings.Repeat("0", 64))
	require.NoError(t, os.WriteFile(filepath.Join(dir, DataPackageFile), []byte(dp), 0o644))
	writeSums(t, dir)
	var got []string
	for _, f := range errorsOf(run(t, dir)) {
		got = append(got, f.Rule)
	}
	assert.ElementsMatch(t, []string{"file.datapackage_bytes", "file.datapackage_hash", "file.datapackage_rows"}, got)
}

// TestReleaseFilesRequired: a folder with any release file is checked as a release; deleting the
// checksum files does not hide a changed file.
func TestReleaseFilesRequired(t *testing.T) {
	dir := scratch(t)
	for _, name := range publish.LegacyReleaseFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
	}
	require.NoError(t, os.Remove(filepath.Join(dir, DataPackageFile)))
	require.NoError(t, os.Remove(filepath.Join(dir, SumsFile)))
	var got []string
	for _, f := range errorsOf(run(t, dir)) {
		got = append(got, f.Rule+" "+f.Source)
	}
	assert.ElementsMatch(t, []string{"file.release_complete " + DataPackageFile, "file.release_complete " + SumsFile}, got)
}

// TestRecordedFileList: a release that records its files in changes.json is held to that list,
// not to the files older releases had, so adding a file to new releases leaves old ones valid and
// removing a recorded file from a new one is caught.
func TestRecordedFileList(t *testing.T) {
	dir := scratch(t)
	for _, name := range publish.LegacyReleaseFiles {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>\n"), 0o644))
	files := []string{"index.html", "not-there.txt"}
	files = append(files, publish.LegacyReleaseFiles...)
	b, err := json.Marshal(map[string]any{"files": files})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, publish.ChangesFile), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, DataPackageFile), []byte(`{"resources":[]}`), 0o644))
	writeSums(t, dir)
	var got []string
	for _, f := range errorsOf(run(t, dir)) {
		got = append(got, f.Rule+" "+f.Source)
	}
	assert.Equal(t, []string{"file.release_complete not-there.txt"}, got)

	// Without the list (a release from before 1.2.0) the old list applies and index.html is only
	// an extra file that SHA256SUMS lists.
	require.NoError(t, os.WriteFile(filepath.Join(dir, publish.ChangesFile), []byte("{}\n"), 0o644))
	writeSums(t, dir)
	r := run(t, dir)
	assert.True(t, r.Valid, "%+v", errorsOf(r))

	// The signature of SHA256SUMS is the one file SHA256SUMS cannot list.
	require.NoError(t, os.WriteFile(filepath.Join(dir, publish.SignatureFile), []byte("sig\n"), 0o644))
	r = run(t, dir)
	assert.True(t, r.Valid, "%+v", errorsOf(r))

	// A changes.json cut short is not read as an empty list.
	require.NoError(t, os.WriteFile(filepath.Join(dir, publish.ChangesFile), []byte(`{"tables": [{"added_keys": ["a",`), 0o644))
	writeSums(t, dir)
	got = nil
	for _, f := range errorsOf(run(t, dir)) {
		got = append(got, f.Rule+" "+f.Source+" "+f.Message)
	}
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "file.release_complete "+publish.ChangesFile+" not valid JSON")
}
