package check

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// The three copies of a table are read in lockstep, one row of each at a time, so that a table
// never has to fit in memory. The copies are written by one writer from the same rows in the same
// order, so the rows of a step nearly always have the same key; rows that do not (a row missing,
// added or re-keyed in one copy) wait in a small window until their counterpart comes, and what is
// still unmatched when the window is full, or at the end, is reported as missing or extra.
const (
	// matchWindow is how many unmatched rows a comparison of two copies holds at most. A row
	// found late still matches (a row moved, or a few rows missing, cost a few rows of memory);
	// when more rows than this are unmatched at once (a block of rows moved, or a copy of other
	// rows), the oldest is reported as not found near its place, and is looked for no further.
	matchWindow = 1024
	// maxListed is how many differing rows a comparison of two copies (and how many misplaced
	// runs the order check of a copy) lists; the rest are counted in one finding.
	maxListed = 100
)

// copyScan is one copy (one format) of a table being read.
type copyScan struct {
	format publish.Format
	path   string
	next   func() ([]any, error, bool)
	row    []any // the row of the current step; nil when the copy has ended or failed
	n      int   // rows read so far
	err    error // why the copy could not be read
	ended  bool
	order  *orderWatch // passages only
	inRun  bool        // the order watch's verdict on the current row's run
}

func (c *copyScan) live() bool { return !c.ended && c.err == nil }

// pull reads the copy's next row.
func (c *copyScan) pull() {
	c.row = nil
	if !c.live() {
		return
	}
	row, err, ok := c.next()
	switch {
	case !ok:
		c.ended = true
	case err != nil:
		c.err = err
	default:
		c.row = row
		c.n++
		if c.order != nil {
			c.inRun = c.order.observe(row)
		}
	}
}

// chunkRows is how many rows a copy's reader decodes ahead in one go (see readAhead).
const chunkRows = 256

// readAhead runs a scan in a goroutine of its own, up to three chunks of rows ahead of its
// reader, so that decoding a copy (JSON above all) uses the second core while the rows are
// checked. It yields the scan's rows and error in the scan's order. When the reader stops early,
// it waits for the goroutine to stop too, so no file stays open.
func readAhead(scan iter.Seq2[[]any, error]) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		type chunk struct {
			rows [][]any
			err  error
		}
		ch := make(chan chunk, 2)
		done := make(chan struct{})
		defer func() {
			close(done)
			for range ch { // until the goroutine has returned
			}
		}()
		go func() {
			defer close(ch)
			send := func(c chunk) bool {
				select {
				case ch <- c:
					return true
				case <-done:
					return false
				}
			}
			rows := make([][]any, 0, chunkRows)
			for row, err := range scan {
				if err != nil {
					send(chunk{rows: rows, err: err})
					return
				}
				if rows = append(rows, row); len(rows) == chunkRows {
					if !send(chunk{rows: rows}) {
						return
					}
					rows = make([][]any, 0, chunkRows)
				}
			}
			if len(rows) > 0 {
				send(chunk{rows: rows})
			}
		}()
		for c := range ch {
			for _, r := range c.rows {
				if !yield(r, nil) {
					return
				}
			}
			if c.err != nil {
				yield(nil, c.err)
				return
			}
		}
	}
}

