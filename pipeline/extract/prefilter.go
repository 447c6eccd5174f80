package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Prefilters: byte scans that rule out a match of one of the programme-text regexps before the
// regexp runs. Go's regexp tries every start position of every line, and most lines match none of
// these patterns, so a scan that finds the pattern's one necessary ingredient missing saves the
// regexp. Each prefilter may let through a line that does not match (the regexp then decides), but
// never rules out one that does: FuzzPrefilters holds each wrapper below to its plain regexp.
//
// The scans look at bytes, not runes. A \p{Lu} or \p{Ll} rune is an ASCII letter or a multi-byte
// rune, all of whose bytes are 0x80 or above; so "may be a capital" is "A-Z or a byte >= 0x80", and
// a run of n capitals is at least n such bytes in a row.

// mayUpper reports whether byte c can belong to a capital letter (\p{Lu}).
func mayUpper(c byte) bool { return 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf }

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// shift adds off to every set position of a submatch index slice (unset groups stay -1).
func shift(m []int, off int) []int {
	for i := range m {
		if m[i] >= 0 {
			m[i] += off
		}
	}
	return m
}

// glueSent is glueSentRE.FindAllStringIndex(t, -1). The pattern needs one of .!?: right before a
// capital.
func glueSent(t string) [][]int {
	for i := 0; i+1 < len(t); i++ {
		if c := t[i]; (c == '.' || c == '!' || c == '?' || c == ':') && mayUpper(t[i+1]) {
			return glueSentRE.FindAllStringIndex(t, -1)
		}
	}
	return nil
}

// gluePoint is gluePointRE.FindAllStringSubmatchIndex(t, -1). The pattern needs a digit right after
// a space or tab (the point number after the sentence end).
func gluePoint(t string) [][]int {
	for i := 0; i+1 < len(t); i++ {
		if (t[i] == ' ' || t[i] == '\t') && isDigitByte(t[i+1]) {
			return gluePointRE.FindAllStringSubmatchIndex(t, -1)
		}
	}
	return nil
}

// glueBulletGlyphs are the bullet glyphs of glueBulletRE's first alternative.
var glueBulletGlyphs = []string{"•", "▶", "►", "■", "▪", "●", "\uF0B7", "\uF0A7"}

// glueBullet is glueBulletRE.FindAllStringSubmatchIndex(t, -1). The first alternative needs a
// bullet glyph with one of .!?:; before it (past white space and one closing quote or bracket),
// the second a "6" right after a space or tab.
func glueBullet(t string) [][]int {
	if !glyphAfterMark(t, glueBulletGlyphs) && !strings.Contains(t, " 6") && !strings.Contains(t, "\t6") {
		return nil
	}
	return glueBulletRE.FindAllStringSubmatchIndex(t, -1)
}

// glyphAfterMark reports whether one of glyphs occurs in t right after one of .!?:; with only
// spaces and tabs and at most one of "”’) between them, as [.!?:;]["”’)]?[ \t]* has it.
func glyphAfterMark(t string, glyphs []string) bool {
	for _, g := range glyphs {
		for from := 0; ; {
			k := strings.Index(t[from:], g)
			if k < 0 {
				break
			}
			at := from + k
			from = at + len(g)
			j := at
			for j > 0 && (t[j-1] == ' ' || t[j-1] == '\t') {
				j--
			}
			if r, n := utf8.DecodeLastRuneInString(t[:j]); strings.ContainsRune("\"”’)", r) {
				j -= n
			}
			if j > 0 && strings.IndexByte(".!?:;", t[j-1]) >= 0 {
				return true
			}
		}
	}
	return false
}

// capsAfterLower reports whether t may hold a lower-case letter followed by four capitals: a byte
// that can belong to a lower-case letter, then four bytes that can belong to capitals (the last
// byte of the letter and the first four of the capitals), as glueCapsRE (\p{Ll}\p{Lu}{4,}) needs.
func capsAfterLower(t string) bool {
	for i := 0; i+4 < len(t); i++ {
		if c := t[i]; ('a' <= c && c <= 'z' || c >= utf8.RuneSelf) &&
			mayUpper(t[i+1]) && mayUpper(t[i+2]) && mayUpper(t[i+3]) && mayUpper(t[i+4]) {
			return true
		}
	}
	return false
}

