package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// The rows the pages are made of, read from the canonical cells of Input.Tables by column name
// (so a release made with an older schema version reads too). A passage is read into a passage,
// counted and, if the pages embed it, kept as its JSON or a bullet; the passages as a whole are
// never held.
type party struct{ ID, Abbr, Name string }

type election struct{ ID, Name, Date string }

type document struct {
	ID, Title, Election, RawPath, Language, Format, Note string
}

type passage struct {
	ID, Doc  string
	Party    string // "" when the passage has no party
	Kind     string
	Section  string // "" when null
	Number   *int64
	Seq      int64
	Text     string
	Line     int64
	Flags    []string
	HasParty bool
}

type score struct {
	Doc, Party, Question string
	Score                float64
}

type coverage struct {
	Doc, Party, Note string
	Passages         int64
}

// data is what the pages are made of: the small tables whole, sorted for display (elections by
// date, documents by election then id, parties by id, scores and coverage by document then
// party), counts over every passage, and of the passages only those the pages embed: the first
// in the page's order (documents in display order, then seq, then passage id) up to the limits.
type data struct {
	parties   []party
	elections []election
	documents []document
	scores    []score
	coverage  []coverage
	rows      map[string]int // rows per table, as given

	partyIdx map[string]int
	docIdx   map[string]int
	elecIdx  map[string]int

	// Over every passage.
	perCell map[[2]string]int64 // passages per (document, party id or noPartyKey)
	kinds   map[string]int64    // passages per kind

	// The Big Tech charts, planned before the passages are read: one chart per document with
	// scores, as many as the limits allow, and one list of bullets per score of those.
	scoreDocs    []scoreDoc
	scoredDocs   int                 // documents with scores, shown or not
	listOf       map[[2]string][]int // (document, party) → the lists that show its passages
	nLists       int                 // lists of the charts shown
	heatDocs     int                 // documents the heat map shows: the first in page order
	coverageDocs int                 // documents each election's coverage chart shows at most

	// What the pages embed.
	browser    [][]byte // the browser's passages in page order, each encoded as its JSON array
	browserCut bool     // the browser holds fewer passages than the table
	// browserDocs is how many documents (the first in page order) the browser lists: all of them,
	// or when it is cut, those up to the last one it holds a passage of.
	browserDocs int
	bullets     [][]bullet // per list, its passages in page order, as far as the limits allow
}

// scoreDoc is one Big Tech chart: a document's scores, in bar order (score, then party).
type scoreDoc struct {
	doc    string
	scores []score
	first  int // the list index of its first bar
}

// bullet is a passage as a Big Tech list shows it.
type bullet struct {
	ID, Doc, Kind, Section, Text string
	Line                         int64
}

// limits bound what the pages embed of the passages and how many documents their charts show.
type limits struct {
	browserPassages int // passages in the browser's data block
	browserBytes    int // bytes of their JSON (each passage's array and a comma)
	bulletPassages  int // passages in all Big Tech lists together
	bulletBytes     int // bytes of their texts

	heatDocs     int // documents (rows) of the heat map and its table
	coverageDocs int // documents of each election's coverage chart, its table and its list of uncovered documents
	scoreDocs    int // documents with scores that get a Big Tech chart (with its table and lists)
}

// pageLimits are the pages' limits: well above the 1,195 passages, 27 documents (at most 10 of
// one election) and one score document of raw/ today (v1.2.0's pages show everything), low
// enough that a page opens in a browser and rendering takes tens of MB whatever the number of
// passages and documents. A heat map row is a few kB with its table (a cell and a table row per
// party with passages), so 300 rows (6,000 pixels of chart) are about 1 MB; a coverage row is
// about 1 kB, and with 200 documents an election (four elections today) the coverage charts are
// about 1 MB too; a Big Tech chart with its table and lists is about 20 kB at 21 parties before
// its passages, so 50 charts are about 1 MB, and the lists' passages have limits of their own.
var pageLimits = limits{browserPassages: 20_000, browserBytes: 8 << 20, bulletPassages: 5_000, bulletBytes: 2 << 20,
	heatDocs: 300, coverageDocs: 200, scoreDocs: 50}

// rowReader reads the cells of one row of a table by column name.
type rowReader struct {
	name string
	t    *schemas.Table
	idx  map[string]int
	row  []any
	n    int // 1-based
	err  error
}

