package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/standpunten/standpunten/internal/heappeak"
	"iter"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

// generated is a publish.Tables whose rows are made from their index while they are read: no
// slice of all rows. Documents belong to the three elections in turn, so the pages' order
// (election, then document id) is not the order of the files (document id); the passages come
// grouped by document in id order, then seq, as a build writes them. Every third document has
// Big Tech scores for every party, and every document coverage rows for three parties.
type generated struct {
	passages, docs, parties int
	every                   int    // call probe after this many rows of any table (0: never)
	probe                   func() // e.g. sample the heap
}

var genElections = []model.Election{
	{ID: "TK2023", Name: "Tweede Kamerverkiezingen 2023", Date: model.Date{Year: 2023, Month: 11, Day: 22}},
	{ID: "TK2017", Name: "Tweede Kamerverkiezingen 2017", Date: model.Date{Year: 2017, Month: 3, Day: 15}},
	{ID: "TK2021", Name: "Tweede Kamerverkiezingen 2021", Date: model.Date{Year: 2021, Month: 3, Day: 17}},
}

var genKinds = []model.Kind{model.KindSummary, model.KindTheme, model.KindQuote, model.KindBullet, model.KindPoint, model.KindParagraph}

func (g generated) scored(doc int) bool { return doc%3 == 1 }

func (g generated) Len(table string) int {
	switch table {
	case "parties":
		return g.parties
	case "elections":
		return len(genElections)
	case "documents":
		return g.docs
	case "passages":
		return g.passages
	case "scores":
		return (g.docs + 1) / 3 * g.parties
	case "document_parties":
		return 3 * g.docs
	}
	return 0
}

func (g generated) Rows(table string) iter.Seq2[[]any, error] {
	return heappeak.Rows(g.Len(table), func(i int) []any { return g.row(table, i) }, g.every, g.probe)
}

func (g generated) partyID(i int) string { return fmt.Sprintf("p%02d", i%g.parties) }
func (g generated) docID(i int) string   { return fmt.Sprintf("doc-%04d", i) }

func (g generated) row(table string, i int) []any {
	switch table {
	case "parties":
		return model.Party{ID: g.partyID(i), Abbreviation: fmt.Sprintf("P%d", i), Name: fmt.Sprintf("Partij %d", i), Aliases: []string{fmt.Sprintf("P%d", i)}}.Values()
	case "elections":
		return genElections[i].Values()
	case "documents":
		f := model.FormatPartySummaries
		if g.scored(i) {
			f = model.FormatScoreOverview
		}
		return model.Document{ID: g.docID(i), Title: fmt.Sprintf("Document %d", i), Format: f, ElectionID: genElections[i%3].ID,
			Topic: "digitaal", Language: "nl", RawPath: fmt.Sprintf("raw/doc-%04d.txt", i), RawSHA256: strings.Repeat("ab", 32),
			RawBytes: int64(1000 + i), Encoding: "utf-8"}.Values()
	case "scores":
		doc := 3*(i/g.parties) + 1
		return model.Score{DocumentID: g.docID(doc), PartyID: g.partyID(i), Score: float64((i*7)%9) / 2, Question: "Hoe staat de partij tegenover Big Tech?"}.Values()
	case "document_parties":
		return model.DocumentParty{DocumentID: g.docID(i / 3), PartyID: g.partyID(i/3*5 + i%3), Passages: int64(i % 4)}.Values()
	case "passages":
		return g.passage(i).Values()
	}
	panic("no table " + table)
}

func (g generated) passage(i int) model.Passage {
	doc := i * g.docs / g.passages
	first := (doc*g.passages + g.docs - 1) / g.docs
	p := model.Passage{ID: fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15), DocumentID: g.docID(doc), Kind: genKinds[i%len(genKinds)],
		Seq: int64(i - first + 1), SourceStart: int64(i), SourceEnd: int64(i + 1), SourceLine: int64(i - first + 1),
		Text: fmt.Sprintf("Passage %d: de partij wil %s.", i, strings.Repeat("open standaarden & <veilige> netwerken ", 1+i%23))}
	if i%7 != 0 {
		party := g.partyID(i / 2)
		p.PartyID = &party
	}
	if i%5 == 0 {
		p.Section = fmt.Sprintf("Hoofdstuk %d", i%13)
	}
	if i%4 == 1 {
		n := int64(i%30 + 1)
		p.Number = &n
	}
	if i%6 == 0 {
		p.Flags = []string{model.FlagFragment}
	}
	return p
}

