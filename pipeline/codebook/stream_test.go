package codebook

import (
	"errors"
	"fmt"
	"github.com/standpunten/standpunten/internal/heappeak"
	"iter"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// generated is a publish.Tables whose rows are made from their index while they are read, so
// that a test can feed many rows without a slice of them. The passages are grouped by document,
// as a build writes them; their columns are chosen to take every path of the statistics: value
// counts at exactly maxCounted distinct values (number), examples at one more (section), an enum
// with a value no row has (kind), nulls and empty strings, lists with repeated elements and empty
// lists, texts longer than maxRunes, and columns with a distinct value in nearly every row.
type generated struct {
	passages, docs, parties int
	every                   int    // call probe after this many rows of any table (0: never)
	probe                   func() // e.g. sample the heap
}

var genKinds = []model.Kind{model.KindSummary, model.KindTheme, model.KindQuote, model.KindBullet, model.KindIntro, model.KindPoint, model.KindPledge}

func (g generated) Len(table string) int {
	switch table {
	case "parties":
		return g.parties
	case "elections":
		return 3
	case "documents":
		return g.docs
	case "passages":
		return g.passages
	case "scores":
		return 2 * g.docs
	case "document_parties":
		return 3 * g.docs
	}
	return 0
}

func (g generated) Rows(table string) iter.Seq2[[]any, error] {
	return heappeak.Rows(g.Len(table), func(i int) []any { return g.row(table, i) }, g.every, g.probe)
}

func (g generated) partyID(i int) string { return fmt.Sprintf("p%02d", i%g.parties) }
func (g generated) docID(i int) string   { return fmt.Sprintf("doc-%04d", i%g.docs) }

// passageID is unique per passage: a bijection of the index on 64 bits.
func passageID(i int) string { return fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15) }

func (g generated) row(table string, i int) []any {
	switch table {
	case "parties":
		return model.Party{ID: g.partyID(i), Abbreviation: fmt.Sprintf("P%d", i), Name: fmt.Sprintf("Partij %d", i), Aliases: []string{fmt.Sprintf("P%d", i)}}.Values()
	case "elections":
		return model.Election{ID: fmt.Sprintf("TK20%d", 17+2*i), Name: fmt.Sprintf("Verkiezing %d", i), Date: model.Date{Year: 2017 + 2*i, Month: 3, Day: 15}}.Values()
	case "documents":
		d := model.Document{ID: g.docID(i), Title: fmt.Sprintf("Document %d", i), Format: model.FormatPartySummaries,
			ElectionID: fmt.Sprintf("TK20%d", 17+2*(i%3)), Topic: "digitaal", Language: "nl", RawPath: fmt.Sprintf("raw/doc-%04d.txt", i),
			RawSHA256: strings.Repeat("ab", 32), RawBytes: int64(1000 + i), Encoding: "utf-8"}
		if i%2 == 0 {
			d.Published = &model.Date{Year: 2020, Month: 1 + i%12, Day: 1 + i%28}
		}
		return d.Values()
	case "scores":
		return model.Score{DocumentID: g.docID(i / 2), PartyID: g.partyID(i), Score: float64(i%7) / 2, Question: "Vraag"}.Values()
	case "document_parties":
		return model.DocumentParty{DocumentID: g.docID(i / 3), PartyID: g.partyID(i), Passages: int64(i % 4)}.Values()
	case "passages":
		return g.passage(i).Values()
	}
	panic("no table " + table)
}

func (g generated) passage(i int) model.Passage {
	doc := i * g.docs / g.passages
	first := (doc*g.passages + g.docs - 1) / g.docs // the first passage of the document
	k := i % (g.passages/2 + 1)                     // passages k and k+passages/2+1 have the same text
	p := model.Passage{ID: passageID(i), DocumentID: g.docID(doc), Kind: genKinds[i%len(genKinds)], Seq: int64(i - first + 1),
		Text:        fmt.Sprintf("tekst %d over digitale zaken", k),
		SourceStart: int64(i * 37 % 100003), SourceLine: int64(i%5000 + 1)}
	if k%1000 == 3 {
		p.Text += " " + strings.Repeat("lang ", 40)
	}
	p.SourceEnd = p.SourceStart + 5
	if i%7 != 0 {
		party := g.partyID(i / 3)
		p.PartyID = &party
	}
	if i%5 != 0 && i%11 != 0 { // else null (see withEmpty)
		p.Section = fmt.Sprintf("Kop %d", i%21)
	}
	if i%4 != 0 {
		n := int64((i/4)%maxCounted + 1)
		p.Number = &n
	}
	if i%9 == 0 && i > 0 {
		parent := passageID(i - 1)
		p.ParentID = &parent
	}
	p.Flags = [][]string{{}, {"fragment"}, {"fragment", "fragment"}, {"elided", "fragment"}}[i%4]
	if i%3 != 0 {
		p.SectionPath = []string{fmt.Sprintf("H%d", i%30)}
	}
	return p
}

// withEmpty wraps generated so that every eleventh passage's section is an empty string (the
// canonical cells of a file never hold one; the codebook counts them as empty).
type withEmpty struct{ generated }