func newRowReader(name string, t *schemas.Table) *rowReader {
	return &rowReader{name: name, t: t, idx: map[string]int{}}
}

func (r *rowReader) fail(col string, v any, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("site: table %s, row %d, column %s: cell is %T, want %s", r.name, r.n, col, v, want)
	}
}

// cell is the value of column col; nil when the schema has no such column.
func (r *rowReader) cell(col string) any {
	j, ok := r.idx[col]
	if !ok {
		j = r.t.FieldIndex(col)
		r.idx[col] = j
	}
	if j < 0 || j >= len(r.row) {
		return nil
	}
	return r.row[j]
}

// text reads a string column; ok is false for a null (or absent) cell.
func (r *rowReader) text(col string) (s string, ok bool) {
	switch v := r.cell(col).(type) {
	case string:
		return v, true
	case *string:
		if v == nil {
			return "", false
		}
		return *v, true
	case nil:
		return "", false
	default:
		r.fail(col, v, "a string")
	}
	return "", false
}

func (r *rowReader) str(col string) string {
	s, _ := r.text(col)
	return s
}

func (r *rowReader) integer(col string) *int64 {
	switch v := r.cell(col).(type) {
	case int64:
		return &v
	case *int64:
		return v
	case nil:
		return nil
	default:
		r.fail(col, v, "an integer")
	}
	return nil
}

func (r *rowReader) number(col string) float64 {
	switch v := r.cell(col).(type) {
	case float64:
		return v
	case *float64:
		if v != nil {
			return *v
		}
	case nil:
	default:
		r.fail(col, v, "a number")
	}
	return 0
}

func (r *rowReader) date(col string) string {
	switch v := r.cell(col).(type) {
	case model.Date:
		return v.String()
	case *model.Date:
		if v != nil {
			return v.String()
		}
	case nil:
	default:
		r.fail(col, v, "a date")
	}
	return ""
}

func (r *rowReader) list(col string) []string {
	switch v := r.cell(col).(type) {
	case []string:
		return v
	case nil:
	default:
		r.fail(col, v, "a list of strings")
	}
	return nil
}

