package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"standpunten"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestBuildJSONSummary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI("build", "--raw", "../../raw", "--out", out, "--json", "--log-format", "json")
	require.Equal(t, 0, code, stderr)
	var sum struct {
		Documents []struct {
			DocumentID string `json:"document_id"`
		}
		Rows map[string]int64
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), "stdout is one JSON object")
	assert.Len(t, sum.Documents, 27)
	assert.Equal(t, int64(21), sum.Rows["parties"])
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		assert.True(t, json.Valid([]byte(line)), "log line is JSON: %s", line)
	}
	_, err := os.Stat(filepath.Join(out, "parquet", "passages.parquet"))
	assert.NoError(t, err)
}

func TestExitCodes(t *testing.T) {
	badRaw := t.TempDir()
	for _, f := range []string{"parties.toml", "elections.toml"} {
		b, err := os.ReadFile(filepath.Join("../../raw", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(badRaw, f), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(badRaw, "sources.toml"), []byte("[[document]]\nid = \"a\"\nfile = \"a.txt\"\nformat = \"party-summaries\"\ntitle = \"A\"\nelection = \"TK2023\"\ntopic = \"x\"\nlanguage = \"nl\"\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(badRaw, "a.txt"), []byte("Volt wil.\n“Citaat.”\n"), 0o644))

	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"build", "--nope"}, 2, "flag provided but not defined"},
		{"bad log format", []string{"build", "--log-format", "xml"}, 2, `--log-format "xml"`},
		{"missing registry", []string{"build", "--raw", t.TempDir(), "--out", t.TempDir()}, 2, "parties.toml: cannot read"},
		{"bad text", []string{"build", "--raw", badRaw, "--out", filepath.Join(t.TempDir(), "o")}, 3, "a.txt:2:1: quote line directly after the summary of volt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

// TestBuildRefusesDestructiveOut: build --out never replaces the raw folder, the output root, a
// release or the latest link (exit 2, nothing touched).
func TestBuildRefusesDestructiveOut(t *testing.T) {
	for _, out := range []string{"../../raw", "../../output", "../../output/releases/v1.0.0", "../../output/latest"} {
		code, stdout, stderr := runCLI("build", "--raw", "../../raw", "--out", out)
		assert.Equal(t, exitUsage, code, "%s: %s", out, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "refusing to build into "+out)
	}
	_, err := os.Stat("../../output/releases/v1.0.0/SHA256SUMS")
	assert.NoError(t, err, "the release is still there")
}
