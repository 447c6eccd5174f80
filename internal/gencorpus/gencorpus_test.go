package gencorpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// hashTree returns the SHA-256 of every file under dir, by slash path.
func hashTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	}))
	return out
}

func write(t testing.TB, o Options) (string, Stats) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "raw")
	st, err := Write(dir, o)
	require.NoError(t, err)
	return dir, st
}

// TestDeterministic: the same options give the same bytes, with one worker or several; another
// seed gives other texts.
func TestDeterministic(t *testing.T) {
	a, sa := write(t, Options{Seed: 3, Bytes: 600e3, Workers: 1})
	b, sb := write(t, Options{Seed: 3, Bytes: 600e3, Workers: 4})
	c, _ := write(t, Options{Seed: 4, Bytes: 600e3})
	assert.Equal(t, hashTree(t, a), hashTree(t, b))
	assert.Equal(t, sa, sb)
	ha, hc := hashTree(t, a), hashTree(t, c)
	assert.Equal(t, ha["parties.toml"], hc["parties.toml"])
	assert.NotEqual(t, ha["sources.toml"], hc["sources.toml"])
}

// TestSizeAndStats: the corpus is about the size asked for, and Stats says what was written.
func TestSizeAndStats(t *testing.T) {
	for _, size := range []int64{200e3, 2e6} {
		dir, st := write(t, Options{Seed: 1, Bytes: size})
		var n int64
		files := 0
		require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				info, _ := d.Info()
				n += info.Size()
				files++
			}
			return err
		}))
		assert.Equal(t, n, st.Bytes)
		assert.Equal(t, files, st.Files)
		assert.Equal(t, st.Documents+4, st.Files)
		assert.GreaterOrEqual(t, st.Bytes, size*9/10, "size %d", size)
		assert.LessOrEqual(t, st.Bytes, size*13/10, "size %d", size)
		assert.Len(t, st.ByLayout, len(Layouts), "every layout at size %d", size)
	}
}

func TestLayoutsOption(t *testing.T) {
	_, st := write(t, Options{Seed: 1, Bytes: 300e3, Layouts: []string{"pledge-document", "score-overview"}})
	assert.Equal(t, []string{"pledge-document", "score-overview"}, keys(st.ByLayout))
	_, err := Write(t.TempDir(), Options{Seed: 1, Bytes: 1e5, Layouts: []string{"party-summary"}})
	assert.ErrorContains(t, err, `unknown layout "party-summary"`)
	_, err = Write(t.TempDir(), Options{Seed: 1})
	assert.ErrorContains(t, err, "Bytes must be positive")
}

func TestRefusesFolderWithFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644))
	_, err := Write(dir, Options{Seed: 1, Bytes: 1e5})
	assert.True(t, errors.Is(err, ErrNotEmpty), "%v", err)
	b, _ := os.ReadFile(filepath.Join(dir, "keep.txt"))
	assert.Equal(t, "x", string(b))
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestBuilds runs the real build over a generated corpus of about 1 MB: no validation error, every
// document gives passages, and every format but programme-text gives exactly the passages the
// generator wrote.
func TestBuilds(t *testing.T) {
	for _, seed := range []int64{1, 2} {
		raw, st := write(t, Options{Seed: seed, Bytes: 1e6})
		out := filepath.Join(t.TempDir(), "out")
		sum, err := build.Run(context.Background(), build.Options{RawDir: raw, OutDir: out})
		if err != nil {
			var inv *build.InvalidError
			if errors.As(err, &inv) {
				for _, f := range inv.Report.Findings {
					if f.Severity == validate.Error {
						t.Logf("%s %s %s: %s (%s)", f.Rule, f.Key, f.Source, f.Message, f.Value)
					}
				}
			}
			require.NoError(t, err)
		}
		assert.True(t, sum.Validation.Valid)
		assert.Zero(t, sum.Validation.Failed[validate.Error])
		assert.Len(t, sum.Documents, st.Documents)
		formats := map[model.Format]bool{}
		for _, d := range sum.Documents {
			formats[d.Format] = true
			assert.Positive(t, d.Passages, "document %s has no passages", d.DocumentID)
			want := st.PassagesByDocument[d.DocumentID]
			if d.Format == model.FormatProgrammeText {
				assert.InDelta(t, want, d.Passages, float64(want)/10+1, "document %s (%s)", d.DocumentID, d.Format)
			} else {
				assert.Equal(t, want, d.Passages, "document %s (%s)", d.DocumentID, d.Format)
			}
		}
		assert.Len(t, formats, len(Layouts))
		for _, f := range sum.Validation.Findings {
			if f.Severity == validate.Warning && !strings.HasPrefix(f.Rule, "rule.elided_quote") {
				t.Logf("warning %s %s: %s", f.Rule, f.Source, f.Message)
			}
		}
	}
}