func orZero(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// required tables must have a schema; the others may be absent (no rows).
var requiredTables = []string{"parties", "elections", "documents", "passages"}

// each reads a table once, row by row, calling take for every row; a table without a schema
// has no rows. It stops at the first cell of the wrong type or error of take.
func (d *data) each(set schemas.Set, tables publish.Tables, name string, take func(r *rowReader) error) error {
	t := set[name]
	d.rows[name] = 0
	if t == nil {
		return nil
	}
	r := newRowReader(name, t)
	for row, err := range tables.Rows(name) {
		if err != nil {
			return fmt.Errorf("site: table %s, after row %d: %w", name, r.n, err)
		}
		r.row = row
		r.n++
		if err := take(r); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	d.rows[name] = r.n
	return nil
}

// readData reads every table once: the small ones whole, then the passages one at a time.
func readData(set schemas.Set, tables publish.Tables, lim limits) (*data, error) {
	for _, name := range requiredTables {
		if set[name] == nil {
			return nil, fmt.Errorf("site: no schema for table %s", name)
		}
	}
	if tables == nil {
		return nil, errors.New("site: Input.Tables is nil")
	}
	d := &data{rows: map[string]int{}, perCell: map[[2]string]int64{}, kinds: map[string]int64{}}
	small := []struct {
		name string
		take func(r *rowReader) error
	}{
		{"parties", func(r *rowReader) error {
			d.parties = append(d.parties, party{ID: r.str("party_id"), Abbr: r.str("abbreviation"), Name: r.str("name")})
			return nil
		}},
		{"elections", func(r *rowReader) error {
			d.elections = append(d.elections, election{ID: r.str("election_id"), Name: r.str("name"), Date: r.date("date")})
			return nil
		}},
		{"documents", func(r *rowReader) error {
			d.documents = append(d.documents, document{ID: r.str("document_id"), Title: r.str("title"),
				Election: r.str("election_id"), RawPath: r.str("raw_path"), Language: r.str("language"),
				Format: r.str("format"), Note: r.str("note")})
			return nil
		}},
		{"scores", func(r *rowReader) error {
			d.scores = append(d.scores, score{Doc: r.str("document_id"), Party: r.str("party_id"),
				Score: r.number("score"), Question: r.str("question")})
			return nil
		}},
		{"document_parties", func(r *rowReader) error {
			d.coverage = append(d.coverage, coverage{Doc: r.str("document_id"), Party: r.str("party_id"),
				Passages: orZero(r.integer("passages")), Note: r.str("note")})
			return nil
		}},
	}
	for _, s := range small {
		if err := d.each(set, tables, s.name, s.take); err != nil {
			return nil, err
		}
	}
	d.sort()
	if err := d.check(); err != nil {
		return nil, err
	}
	d.planScores(lim.scoreDocs)
	d.heatDocs = min(lim.heatDocs, len(d.documents))
	d.coverageDocs = lim.coverageDocs

	browser := &prefix[[]byte]{maxItems: lim.browserPassages, maxBytes: lim.browserBytes}
	bullets := &prefix[bullet]{maxItems: lim.bulletPassages, maxBytes: lim.bulletBytes}
	err := d.each(set, tables, "passages", func(r *rowReader) error {
		p := passage{ID: r.str("passage_id"), Doc: r.str("document_id"), Kind: r.str("kind"),
			Section: r.str("section"), Number: r.integer("number"), Seq: orZero(r.integer("seq")),
			Text: r.str("text"), Line: orZero(r.integer("source_line")), Flags: r.list("flags")}
		p.Party, p.HasParty = r.text("party_id")
		if r.err != nil {
			return r.err
		}
		return d.take(p, browser, bullets)
	})
	if err != nil {
		return nil, err
	}
	d.browserDocs = len(d.documents)
	if browser.cut {
		d.browserDocs = 0
	}
	for _, it := range browser.run() {
		d.browser = append(d.browser, it.v)
		if browser.cut {
			d.browserDocs = it.r.major + 1
		}
	}
	d.browserCut = browser.cut
	d.bullets = make([][]bullet, d.lists())
	for _, it := range bullets.run() {
		d.bullets[it.r.major] = append(d.bullets[it.r.major], it.v)
	}
	return d, nil
}

// take counts one passage and offers it to what the pages embed.
func (d *data) take(p passage, browser *prefix[[]byte], bullets *prefix[bullet]) error {
	di, ok := d.docIdx[p.Doc]
	if !ok {
		return fmt.Errorf("site: passage %s: document %q is not in the documents table", p.ID, p.Doc)
	}
	pi := -1
	if p.HasParty {
		if pi, ok = d.partyIdx[p.Party]; !ok {
			return fmt.Errorf("site: passage %s: party %q is not in the parties table", p.ID, p.Party)
		}
	}
	key := p.Party
	if !p.HasParty {
		key = noPartyKey
	}
	d.perCell[[2]string{p.Doc, key}]++
	d.kinds[p.Kind]++
	if r := (rank{major: di, seq: p.Seq, id: p.ID}); browser.admits(r) {
		b, err := browserEntry(p, di, pi)
		if err != nil {
			return err
		}
		browser.offer(r, len(b)+1, b)
	}
	if p.HasParty {
		for _, li := range d.listOf[[2]string{p.Doc, p.Party}] {
			if r := (rank{major: li, seq: p.Seq, id: p.ID}); bullets.admits(r) {
				bullets.offer(r, len(p.Text), bullet{ID: p.ID, Doc: p.Doc, Kind: p.Kind, Section: p.Section, Text: p.Text, Line: p.Line})
			}
		}
	}
	return nil
}

// browserEntry is a passage as the browser's data block holds it: id, document index, party
// index (-1: none), kind, section, number, line, flags, text. json.Marshal escapes <, > and &
// (and U+2028, U+2029), so no text can close the script element or open a comment inside it.
func browserEntry(p passage, doc, party int) ([]byte, error) {
	var section, number any
	if p.Section != "" {
		section = p.Section
	}
	if p.Number != nil {
		number = *p.Number
	}
	flags := p.Flags
	if flags == nil {
		flags = []string{}
	}
	b, err := json.Marshal([]any{p.ID, doc, party, p.Kind, section, number, p.Line, flags, p.Text})
	if err != nil {
		return nil, fmt.Errorf("site: encode passage %s: %w", p.ID, err)
	}
	return b, nil
}

func (d *data) sort() {
	sort.Slice(d.parties, func(i, j int) bool { return d.parties[i].ID < d.parties[j].ID })
	sort.Slice(d.elections, func(i, j int) bool {
		a, b := d.elections[i], d.elections[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.ID < b.ID
	})
	d.elecIdx = map[string]int{}
	for i, e := range d.elections {
		d.elecIdx[e.ID] = i
	}
	rank := func(id string) int {
		if i, ok := d.elecIdx[id]; ok {
			return i
		}
		return len(d.elections)
	}
	sort.Slice(d.documents, func(i, j int) bool {
		a, b := d.documents[i], d.documents[j]
		if ra, rb := rank(a.Election), rank(b.Election); ra != rb {
			return ra < rb
		}
		return a.ID < b.ID
	})
	d.partyIdx = map[string]int{}
	for i, p := range d.parties {
		d.partyIdx[p.ID] = i
	}
	d.docIdx = map[string]int{}
	for i, doc := range d.documents {
		d.docIdx[doc.ID] = i
	}
	sort.Slice(d.scores, func(i, j int) bool {
		a, b := d.scores[i], d.scores[j]
		if a.Doc != b.Doc {
			return d.docIdx[a.Doc] < d.docIdx[b.Doc]
		}
		return a.Party < b.Party
	})
	sort.Slice(d.coverage, func(i, j int) bool {
		a, b := d.coverage[i], d.coverage[j]
		if a.Doc != b.Doc {
			return d.docIdx[a.Doc] < d.docIdx[b.Doc]
		}
		return a.Party < b.Party
	})
}

// check refuses scores and coverage rows that point at a party or document the tables do not
// hold (validation forbids them; a page cannot show them). Passages are checked as they are read.
func (d *data) check() error {
	for _, s := range d.scores {
		if _, ok := d.partyIdx[s.Party]; !ok {
			return fmt.Errorf("site: score %s/%s: party %q is not in the parties table", s.Doc, s.Party, s.Party)
		}
		if _, ok := d.docIdx[s.Doc]; !ok {
			return fmt.Errorf("site: score %s/%s: document %q is not in the documents table", s.Doc, s.Party, s.Doc)
		}
	}
	for _, c := range d.coverage {
		if _, ok := d.partyIdx[c.Party]; !ok {
			return fmt.Errorf("site: document_parties %s/%s: party %q is not in the parties table", c.Doc, c.Party, c.Party)
		}
		if _, ok := d.docIdx[c.Doc]; !ok {
			return fmt.Errorf("site: document_parties %s/%s: document %q is not in the documents table", c.Doc, c.Party, c.Doc)
		}
	}
	return nil
}

// planScores lays out the Big Tech charts: one per document with scores, in page order, for the
// first max of them, each with its bars in order of score then party, and numbers their lists in
// that order. It counts every document with scores.
func (d *data) planScores(max int) {
	d.listOf = map[[2]string][]int{}
	n := 0
	last := ""
	for _, s := range d.scores {
		if d.scoredDocs == 0 || s.Doc != last {
			d.scoredDocs++
			last = s.Doc
			if len(d.scoreDocs) < max {
				d.scoreDocs = append(d.scoreDocs, scoreDoc{doc: s.Doc, first: n})
			}
		}
		if d.scoredDocs > max {
			continue
		}
		sd := &d.scoreDocs[len(d.scoreDocs)-1]
		sd.scores = append(sd.scores, s)
		n++
	}
	d.nLists = n
	for i := range d.scoreDocs {
		sd := &d.scoreDocs[i]
		sort.SliceStable(sd.scores, func(i, j int) bool {
			if sd.scores[i].Score != sd.scores[j].Score {
				return sd.scores[i].Score < sd.scores[j].Score
			}
			return sd.scores[i].Party < sd.scores[j].Party
		})
		for j, s := range sd.scores {
			k := [2]string{s.Doc, s.Party}
			d.listOf[k] = append(d.listOf[k], sd.first+j)
		}
	}
}

// lists is the number of Big Tech lists: one per score of the charts shown.
func (d *data) lists() int { return d.nLists }

// passages is the number of rows of the passages table.
func (d *data) passages() int { return d.rows["passages"] }

func (d *data) partyAbbr(id string) string {
	if i, ok := d.partyIdx[id]; ok {
		return d.parties[i].Abbr
	}
	return id
}

func (d *data) partyName(id string) string {
	if i, ok := d.partyIdx[id]; ok {
		return d.parties[i].Name
	}
	return id
}
