package codebook

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"math/bits"
	"sort"

	"github.com/standpunten/standpunten/schemas"
)

// The statistics of a table are gathered in one pass over its rows, keeping per column only what
// the codebook prints: null and empty counts, the range, the `examples` smallest distinct values,
// value counts while they may still be printed, and the number of distinct values. Memory per
// column is bounded by maxCounted and examples, except for the distinct set (see distinctSet)
// and the value counts of an enum column, which hold every value found (the codebook lists them
// all; a valid table holds only the enum's).

// distinctSet counts distinct values: exactly up to exactDistinct of them, then as an estimate
// (a HyperLogLog sketch), so that its memory is bounded whatever the table's size. Exactly, it
// holds integers as themselves (8 bytes a value) and any other value (strings, dates and numbers
// by their text, list elements) as the first 128 bits of its SHA-256 (16 bytes a value), in Go
// maps: with the map's control bytes and free slots about 10 to 20 bytes per distinct integer and
// 19 to 39 (about 26 on average) per distinct other value, so at most about 3.5 MB a column. Two
// different texts count as one only if their SHA-256 sums share their first 128 bits, which for
// any real table is never. Past exactDistinct values the sets are folded into a sketch of 2^14
// one-byte registers (16 KB a column), whose estimate has a standard error of about 0.8%; the
// codebook then says "about".
type distinctSet struct {
	ints   map[int64]struct{}
	hashes map[[16]byte]struct{}
	buf    []byte
	sketch *hll // non-nil once past exactDistinct
}

// exactDistinct is the most distinct values a column is counted exactly for.
const exactDistinct = 1 << 17

func (s *distinctSet) addInt(v int64) {
	if s.sketch != nil {
		s.sketch.add(mix64(uint64(v)))
		return
	}
	if s.ints == nil {
		s.ints = map[int64]struct{}{}
	}
	s.ints[v] = struct{}{}
	s.fold()
}

func (s *distinctSet) addText(text string) {
	s.buf = append(s.buf[:0], text...)
	sum := sha256.Sum256(s.buf)
	if s.sketch != nil {
		s.sketch.add(binary.BigEndian.Uint64(sum[:8]))
		return
	}
	if s.hashes == nil {
		s.hashes = map[[16]byte]struct{}{}
	}
	s.hashes[[16]byte(sum[:16])] = struct{}{}
	s.fold()
}

// fold turns the exact sets into the sketch once they hold more than exactDistinct values.
func (s *distinctSet) fold() {
	if len(s.ints)+len(s.hashes) <= exactDistinct {
		return
	}
	s.sketch = newHLL()
	for v := range s.ints {
		s.sketch.add(mix64(uint64(v)))
	}
	for h := range s.hashes {
		s.sketch.add(binary.BigEndian.Uint64(h[:8]))
	}
	s.ints, s.hashes = nil, nil
}

// len is the number of distinct values, and whether it is an estimate.
func (s *distinctSet) len() (int, bool) {
	if s.sketch != nil {
		return s.sketch.estimate(), true
	}
	return len(s.ints) + len(s.hashes), false
}

// mix64 spreads an integer's bits over all 64 (the finalizer of SplitMix64), so that integers
// in a run fall into different registers of the sketch.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hll is a HyperLogLog sketch (Flajolet, Fusy, Gandouet and Meunier, 2007) of 2^hllBits registers
// over 64-bit hashes: each register keeps the longest run of leading zeros (plus one) seen in the
// hashes whose first hllBits bits pick it.
type hll struct{ reg []uint8 }

const hllBits = 14

func newHLL() *hll { return &hll{reg: make([]uint8, 1<<hllBits)} }

func (h *hll) add(x uint64) {
	i := x >> (64 - hllBits)
	rank := uint8(bits.LeadingZeros64(x<<hllBits|1<<(hllBits-1))) + 1
	if rank > h.reg[i] {
		h.reg[i] = rank
	}
}

// estimate is the raw HyperLogLog estimate with the small-range correction (linear counting
// while registers are still empty); the sketch is only used past exactDistinct values, far above
// the range where the raw estimate is biased.
func (h *hll) estimate() int {
	m := float64(len(h.reg))
	sum, zeros := 0.0, 0
	for _, r := range h.reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return int(math.Round(e))
}

// counted is one value's row count, with the value as a cell to order the counts by.
type counted struct {
	c cell
	n int
}

// columnAcc gathers one column's statistics row by row.
type columnAcc struct {
	field schemas.Field
	arrow string
	enum  bool

	nulls, empty int
	occurrences  int                 // non-null, non-empty values (for lists: distinct elements per row, summed)
	freq         map[string]*counted // value (list element) counts; nil once more than maxCounted distinct values were seen in a column without an enum
	set          distinctSet         // the distinct values once freq is nil
	least        []cell              // the smallest distinct values (for lists: whole lists by their text), sorted, at most examples
	min, max     cell
	hasRange     bool
}

