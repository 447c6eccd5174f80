package gencorpus

import (
	"bytes"
	"fmt"
	"strings"
)

// summaryVerbs open a party's overview or a theme paragraph after the party's name.
var summaryVerbs = []string{"wil", "ziet", "vindt", "pleit voor", "erkent", "benadrukt dat", "stelt dat", "zet in op", "wil dat", "kiest voor"}

// themeOpeners open a theme paragraph that does not name the party.
var themeOpeners = []string{"De partij wil", "De partij vindt dat", "Ze willen", "Ze pleiten voor", "Daarnaast wil de partij", "Ook wil de partij", "Naast"}

// partySummaries writes summaries of the programmes of one election, party after party, without
// headings (raw/tk2025-*-samenvattingen.txt): a paragraph that names the party is its overview,
// the paragraphs after it are themes, and lines that open with “ are quotes under the theme above.
// Only the opening paragraph, and some themes, name the party; nothing else names any party.
func (g *gen) partySummaries(d *doc) ([]byte, int) {
	ids := append([]string(nil), d.election.parties...)
	g.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:min(len(ids), 8+g.r.IntN(len(ids)-7))]
	budget := d.target / len(ids)
	var b bytes.Buffer
	units := 0
	for _, id := range ids {
		p := g.pool.party(id)
		start := b.Len()
		// The overview: the party's name, a verb and two to four sentences.
		name := g.alias(p)
		if g.r.IntN(5) == 0 && p.Name != p.Abbreviation {
			name = "De " + p.Name + " (" + p.Abbreviation + ")"
		}
		b.WriteString(name + " " + summaryVerbs[g.r.IntN(len(summaryVerbs))] + " ")
		b.WriteString(g.clean(func() string { return g.sentence(10, 30, true) }))
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			b.WriteString(" " + g.clean(func() string { return g.sentence(8, 30, false) }))
		}
		b.WriteByte('\n')
		units++
		for themes := 0; themes < 2 || b.Len()-start < budget && themes < 40; themes++ {
			switch x := g.r.IntN(10); {
			case x < 3:
				b.WriteString(g.alias(p) + " " + summaryVerbs[g.r.IntN(len(summaryVerbs))] + " ")
				b.WriteString(g.clean(func() string { return g.sentence(8, 28, true) }))
			case x < 6:
				b.WriteString(themeOpeners[g.r.IntN(len(themeOpeners))] + " ")
				b.WriteString(g.clean(func() string { return g.sentence(8, 28, true) }))
			default:
				b.WriteString(g.clean(func() string { return g.sentence(8, 30, false) }))
			}
			for n := g.r.IntN(3); n > 0; n-- {
				b.WriteString(" " + g.clean(func() string { return g.sentence(8, 28, false) }))
			}
			b.WriteByte('\n')
			units++
			for q := g.r.IntN(5); q > 0; q-- {
				text := g.clean(func() string { return g.sentences(1+g.r.IntN(3), 6, 30) })
				if g.r.IntN(15) == 0 {
					// An elided quote leaves text out in the middle.
					text += [2]string{" ... ", " … "}[g.r.IntN(2)] + g.clean(func() string { return g.sentence(6, 20, true) })
				}
				b.WriteString("“" + text + "”\n")
				units++
			}
		}
	}
	out := b.Bytes()
	if g.r.IntN(2) == 0 {
		out = bytes.TrimSuffix(out, []byte("\n")) // some texts have no final newline
	}
	return out, units
}

// scoreOverview writes a score overview (raw/tk2023-bigtech-scores.txt): a "# question" title, a
// score per party (Name<TAB>score), a [Let op: …] note, then a ## **Party** section per party with
// "- " bullets; with the artefacts of the original: a bullet continued after a blank line in lower
// case, a stray closing " at the end of a section, and parties with "- Geen relevante punten".
func (g *gen) scoreOverview(d *doc) ([]byte, int) {
	ids := append([]string(nil), d.election.parties...)
	g.r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	ids = ids[:min(len(ids), 6+g.r.IntN(len(ids)-5))]
	var b bytes.Buffer
	if g.r.IntN(2) == 0 {
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "# %s: welke partijen pleiten voor %s?\n\n", g.phrase(1+g.r.IntN(2)), strings.ToLower(g.phrase(2+g.r.IntN(4))))
	names := map[string]string{}
	for _, id := range ids {
		names[id] = g.alias(g.pool.party(id))
		sep := "\t"
		if g.r.IntN(6) == 0 {
			sep = ":\t"
		}
		score := fmt.Sprint(1 + g.r.IntN(5))
		if g.r.IntN(12) == 0 {
			score += ",5"
		}
		b.WriteString(names[id] + sep + score + "\n")
	}
	if g.r.IntN(4) != 0 {
		fmt.Fprintf(&b, "\n[Let op: %s]\n", g.sentences(1+g.r.IntN(2), 8, 25))
	}
	budget := d.target / len(ids)
	units := 0
	for _, id := range ids {
		start := b.Len()
		colon := ""
		if g.r.IntN(8) == 0 {
			colon = ":"
		}
		fmt.Fprintf(&b, "\n%s **%s%s**\n\n", [2]string{"##", "###"}[g.r.IntN(2)], names[id], colon)
		if g.r.IntN(7) == 0 {
			b.WriteString("- Geen relevante punten\n")
			continue
		}
		var last int
		for n := 0; n < 1 || b.Len()-start < budget && n < 60; n++ {
			last = b.Len()
			b.WriteString("- " + g.sentences(1+g.r.IntN(5), 8, 35) + "\n")
			units++
			if g.r.IntN(12) == 0 {
				// The PDF conversion broke the bullet: it goes on after a blank line, in lower case.
				b.WriteString("\n" + g.sentence(6, 30, true) + "\n")
				if g.r.IntN(2) == 0 {
					b.WriteString("\n")
				}
			}
		}
		if g.r.IntN(10) == 0 && bytes.Count(b.Bytes()[last:], []byte(`"`)) == 0 {
			// A stray closing quote at the end of the section.
			out := bytes.TrimRight(b.Bytes(), "\n")
			b.Truncate(len(out))
			b.WriteString("\"\n")
		}
	}
	return b.Bytes(), units
}

