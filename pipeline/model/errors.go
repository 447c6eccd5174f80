package model

import (
	"errors"
	"fmt"
)

// SourceError is a problem in an input file at a known place. It prints as
// `file:line:col: message` followed by what to do, so editors and people can jump to it.
type SourceError struct {
	File string // path as the user gave it
	Line int    // 1-based; 0 when unknown
	Col  int    // 1-based; 0 when unknown
	Msg  string
	Hint string // what to do next; may be empty
}

func (e *SourceError) Error() string {
	pos := e.File
	if e.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, e.Line)
		if e.Col > 0 {
			pos = fmt.Sprintf("%s:%d", pos, e.Col)
		}
	}
	s := pos + ": " + e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Sentinel errors that callers branch on (exit codes).
var (
	// ErrConfig marks a problem with the registry files (sources.toml, parties.toml, elections.toml).
	ErrConfig = errors.New("configuration error")
	// ErrInput marks a raw text the pipeline cannot read or parse.
	ErrInput = errors.New("input error")
	// ErrInvalid marks built tables that failed validation, or a release that no longer matches
	// what its inputs build.
	ErrInvalid = errors.New("validation failed")
	// ErrLocked marks a run refused because another run holds the output folder's lock.
	ErrLocked = errors.New("locked")
)

// Classified wraps err so that errors.Is(err, kind) holds while the message stays err's own.
func Classified(kind, err error) error { return &classified{kind: kind, err: err} }

type classified struct{ kind, err error }

func (c *classified) Error() string   { return c.err.Error() }
func (c *classified) Unwrap() []error { return []error{c.kind, c.err} }
