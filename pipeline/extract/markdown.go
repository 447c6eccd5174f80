package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
)

var (
	mdHeadingRE = regexp.MustCompile(`^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	mdBoldRE    = regexp.MustCompile(`^(\*\*|__)([^*_].*?)(\*\*|__)[ \t]*:?$`)
	mdBulletRE  = regexp.MustCompile(`^[-*+][ \t]+`)
	mdPointRE   = regexp.MustCompile(`^([0-9]{1,3})[.)][ \t]+`)
	mdRuleRE    = regexp.MustCompile(`^([-*_])([ \t]*[-*_]){2,}$`)
	mdQuoteRE   = regexp.MustCompile(`^>[ \t]?`)
	mdSetextRE  = regexp.MustCompile(`^(=+|-+)[ \t]*$`)
	mdTableRule = regexp.MustCompile(`^\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?$`)
	mdFootDefRE = regexp.MustCompile(`^\[\^[^\]]+\]:[ \t]*`)
	// Inline markup: links and images (the URL part), footnote references, HTML, escapes (emphasis
	// and code delimiters, and table pipes, are found by hand: see inlineMarkup).
	mdLinkRE     = regexp.MustCompile(`!?\[([^\]\n]*)\]\(([^)\n]*)\)`)
	mdAutoLinkRE = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	mdFootRefRE  = regexp.MustCompile(`\[\^[^\]\s]+\]`)
	mdHTMLRE     = regexp.MustCompile(`<!--.*?-->|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)
	mdEscapeRE   = regexp.MustCompile(`\\[\\` + "`" + `*_{}\[\]()#+\-.!|>~]|\\$`)
)

// markdown reads a programme text written in Markdown: "#" headings and bold-only lines are
// headings; "-", "*", "+" items are bullets and "1." items points; other blocks are paragraphs.
// Emphasis and link markup is dropped as markup (a link's text stays, its URL goes); front matter
// between "---" lines at the top is structure.
func (p *parser) markdown(first, last int) error {
	i := first
	if i < last && p.content(p.lines[i]) == "---" {
		for j := i + 1; j < last; j++ {
			if c := p.content(p.lines[j]); c == "---" || c == "..." {
				for k := i; k <= j; k++ {
					s, e := p.trim(p.lines[k])
					p.span(s, e, model.ClassStructure, "front_matter")
				}
				i = j + 1
				break
			}
		}
	}
	a := &mdAssembler{p: p}
	for ; i < last; i++ {
		l := p.lines[i]
		s, e := p.trim(l)
		if s == e {
			a.flush()
			continue
		}
		t := p.t.S[s:e]
		indent := s - l.start
		// A paragraph line underlined with === or --- is a heading (setext).
		if a.cur == nil && i+1 < last && !mdBulletRE.MatchString(t) && !mdPointRE.MatchString(t) && !mdHeadingRE.MatchString(t) && !strings.HasPrefix(t, "|") {
			if u := p.content(p.lines[i+1]); mdSetextRE.MatchString(u) && len(u) >= 2 {
				level := 1
				if u[0] == '-' {
					level = 2
				}
				a.heading(s, e, s, e, level)
				us, ue := p.trim(p.lines[i+1])
				p.span(us, ue, model.ClassStructure, "heading_rule")
				i++
				continue
			}
		}
		switch {
		case mdHeadingRE.MatchString(t):
			a.flush()
			m := mdHeadingRE.FindStringSubmatchIndex(t)
			a.heading(s, e, s+m[4], s+m[5], m[3]-m[2])
		case mdRuleRE.MatchString(t):
			a.flush()
			p.span(s, e, model.ClassStructure, "rule")
		case strings.HasPrefix(t, "|") && mdTableRule.MatchString(t):
			p.span(s, e, model.ClassStructure, "table_rule")
		case strings.HasPrefix(t, "|"):
			// A table row is a passage of its own; the outer pipes are markup.
			a.flush()
			a.open(model.KindParagraph, 0)
			a.line(s, e)
			a.flush()
		case mdFootDefRE.MatchString(t):
			a.flush()
			n := len(mdFootDefRE.FindString(t))
			p.span(s, s+n, model.ClassStructure, "marker")
			a.open(model.KindParagraph, 0)
			a.line(s+n, e)
		case mdBoldRE.MatchString(t) && a.cur == nil:
			m := mdBoldRE.FindStringSubmatchIndex(t)
			a.heading(s, e, s+m[4], s+m[5], 7)
		case mdBulletRE.MatchString(t) && (indent < 4 || a.cur != nil):
			a.flush()
			n := len(mdBulletRE.FindString(t))
			p.span(s, s+n, model.ClassStructure, "marker")
			a.open(model.KindBullet, 0)
			a.line(s+n, e)
		case mdPointRE.MatchString(t) && (indent < 4 || a.cur != nil):
			a.flush()
			m := mdPointRE.FindStringSubmatch(t)
			p.span(s, s+len(m[0]), model.ClassStructure, "marker")
			n := int64(0)
			for _, r := range m[1] {
				n = n*10 + int64(r-'0')
			}
			a.open(model.KindPoint, n)
			a.line(s+len(m[0]), e)
		default:
			if q := mdQuoteRE.FindString(t); q != "" {
				p.span(s, s+len(q), model.ClassStructure, "marker")
				s += len(q)
				if s2, e2 := p.trimRange(s, e); s2 < e2 {
					s, e = s2, e2
				} else {
					continue
				}
			}
			if a.cur == nil {
				a.open(model.KindParagraph, 0)
			}
			a.line(s, e)
		}
	}
	a.flush()
	if len(p.out.Units) == 0 {
		return p.errAt(0, "no paragraph, list item or numbered item found in the Markdown text", "check that the file holds the programme text and that lines = [from, to] selects it")
	}
	return nil
}

