package extract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
)

var (
	scoreRowRE = regexp.MustCompile(`^(.+?):?[ \t]*\t[ \t]*([0-9]+(?:[.,][0-9]+)?)$`)
	headingRE  = regexp.MustCompile(`^#{2,6}[ \t]+\*\*(.+?)\*\*$`)
	titleRE    = regexp.MustCompile(`^#[ \t]+(.+)$`)
)

// noPositions is what a score overview says for a party without relevant passages.
const noPositions = "Geen relevante punten"

// scoreOverview reads a title, a score table, a [Let op: …] note and one section per party with
// "- " bullets.
func (p *parser) scoreOverview() error {
	type scoreAt struct {
		partyID string
		off     int
	}
	var (
		scores   []scoreAt
		section  = ""               // party of the current section
		sections = map[string]int{} // party → heading line
		last     = 0                // position of the last bullet unit in this section
		lastEnd  = 0                // decoded end offset of that bullet
		blankGap = false            // a blank line since the last bullet line
		title    = false
	)
	endSection := func() {
		if last == 0 {
			return
		}
		u := &p.out.Units[last-1]
		if strings.HasSuffix(u.Text, `"`) && strings.Count(u.Text, `"`)%2 == 1 {
			u.Text = strings.TrimRight(strings.TrimSuffix(u.Text, `"`), " \t")
			p.span(lastEnd-1, lastEnd, model.ClassDropped, "stray_quote")
			u.End = p.t.RawOffset(lastEnd - 1)
			u.Flags = append(u.Flags, model.FlagStrayQuote)
		}
	}
	for _, l := range p.lines {
		s, e := p.trim(l)
		if s == e {
			blankGap = true
			continue
		}
		text := p.t.S[s:e]
		switch {
		case !title:
			m := titleRE.FindStringSubmatch(text)
			if m == nil {
				return p.errAt(s, "expected the title line (# Title) first", "start the score overview with its title")
			}
			p.out.Document.Title = strings.TrimSpace(m[1])
			p.out.Question = p.out.Document.Title
			p.span(s, e, model.ClassStructure, "title")
			title = true
		case section == "" && scoreRowRE.MatchString(text):
			m := scoreRowRE.FindStringSubmatch(text)
			name := strings.TrimSpace(m[1])
			id, ok := p.m.Exact(name)
			if !ok {
				return p.unknownParty(s, name)
			}
			for _, sc := range scores {
				if sc.partyID == id {
					return p.errAt(s, fmt.Sprintf("second score for %s", id), "give each party one score")
				}
			}
			v, _ := strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
			p.out.Scores = append(p.out.Scores, model.ScoreRow{PartyID: id, Score: v})
			scores = append(scores, scoreAt{id, s})
			p.span(s, e, model.ClassStructure, "score_row")
		case section == "" && strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]"):
			p.out.Document.Note = strings.TrimSpace(text[1 : len(text)-1])
			p.span(s, e, model.ClassStructure, "note")
		case headingRE.MatchString(text):
			endSection()
			name := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(headingRE.FindStringSubmatch(text)[1]), ":"))
			id, ok := p.m.Exact(name)
			if !ok {
				return p.unknownParty(s+strings.Index(text, name), name)
			}
			if prev, dup := sections[id]; dup {
				return p.errAt(s, fmt.Sprintf("second section for %s (the first is on line %d)", id, prev), "merge the two sections")
			}
			sections[id] = l.num
			section, last, blankGap = id, 0, false
			p.cover(id, "")
			p.span(s, e, model.ClassStructure, "heading")
		case section == "":
			return p.errAt(s, "unexpected line before the first party section", "expected a score row (Name<TAB>score), the [Let op: …] note or a ## **Party** heading")
		case strings.HasPrefix(text, "- ") || text == "-":
			body := strings.TrimLeftFunc(strings.TrimPrefix(text, "-"), isSpace)
			bs := e - len(body)
			p.span(s, bs, model.ClassStructure, "marker")
			blankGap = false
			if body == noPositions {
				p.cover(section, noPositions)
				p.span(bs, e, model.ClassStructure, "no_positions")
				last = 0
				continue
			}
			last = p.unit(model.Unit{Kind: model.KindBullet, PartyID: section, Text: body}, bs, e)
			lastEnd = e
		case last > 0 && blankGap && startsLower(text):
			u := &p.out.Units[last-1]
			u.Text += "\n" + text
			u.End = p.t.RawOffset(e)
			u.Flags = append(u.Flags, model.FlagContinued)
			lastEnd = e
			blankGap = false
		default:
			return p.errAt(s, fmt.Sprintf("unexpected line in the section of %s", section),
				"a section holds \"- \" bullets; a bullet may continue after a blank line with a paragraph that starts in lower case")
		}
	}
	endSection()
	if !title {
		return p.errAt(0, "no title line (# Title) found", "start the score overview with its title")
	}
	for _, sc := range scores {
		if _, ok := sections[sc.partyID]; !ok {
			return p.errAt(sc.off, fmt.Sprintf("score for %s but the document has no section for that party", sc.partyID),
				"add a ## **Party** section (with \"- Geen relevante punten\" if it has none) or remove the score row")
		}
	}
	return nil
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
