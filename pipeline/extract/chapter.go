package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
)

var (
	dateLineRE = regexp.MustCompile(`^([0-9]{2})-([0-9]{2})-([0-9]{4})$`)
	pointRE    = regexp.MustCompile(`^([0-9]{1,3})\.[ \t\x{00A0}]+`)
)

// programmeChapter reads a party's programme chapter as scraped from its web page: web-page chrome
// listed in the registry is dropped; then the title, the date (DD-MM-YYYY), the intro heading with
// its paragraphs, and subheadings each followed by numbered points.
func (p *parser) programmeChapter() error {
	drop := map[string]string{}
	reasons := make([]string, 0, len(p.src.Drop))
	for r := range p.src.Drop {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, reason := range reasons {
		for _, l := range p.src.Drop[reason] {
			drop[strings.TrimSpace(l)] = reason
		}
	}
	// Collect the lines that carry content, dropping chrome.
	var lines []line
	for _, l := range p.lines {
		s, e := p.trim(l)
		if s == e {
			continue
		}
		if reason, ok := drop[p.t.S[s:e]]; ok {
			p.span(s, e, model.ClassDropped, reason)
			continue
		}
		lines = append(lines, line{s, e, l.num})
	}
	party := p.src.Party
	p.cover(party, "")
	const (
		wantTitle = iota
		wantIntroHeading
		inIntro
		inPoints
	)
	state, section, want := wantTitle, "", int64(1)
	for i, l := range lines {
		text := p.t.S[l.start:l.end]
		nextIsPoint := i+1 < len(lines) && pointRE.MatchString(p.t.S[lines[i+1].start:lines[i+1].end])
		if m := dateLineRE.FindStringSubmatch(text); m != nil {
			d, err := model.ParseDate(m[3] + "-" + m[2] + "-" + m[1])
			if err != nil {
				return p.errAt(l.start, fmt.Sprintf("date %q is not a valid DD-MM-YYYY date", text), "correct the date")
			}
			if p.src.Published != "" && *p.out.Document.Published != d {
				return p.errAt(l.start, fmt.Sprintf("the text is dated %s but sources.toml says published = %q", d, p.src.Published), "remove one of the two")
			}
			p.out.Document.Published = &d
			p.span(l.start, l.end, model.ClassStructure, "date")
			continue
		}
		if m := pointRE.FindStringSubmatch(text); m != nil {
			if section == "" {
				return p.errAt(l.start, "numbered point before any subheading", "put the subheading the point belongs to above it")
			}
			n, _ := strconv.ParseInt(m[1], 10, 64)
			if n != want {
				return p.errAt(l.start, fmt.Sprintf("point %d out of order in section %q: expected %d", n, section, want), "correct the numbering in the text")
			}
			want++
			body := l.start + len(m[0])
			p.span(l.start, body, model.ClassStructure, "marker")
			p.unit(model.Unit{Kind: model.KindPoint, PartyID: party, Section: section, Number: n, Text: p.t.S[body:l.end]}, body, l.end)
			continue
		}
		switch {
		case state == wantTitle:
			p.out.Document.Title = text
			p.span(l.start, l.end, model.ClassStructure, "title")
			state = wantIntroHeading
		case nextIsPoint:
			section, want, state = text, 1, inPoints
			p.span(l.start, l.end, model.ClassStructure, "heading")
		case state == wantIntroHeading:
			section, state = text, inIntro
			p.span(l.start, l.end, model.ClassStructure, "heading")
		case state == inIntro:
			p.unit(model.Unit{Kind: model.KindIntro, PartyID: party, Section: section, Text: text}, l.start, l.end)
		default:
			return p.errAt(l.start, fmt.Sprintf("paragraph after the points of section %q that is neither a point nor a subheading", section),
				"if it is web-page chrome, list it under [document.drop] in sources.toml")
		}
	}
	if state == wantTitle {
		return p.errAt(0, "no title found", "the chapter's first line after the dropped web-page chrome is its title")
	}
	return nil
}
