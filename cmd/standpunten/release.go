package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/release"
)

// failpointEnv names the environment variable that makes a release run stop itself at a
// failpoint (release.FailAfterTables, …): for crash tests only. "POINT" kills the run with
// SIGKILL there; "POINT:TERM" and "POINT:INT" send it SIGTERM or SIGINT and let it go on until
// it notices.
const failpointEnv = "STANDPUNTEN_FAILPOINT"

// releaseOptions are the options of the release command.
type releaseOptions struct {
	Raw, Out  string
	Date      string
	DateGiven bool // --date was passed (else Date is today, UTC)
	Notes     string
	NotesFile string
	Bump      string
	DryRun    bool
	JSON      bool
	Wait      time.Duration
	MaxBytes  int64
	Failpoint string
	// AllowFutureDate lets --date be later than tomorrow (UTC).
	AllowFutureDate bool
	// AllowRemovals and RemovalShare set the removal guard (release.Options).
	AllowRemovals bool
	RemovalShare  float64
	// SignKey signs SHA256SUMS (release.Options.SignKey).
	SignKey string
	// Rebuild ignores the recorded fingerprint (release.Options.Rebuild).
	Rebuild bool
	// Progress is auto, always or never (--progress).
	Progress string
}

func (o releaseOptions) check(now time.Time) error {
	switch {
	case o.Raw == "" || o.Out == "":
		return usageError{errors.New("--raw and --out must not be empty")}
	case o.Notes != "" && o.NotesFile != "":
		return usageError{errors.New("give --notes or --notes-file, not both")}
	case checkProgress(o.Progress) != nil:
		return checkProgress(o.Progress)
	case o.Wait < 0:
		return usageError{errors.New("--wait must not be negative")}
	case o.RemovalShare <= 0 || o.RemovalShare > 1:
		return usageError{fmt.Errorf("--max-removal-share %v: give a share above 0 and at most 1, e.g. 0.1", o.RemovalShare)}
	}
	if _, err := model.ParseDate(o.Date); err != nil {
		return usageError{fmt.Errorf("--date %q: use YYYY-MM-DD", o.Date)}
	}
	// Release dates never go back, so a date far ahead would block every release until then.
	tomorrow := now.UTC().AddDate(0, 0, 1).Format("2006-01-02")
	if o.Date > tomorrow && !o.AllowFutureDate {
		return usageError{fmt.Errorf("--date %s is later than tomorrow (%s, UTC): release dates never go back, so every later release "+
			"would have to wait for that date (give today's date, or pass --allow-future-date if you mean it)", o.Date, tomorrow)}
	}
	if o.Bump != "" {
		if _, err := changes.ParseLevel(o.Bump); err != nil || o.Bump == "none" {
			return usageError{fmt.Errorf("--bump %q: use major, minor or patch", o.Bump)}
		}
	}
	if o.Failpoint != "" {
		if _, sig, _ := strings.Cut(o.Failpoint, ":"); sig != "" && sig != "TERM" && sig != "INT" {
			return usageError{fmt.Errorf("%s=%q: use POINT, POINT:TERM or POINT:INT", failpointEnv, o.Failpoint)}
		}
	}
	return nil
}

func (o releaseOptions) logAttrs() []slog.Attr {
	as := []slog.Attr{slog.String("raw", o.Raw), slog.String("out", o.Out), slog.String("date", o.Date), slog.Bool("date_given", o.DateGiven)}
	if o.Bump != "" {
		as = append(as, slog.String("bump", o.Bump))
	}
	as = append(as, slog.Bool("dry_run", o.DryRun), slog.Bool("json", o.JSON), slog.String("wait", o.Wait.String()), slog.Int64("max_bytes", o.MaxBytes),
		slog.Bool("allow_removals", o.AllowRemovals), slog.Float64("max_removal_share", o.RemovalShare), slog.Bool("allow_future_date", o.AllowFutureDate))
	if o.SignKey != "" {
		as = append(as, slog.String("sign_key", o.SignKey))
	}
	as = append(as, slog.Bool("rebuild", o.Rebuild), slog.String("progress", o.Progress))
	if o.NotesFile != "" {
		as = append(as, slog.String("notes_file", o.NotesFile))
	} else if o.Notes != "" {
		as = append(as, slog.Int("notes_bytes", len(o.Notes)))
	}
	if o.Failpoint != "" {
		as = append(as, slog.String("failpoint", o.Failpoint))
	}
	return as
}

func outFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "raw", Value: "raw", Usage: "folder with sources.toml, parties.toml, elections.toml, dataset.toml and the texts"},
		&cli.StringFlag{Name: "out", Value: "output", Usage: "output folder holding releases/, CHANGELOG.md and latest"},
		&cli.Int64Flag{Name: "max-bytes", Value: 64 << 20, Usage: "size limit for one raw file"},
	}
}

