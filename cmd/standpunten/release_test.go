package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/testraw"
)

// cliEnv makes the test binary act as the standpunten command (see TestMain), so crash tests can
// kill a real run at a failpoint.
const cliEnv = "STANDPUNTEN_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		ctx, stop := withSignals(context.Background())
		code := run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func rawCopy(t *testing.T) string {
	t.Helper()
	return testraw.Copy(t, "../../raw", 2)
}

func fixTypo(t *testing.T, raw string) {
	t.Helper()
	path := filepath.Join(raw, "tk2023-bigtech-scores.txt")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	s := strings.Replace(string(b), "maatschappelijk volstrekt onwenselijk", "maatschappelijk volkomen onwenselijk", 1)
	require.NotEqual(t, string(b), s)
	require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
}

func TestReleaseCommand(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--json", "--notes", "Eerste uitgave.")
	require.Equal(t, exitOK, code, stderr)
	var sum struct {
		Status, Version, Level, Path string
		Reasons                      []string
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), "stdout is one JSON object: %s", stdout)
	assert.Equal(t, "published", sum.Status)
	assert.Equal(t, "1.0.0", sum.Version)

	code, stdout, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "up to date: v1.0.0\n", stdout)

	code, stdout, stderr = runCLI("verify", "--raw", raw, "--out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "v1.0.0 matches raw/")

	code, _, stderr = runCLI("validate", filepath.Join(out, "latest"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, ": valid: ")

	fixTypo(t, raw)
	code, stdout, stderr = runCLI("verify", "--raw", raw, "--out", out)
	assert.Equal(t, exitInvalid, code)
	assert.Empty(t, stdout, "a failed verify prints its mismatches on stderr only")
	assert.Contains(t, stderr, "mismatch: csv/passages.csv: differs")

	code, stdout, _ = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--dry-run")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "dry run: would publish v1.0.1 (patch)")
	assert.NoDirExists(t, filepath.Join(out, "releases", "v1.0.1"))

	code, stdout, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "published v1.0.1 (patch)")

	code, stdout, stderr = runCLI("diff", "--out", out, "v1.0.0", "v1.0.1")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "## [1.0.1]")
	assert.Contains(t, stdout, "volstrekt")
	assert.Contains(t, stdout, "volkomen")

	// diff --json takes the date, notes and validation of NEW from the head of its changes.json.
	code, stdout, stderr = runCLI("diff", "--out", out, "--json", "v1.0.0", "v1.0.1")
	require.Equal(t, exitOK, code, stderr)
	var ds struct { // the changes sit beside the status
		Status, Version, Previous, Date string
		Validation                      *struct{ Valid bool }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &ds), stdout)
	assert.Equal(t, "compared", ds.Status)
	assert.Equal(t, "1.0.1", ds.Version)
	assert.Equal(t, "1.0.0", ds.Previous)
	assert.Equal(t, "2026-11-24", ds.Date)
	require.NotNil(t, ds.Validation)
	assert.True(t, ds.Validation.Valid)

	// A changes.json that is not JSON is an input error naming the file.
	broken := filepath.Join(t.TempDir(), "v1.0.1")
	copyTree(t, filepath.Join(out, "releases", "v1.0.1"), broken)
	require.NoError(t, os.WriteFile(filepath.Join(broken, "changes.json"), []byte(`{"version": "1.0.1", "date": `), 0o644))
	code, _, stderr = runCLI("diff", "--out", out, "v1.0.0", broken)
	assert.Equal(t, exitInvalid, code)
	assert.Contains(t, stderr, filepath.Join(broken, "changes.json"))

	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "24-11-2026")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--date")
	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--bump", "huge")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--bump")
	code, _, stderr = runCLI("diff", "v1.0.0")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "two folders")
}

func TestReleaseLocked(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	require.NoError(t, os.MkdirAll(out, 0o755))
	f, err := os.OpenFile(filepath.Join(out, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))

	code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
	assert.Equal(t, exitLocked, code)
	assert.Contains(t, stderr, "locked by another run")
	assert.NoDirExists(t, filepath.Join(out, "releases", "v1.0.0"))
}

