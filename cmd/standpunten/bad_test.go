package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/bad/*/want.txt from the current stderr")

// badDir holds one folder per bad-input case:
//
//	raw/      a small complete raw folder (sources.toml, parties.toml, elections.toml, texts)
//	exit      the expected exit code
//	want.txt  the expected stderr, with the temporary folders written RAW, OUT and TMP (-update rewrites it)
//	checks    what the message must hold, independent of want.txt so -update cannot lose it:
//	          "where: RAW/a.txt:2:1" (the file and place, followed by ": ") and
//	          "hint: add the file" (text of the hint in the parentheses after the message)
//	args      optional extra build flags, one per line (e.g. --max-bytes and 10)
//	setup     optional steps the test performs on the copied raw folder, because git keeps neither
//	          modes nor symlinks well: "chmod000 FILE", "symlink-out FILE" (FILE -> TMP/outside/secret.txt),
//	          "fifo FILE" (a named pipe)
//	skip      optional: the message misses what checks asks for (a gap in the pipeline, named here);
//	          the case still runs and checks everything else, then skips, or fails once the gap is closed
const badDir = "testdata/bad"

// oldBuild is what the output folder holds before each run; a failed run must leave it byte for byte.
var oldBuild = map[string]string{
	"parquet/passages.parquet": "old parquet bytes\n",
	"csv/passages.csv":         "passage_id\nold\n",
	"validation.json":          "{\"valid\": true}\n",
}

// TestBadInput runs `standpunten build` on every case in testdata/bad and checks the exit code,
// the message (file, place and what to do), that the old output folder is untouched and that no
// staging folder is left next to it.
func TestBadInput(t *testing.T) {
	entries, err := os.ReadDir(badDir)
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runBadCase(t, filepath.Join(badDir, name))
		})
	}
	require.NotZero(t, n, "no cases found in %s", badDir)
}

func runBadCase(t *testing.T, dir string) {
	skip := ""
	if b, err := os.ReadFile(filepath.Join(dir, "skip")); err == nil {
		skip = strings.TrimSpace(string(b))
	}
	root := t.TempDir()
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	raw := filepath.Join(root, "raw")
	out := filepath.Join(root, "out", "build")
	copyTree(t, filepath.Join(dir, "raw"), raw)
	for path, body := range oldBuild {
		p := filepath.Join(out, filepath.FromSlash(path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	before := snapshot(t, out)
	if !setupCase(t, dir, root, raw) {
		return // the case ran in a child process as another user, and passed
	}

	args := []string{"standpunten", "build", "--raw", raw, "--out", out}
	if b, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
		args = append(args, strings.Fields(string(b))...)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	got := normalizeStderr(stderr.String(), raw, out, root)

	wantExit := readInt(t, filepath.Join(dir, "exit"))
	assert.Equal(t, wantExit, code, "exit code; stderr:\n%s", got)
	assert.Empty(t, stdout.String(), "a failed build prints nothing on stdout")

	wantPath := filepath.Join(dir, "want.txt")
	if *update {
		require.NoError(t, os.WriteFile(wantPath, []byte(got), 0o644))
	} else {
		want, err := os.ReadFile(wantPath)
		require.NoError(t, err, "run go test ./cmd/standpunten -run TestBadInput -update")
		assert.Equal(t, string(want), got, "stderr differs from %s; if the change is intended, run with -update and read the diff", wantPath)
	}
	assert.Equal(t, before, snapshot(t, out), "the old output folder must be left as it was")
	left, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"build"}, names, "nothing (no staging folder) may be left next to the output folder")
	checkJSONLog(t, args, raw, out, root, wantExit, got)
	assert.Equal(t, before, snapshot(t, out), "the old output folder must be left as it was")

	gaps := messageGaps(t, dir, got)
	switch {
	case skip != "" && len(gaps) > 0:
		t.Skipf("known gap in the pipeline: %s\n%s", skip, strings.Join(gaps, "\n"))
	case skip != "":
		t.Errorf("%s/skip names a gap (%s) that is closed now: delete the skip file", dir, skip)
	}
	for _, g := range gaps {
		t.Errorf("%s\nstderr:\n%s", g, got)
	}
}

// checkJSONLog runs the case again with --log-format json and --json: every stderr line is one
// JSON object without duplicate keys, from the start line to the end line with the exit code,
// the error line holds the message the text log printed, and stdout is the failed summary.
func checkJSONLog(t *testing.T, args []string, raw, out, root string, wantExit int, text string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append(append([]string{}, args...), "--log-format", "json", "--json"), strings.NewReader(""), &stdout, &stderr)
	assert.Equal(t, wantExit, code, "exit code with --log-format json")
	lines := jsonLines(t, stderr.String())
	require.GreaterOrEqual(t, len(lines), 3, "start, error and end lines: %s", stderr.String())
	assert.Equal(t, "start", lines[0]["msg"])
	end := lines[len(lines)-1]
	assert.Equal(t, "end", end["msg"])
	assert.Equal(t, "failed", end["status"])
	assert.Equal(t, json.Number(strconv.Itoa(wantExit)), end["exit_code"])
	errLine := errorLine(lines)
	require.NotNil(t, errLine, "an error line: %s", stderr.String())
	msg := normalizeStderr(strings.ReplaceAll(errLine["msg"].(string), "\n", "\n  "), raw, out, root)
	textLines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	assert.Equal(t, strings.Join(textLines[1:len(textLines)-1], "\n"), "standpunten: "+msg, "the JSON error line says what the text one does")
	sum := jsonLines(t, stdout.String())
	require.Len(t, sum, 1)
	assert.Equal(t, "failed", sum[0]["status"])
	assert.Equal(t, json.Number(strconv.Itoa(wantExit)), sum[0]["exit_code"])
}

// messageGaps applies the case's checks file to the normalized stderr and returns what is missing.
func messageGaps(t *testing.T, dir, stderr string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "checks"))
	require.NoError(t, err, "every case needs a checks file with a where: and a hint: line")
	var gaps []string
	var where, hint int
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		key, val, ok := strings.Cut(line, ": ")
		require.True(t, ok && val != "", "%s/checks: %q is not `where: …` or `hint: …`", dir, line)
		switch key {
		case "where":
			where++
			if !strings.Contains(stderr, val+": ") {
				gaps = append(gaps, fmt.Sprintf("the message does not name the file and place %q", val))
			}
		case "hint":
			hint++
			i := strings.Index(stderr, val)
			if i < 0 || !strings.Contains(stderr[:i], " (") {
				gaps = append(gaps, fmt.Sprintf("the message does not say what to do: no %q in the parentheses after it", val))
			}
		default:
			t.Fatalf("%s/checks: unknown check %q", dir, key)
		}
	}
	require.Equal(t, 1, where, "%s/checks needs one where: line", dir)
	require.Equal(t, 1, hint, "%s/checks needs one hint: line", dir)
	return gaps
}

// setupCase performs the steps git cannot store. It returns false when the case was run in a
// child process instead (see asNobody) and this process has nothing left to do.
func setupCase(t *testing.T, dir, root, raw string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "setup"))
	if os.IsNotExist(err) {
		return true
	}
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		step, file, _ := strings.Cut(line, " ")
		p := filepath.Join(raw, file)
		switch step {
		case "chmod000":
			require.NoError(t, os.Chmod(p, 0))
			t.Cleanup(func() { _ = os.Chmod(p, 0o644) })
			if f, err := os.Open(p); err == nil {
				f.Close()
				if asNobody(t, dir) {
					return false
				}
				t.Skipf("%s is still readable after chmod 000 (running as root, uid %d, or a file system without modes): this case cannot be tested here", file, os.Geteuid())
			}
		case "fifo":
			require.NoError(t, syscall.Mkfifo(p, 0o644))
		case "symlink-out":
			secret := filepath.Join(root, "outside", "secret.txt")
			require.NoError(t, os.MkdirAll(filepath.Dir(secret), 0o755))
			require.NoError(t, os.WriteFile(secret, []byte("Volt wil iets.\n"), 0o644))
			require.NoError(t, os.Symlink(secret, p))
		default:
			t.Fatalf("%s/setup: unknown step %q", dir, step)
		}
	}
	return true
}

// What differs from run to run in a log line: the time, the duration, the process id and the
// version the binary was built from.
var (
	logTime     = regexp.MustCompile(`time=\S+`)
	logDuration = regexp.MustCompile(`duration_ms=[0-9]+`)
	logPID      = regexp.MustCompile(`pid=[0-9]+`)
	logVersion  = regexp.MustCompile(`version=\S+( revision=\S+)?( modified=true)?`)
)

// normalizeStderr writes the temporary folders as RAW, OUT and TMP, log times as T, durations
// as D, process ids as P and the version as V.
func normalizeStderr(s, raw, out, root string) string {
	s = strings.ReplaceAll(s, raw, "RAW")
	s = strings.ReplaceAll(s, out, "OUT")
	s = strings.ReplaceAll(s, root, "TMP")
	s = logTime.ReplaceAllString(s, "time=T")
	s = logDuration.ReplaceAllString(s, "duration_ms=D")
	s = logPID.ReplaceAllString(s, "pid=P")
	return logVersion.ReplaceAllString(s, "version=V")
}

// snapshot maps every entry under dir to its contents ("dir" for folders) and mode.
func snapshot(t *testing.T, dir string) map[string]string {
	m := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			m[rel] = "dir " + info.Mode().String()
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m[rel] = info.Mode().String() + " " + string(b)
		return nil
	}))
	return m
}

func copyTree(t *testing.T, from, to string) {
	require.NoError(t, filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	}))
}

func readInt(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err, "%s holds one exit code", path)
	return n
}

// TestBadInputCasesComplete makes sure every case folder has the files the runner needs, so a
// forgotten file fails here rather than silently weakening a case.
func TestBadInputCasesComplete(t *testing.T) {
	entries, err := os.ReadDir(badDir)
	require.NoError(t, err)
	for _, e := range entries {
		require.True(t, e.IsDir(), "%s/%s: only case folders belong here", badDir, e.Name())
		for _, f := range []string{"raw/sources.toml", "raw/elections.toml", "exit", "want.txt", "checks"} {
			_, err := os.Stat(filepath.Join(badDir, e.Name(), f))
			assert.NoError(t, err, "case %s needs %s", e.Name(), f)
		}
	}
}

// nobodyEnv marks a test process that asNobody started as an unprivileged user.
const nobodyEnv = "STANDPUNTEN_TEST_AS_NOBODY"

// asNobody runs the current test again in a copy of the test binary as the unprivileged user
// 65534 (setpriv, util-linux), for the cases that root cannot test because file modes do not
// stop it, and reports whether it did; the child's result is this test's result. It returns false
// where that is not possible (no setpriv, not root, or already the child).
func asNobody(t *testing.T, caseDir string) bool {
	t.Helper()
	setpriv, err := exec.LookPath("setpriv")
	if err != nil || os.Getenv(nobodyEnv) == "1" || os.Geteuid() != 0 {
		return false
	}
	dir, err := os.MkdirTemp("", "standpunten-nobody-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o777))
	bin, err := os.ReadFile(os.Args[0])
	require.NoError(t, err)
	exe := filepath.Join(dir, "standpunten.test")
	require.NoError(t, os.WriteFile(exe, bin, 0o755))
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", exe,
		"-test.run", "^"+strings.ReplaceAll(regexp.QuoteMeta(t.Name()), "/", "$/^")+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), nobodyEnv+"=1", "TMPDIR="+dir, "HOME="+dir)
	// The child reads the case from a copy, so the checkout itself need not be readable to it.
	pkg := filepath.Join(dir, "pkg")
	copyTree(t, caseDir, filepath.Join(pkg, caseDir))
	require.NoError(t, filepath.WalkDir(pkg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return os.Chmod(p, 0o644)
	}))
	cmd.Dir = pkg
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the case as uid 65534:\n%s", out)
	require.Contains(t, string(out), "--- PASS: "+t.Name(), "%s", out)
	require.NotContains(t, string(out), "SKIP", "%s", out)
	return true
}
