package extract

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLineCutsAgree holds lineCuts to the plain way of keeping cuts (one list, every cut looked
// at for every question) on random lines and random cuts inside them, blank lines included: the
// same cuts are made, the same parts of each line are left, the same lines are left whole.
func TestLineCutsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var b strings.Builder
		var lines []content
		for range 1 + rng.IntN(12) {
			b.WriteString(strings.Repeat(" ", rng.IntN(3)))
			s := b.Len()
			b.WriteString(strings.Repeat("x", rng.IntN(20)))
			lines = append(lines, content{s, b.Len()})
			b.WriteString(strings.Repeat(" ", rng.IntN(3)) + "\n")
		}
		p := &parser{t: &Text{S: b.String()}}
		lc := newLineCuts(lines)
		var plain []cut
		for range rng.IntN(30) {
			l := lines[rng.IntN(len(lines))]
			s := l.s + rng.IntN(l.e-l.s+1)
			e := s + rng.IntN(l.e-s+1)
			covered := false
			for _, c := range plain {
				if s < c.end && c.start < e {
					covered = true
				}
			}
			require.Equal(t, covered, lc.covered(s, e), "round %d: covered(%d, %d)", round, s, e)
			if s < e && !covered {
				plain = append(plain, cut{s, e, "r"})
			}
			lc.add(s, e, "r")
		}
		require.Equal(t, plain, lc.all, "round %d", round)
		var whole [][2]int
		for k, l := range lines {
			require.Equal(t, p.residual(l.s, l.e, plain), p.residual(l.s, l.e, lc.of[k]), "round %d, line %d", round, k)
			cutWhole := false
			for _, c := range plain {
				if c.start <= l.s && l.e <= c.end {
					cutWhole = true
				}
			}
			if l.s < l.e && !cutWhole {
				whole = append(whole, [2]int{l.s, l.e})
			}
		}
		if whole == nil {
			whole = [][2]int{}
		}
		require.Equal(t, whole, lc.ranges(), "round %d", round)
	}
}

// TestLinesHolding holds linesHolding to asking each line whether it holds the literal, on random
// lines of a few letters (so that the literal often straddles a line end or sits in the white
// space around a line) and on the empty literal.
func TestLinesHolding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 500 {
		var b strings.Builder
		var lines []content
		for range rng.IntN(10) {
			b.WriteString(strings.Repeat(" ", rng.IntN(2)))
			s := b.Len()
			for range rng.IntN(8) {
				b.WriteByte("ab "[rng.IntN(3)])
			}
			lines = append(lines, content{s, b.Len()})
			b.WriteString(strings.Repeat(" ", rng.IntN(2)) + "\n")
		}
		p := &parser{t: &Text{S: b.String()}}
		lit := []string{"", "a", "ab", "aba", "b a", "a\na"}[rng.IntN(6)]
		var want []int
		for k, l := range lines {
			if strings.Contains(p.t.S[l.s:l.e], lit) {
				want = append(want, k)
			}
		}
		require.Equal(t, want, p.linesHolding(lines, lit), "round %d: %q in %q", round, lit, p.t.S)
	}
}
