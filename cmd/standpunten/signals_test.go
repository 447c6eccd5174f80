package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The real command, built once for the tests that run it as a child process (signals, the lock,
// the version stamp). binErr is why it could not be built.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// standpuntenBinary builds ./cmd/standpunten with `go build`, with the VCS stamp where the
// checkout allows it. TestMain removes it.
func standpuntenBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts the command")
	}
	binOnce.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			binErr = err
			return
		}
		if binDir, binErr = os.MkdirTemp("", "standpunten-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "standpunten")
		out, err := exec.Command(goCmd, "build", "-buildvcs=true", "-o", binPath, ".").CombinedOutput()
		if err == nil {
			return
		}
		// No VCS here (an exported tree): build without the stamp.
		if out2, err2 := exec.Command(goCmd, "build", "-buildvcs=false", "-o", binPath, ".").CombinedOutput(); err2 != nil {
			binErr = errors.New(string(out) + string(out2))
		}
	})
	require.NoError(t, binErr, "go build ./cmd/standpunten")
	return binPath
}

// child is a run of the real command whose stderr the test reads line by line.
type child struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	lines  []map[string]any
}

// runChild starts the command with --log-format json and calls onLine for every log line as it
// comes (to send a signal at a moment of the run); it returns when the command has ended.
func runChild(t *testing.T, env []string, onLine func(c *child, line map[string]any), args ...string) *child {
	t.Helper()
	args = append([]string{args[0], "--log-format", "json"}, args[1:]...)
	c := &child{cmd: exec.Command(standpuntenBinary(t), args...)}
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stdout = &c.stdout
	stderr, err := c.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	// A safety net, not an assertion: a run that hangs is killed so the test ends.
	watchdog := time.AfterFunc(3*time.Minute, func() { _ = c.cmd.Process.Kill() })
	defer watchdog.Stop()
	sc := bufio.NewScanner(stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		v, err := strictJSON(line)
		assert.NoError(t, err, "stderr line: %s", line)
		obj, _ := v.(map[string]any)
		c.lines = append(c.lines, obj)
		if onLine != nil && obj != nil {
			onLine(c, obj)
		}
	}
	_ = c.cmd.Wait()
	return c
}

func (c *child) code() int { return c.cmd.ProcessState.ExitCode() }

func (c *child) end() map[string]any {
	if len(c.lines) == 0 {
		return nil
	}
	return c.lines[len(c.lines)-1]
}

func (c *child) signal(t *testing.T, sig syscall.Signal) {
	require.NoError(t, c.cmd.Process.Signal(sig))
}

// releasesIn lists the entries of OUT/releases.
func releasesIn(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(out, "releases"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSignals stops a real `release` with SIGTERM or SIGINT at several moments: after its start
// line, and at the failpoints (STANDPUNTEN_FAILPOINT=POINT:TERM sends the signal there). Each
// run exits 143 or 130, leaves no staging folder and only complete releases; a run stopped after
// its release folder went in place has CHANGELOG.md and latest updated before it exits; and the
// next run ends with exactly the bytes of a run that was never stopped.
func TestSignals(t *testing.T) {
	standpuntenBinary(t)
	refRaw, ref := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, _, stderr := runCLI("release", "--raw", refRaw, "--out", ref, "--date", "2026-11-23")
	require.Equal(t, exitOK, code, stderr)
	fixTypo(t, refRaw)
	code, _, stderr = runCLI("release", "--raw", refRaw, "--out", ref, "--date", "2026-11-24")
	require.Equal(t, exitOK, code, stderr)

	for _, tc := range []struct {
		name      string
		failpoint string         // STANDPUNTEN_FAILPOINT, or "" to signal after the start line
		sig       syscall.Signal // sent after the start line
		code      int
		published bool // v1.0.1 is in place when the run exits
	}{
		{name: "TERM after start", sig: syscall.SIGTERM, code: exitTerminated},
		{name: "INT after start", sig: syscall.SIGINT, code: exitInterrupted},
		{name: "TERM after tables", failpoint: "after-tables:TERM", code: exitTerminated},
		{name: "INT before commit", failpoint: "before-commit:INT", code: exitInterrupted},
		{name: "TERM after commit", failpoint: "after-commit:TERM", code: exitTerminated, published: true},
		{name: "TERM after changelog", failpoint: "after-changelog:TERM", code: exitTerminated, published: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
			code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
			require.Equal(t, exitOK, code, stderr)
			fixTypo(t, raw)

			var env []string
			var onLine func(*child, map[string]any)
			if tc.failpoint != "" {
				env = []string{failpointEnv + "=" + tc.failpoint}
			} else {
				onLine = func(c *child, l map[string]any) {
					if l["msg"] == "start" {
						c.signal(t, tc.sig)
					}
				}
			}
			c := runChild(t, env, onLine, "release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--json")
			require.Equal(t, tc.code, c.code(), "exit code; stderr lines: %v", c.lines)
			end := c.end()
			require.NotNil(t, end)
			assert.Equal(t, "end", end["msg"])
			assert.Equal(t, json.Number(strconv.Itoa(tc.code)), end["exit_code"])
			assert.Contains(t, []any{"SIGTERM", "SIGINT"}, end["signal"])
			sum := jsonLines(t, c.stdout.String())
			require.Len(t, sum, 1, "one JSON summary on stdout")
			assert.Equal(t, end["status"], sum[0]["status"])

			// No staging folder, no temporary file; every release is complete.
			names := releasesIn(t, out)
			for _, n := range names {
				assert.True(t, strings.HasPrefix(n, "v"), "left in releases/: %s", n)
				code, _, stderr := runCLI("validate", filepath.Join(out, "releases", n))
				assert.Equal(t, exitOK, code, "%s: %s", n, stderr)
			}
			left, err := filepath.Glob(filepath.Join(out, ".*tmp*"))
			require.NoError(t, err)
			assert.Empty(t, left)

			published := len(names) == 2
			assert.Equal(t, published, end["status"] == "published", "the end line says what happened: %v, releases %v", end, names)
			if published {
				// The pointer updates finished before the exit.
				link, err := os.Readlink(filepath.Join(out, "latest"))
				require.NoError(t, err)
				assert.Equal(t, "releases/v1.0.1", link)
				sameFile(t, ref, out, "CHANGELOG.md")
			}
			assert.Equal(t, tc.published, published, "releases: %v", names)
			if !published {
				assert.Equal(t, "canceled", end["status"])
			}

			// A later run works and ends where an uninterrupted run does.
			code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-24")
			require.Equal(t, exitOK, code, stderr)
			if published {
				assert.Equal(t, "up to date: v1.0.1\n", stdout)
			}
			assert.Equal(t, []string{"v1.0.0", "v1.0.1"}, releasesIn(t, out))
			for _, f := range []string{"CHANGELOG.md", "releases/v1.0.1/SHA256SUMS", "releases/v1.0.1/changes.json", "releases/v1.0.1/parquet/passages.parquet"} {
				sameFile(t, ref, out, f)
			}
		})
	}
}

func sameFile(t *testing.T, refDir, dir, name string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(refDir, name))
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s equals the uninterrupted run's", name)
}