// programmeChapter writes a party's programme chapter as scraped from its web page
// (raw/tk2023-bij1-digitale-rechten.txt): navigation and call-to-action lines (listed in the
// registry's drop lists), the chapter title, a DD-MM-YYYY date, an intro heading with paragraphs,
// then subheadings each followed by points " 1. …".
func (g *gen) programmeChapter(d *doc) ([]byte, int) {
	var b bytes.Buffer
	nav, cta := d.drop["navigation"], d.drop["call_to_action"]
	for _, l := range nav[:len(nav)/2+1] {
		b.WriteString(l + "\n\n")
	}
	for _, l := range cta[:len(cta)/2] {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n" + g.phrase(2+g.r.IntN(4)) + "\n\n\n")
	day := d.election.date.AddDate(0, 0, -7-g.r.IntN(120))
	b.WriteString(day.Format("02-01-2006") + "\n")
	for _, l := range nav[len(nav)/2+1:] {
		b.WriteString(l + "\n")
	}
	for _, l := range cta[len(cta)/2:] {
		b.WriteString("\n" + l + "\n")
	}
	b.WriteString("\n" + g.phrase(3+g.r.IntN(4)) + "\n\n")
	units := 0
	for n := 1 + g.r.IntN(4); n > 0; n-- {
		b.WriteString(g.sentences(2+g.r.IntN(6), 8, 35) + "\n\n")
		units++
	}
	for sections := 0; sections < 1 || b.Len() < d.target && sections < 60; sections++ {
		b.WriteString(g.phrase(2+g.r.IntN(5)) + "\n\n")
		for n := 1; n <= 2+g.r.IntN(10); n++ {
			fmt.Fprintf(&b, " %d. %s\n", n, g.sentences(1+g.r.IntN(5), 8, 35))
			units++
		}
		b.WriteString("\n")
	}
	return bytes.TrimRight(b.Bytes(), "\n"), units
}

// pledgeDocument writes pledges as text extracted from a PDF (raw/tk2023-digitaal-stembusakkoord.txt):
// hard-wrapped at about 40 columns with trailing spaces and words hyphenated at line ends; a short
// title block before each body block; the document's own title and the signatories' preamble out of
// reading order near the end.
func (g *gen) pledgeDocument(d *doc) ([]byte, int) {
	width := 36 + g.r.IntN(10)
	type block []string
	var blocks []block
	units := 0
	size := 0
	for size < d.target || units < 2 {
		title := g.wrap(g.phrase(2+g.r.IntN(5)), 14+g.r.IntN(10), 0)
		body := g.wrap(g.sentences(2+g.r.IntN(5), 8, 30), width, 0.3)
		blocks = append(blocks, title, body)
		units++
		for _, l := range append(title, body...) {
			size += len(l) + 2
		}
	}
	// The document's title goes before one of the last pledges' titles (a title block followed by
	// a title block), the preamble after the last pledge.
	docTitle := block{fmt.Sprintf("Het %s stembusakkoord %d", strings.ToLower(g.phrase(1)), d.election.year)}
	at := 2 * (units/2 + g.r.IntN(units-units/2))
	blocks = append(blocks[:at], append([]block{docTitle}, blocks[at:]...)...)
	preamble := "De ondertekenaars spannen zich in om " + g.sentence(10, 30, true) + " " + g.sentence(8, 25, false)
	blocks = append(blocks, g.wrap(preamble, width+16, 0))
	units++
	var b bytes.Buffer
	b.WriteString("\n")
	for _, bl := range blocks {
		for _, l := range bl {
			b.WriteString(l)
			if g.r.IntN(4) != 0 {
				b.WriteString(" ")
			}
			b.WriteString("\n")
		}
		switch g.r.IntN(6) {
		case 0:
			b.WriteString("  \n\n")
		case 1:
			b.WriteString("\n \n\n")
		default:
			b.WriteString("\n")
		}
	}
	return b.Bytes(), units
}