// TestReleaseKilled kills a release run at each failpoint and checks that the output folder
// holds only complete releases, and that the next run finishes the work with the same bytes an
// uninterrupted run gives.
func TestReleaseKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	// The reference: v1.0.0, then v1.0.1 after a typo fix, without interruption.
	refRaw, ref := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, _, stderr := runCLI("release", "--raw", refRaw, "--out", ref, "--date", "2026-11-23")
	require.Equal(t, exitOK, code, stderr)
	fixTypo(t, refRaw)
	code, _, stderr = runCLI("release", "--raw", refRaw, "--out", ref, "--date", "2026-11-24")
	require.Equal(t, exitOK, code, stderr)

	for _, point := range []string{"after-tables", "before-commit", "after-commit", "after-changelog"} {
		t.Run(point, func(t *testing.T) {
			raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
			code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
			require.Equal(t, exitOK, code, stderr)
			fixTypo(t, raw)

			cmd := exec.Command(os.Args[0], "release", "--raw", raw, "--out", out, "--date", "2026-11-24")
			cmd.Env = append(os.Environ(), cliEnv+"=1", failpointEnv+"="+point)
			outb, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			require.True(t, errors.As(err, &ee), "the run must be killed at %s: %v\n%s", point, err, outb)
			ws, ok := ee.Sys().(syscall.WaitStatus)
			require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "killed by SIGKILL: %v", err)

			// Only complete releases: every vX.Y.Z folder validates and matches its SHA256SUMS.
			entries, err := os.ReadDir(filepath.Join(out, "releases"))
			require.NoError(t, err)
			var versions []string
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), "v") {
					versions = append(versions, e.Name())
					code, _, stderr := runCLI("validate", filepath.Join(out, "releases", e.Name()))
					assert.Equal(t, exitOK, code, "%s: %s", e.Name(), stderr)
				}
			}
			if point == "after-tables" || point == "before-commit" {
				assert.Equal(t, []string{"v1.0.0"}, versions)
			} else {
				assert.Equal(t, []string{"v1.0.0", "v1.0.1"}, versions)
			}

			// The next run finishes or redoes the work.
			code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24")
			require.Equal(t, exitOK, code, stderr)
			if point == "after-commit" || point == "after-changelog" {
				assert.Equal(t, "up to date: v1.0.1\n", stdout)
			}
			entries, err = os.ReadDir(filepath.Join(out, "releases"))
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.Equal(t, []string{"v1.0.0", "v1.0.1"}, names, "no staging folder is left")
			link, err := os.Readlink(filepath.Join(out, "latest"))
			require.NoError(t, err)
			assert.Equal(t, "releases/v1.0.1", link)
			for _, f := range []string{"CHANGELOG.md", "releases/v1.0.1/SHA256SUMS", "releases/v1.0.1/changes.json", "releases/v1.0.1/parquet/passages.parquet"} {
				want, err := os.ReadFile(filepath.Join(ref, f))
				require.NoError(t, err)
				got, err := os.ReadFile(filepath.Join(out, f))
				require.NoError(t, err)
				assert.Equal(t, string(want), string(got), "%s equals the uninterrupted run's", f)
			}
			left, err := filepath.Glob(filepath.Join(out, ".*tmp*"))
			require.NoError(t, err)
			assert.Empty(t, left)
		})
	}
}

// TestReleaseJSONFailure: a failed run under --json still prints one JSON object, with the exit
// code, the error and, when validation failed, the findings.
func TestReleaseJSONFailure(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	require.NoError(t, os.WriteFile(filepath.Join(raw, "tk2023-bigtech-scores.txt"), []byte{}, 0o644))
	code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--json")
	assert.Equal(t, exitInvalid, code)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 1, "one line of JSON")
	var f struct {
		Status   string
		ExitCode int `json:"exit_code"`
		Error    string
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &f))
	assert.Equal(t, "failed", f.Status)
	assert.Equal(t, exitInvalid, f.ExitCode)
	assert.Contains(t, f.Error, "tk2023-bigtech-scores.txt")
	assert.Contains(t, stderr, "tk2023-bigtech-scores.txt")
}

// TestReleaseRemovalGuard: a text that lost most of its passages is refused with exit 3 and a
// message naming the document; --allow-removals publishes it; the share is a flag.
func TestReleaseRemovalGuard(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
	require.Equal(t, exitOK, code, stderr)
	path := filepath.Join(raw, "tk2025-it-infrastructuur-samenvattingen.txt")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines[:len(lines)/3], "")), 0o644))

	code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--json")
	assert.Equal(t, exitInvalid, code, stderr)
	assert.Contains(t, stderr, "passages of document tk2025-it-infrastructuur (more than 10%)")
	assert.Contains(t, stdout, `"status":"failed"`)
	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--max-removal-share", "0")
	assert.Equal(t, exitUsage, code, stderr)
	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--allow-removals")
	assert.Equal(t, exitOK, code, stderr)
}
