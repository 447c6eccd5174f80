package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/release"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// failpointEnv names the environment variable that makes a release run kill itself at a
// failpoint (release.FailAfterTables, …): for crash tests only.
const failpointEnv = "STANDPUNTEN_FAILPOINT"

// releaseOptions are the options of the release command.
type releaseOptions struct {
	Raw, Out  string
	Date      string
	Notes     string
	NotesFile string
	Bump      string
	DryRun    bool
	JSON      bool
	Wait      time.Duration
	MaxBytes  int64
	LogFormat string
	Failpoint string
	// AllowRemovals and RemovalShare set the removal guard (release.Options).
	AllowRemovals bool
	RemovalShare  float64
}

func (o releaseOptions) check() error {
	switch {
	case o.Raw == "" || o.Out == "":
		return usageError{errors.New("--raw and --out must not be empty")}
	case o.Notes != "" && o.NotesFile != "":
		return usageError{errors.New("give --notes or --notes-file, not both")}
	case o.Wait < 0:
		return usageError{errors.New("--wait must not be negative")}
	case o.RemovalShare <= 0 || o.RemovalShare > 1:
		return usageError{fmt.Errorf("--max-removal-share %v: give a share above 0 and at most 1, e.g. 0.1", o.RemovalShare)}
	case o.LogFormat != "text" && o.LogFormat != "json":
		return usageError{fmt.Errorf("--log-format %q: use text or json", o.LogFormat)}
	}
	if _, err := model.ParseDate(o.Date); err != nil {
		return usageError{fmt.Errorf("--date %q: use YYYY-MM-DD", o.Date)}
	}
	if o.Bump != "" {
		if _, err := changes.ParseLevel(o.Bump); err != nil || o.Bump == "none" {
			return usageError{fmt.Errorf("--bump %q: use major, minor or patch", o.Bump)}
		}
	}
	return nil
}

func outFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "raw", Value: "raw", Usage: "folder with sources.toml, parties.toml, elections.toml, dataset.toml and the texts"},
		&cli.StringFlag{Name: "out", Value: "output", Usage: "output folder holding releases/, CHANGELOG.md and latest"},
		&cli.Int64Flag{Name: "max-bytes", Value: 64 << 20, Usage: "size limit for one raw file"},
	}
}

func releaseCommand(stdout, stderr io.Writer, runErr *error) *cli.Command {
	return &cli.Command{
		Name:  "release",
		Usage: "build, validate, compare with the latest release and publish a new version when something changed",
		Description: "Writes OUT/releases/vX.Y.Z/ (tables, datapackage.json, dcat.jsonld, validation.json, accounting.json,\n" +
			"changes.json, RELEASE.md, CODEBOOK.md, SHA256SUMS), then OUT/CHANGELOG.md and the OUT/latest link.\n" +
			"With nothing changed it publishes nothing and says 'up to date'. One run at a time (OUT/.lock).\n\n" + exitCodeHelp,
		Flags: append(outFlags(),
			&cli.StringFlag{Name: "date", Usage: "release date YYYY-MM-DD (default: today, UTC)"},
			&cli.StringFlag{Name: "notes", Usage: "the operator's notes for this release (Markdown)"},
			&cli.StringFlag{Name: "notes-file", Usage: "read the notes from this file"},
			&cli.StringFlag{Name: "bump", Usage: "raise the computed version level to major, minor or patch (never lowers it)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "compute the release and print what would be published; write nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object on stdout"},
			&cli.DurationFlag{Name: "wait", Usage: "wait up to this long for another run's lock (default: fail at once)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format on stderr: text or json"},
			&cli.BoolFlag{Name: "allow-removals", Usage: "publish even when a registered text loses more than --max-removal-share of its passages, or a table all its rows"},
			&cli.FloatFlag{Name: "max-removal-share", Value: release.DefaultRemovalShare, Usage: "the share of a registered text's passages a release may remove without --allow-removals"},
		),
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error { return usageError{err} },
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.NArg() > 0 {
				return usageError{fmt.Errorf("release takes no arguments, got %q", cmd.Args().Slice())}
			}
			o := releaseOptions{Raw: cmd.String("raw"), Out: cmd.String("out"), Date: cmd.String("date"), Notes: cmd.String("notes"),
				NotesFile: cmd.String("notes-file"), Bump: cmd.String("bump"), DryRun: cmd.Bool("dry-run"), JSON: cmd.Bool("json"),
				Wait: cmd.Duration("wait"), MaxBytes: cmd.Int64("max-bytes"), LogFormat: cmd.String("log-format"), Failpoint: os.Getenv(failpointEnv),
				AllowRemovals: cmd.Bool("allow-removals"), RemovalShare: cmd.Float("max-removal-share")}
			if o.Date == "" {
				o.Date = time.Now().UTC().Format("2006-01-02")
			}
			if err := o.check(); err != nil {
				if o.JSON {
					_ = encodeJSON(stdout, failure(err))
				}
				return err
			}
			*runErr = runRelease(ctx, o, stdout, stderr)
			if *runErr != nil && o.JSON {
				_ = encodeJSON(stdout, failure(*runErr))
			}
			return nil
		},
	}
}

