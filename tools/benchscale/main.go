// Command benchscale is the scale benchmark of issue 10. It builds the standpunten command once,
// generates a synthetic corpus of each size (internal/gencorpus) and runs on it, each as a child
// process measured from its rusage (wall time, user+system CPU time, peak RSS):
//
//	build, validate (with --sources), a first release into a fresh output folder, a release with
//	nothing changed, a release after one word of one text changed (in a hard-linked copy of the
//	corpus), verify, and diff between the two releases;
//
// and, in the same run, two references: SHA-256 over every byte of the corpus (the floor: read and
// hash) and DuckDB (@duckdb/node-api of the conformance suite, 2 threads) converting the build's CSV
// tables to Parquet (zstd) and JSON arrays. It prints a table per size with each figure as a ratio
// to the references and writes BENCHMARKS.md and benchmarks/scale.json.
//
//	go run ./tools/benchscale [-sizes 10MB,100MB,1GB] [-seed 1] [-work DIR] [-keep]
//	                          [-md BENCHMARKS.md] [-json benchmarks/scale.json] [-step-timeout 30m]
//	                          [-size-budget 0] [-modules conformance] [-threads 2] [-rev HEAD]
//
// Run it from the repository root. It measures the commit -rev (HEAD by default), built from a
// clean export of its tree, so that uncommitted work in the tree is not measured; -rev "" builds
// the working tree as it is (BENCHMARKS.md then says whether it was dirty). -md "" and -json "" write nothing (the smoke pass of CI). It
// exits 1 when a step failed or did not give the expected outcome (published, up to date,
// published, verified), 2 on bad flags.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/standpunten/standpunten/internal/gencorpus"
)

// Release dates of the runs: fixed, in the past, so the outputs do not depend on the day.
const (
	firstDate  = "2026-11-01"
	secondDate = "2026-11-02"
)

type config struct {
	sizes   []int64
	seed    int64
	work    string
	keep    bool
	md, js  string
	timeout time.Duration
	modules string
	threads int
	rev     string // the commit to build and measure; "" for the working tree as it is
	budget  time.Duration
	schemas string // the schemas of the binary under test
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchscale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sizes := fs.String("sizes", "10MB,100MB,1GB", "comma-separated corpus sizes (KB, MB, GB, KiB, MiB, GiB)")
	seed := fs.Int64("seed", 1, "seed of the generated corpora")
	work := fs.String("work", filepath.Join(os.TempDir(), "standpunten-benchscale"), "folder for the binary, the corpora and the outputs")
	keep := fs.Bool("keep", false, "keep each size's corpus and outputs in -work (default: remove them when the size is done)")
	md := fs.String("md", "BENCHMARKS.md", "Markdown report to write (\"\": none)")
	js := fs.String("json", filepath.Join("benchmarks", "scale.json"), "JSON results to write (\"\": none)")
	timeout := fs.Duration("step-timeout", 30*time.Minute, "kill a step that runs longer")
	budget := fs.Duration("size-budget", 0, "time for all steps of one size, from the end of its generation: a step still running at the end is killed, later ones are skipped (0: none)")
	modules := fs.String("modules", "conformance", "folder whose node_modules holds @duckdb/node-api (\"\": no DuckDB reference)")
	threads := fs.Int("threads", 2, "DuckDB threads")
	rev := fs.String("rev", "HEAD", "commit to measure: its tree is exported (git archive) and built; \"\" builds the working tree as it is")
	hash := fs.String("hash", "", "internal: print the SHA-256 over every file of this folder and exit (the SHA-256 reference step)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *hash != "" {
		sum, n, err := hashTree(*hash)
		if err != nil {
			fmt.Fprintln(stderr, "benchscale:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%s  %d bytes\n", sum, n)
		return 0
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "benchscale: no arguments are taken, got %q\n", fs.Args())
		return 2
	}
	c := config{seed: *seed, work: *work, keep: *keep, md: *md, js: *js, timeout: *timeout, modules: *modules, threads: *threads, rev: *rev, budget: *budget}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := gencorpus.ParseSize(s)
		if err != nil {
			fmt.Fprintln(stderr, "benchscale:", err)
			return 2
		}
		c.sizes = append(c.sizes, n)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		fmt.Fprintln(stderr, "benchscale: run it from the repository root (no go.mod here)")
		return 2
	}
	rep, err := bench(c, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "benchscale:", err)
		return 1
	}
	if failed := rep.failures(); len(failed) > 0 {
		fmt.Fprintf(stderr, "benchscale: %d step(s) failed:\n  %s\n", len(failed), strings.Join(failed, "\n  "))
		return 1
	}
	return 0
}

