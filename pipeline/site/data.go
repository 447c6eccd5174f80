package site

import (
	"fmt"
	"sort"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// The rows the pages are made of, read from the canonical cells of Input.Tables by column name
// (so a release made with an older schema version reads too).
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

// data is every table of a release, sorted for display: elections by date, documents by
// election then id, passages by document then seq, parties by id.
type data struct {
	parties   []party
	elections []election
	documents []document
	passages  []passage
	scores    []score
	coverage  []coverage
	rows      map[string]int // rows per table, as given

	partyIdx map[string]int
	docIdx   map[string]int
	elecIdx  map[string]int
}

// tableReader reads one table's cells by column name.
type tableReader struct {
	name string
	t    *schemas.Table
	rows [][]any
	err  error
}

func (r *tableReader) fail(row int, col string, v any, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("site: table %s, row %d, column %s: cell is %T, want %s", r.name, row+1, col, v, want)
	}
}

// cell is the value of column col in row i; nil when the schema has no such column.
func (r *tableReader) cell(i int, col string) any {
	j := r.t.FieldIndex(col)
	if j < 0 || j >= len(r.rows[i]) {
		return nil
	}
	return r.rows[i][j]
}

// text reads a string column; ok is false for a null (or absent) cell.
func (r *tableReader) text(i int, col string) (s string, ok bool) {
	switch v := r.cell(i, col).(type) {
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
		r.fail(i, col, v, "a string")
	}
	return "", false
}

func (r *tableReader) str(i int, col string) string {
	s, _ := r.text(i, col)
	return s
}

func (r *tableReader) integer(i int, col string) *int64 {
	switch v := r.cell(i, col).(type) {
	case int64:
		return &v
	case *int64:
		return v
	case nil:
		return nil
	default:
		r.fail(i, col, v, "an integer")
	}
	return nil
}

func (r *tableReader) number(i int, col string) float64 {
	switch v := r.cell(i, col).(type) {
	case float64:
		return v
	case *float64:
		if v != nil {
			return *v
		}
	case nil:
	default:
		r.fail(i, col, v, "a number")
	}
	return 0
}

func (r *tableReader) date(i int, col string) string {
	switch v := r.cell(i, col).(type) {
	case model.Date:
		return v.String()
	case *model.Date:
		if v != nil {
			return v.String()
		}
	case nil:
	default:
		r.fail(i, col, v, "a date")
	}
	return ""
}

func (r *tableReader) list(i int, col string) []string {
	switch v := r.cell(i, col).(type) {
	case []string:
		return v
	case nil:
	default:
		r.fail(i, col, v, "a list of strings")
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

func readData(set schemas.Set, tables map[string][][]any) (*data, error) {
	for _, name := range requiredTables {
		if set[name] == nil {
			return nil, fmt.Errorf("site: no schema for table %s", name)
		}
	}
	d := &data{rows: map[string]int{}}
	reader := func(name string) *tableReader {
		r := &tableReader{name: name, t: set[name], rows: tables[name]}
		if r.t == nil {
			r.t = &schemas.Table{Name: name}
			r.rows = nil
		}
		d.rows[name] = len(r.rows)
		return r
	}
	var readers []*tableReader

	r := reader("parties")
	for i := range r.rows {
		d.parties = append(d.parties, party{ID: r.str(i, "party_id"), Abbr: r.str(i, "abbreviation"), Name: r.str(i, "name")})
	}
	readers = append(readers, r)

	r = reader("elections")
	for i := range r.rows {
		d.elections = append(d.elections, election{ID: r.str(i, "election_id"), Name: r.str(i, "name"), Date: r.date(i, "date")})
	}
	readers = append(readers, r)

	r = reader("documents")
	for i := range r.rows {
		d.documents = append(d.documents, document{ID: r.str(i, "document_id"), Title: r.str(i, "title"),
			Election: r.str(i, "election_id"), RawPath: r.str(i, "raw_path"), Language: r.str(i, "language"),
			Format: r.str(i, "format"), Note: r.str(i, "note")})
	}
	readers = append(readers, r)

	r = reader("passages")
	for i := range r.rows {
		p := passage{ID: r.str(i, "passage_id"), Doc: r.str(i, "document_id"), Kind: r.str(i, "kind"),
			Section: r.str(i, "section"), Number: r.integer(i, "number"), Seq: orZero(r.integer(i, "seq")),
			Text: r.str(i, "text"), Line: orZero(r.integer(i, "source_line")), Flags: r.list(i, "flags")}
		p.Party, p.HasParty = r.text(i, "party_id")
		d.passages = append(d.passages, p)
	}
	readers = append(readers, r)

	r = reader("scores")
	for i := range r.rows {
		d.scores = append(d.scores, score{Doc: r.str(i, "document_id"), Party: r.str(i, "party_id"),
			Score: r.number(i, "score"), Question: r.str(i, "question")})
	}
	readers = append(readers, r)

	r = reader("document_parties")
	for i := range r.rows {
		d.coverage = append(d.coverage, coverage{Doc: r.str(i, "document_id"), Party: r.str(i, "party_id"),
			Passages: orZero(r.integer(i, "passages")), Note: r.str(i, "note")})
	}
	readers = append(readers, r)

	for _, r := range readers {
		if r.err != nil {
			return nil, r.err
		}
	}
	d.sort()
	return d, d.check()
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
	sort.Slice(d.passages, func(i, j int) bool {
		a, b := d.passages[i], d.passages[j]
		if a.Doc != b.Doc {
			return d.docIdx[a.Doc] < d.docIdx[b.Doc]
		}
		if a.Seq != b.Seq {
			return a.Seq < b.Seq
		}
		return a.ID < b.ID
	})
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

// check refuses rows that point at a party or document the tables do not hold (validation
// forbids them; a page cannot show them).
func (d *data) check() error {
	for _, p := range d.passages {
		if _, ok := d.docIdx[p.Doc]; !ok {
			return fmt.Errorf("site: passage %s: document %q is not in the documents table", p.ID, p.Doc)
		}
		if _, ok := d.partyIdx[p.Party]; p.HasParty && !ok {
			return fmt.Errorf("site: passage %s: party %q is not in the parties table", p.ID, p.Party)
		}
	}
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
