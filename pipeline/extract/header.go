package extract

import (
	"fmt"
	"regexp"
	"strings"
)

// headerPattern is the pattern of a running header (repeatedEdges) as a list of parts, matched by
// hand: Go's regexp tries every position of every line that holds the header's literal, and such
// a pattern (no literal prefix when it starts with a number) makes it try them slowly. The parts
// are the only three kinds the header patterns are made of, and the regexp the build compiles is
// written from them (source), so both read the same pattern; FuzzHeaderPattern holds findAll to
// that regexp's FindAllStringIndex.
type headerPattern []headerPart

// headerPart is one part of a header pattern: a literal, a run of spaces, tabs and no-break
// spaces ([ \t\x{00A0}]+), or lo to hi ASCII digits ([0-9]{lo,hi}).
type headerPart struct {
	kind   headerKind
	lit    string
	lo, hi int
}

type headerKind uint8

const (
	partLiteral headerKind = iota
	partSpace
	partDigits
)

// literal appends the literal s, joined to a literal before it.
func (hp headerPattern) literal(s string) headerPattern {
	if n := len(hp); n > 0 && hp[n-1].kind == partLiteral {
		hp[n-1].lit += s
		return hp
	}
	return append(hp, headerPart{kind: partLiteral, lit: s})
}

// space appends a run of white space.
func (hp headerPattern) space() headerPattern { return append(hp, headerPart{kind: partSpace}) }

// digits appends lo to hi digits (1 <= lo <= hi).
func (hp headerPattern) digits(lo, hi int) headerPattern {
	return append(hp, headerPart{kind: partDigits, lo: lo, hi: hi})
}

// source is the pattern as a regexp.
func (hp headerPattern) source() string {
	var b strings.Builder
	for _, p := range hp {
		switch p.kind {
		case partLiteral:
			b.WriteString(regexp.QuoteMeta(p.lit))
		case partSpace:
			b.WriteString(`[ \t\x{00A0}]+`)
		case partDigits:
			fmt.Fprintf(&b, `[0-9]{%d,%d}`, p.lo, p.hi)
		}
	}
	return b.String()
}

// findAll is regexp.MustCompile(hp.source()).FindAllStringIndex(t, -1) for a pattern whose
// literals are valid UTF-8 and that matches no empty string (every part takes a byte or more):
// the leftmost match, then the leftmost after it, and so on. At each start the parts are tried
// as the regexp's leftmost-first rule tries them: each run as long as it goes first, shorter
// ones when what follows fails.
func (hp headerPattern) findAll(t string) [][]int {
	if len(hp) == 0 {
		return nil
	}
	var first [256]bool // the bytes a match can start with
	switch p := hp[0]; p.kind {
	case partLiteral:
		first[p.lit[0]] = true
	case partSpace:
		first[' '], first['\t'], first[0xC2] = true, true, true
	case partDigits:
		for c := '0'; c <= '9'; c++ {
			first[c] = true
		}
	}
	var out [][]int
	for i := 0; i < len(t); {
		if first[t[i]] {
			if e := hp.matchAt(t, i, 0); e > i {
				out = append(out, []int{i, e})
				i = e
				continue
			}
		}
		i++
	}
	return out
}

// matchAt matches parts hp[k:] at t[i:] and returns where the match ends, or -1.
func (hp headerPattern) matchAt(t string, i, k int) int {
	for ; k < len(hp); k++ {
		switch p := hp[k]; p.kind {
		case partLiteral:
			if !strings.HasPrefix(t[i:], p.lit) {
				return -1
			}
			i += len(p.lit)
		case partSpace:
			j := i
			for j < len(t) {
				if c := t[j]; c == ' ' || c == '\t' {
					j++
				} else if c == 0xC2 && j+1 < len(t) && t[j+1] == 0xA0 {
					j += 2
				} else {
					break
				}
			}
			if k+1 == len(hp) {
				if j == i {
					return -1
				}
				return j
			}
			for j > i { // the longest run first, then one character less at a time
				if e := hp.matchAt(t, j, k+1); e >= 0 {
					return e
				}
				if t[j-1] == 0xA0 {
					j -= 2
				} else {
					j--
				}
			}
			return -1
		case partDigits:
			j := i
			for j < len(t) && j-i < p.hi && isDigitByte(t[j]) {
				j++
			}
			if k+1 == len(hp) {
				if j-i < p.lo {
					return -1
				}
				return j
			}
			for ; j-i >= p.lo; j-- {
				if e := hp.matchAt(t, j, k+1); e >= 0 {
					return e
				}
			}
			return -1
		}
	}
	return i
}