// bench runs every size and writes the report after each, so a run stopped at 1 GB keeps the
// smaller sizes' figures.
func bench(c config, stdout, stderr io.Writer) (*Report, error) {
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return nil, err
	}
	work, err := filepath.Abs(c.work)
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(work, "bin", "standpunten")
	src := "."
	if c.rev != "" {
		// Resolve the commit once, so the report names the commit that was built.
		hash, err := exec.Command("git", "rev-parse", "--verify", c.rev+"^{commit}").Output()
		if err != nil {
			return nil, fmt.Errorf("git rev-parse %s: %v", c.rev, err)
		}
		c.rev = strings.TrimSpace(string(hash))
		// Build the commit, not the working tree: in a shared tree, others' unfinished changes
		// would be measured too.
		src = filepath.Join(work, "src")
		if err := os.RemoveAll(src); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(src, 0o755); err != nil {
			return nil, err
		}
		logf("benchscale: git archive %s | tar -x -C %s", c.rev, src)
		archive := exec.Command("sh", "-c", `git archive --format=tar "$1" | tar -x -C "$2"`, "sh", c.rev, src)
		if out, err := archive.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("git archive %s: %v\n%s", c.rev, err, out)
		}
	}
	logf("benchscale: go build -o %s ./cmd/standpunten (in %s)", bin, src)
	gb := exec.Command("go", "build", "-o", bin, "./cmd/standpunten")
	gb.Dir = src
	if out, err := gb.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	c.schemas = filepath.Join(src, "schemas")
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	rep := newReport(c)
	if c.modules != "" {
		if _, err := exec.LookPath("node"); err != nil {
			logf("benchscale: node not found: the DuckDB reference is skipped")
			c.modules = ""
		} else if _, err := os.Stat(filepath.Join(c.modules, "node_modules", "@duckdb", "node-api")); err != nil {
			return nil, fmt.Errorf("no @duckdb/node-api in %s/node_modules: run npm ci --prefix %s (or pass -modules \"\" to skip the DuckDB reference)", c.modules, c.modules)
		}
	}
	rep.Machine.DuckDB = duckdbVersion(c.modules)
	for _, size := range c.sizes {
		res, err := benchSize(c, work, bin, self, size, logf)
		if err != nil {
			return rep, err
		}
		rep.Sizes = append(rep.Sizes, res)
		rep.finish()
		printTable(stdout, res)
		if err := rep.write(c); err != nil {
			return rep, err
		}
	}
	if len(rep.Sizes) > 0 {
		printTargets(stdout, rep)
	}
	return rep, nil
}

// SizeResult is everything measured at one corpus size.
type SizeResult struct {
	Size        string           `json:"size"`
	TargetBytes int64            `json:"target_bytes"`
	Corpus      Corpus           `json:"corpus"`
	Rows        map[string]int64 `json:"rows,omitempty"`
	EditedFile  string           `json:"edited_file,omitempty"`
	Releases    []string         `json:"releases,omitempty"`
	Steps       []*Step          `json:"steps"`
}

// Corpus describes the generated corpus of a size.
type Corpus struct {
	Documents int            `json:"documents"`
	Files     int            `json:"files"`
	Bytes     int64          `json:"bytes"`
	ByLayout  map[string]int `json:"documents_by_layout"`
	Passages  int            `json:"passages_written"`
	GenerateS float64        `json:"generate_wall_s"`
}

func (s *SizeResult) step(name string) *Step {
	for _, st := range s.Steps {
		if st.Name == name {
			return st
		}
	}
	return nil
}

