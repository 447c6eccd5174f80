package site

import (
	"fmt"
	"math"
	"strings"
)

// The charts are computed here as geometry (every coordinate in SVG user units) and drawn by the
// templates; the same numbers go into the HTML tables beside them.

// colour is a fill and whether text on it is white (else inkColour); either way the contrast is
// 4.5:1 or more (TestContrast).
type colour struct {
	Fill  string
	Light bool
}

// Ink is the colour of text drawn on the fill.
func (c colour) Ink() string {
	if c.Light {
		return markText
	}
	return inkColour
}

// heatBins are the heat map's classes: counts from Min up to the next bin's Min.
var heatBins = []struct {
	Min int64
	colour
}{
	{1, colour{"#deebf7", false}},
	{3, colour{"#c6dbef", false}},
	{6, colour{"#9ecae1", false}},
	{11, colour{"#6baed6", false}},
	{21, colour{"#2171b5", true}},
	{41, colour{"#08306b", true}},
}

// barColour fills the score bars and the coverage marks; markText is drawn on it.
const (
	barColour = "#2171b5"
	markText  = "#ffffff"
	inkColour = "#1a1a1a"
	gridColor = "#767676"
)

func binOf(n int64) colour {
	c := heatBins[0].colour
	for _, b := range heatBins {
		if n >= b.Min {
			c = b.colour
		}
	}
	return c
}

// where is the data-where attribute of a counted element: column=value pairs that select the
// rows it counts; an empty value stands for null.
func where(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, pairs[i]+"="+pairs[i+1])
	}
	return strings.Join(parts, ";")
}

// column is a party column of the heat map or a coverage chart.
type column struct {
	X, LabelX, LabelY int
	Label, Title      string
}

type heatCell struct {
	X, Y, W, H, TX, TY int
	colour
	Text, Where string
	Outline     bool
}

type heatRow struct {
	Y, LabelY    int
	Label, Title string
	Cells        []heatCell
}

type heatGroup struct {
	Y     int
	Label string
}

type legendItem struct {
	X, Y, W, H, TX, TY int
	colour
	Label   string
	Outline bool
}

type heatTableRow struct {
	Document, Title, Party, Count, Where string
}

type heatmap struct {
	Width, Height int
	Cols          []column
	Groups        []heatGroup
	Rows          []heatRow
	Legend        []legendItem
	Table         []heatTableRow
	Cap           *docCapNote // the heat map shows fewer documents than there are
}

// Heat map layout, in user units.
const (
	heatLabelW = 250
	heatColW   = 30
	heatRowH   = 20
	heatHeadH  = 64
	heatGroupH = 24
	heatLegH   = 52
)

// noPartyKey stands for passages without a party in the heat map's columns.
const noPartyKey = "\x00"

