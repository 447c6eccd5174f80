// Package wordscan holds what the byte scans of the hot paths share when they read eight bytes as
// one uint64 and look at single bytes only in the word where a scan stops: the line breaks and the
// accounting of a raw text (pipeline/extract), JSON quoting (pipeline/publish) and the letters
// check of the provenance (pipeline/validate). Each scan is held to a byte-by-byte reference by a
// fuzz target in its package.
package wordscan

const (
	Ones  = 0x0101010101010101 // 0x01 in every byte
	Highs = 0x8080808080808080 // the high bit of every byte: a word with none is ASCII
)

// HasZero reports whether a byte of w is 0.
func HasZero(w uint64) bool { return (w-Ones)&^w&Highs != 0 }

// HasByte reports whether a byte of w is c.
func HasByte(w uint64, c byte) bool { return HasZero(w ^ uint64(c)*Ones) }

// HasBelow reports whether a byte of w is below n, for n up to 0x80: subtracting n from every byte
// borrows into the high bit of such a byte (exact as a test of the whole word).
func HasBelow(w uint64, n byte) bool { return (w-uint64(n)*Ones)&^w&Highs != 0 }

// Load64 is s[i:i+8] as a little-endian uint64.
func Load64[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}