func benchSize(c config, work, bin, self string, size int64, logf func(string, ...any)) (*SizeResult, error) {
	name := gencorpus.FormatSize(size)
	dir := filepath.Join(work, name)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	raw := filepath.Join(dir, "raw")
	logf("benchscale: %s: generating the corpus (seed %d) in %s", name, c.seed, raw)
	o := gencorpus.Options{Seed: c.seed, Bytes: size}
	t0 := time.Now()
	st, err := gencorpus.Write(raw, o)
	if err != nil {
		return nil, err
	}
	res := &SizeResult{Size: name, TargetBytes: size, Corpus: Corpus{Documents: st.Documents, Files: st.Files, Bytes: st.Bytes,
		ByLayout: st.ByLayout, Passages: st.Passages, GenerateS: time.Since(t0).Seconds()}}
	logf("benchscale: %s: %d documents, %d bytes in %.1f s", name, st.Documents, st.Bytes, res.Corpus.GenerateS)
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	r := &runner{dir: dir, env: append(os.Environ(), "TMPDIR="+tmp), rawBytes: st.Bytes, timeout: c.timeout, logf: logf}
	if c.budget > 0 {
		r.deadline = time.Now().Add(c.budget)
	}
	add := func(s *Step) *Step { res.Steps = append(res.Steps, s); return s }
	expect := func(s *Step, status string) {
		if s.OK() && status != "" && s.Status != status {
			s.Error = fmt.Sprintf("expected status %q, got %q", status, s.Status)
		}
	}
	build, out := filepath.Join(dir, "build"), filepath.Join(dir, "output")
	add(r.run("sha256", self, "-hash", raw))
	b := add(r.run("build", bin, "build", "--raw", raw, "--out", build, "--json"))
	if b.OK() {
		res.Rows = buildRows(filepath.Join(dir, "logs", "build.out"))
		add(r.run("validate", bin, "validate", "--json", "--sources", dir, build))
		if c.modules != "" {
			add(r.run("duckdb", "node", filepath.Join("tools", "benchscale", "duckdb.mjs"), "--modules", c.modules, "--schemas", c.schemas,
				"--threads", strconv.Itoa(c.threads), build, filepath.Join(dir, "duckdb")))
		} else {
			add(skipped("duckdb", "no DuckDB (-modules \"\" or no node)"))
		}
	} else {
		add(skipped("validate", after(b)))
		add(skipped("duckdb", after(b)))
	}
	var rel *Step
	if b.OK() {
		rel = add(r.run("release", bin, "release", "--raw", raw, "--out", out, "--date", firstDate, "--json", "--notes", "Scale benchmark: first release."))
		expect(rel, "published")
	} else {
		// A release builds too: it would fail, or run into the same timeout.
		rel = add(skipped("release", after(b)))
	}
	if rel.OK() {
		expect(add(r.run("release-unchanged", bin, "release", "--raw", raw, "--out", out, "--date", firstDate, "--json", "--notes", "Scale benchmark: nothing changed.")), "up-to-date")
	} else {
		add(skipped("release-unchanged", after(rel)))
	}
	edited := filepath.Join(dir, "edited", "raw")
	if err := gencorpus.LinkCopy(raw, edited); err != nil {
		return nil, err
	}
	file, err := gencorpus.Edit(edited, o)
	if err != nil {
		return nil, err
	}
	res.EditedFile = file
	if rel.OK() {
		ch := add(r.run("release-changed", bin, "release", "--raw", edited, "--out", out, "--date", secondDate, "--json",
			"--notes", "Scale benchmark: one word of "+file+" changed."))
		expect(ch, "published")
		add(r.run("verify", bin, "verify", "--raw", edited, "--out", out, "--json"))
		res.Releases = releases(out)
		if len(res.Releases) >= 2 {
			add(r.run("diff", bin, "diff", "--out", out, "--json", res.Releases[0], res.Releases[len(res.Releases)-1]))
		} else {
			add(skipped("diff", fmt.Sprintf("%d release(s) in %s", len(res.Releases), out)))
		}
	} else {
		for _, n := range []string{"release-changed", "verify", "diff"} {
			add(skipped(n, after(rel)))
		}
	}
	if !c.keep {
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// after says why a step is skipped after s did not succeed.
func after(s *Step) string {
	if s.Skipped {
		return s.Error
	}
	return s.Name + " did not succeed"
}

// buildRows reads the row counts from build --json.
func buildRows(path string) map[string]int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var v struct {
		Rows map[string]int64 `json:"rows"`
	}
	if json.Unmarshal(b, &v) != nil {
		return nil
	}
	return v.Rows
}

// releases lists the release folders under out/releases, oldest version first.
func releases(out string) []string {
	entries, err := os.ReadDir(filepath.Join(out, "releases"))
	if err != nil {
		return nil
	}
	var vs []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "v") {
			vs = append(vs, e.Name())
		}
	}
	num := func(v string) [3]int {
		var n [3]int
		for i, p := range strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3) {
			n[i], _ = strconv.Atoi(p)
		}
		return n
	}
	sort.Slice(vs, func(i, j int) bool {
		a, b := num(vs[i]), num(vs[j])
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	return vs
}

// hashTree reads every regular file under dir (in lexical order) into one SHA-256.
func hashTree(dir string) (string, int64, error) {
	h := sha256.New()
	buf := make([]byte, 1<<20)
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		k, err := io.CopyBuffer(h, f, buf)
		n += k
		return err
	})
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func duckdbVersion(modules string) string {
	if modules == "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(modules, "node_modules", "@duckdb", "node-api", "package.json"))
	if err != nil {
		return ""
	}
	var v struct {
		Version string `json:"version"`
	}
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return "@duckdb/node-api " + v.Version
}
