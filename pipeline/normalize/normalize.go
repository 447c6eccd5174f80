package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/standpunten/standpunten/pipeline/model"
)

// Text normalizes a piece of text: NFC; every run of white space (including no-break spaces and
// line breaks) becomes one space; leading and trailing white space is removed. Other characters are
// kept as written: no folding of ’ “ ” or accents. Text that is already so (most of it) is returned
// as it is, without a copy.
func Text(s string) string {
	if t, ok := textASCII(s); ok {
		return t // ASCII is its own NFC
	}
	s = norm.NFC.String(s)
	if normalized(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	collapse(&b, s)
	return b.String()
}

// collapse writes s to b with every run of white space made one space and leading and trailing
// white space left out, as Text does; what b holds already counts as text before s.
func collapse(b *strings.Builder, s string) {
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII: the white space among it is that of unicode.IsSpace; the rest is copied in
			// stretches.
			if asciiSpace(c) {
				space = true
				i++
				continue
			}
			j := i + 1
			for j < len(s) && plainASCII[s[j]] {
				j++
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if isSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r) // U+FFFD for a byte that is not UTF-8, as ranging over s gives
	}
}

// textASCII is Text(s) for s in ASCII, and false for any other s: the stretch at the start that is
// normal already is passed over, and only from the first white space that changes on is a copy
// made.
func textASCII(s string) (string, bool) {
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if plainASCII[c] {
			continue
		}
		if c >= utf8.RuneSelf {
			return "", false
		}
		// A single space between two other characters stays (a byte that is not ASCII after
		// it stops the loop next).
		if c == ' ' && i > 0 && i+1 < len(s) && (plainASCII[s[i+1]] || s[i+1] >= utf8.RuneSelf) {
			continue
		}
		break
	}
	if i == len(s) {
		return s, true
	}
	for k := i; k < len(s); k++ {
		if s[k] >= utf8.RuneSelf {
			return "", false
		}
	}
	// s[:i] is normal and ends in another character than white space (or is empty).
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	collapse(&b, s[i:])
	return b.String(), true
}

// plainASCII[c] is set for the ASCII bytes other than white space.
var plainASCII = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !asciiSpace(byte(c))
	}
	return t
}()

// isSpace is the white space that Text collapses: unicode.IsSpace and the no-break spaces and
// byte order mark it misses.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00A0' || r == '\u202F' || r == '\u2007' || r == '\uFEFF'
}

// asciiSpace is isSpace for an ASCII byte.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// normalized reports whether Text would return s unchanged: valid UTF-8 whose only white space is
// single ' ' between other characters.
func normalized(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
					return false
				}
			case asciiSpace(c):
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isSpace(r) {
			return false
		}
		i += n
	}
	return true
}

// Unquote removes the enclosing “ ” of a quote; a quote without its closing mark loses only the
// opening one.
func Unquote(s string) string {
	s = strings.TrimPrefix(s, "“")
	s = strings.TrimSuffix(s, "”")
	return strings.TrimSpace(s)
}

// PassageID derives a passage's key from its content: document, party, kind, normalized text and
// the occurrence number of that text among equal ones (0 for the first). It is 16 hex digits.
func PassageID(documentID, partyID string, kind model.Kind, text string, occurrence int) string {
	buf := make([]byte, 0, len(documentID)+len(partyID)+len(kind)+len(text)+6)
	for _, part := range []string{documentID, partyID, string(kind), text} {
		buf = append(append(buf, part...), 0)
	}
	buf = append(buf, byte(occurrence>>8), byte(occurrence))
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:8])
}

// Result is one document's rows.
type Result struct {
	Document model.Document
	Passages []model.Passage // in source order
	Scores   []model.Score   // by party id
	Parties  []model.DocumentParty
}

