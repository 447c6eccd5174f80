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
	for _, f := range []string{"parquet", "csv", "json"} {
		files = append(files, File{Path: f + "/passages." + f, Format: f, Bytes: 1 << 30, SHA256: strings.Repeat("a", 64), Table: "passages"})
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

// TestCapped renders generated tables of 3,000 passages with limits of 1,500 passages and 600 kB
// in the browser, and 400 passages and 120 kB of text in the Big Tech lists (the same rules as
// pageLimits, scaled down so that the test stays quick under the race detector;
// TestCappedAtPageLimits runs the real ones).
func TestCapped(t *testing.T) {
	checkCapped(t, generated{passages: 3000, docs: 30, parties: 6},
		limits{browserPassages: 1500, browserBytes: 600_000, bulletPassages: 400, bulletBytes: 120_000})
}

// checkCapped renders generated tables with more passages than the limits let the pages hold:
// the browser holds the first passages in the page's order up to the limits (and as many as
// fit), both pages say so with the numbers and link the passages' files, the Big Tech lists stay
// within theirs and a cut list says so, every counted number still counts every row, and the
// pages pass the checks of the small and the real pages (CSP, data block, script elements).
// Rows in another order give the same bytes.
func checkCapped(t *testing.T, g generated, lim limits) {
	t.Helper()
	in := genInput(t, g)
	rendered, err := pages(in, lim)
	require.NoError(t, err)
	tables := rowsOf(t, in)
	order := pageOrder(t, tables, in.Schemas)

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

		// The Big Tech lists: within their limits, and each cut list says so.
		bullets := strings.Count(text, `<li data-passage-id=`)
		assert.LessOrEqual(t, bullets, lim.bulletPassages, name)
		assert.Positive(t, bullets, name)
		lists := strings.Count(text, `class="bulletlist"`)
		assert.Equal(t, in.Tables.Len("scores"), lists, name)
		cut := strings.Count(text, `<p class="note list-cap">`)
		assert.Positive(t, cut, "%s: some list should be cut", name)
		listNote := fmt.Sprintf("Hier staan de eerste %s van de", "0")
		if name == PageEN {
			listNote = "Shown here: the first 0 of the"
		}
		assert.Contains(t, text, listNote, "%s: a list past the limits shows none of its passages and says so", name)
		assert.Less(t, cut, lists, "%s: not every list should be cut", name)

		assert.Equal(t, 2, strings.Count(text, "<script"), name)
		assert.Nil(t, handlerAttr.Find(page), name)
		assert.NotContains(t, text, "<veilige>", "%s: a passage text became markup", name)
	}
	checkCounts(t, in, rendered)
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
		{browserPassages: 100, browserBytes: 1 << 30, bulletPassages: 7, bulletBytes: 1 << 30},
		{browserPassages: 1 << 30, browserBytes: 20_000, bulletPassages: 1 << 30, bulletBytes: 900},
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
		checkCounts(t, in, capped)
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

// BenchmarkMemory reports the pages' peak heap over 100,000 and 500,000 generated passages
// (see heappeak.Peak, and once more with the pages rendered; the heap before the run is subtracted) and
// the size of a page. The browser and the lists hold at most pageLimits of passages, so the peak
// grows only with the aggregates (documents × parties), not with the passages.
//
//	go test -run '^$' -bench Memory -benchtime 1x ./pipeline/site
func BenchmarkMemory(b *testing.B) {
	for _, n := range []int{100_000, 500_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				h := &heappeak.Peak{}
				g := generated{passages: n, docs: 700, parties: 21, every: 4096, probe: h.Sample}
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
