package changes

import (
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// Changes is everything that differs between two snapshots, and the release facts the caller
// adds (Version, Previous, Date, Notes, Validation). Every list is sorted, so the JSON
// rendering depends only on the two snapshots and those facts.
type Changes struct {
	Version    string      `json:"version"`  // filled by the caller: this release
	Previous   string      `json:"previous"` // filled by the caller: the release compared with; empty for the first
	Date       string      `json:"date"`     // filled by the caller: YYYY-MM-DD
	Notes      string      `json:"notes"`    // filled by the caller: free text (Markdown) for the release
	Validation *Validation `json:"validation"`

	// FirstRelease is true when the old snapshot was empty: there is nothing to compare with.
	FirstRelease bool     `json:"first_release"`
	Level        Level    `json:"level"`
	Reasons      []string `json:"reasons"` // the changes that decide Level, one sentence each

	Documents DocumentChanges `json:"documents"`
	Schema    []SchemaChange  `json:"schema"`
	Tables    []TableChanges  `json:"tables"`
	Contents  Contents        `json:"contents"` // what the new snapshot holds

	// Files is every file of the release folder, slash-separated and sorted, filled by the caller:
	// the list the release is checked against. Releases before 1.2.0 have none (see
	// publish.LegacyReleaseFiles).
	Files []string `json:"files,omitempty"`
}

// Validation is the validation summary of the release, filled by the caller.
type Validation struct {
	Valid     bool  `json:"valid"`
	ChecksRun int64 `json:"checks_run"`
	Errors    int64 `json:"errors"`
	Warnings  int64 `json:"warnings"`
}

// DocumentChanges lists the source texts added, removed and changed (the raw bytes differ),
// each sorted by document id.
type DocumentChanges struct {
	Added   []DocumentChange `json:"added"`
	Removed []DocumentChange `json:"removed"`
	Changed []DocumentChange `json:"changed"`
}

// DocumentChange is one document of DocumentChanges. OldSHA256 is empty for an added
// document, NewSHA256 for a removed one.
type DocumentChange struct {
	DocumentID string `json:"document_id"`
	Title      string `json:"title"`
	RawPath    string `json:"raw_path"`
	OldSHA256  string `json:"old_sha256,omitempty"`
	NewSHA256  string `json:"new_sha256,omitempty"`
}

// TableChanges is the row diff of one table. Rows are matched by primary key (KeyColumns); a
// row whose key changed counts as removed and added. Keys are the key cells joined by "/".
type TableChanges struct {
	Table         string      `json:"table"`
	KeyColumns    []string    `json:"key_columns"`
	RowsBefore    int         `json:"rows_before"`
	RowsAfter     int         `json:"rows_after"`
	Added         int         `json:"added"`
	Removed       int         `json:"removed"`
	Modified      int         `json:"modified"`
	CellsModified int         `json:"cells_modified"`
	Moved         int         `json:"moved"` // rows whose only changes are in Positional columns
	MovedKeys     []string    `json:"moved_keys"`
	AddedKeys     []string    `json:"added_keys"`
	RemovedKeys   []string    `json:"removed_keys"`
	ModifiedRows  []RowChange `json:"modified_rows"`
}

// Changed reports whether any row was added, removed or modified.
func (t TableChanges) Changed() bool { return t.Added+t.Removed+t.Modified+t.Moved > 0 }

// Positional names, per table, the columns that say where a row stands in its raw text rather
// than what it says. A row whose only changed cells are positional has moved (text was
// inserted, removed or corrected before it), not been modified: it is counted apart so that a
// one-word fix does not list every later passage of the file.
var Positional = map[string]map[string]bool{
	"passages": {"seq": true, "source_start": true, "source_end": true, "source_line": true},
}

// RowChange is one modified row: its key and the cells that differ, in column order.
type RowChange struct {
	Key   string       `json:"key"`
	Cells []CellChange `json:"cells"`
}

// CellChange is one modified cell with its full old and new canonical values (null for a
// null cell). Columns whose type changed are not compared cell by cell.
type CellChange struct {
	Column string `json:"column"`
	Old    any    `json:"old"`
	New    any    `json:"new"`
}

// Contents summarizes what the new snapshot holds; the first release's changelog shows it
// instead of listing every key.
type Contents struct {
	Rows           map[string]int     `json:"rows"` // per table
	PassagesByKind map[string]int     `json:"passages_by_kind"`
	Documents      []DocumentContents `json:"documents"`
}

// DocumentContents is one document of Contents.
type DocumentContents struct {
	DocumentID     string         `json:"document_id"`
	Title          string         `json:"title"`
	ElectionID     string         `json:"election_id"`
	Parties        int            `json:"parties"` // document_parties rows
	Passages       int            `json:"passages"`
	PassagesByKind map[string]int `json:"passages_by_kind"`
	Scores         int            `json:"scores"`
}

// reason is one sentence and the level it calls for.
type reason struct {
	level Level
	text  string
}

// Compare computes the changes from old to new. Either may be empty (no tables); an empty old
// snapshot marks the first release. The error is a streamed table that could not be read.
func Compare(old, new *Snapshot) (*Changes, error) {
	if old == nil {
		old = &Snapshot{}
	}
	if new == nil {
		new = &Snapshot{}
	}
	contents, err := contentsOf(new)
	if err != nil {
		return nil, err
	}
	docs, err := compareDocuments(old, new)
	if err != nil {
		return nil, err
	}
	c := &Changes{
		FirstRelease: old.Empty(),
		Reasons:      []string{},
		Documents:    docs,
		Schema:       diffSchemas(old.Schemas, new.Schemas),
		Tables:       []TableChanges{},
		Contents:     contents,
	}
	if c.Schema == nil {
		c.Schema = []SchemaChange{}
	}
	for _, name := range tableNames(old.Schemas, new.Schemas) {
		tc, err := compareTable(name, old, new)
		if err != nil {
			return nil, err
		}
		c.Tables = append(c.Tables, tc)
	}

	var rs []reason
	for _, s := range c.Schema {
		rs = append(rs, reason{s.Level, s.Text})
	}
	for _, d := range c.Documents.Added {
		rs = append(rs, reason{LevelMinor, fmt.Sprintf("Document %s added (%s).", d.DocumentID, d.RawPath)})
	}
	for _, d := range c.Documents.Removed {
		rs = append(rs, reason{LevelMinor, fmt.Sprintf("Document %s removed.", d.DocumentID)})
	}
	for _, d := range c.Documents.Changed {
		rs = append(rs, reason{LevelPatch, fmt.Sprintf("Document %s: source text changed (%s).", d.DocumentID, d.RawPath)})
	}
	for _, t := range c.Tables {
		if t.Added > 0 {
			rs = append(rs, reason{LevelMinor, fmt.Sprintf("Table %s: %s added.", t.Table, count(t.Added, "row", "rows"))})
		}
		if t.Removed > 0 {
			rs = append(rs, reason{LevelMinor, fmt.Sprintf("Table %s: %s removed.", t.Table, count(t.Removed, "row", "rows"))})
		}
		if t.Modified > 0 {
			rs = append(rs, reason{LevelPatch, fmt.Sprintf("Table %s: %s modified (%s).", t.Table, count(t.Modified, "row", "rows"), strings.Join(modifiedColumns(t), ", "))})
		}
		if t.Moved > 0 {
			rs = append(rs, reason{LevelPatch, fmt.Sprintf("Table %s: %s moved within the raw text.", t.Table, count(t.Moved, "row", "rows"))})
		}
	}
	for _, r := range rs {
		c.Level = Max(c.Level, r.level)
	}
	for _, r := range rs {
		if r.level == c.Level && c.Level != LevelNone {
			c.Reasons = append(c.Reasons, r.text)
		}
	}
	return c, nil
}

func count(n int, one, many string) string { return strconv.Itoa(n) + " " + plural(n, one, many) }

// modifiedColumns lists the columns that changed in any modified row, in column order of first
// appearance.
func modifiedColumns(t TableChanges) []string {
	var cols []string
	for _, r := range t.ModifiedRows {
		for _, c := range r.Cells {
			if !slices.Contains(cols, c.Column) {
				cols = append(cols, c.Column)
			}
		}
	}
	return cols
}

// keyColumns picks the columns rows are matched by: the new schema's primary key when the old
// schema has those columns too, else the old one's when the new has them; nil when neither
// works (every row then counts as removed and added). A table without a primary key is
// matched on all its columns.
func keyColumns(o, n *schemas.Table) []string {
	has := func(t *schemas.Table, cols []string) bool {
		for _, c := range cols {
			if t.FieldIndex(c) < 0 {
				return false
			}
		}
		return len(cols) > 0
	}
	all := func(t *schemas.Table) []string {
		if len(t.PrimaryKey) > 0 {
			return t.PrimaryKey
		}
		names := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			names[i] = f.Name
		}
		return names
	}
	switch {
	case o == nil:
		return all(n)
	case n == nil:
		return all(o)
	case has(o, all(n)):
		return all(n)
	case has(n, all(o)):
		return all(o)
	}
	return nil
}

