package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lexicon is the set of hyphenated words (letters-hyphen-letters, as in "AI-geletterdheid") that
// occur inside lines anywhere in the corpus. A line-end hyphen is kept when the word it would form
// is in the lexicon, and removed otherwise.
type Lexicon map[string]struct{}

// suffixes are Dutch derivational endings that never start the second part of a hyphenated compound.
var suffixes = map[string]bool{
	"heid": true, "heden": true, "lijk": true, "lijke": true, "lijkheid": true, "ing": true, "ingen": true,
	"isch": true, "ische": true, "baar": true, "bare": true, "schap": true, "schappen": true, "tie": true,
	"ties": true, "teit": true, "teiten": true, "loos": true, "loze": true, "achtig": true, "achtige": true,
}

// Has reports whether the hyphenated word occurs in the corpus.
func (l Lexicon) Has(w string) bool { _, ok := l[w]; return ok }

// Add records the hyphenated words of a text. A hyphen at a line end is not an occurrence: that is
// the case the lexicon decides.
func (l Lexicon) Add(text string) {
	// Every word recorded has a hyphen in it: only the lines that hold one are read, found from
	// their hyphens, and in them only the words around a hyphen. A word is a run of letters,
	// digits, combining marks and hyphens.
	for pos := 0; pos < len(text); {
		h := strings.IndexByte(text[pos:], '-')
		if h < 0 {
			break
		}
		start := lineStart(text, pos+h)
		end, _ := nextBreak(text, pos+h)
		pos = end + 1 // past the line and (at least) the first byte of its break
		ln := strings.TrimRightFunc(text[start:end], isSpace)
		for k := 0; k < len(ln); {
			j := strings.IndexByte(ln[k:], '-')
			if j < 0 {
				break
			}
			fs, fe := k+j, k+j+1
			for fs > k {
				r, n := utf8.DecodeLastRuneInString(ln[:fs])
				if !isWordChar(r) && r != '-' {
					break
				}
				fs -= n
			}
			for fe < len(ln) {
				r, n := utf8.DecodeRuneInString(ln[fe:])
				if !isWordChar(r) && r != '-' {
					break
				}
				fe += n
			}
			l.addWord(ln[fs:fe])
			k = fe
		}
	}
}

// addWord records w, a word with a hyphen in it, if it is a hyphenated word: its hyphens (those at
// its ends left out) each stand between a letter or digit and a part that is no suffix.
func (l Lexicon) addWord(f string) {
	f = strings.Trim(f, "-")
	if !strings.Contains(f, "-") {
		return
	}
	// The parts, as offsets into f: part i is f[at[i]:at[i+1]-1] (the last one ends at len(f)).
	var at [16]int
	bounds := append(at[:0], 0)
	for i := 0; i < len(f); i++ {
		if f[i] == '-' {
			bounds = append(bounds, i+1)
		}
	}
	bounds = append(bounds, len(f)+1)
	part := func(i int) string { return f[bounds[i] : bounds[i+1]-1] }
	n := len(bounds) - 1
	for i := 0; i < n; i++ {
		p := part(i)
		r, _ := utf8.DecodeRuneInString(p)
		if p == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return
		}
		// "verantwoordelijk-heid": a hyphen before a suffix is a line-end hyphen that the PDF
		// extraction left inside a line, not a compound.
		if i > 0 && suffixes[p] {
			return
		}
	}
	// Record every adjacent pair too, so "hoog-risico" is found inside "hoog-risico-algoritmen".
	for i := 0; i+1 < n; i++ {
		l.put(f[bounds[i] : bounds[i+2]-1])
	}
	l.put(f)
}

// put records w, copied: a word taken out of a text would keep the whole text in memory.
func (l Lexicon) put(w string) {
	if _, ok := l[w]; !ok {
		l[strings.Clone(w)] = struct{}{}
	}
}
