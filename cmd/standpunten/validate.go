package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/urfave/cli/v3"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/check"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// validateOptions are the options of the validate command.
type validateOptions struct {
	Dir     string
	JSON    bool
	Sources string // folder that holds raw/ for the provenance check; "" skips it
	// AllowedSigners is an allowed_signers file: the release must carry SHA256SUMS.sig by one of its keys.
	AllowedSigners string
}

func (o validateOptions) check() error {
	if o.Dir == "" {
		return usageError{errors.New("validate needs one output folder, e.g. standpunten validate output/build")}
	}
	return nil
}

func (o validateOptions) logAttrs() []slog.Attr {
	as := []slog.Attr{slog.String("dir", o.Dir), slog.String("sources", o.Sources), slog.Bool("json", o.JSON)}
	if o.AllowedSigners != "" {
		as = append(as, slog.String("allowed_signers", o.AllowedSigners))
	}
	return as
}

func validateCommand(s *session, usage cli.OnUsageErrorFunc) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "re-read an output folder (a build or a release) from disk and run every check on it",
		ArgsUsage: "DIR",
		Description: "Reads every table in Parquet, CSV and JSON, checks rows against schemas/ and the dataset rules,\n" +
			"checks that the three copies agree, that accounting.json covers every raw byte, that each passage's\n" +
			"letters are those of its source stretch in the raw text (--sources; the texts under raw/ that are\n" +
			"unchanged since the folder was built) and, in a release,\n" +
			"SHA256SUMS, the sizes, hashes and row counts in datapackage.json and, with --allowed-signers, the\n" +
			"signature SHA256SUMS.sig. Prints the errors and a summary\n" +
			"on stderr (--json: the report as one JSON object on stdout); exits 0 when no check failed with severity\n" +
			"error, 3 otherwise, 2 when DIR does not exist and 1 when it cannot be read.\n\n" + exitCodeHelp,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the validation report as one JSON object on stdout"},
			&cli.StringFlag{Name: "allowed-signers", Usage: "allowed_signers `FILE` (the ssh-keygen format): the release must be signed (SHA256SUMS.sig) by one of its keys"},
			&cli.StringFlag{Name: "sources", Value: ".", Usage: "folder holding the raw texts as documents.raw_path names them (raw/…): each passage's letters are checked against its source stretch; texts missing or changed there are skipped; \"\" skips the check"},
		},
		OnUsageError: usage,
		Action: func(ctx context.Context, cmd *cli.Command) error {
			o := validateOptions{Dir: cmd.Args().First(), JSON: cmd.Bool("json"), Sources: cmd.String("sources"), AllowedSigners: cmd.String("allowed-signers")}
			sum := &validateSummary{Dir: o.Dir}
			s.summary = sum
			if err := s.begin("validate", cmd.String("log-format"), o.JSON, o.logAttrs()...); err != nil {
				return err
			}
			if cmd.NArg() > 1 {
				return usageError{fmt.Errorf("validate takes one folder, got %q", cmd.Args().Slice())}
			}
			if err := o.check(); err != nil {
				return err
			}
			return runValidate(ctx, s, o, sum)
		},
	}
}

// invalidFolder is the error of a folder that failed validation.
type invalidFolder struct {
	dir string
	r   validate.Report
}

func (e invalidFolder) Error() string {
	return fmt.Sprintf("%s is not valid: %d errors, %d warnings (see the findings above)", e.dir, e.r.Failed[validate.Error], e.r.Failed[validate.Warning])
}

func (e invalidFolder) Is(target error) bool { return target == model.ErrInvalid }

func runValidate(ctx context.Context, s *session, o validateOptions, sum *validateSummary) error {
	// A folder that is not there is a wrong argument (exit 2); one that cannot be read is an I/O
	// failure (exit 1).
	st, err := os.Stat(o.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return model.Classified(model.ErrConfig, fmt.Errorf("validate %s: %w (give the folder of a build or a release, e.g. output/latest)", o.Dir, err))
	case err != nil:
		return fmt.Errorf("validate %s: %w", o.Dir, err)
	case !st.IsDir():
		return model.Classified(model.ErrConfig, fmt.Errorf("validate %s: not a folder (give the folder of a build or a release, e.g. output/latest)", o.Dir))
	}
	// A release is checked against its own schemas (in its datapackage.json), a build against
	// the current ones.
	set, err := changes.SchemasOf(o.Dir)
	if err != nil {
		return fmt.Errorf("validate %s: %w", o.Dir, err)
	}
	r, err := check.FolderWith(ctx, o.Dir, set, check.Options{Sources: o.Sources, AllowedSigners: o.AllowedSigners})
	if err != nil {
		return fmt.Errorf("validate %s: %w", o.Dir, err)
	}
	sum.Report = &r
	s.findings(r)
	state := "valid"
	if !r.Valid {
		state = "NOT valid"
	}
	msg := fmt.Sprintf("%s: %s: %d checks, %d errors, %d warnings", o.Dir, state, r.ChecksRun, r.Failed[validate.Error], r.Failed[validate.Warning])
	if r.Signer != "" {
		msg += "; signed by " + r.Signer
	}
	if s.format == logJSON {
		level := slog.LevelInfo
		if !r.Valid {
			level = slog.LevelError
		}
		s.log.Log(ctx, level, msg, "dir", o.Dir, "valid", r.Valid, "checks_run", r.ChecksRun, "errors", r.Failed[validate.Error], "warnings", r.Failed[validate.Warning])
	} else {
		fmt.Fprintln(s.stderr, msg)
	}
	if !r.Valid {
		s.failStatus = "invalid"
		return invalidFolder{dir: o.Dir, r: r}
	}
	s.status = "valid"
	return nil
}
