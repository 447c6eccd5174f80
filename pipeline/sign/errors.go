package sign

import (
	"errors"

	"github.com/standpunten/standpunten/pipeline/model"
)

// Namespace is the SSHSIG namespace of a release signature: what `ssh-keygen -Y sign -n` and
// `ssh-keygen -Y verify -n` get. It is the project's own rather than ssh-keygen's generic "file",
// so that no other file signed with the same key (with -n file, or a git commit with -n git) can
// pass for a release signature; an allowed_signers line may restrict a key to it with
// namespaces="standpunten-release".
const Namespace = "standpunten-release"

// Sentinel errors, for errors.Is. Every error of Sign and Verify wraps exactly one of them,
// except a file that cannot be read (an I/O error, which wraps the fs error, or a path that is
// not a regular file); errors.As also finds a
// *model.SourceError with the file, line and column at fault and a hint, except for the
// signature's own errors, which name no file (the caller knows which file it read).
var (
	// ErrKey: the signing key cannot be used (unreadable format, encrypted, readable by others,
	// an unsupported type, not in ssh-agent).
	ErrKey = errors.New("unusable signing key")
	// ErrAllowedSigners: the allowed_signers file has a line that does not parse, or lists no key.
	ErrAllowedSigners = errors.New("bad allowed_signers file")
	// ErrMalformed: the signature is not an armored SSHSIG signature this package can check.
	ErrMalformed = errors.New("malformed signature")
	// ErrNamespace: the signature was made for another namespace than Namespace.
	ErrNamespace = errors.New("signature for another namespace")
	// ErrMismatch: the signature does not match the message: the message (or the signature) was
	// changed after signing.
	ErrMismatch = errors.New("signature does not match")
	// ErrNotAllowed: the signature is good, but its key is not allowed by the allowed_signers
	// file (not listed, restricted to other namespaces, not yet or no longer valid).
	ErrNotAllowed = errors.New("not signed by an allowed key")
)

// sigError is a problem with the signature bytes themselves: a message and what to do.
type sigError struct{ msg, hint string }

func (e *sigError) Error() string {
	if e.hint == "" {
		return "signature: " + e.msg
	}
	return "signature: " + e.msg + " (" + e.hint + ")"
}

// signatureErr is an error of kind about the signature bytes.
func signatureErr(kind error, msg, hint string) error {
	return model.Classified(kind, &sigError{msg: msg, hint: hint})
}

// fileErr is an error of kind at file:line:col (line and col 0 when unknown).
func fileErr(kind error, file string, line, col int, msg, hint string) error {
	return model.Classified(kind, &model.SourceError{File: file, Line: line, Col: col, Msg: msg, Hint: hint})
}