// Document normalizes one extracted document into rows.
func Document(ex *model.Extracted) Result {
	doc := ex.Document
	doc.Title = Text(doc.Title)
	doc.Note = Text(doc.Note)
	res := Result{Document: doc}
	type textKey struct {
		party string
		kind  model.Kind
		text  string
	}
	seen := map[textKey]int{} // party ids and kinds are slugs: no NUL to tell apart from a separator
	ids := make([]string, len(ex.Units))
	perParty := map[string]int64{}
	for i, u := range ex.Units {
		text := Text(u.Text)
		if u.Kind == model.KindQuote {
			text = Unquote(text)
		}
		key := textKey{u.PartyID, u.Kind, text}
		occ := seen[key]
		seen[key]++
		ids[i] = PassageID(doc.ID, u.PartyID, u.Kind, text, occ)
		p := model.Passage{
			ID: ids[i], DocumentID: doc.ID, Kind: u.Kind, Section: Text(u.Section), Seq: int64(i + 1),
			Text: text, SourceStart: u.Start, SourceEnd: u.End, SourceLine: u.Line, Flags: flags(u, text),
		}
		for _, h := range u.SectionPath {
			p.SectionPath = append(p.SectionPath, Text(h))
		}
		if u.PartyID != "" {
			party := u.PartyID
			p.PartyID = &party
			perParty[party]++
		}
		if u.Number > 0 {
			n := u.Number
			p.Number = &n
		}
		if u.Parent > 0 {
			parent := ids[u.Parent-1]
			p.ParentID = &parent
		}
		res.Passages = append(res.Passages, p)
	}
	for _, s := range ex.Scores {
		res.Scores = append(res.Scores, model.Score{DocumentID: doc.ID, PartyID: s.PartyID, Score: s.Score, Question: Text(ex.Question)})
	}
	sort.Slice(res.Scores, func(i, j int) bool { return res.Scores[i].PartyID < res.Scores[j].PartyID })
	for _, c := range ex.Covered {
		res.Parties = append(res.Parties, model.DocumentParty{DocumentID: doc.ID, PartyID: c.PartyID, Passages: perParty[c.PartyID], Note: Text(c.Note)})
	}
	sort.Slice(res.Parties, func(i, j int) bool { return res.Parties[i].PartyID < res.Parties[j].PartyID })
	return res
}

// functionWords end a Dutch sentence only when it was cut off.
var functionWords = map[string]bool{
	"aan": true, "als": true, "bij": true, "dat": true, "de": true, "die": true, "door": true, "een": true,
	"en": true, "het": true, "in": true, "is": true, "kan": true, "met": true, "moet": true, "naar": true,
	"of": true, "om": true, "op": true, "te": true, "tot": true, "van": true, "voor": true, "wordt": true,
	"worden": true, "zijn": true, "zodat": true, "maar": true, "dan": true, "wat": true, "waar": true,
}

func flags(u model.Unit, text string) []string {
	fs := append([]string(nil), u.Flags...)
	if u.Kind == model.KindQuote && (strings.Contains(text, "...") || strings.Contains(text, "…")) {
		fs = append(fs, model.FlagElided)
	}
	if raw := strings.TrimSpace(u.Text); u.Kind == model.KindQuote && strings.HasPrefix(raw, "“") &&
		!strings.HasSuffix(strings.TrimRight(raw, " .,;:!?"), "”") && strings.Count(raw, "“") > strings.Count(raw, "”") {
		fs = append(fs, model.FlagUnclosedQuote)
	}
	if isFragment(text) {
		fs = append(fs, model.FlagFragment)
	}
	sort.Strings(fs)
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return []string{}
	}
	return out
}

// isFragment reports a unit that ends mid-sentence: on a comma, a hyphen or a word that cannot end
// a Dutch sentence.
func isFragment(text string) bool {
	t := strings.TrimRight(text, " ")
	if t == "" {
		return false
	}
	if strings.HasSuffix(t, ",") || strings.HasSuffix(t, "-") || strings.HasSuffix(t, "–") {
		return true
	}
	// The last word: what follows the last white space (strings.Fields(t), its last field).
	t = strings.TrimRightFunc(t, unicode.IsSpace)
	if i := strings.LastIndexFunc(t, unicode.IsSpace); i >= 0 {
		_, n := utf8.DecodeRuneInString(t[i:])
		t = t[i+n:]
	}
	return functionWords[t]
}