// table reads the three copies of one table in lockstep: each row of the checked copy (the first
// copy that is readable) goes to the checker once, and is compared with the rows of the other
// copies. The rows of the small tables are kept for the dataset rules; passages go to the
// document runs (see passageRuns) and are dropped once their document is checked.
func (f *folder) table(ctx context.Context, name string) error {
	t := f.set[name]
	copies := make([]*copyScan, len(publish.Formats))
	for i, format := range publish.Formats {
		path := publish.Path(f.dir, format, name)
		next, stop := iter.Pull2(readAhead(publish.Scan(path, format, t)))
		defer stop()
		copies[i] = &copyScan{format: format, path: path, next: next}
		if name == "passages" {
			copies[i].order = newOrderWatch(f, t, f.rel(path))
		}
	}
	matchers := make([]*matcher, len(copies)) // matchers[i] compares copy i with the checked copy
	for i := range copies {
		matchers[i] = newMatcher(t, f.rel(copies[i].path))
	}
	base := 0 // the checked copy: the first that has not failed
	rows := 0
	for step := 0; ; step++ {
		if step%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		live := false
		for _, c := range copies {
			if c.live() {
				live = true
				c.pull()
			}
		}
		if !live {
			break
		}
		// A checked copy that fails gives way to the next readable one, from this step on. The
		// rows before went to the checker from the failed copy; the comparison of the two is
		// dropped with it (an unreadable copy is reported as that only), and the third copy's
		// comparison goes on against the new one.
		for base < len(copies) && copies[base].err != nil {
			base++
		}
		var b []any
		if base < len(copies) {
			if b = copies[base].row; b != nil {
				rows++
				f.take(name, b, copies[base].inRun)
			}
		}
		for i, c := range copies {
			if i > base && c.err == nil {
				matchers[i].step(b, c.row)
			}
		}
	}
	for _, c := range copies {
		f.chk.Check(c.err == nil, f.readFinding(name, c.path, c.err))
		if c.order != nil && c.err == nil {
			c.order.flush()
		}
	}
	if name == "passages" {
		f.runs.end()
	}
	if base == len(copies) {
		return nil
	}
	for i, c := range copies {
		if i > base && c.err == nil {
			matchers[i].flush(f.chk, copies[base].format, c.format)
		}
	}
	if copies[0].format == publish.FormatParquet && copies[0].err == nil {
		f.parquetMeta(name)
	}
	f.counts[name] = rows
	return nil
}

// take checks one row of the checked copy and keeps it (small tables) or hands it to the
// document runs (passages).
func (f *folder) take(name string, row []any, inRun bool) {
	f.chk.Row(name, model.Cells(row))
	if name == "passages" {
		f.runs.add(row, inRun)
		return
	}
	f.rows[name] = append(f.rows[name], row)
}

// matcher compares one copy of a table with the checked copy, row by row, and collects the
// differences until the table has been read: a copy that turns out unreadable is reported as
// that only, so its differences are dropped with it.
type matcher struct {
	t      *schemas.Table
	keys   []int  // the primary key's column indexes
	file   string // the other copy's file, as findings name it
	waitB  map[string][]pending
	waitO  map[string][]pending
	queue  []waiting // every row put in waitB or waitO, oldest first; matched ones are skipped
	nwait  int
	seq    int64
	passes int64
	diffs  []diff // of the first maxListed differing rows
	rowsD  int    // differing rows, listed or not
	// far says that the window overflowed: a row reported missing may then be one that was
	// given up on, so every missing or extra row is reported as not found near its place.
	far bool
}

type pending struct {
	seq int64
	row []any
}

type waiting struct {
	other bool // in waitO (a row of the other copy), not waitB
	key   string
	seq   int64
}

type diffKind uint8

const (
	onlyInBase  diffKind = iota + 1 // the row is in the checked copy, not in the other
	onlyInOther                     // the row is in the other copy, not in the checked one
	valueDiffers
)

type diff struct {
	kind        diffKind
	key         string
	field       int
	base, other string // rendered values (valueDiffers)
}

func newMatcher(t *schemas.Table, file string) *matcher {
	return &matcher{t: t, keys: keyColumns(t), file: file, waitB: map[string][]pending{}, waitO: map[string][]pending{}}
}

func (m *matcher) key(row []any) string { return keyOf(m.keys, row) }

// keyColumns are the indexes of t's primary-key columns.
func keyColumns(t *schemas.Table) []int {
	var keys []int
	for _, k := range t.PrimaryKey {
		if i := t.FieldIndex(k); i >= 0 {
			keys = append(keys, i)
		}
	}
	return keys
}

// keyOf renders the primary key of a row read from a file (its columns joined by "/").
func keyOf(keys []int, row []any) string {
	if len(keys) == 1 && keys[0] < len(row) {
		return render(row[keys[0]])
	}
	parts := make([]string, 0, len(keys))
	for _, i := range keys {
		if i < len(row) {
			parts = append(parts, render(row[i]))
		}
	}
	return strings.Join(parts, "/")
}

