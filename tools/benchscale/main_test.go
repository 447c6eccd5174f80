package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONStatus(t *testing.T) {
	assert.Equal(t, "up-to-date", jsonStatus([]byte("\n{\"status\":\"up-to-date\",\"version\":\"1.0.0\",\"validation\":{\"status\":\"x\"}}\n")))
	assert.Equal(t, "published", jsonStatus([]byte(`{"validation":{"status":"nested"},"status":"published"}`)))
	assert.Equal(t, "", jsonStatus([]byte("published v1.0.0\n")))
	assert.Equal(t, "", jsonStatus(nil))
}

func TestReleasesInVersionOrder(t *testing.T) {
	out := t.TempDir()
	for _, v := range []string{"v1.10.0", "v1.2.0", "v1.0.1", "v2.0.0", ".next.staging-1"} {
		require.NoError(t, os.MkdirAll(filepath.Join(out, "releases", v), 0o755))
	}
	assert.Equal(t, []string{"v1.0.1", "v1.2.0", "v1.10.0", "v2.0.0"}, releases(out))
	assert.Nil(t, releases(filepath.Join(out, "missing")))
}

// TestHashTree: the SHA-256 reference reads every byte of every file, in lexical order.
func TestHashTree(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("alpha"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b", "c.txt"), bytes.Repeat([]byte("x"), 3<<20), 0o644))
	sum, n, err := hashTree(dir)
	require.NoError(t, err)
	want := sha256.Sum256(append([]byte("alpha"), bytes.Repeat([]byte("x"), 3<<20)...))
	assert.Equal(t, hex.EncodeToString(want[:]), sum)
	assert.Equal(t, int64(5+3<<20), n)
}

// TestReportTargets: ratios to the references and the targets come out of the steps as measured.
func TestReportTargets(t *testing.T) {
	size := func(name string, rss int64) *SizeResult {
		return &SizeResult{Size: name, Steps: []*Step{
			{Name: "sha256", WallS: 1, CPUS: 1, MaxRSSKB: 10 << 10},
			{Name: "build", WallS: 10, CPUS: 18, MaxRSSKB: rss},
			{Name: "duckdb", WallS: 5, CPUS: 9, MaxRSSKB: 100 << 10},
			{Name: "release-unchanged", WallS: 3, CPUS: 3, MaxRSSKB: 50 << 10},
			{Name: "verify", Exit: 3, Error: "exit 3", WallS: 1},
		}}
	}
	r := &Report{Sizes: []*SizeResult{size("100MB", 200<<10), size("1GB", 400<<10)}}
	r.finish()
	q := r.ratio("1GB", "build")
	assert.InDelta(t, 2.0, q.CPUToDuckDB, 1e-9)
	assert.InDelta(t, 10.0, q.WallToSHA, 1e-9)
	assert.InDelta(t, 1.8, q.CPUPerWall, 1e-9)
	met := map[string]bool{}
	for _, tg := range r.Targets {
		met[tg.What] = tg.Met
		assert.Equal(t, "1GB", tg.Size)
	}
	assert.False(t, met["build CPU time ≤ DuckDB's conversion CPU time"])
	assert.False(t, met["peak RSS of build ≤ 300 MB"])
	assert.False(t, met["peak RSS of build grows ≤ 1.5× from 100MB to 1GB"])
	assert.True(t, met["build uses both cores (CPU/wall ≥ 1.7)"])
	assert.False(t, met["release with nothing changed ≤ 2× the SHA-256 floor (wall)"])
	assert.NotContains(t, met, "peak RSS of verify ≤ 300 MB", "a failed step is not judged")
	assert.Equal(t, []string{"100MB verify: exit 3", "1GB verify: exit 3"}, r.failures())
}

// TestRunnerOutcomes: a step's exit, timeout and signal are told apart, its JSON status read.
func TestRunnerOutcomes(t *testing.T) {
	r := &runner{dir: t.TempDir(), env: os.Environ(), rawBytes: 2e6, timeout: 5 * time.Second, logf: t.Logf}
	ok := r.run("ok", "sh", "-c", `echo '{"status":"built","rows":{}}'`)
	assert.True(t, ok.OK(), ok.Error)
	assert.Equal(t, "built", ok.Status)
	assert.Equal(t, 0, ok.Exit)
	assert.Positive(t, ok.MaxRSSKB)
	assert.Positive(t, ok.MBps)

	bad := r.run("bad", "sh", "-c", "echo 'no such text' >&2; exit 3")
	assert.False(t, bad.OK())
	assert.Equal(t, 3, bad.Exit)
	assert.Equal(t, "stderr: no such text", bad.Error)

	sig := r.run("sig", "sh", "-c", "kill -TERM $$")
	assert.False(t, sig.OK())
	assert.Contains(t, sig.Error, "killed by signal terminated")

	r.timeout = 200 * time.Millisecond
	slow := r.run("slow", "sleep", "5")
	assert.False(t, slow.OK())
	assert.Contains(t, slow.Error, "killed after")

	r.deadline = time.Now().Add(-time.Second)
	late := r.run("late", "true")
	assert.True(t, late.Skipped)
}
