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
	// their hyphens.
	for pos := 0; pos < len(text); {
		h := strings.IndexByte(text[pos:], '-')
		if h < 0 {
			break
		}
		start := lineStart(text, pos+h)
		end, _ := nextBreak(text, pos+h)
		pos = end + 1 // past the line and (at least) the first byte of its break
		ln := strings.TrimRightFunc(text[start:end], isSpace)
		for _, f := range strings.FieldsFunc(ln, func(r rune) bool { return !isWordChar(r) && r != '-' }) {
			f = strings.Trim(f, "-")
			if !strings.Contains(f, "-") {
				continue
			}
			parts := strings.Split(f, "-")
			ok := true
			for _, p := range parts {
				r, _ := utf8.DecodeRuneInString(p)
				if p == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					ok = false
				}
			}
			for i := 1; i < len(parts) && ok; i++ {
				// "verantwoordelijk-heid": a hyphen before a suffix is a line-end hyphen that the
				// PDF extraction left inside a line, not a compound.
				if suffixes[parts[i]] {
					ok = false
				}
			}
			if ok {
				// Record every adjacent pair too, so "hoog-risico" is found inside "hoog-risico-algoritmen".
				for i := 0; i+1 < len(parts); i++ {
					l[parts[i]+"-"+parts[i+1]] = struct{}{}
				}
				l[f] = struct{}{}
			}
		}
	}
}
