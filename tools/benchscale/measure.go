package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Step is one measured child process.
type Step struct {
	Name    string   `json:"name"`
	Command []string `json:"command"`
	// Exit is the child's exit status (-1: it did not finish, see Error).
	Exit     int     `json:"exit"`
	WallS    float64 `json:"wall_s"`
	UserS    float64 `json:"user_s"`
	SysS     float64 `json:"sys_s"`
	CPUS     float64 `json:"cpu_s"`
	MaxRSSKB int64   `json:"max_rss_kib"`
	// MBps is the raw corpus (MB, 10^6 bytes) over the wall time.
	MBps float64 `json:"mb_per_s"`
	// Status is the "status" of the child's JSON summary on stdout, where it prints one.
	Status string `json:"status,omitempty"`
	// Load1Before and Load1After are the one-minute load averages around the step: the machine is
	// shared, and a load above the number of cores stretches wall times.
	Load1Before float64 `json:"load1_before"`
	Load1After  float64 `json:"load1_after"`
	Error       string  `json:"error,omitempty"`
	Skipped     bool    `json:"skipped,omitempty"`
}

// OK reports whether the step ran and exited 0.
func (s *Step) OK() bool { return !s.Skipped && s.Exit == 0 && s.Error == "" }

// runner runs the steps of one corpus size.
type runner struct {
	dir      string // the size's work folder: logs go to dir/logs
	env      []string
	rawBytes int64
	timeout  time.Duration
	deadline time.Time // zero: none; past it, the remaining steps are skipped
	logf     func(format string, args ...any)
}

// run starts argv as a child process in the repository, waits for it (killing it after the
// timeout) and measures it from its rusage: wall time, user and system CPU time, peak RSS.
// stdout and stderr go to dir/logs/NAME.{out,err}.
func (r *runner) run(name string, argv ...string) *Step {
	timeout := r.timeout
	if !r.deadline.IsZero() {
		left := time.Until(r.deadline)
		if left <= 0 {
			return skipped(name, "the size's time budget (-size-budget) was used up")
		}
		timeout = min(timeout, left)
	}
	st := &Step{Name: name, Command: argv, Exit: -1, Load1Before: load1()}
	logs := filepath.Join(r.dir, "logs")
	if err := os.MkdirAll(logs, 0o755); err != nil {
		st.Error = err.Error()
		return st
	}
	outF, err := os.Create(filepath.Join(logs, name+".out"))
	if err != nil {
		st.Error = err.Error()
		return st
	}
	defer outF.Close()
	errF, err := os.Create(filepath.Join(logs, name+".err"))
	if err != nil {
		st.Error = err.Error()
		return st
	}
	defer errF.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = r.env
	cmd.Stdout, cmd.Stderr = outF, errF
	r.logf("  %-18s %s", name, strings.Join(argv, " "))
	start := time.Now()
	runErr := cmd.Run()
	st.WallS = time.Since(start).Seconds()
	st.Load1After = load1()
	if ps := cmd.ProcessState; ps != nil {
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			st.UserS = tv(ru.Utime)
			st.SysS = tv(ru.Stime)
			st.CPUS = st.UserS + st.SysS
			st.MaxRSSKB = ru.Maxrss // KiB on Linux
		}
		st.Exit = ps.ExitCode()
	}
	if st.WallS > 0 {
		st.MBps = float64(r.rawBytes) / 1e6 / st.WallS
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		st.Error = fmt.Sprintf("killed after %s (-step-timeout or -size-budget)", timeout.Round(time.Second))
	case signaled(cmd.ProcessState) != "":
		st.Error = "killed by signal " + signaled(cmd.ProcessState) + " (not by the harness)"
	case runErr != nil && st.Exit > 0:
		st.Error = "stderr: " + tail(filepath.Join(logs, name+".err"), 600)
	case runErr != nil:
		st.Error = runErr.Error()
	}
	if b, err := os.ReadFile(filepath.Join(logs, name+".out")); err == nil {
		st.Status = jsonStatus(b)
	}
	r.logf("  %-18s wall %.1f s, cpu %.1f s, rss %d MB, exit %d %s", "", st.WallS, st.CPUS, st.MaxRSSKB/1024, st.Exit, st.Status)
	return st
}

// signaled names the signal that ended a process, or "".
func signaled(ps *os.ProcessState) string {
	if ps == nil {
		return ""
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ws.Signal().String()
	}
	return ""
}

func skipped(name, why string) *Step {
	return &Step{Name: name, Exit: -1, Skipped: true, Error: why}
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// load1 is the one-minute load average, or 0 where /proc/loadavg cannot be read.
func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

// tail returns the last n bytes of a file, on one line.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// jsonStatus is the top-level "status" of a child's JSON summary: its first line that is a JSON
// object.
func jsonStatus(b []byte) string {
	for _, l := range bytes.Split(b, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 || l[0] != '{' {
			continue
		}
		var v struct {
			Status string `json:"status"`
		}
		_ = json.Unmarshal(l, &v)
		return v.Status
	}
	return ""
}