func genInput(t testing.TB, g publish.Tables) Input {
	set, err := schemas.Load()
	require.NoError(t, err)
	d, err := registry.LoadDataset(filepath.Join(repoRoot, "raw"))
	require.NoError(t, err)
	var files []File
	for _, table := range schemas.Order {
		for _, f := range []string{"parquet", "csv", "json"} {
			files = append(files, File{Path: f + "/" + table + "." + f, Format: f, Bytes: 1 << 30, SHA256: strings.Repeat("a", 64), Table: table})
		}
	}
	files = append(files, File{Path: "CODEBOOK.md", Format: "md", Bytes: 1000, SHA256: strings.Repeat("b", 64)})
	return Input{Dataset: d, Version: "9.9.9", Date: model.Date{Year: 2026, Month: 12, Day: 1}, Citation: "Cite me",
		Changes: &changes.Changes{Version: "9.9.9", Date: "2026-12-01", FirstRelease: true, Validation: &changes.Validation{Valid: true, ChecksRun: 1}},
		Schemas: set, Tables: g, Files: files}
}

// blockPassages are the passages of a page's data block, each as its JSON array.
func blockPassages(t *testing.T, page []byte) []json.RawMessage {
	t.Helper()
	const open = `<script type="application/json" id="passage-data">`
	i := bytes.Index(page, []byte(open))
	require.GreaterOrEqual(t, i, 0, "no data block")
	data := page[i+len(open):]
	data = data[:bytes.Index(data, []byte("</script>"))]
	require.False(t, bytes.ContainsAny(data, "<>"), "a '<' or '>' in the data block")
	var block struct {
		Passages []json.RawMessage `json:"passages"`
	}
	require.NoError(t, json.Unmarshal(data, &block))
	return block.Passages
}

func passageIDOf(t *testing.T, p json.RawMessage) string {
	var cells []any
	require.NoError(t, json.Unmarshal(p, &cells))
	return cells[0].(string)
}

// pageOrder is every passage id in the order the pages list passages, worked out here from the
// rows: documents by their election's date, then id; passages by seq, then id.
func pageOrder(t *testing.T, tables publish.MemTables, set schemas.Set) []string {
	es, ds, ps := set["elections"], set["documents"], set["passages"]
	electionDate := map[string]string{}
	for _, r := range tables["elections"] {
		electionDate[r[es.FieldIndex("election_id")].(string)] = r[es.FieldIndex("date")].(model.Date).String()
	}
	docKey := map[string]string{}
	for _, r := range tables["documents"] {
		id := r[ds.FieldIndex("document_id")].(string)
		docKey[id] = electionDate[r[ds.FieldIndex("election_id")].(string)] + " " + id
	}
	type p struct {
		doc, id string
		seq     int64
	}
	var all []p
	for _, r := range tables["passages"] {
		all = append(all, p{doc: docKey[r[ps.FieldIndex("document_id")].(string)], id: r[ps.FieldIndex("passage_id")].(string), seq: r[ps.FieldIndex("seq")].(int64)})
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.doc != b.doc {
			return a.doc < b.doc
		}
		if a.seq != b.seq {
			return a.seq < b.seq
		}
		return a.id < b.id
	})
	out := make([]string, len(all))
	for i, x := range all {
		out[i] = x.id
	}
	return out
}

// TestCapped renders generated tables of 3,000 passages in 60 documents (20 an election, 20 with
// scores) with limits of 1,500 passages and 600 kB in the browser, 400 passages and 120 kB of
// text in the Big Tech lists, 40 documents in the heat map, 12 an election in the coverage
// charts and 6 Big Tech charts (the same rules as pageLimits, scaled down so that the test stays
// quick under the race detector; TestCappedAtPageLimits runs the real ones).
func TestCapped(t *testing.T) {
	checkCapped(t, generated{passages: 3000, docs: 60, parties: 6},
		limits{browserPassages: 1500, browserBytes: 600_000, bulletPassages: 400, bulletBytes: 120_000,
			heatDocs: 40, coverageDocs: 12, scoreDocs: 6}, cuts{lists: true, docs: true})
}

