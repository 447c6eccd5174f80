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

// Has reports whether the hyphenated word occurs in the corpus.
func (l Lexicon) Has(w string) bool { _, ok := l[w]; return ok }

// Add records the hyphenated words of a text. A hyphen at a line end is not an occurrence: that is
// the case the lexicon decides.
func (l Lexicon) Add(text string) {
	for _, ln := range strings.Split(text, "\n") {
		ln = strings.TrimRightFunc(ln, isSpace)
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
