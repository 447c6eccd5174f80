package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgress: --progress always draws the bar on stderr (documents done of all, bytes) and
// clears it at the end; never and a short run without a terminal log no progress at all; a bad
// mode is a usage error.
func TestProgress(t *testing.T) {
	code, _, stderr := runCLI("build", "--raw", rawCopy(t), "--out", filepath.Join(t.TempDir(), "out"), "--progress", "always")
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `[0-9]+/[0-9]+ documents`, stderr)
	assert.Regexp(t, "\r +\r", stderr, "the bar is cleared when the build is done")

	code, _, stderr = runCLI("build", "--raw", rawCopy(t), "--out", filepath.Join(t.TempDir(), "out"), "--progress", "never")
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stderr, "documents ")
	assert.NotContains(t, stderr, "msg=progress")

	code, _, stderr = runCLI("build", "--raw", rawCopy(t), "--out", filepath.Join(t.TempDir(), "out"))
	require.Equal(t, exitOK, code, stderr)
	assert.False(t, strings.Contains(stderr, "msg=progress"), "a run of a second logs no progress line")

	code, _, stderr = runCLI("release", "--raw", rawCopy(t), "--out", filepath.Join(t.TempDir(), "o"), "--progress", "sometimes")
	assert.Equal(t, exitUsage, code, stderr)
	assert.Contains(t, stderr, "--progress")
}
