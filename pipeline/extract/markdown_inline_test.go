package extract

import (
	"regexp"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

var (
	emphRE = regexp.MustCompile(`(\*\*|__|\*|_|~~|` + "`" + `)`)
	pipeRE = regexp.MustCompile(`^\||\|$`)
)

// inlineMarkupByPatterns is inlineMarkup as it was written first, every delimiter found by a
// pattern on every line: the reference the faster inlineMarkup must agree with.
func inlineMarkupByPatterns(t string) []cut {
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
		cs = append(cs, cut{a, b, ReasonMarkup})
	}
	for _, m := range mdLinkRE.FindAllStringSubmatchIndex(t, -1) {
		add(m[0], m[2])
		add(m[3], m[1])
		for i := m[2]; i < m[3]; i++ {
			taken[i] = true
		}
	}
	for _, m := range mdAutoLinkRE.FindAllStringSubmatchIndex(t, -1) {
		add(m[0], m[0]+1)
		add(m[1]-1, m[1])
		for i := m[0] + 1; i < m[1]-1; i++ {
			taken[i] = true
		}
	}
	for _, re := range []*regexp.Regexp{mdFootRefRE, mdHTMLRE, pipeRE} {
		for _, m := range re.FindAllStringIndex(t, -1) {
			add(m[0], m[1])
		}
	}
	for _, m := range mdEscapeRE.FindAllStringIndex(t, -1) {
		add(m[0], m[0]+1)
		if m[1]-m[0] == 2 {
			taken[m[0]+1] = true
		}
	}
	for _, m := range emphRE.FindAllStringIndex(t, -1) {
		a, b := m[0], m[1]
		if taken[a] {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(t[:a])
		after, _ := utf8.DecodeRuneInString(t[b:])
		opens := b < len(t) && !isSpace(after)
		closes := a > 0 && !isSpace(before)
		if !opens && !closes {
			continue
		}
		if t[a] == '_' && a > 0 && b < len(t) && isWordChar(before) && isWordChar(after) {
			continue
		}
		if t[a] == '*' && b-a == 1 && a == 0 && !opens {
			continue
		}
		add(a, b)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].start < cs[j].start })
	return cs
}

// inlineOf runs inlineMarkup on the whole of t, with offsets from 0.
func inlineOf(t string) []cut {
	p := &parser{t: &Text{S: "<>" + t}}
	cs := p.inlineMarkup(2, 2+len(t))
	for i := range cs {
		cs[i].start -= 2
		cs[i].end -= 2
	}
	return cs
}

var inlineCases = []string{
	"", "|", "||", "|a|", "a|", "|a", "gewoon een regel zonder opmaak",
	"Tekst met **nadruk** en _ook_ en *schuin* en ~~weg~~ en `code`.",
	"***drie*** en ____ en ~ en ~~~ en ``dubbel``", "* geen opener", "*x", "x*", "snake_case_naam blijft",
	"[een link](https://example.org) en ![beeld](b.png) en [^1] en <https://example.org/x>",
	"<!-- commentaar --> en <b>vet</b> en <br/>", `\*geen nadruk\* en \\ en \`, "| a | **b** | c |",
	"[**vet in link**](u) _x_", "_ _ __ * ** ` ~~", "é*ü*ß _ñ_ “**x**”", "a\u00a0*b*\u00a0c", "~~weg~~", "*a*", "x_",
}

// TestInlineMarkupAgrees checks inlineMarkup against the patterns it replaces, on lines with every
// kind of markup, none, and the edge cases of the table pipes and the delimiters.
func TestInlineMarkupAgrees(t *testing.T) {
	for _, c := range inlineCases {
		assert.Equal(t, inlineMarkupByPatterns(c), inlineOf(c), "%q", c)
	}
	assert.Equal(t, []cut{{10, 12, ReasonMarkup}, {18, 20, ReasonMarkup}}, inlineOf("Tekst met **nadruk**."))
}

// FuzzInlineMarkup: on any line (no newline, as lines reach it), inlineMarkup finds what the
// patterns find.
func FuzzInlineMarkup(f *testing.F) {
	for _, c := range inlineCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // decoded text is valid UTF-8
		}
		for i := 0; i < len(s); i++ {
			if s[i] == '\n' {
				return
			}
		}
		if got, want := inlineOf(s), inlineMarkupByPatterns(s); !assert.Equal(t, want, got) {
			t.Fatalf("%q", s)
		}
	})
}