// cuts is what a case of checkCapped must cut besides the browser's passages: the Big Tech lists,
// the charts' documents.
type cuts struct{ lists, docs bool }

// checkCapped renders generated tables with more passages and documents than the limits let the
// pages hold: the browser holds the first passages in the page's order up to the limits (and as
// many as fit), both pages say so with the numbers and link the passages' files, the Big Tech
// lists stay within theirs and a cut list says so, the charts show the first documents in page
// order up to theirs and say so (checkCappedDocs), every counted number still counts every row,
// a page's size is bounded by the limits, and the pages pass the checks of the small and the
// real pages (CSP, data block, script elements). Rows in another order give the same bytes.
func checkCapped(t *testing.T, g generated, lim limits, want cuts) {
	t.Helper()
	in := genInput(t, g)
	rendered, err := pages(in, lim)
	require.NoError(t, err)
	tables := rowsOf(t, in)
	order := pageOrder(t, tables, in.Schemas)
	docs := shownDocs(tables, in.Schemas, lim)
	docsCut := len(docs.heat) < len(docs.order) && len(docs.scores) < docs.scoredDocs() && len(docs.coverage) < len(docs.order)
	require.Equal(t, want.docs, docsCut, "the generated documents should be more than every chart shows: %v", want.docs)
	lists, listed, listBytes := 0, 0, 0 // of the charts shown: lists, and the passages and text bytes they would list
	{
		ss, ps := in.Schemas["scores"], in.Schemas["passages"]
		scored := map[string]bool{}
		for _, r := range tables["scores"] {
			doc := r[ss.FieldIndex("document_id")].(string)
			if docs.scores[doc] {
				lists++
				scored[doc+"/"+r[ss.FieldIndex("party_id")].(string)] = true
			}
		}
		for _, r := range tables["passages"] {
			if party, ok := r[ps.FieldIndex("party_id")].(*string); ok && party != nil && scored[r[ps.FieldIndex("document_id")].(string)+"/"+*party] {
				listed++
				listBytes += len(r[ps.FieldIndex("text")].(string))
			}
		}
	}
	listsCut := listed > lim.bulletPassages || listBytes > lim.bulletBytes
	require.Equal(t, want.lists, listsCut, "the lists' passages should be more than the lists hold: %v", want.lists)

	for name, page := range rendered {
		block := blockPassages(t, page)
		n, size := len(block), 0
		for _, p := range block {
			size += len(p) + 1
		}
		assert.LessOrEqual(t, n, lim.browserPassages, name)
		assert.LessOrEqual(t, size, lim.browserBytes, name)
		require.Less(t, n, len(order), "%s: the generated passages should be more than the browser holds", name)
		ids := make([]string, n)
		for i, p := range block {
			ids[i] = passageIDOf(t, p)
		}
		assert.Equal(t, order[:n], ids, "%s: the browser should hold the first passages in page order", name)
		if n < lim.browserPassages { // stopped by bytes: the next passage would not have fit
			next := rowsByID(t, tables, in.Schemas)[order[n]]
			assert.Greater(t, size+len(next)+1, lim.browserBytes, "%s: passage %d would have fit", name, n+1)
		}

		text := string(page)
		want := fmt.Sprintf("de eerste %s van de %s passages", langNL.Int(int64(n)), langNL.Int(int64(len(order))))
		if name == PageEN {
			want = fmt.Sprintf("the first %s of the %s passages", langEN.Int(int64(n)), langEN.Int(int64(len(order))))
		}
		assert.Contains(t, text, want, "%s: the page should say it shows the first %d passages", name, n)
		note := text[strings.Index(text, `id="browser-cap"`):]
		note = note[:strings.Index(note, "</p>")]
		for _, f := range []string{"parquet/passages.parquet", "csv/passages.csv", "json/passages.json"} {
			assert.Contains(t, note, `<a href="`+f+`">`, "%s: the note should link %s", name, f)
		}
		assert.NotContains(t, note, "CODEBOOK.md", name)

		// The Big Tech lists of the charts shown: within their limits, and each cut list says so.
		bullets := strings.Count(text, `<li data-passage-id=`)
		assert.LessOrEqual(t, bullets, lim.bulletPassages, name)
		assert.Positive(t, bullets, name)
		assert.Equal(t, lists, strings.Count(text, `class="bulletlist"`), "%s: a list per score of the charts shown", name)
		cut := strings.Count(text, `<p class="note list-cap">`)
		if listsCut {
			assert.Positive(t, cut, "%s: some list should be cut", name)
			listNote := fmt.Sprintf("Hier staan de eerste %s van de", "0")
			if name == PageEN {
				listNote = "Shown here: the first 0 of the"
			}
			assert.Contains(t, text, listNote, "%s: a list past the limits shows none of its passages and says so", name)
			assert.Less(t, cut, lists, "%s: not every list should be cut", name)
		} else {
			assert.Equal(t, listed, bullets, "%s: the lists should hold every passage of theirs", name)
			assert.Zero(t, cut, "%s: no list should be cut", name)
		}
		checkCappedDocs(t, name, text, docs, lim)
		assert.LessOrEqual(t, len(page), maxPage(lim, g), "%s: the page is larger than its limits allow", name)

		assert.Equal(t, 2, strings.Count(text, "<script"), name)
		assert.Nil(t, handlerAttr.Find(page), name)
		assert.NotContains(t, text, "<veilige>", "%s: a passage text became markup", name)
	}
	checkCounts(t, in, rendered, lim)
	checkCSP(t, rendered)

	// The same rows in another order: the same pages.
	shuffled := in
	rows := publish.MemTables{}
	rng := rand.New(rand.NewPCG(3, 4))
	for name, r := range tables {
		r = slices.Clone(r)
		rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		rows[name] = r
	}
	shuffled.Tables = rows
	again, err := pages(shuffled, lim)
	require.NoError(t, err)
	for name := range rendered {
		assert.True(t, bytes.Equal(rendered[name], again[name]), "%s: rows in another order give other bytes", name)
	}
}

