package validate

import "crypto/sha256"

// keySet is the set of the values seen so far of one table's primary key, or of one unique
// column: what the unique, primary-key and foreign-key checks look values up in. It is the one
// thing the checker keeps for every row, so it keeps each value in a fixed, small form and never
// the string itself (a passage id in a map of strings costs its string header, its bytes and,
// when it was cut from a longer string, all of that string).
//
//   - A value of exactly 16 lowercase hexadecimal digits (the shape of a passage id) is packed
//     into the 8 bytes it spells: exact.
//   - A value of at most 15 bytes is kept as its bytes and its length in 16 bytes: exact.
//   - A longer value is kept as the first 15 bytes of its SHA-256 and a marker byte no length
//     takes. Two different long values meet only when 120 bits of their hashes agree: for ten
//     million values a chance of about 4 in 10²³.
//
// Each form goes into a flatSet, whose slots hold the values themselves: 8 or 16 bytes a slot,
// between 1.25 and 1.56 slots a value. The measured cost is in doc.go (BenchmarkKeySet reports it
// as bytes/key).
type keySet struct {
	hex   flatSet[uint64]
	other flatSet[[16]byte]
}

// hashed is the last byte of the digest of a value longer than 15 bytes; shorter values have
// their length there (0 to 15).
const hashed = 0xff

func newKeySet() *keySet {
	return &keySet{hex: flatSet[uint64]{hash: mix64}, other: flatSet[[16]byte]{hash: mix128}}
}

// add puts v in the set and reports whether it was there already.
func (s *keySet) add(v string) (seen bool) {
	if h, ok := packHex(v); ok {
		return s.hex.add(h)
	}
	return s.other.add(digest(v))
}

// has reports whether v is in the set; a nil set (a table the schemas do not have) holds nothing.
func (s *keySet) has(v string) bool {
	if s == nil {
		return false
	}
	if h, ok := packHex(v); ok {
		return s.hex.has(h)
	}
	return s.other.has(digest(v))
}

// len is the number of values in the set.
func (s *keySet) len() int { return s.hex.n + s.other.n }

// packHex returns the 64 bits that v spells when v is exactly 16 lowercase hex digits.
func packHex(v string) (uint64, bool) {
	if len(v) != 16 {
		return 0, false
	}
	var h uint64
	for i := 0; i < 16; i++ {
		c := v[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			return 0, false
		}
		h = h<<4 | uint64(c)
	}
	return h, true
}

// digest is the 16-byte form of a value that is not packed as hex.
func digest(v string) [16]byte {
	var d [16]byte
	if len(v) < 16 {
		copy(d[:], v)
		d[15] = byte(len(v))
		return d
	}
	sum := sha256.Sum256([]byte(v))
	copy(d[:15], sum[:15])
	d[15] = hashed
	return d
}
