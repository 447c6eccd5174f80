package publish

import "iter"

// Tables is a source of table rows as canonical cells in schema column order, read one row at a
// time, so that a consumer (the codebook, the pages, the diff) can work over a release whose
// biggest table does not fit in memory. Rows of a table it does not hold yields nothing; Len is
// its number of rows (0 for a table it does not hold).
type Tables interface {
	Rows(table string) iter.Seq2[[]any, error]
	Len(table string) int
}

// MemTables holds every table's rows in memory.
type MemTables map[string][][]any

// Rows yields the rows of the table in order.
func (m MemTables) Rows(table string) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for _, r := range m[table] {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Len is the table's number of rows.
func (m MemTables) Len(table string) int { return len(m[table]) }
