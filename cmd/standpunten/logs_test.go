package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strictJSON decodes one JSON value and fails on an object that has a key twice (encoding/json
// keeps the last of two equal keys; a log reader would lose the first).
func strictJSON(line string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	v, err := strictValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON value in %q", line)
	}
	return v, nil
}

func strictValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := map[string]any{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			if _, dup := obj[k]; dup {
				return nil, fmt.Errorf("key %q appears twice", k)
			}
			if obj[k], err = strictValue(dec); err != nil {
				return nil, err
			}
		}
		_, err := dec.Token() // }
		return obj, err
	case json.Delim('['):
		var arr []any
		for dec.More() {
			v, err := strictValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err := dec.Token() // ]
		return arr, err
	}
	return tok, nil
}

// jsonLines parses every line of s as one JSON object without duplicate keys.
func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		v, err := strictJSON(line)
		require.NoError(t, err, "not one JSON object without duplicate keys: %s", line)
		obj, ok := v.(map[string]any)
		require.True(t, ok, "not a JSON object: %s", line)
		out = append(out, obj)
	}
	return out
}

func TestStrictJSON(t *testing.T) {
	for _, bad := range []string{`{"level":"INFO","level":"minor"}`, `{"a":{"b":1,"b":2}}`, `{"a":[{"c":1,"c":1}]}`, `{"a":1} {"b":2}`, `{"a":`, `plain text`} {
		_, err := strictJSON(bad)
		assert.Error(t, err, bad)
	}
	for _, good := range []string{`{"level":"INFO","release_level":"minor"}`, `{"a":{"b":1},"b":[1,{"b":2}]}`, `{}`} {
		_, err := strictJSON(good)
		assert.NoError(t, err, good)
	}
}

// TestUniqueKeys: attributes named like slog's own keys or like an earlier attribute get a new
// name instead of a second equal key, also when they come from With.
func TestUniqueKeys(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(uniqueKeys{next: slog.NewJSONHandler(&buf, nil)})
	log.With("doc", "a", "msg", "with").Info("built", "level", "minor", "doc", "b", "doc", "c", "time", 1)
	log.WithGroup("g").Info("grouped", "level", "x")
	lines := jsonLines(t, buf.String())
	require.Len(t, lines, 2)
	assert.Equal(t, map[string]any{"time": lines[0]["time"], "level": "INFO", "msg": "built", "doc": "a", "msg_2": "with",
		"level_2": "minor", "doc_2": "b", "doc_3": "c", "time_2": json.Number("1")}, lines[0])
	assert.Equal(t, map[string]any{"level": "x"}, lines[1]["g"])
}

// runJSON runs a command with --log-format json and --json and checks what a scheduler reads:
// every stderr line is one JSON object without duplicate keys, the first is the start line
// (unless the command line was refused before the command began), the last the end line with
// the exit code and status, and stdout is one JSON line with the same status and exit code.
func runJSON(t *testing.T, args ...string) (int, map[string]any, []map[string]any) {
	t.Helper()
	full := append([]string{args[0], "--log-format", "json", "--json"}, args[1:]...)
	code, stdout, stderr := runCLI(full...)
	lines := jsonLines(t, stderr)
	for _, l := range lines {
		for _, k := range []string{"time", "level", "msg"} {
			assert.Contains(t, l, k, "every log line has %s: %v", k, l)
		}
	}
	first, last := lines[0], lines[len(lines)-1]
	if first["msg"] == "start" {
		assert.Equal(t, args[0], first["command"])
		assert.Contains(t, first, "version")
		assert.Contains(t, first, "pid")
	} else {
		assert.Equal(t, exitUsage, code, "only a refused command line has no start line: %v", first)
	}
	assert.Equal(t, "end", last["msg"], "the last line is the end line")
	assert.Equal(t, json.Number(fmt.Sprint(code)), last["exit_code"])
	assert.Contains(t, last, "duration_ms")
	if code != exitOK {
		assert.Equal(t, "ERROR", last["level"])
	}
	out := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	require.Len(t, out, 1, "stdout is one line of JSON: %s", stdout)
	sum := jsonLines(t, out[0])[0]
	assert.Equal(t, json.Number(fmt.Sprint(code)), sum["exit_code"])
	assert.Equal(t, sum["status"], last["status"], "the summary and the end line agree")
	if code != exitOK {
		assert.NotEmpty(t, sum["error"], "a failed run says why")
	}
	return code, sum, lines
}

