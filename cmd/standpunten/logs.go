package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/standpunten/standpunten/pipeline/validate"
)

// Log formats on stderr.
const (
	logText = "text"
	logJSON = "json"
)

// session is one invocation of the command: its log on stderr (a start line, the pipeline's own
// lines, findings and warnings, the error line and an end line), its --json summary on stdout
// and its exit code. Commands fill it; run ends it once.
type session struct {
	stdout, stderr io.Writer
	began          time.Time
	format         string // logText or logJSON
	log            *slog.Logger
	command        string // the subcommand, once one was chosen
	started        bool   // the start line is written
	json           bool   // print the summary as one JSON line on stdout
	summary        summary
	status         string // what the command did: published, built, verified, … ("" until it succeeded)
	failStatus     string // the status of a failure the command can name (mismatch, invalid); "failed" otherwise
	rawBytes       int64  // bytes of raw text the run read, when known (0: not known)
}

func newSession(args []string, stdout, stderr io.Writer) *session {
	s := &session{stdout: stdout, stderr: stderr, began: time.Now()}
	// Until the flags are parsed (and when parsing fails) the log format and --json are what the
	// arguments spell out, so that a refused command line is logged as asked, too.
	format, asJSON := scanArgs(args)
	s.setFormat(format)
	s.json = asJSON
	return s
}

// scanArgs finds --log-format and --json in raw arguments, before "--".
func scanArgs(args []string) (format string, asJSON bool) {
	format = logText
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "log-format":
			if !hasVal && i+1 < len(args) {
				val = args[i+1]
				i++
			}
			if val == logJSON {
				format = logJSON
			}
		case "json":
			asJSON = !hasVal || val == "true"
		}
	}
	return format, asJSON
}

// setFormat makes the logger write format (logText or logJSON; anything else is text).
func (s *session) setFormat(format string) {
	if format != logJSON {
		format = logText
	}
	s.format = format
	var h slog.Handler
	if format == logJSON {
		h = slog.NewJSONHandler(s.stderr, nil)
	} else {
		h = slog.NewTextHandler(s.stderr, nil)
	}
	s.log = slog.New(uniqueKeys{next: h})
}

// begin starts a command: it takes the parsed log format and --json, and writes the start line
// with the command, its options, the version and the process id.
func (s *session) begin(command, format string, asJSON bool, options ...slog.Attr) error {
	s.command = command
	s.json = asJSON
	if format != logText && format != logJSON {
		return usageError{fmt.Errorf("--log-format %q: use text or json", format)}
	}
	s.setFormat(format)
	v := readVersion()
	attrs := []any{"command", command, "version", v.Module}
	if v.Revision != "" {
		attrs = append(attrs, "revision", v.Revision)
	}
	if v.Modified {
		attrs = append(attrs, "modified", true)
	}
	attrs = append(attrs, "pid", os.Getpid(), slog.GroupAttrs("options", options...))
	s.log.Info("start", attrs...)
	s.started = true
	return nil
}

// end writes the error line, the --json summary and the end line, and returns the exit code.
// A run that received SIGINT or SIGTERM exits 130 or 143, whatever it had done by then.
func (s *session) end(ctx context.Context, err error) int {
	sig := signalOf(ctx)
	if sig != nil && err != nil {
		err = canceledError{sig: sig, command: s.command, err: err}
	}
	code := exitCode(err)
	if sig != nil && err == nil {
		code = signalExitCode(sig)
		s.log.Warn("received "+signalName(sig)+" too late to stop cleanly: the run finished its work first", "signal", signalName(sig))
	}
	status := s.status
	switch {
	case err != nil && errors.Is(err, context.Canceled):
		status = "canceled"
	case err != nil && s.failStatus != "":
		status = s.failStatus
	case err != nil:
		status = "failed"
	}
	if err != nil {
		s.errorLine(err, code)
	}
	if s.json {
		sum := s.summary
		if sum == nil {
			sum = &outcome{}
		}
		sum.setOutcome(status, code, err)
		if werr := encodeJSON(s.stdout, sum); werr != nil && code == exitOK {
			s.errorLine(fmt.Errorf("write the summary: %w", werr), exitInternal)
			code = exitInternal
		}
	}
	if s.started || err != nil {
		s.endLine(status, code, sig)
	}
	return code
}

// errorLine reports the error that decides the exit code: in text as "standpunten: …" (and the
// usage hint), in JSON as one object.
func (s *session) errorLine(err error, code int) {
	var ue usageError
	hint := ""
	if code == exitUsage && errors.As(err, &ue) {
		hint = "Run 'standpunten --help' for usage."
	}
	if s.format == logJSON {
		attrs := []any{"exit_code", code}
		if s.command != "" {
			attrs = append([]any{"command", s.command}, attrs...)
		}
		if hint != "" {
			attrs = append(attrs, "hint", hint)
		}
		s.log.Error(err.Error(), attrs...)
		return
	}
	fmt.Fprintf(s.stderr, "standpunten: %v\n", indentJoined(err))
	if hint != "" {
		fmt.Fprintln(s.stderr, hint)
	}
}