func releaseCommand(s *session, usage cli.OnUsageErrorFunc) *cli.Command {
	return &cli.Command{
		Name:  "release",
		Usage: "build, validate, compare with the latest release and publish a new version when something changed",
		Description: "Writes OUT/releases/vX.Y.Z/ (tables, datapackage.json, dcat.jsonld, validation.json, accounting.json,\n" +
			"changes.json, RELEASE.md, CODEBOOK.md, SHA256SUMS), then OUT/CHANGELOG.md and the OUT/latest link.\n" +
			"With nothing changed it publishes nothing and says 'up to date'. One run at a time (OUT/.lock).\n\n" + exitCodeHelp,
		Flags: append(outFlags(),
			&cli.StringFlag{Name: "date", Usage: "release date YYYY-MM-DD (default: today, UTC; at most tomorrow without --allow-future-date)"},
			&cli.BoolFlag{Name: "allow-future-date", Usage: "accept a --date later than tomorrow (UTC): no release can have an earlier date after it"},
			&cli.StringFlag{Name: "notes", Usage: "the operator's notes for this release (Markdown)"},
			&cli.StringFlag{Name: "notes-file", Usage: "read the notes from this file"},
			&cli.StringFlag{Name: "bump", Usage: "raise the computed version level to major, minor or patch (never lowers it)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "compute the release and print what would be published; write nothing"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object on stdout (also when the run fails)"},
			&cli.DurationFlag{Name: "wait", Usage: "wait up to this long for another run's lock, logging who holds it (default: fail at once)"},
			&cli.BoolFlag{Name: "allow-removals", Usage: "publish even when a registered text loses more than --max-removal-share of its passages, or a table all its rows"},
			progressFlag(),
			&cli.BoolFlag{Name: "rebuild", Usage: "decide \"up to date\" by building and comparing in full, not from the recorded fingerprint of raw/, the program and the latest release"},
			&cli.StringFlag{Name: "sign-key", Usage: "sign SHA256SUMS into SHA256SUMS.sig with this SSH private `KEY` file (no passphrase), or the .pub of a key in ssh-agent"},
			&cli.FloatFlag{Name: "max-removal-share", Value: release.DefaultRemovalShare, Usage: "the share of a registered text's passages a release may remove without --allow-removals"},
		),
		OnUsageError: usage,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			o := releaseOptions{Raw: cmd.String("raw"), Out: cmd.String("out"), Date: cmd.String("date"), DateGiven: cmd.IsSet("date"), Notes: cmd.String("notes"),
				NotesFile: cmd.String("notes-file"), Bump: cmd.String("bump"), DryRun: cmd.Bool("dry-run"), JSON: cmd.Bool("json"),
				Wait: cmd.Duration("wait"), MaxBytes: cmd.Int64("max-bytes"), Failpoint: os.Getenv(failpointEnv),
				AllowFutureDate: cmd.Bool("allow-future-date"), AllowRemovals: cmd.Bool("allow-removals"), RemovalShare: cmd.Float("max-removal-share"), SignKey: cmd.String("sign-key"), Rebuild: cmd.Bool("rebuild"), Progress: cmd.String("progress")}
			now := time.Now()
			if o.Date == "" {
				o.Date = now.UTC().Format("2006-01-02")
			}
			sum := &releaseSummary{}
			s.summary = sum
			if err := s.begin("release", cmd.String("log-format"), o.JSON, o.logAttrs()...); err != nil {
				return err
			}
			if cmd.NArg() > 0 {
				return usageError{fmt.Errorf("release takes no arguments, got %q", cmd.Args().Slice())}
			}
			if err := o.check(now); err != nil {
				return err
			}
			return runRelease(ctx, s, o, sum)
		},
	}
}

func runRelease(ctx context.Context, s *session, o releaseOptions, sum *releaseSummary) error {
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
		DryRun: o.DryRun, Wait: o.Wait, Logger: s.log, AllowRemovals: o.AllowRemovals, RemovalShare: o.RemovalShare, SignKey: o.SignKey, Rebuild: o.Rebuild}
	report, done := s.progress(o.Progress)
	defer done()
	opts.Progress = report
	if o.Failpoint != "" {
		opts.Crash = failpoint(ctx, o.Failpoint)
	}
	res, err := release.Publish(ctx, opts)
	if r, ok := invalidReport(err); ok {
		s.findings(r)
		sum.Findings = errorFindings(err)
	}
	if err != nil {
		return err
	}
	s.status = string(res.Status)
	s.rawBytes = res.RawBytes
	sum.Version, sum.Previous, sum.Level, sum.Reasons, sum.Path, sum.Validation = res.Version, res.Previous, res.Level.String(), res.Reasons, res.Path, res.Validation
	sum.ByFingerprint = res.Fingerprint
	if o.JSON {
		return nil
	}
	printRelease(s.stdout, res)
	return nil
}

// failpoint is the crash hook of STANDPUNTEN_FAILPOINT (see failpointEnv).
func failpoint(ctx context.Context, spec string) func(string) {
	point, sig, _ := strings.Cut(spec, ":")
	return func(at string) {
		if at != point {
			return
		}
		switch sig {
		case "TERM", "INT":
			s := syscall.SIGTERM
			if sig == "INT" {
				s = syscall.SIGINT
			}
			_ = syscall.Kill(os.Getpid(), s)
			// Go on once the run noticed the signal, as it would have at this moment.
			select {
			case <-ctx.Done():
			case <-time.After(time.Minute):
			}
		default:
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal ends the process
		}
	}
}

func printRelease(w io.Writer, res *release.Result) {
	switch res.Status {
	case release.UpToDate:
		fmt.Fprintf(w, "up to date: v%s\n", res.Version)
	case release.DryRun:
		fmt.Fprintf(w, "dry run: would publish v%s (%s)\n", res.Version, levelText(res))
	default:
		fmt.Fprintf(w, "published v%s (%s) in %s\n", res.Version, levelText(res), res.Path)
	}
	if res.Previous != "" {
		for _, r := range res.Reasons {
			fmt.Fprintf(w, "  - %s\n", r)
		}
	}
	if res.Status == release.DryRun {
		fmt.Fprintf(w, "\n%s", res.Changes.Markdown())
	}
}

// levelText is the version level, or "first release" where there is nothing to compare with.
func levelText(res *release.Result) string {
	if res.Previous == "" && res.Status != release.UpToDate {
		return "first release"
	}
	return res.Level.String()
}
