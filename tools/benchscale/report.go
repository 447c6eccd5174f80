package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the whole run: the machine, the commit and every size.
type Report struct {
	Date    string `json:"date"`
	Command string `json:"command"`
	Commit  string `json:"commit"`
	Dirty   bool   `json:"dirty"`
	// Exported: the binary was built from a clean export of Commit (git archive), not the tree.
	Exported   bool          `json:"built_from_export"`
	DirtyPaths int           `json:"dirty_paths"`
	Seed       int64         `json:"seed"`
	Machine    Machine       `json:"machine"`
	Sizes      []*SizeResult `json:"sizes"`
	Ratios     []RatioRow    `json:"ratios"`
	Targets    []Target      `json:"targets"`
}

// Machine is what the figures were measured on.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemoryMB  int64  `json:"memory_mb"`
	Kernel    string `json:"kernel"`
	GoVersion string `json:"go_version"`
	Node      string `json:"node,omitempty"`
	DuckDB    string `json:"duckdb,omitempty"`
}

// RatioRow is one step of one size as ratios to the references of the same size.
type RatioRow struct {
	Size        string  `json:"size"`
	Step        string  `json:"step"`
	WallToSHA   float64 `json:"wall_over_sha256_wall,omitempty"`
	CPUToDuckDB float64 `json:"cpu_over_duckdb_cpu,omitempty"`
	WallToDuck  float64 `json:"wall_over_duckdb_wall,omitempty"`
	CPUPerWall  float64 `json:"cpu_over_wall,omitempty"`
}