// errorLine is the log line with the error that decided the exit code.
func errorLine(lines []map[string]any) map[string]any {
	for _, l := range lines {
		if l["level"] == "ERROR" && l["exit_code"] != nil && l["msg"] != "end" {
			return l
		}
	}
	return nil
}

// TestJSONLogs runs every command on its success and failure paths with --log-format json.
func TestJSONLogs(t *testing.T) {
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	build := filepath.Join(t.TempDir(), "build")

	code, sum, lines := runJSON(t, "build", "--raw", raw, "--out", build)
	require.Equal(t, exitOK, code, "%v", lines)
	assert.Equal(t, "built", sum["status"])
	assert.Contains(t, sum, "documents")
	end := lines[len(lines)-1]
	assert.Contains(t, end, "raw_bytes", "a run that read raw texts says how much")
	assert.Contains(t, end, "raw_mb_per_s")

	code, sum, _ = runJSON(t, "release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--notes", "Eerste.")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "published", sum["status"])
	assert.Equal(t, "1.0.0", sum["version"])
	assert.NotContains(t, sum, "previous", "the first release has none")

	fixTypo(t, raw)
	code, sum, _ = runJSON(t, "release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--dry-run")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "dry-run", sum["status"])
	assert.Equal(t, "1.0.1", sum["version"])
	assert.Equal(t, "1.0.0", sum["previous"])
	code, sum, lines = runJSON(t, "release", "--raw", raw, "--out", out, "--date", "2026-11-24", "--notes", "Tikfout.")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "published", sum["status"])
	assert.Equal(t, "patch", sum["level"])
	built := lines[len(lines)-1]["raw_bytes"]
	assert.NotEmpty(t, built, "a release says how many bytes of raw text its build read")
	for _, l := range lines {
		if l["msg"] == "published" {
			assert.Equal(t, "patch", l["release_level"], "the release level has its own key")
			assert.Equal(t, "INFO", l["level"])
		}
	}

	code, sum, lines = runJSON(t, "release", "--raw", raw, "--out", out, "--date", "2026-11-25")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "up-to-date", sum["status"])
	assert.Equal(t, "1.0.1", sum["version"])
	assert.Equal(t, "1.0.0", sum["previous"], "up to date: previous is the release before the latest")
	assert.Equal(t, true, sum["by_fingerprint"])
	var hashed int64
	require.NoError(t, filepath.WalkDir(raw, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			st, err := d.Info()
			require.NoError(t, err)
			hashed += st.Size()
		}
		return err
	}))
	assert.Equal(t, json.Number(fmt.Sprint(hashed)), lines[len(lines)-1]["raw_bytes"], "up to date by fingerprint: every raw file was hashed")

	code, sum, lines = runJSON(t, "verify", "--raw", raw, "--out", out)
	require.Equal(t, exitOK, code)
	assert.Equal(t, "verified", sum["status"])
	assert.Equal(t, "1.0.1", sum["version"])
	assert.Equal(t, built, lines[len(lines)-1]["raw_bytes"], "verify's rebuild read what the release's build read")

	code, sum, _ = runJSON(t, "diff", "--out", out, "v1.0.0", "v1.0.1")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "compared", sum["status"])
	assert.Equal(t, "1.0.1", sum["version"])
	assert.Equal(t, "1.0.0", sum["previous"])
	assert.Equal(t, "2026-11-24", sum["date"], "diff keeps the release's date")
	assert.Equal(t, "Tikfout.", sum["notes"], "diff keeps the release's notes")
	require.IsType(t, map[string]any{}, sum["validation"], "diff keeps the release's validation")
	assert.Equal(t, true, sum["validation"].(map[string]any)["valid"])

	code, sum, _ = runJSON(t, "validate", filepath.Join(out, "latest"))
	require.Equal(t, exitOK, code)
	assert.Equal(t, "valid", sum["status"])
	assert.Equal(t, true, sum["valid"])

	// Failures.
	scores := filepath.Join(raw, "tk2023-bigtech-scores.txt")
	b, err := os.ReadFile(scores)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(scores, []byte(strings.Replace(string(b), "volkomen onwenselijk", "zeer onwenselijk", 1)), 0o644))
	code, sum, lines = runJSON(t, "verify", "--raw", raw, "--out", out)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "mismatch", sum["status"])
	assert.NotEmpty(t, sum["mismatches"])
	mismatches := 0
	for _, l := range lines {
		if l["msg"] == "mismatch" {
			mismatches++
		}
	}
	assert.NotZero(t, mismatches, "each mismatch is a JSON line")

	require.NoError(t, os.WriteFile(scores, []byte("volkomen anders\n"), 0o644))
	code, sum, _ = runJSON(t, "verify", "--raw", raw, "--out", out)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "failed", sum["status"], "a text that does not parse is not a mismatch")
	code, sum, lines = runJSON(t, "release", "--raw", raw, "--out", out, "--date", "2026-11-25")
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "failed", sum["status"])
	require.NotNil(t, errorLine(lines), "the error is a JSON line too")
	assert.Contains(t, errorLine(lines)["msg"], "tk2023-bigtech-scores.txt")

	code, sum, _ = runJSON(t, "build", "--raw", raw, "--out", filepath.Join(t.TempDir(), "b2"))
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "failed", sum["status"], "build --json prints a summary when it fails")

	brokenBuild(t, build)
	code, sum, lines = runJSON(t, "validate", build)
	assert.Equal(t, exitInvalid, code)
	assert.Equal(t, "invalid", sum["status"])
	findings := 0
	for _, l := range lines {
		if l["rule"] == "rule.formats_agree" {
			findings++
			assert.Equal(t, "error", l["severity"])
		}
	}
	assert.NotZero(t, findings, "findings are JSON lines")

	code, sum, _ = runJSON(t, "diff", "--out", out, "v1.0.0", "v9.9.9")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "failed", sum["status"])

	code, _, lines = runJSON(t, "release", "--raw", raw, "--out", out, "--nope")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "release", lines[len(lines)-1]["command"])
	assert.Equal(t, "Run 'standpunten --help' for usage.", errorLine(lines)["hint"])

	// --log-format before the command works too, also for a command that does not exist.
	code, stdout, stderr := runCLI("--log-format", "json", "relase")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	lines = jsonLines(t, stderr)
	assert.Contains(t, errorLine(lines)["msg"], `unknown command "relase"`)
	assert.Equal(t, "end", lines[len(lines)-1]["msg"])
}

