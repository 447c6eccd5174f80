package extract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// brief is a unit as the tests compare it: kind, number, nearest heading, text with white space
// collapsed, flags.
type brief struct {
	kind    model.Kind
	number  int64
	section string
	text    string
	flags   string
}

func briefs(ex *model.Extracted) []brief {
	var out []brief
	for _, u := range ex.Units {
		out = append(out, brief{u.Kind, u.Number, u.Section, strings.Join(strings.Fields(u.Text), " "), strings.Join(u.Flags, ",")})
	}
	return out
}

func dropped(ex *model.Extracted, raw []byte) []string {
	var out []string
	for _, s := range ex.Spans {
		if s.Class == model.ClassDropped {
			out = append(out, s.Label+":"+string(raw[s.Start:s.End]))
		}
	}
	return out
}

// TestProgrammeText runs the PDF-text rules on small fixtures cut from the corpus (names shortened).
func TestProgrammeText(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		want    []brief
		dropped []string
	}{
		{"hard-wrapped paragraphs end where the next word would have fitted",
			"Nog steeds staat onze economie onder hoogspanning door torenhoge winsten van \nmultinationals en grote arbeidstekorten.\nEen omslag maken naar een eerlijke economie is van belang. In een eerlijke \neconomie delen we de winst.\n",
			[]brief{{model.KindParagraph, 0, "", "Nog steeds staat onze economie onder hoogspanning door torenhoge winsten van multinationals en grote arbeidstekorten.", ""},
				{model.KindParagraph, 0, "", "Een omslag maken naar een eerlijke economie is van belang. In een eerlijke economie delen we de winst.", ""}}, nil},
		{"bullets whatever the glyph, Wingdings 6, and a lead-in with a colon",
			"De PVV wil voor u:\n › Geen digitale euro\n• Volledige stop op ontwikkelingshulp\n 6Geen gezamenlijke Europese schulden.\n",
			[]brief{{model.KindParagraph, 0, "", "De PVV wil voor u:", ""}, {model.KindBullet, 0, "", "Geen digitale euro", ""},
				{model.KindBullet, 0, "", "Volledige stop op ontwikkelingshulp", ""}, {model.KindBullet, 0, "", "Geen gezamenlijke Europese schulden.", ""}}, nil},
		{"numbered heading, numbered points, hyphenation and a real hyphen",
			"2.4 Het kan en moet veiliger\n1. We investeren in de misinfor-\nmatie-aanpak en in ICT-\nsystemen.\n2. Soft- en hardware worden open.\n",
			[]brief{{model.KindPoint, 1, "2.4 Het kan en moet veiliger", "We investeren in de misinformatie-aanpak en in ICT-systemen.", model.FlagDehyphenated},
				{model.KindPoint, 2, "2.4 Het kan en moet veiliger", "Soft- en hardware worden open.", ""}}, nil},
		{"capital headings over two lines are one heading; a glued page number goes",
			"29EERLIJKE\nECONOMIE\nHet mkb is de ruggengraat van de economie en van de regio's in het hele land. We\nbeschermen het.31\n",
			[]brief{{model.KindParagraph, 0, "EERLIJKE ECONOMIE", "Het mkb is de ruggengraat van de economie en van de regio's in het hele land. We beschermen het.", ""}},
			[]string{"page_number:29", "page_number:31"}},
		{"a running header with a varying page number, also glued to text",
			"VERKIEZINGSPROGRAMMA GROENLINKS 2021 76\nWe zetten ons in voor nieuwe vormen van democratie, zoals burgerraden en \nloting. VERKIEZINGSPROGRAMMA GROENLINKS 2021 77\nDie zorgen dat meer mensen betrokken zijn bij de besluitvorming in het land.\n",
			[]brief{{model.KindParagraph, 0, "", "We zetten ons in voor nieuwe vormen van democratie, zoals burgerraden en loting.", ""},
				{model.KindParagraph, 0, "", "Die zorgen dat meer mensen betrokken zijn bij de besluitvorming in het land.", ""}},
			[]string{"running_header:VERKIEZINGSPROGRAMMA GROENLINKS 2021 76", "running_header:VERKIEZINGSPROGRAMMA GROENLINKS 2021 77"}},
		{"a heading glued to the end of a paragraph after two spaces",
			"We investeren in digitale vaardigheden om de digitale kloof te \noverbruggen.  Grondrechten  \nEen bloeiende digitale samenleving is niet alleen afhankelijk van techniek.\n",
			[]brief{{model.KindParagraph, 0, "", "We investeren in digitale vaardigheden om de digitale kloof te overbruggen.", ""},
				{model.KindParagraph, 0, "Grondrechten", "Een bloeiende digitale samenleving is niet alleen afhankelijk van techniek.", ""}}, nil},
		{"printed line numbers of a concept programme go",
			"10 Wij willen dat de overheid open standaarden\n11 gebruikt en dat zij haar software\n12 openbaar maakt, zodat iedereen kan\n13 zien hoe die werkt. Dat geldt ook\n14 voor algoritmen die over mensen\n15 beslissen en voor de data.\n",
			[]brief{{model.KindParagraph, 0, "", "Wij willen dat de overheid open standaarden gebruikt en dat zij haar software openbaar maakt, zodat iedereen kan zien hoe die werkt. Dat geldt ook voor algoritmen die over mensen beslissen en voor de data.", ""}},
			[]string{"line_number:10", "line_number:11", "line_number:12", "line_number:13", "line_number:14", "line_number:15"}},
		{"one-line numbered points are no line numbers",
			"1 Open standaarden.\n2 Open source.\n3 Open data.\n4 Open algoritmen.\n5 Open overheid.\n6 Open netwerken.\n",
			[]brief{{model.KindPoint, 1, "", "Open standaarden.", ""}, {model.KindPoint, 2, "", "Open source.", ""}, {model.KindPoint, 3, "", "Open data.", ""},
				{model.KindPoint, 4, "", "Open algoritmen.", ""}, {model.KindPoint, 5, "", "Open overheid.", ""}, {model.KindPoint, 6, "", "Open netwerken.", ""}}, nil},
		{"numbered points that begin alike are points, not a running header with a page number",
			"1. We zorgen ervoor dat iedereen digitaal mee kan doen, ook zonder smartphone.\n2. We zorgen ervoor dat de overheid open source software gebruikt.\n12.38 Nederlanden moet digitaal weerbaar worden.\n12.66 Nederlanden moet digitaal soeverein worden.\n",
			[]brief{{model.KindPoint, 1, "", "We zorgen ervoor dat iedereen digitaal mee kan doen, ook zonder smartphone.", ""},
				{model.KindPoint, 2, "", "We zorgen ervoor dat de overheid open source software gebruikt.", ""},
				{model.KindPoint, 38, "", "Nederlanden moet digitaal weerbaar worden.", ""},
				{model.KindPoint, 66, "", "Nederlanden moet digitaal soeverein worden.", ""}}, []string{}},
		{"a running header that starts with a bare page number still goes",
			"12 VERKIEZINGSPROGRAMMA GROENLINKS 2021\nWe zetten ons in voor nieuwe vormen van democratie, zoals burgerraden.\n13 VERKIEZINGSPROGRAMMA GROENLINKS 2021\nDie zorgen dat meer mensen betrokken zijn bij de besluitvorming.\n",
			// (the two lines read as one paragraph across the header, as across a page break)
			[]brief{{model.KindParagraph, 0, "", "We zetten ons in voor nieuwe vormen van democratie, zoals burgerraden. Die zorgen dat meer mensen betrokken zijn bij de besluitvorming.", ""}},
			[]string{"running_header:12 VERKIEZINGSPROGRAMMA GROENLINKS 2021", "running_header:13 VERKIEZINGSPROGRAMMA GROENLINKS 2021"}},
		{"a unit that starts mid-sentence is flagged",
			"en het Internet of Things onderdeel van ons leven wordt.\n",
			[]brief{{model.KindParagraph, 0, "", "en het Internet of Things onderdeel van ons leven wordt.", model.FlagReadingOrder}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex, tx, err := parse(t, model.FormatProgrammeText, tc.text, func(s *registry.Source) { s.Markup = registry.MarkupPDF })
			require.NoError(t, err)
			assert.Equal(t, tc.want, briefs(ex))
			if tc.dropped != nil && len(tc.dropped) == 0 {
				assert.Empty(t, dropped(ex, tx.Raw))
			} else if tc.dropped != nil {
				assert.Equal(t, tc.dropped, dropped(ex, tx.Raw))
			}
		})
	}
}