// keyedRows indexes rows by their key string; a repeated key (which validation forbids) gets
// "#2", "#3", … in file order so that nothing is lost.
func keyedRows(t *schemas.Table, rows [][]any, cols []string) map[string][]any {
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = t.FieldIndex(c)
	}
	out := make(map[string][]any, len(rows))
	for _, r := range rows {
		parts := make([]string, len(idx))
		for i, j := range idx {
			if j >= 0 && j < len(r) {
				parts[i] = keyText(r[j])
			}
		}
		k := strings.Join(parts, "/")
		if _, dup := out[k]; dup {
			for n := 2; ; n++ {
				if _, dup := out[k+"#"+strconv.Itoa(n)]; !dup {
					k += "#" + strconv.Itoa(n)
					break
				}
			}
		}
		out[k] = r
	}
	return out
}

// pair is a column compared cell by cell: its name and its index in the old and the new schema.
type pair struct {
	name   string
	oi, ni int
}

// tableDiff is the state of one table's comparison.
type tableDiff struct {
	name      string
	tc        TableChanges
	common    []pair // columns in both schemas with the same type, in new column order
	matchable bool   // rows can be matched by key: the table is in both and has key columns in both
	cols      []string
	okey      []int // the key columns' indexes in the old and the new schema (when matchable)
	nkey      []int
}