func tomorrowUTC() string { return time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02") }

// brokenBuild breaks a foreign key in the CSV copy of a build only.
func brokenBuild(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "csv", "document_parties.csv")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	broken := strings.Replace(string(b), "tk2023-bigtech-scores,bbb,", "tk2023-bigtech-scores,nobody,", 1)
	require.NotEqual(t, string(b), broken)
	require.NoError(t, os.WriteFile(path, []byte(broken), 0o644))
}

// TestTextLogs: the same events, readable: a start line, the error and an end line.
func TestTextLogs(t *testing.T) {
	code, _, stderr := runCLI("validate", filepath.Join(t.TempDir(), "nothing"))
	assert.Equal(t, exitUsage, code)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	require.Len(t, lines, 3, stderr)
	assert.Contains(t, lines[0], "msg=start command=validate")
	assert.Contains(t, lines[1], "standpunten: validate ")
	assert.Contains(t, lines[2], "level=ERROR msg=end command=validate status=failed exit_code=2 duration_ms=")
}

func TestVersionOf(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/standpunten/standpunten", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "f234f175b368f24787baf7b209ef7c0f1a666dc6"}, {Key: "vcs.time", Value: "2026-12-01T10:55:24Z"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "standpunten v1.2.0 (revision f234f175b368f24787baf7b209ef7c0f1a666dc6, 2026-12-01T10:55:24Z, modified; go1.26.8)", versionOf(bi).String())
	bi.Settings = nil
	bi.Main.Version = ""
	assert.Equal(t, "standpunten (devel) (no VCS revision: built outside a git checkout or with -buildvcs=false; go1.26.8)", versionOf(bi).String())

	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, stdout, stderr := runCLI(args...)
		assert.Equal(t, exitOK, code, stderr)
		assert.True(t, strings.HasPrefix(stdout, "standpunten "), stdout)
		assert.Empty(t, stderr)
	}
}