// endLine is the last line of every run: outcome, exit code, duration and, where the run read raw
// texts, their size and the throughput.
func (s *session) endLine(status string, code int, sig os.Signal) {
	d := time.Since(s.began)
	attrs := []any{}
	if s.command != "" {
		attrs = append(attrs, "command", s.command)
	}
	attrs = append(attrs, "status", status, "exit_code", code, "duration_ms", d.Milliseconds())
	if s.rawBytes > 0 && d > 0 {
		attrs = append(attrs, "raw_bytes", s.rawBytes, "raw_mb_per_s", round2(float64(s.rawBytes)/1e6/d.Seconds()))
	}
	if sig != nil {
		attrs = append(attrs, "signal", signalName(sig))
	}
	level := slog.LevelInfo
	if code != exitOK {
		level = slog.LevelError
	}
	s.log.Log(context.Background(), level, "end", attrs...)
}

func round2(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}

// findings reports the errors of a validation report on stderr: in text one line each, as
// "error: file: table key [rule] message (value "…")"; in JSON one object each.
func (s *session) findings(r validate.Report) {
	for _, f := range r.Findings {
		if f.Severity != validate.Error {
			continue
		}
		key := strings.ReplaceAll(f.Key, "\x1f", "/")
		if s.format == logJSON {
			attrs := []any{"severity", string(f.Severity), "rule", f.Rule, "table", f.Table, "key", key}
			for _, kv := range [][2]string{{"field", f.Field}, {"value", f.Value}, {"source", f.Source}} {
				if kv[1] != "" {
					attrs = append(attrs, kv[0], kv[1])
				}
			}
			s.log.Error(f.Message, attrs...)
			continue
		}
		where := f.Table + " " + key
		if f.Source != "" {
			where = f.Source + ": " + where
		}
		fmt.Fprintf(s.stderr, "%s: %s [%s] %s", f.Severity, where, f.Rule, f.Message)
		if f.Value != "" {
			fmt.Fprintf(s.stderr, " (value %q)", f.Value)
		}
		fmt.Fprintln(s.stderr)
	}
}

// uniqueKeys is a slog handler that never writes a key twice in one line: an attribute named
// like a built-in key (time, level, msg, source) or like an attribute before it gets a numbered
// name (level_2). JSON decoders keep only one of two equal keys, so a line with both would lose
// one. It renames at the top level, where the pipeline's packages log; attributes inside a
// group are passed on as they are.
type uniqueKeys struct {
	next  slog.Handler
	attrs []slog.Attr // top-level attributes added by WithAttrs, already unique
	group bool        // a group is open: attributes go into it unchanged
}

func (h uniqueKeys) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h uniqueKeys) Handle(ctx context.Context, r slog.Record) error {
	if h.group {
		return h.next.Handle(ctx, r)
	}
	seen := map[string]bool{slog.TimeKey: true, slog.LevelKey: true, slog.MessageKey: true, slog.SourceKey: true}
	for _, a := range h.attrs {
		seen[a.Key] = true
	}
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		a.Key = uniqueKey(seen, a.Key)
		out.AddAttrs(a)
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h uniqueKeys) WithAttrs(as []slog.Attr) slog.Handler {
	if h.group {
		return uniqueKeys{next: h.next.WithAttrs(as), group: true}
	}
	seen := map[string]bool{slog.TimeKey: true, slog.LevelKey: true, slog.MessageKey: true, slog.SourceKey: true}
	for _, a := range h.attrs {
		seen[a.Key] = true
	}
	renamed := make([]slog.Attr, len(as))
	for i, a := range as {
		a.Key = uniqueKey(seen, a.Key)
		renamed[i] = a
	}
	return uniqueKeys{next: h.next.WithAttrs(renamed), attrs: append(append([]slog.Attr{}, h.attrs...), renamed...)}
}

func (h uniqueKeys) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return uniqueKeys{next: h.next.WithGroup(name), group: true}
}

// uniqueKey returns key, or key_2, key_3, … when key is taken, and marks the result taken.
func uniqueKey(seen map[string]bool, key string) string {
	k := key
	for n := 2; seen[k]; n++ {
		k = key + "_" + strconv.Itoa(n)
	}
	seen[k] = true
	return k
}

// encodeJSON writes v as one line of JSON: a scheduler can append the summaries of its runs to
// one file and read it as JSON lines.
func encodeJSON(w io.Writer, v any) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
