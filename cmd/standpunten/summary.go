package main

import (
	"errors"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// The --json summaries: one struct per command, printed as one line of JSON on stdout when the
// run ends, on success and on failure. Every one starts with status, exit_code and, when the
// run failed, error. status is the command's own word for what it did (below), "failed",
// or "canceled" (stopped by SIGINT or SIGTERM).

// summary is a command's --json summary; run sets the outcome when the exit code is known.
type summary interface {
	setOutcome(status string, code int, err error)
}

// outcome is the part every summary shares (and the whole summary of a command line that was
// refused before a command ran).
type outcome struct {
	Status   string `json:"status"`
	ExitCode int    `json:"exit_code"`
	Error    string `json:"error,omitempty"`
}

func (o *outcome) setOutcome(status string, code int, err error) {
	o.Status, o.ExitCode = status, code
	if err != nil {
		o.Error = err.Error()
	}
}

// releaseSummary is release --json. status: published, up-to-date, dry-run, failed, canceled.
type releaseSummary struct {
	outcome
	Version    string              `json:"version,omitempty"`  // the new release; when up to date, the latest
	Previous   string              `json:"previous,omitempty"` // the release before version; absent for the first
	Level      string              `json:"level,omitempty"`    // none, patch, minor, major
	Reasons    []string            `json:"reasons,omitempty"`  // why that level, one sentence each
	Path       string              `json:"path,omitempty"`     // the release folder
	Validation *changes.Validation `json:"validation,omitempty"`
	Findings   []validate.Finding  `json:"findings,omitempty"` // the errors, when validation failed
	// ByFingerprint: up to date decided from the recorded fingerprint of the inputs, without building.
	ByFingerprint bool `json:"by_fingerprint,omitempty"`
}

// buildSummary is build --json. status: built, failed, canceled. On success it holds the
// build's summary (out, files, documents, rows, validation); on a failed validation, the errors.
type buildSummary struct {
	outcome
	*build.Summary
	Findings []validate.Finding `json:"findings,omitempty"`
}

// verifySummary is verify --json. status: verified, mismatch (exit 3), failed, canceled.
type verifySummary struct {
	outcome
	Version    string   `json:"version,omitempty"`    // the release compared
	Files      int      `json:"files,omitempty"`      // files compared
	Mismatches []string `json:"mismatches,omitempty"` // one line per file that differs, is missing or is extra
}

// diffSummary is diff --json. status: compared, failed. On success it holds the changes as a
// release's changes.json does, with NEW's date, notes and validation when NEW is a release.
type diffSummary struct {
	outcome
	*changes.Changes
}

// validateSummary is validate --json. status: valid, invalid (exit 3), failed, canceled. It holds
// the folder and the validation report (valid, checks_run, failed, findings).
type validateSummary struct {
	outcome
	Dir string `json:"dir"`
	*validate.Report
}

// invalidReport is the validation report of a build that failed validation.
func invalidReport(err error) (validate.Report, bool) {
	var inv *build.InvalidError
	if !errors.As(err, &inv) {
		return validate.Report{}, false
	}
	return inv.Report, true
}

// errorFindings are the error findings of a build that failed validation, or nil.
func errorFindings(err error) []validate.Finding {
	r, ok := invalidReport(err)
	if !ok {
		return nil
	}
	var out []validate.Finding
	for _, f := range r.Findings {
		if f.Severity == validate.Error {
			out = append(out, f)
		}
	}
	return out
}