// step takes the rows of one step: b of the checked copy, o of the other (either nil when that
// copy has ended).
func (m *matcher) step(b, o []any) {
	switch {
	case b != nil && o != nil:
		kb, ko := m.key(b), m.key(o)
		if kb == ko {
			m.compare(kb, b, o)
			return
		}
		m.arrive(false, kb, b)
		m.arrive(true, ko, o)
	case b != nil:
		m.arrive(false, m.key(b), b)
	case o != nil:
		m.arrive(true, m.key(o), o)
	}
	for m.nwait > matchWindow {
		m.far = true
		m.evict()
	}
}

// arrive matches a row with a waiting row of the same key from the other side, or makes it wait.
func (m *matcher) arrive(other bool, k string, row []any) {
	mine, theirs := m.waitB, m.waitO
	if other {
		mine, theirs = m.waitO, m.waitB
	}
	if w := theirs[k]; len(w) > 0 {
		if len(w) == 1 {
			delete(theirs, k)
		} else {
			theirs[k] = w[1:]
		}
		m.nwait--
		if other {
			m.compare(k, w[0].row, row)
		} else {
			m.compare(k, row, w[0].row)
		}
		return
	}
	m.seq++
	mine[k] = append(mine[k], pending{seq: m.seq, row: row})
	m.queue = append(m.queue, waiting{other: other, key: k, seq: m.seq})
	m.nwait++
	if len(m.queue) > 2*m.nwait+matchWindow {
		m.compact()
	}
}

// still reports whether the queue entry w still waits.
func (m *matcher) still(w waiting) bool {
	side := m.waitB
	if w.other {
		side = m.waitO
	}
	l := side[w.key]
	return len(l) > 0 && l[0].seq == w.seq
}

// compact drops the queue entries of rows that found their counterpart.
func (m *matcher) compact() {
	m.queue = slices.DeleteFunc(m.queue, func(w waiting) bool { return !m.still(w) })
}

// evict reports the oldest waiting row as missing from the other side.
func (m *matcher) evict() {
	for len(m.queue) > 0 {
		w := m.queue[0]
		m.queue = m.queue[1:]
		if !m.still(w) {
			continue
		}
		side := m.waitB
		kind := onlyInBase
		if w.other {
			side, kind = m.waitO, onlyInOther
		}
		if l := side[w.key]; len(l) == 1 {
			delete(side, w.key)
		} else {
			side[w.key] = l[1:]
		}
		m.nwait--
		m.differ([]diff{{kind: kind, key: w.key}})
		return
	}
}

// compare compares two rows of the same key, b of the checked copy and o of the other.
func (m *matcher) compare(k string, b, o []any) {
	m.passes += 2 // the row is in both copies
	var ds []diff
	for i := range m.t.Fields {
		var x, y any
		if i < len(b) {
			x = b[i]
		}
		if i < len(o) {
			y = o[i]
		}
		if same(x, y) {
			m.passes++
			continue
		}
		ds = append(ds, diff{kind: valueDiffers, key: k, field: i, base: render(x), other: render(y)})
	}
	if ds != nil {
		m.differ(ds)
	}
}

// differ records the differences of one row, when it is among the first maxListed.
func (m *matcher) differ(ds []diff) {
	m.rowsD++
	if m.rowsD <= maxListed {
		m.diffs = append(m.diffs, ds...)
	}
}

