package publish

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entries lists the names in a folder.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestStageCommit(t *testing.T) {
	tests := []struct {
		name     string
		existing bool
	}{
		{"new destination", false},
		{"replaces destination", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dest := filepath.Join(parent, "out")
			if tc.existing {
				require.NoError(t, os.MkdirAll(filepath.Join(dest, "sub"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(dest, "sub", "old.txt"), []byte("old"), 0o644))
			}
			s, err := Stage(dest)
			require.NoError(t, err)
			defer s.Abort()
			assert.Equal(t, parent, filepath.Dir(s.Dir()))
			assert.Regexp(t, `^\.out\.staging-`, filepath.Base(s.Dir()))
			require.NoError(t, os.MkdirAll(filepath.Join(s.Dir(), "csv"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(s.Dir(), "csv", "new.csv"), []byte("new"), 0o644))

			require.NoError(t, s.Commit())
			assert.Equal(t, []string{"out"}, entries(t, parent), "no staging or old folder is left")
			assert.Equal(t, []string{"csv"}, entries(t, dest))
			b, err := os.ReadFile(filepath.Join(dest, "csv", "new.csv"))
			require.NoError(t, err)
			assert.Equal(t, "new", string(b))
			st, err := os.Stat(dest)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o755), st.Mode().Perm())

			require.NoError(t, s.Abort(), "Abort after Commit does nothing")
			assert.DirExists(t, dest)
			assert.ErrorContains(t, s.Commit(), "already committed")
		})
	}
}

func TestStageAbort(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "out")
	require.NoError(t, os.MkdirAll(dest, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dest, "keep.txt"), []byte("keep"), 0o644))

	s, err := Stage(dest)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(s.Dir(), "new.txt"), []byte("new"), 0o644))
	require.NoError(t, s.Abort())
	require.NoError(t, s.Abort())
	assert.Equal(t, []string{"out"}, entries(t, parent))
	assert.Equal(t, []string{"keep.txt"}, entries(t, dest))
	assert.ErrorContains(t, s.Commit(), "aborted")
}

func TestStageWriterCommit(t *testing.T) {
	set := loadSchemas(t)
	dest := filepath.Join(t.TempDir(), "release")
	s, err := Stage(dest)
	require.NoError(t, err)
	defer s.Abort()
	writeAll(t, s.Dir(), set, sampleRows(), 0)
	require.NoError(t, s.Commit())
	assert.Equal(t, []string{"csv", "json", "parquet"}, entries(t, dest))
	got, err := ReadParquet(Path(dest, FormatParquet, "passages"), set["passages"])
	require.NoError(t, err)
	assert.Equal(t, cellsOf(sampleRows()["passages"]), got)
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	require.NoError(t, WriteFileAtomic(path, []byte("one")))
	require.NoError(t, WriteFileAtomic(path, []byte("two")))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two", string(b))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	assert.Equal(t, []string{"a.txt"}, entries(t, dir), "no temporary file is left")

	err = WriteFileAtomic(filepath.Join(dir, "missing", "b.txt"), nil)
	assert.ErrorContains(t, err, "publish: write "+filepath.Join(dir, "missing", "b.txt"))
	assert.Equal(t, []string{"a.txt"}, entries(t, dir))
}

func TestWriteJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	v := map[string]any{"z": []int{1, 2}, "a": "<R&D>", "m": map[string]string{}}
	require.NoError(t, WriteJSON(path, v))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": \"<R&D>\",\n  \"m\": {},\n  \"z\": [\n    1,\n    2\n  ]\n}\n", string(b))
	assert.Error(t, WriteJSON(path, func() {}))
}
