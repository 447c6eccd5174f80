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
	exitOK       = 0 // built, published, up to date, valid, verified
	exitInternal = 1 // a bug or an I/O failure: see the message
	exitUsage    = 2 // bad command line or registry file (sources.toml, parties.toml, elections.toml, dataset.toml)
	exitInvalid  = 3 // a raw text was rejected, validation failed, or a release does not match its rebuild; nothing was written
	exitLocked   = 4 // another run holds the output folder's lock
)

const exitCodeHelp = `EXIT CODES:
   0  success: built, published, up to date, valid or verified
   1  internal error (a bug or an I/O failure; the message says which)
   2  usage or configuration error: bad flags, or a problem in raw/sources.toml, parties.toml, elections.toml or dataset.toml
   3  input rejected or check failed: a raw text could not be read or parsed, the tables broke a check, or a release does not match its rebuild; nothing was published
   4  locked: another run holds the output folder's lock (release --wait DURATION waits for it)`

type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps an error to the exit-code table.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
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
	Raw       string
	Out       string
	MaxBytes  int64
	JSON      bool
	LogFormat string
}

func (o buildOptions) check() error {
	if o.Raw == "" || o.Out == "" {
		return usageError{errors.New("--raw and --out must not be empty")}
	}
	if o.MaxBytes < 0 {
		return usageError{errors.New("--max-bytes must be positive")}
	}
	if o.LogFormat != "text" && o.LogFormat != "json" {
		return usageError{fmt.Errorf("--log-format %q: use text or json", o.LogFormat)}
	}
	return nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// run is the testable entry point: it parses args, runs the command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var runErr error
	logFormat := &cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format on stderr: text or json"}
	app := &cli.Command{
		Name:            "standpunten",
		Usage:           "build and publish the dataset of Dutch parties' positions on digital policy",
		Description:     exitCodeHelp,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Reader:          stdin,
		ExitErrHandler:  func(context.Context, *cli.Command, error) {},
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error {
			return usageError{err}
		},
		Commands: []*cli.Command{releaseCommand(stdout, stderr, &runErr), verifyCommand(stdout, stderr, &runErr),
			diffCommand(stdout, &runErr), validateCommand(stdout, stderr, &runErr), {
				Name:        "build",
				Usage:       "run extract → normalize → validate → write over everything registered in the raw folder",
				Description: "Writes OUT/{parquet,csv,json}/<table>.*, OUT/accounting.json and OUT/validation.json.\nOUT is replaced only when the whole build succeeded.\n\n" + exitCodeHelp,
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "raw", Value: "raw", Usage: "folder with sources.toml, parties.toml, elections.toml and the texts"},
					&cli.StringFlag{Name: "out", Value: "output/build", Usage: "output folder (replaced as a whole)"},
					&cli.Int64Flag{Name: "max-bytes", Value: 64 << 20, Usage: "size limit for one raw file"},
					&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object on stdout"},
					logFormat,
				},
				OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error {
					return usageError{err}
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					o := buildOptions{Raw: cmd.String("raw"), Out: cmd.String("out"), MaxBytes: cmd.Int64("max-bytes"), JSON: cmd.Bool("json"), LogFormat: cmd.String("log-format")}
					if cmd.NArg() > 0 {
						return usageError{fmt.Errorf("build takes no arguments, got %q", cmd.Args().Slice())}
					}
					if err := o.check(); err != nil {
						return err
					}
					runErr = runBuild(ctx, o, stdout, stderr)
					return nil
				},
			}},
	}
	if err := app.Run(ctx, args); err != nil {
		runErr = err
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "standpunten: %v\n", indentJoined(runErr))
		if code := exitCode(runErr); code == exitUsage {
			var ue usageError
			if errors.As(runErr, &ue) {
				fmt.Fprintln(stderr, "Run 'standpunten --help' for usage.")
			}
		}
	}
	return exitCode(runErr)
}

// indentJoined prints errors.Join lists one per line.
func indentJoined(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "\n  ")
}

func runBuild(ctx context.Context, o buildOptions, stdout, stderr io.Writer) error {
	log := newLogger(o.LogFormat, stderr)
	sum, err := build.Run(ctx, build.Options{RawDir: o.Raw, OutDir: o.Out, MaxBytes: o.MaxBytes, Logger: log})
	printInvalid(stderr, err)
	if err != nil {
		return err
	}
	if o.JSON {
		return encodeJSON(stdout, sum)
	}
	printSummary(stdout, sum)
	if sum.Validation.Failed[validate.Warning] > 0 {
		fmt.Fprintf(stderr, "%d validation warnings (published; see %s/validation.json)\n", sum.Validation.Failed[validate.Warning], o.Out)
	}
	return nil
}

// printInvalid prints the errors of a build that failed validation.
func printInvalid(w io.Writer, err error) {
	var inv *build.InvalidError
	if errors.As(err, &inv) {
		printFindings(w, inv.Report)
	}
}

func printFindings(w io.Writer, r validate.Report) {
	for _, f := range r.Findings {
		if f.Severity != validate.Error {
			continue
		}
		where := f.Table + " " + strings.ReplaceAll(f.Key, "\x1f", "/")
		if f.Source != "" {
			where = f.Source + ": " + where
		}
		fmt.Fprintf(w, "%s: %s [%s] %s", f.Severity, where, f.Rule, f.Message)
		if f.Value != "" {
			fmt.Fprintf(w, " (value %q)", f.Value)
		}
		fmt.Fprintln(w)
	}
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