var (
	heatSVG    = regexp.MustCompile(`(?s)aria-labelledby="heat-title heat-desc".*?</svg>`)
	heatTable  = regexp.MustCompile(`(?s)<summary>[^<]*</summary>\n<div class="scroll" tabindex="0" role="region" aria-label="[^"]*">\n<table class="numbers">.*?</details>`)
	rowLabel   = regexp.MustCompile(`<text class="rowlabel" x="8" y="\d+">([^<]+)</text>`)
	rowHeader  = regexp.MustCompile(`<th scope="row"><code>([^<]+)</code></th>`)
	scoreChart = regexp.MustCompile(`<h3 id="scores-\d+-h">[^<]*</h3>\n<p><span lang="nl">[^<]*</span> \(<code>([^<]+)</code>\)`)
	covHeading = regexp.MustCompile(`<h4 id="coverage-\d+-h">`)
	uncovLine  = regexp.MustCompile(`<p><code>([^<]+)</code> \(<span lang="nl">`)
	capNoteOf  = regexp.MustCompile(`<p class="note chart-cap" id="([^"]+)">(.*?)</p>`)
)

// checkCappedDocs: the heat map (chart and table), the coverage charts and the Big Tech charts
// of a page show the first documents in page order up to the limits, and each cut one says so
// with both numbers and links the files of the tables that hold everything.
func checkCappedDocs(t *testing.T, name, text string, docs shown, lim limits) {
	t.Helper()
	l := langNL
	heatWant, covWant, scoreWant := "De heatmap en de tabel met dezelfde getallen tonen de eerste %s van de %s documenten",
		"Deze grafiek en de tabel met dezelfde getallen tonen de eerste %s van de %s documenten van deze verkiezing",
		"Hierboven staan de Big Tech-scores van de eerste %s van de %s documenten met scores"
	if name == PageEN {
		l = langEN
		heatWant, covWant, scoreWant = "The heat map and its table show the first %s of the %s documents",
			"This chart and its table show the first %s of the %s documents of this election",
			"Above are the Big Tech scores of the first %s of the %s documents with scores"
	}
	notes := map[string]string{}
	for _, m := range capNoteOf.FindAllStringSubmatch(text, -1) {
		notes[m[1]] = m[2]
	}
	checkNote := func(id, format string, shown, total int, tables ...string) {
		t.Helper()
		note, ok := notes[id]
		if !assert.True(t, ok, "%s: no note %s", name, id) {
			return
		}
		assert.Contains(t, note, fmt.Sprintf(format, l.Int(int64(shown)), l.Int(int64(total))), "%s: %s", name, id)
		for _, table := range tables {
			for _, f := range []string{"parquet", "csv", "json"} {
				assert.Contains(t, note, `<a href="`+f+"/"+table+"."+f+`">`+f+`</a>`, "%s: %s should link %s", name, id, table)
			}
		}
		delete(notes, id)
	}
	rank := map[string]int{}
	for i, id := range docs.order {
		rank[id] = i
	}

	// The heat map: a row per document shown, in page order; its table only of those.
	svg := heatSVG.FindString(text)
	var rows []string
	for _, m := range rowLabel.FindAllStringSubmatch(svg, -1) {
		rows = append(rows, m[1])
	}
	assert.Equal(t, docs.order[:len(docs.heat)], rows, "%s: the heat map should show the first documents in page order", name)
	table := heatTable.FindString(text[strings.Index(text, svg):])
	require.NotEmpty(t, table, name)
	last := -1
	for _, m := range rowHeader.FindAllStringSubmatch(table, -1) {
		assert.True(t, docs.heat[m[1]], "%s: the heat map's table shows %s, which its chart does not", name, m[1])
		assert.GreaterOrEqual(t, rank[m[1]], last, "%s: the heat map's table is not in page order at %s", name, m[1])
		last = rank[m[1]]
	}
	if len(docs.heat) < len(docs.order) {
		checkNote("heat-cap", heatWant, len(docs.heat), len(docs.order), "documents", "passages", "document_parties")
	}

	// The Big Tech charts: the first documents with scores.
	var charts []string
	for _, m := range scoreChart.FindAllStringSubmatch(text, -1) {
		charts = append(charts, m[1])
	}
	var want []string
	for _, id := range docs.order {
		if docs.scores[id] {
			want = append(want, id)
		}
	}
	assert.Equal(t, want, charts, "%s: the Big Tech charts should be of the first documents with scores", name)
	if scored := docs.scoredDocs(); len(charts) < scored {
		checkNote("scores-cap", scoreWant, len(charts), scored, "documents", "scores", "passages")
	}

	// The coverage charts: each election's first documents, covered (a row) or not (a line).
	covStart := covHeading.FindAllStringIndex(text, -1)
	require.NotEmpty(t, covStart, name)
	end := strings.Index(text, `<section id="passages"`)
	perElection := map[string]int{}
	for _, id := range docs.order {
		perElection[docs.election[id]]++
	}
	for i, at := range covStart {
		to := end
		if i+1 < len(covStart) {
			to = covStart[i+1][0]
		}
		chart := text[at[0]:to]
		var got []string
		for _, m := range rowLabel.FindAllStringSubmatch(chart, -1) {
			got = append(got, m[1])
		}
		for _, m := range uncovLine.FindAllStringSubmatch(chart, -1) {
			got = append(got, m[1])
		}
		require.NotEmpty(t, got, "%s: coverage chart %d shows no document", name, i+1)
		sort.Slice(got, func(i, j int) bool { return rank[got[i]] < rank[got[j]] })
		e := docs.election[got[0]]
		var want []string
		for _, id := range docs.order {
			if docs.election[id] == e && docs.coverage[id] {
				want = append(want, id)
			}
		}
		assert.Equal(t, want, got, "%s: coverage chart %d should show the first documents of %s", name, i+1, e)
		if len(want) < perElection[e] {
			checkNote(fmt.Sprintf("coverage-%d-cap", i+1), covWant, len(want), perElection[e], "documents", "document_parties")
		}
	}
	assert.Empty(t, notes, "%s: notes of charts that are not cut", name)
}