// buildHeatmap draws the heat map of the first d.heatDocs documents in page order, with a column
// per party that has passages or coverage in them; tables are the files a cut heat map links to.
func buildHeatmap(d *data, l *lang, tables []tableFiles) heatmap {
	counts := d.perCell
	shown := func(doc string) bool { return d.docIdx[doc] < d.heatDocs }
	used := map[string]bool{}
	for k := range counts {
		if shown(k[0]) {
			used[k[1]] = true
		}
	}
	covered := map[[2]string]bool{} // document_parties rows with no passages
	for _, c := range d.coverage {
		if !shown(c.Doc) {
			continue
		}
		used[c.Party] = true
		if c.Passages == 0 {
			covered[[2]string{c.Doc, c.Party}] = true
		}
	}
	var keys []string
	for _, p := range d.parties {
		if used[p.ID] {
			keys = append(keys, p.ID)
		}
	}
	if used[noPartyKey] {
		keys = append(keys, noPartyKey)
	}
	h := heatmap{}
	for i, k := range keys {
		x := heatLabelW + i*heatColW
		c := column{X: x, LabelX: x + heatColW/2, LabelY: heatHeadH - 6}
		if k == noPartyKey {
			c.Label, c.Title = "–", l.L.NoParty
		} else {
			c.Label, c.Title = d.partyAbbr(k), d.partyName(k)
		}
		h.Cols = append(h.Cols, c)
	}
	y := heatHeadH
	lastElection := "\x00"
	for _, doc := range d.documents[:d.heatDocs] {
		if doc.Election != lastElection {
			lastElection = doc.Election
			label := doc.Election
			if i, ok := d.elecIdx[doc.Election]; ok {
				label = d.elections[i].Name
			}
			h.Groups = append(h.Groups, heatGroup{Y: y + heatGroupH - 7, Label: label})
			y += heatGroupH
		}
		row := heatRow{Y: y, LabelY: y + heatRowH - 6, Label: doc.ID, Title: doc.Title}
		for i, k := range keys {
			n := counts[[2]string{doc.ID, k}]
			partyVal := k
			if k == noPartyKey {
				partyVal = ""
			}
			x := heatLabelW + i*heatColW
			cell := heatCell{X: x + 1, Y: y + 1, W: heatColW - 2, H: heatRowH - 2, TX: x + heatColW/2, TY: y + heatRowH - 6,
				Where: where("document_id", doc.ID, "party_id", partyVal)}
			switch {
			case n > 0:
				cell.colour = binOf(n)
				cell.Text = l.Int(n)
			case covered[[2]string{doc.ID, k}]:
				cell.colour = colour{"#ffffff", false}
				cell.Outline = true
				cell.Text = l.Int(0)
			default:
				continue
			}
			row.Cells = append(row.Cells, cell)
			party := l.L.NoParty
			if k != noPartyKey {
				party = d.partyAbbr(k)
			}
			h.Table = append(h.Table, heatTableRow{Document: doc.ID, Title: doc.Title, Party: party, Count: cell.Text, Where: cell.Where})
		}
		h.Rows = append(h.Rows, row)
		y += heatRowH
	}
	// Legend: one swatch per bin, then the outlined zero.
	y += 16
	x := 0
	for i, b := range heatBins {
		label := l.Int(b.Min) + "+"
		if i+1 < len(heatBins) {
			if hi := heatBins[i+1].Min - 1; hi == b.Min {
				label = l.Int(b.Min)
			} else {
				label = l.Int(b.Min) + "–" + l.Int(hi)
			}
		}
		h.Legend = append(h.Legend, legendItem{X: x, Y: y, W: 18, H: 14, TX: x + 24, TY: y + 11, colour: b.colour, Label: label})
		x += 24 + 8*len([]rune(label)) + 14
	}
	h.Legend = append(h.Legend, legendItem{X: x, Y: y, W: 18, H: 14, TX: x + 24, TY: y + 11,
		colour: colour{"#ffffff", false}, Label: "0: " + l.L.CoveredNone, Outline: true})
	h.Width = max(heatLabelW+len(keys)*heatColW+4, x+24+7*len([]rune(l.L.CoveredNone))+30)
	h.Height = y + heatLegH - 16
	if d.heatDocs < len(d.documents) {
		h.Cap = newDocCapNote(l.L.HeatCapped, d.heatDocs, len(d.documents), tables, l)
	}
	return h
}

// Score bar chart layout.
const (
	barLabelW = 80
	barPlotW  = 460
	barRowH   = 26
	barH      = 18
	barTop    = 8
	barAxisH  = 34
)

type bar struct {
	Y, W, LabelY, ValueX int
	Label, Value, Href   string
	Where                string
}

type tick struct {
	X, LabelY int
	Label     string
}

type bulletList struct {
	ID, Party, PartyName, Score, Where string
	Count                              string // passages of the party in the document
	Passages                           []passageView
	Cap                                *capNote // the list shows fewer passages than Count
}

