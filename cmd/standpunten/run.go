package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// Exit codes: the one table, repeated in --help and the README.
const (
	exitOK          = 0   // built, published, up to date, valid, verified
	exitInternal    = 1   // a bug or an I/O failure: see the message
	exitUsage       = 2   // bad command line or registry file (sources.toml, parties.toml, elections.toml, dataset.toml)
	exitInvalid     = 3   // a raw text was rejected, validation failed, or a release does not match its rebuild; nothing was written
	exitLocked      = 4   // another run holds the output folder's lock
	exitInterrupted = 130 // stopped by SIGINT (128 + 2)
	exitTerminated  = 143 // stopped by SIGTERM (128 + 15)
)

const exitCodeHelp = `EXIT CODES:
   0    success: built, published, up to date, valid or verified
   1    internal error: a bug or an I/O failure (an unreadable file or folder, a full disk); the message says which
   2    usage or configuration error: an unknown command, bad flags or arguments (a --date later than tomorrow
        needs --allow-future-date), or a problem in raw/sources.toml, parties.toml, elections.toml or dataset.toml
   3    input rejected or check failed: a raw text could not be read or parsed, the tables broke a check, or a
        release does not match its rebuild; nothing was published
   4    locked: another run holds the output folder's lock (release --wait DURATION waits for it)
   130  stopped by SIGINT (Ctrl-C): the staging folder is removed, nothing half-written stays; a release whose
        folder was already in place gets CHANGELOG.md and latest updated before the exit
   143  stopped by SIGTERM: the same`

type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps an error to the exit-code table.
func exitCode(err error) int {
	var ue usageError
	var ce canceledError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ce):
		return signalExitCode(ce.sig)
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.Is(err, model.ErrConfig):
		return exitUsage
	case errors.Is(err, model.ErrLocked):
		return exitLocked
	case errors.Is(err, model.ErrInput), errors.Is(err, model.ErrInvalid):
		return exitInvalid
	}
	return exitInternal
}

// buildOptions are the options of the build command, checked before work starts.
type buildOptions struct {
	Raw      string
	Out      string
	MaxBytes int64
	JSON     bool
	Progress string // auto, always or never (--progress)
}

func (o buildOptions) check() error {
	if o.Raw == "" || o.Out == "" {
		return usageError{errors.New("--raw and --out must not be empty")}
	}
	if o.MaxBytes < 0 {
		return usageError{errors.New("--max-bytes must be positive")}
	}
	return checkProgress(o.Progress)
}

func (o buildOptions) logAttrs() []slog.Attr {
	return []slog.Attr{slog.String("raw", o.Raw), slog.String("out", o.Out), slog.Int64("max_bytes", o.MaxBytes), slog.Bool("json", o.JSON), slog.String("progress", o.Progress)}
}

// commandNames are the subcommands, for the message about an unknown one.
var commandNames = []string{"release", "verify", "diff", "validate", "build", "version"}

// run is the testable entry point: it parses args, runs the command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := newSession(args, stdout, stderr)
	usage := func(_ context.Context, cmd *cli.Command, err error, _ bool) error {
		if cmd.Root() != cmd {
			s.command = cmd.Name
		}
		return usageError{err}
	}
	app := &cli.Command{
		Name:            "standpunten",
		Usage:           "build and publish the dataset of Dutch parties' positions on digital policy",
		Description:     exitCodeHelp,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		HideVersion:     true,
		Reader:          stdin,
		ExitErrHandler:  func(context.Context, *cli.Command, error) {},
		OnUsageError:    usage,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log-format", Value: logText, Usage: "log format on stderr: text or json (one JSON object a line)"},
			&cli.BoolFlag{Name: "version", Local: true, Usage: "print the version and the VCS revision it was built from"},
		},
		Action: func(_ context.Context, cmd *cli.Command) error {
			if cmd.Bool("version") {
				_, err := fmt.Fprintln(stdout, readVersion())
				return err
			}
			if cmd.NArg() > 0 {
				return usageError{unknownCommand(cmd)}
			}
			return cli.ShowRootCommandHelp(cmd)
		},
		Commands: []*cli.Command{releaseCommand(s, usage), verifyCommand(s, usage), diffCommand(s, usage), validateCommand(s, usage),
			buildCommand(s, usage), {
				Name:   "version",
				Usage:  "print the version and the VCS revision it was built from (as --version)",
				Action: func(context.Context, *cli.Command) error { _, err := fmt.Fprintln(stdout, readVersion()); return err },
			}},
	}
	return s.end(ctx, app.Run(ctx, args))
}