// capsBeforeLower reports whether t may hold four capitals followed by a lower-case letter: four
// bytes that can belong to capitals (the last four of the capitals), then one that can belong to a
// lower-case letter, as glueCapsWord (\p{Lu}{3,}\p{Lu}\p{Ll}{2,}) needs.
func capsBeforeLower(t string) bool {
	for i := 0; i+4 < len(t); i++ {
		if c := t[i+4]; ('a' <= c && c <= 'z' || c >= utf8.RuneSelf) &&
			mayUpper(t[i]) && mayUpper(t[i+1]) && mayUpper(t[i+2]) && mayUpper(t[i+3]) {
			return true
		}
	}
	return false
}

// capsLabel is capsLabelRE.FindStringSubmatchIndex(t). The match must end in a capital or "&", and
// its first rune is its only lower-case letter (spaces, digits, a dot, capitals and "&" follow it,
// up to the end of t): so it starts at the last lower-case letter of t, and the regexp runs on the
// stretch from there.
func capsLabel(t string) []int {
	if t == "" || !mayUpper(t[len(t)-1]) && t[len(t)-1] != '&' {
		return nil
	}
	i := lastLower(t)
	if i < 0 {
		return nil
	}
	m := capsLabelRE.FindStringSubmatchIndex(t[i:])
	if m == nil {
		return nil
	}
	return shift(m, i)
}

// lastLower returns the byte offset of the last lower-case letter of t, or -1.
func lastLower(t string) int {
	for i := len(t); i > 0; {
		r, n := utf8.DecodeLastRuneInString(t[:i])
		i -= n
		if unicode.IsLower(r) {
			return i
		}
	}
	return -1
}

// sentenceTail is tailRE.FindStringSubmatchIndex(t). The match starts with one of .!? and holds none
// after it (a closing quote, white space and a tail without those marks follow, up to the end of t):
// so it starts at the last of them in t, and only the stretch from there is read. Nor can that
// stretch hold a colon, semicolon or comma, which the tail excludes too.
func sentenceTail(t string) []int {
	i := strings.LastIndexAny(t, ".!?")
	if i < 0 || strings.ContainsAny(t[i:], ":;,") {
		return nil
	}
	// What tailRE asks of t[i:], read by hand (each part of the pattern can be matched one way
	// only: the optional closing mark and the white space are no capitals, and the tail runs to
	// the end): a closing mark or not, white space, a capital, then 2 to 60 runes none of which
	// is .!?:;,•.
	j := i + 1
	if r, n := utf8.DecodeRuneInString(t[j:]); r == '"' || r == '”' || r == '’' || r == ')' {
		j += n
	}
	k := j
	for k < len(t) {
		r, n := utf8.DecodeRuneInString(t[k:])
		if r != ' ' && r != '\t' && r != '\u00A0' {
			break
		}
		k += n
	}
	if k == j {
		return nil
	}
	r, n := utf8.DecodeRuneInString(t[k:])
	if !unicode.IsUpper(r) || k == len(t) {
		return nil
	}
	rest := t[k+n:]
	if c := utf8.RuneCountInString(rest); c < 2 || c > 60 || strings.ContainsAny(rest, ".!?:;,•") {
		return nil
	}
	return []int{i, len(t), k, len(t)}
}

// gluedEnd is gluedEndRE.FindStringSubmatchIndex(t). The match ends the text with a digit.
func gluedEnd(t string) []int {
	if t == "" || !isDigitByte(t[len(t)-1]) {
		return nil
	}
	return gluedEndRE.FindStringSubmatchIndex(t)
}

// gluedMidGlyphs are the bullet glyphs of gluedMidRE's third alternative.
var gluedMidGlyphs = []string{"•", "▶", "►", "■", "▪", "●"}

// gluedMid is gluedMidRE.FindAllStringSubmatchIndex(t, -1). The first two alternatives need a
// number of one to three digits (the class before it holds no digit) right before a letter; the
// third a bullet glyph after a number and white space.
func gluedMid(t string) [][]int {
	if !shortNumberBeforeLetter(t) && !glyphAfterNumber(t, gluedMidGlyphs) {
		return nil
	}
	return gluedMidRE.FindAllStringSubmatchIndex(t, -1)
}

// glyphAfterNumber reports whether one of glyphs occurs in t after a digit and one or more spaces
// or tabs, as [0-9][ \t]+ has it.
func glyphAfterNumber(t string, glyphs []string) bool {
	for _, g := range glyphs {
		for from := 0; ; {
			k := strings.Index(t[from:], g)
			if k < 0 {
				break
			}
			at := from + k
			from = at + len(g)
			j := at
			for j > 0 && (t[j-1] == ' ' || t[j-1] == '\t') {
				j--
			}
			if j < at && j > 0 && isDigitByte(t[j-1]) {
				return true
			}
		}
	}
	return false
}