func newColumnAcc(f schemas.Field, arrow string) *columnAcc {
	return &columnAcc{field: f, arrow: arrow, enum: len(f.Constraints.Enum) > 0, freq: map[string]*counted{}}
}

// ranged reports whether the column's type has a range (min and max) in the codebook.
func ranged(typ string) bool {
	return typ == schemas.TypeInteger || typ == schemas.TypeNumber || typ == schemas.TypeDate
}

func (a *columnAcc) add(c cell) {
	typ := a.field.Type
	switch {
	case c.null:
		a.nulls++
		return
	case typ == schemas.TypeArray && len(c.elems) == 0, typ == schemas.TypeString && c.text == "":
		a.empty++
		return
	}
	a.keepLeast(c)
	if ranged(typ) {
		if !a.hasRange {
			a.min, a.max, a.hasRange = c, c, true
		} else {
			if less(typ, c, a.min) {
				a.min = c
			}
			if less(typ, a.max, c) {
				a.max = c
			}
		}
	}
	if typ != schemas.TypeArray {
		a.occurrences++
		a.see(c)
		return
	}
	for i, e := range c.elems {
		if repeats(c.elems[:i], e) {
			continue
		}
		a.occurrences++
		a.see(cell{text: e})
	}
}

// repeats reports whether e is among earlier (the elements of a list before it).
func repeats(earlier []string, e string) bool {
	for _, x := range earlier {
		if x == e {
			return true
		}
	}
	return false
}

// see counts one value: in freq while value counts may still be printed, else in the set.
func (a *columnAcc) see(c cell) {
	if a.freq != nil {
		if e, ok := a.freq[c.text]; ok {
			e.n++
			return
		}
		if a.enum || len(a.freq) < maxCounted {
			a.freq[c.text] = &counted{c: c, n: 1}
			return
		}
		// One more distinct value than value counts are printed for: from here on only the
		// number of distinct values is needed.
		for _, e := range a.freq {
			a.setAdd(e.c)
		}
		a.freq = nil
	}
	a.setAdd(c)
}

func (a *columnAcc) setAdd(c cell) {
	if a.field.Type == schemas.TypeInteger {
		a.set.addInt(c.i)
		return
	}
	a.set.addText(c.text)
}

// keepLeast keeps c if it is among the `examples` smallest distinct values seen.
func (a *columnAcc) keepLeast(c cell) {
	typ := a.field.Type
	for _, x := range a.least {
		if x.text == c.text {
			return
		}
	}
	if len(a.least) == examples && !less(typ, c, a.least[len(a.least)-1]) {
		return
	}
	i := sort.Search(len(a.least), func(i int) bool { return less(typ, c, a.least[i]) })
	if len(a.least) < examples {
		a.least = append(a.least, cell{})
	}
	copy(a.least[i+1:], a.least[i:])
	a.least[i] = c
}

// distinct is the number of distinct values, and whether it is an estimate.
func (a *columnAcc) distinct() (int, bool) {
	if a.freq != nil {
		return len(a.freq), false
	}
	return a.set.len()
}

// stats is what the codebook prints about the column after rows rows.
func (a *columnAcc) stats(rows int) *columnStats {
	f := a.field
	cs := &columnStats{field: f, arrow: a.arrow, rows: rows, nulls: a.nulls, empty: a.empty}
	cs.distinct, cs.estimated = a.distinct()
	if a.hasRange {
		cs.min, cs.max = a.min.text, a.max.text
	}
	if a.enum || (cs.distinct <= maxCounted && cs.distinct < a.occurrences) {
		// freq is never dropped for an enum column or at most maxCounted distinct values.
		freq := a.freq
		for _, v := range f.Constraints.Enum {
			if _, ok := freq[v]; !ok {
				freq[v] = &counted{c: cell{text: v}}
			}
		}
		cs.counts = make([]count, 0, len(freq))
		cells := make(map[string]cell, len(freq))
		for v, e := range freq {
			cs.counts = append(cs.counts, count{v, e.n})
			cells[v] = e.c
		}
		sort.Slice(cs.counts, func(i, j int) bool {
			x, y := cs.counts[i], cs.counts[j]
			if x.n != y.n {
				return x.n > y.n
			}
			// Values found are ordered as values (numbers by value); an enum's values with no
			// row, and list elements, by their text.
			if x.n > 0 && y.n > 0 && f.Type != schemas.TypeArray {
				return less(f.Type, cells[x.value], cells[y.value])
			}
			return x.value < y.value
		})
		return cs
	}
	for _, c := range a.least {
		cs.examples = append(cs.examples, c.text)
	}
	return cs
}

