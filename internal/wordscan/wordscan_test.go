package wordscan

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzWord holds the word tests to looking at the eight bytes one by one.
func FuzzWord(f *testing.F) {
	f.Add([]byte("abcdefgh"), byte('d'), byte(0x20))
	f.Add([]byte{0, 0x80, 0xff, 0x7f, 0x20, 0x1f, 0x01, 0xe2}, byte(0xe2), byte(0x80))
	f.Fuzz(func(t *testing.T, b []byte, c, n byte) {
		if len(b) < 8 {
			return
		}
		n %= 0x81
		w := Load64(b, 0)
		require.Equal(t, binary.LittleEndian.Uint64(b), w)
		require.Equal(t, w, Load64(string(b), 0))
		var zero, has, below bool
		for _, x := range b[:8] {
			zero, has, below = zero || x == 0, has || x == c, below || x < n
		}
		require.Equal(t, zero, HasZero(w), "%x", b[:8])
		require.Equal(t, has, HasByte(w, c), "%x %x", b[:8], c)
		require.Equal(t, below, HasBelow(w, n), "%x %x", b[:8], n)
	})
}