// unknownCommand says that the first argument names no command, and which one it may mean.
func unknownCommand(cmd *cli.Command) error {
	name := cmd.Args().First()
	msg := fmt.Sprintf("unknown command %q (commands: %s)", name, strings.Join(commandNames, ", "))
	if guess := cli.SuggestCommand(cmd.Commands, name); guess != "" && name != "" && guess[0] == name[0] && guess != "help" && guess != "h" {
		msg += fmt.Sprintf("; did you mean %q?", guess)
	}
	return errors.New(msg)
}

// indentJoined prints errors.Join lists one per line.
func indentJoined(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "\n  ")
}

func buildCommand(s *session, usage cli.OnUsageErrorFunc) *cli.Command {
	return &cli.Command{
		Name:        "build",
		Usage:       "run extract → normalize → validate → write over everything registered in the raw folder",
		Description: "Writes OUT/{parquet,csv,json}/<table>.*, OUT/accounting.json and OUT/validation.json.\nOUT is replaced only when the whole build succeeded.\n\n" + exitCodeHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "raw", Value: "raw", Usage: "folder with sources.toml, parties.toml, elections.toml and the texts"},
			&cli.StringFlag{Name: "out", Value: "output/build", Usage: "output folder (replaced as a whole)"},
			&cli.Int64Flag{Name: "max-bytes", Value: 64 << 20, Usage: "size limit for one raw file"},
			progressFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object on stdout (also when the build fails)"},
		},
		OnUsageError: usage,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			o := buildOptions{Raw: cmd.String("raw"), Out: cmd.String("out"), MaxBytes: cmd.Int64("max-bytes"), JSON: cmd.Bool("json"), Progress: cmd.String("progress")}
			sum := &buildSummary{}
			s.summary = sum
			if err := s.begin("build", cmd.String("log-format"), o.JSON, o.logAttrs()...); err != nil {
				return err
			}
			if cmd.NArg() > 0 {
				return usageError{fmt.Errorf("build takes no arguments, got %q", cmd.Args().Slice())}
			}
			if err := o.check(); err != nil {
				return err
			}
			return runBuild(ctx, s, o, sum)
		},
	}
}

func runBuild(ctx context.Context, s *session, o buildOptions, out *buildSummary) error {
	report, done := s.progress(o.Progress)
	sum, err := build.Run(ctx, build.Options{RawDir: o.Raw, OutDir: o.Out, MaxBytes: o.MaxBytes, Logger: s.log, Progress: report})
	done()
	if r, ok := invalidReport(err); ok {
		s.findings(r)
		out.Findings = errorFindings(err)
	}
	if err != nil {
		return err
	}
	s.status = "built"
	out.Summary = sum
	for _, d := range sum.Documents {
		s.rawBytes += d.Bytes
	}
	if w := sum.Validation.Failed[validate.Warning]; w > 0 {
		s.log.Warn(fmt.Sprintf("%d validation warnings (written; see %s/validation.json)", w, o.Out), "warnings", w, "report", o.Out+"/validation.json")
	}
	if !o.JSON {
		printSummary(s.stdout, sum)
	}
	return nil
}

func printSummary(w io.Writer, s *build.Summary) {
	fmt.Fprintf(w, "built %d documents into %s\n\n", len(s.Documents), s.Out)
	for _, d := range s.Documents {
		kinds := make([]string, 0, len(d.ByKind))
		for k, n := range d.ByKind {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(kinds)
		fmt.Fprintf(w, "%s (%s)\n  parties %d, passages %d: %s", d.DocumentID, d.Format, d.Parties, d.Passages, strings.Join(kinds, ", "))
		if d.Scores > 0 {
			fmt.Fprintf(w, "; scores %d", d.Scores)
		}
		fmt.Fprintf(w, "\n  bytes %d: passage %.1f%%, structure %.1f%%, whitespace %.1f%%, dropped %.1f%%\n",
			d.Bytes, 100*d.Shares[model.ClassPassage], 100*d.Shares[model.ClassStructure], 100*d.Shares[model.ClassWhitespace], 100*d.Shares[model.ClassDropped])
		if q := d.Quality; q != nil && (len(q.DroppedBytes) > 0 || len(q.Flags) > 0 || q.Headings > 0) {
			fmt.Fprintf(w, "  headings %d; dropped bytes: %s; flags: %s\n", q.Headings, counts(q.DroppedBytes), counts(q.Flags))
		}
	}
	fmt.Fprintf(w, "\nrows:")
	for _, t := range []string{"parties", "elections", "documents", "passages", "scores", "document_parties"} {
		fmt.Fprintf(w, " %s %d", t, s.Rows[t])
	}
	fmt.Fprintf(w, "\nvalidation: %d checks, %d errors, %d warnings\nfiles:\n", s.Validation.ChecksRun, s.Validation.Failed[validate.Error], s.Validation.Failed[validate.Warning])
	for _, f := range s.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
}

// counts renders a map of counts as "a 1, b 2", sorted by key; "none" when empty.
func counts[V int | int64](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
