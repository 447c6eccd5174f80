package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/standpunten/standpunten/pipeline/model"
)

// The functions as they were written first, rune by rune and field by field: the references the
// faster ones must agree with.

func textPlain(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00A0' || r == '\u202F' || r == '\u2007' || r == '\uFEFF' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func isFragmentPlain(text string) bool {
	t := strings.TrimRight(text, " ")
	if t == "" {
		return false
	}
	if strings.HasSuffix(t, ",") || strings.HasSuffix(t, "-") || strings.HasSuffix(t, "–") {
		return true
	}
	words := strings.Fields(t)
	if len(words) == 0 {
		return false
	}
	return functionWords[words[len(words)-1]]
}

func passageIDPlain(documentID, partyID string, kind model.Kind, text string, occurrence int) string {
	h := sha256.New()
	for _, part := range []string{documentID, partyID, string(kind), text} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write([]byte{byte(occurrence >> 8), byte(occurrence)})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

var referenceSeeds = []string{
	"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u2007b", "a\u3000b", "a\u0085b", "\ufeffa",
	"tot en met", "open, ", "open,", "ICT-", "zodat\u00a0", "van\u2003", "een\n", "\xff", "a\xffb", "\xe2\x80",
	"a \xe2\x80\x83 b", "\ufffd", norm.NFD.String("privé coördinatie"), "“Dit … en meer.”", "Wij willen meer open source.",
}

func checkReference(t *testing.T, s string) {
	t.Helper()
	if got, want := Text(s), textPlain(s); got != want {
		t.Fatalf("Text(%q) = %q, the rune-by-rune version gives %q", s, got, want)
	}
	if got, want := isFragment(s), isFragmentPlain(s); got != want {
		t.Fatalf("isFragment(%q) = %t, the field-by-field version gives %t", s, got, want)
	}
	for _, occ := range []int{0, 1, 300} {
		if got, want := PassageID("doc", "volt", model.KindQuote, s, occ), passageIDPlain("doc", "volt", model.KindQuote, s, occ); got != want {
			t.Fatalf("PassageID(…, %q, %d) = %s, hashing part by part gives %s", s, occ, got, want)
		}
	}
}

func TestReferences(t *testing.T) {
	for _, s := range referenceSeeds {
		checkReference(t, s)
	}
}

// FuzzReferences: on any string, Text, isFragment and PassageID agree with their references.
func FuzzReferences(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkReference(t, s) })
}
