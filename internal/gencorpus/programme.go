package gencorpus

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// A line of a programme text before pagination.
type pline struct {
	text  string
	blank bool
}

// pdfStyle is how one programme text was typeset and extracted.
type pdfStyle struct {
	width    int
	trailing bool // wrapped lines end in a space, a paragraph's last line does not
	pageLen  int
	header   string // a running header at the top of each page ("" for none)
	footer   func(page int) string
	hyph     float64
}

// programmeText writes a party's programme text as extracted from a PDF (raw/programmes/): hard-
// wrapped lines, numbered and unnumbered headings, paragraphs, bullet lists and numbered points,
// words hyphenated at line ends, and page furniture between the pages (a running header, a footer
// with the page number, or a page number alone). Some texts carry a table of contents before the
// chapter and the start of the next chapter after it, selected away with lines = [from, to]; some
// have their header also listed as a registry furniture pattern. It returns the text, the number
// of paragraphs, list items and points written, and the lines selection (nil when the whole text
// is the chapter).
func (g *gen) programmeText(d *doc) ([]byte, int, []int) {
	p := g.pool.party(d.party)
	year, chapter := d.election.year, 1+g.r.IntN(12)
	st := pdfStyle{width: 68 + g.r.IntN(32), trailing: g.r.IntN(3) != 0, pageLen: 36 + g.r.IntN(20), hyph: 0.2}
	firstPage := 2 + g.r.IntN(120)
	title := g.phrase(2 + g.r.IntN(4))
	switch g.r.IntN(4) {
	case 0:
		st.header = fmt.Sprintf("Verkiezingsprogramma %s %d – %d", p.Abbreviation, year, year+4)
		st.footer = func(n int) string { return fmt.Sprint(n) }
		if g.r.IntN(3) == 0 {
			d.furniture = []string{regexp.QuoteMeta(st.header)}
		}
	case 1:
		st.footer = func(n int) string { return fmt.Sprintf("%s | Verkiezingsprogramma %d | %d", p.Name, year, n) }
	case 2:
		total := firstPage + 60 + g.r.IntN(200)
		st.footer = func(n int) string { return fmt.Sprintf("Pagina %d van %d", n, total) }
	default:
		st.header = strings.ToUpper(fmt.Sprintf("Verkiezingsprogramma %s %d", p.Abbreviation, year))
		st.footer = func(n int) string { return fmt.Sprint(n) }
	}
	var body []pline
	size := 0
	add := func(lines ...string) {
		for _, l := range lines {
			body = append(body, pline{text: l})
			size += len(l) + 1
		}
	}
	blank := func() {
		if len(body) > 0 && !body[len(body)-1].blank {
			body = append(body, pline{blank: true})
		}
	}
	units := 0
	paragraph := func(text string, width int) {
		ls := g.wrap(text, width, st.hyph)
		if st.trailing {
			for i := range ls[:len(ls)-1] {
				ls[i] += " "
			}
		}
		add(ls...)
		units++
	}
	heading := func(t string) {
		blank()
		add(t)
		if !st.trailing {
			blank()
		}
	}
	betweenParagraphs := func() {
		if !st.trailing || g.r.IntN(8) == 0 {
			blank()
		}
	}
	// Chapters, as many as the size asks for: a numbered title, an introduction, then sections
	// (some with subsections), each with paragraphs and perhaps a bullet list or numbered points.
	numbered := g.r.IntN(3) != 0
	for ch := 0; ch < 1 || size < d.target && ch < 200; ch++ {
		if ch > 0 {
			chapter++
			title = g.phrase(2 + g.r.IntN(4))
			blank()
		}
		if numbered {
			add(fmt.Sprintf("%d. %s", chapter, title))
		} else {
			add(title)
		}
		if !st.trailing {
			blank()
		}
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			paragraph(g.sentences(2+g.r.IntN(5), 8, 30), st.width)
			betweenParagraphs()
		}
		sections := 3 + g.r.IntN(12)
		for sec := 1; sec <= sections && (sec < 2 || size < d.target); sec++ {
			h := g.phrase(2 + g.r.IntN(5))
			if numbered {
				h = fmt.Sprintf("%d.%d %s", chapter, sec, h)
			}
			heading(h)
			subs := 0
			if numbered && g.r.IntN(4) == 0 {
				subs = 2 + g.r.IntN(4)
			}
			for sub := 0; sub <= subs; sub++ {
				if sub > 0 {
					heading(fmt.Sprintf("%d.%d.%d %s", chapter, sec, sub, g.phrase(2+g.r.IntN(4))))
				}
				g.sectionBody(st, paragraph, add, blank, betweenParagraphs, &units)
			}
			if g.r.IntN(5) == 0 {
				// A closing paragraph under an unnumbered subheading.
				heading(g.phrase(2 + g.r.IntN(3)))
				paragraph(g.sentences(2+g.r.IntN(4), 8, 30), st.width)
				betweenParagraphs()
			}
		}
	}
	// Pagination: furniture between pages, the page length counted in lines of the text.
	var b bytes.Buffer
	var lines []int
	var prefix, suffix []string
	if g.r.IntN(5) == 0 {
		// A table of contents before the chapter, the next chapter's start after it.
		prefix = append(prefix, "Inhoud", "")
		for k := 1; k <= 3+g.r.IntN(6); k++ {
			prefix = append(prefix, fmt.Sprintf("%d. %s %d", k, g.phrase(2+g.r.IntN(3)), firstPage+k*7))
		}
		prefix = append(prefix, "")
		suffix = append(suffix, "", fmt.Sprintf("%d. %s", chapter+1, g.phrase(2+g.r.IntN(3))))
		suffix = append(suffix, g.wrap(g.sentences(2, 8, 25), st.width, 0)...)
	}
	for _, l := range prefix {
		b.WriteString(l + "\n")
	}
	page, inPage, written := firstPage, 0, 0
	if st.header != "" {
		b.WriteString(st.header + "\n")
		written++
	}
	for _, l := range body {
		if inPage == st.pageLen {
			b.WriteString(st.footer(page) + "\n")
			page++
			written++
			if st.header != "" {
				b.WriteString(st.header + "\n")
				written++
			}
			inPage = 0
		}
		if !l.blank {
			b.WriteString(l.text)
		}
		b.WriteByte('\n')
		inPage++
		written++
	}
	b.WriteString(st.footer(page) + "\n")
	written++
	if prefix != nil {
		lines = []int{len(prefix) + 1, len(prefix) + written}
	}
	for _, l := range suffix {
		b.WriteString(l + "\n")
	}
	return b.Bytes(), units, lines
}

