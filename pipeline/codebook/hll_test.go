package codebook

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The distinct count is exact up to exactDistinct values, then an estimate within a few percent
// (the sketch's standard error is about 0.8%; the hashes are fixed, so the figures are too).
func TestDistinctSet(t *testing.T) {
	for _, n := range []int{0, 1, 1000, exactDistinct, exactDistinct + 1, 400_000, 2_000_000} {
		if testing.Short() && n > 400_000 {
			continue
		}
		var ints, texts distinctSet
		for i := range n {
			ints.addInt(int64(i))
			ints.addInt(int64(i)) // twice: counted once
			texts.addText("tekst " + strconv.Itoa(i))
		}
		for _, s := range []*distinctSet{&ints, &texts} {
			got, est := s.len()
			if n <= exactDistinct {
				assert.False(t, est, "n=%d", n)
				assert.Equal(t, n, got, "n=%d", n)
				continue
			}
			assert.True(t, est, "n=%d", n)
			assert.InEpsilon(t, n, got, 0.03, "n=%d: estimated %d", n, got)
			assert.Nil(t, s.ints, "the exact sets are let go once folded")
			assert.Nil(t, s.hashes)
		}
	}
}

func TestRoundTo3(t *testing.T) {
	for in, want := range map[int]int{0: 0, 999: 999, 1000: 1000, 1234: 1230, 1235: 1240, 236618: 237000, 2336322: 2340000} {
		assert.Equal(t, want, roundTo3(in), "%d", in)
	}
}
