package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := runCLI("build", "--raw", "../../raw", "--out", out)
	require.Equal(t, exitOK, code, stderr)

	code, stdout, stderr := runCLI("validate", out)
	assert.Equal(t, exitOK, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "valid:")
	assert.Regexp(t, `valid: [0-9]+ checks, 0 errors, [1-9][0-9]* warnings`, stderr)

	// Break a foreign key in the CSV copy only: the copies disagree, and the report says where.
	path := filepath.Join(out, "csv", "document_parties.csv")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	broken := strings.Replace(string(b), "tk2023-bigtech-scores,bbb,", "tk2023-bigtech-scores,nobody,", 1)
	require.NotEqual(t, string(b), broken)
	require.NoError(t, os.WriteFile(path, []byte(broken), 0o644))

	code, stdout, stderr = runCLI("validate", "--json", out)
	assert.Equal(t, exitInvalid, code)
	var rep struct {
		Valid    bool
		Findings []struct{ Rule, Severity, Table, Key, Source string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), "stdout is one JSON object")
	assert.False(t, rep.Valid)
	assert.Contains(t, stderr, "csv/document_parties.csv: document_parties tk2023-bigtech-scores/nobody [rule.formats_agree]")
	assert.Contains(t, stderr, "is not valid")

	code, _, stderr = runCLI("validate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "validate needs one output folder")

	code, _, stderr = runCLI("validate", filepath.Join(t.TempDir(), "nothing"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "no such file or directory")
}