func runRelease(ctx context.Context, o releaseOptions, stdout, stderr io.Writer) error {
	date, _ := model.ParseDate(o.Date)
	notes := o.Notes
	if o.NotesFile != "" {
		b, err := os.ReadFile(o.NotesFile)
		if err != nil {
			return usageError{fmt.Errorf("--notes-file: %w", err)}
		}
		notes = string(b)
	}
	notes = strings.TrimSpace(notes)
	bump := changes.LevelNone
	if o.Bump != "" {
		bump, _ = changes.ParseLevel(o.Bump)
	}
	opts := release.Options{RawDir: o.Raw, OutDir: o.Out, MaxBytes: o.MaxBytes, Date: date, Notes: notes, Bump: bump,
		DryRun: o.DryRun, Wait: o.Wait, Logger: newLogger(o.LogFormat, stderr), AllowRemovals: o.AllowRemovals, RemovalShare: o.RemovalShare}
	if o.Failpoint != "" {
		opts.Crash = func(point string) {
			if point == o.Failpoint {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal ends the process
			}
		}
	}
	res, err := release.Publish(ctx, opts)
	printInvalid(stderr, err)
	if err != nil {
		return err
	}
	if o.JSON {
		return encodeJSON(stdout, res)
	}
	switch res.Status {
	case release.UpToDate:
		fmt.Fprintf(stdout, "up to date: v%s\n", res.Version)
	case release.DryRun:
		fmt.Fprintf(stdout, "dry run: would publish v%s (%s)\n", res.Version, levelText(res))
	default:
		fmt.Fprintf(stdout, "published v%s (%s) in %s\n", res.Version, levelText(res), res.Path)
	}
	if res.Previous != "" {
		for _, r := range res.Reasons {
			fmt.Fprintf(stdout, "  - %s\n", r)
		}
	}
	if res.Status == release.DryRun {
		fmt.Fprintf(stdout, "\n%s", res.Changes.Markdown())
	}
	return nil
}

// levelText is the version level, or "first release" where there is nothing to compare with.
func levelText(res *release.Result) string {
	if res.Previous == "" && res.Status != release.UpToDate {
		return "first release"
	}
	return res.Level.String()
}

// encodeJSON writes v as one line of JSON: a scheduler can append the summaries of its runs to
// one file and read it as JSON lines.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// failedRun is the --json summary of a run that failed.
type failedRun struct {
	Status   string             `json:"status"` // "failed"
	ExitCode int                `json:"exit_code"`
	Error    string             `json:"error"`
	Findings []validate.Finding `json:"findings,omitempty"` // the errors, when validation failed
}

func failure(err error) failedRun {
	f := failedRun{Status: "failed", ExitCode: exitCode(err), Error: err.Error()}
	var inv *build.InvalidError
	if errors.As(err, &inv) {
		for _, x := range inv.Report.Findings {
			if x.Severity == validate.Error {
				f.Findings = append(f.Findings, x)
			}
		}
	}
	return f
}

func verifyCommand(stdout, stderr io.Writer, runErr *error) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "rebuild the latest release from the raw texts and compare every file byte for byte",
		Description: "Exits 0 when the latest release under OUT/releases is exactly what raw/ builds, 3 when a file\n" +
			"differs (listed on stderr).\n\n" + exitCodeHelp,
		Flags: append(outFlags(),
			&cli.BoolFlag{Name: "json", Usage: "print the result as one JSON object on stdout"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format on stderr: text or json"},
			&cli.BoolFlag{Name: "allow-removals", Usage: "publish even when a registered text loses more than --max-removal-share of its passages, or a table all its rows"},
			&cli.FloatFlag{Name: "max-removal-share", Value: release.DefaultRemovalShare, Usage: "the share of a registered text's passages a release may remove without --allow-removals"},
		),
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error { return usageError{err} },
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.NArg() > 0 {
				return usageError{fmt.Errorf("verify takes no arguments, got %q", cmd.Args().Slice())}
			}
			logFormat := cmd.String("log-format")
			if logFormat != "text" && logFormat != "json" {
				return usageError{fmt.Errorf("--log-format %q: use text or json", logFormat)}
			}
			res, err := release.Verify(ctx, cmd.String("raw"), cmd.String("out"), cmd.Int64("max-bytes"), newLogger(logFormat, stderr))
			if res != nil {
				for _, m := range res.Mismatches {
					fmt.Fprintf(stderr, "mismatch: %s\n", m)
				}
				if cmd.Bool("json") {
					_ = encodeJSON(stdout, res)
				} else if err == nil {
					fmt.Fprintf(stdout, "v%s matches raw/: %d files identical\n", res.Version, res.Files)
				}
			}
			*runErr = err
			return nil
		},
	}
}

var versionArg = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+$`)

// folderArg resolves a diff argument: a folder, or a release version (v1.0.0) under OUT/releases.
func folderArg(out, arg string) string {
	if _, err := os.Stat(arg); err != nil && versionArg.MatchString(arg) {
		return release.Dir(out, strings.TrimPrefix(arg, "v"))
	}
	return arg
}

func diffCommand(stdout io.Writer, runErr *error) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "print the changes between two releases, or a release and a build folder",
		ArgsUsage: "OLD NEW",
		Description: "OLD and NEW are folders (output/build, output/releases/v1.0.0) or release versions (v1.0.0).\n" +
			"Prints the changelog section (Markdown), or with --json the changes as changes.json holds them.\n\n" + exitCodeHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "output", Usage: "output folder that versions are looked up in"},
			&cli.BoolFlag{Name: "json", Usage: "print the changes as one JSON object"},
		},
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error { return usageError{err} },
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.NArg() != 2 {
				return usageError{fmt.Errorf("diff takes two folders or versions, OLD and NEW, got %d arguments", cmd.NArg())}
			}
			out := cmd.String("out")
			ch, err := release.Diff(folderArg(out, cmd.Args().Get(0)), folderArg(out, cmd.Args().Get(1)))
			if err != nil {
				*runErr = err
				return nil
			}
			if cmd.Bool("json") {
				b, err := ch.JSON()
				if err != nil {
					*runErr = err
					return nil
				}
				_, *runErr = stdout.Write(b)
				return nil
			}
			_, *runErr = io.WriteString(stdout, ch.Markdown())
			return nil
		},
	}
}