func newTableDiff(name string, old, new *Snapshot) *tableDiff {
	o, n := old.Schemas[name], new.Schemas[name]
	d := &tableDiff{name: name, tc: TableChanges{
		Table: name, RowsBefore: old.Len(name), RowsAfter: new.Len(name),
		KeyColumns: []string{}, AddedKeys: []string{}, RemovedKeys: []string{}, ModifiedRows: []RowChange{}, MovedKeys: []string{},
	}}
	d.cols = keyColumns(o, n)
	if d.cols != nil {
		d.tc.KeyColumns = d.cols
	}
	// When the table was added or removed, or its rows cannot be matched (the key columns
	// changed completely), every old row counts as removed and every new row as added.
	d.matchable = o != nil && n != nil && d.cols != nil
	if d.matchable {
		for _, c := range d.cols {
			d.okey, d.nkey = append(d.okey, o.FieldIndex(c)), append(d.nkey, n.FieldIndex(c))
		}
	}
	if o != nil && n != nil {
		for j, f := range n.Fields {
			if i := o.FieldIndex(f.Name); i >= 0 && o.Fields[i].Type == f.Type {
				d.common = append(d.common, pair{name: f.Name, oi: i, ni: j})
			}
		}
	}
	return d
}

// keyed indexes a set of rows (a table, or one group of it) of the old or the new schema by the
// key columns both share (only matchable tables are indexed).
func (d *tableDiff) keyed(s *Snapshot, rows [][]any) map[string][]any {
	return keyedRows(s.Schemas[d.name], rows, d.cols)
}