// TestPageSize: with ten and fifty times more documents than the charts show, a page stays within
// maxPage, which does not grow with documents beyond the limits (before the charts had limits, the
// page of 3,000 documents was 12 MB, of 600 documents 3.8 MB).
func TestPageSize(t *testing.T) {
	lim := limits{browserPassages: 1500, browserBytes: 600_000, bulletPassages: 400, bulletBytes: 120_000,
		heatDocs: 60, coverageDocs: 20, scoreDocs: 10}
	for _, g := range []generated{{passages: 3000, docs: 600, parties: 6}, {passages: 3000, docs: 3000, parties: 6}} {
		rendered, err := pages(genInput(t, g), lim)
		require.NoError(t, err)
		for name, page := range rendered {
			assert.LessOrEqual(t, len(page), maxPage(lim, g), "%s of %d documents: the page is larger than its limits allow", name, g.docs)
		}
	}
}

// maxPage is how large a page of g may be at the limits: a fixed part (styles, script, summary,
// downloads, tables and columns: under 100 kB), the browser's data block (its passages' JSON, and
// 150 bytes for each document it lists, at most one per passage), the lists' passages (the text
// escaped, at most 1.5 times as long, and 250 bytes of markup each), and for each document a chart
// shows, 100 bytes and a bound per party: 450 bytes for a heat map cell with its table row, 500
// for a coverage mark with its table row, 1,500 for a Big Tech bar with its table row, list and
// cap note; and 1 kB for each note of a cut chart.
func maxPage(lim limits, g generated) int {
	elections := len(genElections)
	return 100_000 + lim.browserBytes + 150*min(g.docs, lim.browserPassages) + 3*lim.bulletBytes/2 + 250*lim.bulletPassages +
		(100+450*(g.parties+1))*min(g.docs, lim.heatDocs) + (100+500*g.parties)*min(g.docs, elections*lim.coverageDocs) +
		(100+1_500*g.parties)*min(g.docs, lim.scoreDocs) + 1_000*(elections+2)
}