// Target is one of issue 10's targets, judged at the largest size measured.
type Target struct {
	What     string `json:"what"`
	Size     string `json:"size"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func newReport(c config) *Report {
	r := &Report{Date: time.Now().UTC().Format(time.RFC3339), Seed: c.seed, Command: "go run ./tools/benchscale " + strings.Join(os.Args[1:], " ")}
	rev := c.rev
	if rev == "" {
		rev = "HEAD"
		if st := strings.TrimSpace(output("git", "status", "--porcelain")); st != "" {
			r.Dirty, r.DirtyPaths = true, len(strings.Split(st, "\n"))
		}
	}
	r.Commit = strings.TrimSpace(output("git", "rev-parse", rev+"^{commit}"))
	r.Exported = c.rev != ""
	r.Machine = Machine{CPUs: runtime.NumCPU(), CPUModel: cpuModel(), MemoryMB: memTotalMB(),
		Kernel: strings.TrimSpace(output("uname", "-sr")), GoVersion: strings.TrimSpace(output("go", "env", "GOVERSION")),
		Node: strings.TrimSpace(output("node", "--version"))}
	return r
}

func output(name string, args ...string) string {
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		return ""
	}
	return string(b)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func memTotalMB() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
			var kb int64
			fmt.Sscan(f[1], &kb)
			return kb / 1024
		}
	}
	return 0
}

// The steps that the RSS target of issue 10 names.
var rssSteps = []string{"build", "validate", "release", "release-unchanged", "release-changed", "verify", "diff"}

// finish computes the ratios and judges the targets.
func (r *Report) finish() {
	r.Ratios = nil
	for _, s := range r.Sizes {
		sha, duck := s.step("sha256"), s.step("duckdb")
		for _, st := range s.Steps {
			if !st.OK() {
				continue
			}
			row := RatioRow{Size: s.Size, Step: st.Name}
			if sha != nil && sha.OK() && sha.WallS > 0 {
				row.WallToSHA = st.WallS / sha.WallS
			}
			if duck != nil && duck.OK() && duck.CPUS > 0 {
				row.CPUToDuckDB = st.CPUS / duck.CPUS
				row.WallToDuck = st.WallS / duck.WallS
			}
			if st.WallS > 0 {
				row.CPUPerWall = st.CPUS / st.WallS
			}
			r.Ratios = append(r.Ratios, row)
		}
	}
	r.Targets = nil
	if len(r.Sizes) == 0 {
		return
	}
	big := r.Sizes[len(r.Sizes)-1]
	ratio := func(size, step string) *RatioRow {
		for i := range r.Ratios {
			if r.Ratios[i].Size == size && r.Ratios[i].Step == step {
				return &r.Ratios[i]
			}
		}
		return nil
	}
	add := func(what, measured string, met bool) {
		r.Targets = append(r.Targets, Target{What: what, Size: big.Size, Measured: measured, Met: met})
	}
	if q := ratio(big.Size, "build"); q != nil && q.CPUToDuckDB > 0 {
		add("build CPU time ≤ DuckDB's conversion CPU time", fmt.Sprintf("%.2f×", q.CPUToDuckDB), q.CPUToDuckDB <= 1)
		add("build wall time ≤ DuckDB's conversion wall time", fmt.Sprintf("%.2f×", q.WallToDuck), q.WallToDuck <= 1)
	}
	for _, name := range rssSteps {
		if st := big.step(name); st != nil && st.OK() {
			add(fmt.Sprintf("peak RSS of %s ≤ 300 MB", name), fmt.Sprintf("%.0f MB", float64(st.MaxRSSKB)/1024), st.MaxRSSKB <= 300*1024)
		}
	}
	if len(r.Sizes) >= 2 {
		prev := r.Sizes[len(r.Sizes)-2]
		for _, name := range rssSteps {
			a, b := prev.step(name), big.step(name)
			if a != nil && b != nil && a.OK() && b.OK() && a.MaxRSSKB > 0 {
				g := float64(b.MaxRSSKB) / float64(a.MaxRSSKB)
				add(fmt.Sprintf("peak RSS of %s grows ≤ 1.5× from %s to %s", name, prev.Size, big.Size), fmt.Sprintf("%.2f×", g), g <= 1.5)
			}
		}
	}
	if q := ratio(big.Size, "build"); q != nil {
		add("build uses both cores (CPU/wall ≥ 1.7)", fmt.Sprintf("%.2f", q.CPUPerWall), q.CPUPerWall >= 1.7)
	}
	if q := ratio(big.Size, "release-unchanged"); q != nil && q.WallToSHA > 0 {
		add("release with nothing changed ≤ 2× the SHA-256 floor (wall)", fmt.Sprintf("%.1f×", q.WallToSHA), q.WallToSHA <= 2)
	}
}

// failures lists the steps that failed, by size.
func (r *Report) failures() []string {
	var out []string
	for _, s := range r.Sizes {
		for _, st := range s.Steps {
			if !st.Skipped && !st.OK() {
				out = append(out, fmt.Sprintf("%s %s: %s", s.Size, st.Name, st.Error))
			}
		}
	}
	return out
}

func (r *Report) ratio(size, step string) RatioRow {
	for _, q := range r.Ratios {
		if q.Size == size && q.Step == step {
			return q
		}
	}
	return RatioRow{}
}

// printTable prints one size's steps with their ratios to the references.
func printTable(w io.Writer, s *SizeResult) {
	fmt.Fprintf(w, "\n%s: %.1f MB raw, %d documents, %d passages\n", s.Size, float64(s.Corpus.Bytes)/1e6, s.Corpus.Documents, s.Rows["passages"])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\twall s\tCPU s\tCPU/wall\tpeak RSS MB\tMB/s\twall÷SHA-256\tCPU÷DuckDB\texit\t")
	rep := &Report{Sizes: []*SizeResult{s}}
	rep.finish()
	for _, st := range s.Steps {
		if st.Skipped {
			fmt.Fprintf(tw, "%s\t\t\t\t\t\t\t\tskipped\t\n", st.Name)
			continue
		}
		q := rep.ratio(s.Size, st.Name)
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%s\t%.0f\t%.1f\t%s\t%s\t%d\t\n", st.Name, st.WallS, st.CPUS, num(q.CPUPerWall, 2), float64(st.MaxRSSKB)/1024, st.MBps,
			num(q.WallToSHA, 1), num(q.CPUToDuckDB, 2), st.Exit)
	}
	tw.Flush()
	for _, st := range s.Steps {
		if !st.Skipped && !st.OK() {
			fmt.Fprintf(w, "  %s failed: %s\n", st.Name, st.Error)
		}
	}
}

func printTargets(w io.Writer, r *Report) {
	fmt.Fprintf(w, "\nTargets of issue 10 at %s:\n", r.Sizes[len(r.Sizes)-1].Size)
	for _, t := range r.Targets {
		mark := "not met"
		if t.Met {
			mark = "met"
		}
		fmt.Fprintf(w, "  %-70s %10s  %s\n", t.What, t.Measured, mark)
	}
}

func num(f float64, prec int) string {
	if f == 0 {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, f)
}

// mdKeep marks the end of the generated part of BENCHMARKS.md: what follows it is kept when the
// file is written again (notes written by hand, such as a profile).
const mdKeep = "<!-- end of generated figures: text below this line is kept when the harness runs again -->"

func (r *Report) write(c config) error {
	if c.js != "" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		if err := writeFile(c.js, append(b, '\n')); err != nil {
			return err
		}
	}
	if c.md != "" {
		kept := ""
		if old, err := os.ReadFile(c.md); err == nil {
			if i := bytes.Index(old, []byte(mdKeep)); i >= 0 {
				kept = string(old[i+len(mdKeep):])
			}
		}
		if err := writeFile(c.md, []byte(r.markdown()+mdKeep+kept)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (r *Report) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Benchmarks\n\n")
	p("The scale benchmark of issue 10, as `make bench-scale` (`go run ./tools/benchscale`) wrote it on %s. ", r.Date[:10])
	p("Every figure comes from one run of the harness: each step is a child process measured from its rusage, ")
	p("and the two references (SHA-256 over the corpus, DuckDB converting the build's CSVs) were measured in the same run ")
	p("on the same corpus. `benchmarks/scale.json` holds the same figures and more (load averages, commands).\n\n")
	dirty := "the working tree, clean"
	switch {
	case r.Exported:
		dirty = "built from a clean export of the commit (`git archive`)"
	case r.Dirty:
		dirty = fmt.Sprintf("the working tree, **dirty**: %d paths changed or untracked", r.DirtyPaths)
	}
	p("| machine | |\n|---|---|\n")
	p("| CPUs (`nproc`) | %d |\n| CPU | %s |\n| memory | %.1f GB |\n| kernel | %s |\n| Go | %s |\n", r.Machine.CPUs, r.Machine.CPUModel,
		float64(r.Machine.MemoryMB)/1024, r.Machine.Kernel, r.Machine.GoVersion)
	if r.Machine.DuckDB != "" {
		p("| DuckDB | %s, Node %s |\n", r.Machine.DuckDB, r.Machine.Node)
	}
	p("| commit | `%s` (%s) |\n| corpus | `internal/gencorpus`, seed %d |\n| command | `%s` |\n\n", r.Commit, dirty, r.Seed, r.Command)
	for _, s := range r.Sizes {
		p("## %s\n\n", s.Size)
		p("%.1f MB of raw text in %d documents (%s); the build wrote %d passages. ", float64(s.Corpus.Bytes)/1e6, s.Corpus.Documents,
			layouts(s.Corpus.ByLayout), s.Rows["passages"])
		p("Generating it took %.1f s. The release after a change had one word of `%s` changed.\n\n", s.Corpus.GenerateS, s.EditedFile)
		p("| step | wall s | CPU s | CPU/wall | peak RSS MB | MB/s | wall ÷ SHA-256 | CPU ÷ DuckDB | load before/after | outcome |\n")
		p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, st := range s.Steps {
			if st.Skipped {
				p("| %s | | | | | | | | | skipped: %s |\n", st.Name, st.Error)
				continue
			}
			q := r.ratio(s.Size, st.Name)
			outcome := fmt.Sprintf("exit %d", st.Exit)
			if st.Exit < 0 {
				outcome = "did not finish"
			}
			if st.Status != "" {
				outcome += ", " + st.Status
			}
			if st.Error != "" {
				outcome += ": " + strings.ReplaceAll(st.Error, "|", "\\|")
			}
			p("| %s | %.2f | %.2f | %s | %.0f | %.1f | %s | %s | %.1f / %.1f | %s |\n", st.Name, st.WallS, st.CPUS, num(q.CPUPerWall, 2),
				float64(st.MaxRSSKB)/1024, st.MBps, num(q.WallToSHA, 1), num(q.CPUToDuckDB, 2), st.Load1Before, st.Load1After, outcome)
		}
		p("\n")
	}
	if len(r.Targets) > 0 {
		p("## Targets of issue 10\n\nJudged at the largest size of this run (%s); the targets are set for 1 GB.\n\n", r.Sizes[len(r.Sizes)-1].Size)
		p("| target | measured | met |\n|---|---:|---|\n")
		for _, t := range r.Targets {
			met := "no"
			if t.Met {
				met = "yes"
			}
			p("| %s | %s | %s |\n", t.What, t.Measured, met)
		}
		p("\n")
	}
	p("## How to read it\n\n")
	p("- **wall s**, **CPU s** (user + system), **peak RSS** (`Maxrss`) are the child process's own, from `wait4`; ")
	p("**MB/s** is the raw corpus (10⁶ bytes) over the wall time; **CPU/wall** near 2 means both cores were busy.\n")
	p("- **wall ÷ SHA-256**: the step's wall time over that of reading and hashing every byte of the corpus ")
	p("(`benchscale -hash`, one core): the floor for anything that must look at every byte.\n")
	p("- **CPU ÷ DuckDB**: the step's CPU time over DuckDB's (2 threads) for converting the build's six CSV tables ")
	p("to Parquet (zstd) and JSON arrays: what a user's own tool spends on the same rows.\n")
	p("- The corpus is read from a warm page cache (it was just written). The machine is shared: the load averages ")
	p("before and after each step show how busy it was; a load above %d (the cores) stretches wall times, ", r.Machine.CPUs)
	p("CPU times much less.\n")
	p("- Steps: `build` → `validate` (with `--sources`, every passage against its raw text) → `duckdb` (reference) → ")
	p("`release` (first, into an empty output folder) → `release-unchanged` (must say up to date) → `release-changed` ")
	p("(one word of one text changed in a hard-linked copy of the corpus) → `verify` → `diff` (first release against the second).\n\n")
	return b.String()
}

func layouts(m map[string]int) string {
	var parts []string
	for _, l := range []string{"party-summaries", "score-overview", "programme-chapter", "pledge-document", "programme-text"} {
		if m[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[l], l))
		}
	}
	return strings.Join(parts, ", ")
}