type barChart struct {
	ID, Document, Question string
	Note                   string // the document's note (a caveat of the source)
	Width, Height          int
	PlotX, PlotY, PlotB    int
	LabelX, BarH, AxisY    int
	Bars                   []bar
	Ticks                  []tick
	Lists                  []bulletList
}

// passageView is a passage as the static lists show it.
type passageView struct {
	ID, Text, Lang, Kind, Section, Href, Source string
}

func (d *data) passageView(p bullet, l *lang) passageView {
	doc := d.documents[d.docIdx[p.Doc]]
	href, source := sourceLink(doc.RawPath, p.Line, l)
	return passageView{ID: p.ID, Text: p.Text, Lang: doc.Language, Kind: l.kind(p.Kind), Section: p.Section, Href: href, Source: source}
}

// sourceLink is the link to a passage's line in its raw text: from a release folder
// (output/releases/vX.Y.Z/) the repository root is three folders up.
func sourceLink(rawPath string, line int64, l *lang) (href, text string) {
	return "../../../" + rawPath + "#L" + fmt.Sprint(line), rawPath + ", " + l.L.Line + " " + l.Int(line)
}

// buildScoreCharts draws a chart per document with scores, as many as the limits allow (see
// planScores), each bar with the list of the party's passages in the document, as far as the
// pages' limits allow; files are the passages table's files, which a cut list links to.
func buildScoreCharts(d *data, l *lang, files []string) []barChart {
	var charts []barChart
	for n, sd := range d.scoreDocs {
		doc, ss := sd.doc, sd.scores
		hi := 1.0
		for _, s := range ss {
			hi = math.Max(hi, s.Score)
		}
		top := math.Ceil(hi)
		c := barChart{ID: fmt.Sprintf("scores-%d", n+1), Document: doc, Question: ss[0].Question, Note: d.documents[d.docIdx[doc]].Note,
			PlotX: barLabelW, PlotY: barTop, Width: barLabelW + barPlotW + 40, LabelX: barLabelW - 8, BarH: barH}
		c.PlotB = barTop + len(ss)*barRowH
		c.AxisY = c.PlotB + 30
		c.Height = c.PlotB + barAxisH
		for i := 0; i <= int(top); i++ {
			c.Ticks = append(c.Ticks, tick{X: barLabelW + int(math.Round(float64(i)/top*barPlotW)), LabelY: c.PlotB + 16, Label: l.Int(int64(i))})
		}
		for i, s := range ss {
			id := "bt-" + doc + "-" + s.Party
			w := int(math.Round(math.Max(0, s.Score) / top * barPlotW))
			y := barTop + i*barRowH + (barRowH-barH)/2
			wh := where("document_id", doc, "party_id", s.Party)
			c.Bars = append(c.Bars, bar{Y: y, W: w, LabelY: y + barH - 5, ValueX: barLabelW + w + 6,
				Label: d.partyAbbr(s.Party), Value: l.Num(s.Score), Href: "#" + id, Where: wh})
			total := d.perCell[[2]string{doc, s.Party}]
			list := bulletList{ID: id, Party: d.partyAbbr(s.Party), PartyName: d.partyName(s.Party), Score: l.Num(s.Score), Where: wh,
				Count: l.Int(total)}
			for _, p := range d.bullets[sd.first+i] {
				list.Passages = append(list.Passages, d.passageView(p, l))
			}
			if int64(len(list.Passages)) < total {
				list.Cap = newCapNote(l.L.ListCapped, len(list.Passages), total, files, l)
			}
			c.Lists = append(c.Lists, list)
		}
		charts = append(charts, c)
	}
	return charts
}

// Coverage chart layout.
const (
	covLabelW = 250
	covColW   = 34
	covRowH   = 26
	covHeadH  = 64
	covR      = 9
)

type covMark struct {
	CX, CY, R, TY int
	Filled        bool
	Text, Where   string
}

type covRow struct {
	Y, LabelY, LineY int
	Label, Title     string
	Marks            []covMark
}