// rowsByID are the passages' data block entries as an uncapped page would hold them, by id:
// their sizes decide where the byte limit falls.
func rowsByID(t *testing.T, tables publish.MemTables, set schemas.Set) map[string][]byte {
	d, err := readData(set, tables, limits{browserPassages: 1 << 30, browserBytes: 1 << 40})
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, b := range d.browser {
		out[passageIDOf(t, b)] = b
	}
	return out
}

// TestCappedRelease: with low limits, the pages of release v1.1.0 embed a prefix of what they
// embed without limits, in the same order, and the Big Tech lists the first of their passages.
func TestCappedRelease(t *testing.T) {
	in := releaseInput(t, release, filepath.Join(repoRoot, "raw"))
	full, err := Pages(in)
	require.NoError(t, err)
	for _, lim := range []limits{
		{browserPassages: 100, browserBytes: 1 << 30, bulletPassages: 7, bulletBytes: 1 << 30, heatDocs: 1 << 30, coverageDocs: 1 << 30, scoreDocs: 1 << 30},
		{browserPassages: 1 << 30, browserBytes: 20_000, bulletPassages: 1 << 30, bulletBytes: 900, heatDocs: 1 << 30, coverageDocs: 1 << 30, scoreDocs: 1 << 30},
	} {
		capped, err := pages(in, lim)
		require.NoError(t, err)
		for name := range full {
			all, some := blockPassages(t, full[name]), blockPassages(t, capped[name])
			require.NotEmpty(t, some, name)
			require.Less(t, len(some), len(all), name)
			assert.Equal(t, all[:len(some)], some, "%s %+v: the capped browser is not a prefix of the full one", name, lim)
			assert.NotContains(t, string(full[name]), `id="browser-cap"`, name)
			assert.Contains(t, string(capped[name]), `id="browser-cap"`, name)

			fullIDs, someIDs := bulletIDs(full[name]), bulletIDs(capped[name])
			assert.Less(t, len(someIDs), len(fullIDs), name)
			assert.Equal(t, fullIDs[:len(someIDs)], someIDs, "%s %+v: the capped lists are not a prefix of the full ones", name, lim)
		}
		checkCounts(t, in, capped, lim)
	}
}

