package validate

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"github.com/standpunten/standpunten/pipeline/model"
)

// The checks that look at every passage work on bytes, without building strings; these fuzz
// targets hold them to the plain definitions they replace.

func lettersOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

func FuzzSameLetters(f *testing.F) {
	f.Add("Wij willen meer open source.", "Wij willen\nmeer - open source")
	f.Add("één “open”", "een open")
	f.Add("a\xffb", "ab")
	f.Add("CO₂ 2023", "CO2 2023")
	f.Add("Wij willen meer open source in de digitale overheid, en minder Big Tech.", "Wij willen meer open source in de digitale overheid en minder Big Tech!")
	f.Add("De overheid gebruikt open standaarden; “software” van de overheid is open.", "De overheid gebruikt open standaarden: \"software\" van de overheid is open")
	f.Fuzz(func(t *testing.T, a, b string) {
		require.Equal(t, lettersOf(a) == lettersOf(b), sameLetters([]byte(a), b), "%q %q", a, b)
		require.True(t, sameLetters([]byte(a), a))
	})
}

func FuzzHasControl(f *testing.F) {
	for _, s := range []string{"", "a\x07b", "tab\there", "\u0085", "\u009f", "\u00a0", "\xc2", "\xc2\x85", "\x85", "\x7f", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, strings.IndexFunc(s, unicode.IsControl) >= 0, hasControl(s), "%q", s)
	})
}

func FuzzShorterThan(f *testing.F) {
	f.Add("", 0)
	f.Add("é", 1)
	f.Add("éé", 2)
	f.Add("\xff\xfe", 2)
	f.Add("abcd", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		require.Equal(t, utf8.RuneCountInString(s) < n, shorterThan(s, n), "%q %d", s, n)
	})
}

// provenanceByDefinition is rule.provenance as its doc comment says it: for each passage, the
// source stretch with every dropped stretch inside it cut out (in the order given), decoded,
// NFC, compared letter for letter with the text.
func provenanceByDefinition(doc model.Document, ps []model.Passage, raw []byte, dropped []model.DroppedSpan) []string {
	var bad []string
	for _, p := range ps {
		if p.SourceStart < 0 || p.SourceEnd > int64(len(raw)) || p.SourceStart > p.SourceEnd {
			bad = append(bad, p.ID+" outside")
			continue
		}
		var span []byte
		pos := p.SourceStart
		for _, d := range dropped {
			if d.Start >= p.SourceStart && d.End <= p.SourceEnd && d.Start >= pos {
				span = append(span, raw[pos:d.Start]...)
				pos = d.End
			}
		}
		span = append(span, raw[pos:p.SourceEnd]...)
		text := string(span)
		if doc.Encoding == "windows-1252" {
			text, _ = charmap.Windows1252.NewDecoder().String(text)
		}
		if lettersOf(norm.NFC.String(text)) != lettersOf(p.Text) {
			bad = append(bad, fmt.Sprintf("%s %d..%d", p.ID, p.SourceStart, p.SourceEnd))
		}
	}
	return bad
}

// FuzzProvenance: the checker finds exactly the passages the definition finds, whatever the
// spans (out of the file, overlapping) and the dropped stretches (in order or not, inverted).
func FuzzProvenance(f *testing.F) {
	f.Add([]byte("Wij willen meer\nPROGRAMMA 2023 12\nopen source.\n"), []byte{2, 48, 16, 33}, "Wij willen meer open source.", false)
	f.Add([]byte("Wij willen meer\nPROGRAMMA 2023 12\nopen source.\n"), []byte{2, 48, 0, 0, 20, 25, 16, 33}, "Wij willen meer open source.|", false)
	f.Add([]byte("a-b c\r\nd e\u0301 f"), []byte{2, 7, 7, 14, 3, 4, 1, 2, 9, 3}, "ab|cd|é", false)
	f.Add([]byte("caf\xe9 na\xefef"), []byte{2, 6, 7, 13, 6, 8}, "café|naïef", true)
	f.Fuzz(func(t *testing.T, raw, nums []byte, texts string, w1252 bool) {
		doc := model.Document{ID: "d", RawPath: "raw/d.txt", Encoding: "utf-8"}
		if w1252 {
			doc.Encoding = "windows-1252"
		}
		// The first pairs of numbers are passage spans (one per text), the rest dropped stretches.
		var ps []model.Passage
		var dropped []model.DroppedSpan
		parts := strings.Split(texts, "|")
		for k := 0; k+1 < len(nums); k += 2 {
			a, b := int64(nums[k])-2, int64(nums[k+1])-2 // a little before the file too
			if len(ps) < len(parts) {
				ps = append(ps, model.Passage{ID: fmt.Sprint("p", len(ps)), Text: parts[len(ps)], SourceStart: a, SourceEnd: b, SourceLine: 1})
				continue
			}
			dropped = append(dropped, model.DroppedSpan{Start: a + 2, End: b + 2})
		}
		c := newChecker(t)
		c.Provenance(doc, ps, raw, dropped)
		var got []string
		for _, fd := range c.Report().Findings {
			require.Equal(t, "rule.provenance", fd.Rule)
			var p model.Passage
			for _, q := range ps {
				if q.ID == fd.Key {
					p = q
				}
			}
			if fd.Message == "the source span lies outside the raw file" {
				got = append(got, p.ID+" outside")
			} else {
				got = append(got, fmt.Sprintf("%s %d..%d", p.ID, p.SourceStart, p.SourceEnd))
			}
		}
		want := provenanceByDefinition(doc, ps, raw, dropped)
		assert.ElementsMatch(t, want, got)
	})
}

func FuzzIsASCII(f *testing.F) {
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghé", "é", "abcdefg\x80", "\x80abcdefgh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) < 0, isASCII([]byte(s)), "%q", s)
	})
}