// match compares the rows of old and new (keyed) and records added, removed, modified and moved
// rows.
func (d *tableDiff) match(om, nm map[string][]any) {
	for k, nr := range nm {
		or, ok := om[k]
		if !ok {
			d.tc.AddedKeys = append(d.tc.AddedKeys, k)
			continue
		}
		d.modified(k, or, nr)
	}
	for k := range om {
		if _, ok := nm[k]; !ok {
			d.tc.RemovedKeys = append(d.tc.RemovedKeys, k)
		}
	}
}

// modified compares one matched row cell by cell.
func (d *tableDiff) modified(k string, or, nr []any) {
	var cells []CellChange
	for _, p := range d.common {
		a, b := cellAt(or, p.oi), cellAt(nr, p.ni)
		if !cellEqual(a, b) {
			cells = append(cells, CellChange{Column: p.name, Old: a, New: b})
		}
	}
	moved := len(cells) > 0
	for _, c := range cells {
		moved = moved && Positional[d.name][c.Column]
	}
	switch {
	case moved:
		d.tc.MovedKeys = append(d.tc.MovedKeys, k)
	case len(cells) > 0:
		d.tc.ModifiedRows = append(d.tc.ModifiedRows, RowChange{Key: k, Cells: cells})
		d.tc.CellsModified += len(cells)
	}
}

// same reports whether two groups hold the same rows in the same order, with the same keys and
// every common cell equal: the quick test that lets an unchanged document pass without indexing
// its rows.
func (d *tableDiff) same(o, n [][]any) bool {
	if len(o) != len(n) {
		return false
	}
	for i := range o {
		for j := range d.okey {
			if keyText(cellAt(o[i], d.okey[j])) != keyText(cellAt(n[i], d.nkey[j])) {
				return false
			}
		}
		for _, p := range d.common {
			if !cellEqual(cellAt(o[i], p.oi), cellAt(n[i], p.ni)) {
				return false
			}
		}
	}
	return true
}

func (d *tableDiff) finish() TableChanges {
	tc := d.tc
	sort.Strings(tc.AddedKeys)
	sort.Strings(tc.RemovedKeys)
	sort.Strings(tc.MovedKeys)
	tc.Moved = len(tc.MovedKeys)
	sort.Slice(tc.ModifiedRows, func(i, j int) bool { return tc.ModifiedRows[i].Key < tc.ModifiedRows[j].Key })
	tc.Added, tc.Removed, tc.Modified = len(tc.AddedKeys), len(tc.RemovedKeys), len(tc.ModifiedRows)
	return tc
}

// Grouped names, per table, the column its rows are grouped by, in ascending order, in every
// build and release (documents are built in id order). Such a table is compared one group at a
// time, so that only one document's rows of each snapshot are in memory.
var Grouped = map[string]string{"passages": "document_id", "documents": "document_id", "document_parties": "document_id", "scores": "document_id"}

func compareTable(name string, old, new *Snapshot) (TableChanges, error) {
	d := newTableDiff(name, old, new)
	if col, ok := Grouped[name]; ok && d.matchable && old.Schemas[name].FieldIndex(col) >= 0 && new.Schemas[name].FieldIndex(col) >= 0 {
		err := d.grouped(old, new, col)
		if err == nil {
			return d.finish(), nil
		}
		if !errors.Is(err, errUnordered) {
			return TableChanges{}, err
		}
		d = newTableDiff(name, old, new) // rows not grouped in order: compare the tables whole
	}
	if !d.matchable {
		// Nothing to match (a first release, a table added or removed, keys changed
		// completely): every old row is removed and every new row added; only the keys are
		// needed, read one row at a time.
		var err error
		if d.tc.RemovedKeys, err = keysOf(old, name); err != nil {
			return TableChanges{}, err
		}
		if d.tc.AddedKeys, err = keysOf(new, name); err != nil {
			return TableChanges{}, err
		}
		return d.finish(), nil
	}
	oldRows, err := rowsOf(old, name)
	if err != nil {
		return TableChanges{}, err
	}
	newRows, err := rowsOf(new, name)
	if err != nil {
		return TableChanges{}, err
	}
	d.match(d.keyed(old, oldRows), d.keyed(new, newRows))
	return d.finish(), nil
}