var bulletItem = regexp.MustCompile(`<li data-passage-id="([^"]+)"><p class="text"`)

// bulletIDs are the passage ids of the Big Tech lists, in page order.
func bulletIDs(page []byte) []string {
	var out []string
	for _, m := range bulletItem.FindAllSubmatch(page, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// failing yields the rows of one table up to after, then an error.
type failing struct {
	publish.MemTables
	table string
	after int
}

func (f failing) Rows(table string) iter.Seq2[[]any, error] {
	if table != f.table {
		return f.MemTables.Rows(table)
	}
	return func(yield func([]any, error) bool) {
		for i, r := range f.MemTables[table] {
			if i == f.after {
				yield(nil, errors.New("disk on fire"))
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// TestReadError: an error reading a table names the table and how far it got.
func TestReadError(t *testing.T) {
	in := smallInput(t)
	in.Tables = failing{mem(in), "passages", 2}
	_, err := Pages(in)
	require.ErrorContains(t, err, "site: table passages, after row 2: disk on fire")
	in.Tables = nil
	_, err = Pages(in)
	require.ErrorContains(t, err, "Input.Tables is nil")
}

// TestPrefix: the prefix keeps what sorting everything offered and cutting at the limits keeps.
func TestPrefix(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		maxItems, maxBytes := 1+rng.IntN(40), 1+rng.IntN(400)
		p := &prefix[int]{maxItems: maxItems, maxBytes: maxBytes}
		type item struct {
			r    rank
			size int
		}
		var all []item
		for i := range rng.IntN(120) {
			it := item{r: rank{major: rng.IntN(5), seq: int64(rng.IntN(10)), id: fmt.Sprint(i)}, size: rng.IntN(30)}
			all = append(all, it)
			p.offer(it.r, it.size, i)
		}
		sort.Slice(all, func(i, j int) bool { return all[i].r.less(all[j].r) })
		var want []rank
		bytes := 0
		for _, it := range all {
			if len(want) == maxItems || bytes+it.size > maxBytes {
				break
			}
			want = append(want, it.r)
			bytes += it.size
		}
		var got []rank
		for _, it := range p.run() {
			got = append(got, it.r)
		}
		require.Equal(t, want, got, "trial %d", trial)
		assert.Equal(t, len(want) < len(all), p.cut, "trial %d: cut", trial)
	}
}

// BenchmarkMemory reports the pages' peak heap (see heappeak.Peak, and once more with the pages
// rendered; the heap before the run is subtracted) and the size of a page: over 100,000 and
// 500,000 generated passages in 700 documents, and over 500,000 passages in 6,600 documents (2,200
// of them with scores), about as many as a 1 GB corpus has. The browser and the lists hold at most
// pageLimits of passages and the charts at most pageLimits of documents, so the peak grows with
// neither the passages nor the documents shown, only with the small per-document aggregates that
// readData keeps (see doc.go).
//
//	go test -run '^$' -bench Memory -benchtime 1x ./pipeline/site
func BenchmarkMemory(b *testing.B) {
	for _, c := range []struct{ passages, docs int }{{100_000, 700}, {500_000, 700}, {500_000, 6_600}} {
		b.Run(fmt.Sprintf("passages=%d/docs=%d", c.passages, c.docs), func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				h := &heappeak.Peak{}
				g := generated{passages: c.passages, docs: c.docs, parties: 21, every: 4096, probe: h.Sample}
				pages, err := Pages(genInput(b, g))
				if err != nil {
					b.Fatal(err)
				}
				h.SampleLive() // with the pages
				h.Report(b, base.HeapAlloc)
				b.ReportMetric(float64(len(pages[PageNL]))/1e6, "page-MB")
			}
		})
	}
}