// shortNumberBeforeLetter reports whether t holds a run of one to three digits with a letter right
// after it.
func shortNumberBeforeLetter(t string) bool {
	for i := 0; i < len(t); {
		if !isDigitByte(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isDigitByte(t[j]) {
			j++
		}
		if j-i <= 3 && j < len(t) {
			if r, _ := utf8.DecodeRuneInString(t[j:]); unicode.IsLetter(r) {
				return true
			}
		}
		i = j
	}
	return false
}

// pagina is paginaRE.FindAllStringIndex(t, -1). The pattern needs "pagina", "page" or "blz" in any
// case; none of their letters has a case variant outside ASCII (as "k" and "s" have: the Kelvin
// sign, the long s), so an ASCII case-insensitive search for "pag" or "blz" is exact.
func pagina(t string) [][]int {
	if !containsPagOrBlz(t) {
		return nil
	}
	return paginaRE.FindAllStringIndex(t, -1)
}

// containsPagOrBlz is containsFoldASCII(t, "pag") || containsFoldASCII(t, "blz") in one pass.
func containsPagOrBlz(t string) bool {
	for i := 0; i+3 <= len(t); i++ {
		switch t[i] | 0x20 {
		case 'p':
			if t[i+1]|0x20 == 'a' && t[i+2]|0x20 == 'g' {
				return true
			}
		case 'b':
			if t[i+1]|0x20 == 'l' && t[i+2]|0x20 == 'z' {
				return true
			}
		}
	}
	return false
}

// containsFoldASCII reports whether t contains word (lower-case ASCII letters) in any ASCII case.
func containsFoldASCII(t, word string) bool {
	for i := 0; i+len(word) <= len(t); i++ {
		k := 0
		for k < len(word) && t[i+k]|0x20 == word[k] {
			k++
		}
		if k == len(word) {
			return true
		}
	}
	return false
}

// endsSentence is sentenceEnd.MatchString(t): t ends in one of .!?:;… followed only by closing
// quotes and brackets. The marks and the closers are different characters, so the mark must stand
// right before the closers at the end.
func endsSentence(t string) bool {
	t = strings.TrimRight(t, "\"'’”)]")
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".!?:;…", r)
}

// glueCaps is glueCapsRE.FindAllStringIndex(t, -1): a lower-case letter running into four capitals
// or more (capsAfterLower).
func glueCaps(t string) [][]int {
	if !capsAfterLower(t) {
		return nil
	}
	return glueCapsRE.FindAllStringIndex(t, -1)
}

// glueCapsWords is glueCapsWord.FindAllStringIndex(t, -1): four capitals or more running into a
// lower-case word (capsBeforeLower).
func glueCapsWords(t string) [][]int {
	if !capsBeforeLower(t) {
		return nil
	}
	return glueCapsWord.FindAllStringIndex(t, -1)
}

// startRE is a regexp anchored at the start of the text (^, no empty match) with the bytes its
// match can begin with: a text that begins with another byte, or is empty, does not match, and the
// regexp is not run. The patterns are tried on every line and segment, and most begin with a
// letter that none of them accepts.
type startRE struct {
	re    *regexp.Regexp
	first [256]bool
}

// anchoredAt compiles pattern, whose match begins with a byte of first: ASCII characters, and
// "\x80" for any byte of a multi-byte rune.
func anchoredAt(pattern, first string) *startRE {
	s := &startRE{re: regexp.MustCompile(pattern)}
	for i := 0; i < len(first); i++ {
		if first[i] == 0x80 {
			for b := 0x80; b < 0x100; b++ {
				s.first[b] = true
			}
			continue
		}
		s.first[first[i]] = true
	}
	return s
}

func (s *startRE) may(t string) bool { return t != "" && s.first[t[0]] }

func (s *startRE) MatchString(t string) bool { return s.may(t) && s.re.MatchString(t) }

func (s *startRE) FindString(t string) string {
	if !s.may(t) {
		return ""
	}
	return s.re.FindString(t)
}

func (s *startRE) FindStringSubmatch(t string) []string {
	if !s.may(t) {
		return nil
	}
	return s.re.FindStringSubmatch(t)
}

func (s *startRE) FindStringSubmatchIndex(t string) []int {
	if !s.may(t) {
		return nil
	}
	return s.re.FindStringSubmatchIndex(t)
}

