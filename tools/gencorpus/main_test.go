package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "raw")
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"-seed", "2", "-size", "150KB", "-out", dir, "-layouts", "party-summaries,pledge-document"}, &out, &errb), errb.String())
	assert.Contains(t, out.String(), "party-summaries")
	assert.NotContains(t, out.String(), "programme-text")
	before, err := os.ReadFile(filepath.Join(dir, "sources.toml"))
	require.NoError(t, err)

	out.Reset()
	require.Equal(t, 0, run([]string{"-seed", "2", "-size", "150KB", "-out", dir, "-layouts", "party-summaries,pledge-document", "-edit"}, &out, &errb), errb.String())
	file := string(bytes.TrimSpace(out.Bytes()))
	assert.FileExists(t, filepath.Join(dir, file))
	after, err := os.ReadFile(filepath.Join(dir, "sources.toml"))
	require.NoError(t, err)
	assert.Equal(t, before, after)

	assert.Equal(t, 1, run([]string{"-size", "150KB", "-out", dir}, &out, &errb), "a folder with a corpus in it is refused")
	assert.Equal(t, 2, run([]string{"-size", "lots", "-out", dir}, &out, &errb))
	assert.Equal(t, 2, run([]string{"-size", "1MB"}, &out, &errb))
}
