// Package model holds the record types every stage shares: the six table rows, the document formats
// and passage kinds, and the hand-off between extract and normalize. It does no I/O and imports no
// stage; the stages import it and never each other.
package model