// keysOf is the key of every row of a table, matched on its own key columns, sorted; a repeated
// key (which validation forbids) gets "#2", "#3", … as keyedRows gives them, so that nothing is
// lost. Empty when the snapshot lacks the table. No map of the keys is kept: at a first release
// the list is the whole table's keys, and it is also what changes.json lists.
func keysOf(s *Snapshot, table string) ([]string, error) {
	t := s.Schemas[table]
	keys := []string{}
	if t == nil {
		return keys, nil
	}
	var idx []int
	var names []string
	for _, c := range keyColumns(t, nil) {
		if j := t.FieldIndex(c); j >= 0 {
			names = append(names, c)
		}
		idx = append(idx, t.FieldIndex(c))
	}
	parts := make([]string, len(idx))
	for r, err := range s.Columns(table, names...) {
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		for i, j := range idx {
			parts[i] = ""
			if j >= 0 && j < len(r) {
				parts[i] = keyText(r[j])
			}
		}
		keys = append(keys, strings.Join(parts, "/"))
	}
	sort.Strings(keys)
	// Repeats are taken out (the list stays sorted, so it can be searched), then named again.
	var repeats []string
	uniq := keys[:0]
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			repeats = append(repeats, k)
			continue
		}
		uniq = append(uniq, k)
	}
	keys = uniq
	if len(repeats) == 0 {
		return keys, nil
	}
	named := map[string]bool{}
	for _, k := range repeats {
		for n := 2; ; n++ {
			name := k + "#" + strconv.Itoa(n)
			if _, taken := slices.BinarySearch(keys, name); !taken && !named[name] {
				named[name] = true
				break
			}
		}
	}
	for name := range named {
		keys = append(keys, name)
	}
	sort.Strings(keys)
	return keys, nil
}