// furnitureWordIn is furnitureWord.MatchString(t). The pattern needs "programma", "pagina",
// "hoofd…" or "inhoud…" in any case; those letters have no case variant outside ASCII (the "s" and
// "k" further on in "hoofdstuk" and "inhoudsopgave" do, so the search stops before them).
func furnitureWordIn(t string) bool {
	for _, w := range []string{"programma", "pagina", "hoofd", "inhoud"} {
		if containsFoldASCII(t, w) {
			return furnitureWord.MatchString(t)
		}
	}
	return false
}

// glueMatches are the matches glueSplit splits a line at, one list per pattern: what glueSent,
// gluePoint, glueBullet, glueCaps and glueCapsWords give. Their prefilters are read in one pass
// over the line (glueHints) rather than five, and each regexp runs only where its prefilter lets
// it.
type glueMatches struct{ sent, point, bullet, caps, capsWords [][]int }

func findGlue(t string) glueMatches {
	var g glueMatches
	h := glueHints(t)
	if h&hintSent != 0 {
		g.sent = glueSentRE.FindAllStringIndex(t, -1)
	}
	if h&hintPoint != 0 {
		g.point = gluePointRE.FindAllStringSubmatchIndex(t, -1)
	}
	if h&hintBullet != 0 {
		g.bullet = glueBullet(t) // its own prefilter decides: the hint only rules lines out
	}
	if h&hintCaps != 0 {
		g.caps = glueCapsRE.FindAllStringIndex(t, -1)
	}
	if h&hintCapsWords != 0 {
		g.capsWords = glueCapsWord.FindAllStringIndex(t, -1)
	}
	return g
}

const (
	hintSent      = 1 << iota // one of .!?: right before a byte that may be a capital (glueSent)
	hintPoint                 // a digit right after a space or tab (gluePoint)
	hintBullet                // " 6", "\t6", or the first bytes of a bullet glyph (glueBullet)
	hintCaps                  // capsAfterLower (glueCaps)
	hintCapsWords             // capsBeforeLower (glueCapsWords)
)

// glueHints reads the prefilters of findGlue's patterns in one pass: a bit that is not set rules
// its pattern out. The bits of glueSent, gluePoint, glueCaps and glueCapsWords are their
// prefilters exactly; that of glueBullet also lets through a line with the first two bytes of a
// bullet glyph anywhere, for glueBullet to look at.
func glueHints(t string) int {
	h := 0
	up := 0 // how many bytes that may belong to capitals end at t[j]
	for j := 0; j < len(t); j++ {
		c := t[j]
		k := glueClass[c]
		// capsBeforeLower: four bytes of capitals, then a byte of a lower-case letter here.
		if up >= 4 && k&classLower != 0 {
			h |= hintCapsWords
		}
		if k&classUpper == 0 {
			up = 0
		} else if up++; up >= 4 && j >= 4 && glueClass[t[j-4]]&classLower != 0 {
			// capsAfterLower: a byte of a lower-case letter, then four of capitals ending here.
			h |= hintCaps
		}
		if k&classSpecial == 0 || j+1 == len(t) {
			continue
		}
		d := t[j+1]
		switch {
		case c == '.' || c == '!' || c == '?' || c == ':':
			if mayUpper(d) {
				h |= hintSent
			}
		case c == ' ' || c == '\t':
			if isDigitByte(d) {
				h |= hintPoint
				if d == '6' {
					h |= hintBullet
				}
			}
		case c == 0xE2:
			// • is E2 80 A2; ▶ ► ■ ▪ E2 96 …; ● E2 97 8F.
			if d == 0x96 || d == 0x97 || d == 0x80 && j+2 < len(t) && t[j+2] == 0xA2 {
				h |= hintBullet
			}
		case c == 0xEF:
			if d == 0x82 { // U+F0B7 and U+F0A7: EF 82 …
				h |= hintBullet
			}
		}
	}
	return h
}

// glueClass sorts the bytes for glueHints: those that may belong to a capital or to a lower-case
// letter (bytes of other runes are both), and those that start one of the two-byte tests.
var glueClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if mayUpper(b) {
			t[c] |= classUpper
		}
		if 'a' <= b && b <= 'z' || b >= utf8.RuneSelf {
			t[c] |= classLower
		}
		switch b {
		case '.', '!', '?', ':', ' ', '\t', 0xE2, 0xEF:
			t[c] |= classSpecial
		}
	}
	return t
}()

const (
	classUpper = 1 << iota
	classLower
	classSpecial
)
