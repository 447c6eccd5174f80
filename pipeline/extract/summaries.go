package extract

import (
	"fmt"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
)

// partySummaries reads blocks without headings: a paragraph naming a party other than the current
// one opens that party's block and is its summary; each following paragraph is a theme; each line
// opening with “ is a quote under the theme above it.
func (p *parser) partySummaries() error {
	current, theme := "", 0
	started := map[string]int{}
	for _, l := range p.lines {
		s, e := p.trim(l)
		if s == e {
			continue
		}
		text := p.t.S[s:e]
		if strings.HasPrefix(text, "“") {
			if theme == 0 {
				what := "before any theme"
				if current != "" {
					what = fmt.Sprintf("directly after the summary of %s, before any theme", current)
				}
				return p.errAt(s, "quote line "+what, "a quote belongs to the theme paragraph above it; add or move the theme paragraph")
			}
			p.unit(model.Unit{Kind: model.KindQuote, PartyID: current, Parent: theme, Text: text}, s, e)
			continue
		}
		other := ""
		for _, m := range p.m.Find(text) {
			if m.PartyID != current {
				other = m.PartyID
				break
			}
		}
		switch {
		case other != "":
			if line, ok := started[other]; ok {
				return p.errAt(s, fmt.Sprintf("paragraph names %s, whose block already started on line %d", other, line),
					"a party's paragraphs must stand together; if this paragraph only mentions the party, reword it or move it")
			}
			current, theme = other, 0
			started[current] = l.num
			p.cover(current, "")
			p.unit(model.Unit{Kind: model.KindSummary, PartyID: current, Text: text}, s, e)
		case current == "":
			return p.unknownParty(s, leadingName(text))
		default:
			theme = p.unit(model.Unit{Kind: model.KindTheme, PartyID: current, Text: text}, s, e)
		}
	}
	return nil
}

// leadingName guesses the party name a paragraph starts with, for error messages.
func leadingName(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		if i > 3 {
			break
		}
		if w != "De" && w != "Het" && len(w) > 1 && strings.ToUpper(w[:1]) == w[:1] {
			return strings.Trim(w, ",.:;()")
		}
	}
	if len(words) > 0 {
		return words[0]
	}
	return text
}