// rowsOf is every row of a table, read into memory.
func rowsOf(s *Snapshot, table string) ([][]any, error) {
	if rows, ok := s.Tables[table]; ok {
		return rows, nil
	}
	var out [][]any
	for r, err := range s.Rows(table) {
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

var errUnordered = errors.New("rows are not grouped in ascending order")

// groups reads a table's rows one group (a run of rows with the same value of column col) at a
// time. Groups must come in strictly ascending order of that value, else next returns
// errUnordered.
type groups struct {
	next  func() ([]any, error, bool)
	stop  func()
	col   int
	ahead []any // the first row of the next group, read already
	last  string
	begun bool
}

func newGroups(s *Snapshot, table, col string) *groups {
	next, stop := iter.Pull2(s.Rows(table))
	return &groups{next: next, stop: stop, col: s.Schemas[table].FieldIndex(col)}
}

// group returns the next group's value and rows; ok is false at the end.
func (g *groups) group() (value string, rows [][]any, ok bool, err error) {
	if g.ahead == nil {
		r, err, more := g.next()
		if !more {
			return "", nil, false, nil
		}
		if err != nil {
			return "", nil, false, fmt.Errorf("changes: %w", err)
		}
		g.ahead = r
	}
	value = keyText(cellAt(g.ahead, g.col))
	if g.begun && value <= g.last {
		return "", nil, false, errUnordered
	}
	g.begun, g.last = true, value
	rows = [][]any{g.ahead}
	g.ahead = nil
	for {
		r, err, more := g.next()
		if !more {
			return value, rows, true, nil
		}
		if err != nil {
			return "", nil, false, fmt.Errorf("changes: %w", err)
		}
		if keyText(cellAt(r, g.col)) != value {
			g.ahead = r
			return value, rows, true, nil
		}
		rows = append(rows, r)
	}
}

// grouped compares the table group by group, merging the two snapshots' groups by value. A row
// whose key moved to another group (a passage now in another document) is first seen as removed
// from one group and added to another; those keys are matched again at the end.
func (d *tableDiff) grouped(old, new *Snapshot, col string) error {
	og, ng := newGroups(old, d.name, col), newGroups(new, d.name, col)
	defer og.stop()
	defer ng.stop()
	ov, orows, ook, err := og.group()
	if err != nil {
		return err
	}
	nv, nrows, nok, err := ng.group()
	if err != nil {
		return err
	}
	for ook || nok {
		switch {
		case ook && (!nok || ov < nv): // a group only in old
			d.match(d.keyed(old, orows), nil)
			ov, orows, ook, err = og.group()
		case nok && (!ook || nv < ov): // a group only in new
			d.match(nil, d.keyed(new, nrows))
			nv, nrows, nok, err = ng.group()
		default:
			if !d.same(orows, nrows) {
				d.match(d.keyed(old, orows), d.keyed(new, nrows))
			}
			ov, orows, ook, err = og.group()
			if err == nil {
				nv, nrows, nok, err = ng.group()
			}
		}
		if err != nil {
			return err
		}
	}
	return d.rematch(old, new)
}

// rematch matches keys that were removed from one group and added to another, reading the two
// tables again for just those rows.
func (d *tableDiff) rematch(old, new *Snapshot) error {
	removed := map[string]bool{}
	for _, k := range d.tc.RemovedKeys {
		removed[k] = true
	}
	both := map[string]bool{}
	for _, k := range d.tc.AddedKeys {
		if removed[k] {
			both[k] = true
		}
	}
	if len(both) == 0 {
		return nil
	}
	pick := func(s *Snapshot) (map[string][]any, error) {
		t := s.Schemas[d.name]
		out := map[string][]any{}
		for r, err := range s.Rows(d.name) {
			if err != nil {
				return nil, fmt.Errorf("changes: %w", err)
			}
			for k, row := range keyedRows(t, [][]any{r}, d.cols) {
				if both[k] {
					out[k] = row
				}
			}
		}
		return out, nil
	}
	om, err := pick(old)
	if err != nil {
		return err
	}
	nm, err := pick(new)
	if err != nil {
		return err
	}
	drop := func(keys []string) []string {
		return slices.DeleteFunc(keys, func(k string) bool { return both[k] })
	}
	d.tc.AddedKeys, d.tc.RemovedKeys = drop(d.tc.AddedKeys), drop(d.tc.RemovedKeys)
	for _, k := range sortedKeys(both) {
		d.modified(k, om[k], nm[k])
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cellAt(row []any, i int) any {
	if i < 0 || i >= len(row) {
		return nil
	}
	return row[i]
}

// deref turns a nullable canonical cell into its value or nil.
func deref(v any) any {
	switch x := v.(type) {
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *model.Date:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

// cellEqual compares two canonical cells by value; a null list differs from an empty one.
func cellEqual(a, b any) bool {
	a, b = deref(a), deref(b)
	la, aok := a.([]string)
	lb, bok := b.([]string)
	if aok || bok {
		return aok && bok && (la == nil) == (lb == nil) && slices.Equal(la, lb)
	}
	return reflect.DeepEqual(a, b)
}

// keyText is the readable text of a key cell.
func keyText(v any) string {
	switch x := deref(v).(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case model.Date:
		return x.String()
	case []string:
		return strings.Join(x, ",")
	default:
		return fmt.Sprint(x)
	}
}

// columns returns the cells of the named columns of a snapshot's table, in one pass over it (a
// streamed table is read from its file): one slice per name, nil for a column the table lacks;
// all nil when the snapshot lacks the table.
func columns(s *Snapshot, table string, names ...string) ([][]string, error) {
	out := make([][]string, len(names))
	t := s.Schemas[table]
	if t == nil {
		return out, nil
	}
	idx := make([]int, len(names))
	var have []string
	for k, name := range names {
		if idx[k] = t.FieldIndex(name); idx[k] >= 0 {
			out[k] = make([]string, 0, s.Len(table))
			have = append(have, name)
		}
	}
	if len(have) == 0 {
		return out, nil
	}
	for r, err := range s.Columns(table, have...) {
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		for k, i := range idx {
			if i >= 0 {
				out[k] = append(out[k], keyText(cellAt(r, i)))
			}
		}
	}
	return out, nil
}

// documentsOf indexes the documents table by document_id.
func documentsOf(s *Snapshot) (map[string]DocumentChange, error) {
	cols, err := columns(s, "documents", "document_id", "title", "raw_path", "raw_sha256")
	if err != nil {
		return nil, err
	}
	ids, titles, paths, sums := cols[0], cols[1], cols[2], cols[3]
	at := func(col []string, i int) string {
		if col == nil {
			return ""
		}
		return col[i]
	}
	out := make(map[string]DocumentChange, len(ids))
	for i, id := range ids {
		out[id] = DocumentChange{DocumentID: id, Title: at(titles, i), RawPath: at(paths, i), NewSHA256: at(sums, i)}
	}
	return out, nil
}

func compareDocuments(old, new *Snapshot) (DocumentChanges, error) {
	od, err := documentsOf(old)
	if err != nil {
		return DocumentChanges{}, err
	}
	nd, err := documentsOf(new)
	if err != nil {
		return DocumentChanges{}, err
	}
	dc := DocumentChanges{Added: []DocumentChange{}, Removed: []DocumentChange{}, Changed: []DocumentChange{}}
	for id, n := range nd {
		o, ok := od[id]
		switch {
		case !ok:
			dc.Added = append(dc.Added, n)
		case o.NewSHA256 != n.NewSHA256:
			n.OldSHA256 = o.NewSHA256
			dc.Changed = append(dc.Changed, n)
		}
	}
	for id, o := range od {
		if _, ok := nd[id]; !ok {
			o.OldSHA256, o.NewSHA256 = o.NewSHA256, ""
			dc.Removed = append(dc.Removed, o)
		}
	}
	for _, l := range []([]DocumentChange){dc.Added, dc.Removed, dc.Changed} {
		sort.Slice(l, func(i, j int) bool { return l[i].DocumentID < l[j].DocumentID })
	}
	return dc, nil
}

// contentsOf summarizes the new snapshot, reading its passages once.
func contentsOf(s *Snapshot) (Contents, error) {
	c := Contents{Rows: map[string]int{}, PassagesByKind: map[string]int{}, Documents: []DocumentContents{}}
	for name := range s.Schemas {
		c.Rows[name] = s.Len(name)
	}
	cols, err := columns(s, "documents", "document_id", "title", "election_id")
	if err != nil {
		return Contents{}, err
	}
	ids, titles, elections := cols[0], cols[1], cols[2]
	byID := map[string]*DocumentContents{}
	for i, id := range ids {
		d := DocumentContents{DocumentID: id, PassagesByKind: map[string]int{}}
		if titles != nil {
			d.Title = titles[i]
		}
		if elections != nil {
			d.ElectionID = elections[i]
		}
		c.Documents = append(c.Documents, d)
	}
	sort.Slice(c.Documents, func(i, j int) bool { return c.Documents[i].DocumentID < c.Documents[j].DocumentID })
	for i := range c.Documents {
		byID[c.Documents[i].DocumentID] = &c.Documents[i]
	}
	if t := s.Schemas["passages"]; t != nil && t.FieldIndex("document_id") >= 0 {
		di, ki := t.FieldIndex("document_id"), t.FieldIndex("kind")
		names := []string{"document_id"}
		if ki >= 0 {
			names = append(names, "kind")
		}
		for r, err := range s.Columns("passages", names...) {
			if err != nil {
				return Contents{}, fmt.Errorf("changes: %w", err)
			}
			kind := ""
			if ki >= 0 {
				kind = keyText(cellAt(r, ki))
				c.PassagesByKind[kind]++
			}
			if d := byID[keyText(cellAt(r, di))]; d != nil {
				d.Passages++
				if ki >= 0 {
					d.PassagesByKind[kind]++
				}
			}
		}
	}
	for _, x := range []struct {
		table string
		count func(*DocumentContents)
	}{
		{"scores", func(d *DocumentContents) { d.Scores++ }},
		{"document_parties", func(d *DocumentContents) { d.Parties++ }},
	} {
		docs, err := columns(s, x.table, "document_id")
		if err != nil {
			return Contents{}, err
		}
		for _, doc := range docs[0] {
			if d := byID[doc]; d != nil {
				x.count(d)
			}
		}
	}
	return c, nil
}