// markdownText writes a programme text in Markdown: front matter sometimes, # and ## headings,
// paragraphs with some emphasis and links, "-" bullets (continued on indented lines) and "1." points,
// blocks separated by blank lines.
func (g *gen) markdownText(d *doc) ([]byte, int) {
	var b bytes.Buffer
	p := g.pool.party(d.party)
	if g.r.IntN(3) == 0 {
		fmt.Fprintf(&b, "---\ntitle: %s\nparty: %s\n---\n\n", d.title, p.Abbreviation)
	}
	chapter := 1 + g.r.IntN(12)
	fmt.Fprintf(&b, "# %d. %s\n\n", chapter, g.phrase(2+g.r.IntN(4)))
	width := 0
	if g.r.IntN(2) == 0 {
		width = 72 + g.r.IntN(30) // hard-wrapped source; otherwise one line per paragraph
	}
	units := 0
	para := func(text string) {
		words := strings.Fields(text)
		for i := 1; i < len(words)-1; i++ {
			switch g.r.IntN(40) {
			case 0:
				words[i] = "**" + words[i] + "**"
			case 1:
				words[i] = "*" + words[i] + "*"
			case 2:
				words[i] = fmt.Sprintf("[%s](https://www.example.org/%s/%d)", words[i], d.party, g.r.IntN(1000))
			}
		}
		text = strings.Join(words, " ")
		if width > 0 {
			b.WriteString(strings.Join(g.wrap(text, width, 0), "\n"))
		} else {
			b.WriteString(text)
		}
		b.WriteString("\n\n")
		units++
	}
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		para(g.sentences(2+g.r.IntN(5), 8, 30))
	}
	for sec := 1; sec < 2 || b.Len() < d.target && sec < 400; sec++ {
		fmt.Fprintf(&b, "## %d.%d %s\n\n", chapter, sec, g.phrase(2+g.r.IntN(4)))
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			para(g.sentences(2+g.r.IntN(6), 8, 30))
		}
		switch g.r.IntN(3) {
		case 0:
			for n := 2 + g.r.IntN(6); n > 0; n-- {
				ls := g.wrap(g.sentences(1+g.r.IntN(2), 6, 25), 76, 0)
				b.WriteString("- " + strings.Join(ls, "\n  ") + "\n")
				units++
			}
			b.WriteString("\n")
		case 1:
			for n := 1; n <= 2+g.r.IntN(8); n++ {
				fmt.Fprintf(&b, "%d. %s\n", n, g.sentences(1+g.r.IntN(3), 8, 30))
				units++
			}
			b.WriteString("\n")
		}
	}
	return b.Bytes(), units
}

// sectionBody writes the body of a section of a PDF programme text: one to three paragraphs, then
// sometimes a bullet list after a lead-in that ends in ":", or numbered points; a list ends with a
// blank line.
func (g *gen) sectionBody(st pdfStyle, paragraph func(string, int), add func(...string), blank, between func(), units *int) {
	for n := 1 + g.r.IntN(3); n > 0; n-- {
		paragraph(g.sentences(2+g.r.IntN(6), 8, 30), st.width)
		between()
	}
	switch g.r.IntN(4) {
	case 0: // a bullet list after a lead-in
		lead := g.sentences(1+g.r.IntN(2), 8, 25)
		paragraph(strings.TrimRight(lead, ".?!")+":", st.width)
		glyph := []string{"• ", "• ", "▪ ", "- "}[g.r.IntN(4)]
		for n := 2 + g.r.IntN(6); n > 0; n-- {
			ls := g.wrap(glyph+g.sentences(1+g.r.IntN(2), 6, 25), st.width-2, st.hyph)
			if st.trailing {
				for i := range ls[:len(ls)-1] {
					ls[i] += " "
				}
			}
			add(ls...)
			*units++
		}
		blank()
	case 1: // numbered points
		for n := 1; n <= 2+g.r.IntN(8); n++ {
			paragraph(fmt.Sprintf("%d. %s", n, g.sentences(1+g.r.IntN(3), 8, 30)), st.width)
		}
		blank()
	}
}