type covTableRow struct {
	Document, Party, Passages, Note, Where string
}

type covChart struct {
	ID, Election, Name string
	Width, Height      int
	LineX              int
	Cols               []column
	Rows               []covRow
	Table              []covTableRow
	Uncovered          []uncovered // documents of the election without document_parties rows
	Cap                *docCapNote // the chart shows fewer of the election's documents than there are
}

type uncovered struct {
	Document, Title, Passages, Where string
}

// buildCoverage draws a chart per election of its first d.coverageDocs documents in page order:
// a row for each with document_parties rows, a line for each without; tables are the files a cut
// chart links to.
func buildCoverage(d *data, l *lang, tables []tableFiles) []covChart {
	var charts []covChart
	for n, e := range d.elections {
		c := covChart{ID: fmt.Sprintf("coverage-%d", n+1), Election: e.ID, Name: e.Name}
		var shown []document
		total := 0
		for _, doc := range d.documents {
			if doc.Election != e.ID {
				continue
			}
			if total < d.coverageDocs {
				shown = append(shown, doc)
			}
			total++
		}
		byDoc := map[string][]coverage{} // of the documents shown, in coverage order: by party
		for _, doc := range shown {
			byDoc[doc.ID] = nil
		}
		for _, cv := range d.coverage {
			if rows, ok := byDoc[cv.Doc]; ok {
				byDoc[cv.Doc] = append(rows, cv)
			}
		}
		var docs []document
		partySet := map[string]bool{}
		rows := map[string][]coverage{}
		for _, doc := range shown {
			for _, cv := range byDoc[doc.ID] {
				rows[doc.ID] = append(rows[doc.ID], cv)
				partySet[cv.Party] = true
			}
			if len(rows[doc.ID]) > 0 {
				docs = append(docs, doc)
				continue
			}
			np := d.perCell[[2]string{doc.ID, noPartyKey}]
			c.Uncovered = append(c.Uncovered, uncovered{Document: doc.ID, Title: doc.Title, Passages: l.Int(np),
				Where: where("document_id", doc.ID, "party_id", "")})
		}
		if len(docs) == 0 && len(c.Uncovered) == 0 {
			continue
		}
		var parties []string
		for _, p := range d.parties {
			if partySet[p.ID] {
				parties = append(parties, p.ID)
			}
		}
		col := map[string]int{}
		for i, p := range parties {
			x := covLabelW + i*covColW
			col[p] = i
			c.Cols = append(c.Cols, column{X: x, LabelX: x + covColW/2, LabelY: covHeadH - 6, Label: d.partyAbbr(p), Title: d.partyName(p)})
		}
		for i, doc := range docs {
			y := covHeadH + i*covRowH
			r := covRow{Y: y, LabelY: y + covRowH/2 + 4, LineY: y + covRowH/2, Label: doc.ID, Title: doc.Title}
			for _, cv := range rows[doc.ID] {
				wh := where("document_id", doc.ID, "party_id", cv.Party)
				r.Marks = append(r.Marks, covMark{CX: covLabelW + col[cv.Party]*covColW + covColW/2, CY: y + covRowH/2, R: covR, TY: y + covRowH/2 + 4,
					Filled: cv.Passages > 0, Text: l.Int(cv.Passages), Where: wh})
				c.Table = append(c.Table, covTableRow{Document: doc.ID, Party: d.partyAbbr(cv.Party), Passages: l.Int(cv.Passages), Note: cv.Note, Where: wh})
			}
			c.Rows = append(c.Rows, r)
		}
		c.Width = max(covLabelW+len(parties)*covColW+4, 520)
		c.LineX = covLabelW
		c.Height = covHeadH + len(docs)*covRowH + 8
		if len(shown) < total {
			c.Cap = newDocCapNote(l.L.CovCapped, len(shown), total, tables, l)
		}
		charts = append(charts, c)
	}
	return charts
}
