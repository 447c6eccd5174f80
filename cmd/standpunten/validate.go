package main

import (
	"context"
	"errors"
	"fmt"
	"io"

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
}

func (o validateOptions) check() error {
	if o.Dir == "" {
		return usageError{errors.New("validate needs one output folder, e.g. standpunten validate output/build")}
	}
	return nil
}

func validateCommand(stdout, stderr io.Writer, runErr *error) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "re-read an output folder (a build or a release) from disk and run every check on it",
		ArgsUsage: "DIR",
		Description: "Reads every table in Parquet, CSV and JSON, checks rows against schemas/ and the dataset rules,\n" +
			"checks that the three copies agree, that accounting.json covers every raw byte, that each passage's\n" +
			"letters are those of its source stretch in the raw text (--sources; the texts under raw/ that are\n" +
			"unchanged since the folder was built) and, in a release,\n" +
			"SHA256SUMS and the sizes, hashes and row counts in datapackage.json. Prints the report (--json: as\n" +
			"one JSON object on stdout) and a summary on stderr; exits 0 when no check failed with severity error, 3 otherwise.\n\n" + exitCodeHelp,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the validation report as one JSON object on stdout"},
			&cli.StringFlag{Name: "sources", Value: ".", Usage: "folder holding the raw texts as documents.raw_path names them (raw/…): each passage's letters are checked against its source stretch; texts missing or changed there are skipped; \"\" skips the check"},
		},
		OnUsageError: func(_ context.Context, _ *cli.Command, err error, _ bool) error { return usageError{err} },
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.NArg() > 1 {
				return usageError{fmt.Errorf("validate takes one folder, got %q", cmd.Args().Slice())}
			}
			o := validateOptions{Dir: cmd.Args().First(), JSON: cmd.Bool("json"), Sources: cmd.String("sources")}
			if err := o.check(); err != nil {
				return err
			}
			*runErr = runValidate(ctx, o, stdout, stderr)
			return nil
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

func runValidate(ctx context.Context, o validateOptions, stdout, stderr io.Writer) error {
	// A release is checked against its own schemas (in its datapackage.json), a build against
	// the current ones.
	set, err := changes.SchemasOf(o.Dir)
	if err != nil {
		return err
	}
	r, err := check.FolderWithSources(ctx, o.Dir, set, o.Sources)
	if err != nil {
		return usageError{fmt.Errorf("validate %s: %w", o.Dir, err)}
	}
	printFindings(stderr, r)
	if o.JSON {
		if err := encodeJSON(stdout, r); err != nil {
			return err
		}
	}
	state := "valid"
	if !r.Valid {
		state = "NOT valid"
	}
	fmt.Fprintf(stderr, "%s: %s: %d checks, %d errors, %d warnings\n", o.Dir, state, r.ChecksRun, r.Failed[validate.Error], r.Failed[validate.Warning])
	if !r.Valid {
		return invalidFolder{dir: o.Dir, r: r}
	}
	return nil
}
