package extract

// Helpers for scans that read eight bytes as one uint64 and look at a word byte by byte only where
// the scan stops (Account, line breaks).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// hasZero reports whether a byte of w is 0.
func hasZero(w uint64) bool { return (w-ones)&^w&highs != 0 }

// load64 is s[i:i+8] as a little-endian uint64.
func load64[T string | []byte](s T, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}