// TestProgrammeSelectionAndPatterns: lines = [from, to] drops the rest as outside_selection, and
// the registry's furniture patterns are dropped wherever they match.
func TestProgrammeSelectionAndPatterns(t *testing.T) {
	text := "Vorig hoofdstuk.\nWe willen open source. Keuzes voor een beter Nederland\nVolgend hoofdstuk.\n"
	ex, tx, err := parse(t, model.FormatProgrammeText, text, func(s *registry.Source) {
		s.Markup, s.Lines = registry.MarkupPDF, []int{2, 2}
		s.FurnitureRE = append(s.FurnitureRE, mustRE(t, `Keuzes voor een beter Nederland`))
	})
	require.NoError(t, err)
	assert.Equal(t, []brief{{model.KindParagraph, 0, "", "We willen open source.", ""}}, briefs(ex))
	assert.Equal(t, []string{"outside_selection:Vorig hoofdstuk.", "furniture_pattern:Keuzes voor een beter Nederland", "outside_selection:Volgend hoofdstuk."}, dropped(ex, tx.Raw))
}

// TestProgrammeMarkdown: headings, bold-only headings, items, emphasis and links, front matter.
func TestProgrammeMarkdown(t *testing.T) {
	text := "---\ntitle: Programma\n---\n# Digitalisering\n\nWe willen **open** source en\n[publieke code](https://example.org/code).\n\n**Privacy**\n\n- Geen _gezichtsherkenning_ op straat.\n- Een verbod op\n  tracking.\n1. Een minister voor Digitale Zaken.\n"
	ex, tx, err := parse(t, model.FormatProgrammeText, text, func(s *registry.Source) { s.Markup = registry.MarkupMarkdown })
	require.NoError(t, err)
	assert.Equal(t, []brief{
		{model.KindParagraph, 0, "Digitalisering", "We willen open source en publieke code.", ""},
		{model.KindBullet, 0, "Privacy", "Geen gezichtsherkenning op straat.", ""},
		{model.KindBullet, 0, "Privacy", "Een verbod op tracking.", ""},
		{model.KindPoint, 1, "Privacy", "Een minister voor Digitale Zaken.", ""},
	}, briefs(ex))
	assert.Equal(t, []string{"Digitalisering", "Privacy"}, ex.Units[1].SectionPath)
	d := dropped(ex, tx.Raw)
	assert.Contains(t, d, "markup:](https://example.org/code)")
	assert.Contains(t, d, "markup:**")
	acc, err := Account(tx, ex)
	require.NoError(t, err)
	assert.Positive(t, acc.Labels["structure:front_matter"])
}

func mustRE(t *testing.T, s string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(s)
	require.NoError(t, err)
	return re
}

// TestProgrammeMarkdownMore: setext headings, tables, escapes, hard breaks, footnotes, HTML.
func TestProgrammeMarkdownMore(t *testing.T) {
	text := "Digitale rechten\n================\n\nWe willen *grip*<br> op algoritmen\\\nen 5\\*5 open standaarden[^1].\n\nPrivacy\n-------\n\n| Maatregel | Kosten |\n|---|---:|\n| Register | 10 mln |\n\n[^1]: Een voetnoot.\n"
	ex, _, err := parse(t, model.FormatProgrammeText, text, func(s *registry.Source) { s.Markup = registry.MarkupMarkdown })
	require.NoError(t, err)
	assert.Equal(t, []brief{
		{model.KindParagraph, 0, "Digitale rechten", "We willen grip op algoritmen en 5*5 open standaarden.", ""},
		{model.KindParagraph, 0, "Privacy", "Maatregel | Kosten", ""},
		{model.KindParagraph, 0, "Privacy", "Register | 10 mln", ""},
		{model.KindParagraph, 0, "Privacy", "Een voetnoot.", ""},
	}, briefs(ex))
	assert.Equal(t, 2, ex.Headings)
}