// TestDictionaryFallsBack: the passages of a corpus of a few MB hold so much distinct text that a
// dictionary-encoded text column of one row group (8,192 rows, the writer's row group) outgrows the
// default dictionary page limit of the Parquet writer and falls back to PLAIN (what issue 12's
// reproducibility test needs: repeated text would never overflow).
func TestDictionaryFallsBack(t *testing.T) {
	if testing.Short() || raceDetector {
		// The subject is the bytes of the Parquet pages, not concurrency; under the race detector the
		// 4 MB build takes about a minute (make unit runs -race; go test ./internal/gencorpus runs it).
		t.Skip("builds a 4 MB corpus: skipped with -short and under the race detector")
	}
	raw, _ := write(t, Options{Seed: 11, Bytes: 4e6})
	out := filepath.Join(t.TempDir(), "out")
	_, err := build.Run(context.Background(), build.Options{RawDir: raw, OutDir: out})
	require.NoError(t, err)
	set, err := schemas.Load()
	require.NoError(t, err)
	rows, err := publish.ReadParquet(filepath.Join(out, "parquet", "passages.parquet"), set["passages"])
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(rows), publish.DefaultBatchRows, "a row group's worth of passages")
	col := set["passages"].FieldIndex("text")
	var texts []string
	for _, r := range rows[:publish.DefaultBatchRows] {
		texts = append(texts, r[col].(string))
	}
	// A few hundred of the same passages fit a dictionary: the check can tell the two apart.
	few := dictionaryPages(t, texts[:400])
	assert.Contains(t, few, "DATA_PAGE/RLE_DICTIONARY", "%v", few)
	assert.NotContains(t, few, "DATA_PAGE/PLAIN", "%v", few)
	all := dictionaryPages(t, texts)
	assert.Contains(t, all, "DATA_PAGE/PLAIN", "the dictionary of a row group's passages did not fall back: %v", all)
}

// TestEdit: Edit changes one word of one passage in a linked copy; the original stays as it was,
// the copy still builds, and exactly one passage differs, by little.
func TestEdit(t *testing.T) {
	o := Options{Seed: 9, Bytes: 300e3}
	orig, _ := write(t, o)
	before := hashTree(t, orig)
	cp := filepath.Join(t.TempDir(), "copy", "raw")
	require.NoError(t, LinkCopy(orig, cp))
	file, err := Edit(cp, o)
	require.NoError(t, err)
	assert.Equal(t, before, hashTree(t, orig), "the original changed")
	after := hashTree(t, cp)
	var changed []string
	for k, v := range before {
		if after[k] != v {
			changed = append(changed, k)
		}
	}
	assert.Equal(t, []string{file}, changed)
	assert.Len(t, after, len(before))

	texts := func(raw string) map[string]string {
		out := filepath.Join(t.TempDir(), "out")
		_, err := build.Run(context.Background(), build.Options{RawDir: raw, OutDir: out})
		require.NoError(t, err)
		set, err := schemas.Load()
		require.NoError(t, err)
		rows, err := publish.ReadParquet(filepath.Join(out, "parquet", "passages.parquet"), set["passages"])
		require.NoError(t, err)
		doc, seq, text := set["passages"].FieldIndex("document_id"), set["passages"].FieldIndex("seq"), set["passages"].FieldIndex("text")
		m := map[string]string{}
		for _, r := range rows {
			m[r[doc].(string)+"/"+fmt.Sprint(r[seq])] = r[text].(string)
		}
		return m
	}
	a, b := texts(orig), texts(cp)
	require.Equal(t, len(a), len(b))
	var diff []string
	for k, v := range a {
		if b[k] != v {
			diff = append(diff, k)
			d := registry.Distance(v, b[k])
			assert.LessOrEqual(t, d*5, utf8.RuneCountInString(v), "the edit changed more than a fifth of %q", v)
			assert.Positive(t, d)
		}
	}
	assert.Len(t, diff, 1, "%v", diff)

	// The same options edit the same place.
	cp2 := filepath.Join(t.TempDir(), "copy2", "raw")
	require.NoError(t, LinkCopy(orig, cp2))
	file2, err := Edit(cp2, o)
	require.NoError(t, err)
	assert.Equal(t, file, file2)
	assert.Equal(t, after, hashTree(t, cp2))
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"10MB": 10e6, "1GB": 1e9, "1.5GB": 1.5e9, "512KiB": 512 << 10, "2MiB": 2 << 20, "1000": 1000, " 3 kB ": 3000, "7B": 7} {
		got, err := ParseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		back, err := ParseSize(FormatSize(got))
		require.NoError(t, err)
		assert.Equal(t, got, back, "FormatSize(%d) = %s", got, FormatSize(got))
	}
	for _, bad := range []string{"", "MB", "-1MB", "0", "ten", "1TB", "1e30GB"} {
		_, err := ParseSize(bad)
		assert.Error(t, err, bad)
	}
}
