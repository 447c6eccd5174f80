package extract

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
)

// block is a run of non-blank lines.
type block struct {
	lines      []line // trimmed offsets
	start, end int
}

// pledgeDocument reads text extracted from a PDF: blocks separated by blank lines, hard-wrapped.
// A title block (no closing punctuation) followed by a body block is one pledge; a title block
// followed by another title block is the document's own title; a body block without a title is
// the signatories' preamble (intro).
func (p *parser) pledgeDocument() error {
	var blocks []block
	var cur *block
	for _, l := range p.lines {
		s, e := p.trim(l)
		if s == e {
			cur = nil
			continue
		}
		if cur == nil {
			blocks = append(blocks, block{start: s})
			cur = &blocks[len(blocks)-1]
		}
		cur.lines = append(cur.lines, line{s, e, l.num})
		cur.end = e
	}
	titleSeen := false
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		joined, dehyph := p.join(b)
		if isBody(joined) {
			p.unit(model.Unit{Kind: model.KindIntro, Text: joined, Flags: dehyphFlag(dehyph)}, b.start, b.end)
			continue
		}
		if i+1 == len(blocks) {
			return p.errAt(b.start, fmt.Sprintf("title block %q has no body block after it", joined),
				"a pledge is a title block followed by a body block that ends with . ! or ?")
		}
		next := blocks[i+1]
		body, dehyph := p.join(next)
		if !isBody(body) {
			if titleSeen {
				return p.errAt(b.start, fmt.Sprintf("block %q is followed by another title block, but the document title was already found", joined),
					"end the body block with . ! or ?, or separate title and body with one blank line")
			}
			titleSeen = true
			p.out.Document.Title = joined
			p.span(b.start, b.end, model.ClassStructure, "title")
			continue
		}
		p.span(b.start, b.end, model.ClassStructure, "heading")
		p.unit(model.Unit{Kind: model.KindPledge, Section: joined, Text: body, Flags: dehyphFlag(dehyph)}, next.start, next.end)
		i++
	}
	return nil
}

func dehyphFlag(d bool) []string {
	if d {
		return []string{model.FlagDehyphenated}
	}
	return nil
}

// isBody reports whether a block reads as running text: it ends with sentence punctuation,
// possibly followed by closing quote marks.
func isBody(s string) bool {
	s = strings.TrimRight(s, "’”\"')")
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?'
}

// join undoes hard wrapping: lines are joined with a line break (normalization turns it into a
// space), and a line-end hyphen between two letters is removed unless the hyphenated word occurs
// elsewhere in the corpus. It reports whether a hyphen was removed.
func (p *parser) join(b block) (string, bool) {
	var sb strings.Builder
	removed := false
	for i, l := range b.lines {
		text := p.t.S[l.start:l.end]
		if i+1 < len(b.lines) && strings.HasSuffix(text, "-") {
			next := p.t.S[b.lines[i+1].start:b.lines[i+1].end]
			left := lastWord(strings.TrimSuffix(text, "-"))
			right := firstWord(next)
			lr, _ := utf8.DecodeLastRuneInString(left)
			rr, _ := utf8.DecodeRuneInString(right)
			if unicode.IsLetter(lr) && unicode.IsLower(rr) {
				if p.lex.Has(left + "-" + right) {
					sb.WriteString(text)
				} else {
					sb.WriteString(strings.TrimSuffix(text, "-"))
					removed = true
				}
				continue
			}
		}
		sb.WriteString(text)
		if i+1 < len(b.lines) {
			sb.WriteByte('\n')
		}
	}
	return sb.String(), removed
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !isWordChar(r) })
	return s[i+1:]
}

func firstWord(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return !isWordChar(r) })
	if i < 0 {
		return s
	}
	return s[:i]
}

func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