func (w withEmpty) Rows(table string) iter.Seq2[[]any, error] {
	sec := schemasFor().passages.FieldIndex("section")
	return func(yield func([]any, error) bool) {
		i := 0
		for r, err := range w.generated.Rows(table) {
			if table == "passages" && i%11 == 0 && i%5 != 0 {
				r[sec] = new(string)
			}
			i++
			if !yield(r, err) {
				return
			}
		}
	}
}

type schemaRefs struct {
	set      schemas.Set
	passages *schemas.Table
}

func schemasFor() schemaRefs {
	set, err := schemas.Load()
	if err != nil {
		panic(err)
	}
	return schemaRefs{set: set, passages: set["passages"]}
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

func collectTables(t testing.TB, src publish.Tables) publish.MemTables {
	m := publish.MemTables{}
	for _, name := range schemas.Order {
		rows := [][]any{}
		for r, err := range src.Rows(name) {
			require.NoError(t, err)
			rows = append(rows, r)
		}
		m[name] = rows
	}
	return m
}

// naiveColumn is the in-memory way to the statistics of a column: every value decoded, every
// distinct value kept, all of them sorted.
func naiveColumn(t *testing.T, f schemas.Field, rows [][]any, ci int) *columnStats {
	arrow, err := ArrowType(f.Type)
	require.NoError(t, err)
	cs := &columnStats{field: f, arrow: arrow, rows: len(rows)}
	values := map[string]cell{}
	freq := map[string]int{}
	occ := 0
	for _, r := range rows {
		c, err := decode(f, r[ci])
		require.NoError(t, err)
		switch {
		case c.null:
			cs.nulls++
			continue
		case f.Type == schemas.TypeArray && len(c.elems) == 0, f.Type == schemas.TypeString && c.text == "":
			cs.empty++
			continue
		}
		values[c.text] = c
		if f.Type != schemas.TypeArray {
			freq[c.text]++
			occ++
			continue
		}
		seen := map[string]bool{}
		for _, e := range c.elems {
			if !seen[e] {
				seen[e] = true
				freq[e]++
				occ++
			}
		}
	}
	cs.distinct = len(freq)
	var sorted []cell
	for _, c := range values {
		sorted = append(sorted, c)
	}
	sort.Slice(sorted, func(i, j int) bool { return less(f.Type, sorted[i], sorted[j]) })
	if ranged(f.Type) && len(sorted) > 0 {
		cs.min, cs.max = sorted[0].text, sorted[len(sorted)-1].text
	}
	if len(f.Constraints.Enum) == 0 && (cs.distinct > maxCounted || cs.distinct == occ) {
		for i := 0; i < len(sorted) && i < examples; i++ {
			cs.examples = append(cs.examples, sorted[i].text)
		}
		return cs
	}
	for _, v := range f.Constraints.Enum {
		if _, ok := freq[v]; !ok {
			freq[v] = 0
		}
	}
	cs.counts = []count{}
	for v, n := range freq {
		cs.counts = append(cs.counts, count{v, n})
	}
	sort.Slice(cs.counts, func(i, j int) bool {
		a, b := cs.counts[i], cs.counts[j]
		if a.n != b.n {
			return a.n > b.n
		}
		va, okA := values[a.value]
		vb, okB := values[b.value]
		if okA && okB && f.Type != schemas.TypeArray {
			return less(f.Type, va, vb)
		}
		return a.value < b.value
	})
	return cs
}

// TestStreamedMatchesInMemory: over a generated set small enough to hold, the one-pass statistics
// equal those of the in-memory way for every column of every table, the cross-tabulations equal
// counts made here, and the codebook of the generated rows equals that of the same rows in memory.
func TestStreamedMatchesInMemory(t *testing.T) {
	src := withEmpty{generated{passages: 6000, docs: 40, parties: 25}}
	set := schemasFor().set
	rows := collectTables(t, src)
	xa, err := newCrossAcc(set)
	require.NoError(t, err)
	modes := map[string]bool{}
	for _, name := range schemas.Order {
		ts, err := describe(set[name], src.Rows(name), xa)
		require.NoError(t, err)
		require.Equal(t, len(rows[name]), ts.rows, name)
		for ci, f := range set[name].Fields {
			want := naiveColumn(t, f, rows[name], ci)
			assert.Equal(t, want, ts.columns[ci], "%s.%s", name, f.Name)
			modes[fmt.Sprintf("counts=%v examples=%v", want.counts != nil, want.examples != nil)] = true
		}
	}
	assert.True(t, modes["counts=true examples=false"] && modes["counts=false examples=true"], "the columns should take both ways, value counts and examples: %v", modes)

	// The generated columns are where the test means them to be.
	ps := set["passages"]
	other, err := newCrossAcc(set)
	require.NoError(t, err)
	tsP, err := describe(ps, src.Rows("passages"), other)
	require.NoError(t, err)
	number, section, kind := tsP.columns[ps.FieldIndex("number")], tsP.columns[ps.FieldIndex("section")], tsP.columns[ps.FieldIndex("kind")]
	assert.Equal(t, maxCounted, number.distinct)
	assert.NotNil(t, number.counts, "number: %d distinct values get counts", maxCounted)
	assert.Equal(t, maxCounted+1, section.distinct)
	assert.Nil(t, section.counts, "section: %d distinct values get examples", maxCounted+1)
	assert.Positive(t, section.empty)
	assert.Equal(t, count{"paragraph", 0}, kind.counts[len(kind.counts)-1], "an enum value no row has")

	// Cross-tabulations, counted here from the rows.
	kinds, parties := map[[2]string]int{}, map[[2]string]int{}
	for _, r := range rows["passages"] {
		d, k := r[ps.FieldIndex("document_id")].(string), r[ps.FieldIndex("kind")].(string)
		p := noParty
		if x := r[ps.FieldIndex("party_id")].(*string); x != nil {
			p = *x
		}
		kinds[[2]string{k, d}]++
		parties[[2]string{p, d}]++
	}
	xt := xa.tabs()
	require.Len(t, xt, 2)
	for n, want := range []map[[2]string]int{kinds, parties} {
		got := map[[2]string]int{}
		for i, r := range xt[n].rowLabels {
			for j, d := range xt[n].colLabels {
				if c := xt[n].cells[i][j]; c > 0 {
					got[[2]string{r, d}] = c
				}
			}
		}
		assert.Equal(t, want, got, xt[n].title)
	}
	assert.Len(t, xt[0].colLabels, 40)
	assert.Equal(t, "paragraph", xt[0].rowLabels[len(xt[0].rowLabels)-1], "kinds in enum order")
	assert.Equal(t, []string{"p23", "p24", noParty}, xt[1].rowLabels[23:])

	in := Input{Title: "Test", Version: "0.1.0", Schemas: set}
	in.Rows = src
	streamed, err := Generate(in)
	require.NoError(t, err)
	in.Rows = rows
	held, err := Generate(in)
	require.NoError(t, err)
	assert.Equal(t, string(held), string(streamed))
}

// TestManyRowsStreamed feeds 200,000 passages made while they are read; the figures that follow
// from how they are made come out.
func TestManyRowsStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const n = 200_000
	in := Input{Title: "Test", Version: "0.1.0", Schemas: schemasFor().set, Rows: generated{passages: n, docs: 700, parties: 21}}
	b, err := Generate(in)
	require.NoError(t, err)
	md := string(b)
	assert.Contains(t, md, "- [passages](#passages): 200000 rows\n")
	// Past exactDistinct values a distinct count is estimated, to within a few percent.
	about := func(col string, want int) {
		t.Helper()
		m := regexp.MustCompile(`distinct values: about (\d+) \(estimated\)\n`).FindStringSubmatch(section(md, "### passages."+col+"\n"))
		require.NotNil(t, m, col)
		got, err := strconv.Atoi(m[1])
		require.NoError(t, err)
		assert.InEpsilon(t, want, got, 0.03, "%s: estimated %d distinct values, there are %d", col, got, want)
	}
	about("passage_id", n)
	assert.Contains(t, section(md, "### passages.passage_id\n"), "- Nulls: 0 of 200000; empty: 0; distinct values: about")
	assert.Contains(t, md, "A column with more than 131072 distinct values gets an estimate")
	assert.Contains(t, section(md, "### passages.text\n"), fmt.Sprintf("distinct values: %d\n", n/2+1), "below the limit: exact")
	assert.Contains(t, section(md, "### passages.source_start\n"), "distinct values: 100003\n")
	assert.Contains(t, section(md, "### passages.flags\n"), "| `fragment` | 150000 | 75.0% |\n| `elided` | 50000 | 25.0% |\n| *(empty list)* | 50000 | 25.0% |\n")
	assert.Contains(t, section(md, "### passages.number\n"), "| *(null)* | 50000 | 25.0% |\n")
	assert.Contains(t, section(md, "### Passages per kind per document\n"), " 200000 |\n")
}

// BenchmarkMemory reports the codebook's peak heap over 100,000 and 500,000 generated passages
// (see heappeak.Peak; the heap before the run is subtracted) and what the live heap grows by per
// passage: the distinct sets of the columns with a new value in many rows (passage_id, text,
// parent_id, source_start, source_end, source_line).
//
//	go test -run '^$' -bench Memory -benchtime 1x ./pipeline/codebook
func BenchmarkMemory(b *testing.B) {
	set := schemasFor().set
	live := map[int]float64{}
	for _, n := range []int{100_000, 500_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				h := &heappeak.Peak{}
				g := generated{passages: n, docs: n / 330, parties: 21, every: 4096, probe: h.Sample}
				if _, err := Generate(Input{Title: "T", Version: "1", Schemas: set, Rows: g}); err != nil {
					b.Fatal(err)
				}
				h.SampleLive() // the live heap at the end: every distinct set at its largest
				_, live[n] = h.Report(b, base.HeapAlloc)
			}
		})
	}
	if len(live) == 2 {
		fmt.Printf("codebook: live heap %.1f MB at 100k passages, %.1f MB at 500k: %.0f bytes per passage\n", live[100_000], live[500_000],
			(live[500_000]-live[100_000])*1e6/400_000)
	}
}
