package extract

import (
	"encoding/binary"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/standpunten/standpunten/internal/wordscan"

	"github.com/standpunten/standpunten/pipeline/model"
)

// Account assigns every byte of the raw file to one class: inside a passage, inside structure,
// white space, or dropped with a reason. It fails if two spans overlap or a byte that is not white
// space belongs to no span: both mean a parser lost or doubled text.
func Account(t *Text, ex *model.Extracted) (model.Accounting, error) {
	acc := model.Accounting{DocumentID: ex.Document.ID, RawPath: ex.Document.RawPath, Bytes: int64(len(t.Raw)),
		Classes: map[model.Class]int64{model.ClassPassage: 0, model.ClassStructure: 0, model.ClassWhitespace: 0, model.ClassDropped: 0},
		Labels:  map[string]int64{}, Dropped: []model.DroppedSpan{}}
	const none = 0
	classOf := make([]uint8, len(t.Raw)) // 0 none, 1+index into classes
	classes := []model.Class{model.ClassPassage, model.ClassStructure, model.ClassWhitespace, model.ClassDropped}
	idx := map[model.Class]uint8{}
	for i, c := range classes {
		idx[c] = uint8(i + 1)
	}
	dropped, passage := idx[model.ClassDropped], idx[model.ClassPassage]
	mark := func(s, e int64, c model.Class, what string) error {
		if s < 0 || e > int64(len(t.Raw)) || s > e {
			return fmt.Errorf("%s: %s span %d..%d lies outside the file (%d bytes)", t.File, what, s, e, len(t.Raw))
		}
		ci := idx[c]
		for i := s; i < e; i++ {
			if classOf[i] != none {
				l, col := position(t.Raw, int(i))
				return fmt.Errorf("%s:%d:%d: %s span %d..%d overlaps another span", t.File, l, col, what, s, e)
			}
			classOf[i] = ci
		}
		acc.Classes[c] += e - s
		return nil
	}
	lines := lineEnds(t.Raw)
	for _, sp := range ex.Spans {
		if err := mark(sp.Start, sp.End, sp.Class, sp.Label); err != nil {
			return acc, err
		}
		acc.Labels[string(sp.Class)+":"+sp.Label] += sp.End - sp.Start
		if sp.Class == model.ClassDropped {
			acc.Dropped = append(acc.Dropped, model.DroppedSpan{Start: sp.Start, End: sp.End, Line: int64(lines.line(int(sp.Start))), Reason: sp.Label, Text: decodeSpan(t, sp)})
		}
	}
	// A passage's span is its outer stretch: dropped furniture inside it (a running header between
	// two lines of a paragraph) stays dropped; anything else inside it is an overlap.
	for _, u := range ex.Units {
		if u.Start < 0 || u.End > int64(len(t.Raw)) || u.Start > u.End {
			return acc, fmt.Errorf("%s: %s span %d..%d lies outside the file (%d bytes)", t.File, u.Kind, u.Start, u.End, len(t.Raw))
		}
		for i := u.Start; i < u.End; {
			if classOf[i] == dropped {
				i++
				continue
			}
			// The stretch up to the next dropped byte is the passage's (mark, without reading it
			// twice): it must be in no span yet.
			j := i + int64(unmarked(classOf[i:u.End]))
			if j < u.End && classOf[j] != dropped {
				e := j
				for e < u.End && classOf[e] != dropped {
					e++
				}
				l, col := position(t.Raw, int(j))
				return acc, fmt.Errorf("%s:%d:%d: %s span %d..%d overlaps another span", t.File, l, col, u.Kind, i, e)
			}
			fill(classOf[i:j], passage)
			acc.Classes[model.ClassPassage] += j - i
			i = j
		}
	}
	// The rest must be white space: walk the decoded text and map each rune back to raw bytes.
	for i := 0; i < len(t.S); {
		if t.off == nil {
			// UTF-8 text maps onto the raw bytes one to one: pass over the ASCII bytes that are
			// accounted for already without mapping them one by one.
			i += accountedASCII(t.S[i:], classOf[i+t.bom:])
			if i == len(t.S) {
				break
			}
		}
		r, n := rune(t.S[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(t.S[i:])
		}
		rs, re := t.RawOffset(i), t.RawOffset(i+n)
		if classOf[rs] == none {
			if !isSpace(r) {
				l, col := position(t.Raw, int(rs))
				return acc, fmt.Errorf("%s:%d:%d: byte %d (%q) is in no passage, structure or dropped span", t.File, l, col, rs, r)
			}
			if err := mark(rs, re, model.ClassWhitespace, "white space"); err != nil {
				return acc, err
			}
		}
		i += n
	}
	var sum int64
	for _, v := range acc.Classes {
		sum += v
	}
	if sum != acc.Bytes {
		return acc, fmt.Errorf("%s: accounted %d of %d bytes", t.File, sum, acc.Bytes)
	}
	return acc, nil
}

// Word-at-a-time scans of Account (package wordscan): eight bytes of classOf or of the text are
// read as one uint64, and only the word in which the scan stops is looked at byte by byte.

// unmarked is the number of bytes at the start of classOf that are in no span (0).
func unmarked(classOf []uint8) int {
	n := 0
	for n+8 <= len(classOf) && wordscan.Load64(classOf, n) == 0 {
		n += 8
	}
	for n < len(classOf) && classOf[n] == 0 {
		n++
	}
	return n
}

// fill sets every byte of b to c.
func fill(b []uint8, c uint8) {
	n := 0
	for ; n+8 <= len(b); n += 8 {
		binary.LittleEndian.PutUint64(b[n:], uint64(c)*wordscan.Ones)
	}
	for ; n < len(b); n++ {
		b[n] = c
	}
}

// accountedASCII is the number of bytes at the start of s that are ASCII and whose classOf, the
// byte at the same index, is in a span already (not 0). classOf is at least as long as s.
func accountedASCII(s string, classOf []uint8) int {
	n := 0
	for n+8 <= len(s) {
		if wordscan.Load64(s, n)&wordscan.Highs != 0 || wordscan.HasZero(wordscan.Load64(classOf, n)) {
			break
		}
		n += 8
	}
	for n < len(s) && s[n] < utf8.RuneSelf && classOf[n] != 0 {
		n++
	}
	return n
}

// breakEnds holds the offset just past each line break of a raw file, in order: the starts of its
// lines after the first.
type breakEnds []int

// lineEnds finds the line breaks of b as position does, so that line gives position's line.
func lineEnds(b []byte) breakEnds {
	var out breakEnds
	for k := 0; k < len(b); {
		// No line break starts with another byte than those of breakFirst (breakAt).
		if k = breakCandidate(b, k); k == len(b) {
			break
		}
		n := breakAt(b, k)
		if n == 0 {
			k++
			continue
		}
		k += n
		out = append(out, k)
	}
	return out
}

// line is the 1-based line of byte i, as position(b, i) gives it: one more than the number of line
// breaks that end at or before i (a byte inside a CRLF belongs to the line before).
func (ends breakEnds) line(i int) int {
	return 1 + sort.SearchInts(ends, i+1)
}

func decodeSpan(t *Text, sp model.Span) string {
	// Spans are built from decoded offsets, so find the decoded stretch that maps onto them.
	if t.off == nil {
		return string(t.Raw[sp.Start:sp.End])
	}
	s, e := -1, -1
	for i := range t.S {
		if s < 0 && int64(t.off[i]) >= sp.Start {
			s = i
		}
		if int64(t.off[i]) >= sp.End {
			e = i
			break
		}
	}
	if e < 0 {
		e = len(t.S)
	}
	return t.S[s:e]
}
