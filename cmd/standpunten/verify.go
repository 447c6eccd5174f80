package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/release"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// verifyOptions are the options of the verify command.
type verifyOptions struct {
	Raw, Out string
	MaxBytes int64
	JSON     bool
}

func (o verifyOptions) check() error {
	if o.Raw == "" || o.Out == "" {
		return usageError{errors.New("--raw and --out must not be empty")}
	}
	return nil
}

func (o verifyOptions) logAttrs() []slog.Attr {
	return []slog.Attr{slog.String("raw", o.Raw), slog.String("out", o.Out), slog.Int64("max_bytes", o.MaxBytes), slog.Bool("json", o.JSON)}
}

func verifyCommand(s *session, usage cli.OnUsageErrorFunc) *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "rebuild the latest release from the raw texts and compare every file byte for byte",
		Description: "Exits 0 when the latest release under OUT/releases is exactly what raw/ builds, 3 when a file\n" +
			"differs (listed on stderr).\n\n" + exitCodeHelp,
		Flags: append(outFlags(),
			&cli.BoolFlag{Name: "json", Usage: "print the result as one JSON object on stdout (also when the run fails)"},
		),
		OnUsageError: usage,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			o := verifyOptions{Raw: cmd.String("raw"), Out: cmd.String("out"), MaxBytes: cmd.Int64("max-bytes"), JSON: cmd.Bool("json")}
			sum := &verifySummary{}
			s.summary = sum
			if err := s.begin("verify", cmd.String("log-format"), o.JSON, o.logAttrs()...); err != nil {
				return err
			}
			if cmd.NArg() > 0 {
				return usageError{fmt.Errorf("verify takes no arguments, got %q", cmd.Args().Slice())}
			}
			if err := o.check(); err != nil {
				return err
			}
			return runVerify(ctx, s, o, sum)
		},
	}
}

func runVerify(ctx context.Context, s *session, o verifyOptions, sum *verifySummary) error {
	res, err := release.Verify(ctx, o.Raw, o.Out, o.MaxBytes, s.log)
	if res != nil {
		sum.Version, sum.Files, sum.Mismatches = res.Version, res.Files, res.Mismatches
		for _, m := range res.Mismatches {
			if s.format == logJSON {
				s.log.Error("mismatch", "file", m)
			} else {
				fmt.Fprintf(s.stderr, "mismatch: %s\n", m)
			}
		}
		s.rawBytes = res.RawBytes
	}
	if errors.Is(err, model.ErrInvalid) && res != nil {
		s.failStatus = "mismatch"
	}
	if err != nil {
		return err
	}
	s.status = "verified"
	if !o.JSON {
		fmt.Fprintf(s.stdout, "v%s matches raw/: %d files identical\n", res.Version, res.Files)
	}
	return nil
}

var versionArg = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+$`)

// folderArg resolves a diff argument: a folder, or a release version (v1.0.0) under OUT/releases.
func folderArg(out, arg string) string {
	if _, err := os.Stat(arg); err != nil && versionArg.MatchString(arg) {
		return release.Dir(out, strings.TrimPrefix(arg, "v"))
	}
	return arg
}

// diffOptions are the options of the diff command.
type diffOptions struct {
	Out      string
	Old, New string // folders, resolved from versions
	JSON     bool
}

func (o diffOptions) logAttrs() []slog.Attr {
	return []slog.Attr{slog.String("out", o.Out), slog.String("old", o.Old), slog.String("new", o.New), slog.Bool("json", o.JSON)}
}

func diffCommand(s *session, usage cli.OnUsageErrorFunc) *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "print the changes between two releases, or a release and a build folder",
		ArgsUsage: "OLD NEW",
		Description: "OLD and NEW are folders (output/build, output/releases/v1.0.0) or release versions (v1.0.0).\n" +
			"Prints the changelog section (Markdown), or with --json the changes as changes.json holds them\n" +
			"(with NEW's date, notes and validation), on one line.\n\n" + exitCodeHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Value: "output", Usage: "output folder that versions are looked up in"},
			&cli.BoolFlag{Name: "json", Usage: "print the changes as one JSON object (also when the run fails)"},
		},
		OnUsageError: usage,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			out := cmd.String("out")
			o := diffOptions{Out: out, Old: folderArg(out, cmd.Args().Get(0)), New: folderArg(out, cmd.Args().Get(1)), JSON: cmd.Bool("json")}
			sum := &diffSummary{}
			s.summary = sum
			if err := s.begin("diff", cmd.String("log-format"), o.JSON, o.logAttrs()...); err != nil {
				return err
			}
			if cmd.NArg() != 2 {
				return usageError{fmt.Errorf("diff takes two folders or versions, OLD and NEW, got %d arguments", cmd.NArg())}
			}
			return runDiff(ctx, s, o, sum)
		},
	}
}

func runDiff(ctx context.Context, s *session, o diffOptions, sum *diffSummary) error {
	ch, err := release.Diff(o.Old, o.New)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := describe(ch, o.New); err != nil {
		return err
	}
	s.status = "compared"
	sum.Changes = ch
	if o.JSON {
		return nil
	}
	_, err = io.WriteString(s.stdout, ch.Markdown())
	return err
}

// describe fills what a diff of two folders leaves empty from NEW itself: a release's date,
// notes and validation summary from its changes.json, a build's validation from its
// validation.json.
func describe(ch *changes.Changes, dir string) error {
	// Only the head of changes.json is read: a first release's lists every key of every table.
	rel, err := changes.ReadHead(filepath.Join(dir, release.ChangesFile))
	var pe *fs.PathError
	switch {
	case err == nil:
		if ch.Date == "" {
			ch.Date = rel.Date
		}
		if ch.Notes == "" {
			ch.Notes = rel.Notes
		}
		if ch.Validation == nil {
			ch.Validation = rel.Validation
		}
		return nil
	case !errors.As(err, &pe):
		return model.Classified(model.ErrInput, err)
	}
	if ch.Validation != nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, publish.ValidationFile))
	if err != nil {
		return nil // a folder without a validation report: nothing to say
	}
	var r validate.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return model.Classified(model.ErrInput, &model.SourceError{File: filepath.Join(dir, publish.ValidationFile), Msg: err.Error()})
	}
	ch.Validation = &changes.Validation{Valid: r.Valid, ChecksRun: r.ChecksRun, Errors: r.Failed[validate.Error], Warnings: r.Failed[validate.Warning]}
	return nil
}