// describe reads a table's rows once and gathers its statistics, and the cross-tabulations'
// counts from the tables they need.
func describe(t *schemas.Table, rows iter.Seq2[[]any, error], xt *crossAcc) (*tableStats, error) {
	accs := make([]*columnAcc, len(t.Fields))
	for ci, f := range t.Fields {
		arrow, err := ArrowType(f.Type)
		if err != nil {
			return nil, fmt.Errorf("codebook: table %s, column %s: %w", t.Name, f.Name, err)
		}
		accs[ci] = newColumnAcc(f, arrow)
	}
	cells := make([]cell, len(t.Fields))
	n := 0
	for r, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("codebook: table %s, after row %d: %w", t.Name, n, err)
		}
		n++
		if len(r) != len(t.Fields) {
			return nil, fmt.Errorf("codebook: table %s, row %d: %d cells, the schema has %d columns", t.Name, n, len(r), len(t.Fields))
		}
		for ci, f := range t.Fields {
			c, err := decode(f, r[ci])
			if err != nil {
				return nil, fmt.Errorf("codebook: table %s, row %d, column %s: %w", t.Name, n, f.Name, err)
			}
			cells[ci] = c
			accs[ci].add(c)
		}
		xt.row(t.Name, cells)
	}
	ts := &tableStats{schema: t, rows: n}
	for _, a := range accs {
		ts.columns = append(ts.columns, a.stats(n))
	}
	return ts, nil
}

// crossAcc counts passages per (kind, document) and per (party, document) as the passages go by,
// and collects the labels: documents and parties from their own tables and from the passages.
type crossAcc struct {
	docID, partyID              int // documents.document_id, parties.party_id
	passDoc, passKind, passPart int // passages.document_id, .kind, .party_id

	docs, parties map[string]bool
	kinds         []string
	kindSeen      map[string]bool
	byKind        map[[2]string]int
	byParty       map[[2]string]int
}

func newCrossAcc(set schemas.Set) (*crossAcc, error) {
	idx := func(table, name string) (int, error) {
		i := set[table].FieldIndex(name)
		if i < 0 {
			return 0, fmt.Errorf("codebook: cross-tabulation needs column %s.%s, which the schema lacks", table, name)
		}
		return i, nil
	}
	x := &crossAcc{docs: map[string]bool{}, parties: map[string]bool{}, kindSeen: map[string]bool{},
		byKind: map[[2]string]int{}, byParty: map[[2]string]int{}}
	for _, c := range []struct {
		to          *int
		table, name string
	}{
		{&x.docID, "documents", "document_id"}, {&x.partyID, "parties", "party_id"},
		{&x.passDoc, "passages", "document_id"}, {&x.passKind, "passages", "kind"}, {&x.passPart, "passages", "party_id"},
	} {
		i, err := idx(c.table, c.name)
		if err != nil {
			return nil, err
		}
		*c.to = i
	}
	for _, k := range set["passages"].Fields[x.passKind].Constraints.Enum {
		x.addKind(k)
	}
	return x, nil
}

func (x *crossAcc) addKind(k string) {
	if !x.kindSeen[k] {
		x.kindSeen[k] = true
		x.kinds = append(x.kinds, k)
	}
}

// row takes one decoded row of table.
func (x *crossAcc) row(table string, cells []cell) {
	switch table {
	case "documents":
		if c := cells[x.docID]; !c.null {
			x.docs[c.text] = true
		}
	case "parties":
		if c := cells[x.partyID]; !c.null {
			x.parties[c.text] = true
		}
	case "passages":
		d, k := cells[x.passDoc].text, cells[x.passKind].text
		p := cells[x.passPart].text
		if cells[x.passPart].null || p == "" {
			p = noParty
		}
		x.byKind[[2]string{k, d}]++
		x.byParty[[2]string{p, d}]++
		x.docs[d] = true
		x.addKind(k)
		if p != noParty {
			x.parties[p] = true
		}
	}
}

// tabs are the cross-tabulations: documents in sorted order as columns, kinds in the schema's
// enum order (then any other kind in the order found) and parties in sorted order, then passages
// without a party, as rows.
func (x *crossAcc) tabs() []crossTab {
	docs := sortedKeys(x.docs)
	parties := append(sortedKeys(x.parties), noParty)
	fill := func(rowLabels []string, m map[[2]string]int) [][]int {
		cells := make([][]int, len(rowLabels))
		for i, r := range rowLabels {
			cells[i] = make([]int, len(docs))
			for j, d := range docs {
				cells[i][j] = m[[2]string{r, d}]
			}
		}
		return cells
	}
	return []crossTab{
		{
			title:     "Passages per kind per document",
			intro:     "Rows of `passages` by `kind` (rows) and `document_id` (columns).",
			corner:    "kind",
			rowLabels: x.kinds, colLabels: docs, cells: fill(x.kinds, x.byKind),
		},
		{
			title:     "Passages per party per document",
			intro:     "Rows of `passages` by `party_id` (rows; every party in `parties`, then passages that belong to no party) and `document_id` (columns). A party with 0 passages in a document may still be covered by it: see `document_parties.note`.",
			corner:    "party_id",
			rowLabels: parties, colLabels: docs, cells: fill(parties, x.byParty),
		},
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
