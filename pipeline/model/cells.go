package model

import "fmt"

// Cells is a row read back from a published file: its cells in the column order of the table
// schema, as the publish readers return them. It implements Row, so read rows can be checked
// like built ones.
type Cells []any

// Values implements Row.
func (c Cells) Values() []any { return c }

// cellReader takes typed cells off a row in order and remembers the first type mismatch.
type cellReader struct {
	v   []any
	i   int
	err error
}

func take[T any](r *cellReader) T {
	var zero T
	if r.err != nil {
		return zero
	}
	if r.i >= len(r.v) {
		r.err = fmt.Errorf("row has %d cells, want more", len(r.v))
		return zero
	}
	x, ok := r.v[r.i].(T)
	if !ok {
		r.err = fmt.Errorf("cell %d is %T, want %T", r.i+1, r.v[r.i], zero)
	}
	r.i++
	return x
}

func (r *cellReader) done() error {
	if r.err == nil && r.i != len(r.v) {
		r.err = fmt.Errorf("row has %d cells, want %d", len(r.v), r.i)
	}
	return r.err
}

// DocumentFromCells rebuilds a Document from cells in the order Document.Values gives them.
func DocumentFromCells(v []any) (Document, error) {
	r := &cellReader{v: v}
	d := Document{ID: take[string](r), Title: take[string](r), Format: Format(take[string](r)), ElectionID: take[string](r),
		Topic: take[string](r), Language: take[string](r), Published: take[*Date](r), Publisher: deref(take[*string](r)),
		SourceURL: deref(take[*string](r)), License: take[*string](r), Note: deref(take[*string](r)), RawPath: take[string](r),
		RawSHA256: take[string](r), RawBytes: take[int64](r), Encoding: take[string](r)}
	return d, r.done()
}

// PassageFromCells rebuilds a Passage from cells in the order Passage.Values gives them.
func PassageFromCells(v []any) (Passage, error) {
	r := &cellReader{v: v}
	p := Passage{ID: take[string](r), DocumentID: take[string](r), PartyID: take[*string](r), Kind: Kind(take[string](r)),
		Section: deref(take[*string](r)), Number: take[*int64](r), ParentID: take[*string](r), Seq: take[int64](r),
		Text: take[string](r), SourceStart: take[int64](r), SourceEnd: take[int64](r), SourceLine: take[int64](r),
		Flags: take[[]string](r)}
	if r.i < len(v) {
		// section_path came with schema 1.1.0; rows of older releases end with flags.
		p.SectionPath = take[[]string](r)
	}
	return p, r.done()
}

// ScoreFromCells rebuilds a Score from cells in the order Score.Values gives them.
func ScoreFromCells(v []any) (Score, error) {
	r := &cellReader{v: v}
	s := Score{DocumentID: take[string](r), PartyID: take[string](r), Score: take[float64](r), Question: take[string](r)}
	return s, r.done()
}

// DocumentPartyFromCells rebuilds a DocumentParty from cells in the order DocumentParty.Values
// gives them.
func DocumentPartyFromCells(v []any) (DocumentParty, error) {
	r := &cellReader{v: v}
	d := DocumentParty{DocumentID: take[string](r), PartyID: take[string](r), Passages: take[int64](r), Note: deref(take[*string](r))}
	return d, r.done()
}