// TestExitCodeTable: the codes of the table in run.go for the cases issue 12 names.
func TestExitCodeTable(t *testing.T) {
	ioErr := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(ioErr, "datapackage.json"), 0o755)) // a folder where a file is read
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"relase"}, exitUsage, "unknown command \"relase\" (commands: release, verify, diff, validate, build, version); did you mean \"release\"?\nRun 'standpunten --help' for usage."},
		{"validate unreadable", []string{"validate", ioErr}, exitInternal, "is a directory"},
		{"validate missing", []string{"validate", filepath.Join(ioErr, "nothing")}, exitUsage, "give the folder of a build or a release"},
		{"date far ahead", []string{"release", "--raw", raw, "--out", out, "--date", "2099-12-31"}, exitUsage, "--date 2099-12-31 is later than tomorrow"},
		{"bad failpoint", []string{"release", "--raw", raw, "--out", out}, exitUsage, "STANDPUNTEN_FAILPOINT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "bad failpoint" {
				t.Setenv(failpointEnv, "after-tables:KILL")
			}
			code, _, stderr := runCLI(tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.want)
			if tc.code == exitInternal {
				assert.NotContains(t, stderr, "--help", "an I/O error is not a usage error")
			}
		})
	}
	assert.NoDirExists(t, filepath.Join(out, "releases"), "nothing was published")

	// --allow-future-date lets it through (a dry run: it would block every later release).
	code, stdout, stderr := runCLI("release", "--raw", raw, "--out", out, "--date", "2099-12-31", "--allow-future-date", "--dry-run")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "dry run: would publish v1.0.0")
	tomorrow := tomorrowUTC()
	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", tomorrow, "--dry-run")
	assert.Equal(t, exitOK, code, "tomorrow is allowed (time zones): %s", stderr)
}

// TestCanceledRun: a run whose context a signal canceled stops, removes its staging folder,
// leaves the output as it was and exits 143 (SIGTERM) or 130 (SIGINT).
func TestCanceledRun(t *testing.T) {
	canceled := func(sig os.Signal) context.Context {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(signalCause{sig})
		return ctx
	}
	runWith := func(ctx context.Context, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"standpunten"}, args...), strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	raw, out := rawCopy(t), filepath.Join(t.TempDir(), "output")
	code, stdout, stderr := runWith(canceled(syscall.SIGTERM), "release", "--raw", raw, "--out", out, "--date", "2026-11-23", "--json", "--log-format", "json")
	assert.Equal(t, exitTerminated, code, stderr)
	assert.Contains(t, stdout, `"status":"canceled","exit_code":143,"error":"stopped by SIGTERM: nothing was published and its staging folder was removed"`)
	lines := jsonLines(t, stderr)
	assert.Equal(t, "SIGTERM", lines[len(lines)-1]["signal"])
	assert.Equal(t, "canceled", lines[len(lines)-1]["status"])
	entries, err := os.ReadDir(filepath.Join(out, "releases"))
	require.NoError(t, err)
	assert.Empty(t, entries, "no release and no staging folder")

	build := filepath.Join(t.TempDir(), "build")
	code, _, stderr = runCLI("build", "--raw", raw, "--out", build)
	require.Equal(t, exitOK, code, stderr)
	before := snapshot(t, build)
	code, _, stderr = runWith(canceled(os.Interrupt), "build", "--raw", raw, "--out", build)
	assert.Equal(t, exitInterrupted, code, stderr)
	assert.Contains(t, stderr, "standpunten: stopped by SIGINT: the output folder was left as it was")
	assert.Equal(t, before, snapshot(t, build), "the old build is untouched")
	left, err := os.ReadDir(filepath.Dir(build))
	require.NoError(t, err)
	assert.Len(t, left, 1, "no staging folder beside the build")

	code, _, stderr = runCLI("release", "--raw", raw, "--out", out, "--date", "2026-11-23")
	require.Equal(t, exitOK, code, "a later run works: %s", stderr)
	code, _, stderr = runWith(canceled(syscall.SIGTERM), "verify", "--raw", raw, "--out", out)
	assert.Equal(t, exitTerminated, code, stderr)
	entries, err = os.ReadDir(filepath.Join(out, "releases"))
	require.NoError(t, err)
	require.Len(t, entries, 1, "verify left no rebuild behind")
	assert.Equal(t, "v1.0.0", entries[0].Name())
	code, _, stderr = runWith(canceled(syscall.SIGTERM), "validate", filepath.Join(out, "latest"))
	assert.Equal(t, exitTerminated, code, stderr)

	// A plain canceled context (no signal) is 130, as for Ctrl-C.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ = runWith(ctx, "validate", filepath.Join(out, "latest"))
	assert.Equal(t, exitInterrupted, code)
	assert.True(t, errors.Is(canceledError{sig: syscall.SIGTERM}, context.Canceled))
}