// TestLockWait: a release that waits for the lock logs who holds it and for how long it waits,
// then again every 10 s, and goes on once the lock is free.
func TestLockWait(t *testing.T) {
	standpuntenBinary(t)
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	f := holdLock(t, out, "4242")
	released := false
	release := func() {
		if !released {
			released = true
			require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_UN))
		}
	}
	c := runChild(t, nil, func(c *child, l map[string]any) {
		if l["msg"] == "still waiting for the lock" {
			release()
		}
	}, "release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--wait", "2m")
	release()
	require.Equal(t, exitOK, c.code(), "%v", c.lines)
	var waiting, still, taken map[string]any
	for _, l := range c.lines {
		switch l["msg"] {
		case "waiting for the lock":
			waiting = l
		case "still waiting for the lock":
			still = l
		case "lock taken":
			taken = l
		}
	}
	require.NotNil(t, waiting, "%v", c.lines)
	assert.Equal(t, "4242", waiting["holder_pid"])
	assert.Equal(t, "2m0s", waiting["wait"])
	assert.Equal(t, filepath.Join(out, ".lock"), waiting["lock"])
	require.NotNil(t, still)
	assert.Equal(t, "4242", still["holder_pid"])
	assert.Contains(t, still, "waited")
	assert.Contains(t, still, "remaining")
	require.NotNil(t, taken)
	assert.Equal(t, "published", c.end()["status"])
}

// TestLockWaitSignal: SIGTERM while a run waits for the lock ends the wait: exit 143, nothing
// published.
func TestLockWaitSignal(t *testing.T) {
	standpuntenBinary(t)
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	holdLock(t, out, "4242")
	c := runChild(t, nil, func(c *child, l map[string]any) {
		if l["msg"] == "waiting for the lock" {
			c.signal(t, syscall.SIGTERM)
		}
	}, "release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--wait", "2m")
	assert.Equal(t, exitTerminated, c.code(), "%v", c.lines)
	assert.Equal(t, "canceled", c.end()["status"])
	assert.NoDirExists(t, filepath.Join(out, "releases"))
}

// holdLock takes OUT/.lock as another run would, with pid written in it.
func holdLock(t *testing.T, out, pid string) *os.File {
	t.Helper()
	require.NoError(t, os.MkdirAll(out, 0o755))
	f, err := os.OpenFile(filepath.Join(out, ".lock"), os.O_RDWR|os.O_CREATE, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	_, err = f.WriteString(pid + "\n")
	require.NoError(t, err)
	return f
}

// TestLockTimeout: without --wait the message says to pass it; with --wait it says how long it
// waited instead.
func TestLockTimeout(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	holdLock(t, out, "4242")
	code, _, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
	assert.Equal(t, exitLocked, code)
	assert.Contains(t, stderr, "is locked by another run (process 4242); wait for it to finish or pass --wait DURATION")

	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--wait", "300ms")
	assert.Equal(t, exitLocked, code)
	assert.Contains(t, stderr, "is locked by another run (process 4242); waited 300ms for it to finish")
	assert.NotContains(t, stderr, "pass --wait")
	assert.Contains(t, stderr, `msg="waiting for the lock"`)
	assert.Contains(t, stderr, "holder_pid=4242 wait=300ms")
}

// TestVersionStamp: --version of a binary built in a git checkout names the commit.
func TestVersionStamp(t *testing.T) {
	bin := standpuntenBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(out), "standpunten "), "%s", out)
	out2, err := exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.Equal(t, string(out), string(out2))
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout (git rev-parse HEAD: %v): no revision to compare; --version said %s", err, out)
	}
	assert.Contains(t, string(out), "(revision "+strings.TrimSpace(string(head)))
}