type mdAssembler struct {
	p    *parser
	cur  *mdUnit
	path []heading
}

type mdUnit struct {
	kind   model.Kind
	number int64
	lines  []string
	start  int
	end    int
}

func (a *mdAssembler) heading(s, e, ts, te, level int) {
	a.flush()
	a.p.span(s, e, model.ClassStructure, "heading")
	text := a.p.stripInline(ts, te)
	for len(a.path) > 0 && a.path[len(a.path)-1].level >= level {
		a.path = a.path[:len(a.path)-1]
	}
	a.path = append(a.path, heading{text: text, level: level})
	a.p.out.Headings++
	if a.p.out.Document.Title == "" && level == 1 {
		a.p.out.Document.Title = text
	}
}

func (a *mdAssembler) open(kind model.Kind, number int64) {
	a.cur = &mdUnit{kind: kind, number: number, start: -1}
}

// line adds the content [s, e) of one line to the open unit, dropping inline markup.
func (a *mdAssembler) line(s, e int) {
	u := a.cur
	var sb strings.Builder
	pos := s
	cs := a.p.inlineMarkup(s, e)
	for _, c := range cs {
		sb.WriteString(a.p.t.S[pos:c.start])
		a.p.span(c.start, c.end, model.ClassDropped, ReasonMarkup)
		pos = c.end
	}
	sb.WriteString(a.p.t.S[pos:e])
	text := sb.String()
	if strings.TrimSpace(text) == "" {
		return
	}
	// The unit's span runs from its first to its last character that is text, not markup.
	ts, te := s, e
	for _, c := range cs {
		if c.start == ts {
			ts = c.end
		}
	}
	for k := len(cs) - 1; k >= 0; k-- {
		if cs[k].end == te {
			te = cs[k].start
		}
	}
	ts, te = a.p.trimRange(ts, te)
	if u.start < 0 {
		u.start = ts
	}
	u.end = te
	u.lines = append(u.lines, strings.TrimSpace(text))
}

func (a *mdAssembler) flush() {
	u := a.cur
	a.cur = nil
	if u == nil || len(u.lines) == 0 {
		return
	}
	text, dehyph := a.p.joinLines(u.lines)
	unit := model.Unit{Kind: u.kind, PartyID: a.p.src.Party, Number: u.number, Text: text}
	if dehyph {
		unit.Flags = append(unit.Flags, model.FlagDehyphenated)
	}
	if len(a.path) > 0 {
		unit.Section = a.path[len(a.path)-1].text
		for _, h := range a.path {
			unit.SectionPath = append(unit.SectionPath, h.text)
		}
	}
	a.p.unit(unit, u.start, u.end)
}