// flush reports what the comparison found, once both copies have been read: baseFormat is the
// checked copy's format, other the compared one's.
func (m *matcher) flush(chk *validate.Checker, baseFormat, other publish.Format) {
	for m.nwait > 0 {
		m.evict()
	}
	for range m.passes {
		chk.Check(true, validate.Finding{})
	}
	name := m.t.Name
	for _, d := range m.diffs {
		f := validate.Finding{Rule: "rule.formats_agree", Severity: validate.Error, Table: name, Key: d.key, Source: m.file}
		switch {
		case d.kind == onlyInBase && m.far:
			f.Message = fmt.Sprintf(nearMsg, baseFormat, other, matchWindow)
		case d.kind == onlyInOther && m.far:
			f.Message = fmt.Sprintf(nearMsg, other, baseFormat, matchWindow)
		case d.kind == onlyInBase:
			f.Message = fmt.Sprintf("row is in the %s file but not in %s", baseFormat, other)
		case d.kind == onlyInOther:
			f.Message = fmt.Sprintf("row is in the %s file but not in %s", other, baseFormat)
		default:
			f.Field, f.Value = m.t.Fields[d.field].Name, d.other
			f.Message = fmt.Sprintf("%s holds %s, the %s file %s", other, short(d.other), baseFormat, short(d.base))
		}
		chk.Check(false, f)
	}
	if n := m.rowsD - maxListed; n > 0 {
		chk.Check(false, validate.Finding{Rule: "rule.formats_agree", Severity: validate.Error, Table: name, Source: m.file,
			Value: strconv.Itoa(n), Message: fmt.Sprintf("%d more rows differ between the %s and %s files; the first %d are listed", n, baseFormat, other, maxListed)})
	}
}

// nearMsg is the message of a row missing or extra where the comparison had to give up on rows.
const nearMsg = "row is in the %s file but not in %s near its place (more than %d rows differ at once there, so it was not looked for further)"

// same reports whether two canonical cells hold the same value (reflect.DeepEqual, without
// reflection for the common cell types).
func same(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case *string:
		y, ok := b.(*string)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case *int64:
		y, ok := b.(*int64)
		return ok && (x == nil) == (y == nil) && (x == nil || *x == *y)
	case []string:
		y, ok := b.([]string)
		return ok && (x == nil) == (y == nil) && slices.Equal(x, y)
	}
	return reflect.DeepEqual(a, b)
}

// orderWatch checks that a copy of passages is grouped by document, in document-id order: the
// order is part of the published dataset's contract, and the document runs depend on it.
type orderWatch struct {
	f      *folder
	keys   []int
	file   string
	field  int // document_id
	n      int // rows seen
	cur    string
	max    string
	ok     bool            // the current run is in its place
	seen   map[string]bool // documents whose run has ended
	listed int
}

func newOrderWatch(f *folder, t *schemas.Table, file string) *orderWatch {
	return &orderWatch{f: f, keys: keyColumns(t), file: file, field: t.FieldIndex("document_id"), seen: map[string]bool{}}
}

// observe takes the next row and says whether its run of passages is in its place.
func (w *orderWatch) observe(row []any) bool {
	w.n++
	id := ""
	if w.field >= 0 && w.field < len(row) {
		id = render(row[w.field])
	}
	if w.n > 1 && id == w.cur {
		return w.ok
	}
	prev := w.cur
	if w.n > 1 {
		w.seen[prev] = true
	}
	w.cur, w.ok = id, true
	var msg string
	switch {
	case w.n == 1:
	case w.seen[id]:
		msg = fmt.Sprintf("row %d: passages of document %s come again after those of document %s", w.n, id, prev)
	case id < w.max:
		msg = fmt.Sprintf("row %d: the passages of document %s come after those of document %s", w.n, id, w.max)
	}
	if id > w.max {
		w.max = id
	}
	if msg == "" {
		return true
	}
	w.ok = false
	w.listed++
	if w.listed <= maxListed {
		w.f.chk.Check(false, validate.Finding{Rule: "file.passages_order", Severity: validate.Error, Table: "passages", Key: keyOf(w.keys, row), Field: "document_id", Value: id, Source: w.file,
			Message: msg + ": the passages table is grouped by document, in document-id order; rebuild the folder (passages out of place are not checked against the dataset rules and the raw text)"})
	}
	return false
}

// flush reports the misplaced runs that were not listed, and counts the check of a copy in order.
func (w *orderWatch) flush() {
	if n := w.listed - maxListed; n > 0 {
		w.f.chk.Check(false, validate.Finding{Rule: "file.passages_order", Severity: validate.Error, Table: "passages", Source: w.file, Value: strconv.Itoa(n),
			Message: fmt.Sprintf("%d more runs of passages are out of place; the first %d are listed", n, maxListed)})
	}
	if w.listed == 0 {
		w.f.chk.Check(true, validate.Finding{})
	}
}