// inlineMarkup lists the markup inside [s, e): the brackets and URL of links and images, the
// delimiters of emphasis, strike-through and code, in order and without overlaps.
//
// Each pattern needs a character that most lines lack ('[', '<', '\\', '|' at an end), and a line
// without it is not searched: the regexp engine would read every byte, and after each match clear
// its state for the rest of the line, which on a long line with many matches grows with the square
// of its length. The emphasis delimiters are found by emphasisAt, not by a pattern.
func (p *parser) inlineMarkup(s, e int) []cut {
	t := p.t.S[s:e]
	if t == "" || !strings.ContainsAny(t, inlineChars) && t[0] != '|' && t[len(t)-1] != '|' {
		return nil
	}
	var cs []cut
	taken := make([]bool, len(t))
	add := func(a, b int) {
		if a >= b {
			return
		}
		for i := a; i < b; i++ {
			if taken[i] {
				return
			}
		}
		for i := a; i < b; i++ {
			taken[i] = true
		}
		cs = append(cs, cut{s + a, s + b, ReasonMarkup})
	}
	bracket, angle := strings.IndexByte(t, '[') >= 0, strings.IndexByte(t, '<') >= 0
	if bracket && strings.Contains(t, "](") { // a link or image needs "](" (and "[" before it)
		for _, m := range mdLinkRE.FindAllStringSubmatchIndex(t, -1) {
			add(m[0], m[2]) // "[" or "!["
			add(m[3], m[1]) // "](url)"
			for i := m[2]; i < m[3]; i++ {
				taken[i] = true // the link text stays; emphasis inside it is left as is
			}
		}
	}
	if angle {
		for _, m := range mdAutoLinkRE.FindAllStringSubmatchIndex(t, -1) {
			add(m[0], m[0]+1)
			add(m[1]-1, m[1])
			for i := m[0] + 1; i < m[1]-1; i++ {
				taken[i] = true // the address of an autolink is its text
			}
		}
	}
	if bracket {
		for _, m := range mdFootRefRE.FindAllStringIndex(t, -1) {
			add(m[0], m[1])
		}
	}
	if angle {
		for _, m := range mdHTMLRE.FindAllStringIndex(t, -1) {
			add(m[0], m[1])
		}
	}
	// The outer pipes of a table row: a '|' that starts the line, and one that ends it.
	if t[0] == '|' {
		add(0, 1)
	}
	if len(t) > 1 && t[len(t)-1] == '|' {
		add(len(t)-1, len(t))
	}
	if strings.IndexByte(t, '\\') >= 0 {
		for _, m := range mdEscapeRE.FindAllStringIndex(t, -1) {
			add(m[0], m[0]+1) // the backslash; the escaped character stays
			if m[1]-m[0] == 2 {
				taken[m[0]+1] = true
			}
		}
	}
	// Emphasis delimiters: a run of *, _, ~~ or ` that opens (no space after) or closes (no space
	// before) and is not inside a word for "_" (snake_case stays).
	for a := 0; a < len(t); {
		k := strings.IndexAny(t[a:], emphasisChars)
		if k < 0 {
			break
		}
		a += k
		n := emphasisAt(t, a)
		if n == 0 {
			a++
			continue
		}
		b := a + n
		if !taken[a] && emphasis(t, a, b) {
			add(a, b)
		}
		a = b
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].start < cs[j].start })
	return cs
}

// inlineChars are the characters without which a line holds no inline markup but table pipes.
const inlineChars = "[<\\" + emphasisChars

// emphasisChars are the characters that emphasis, strike-through and code delimiters are made of.
const emphasisChars = "*_~`"

// emphasisAt is the length of the emphasis delimiter at t[i] ("**", "__", "*", "_", "~~" or "`"),
// or 0: the match at i of the pattern (\*\*|__|\*|_|~~|`), whose alternatives are tried in order.
func emphasisAt(t string, i int) int {
	switch c := t[i]; c {
	case '*', '_':
		if i+1 < len(t) && t[i+1] == c {
			return 2
		}
		return 1
	case '`':
		return 1
	case '~':
		if i+1 < len(t) && t[i+1] == '~' {
			return 2
		}
	}
	return 0
}

// emphasis reports whether the delimiter t[a:b] opens or closes emphasis: something other than
// white space follows (opens) or precedes it (closes); an "_" inside a word (snake_case) and a
// lone "*" that starts the line without opening do neither.
func emphasis(t string, a, b int) bool {
	before, _ := utf8.DecodeLastRuneInString(t[:a])
	after, _ := utf8.DecodeRuneInString(t[b:])
	opens := b < len(t) && !isSpace(after)
	closes := a > 0 && !isSpace(before)
	if !opens && !closes {
		return false
	}
	if t[a] == '_' && a > 0 && b < len(t) && isWordChar(before) && isWordChar(after) {
		return false
	}
	if t[a] == '*' && b-a == 1 && a == 0 && !opens {
		return false
	}
	return true
}

// stripInline returns [s, e) without its inline markup (for heading texts), and records the markup.
func (p *parser) stripInline(s, e int) string {
	var sb strings.Builder
	pos := s
	for _, c := range p.inlineMarkup(s, e) {
		sb.WriteString(p.t.S[pos:c.start])
		pos = c.end
	}
	sb.WriteString(p.t.S[pos:e])
	return strings.TrimSpace(sb.String())
}
