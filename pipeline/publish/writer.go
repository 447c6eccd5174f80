package publish

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// DefaultBatchRows is the number of rows per Arrow record batch and Parquet row group.
const DefaultBatchRows = 8192

// dictionaryLimit is the size of a Parquet dictionary page. A dictionary that would outgrow it
// falls back to PLAIN inside its column chunk, and arrow-go (v18.8.0) then writes the chunk's
// page encoding stats in Go map order, so the same rows could give different bytes; the writer
// ends a row group before that could happen.
const dictionaryLimit = 16 << 20

// plainSize is the most a value adds to a PLAIN-encoded dictionary: 4 bytes of length and the
// bytes of each string, 8 bytes for a number; a list, each of its elements.
func plainSize(x value) int64 {
	if x.null {
		return 0
	}
	n := int64(4 + len(x.s) + 8)
	for _, e := range x.list {
		n += int64(4 + len(e))
	}
	return n
}

// CreatedBy is the Parquet created_by of every file, fixed so that the bytes do not depend
// on the library version or the machine.
const CreatedBy = "standpunten"

// Keys of the Parquet key-value metadata (the Arrow schema metadata) of every file.
const (
	KeyDataset       = "standpunten.dataset"
	KeySchemaVersion = "standpunten.schema_version"
	KeyTable         = "standpunten.table"
)

// Format is a file format the tables are published in. It names both the folder inside an
// output folder and the file extension: <dir>/<format>/<table>.<format>.
type Format string

// The published formats.
const (
	FormatParquet Format = "parquet"
	FormatCSV     Format = "csv"
	FormatJSON    Format = "json"
)

// Formats lists the formats in the order they are written.
var Formats = []Format{FormatParquet, FormatCSV, FormatJSON}

// Path is where the writer puts a table in the given format below dir.
func Path(dir string, format Format, table string) string {
	return filepath.Join(dir, string(format), table+"."+string(format))
}

// Meta is written into the Parquet key-value metadata of every table.
type Meta struct {
	Dataset       string // KeyDataset
	SchemaVersion string // KeySchemaVersion; empty means the version of the schema set
}

// Writer writes the tables of one output folder. It is safe to write different tables from
// different goroutines; each TableWriter is for one goroutine.
type Writer struct {
	// BatchRows is the number of rows per Arrow record batch and Parquet row group; 0 means
	// DefaultBatchRows. Set it before calling Table.
	BatchRows int

	dir  string
	set  schemas.Set
	meta Meta

	mu     sync.Mutex
	opened map[string]bool
}

// NewWriter prepares dir/parquet, dir/csv and dir/json. dir is normally a Staging.Dir.
func NewWriter(dir string, set schemas.Set, meta Meta) (*Writer, error) {
	version := set.Version()
	if meta.SchemaVersion == "" {
		meta.SchemaVersion = version
	} else if meta.SchemaVersion != version {
		return nil, fmt.Errorf("publish: schema version %q differs from the schemas' %q", meta.SchemaVersion, version)
	}
	for _, f := range Formats {
		if err := os.MkdirAll(filepath.Join(dir, string(f)), 0o755); err != nil {
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	return &Writer{dir: dir, set: set, meta: meta, opened: map[string]bool{}}, nil
}

// Table starts writing the named table. Each table can be written once per Writer, and its
// files must not exist yet.
func (w *Writer) Table(name string) (*TableWriter, error) {
	t, ok := w.set[name]
	if !ok {
		names := make([]string, 0, len(w.set))
		for n := range w.set {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("publish: unknown table %q (known: %s)", name, strings.Join(names, ", "))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.opened[name] {
		return nil, fmt.Errorf("publish %s: table is already being written", name)
	}
	batch := w.BatchRows
	if batch <= 0 {
		batch = DefaultBatchRows
	}
	tw, err := newTableWriter(w.dir, t, w.meta, batch)
	if err != nil {
		return nil, err
	}
	w.opened[name] = true
	return tw, nil
}

// TableWriter streams the rows of one table into its Parquet, CSV and JSON files.
type TableWriter struct {
	table *schemas.Table
	cols  []column
	batch int
	rows  int64
	err   error // sticky write error
	done  bool

	files  []*os.File // parquet, csv, json
	pqBuf  *bufio.Writer
	pq     *pqarrow.FileWriter
	rb     *array.RecordBuilder
	queued int // rows in rb
	// flushed is the number of rows of the batch flushed last, until the builders have made room
	// for the next (reserve); 0 after that.
	flushed int
	// A full record batch is encoded into Parquet (and compressed) on a goroutine of its own
	// while the next one is filled: pqJobs hands it over, pqDone says the goroutine's first
	// error once pqJobs is closed, and pqErr is that error as soon as it happens.
	pqJobs chan arrow.RecordBatch
	pqDone chan error
	pqMu   sync.Mutex
	pqErr  error
	csv    *bufio.Writer
	json   *bufio.Writer

	// dictCols marks the columns written with a dictionary, and dictBytes is, for each, how large
	// a PLAIN dictionary of the queued rows' values could be at most (every value distinct).
	dictCols  []bool
	dictBytes []int64
	// dataBytes is, per column, the text bytes of the last batch flushed (see reserve).
	dataBytes []int

	cells   []value  // checked cells of the current row
	keys    [][]byte // `"name":` per column
	line    []byte   // JSON object of the current row
	csvLine []byte   // CSV record of the current row
	field   []byte   // CSV text of one cell, before quoting
}

func newTableWriter(dir string, t *schemas.Table, meta Meta, batch int) (_ *TableWriter, err error) {
	cols, err := columnsOf(t)
	if err != nil {
		return nil, err
	}
	tw := &TableWriter{table: t, cols: cols, batch: batch, cells: make([]value, len(cols))}
	defer func() {
		if err != nil {
			_ = tw.closeFiles()
			for _, f := range tw.files {
				_ = os.Remove(f.Name())
			}
			err = fmt.Errorf("publish %s: %w", t.Name, err)
		}
	}()
	for _, f := range Formats {
		fh, err := os.OpenFile(Path(dir, f, t.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, err
		}
		tw.files = append(tw.files, fh)
	}

	schema := arrowSchema(t, cols, map[string]string{
		KeyDataset: meta.Dataset, KeySchemaVersion: meta.SchemaVersion, KeyTable: t.Name})
	opts := []parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		// A dictionary that outgrows its page falls back to PLAIN inside the column chunk, and
		// arrow-go then lists the chunk's page encodings from a Go map, in random order: the
		// same rows would give different bytes. So no fallback: columns of mostly distinct
		// values (keys, passage text) are written without a dictionary, where one would not pay
		// anyway, and the dictionaries of the others may grow large enough for a row group.
		parquet.WithDictionaryPageSizeLimit(dictionaryLimit),
		parquet.WithStats(true),
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithMaxRowGroupLength(int64(batch)),
	}
	tw.dictCols = make([]bool, len(cols))
	for i, f := range t.Fields {
		if f.Constraints.Unique || f.Name == "text" {
			opts = append(opts, parquet.WithDictionaryFor(f.Name, false))
		} else if i < len(cols) {
			tw.dictCols[i] = true
		}
	}
	tw.dictBytes = make([]int64, len(cols))
	tw.dataBytes = make([]int, len(cols))
	props := parquet.NewWriterProperties(opts...)
	// bufio.Writer has no Close, so the Parquet writer leaves the file to us.
	tw.pqBuf = bufio.NewWriterSize(tw.files[0], 1<<20)
	if tw.pq, err = pqarrow.NewFileWriter(schema, tw.pqBuf, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema())); err != nil {
		return nil, err
	}
	tw.rb = array.NewRecordBuilder(memory.DefaultAllocator, schema)

	// The CSV is written as encoding/csv writes it (appendCSVField), a record at a time.
	tw.csv = bufio.NewWriterSize(tw.files[1], 64<<10)
	for i, c := range cols {
		if i > 0 {
			tw.csvLine = append(tw.csvLine, ',')
		}
		tw.csvLine = appendCSVField(tw.csvLine, c.name)
	}
	tw.keys = jsonKeys(cols)
	if _, err := tw.csv.Write(append(tw.csvLine, '\n')); err != nil {
		return nil, err
	}
	tw.json = bufio.NewWriterSize(tw.files[2], 64<<10)
	return tw, nil
}

// RowError is a row that Append refused; nothing of it was written.
type RowError struct {
	Table  string
	Row    int64  // 1-based position the row would have had
	Column string // empty when the row as a whole is wrong
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("publish %s: row %d: %v", e.Table, e.Row, e.Err)
	}
	return fmt.Sprintf("publish %s: row %d: column %s: %v", e.Table, e.Row, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// Append checks a row against the schema and writes it. A row that does not fit (wrong
// number of values, a value of the wrong Go type, a null in a required column) is refused
// with a *RowError and leaves the files as they were; a write error ends the table.
func (t *TableWriter) Append(r model.Row) error {
	switch {
	case t.done:
		return fmt.Errorf("publish %s: Append after Close", t.table.Name)
	case t.err != nil:
		return t.err
	}
	n := t.rows + 1
	if r == nil {
		return &RowError{Table: t.table.Name, Row: n, Err: errors.New("nil row")}
	}
	vals := r.Values()
	if len(vals) != len(t.cols) {
		return &RowError{Table: t.table.Name, Row: n,
			Err: fmt.Errorf("%d values, want %d (%s)", len(vals), len(t.cols), t.columnNames())}
	}
	for i, c := range t.cols {
		x, err := c.cell(vals[i])
		if err != nil {
			return &RowError{Table: t.table.Name, Row: n, Column: c.name, Err: err}
		}
		t.cells[i] = x
	}
	if err := t.write(); err != nil {
		t.err = fmt.Errorf("publish %s: row %d: %w", t.table.Name, n, err)
		return t.err
	}
	t.rows = n
	return nil
}

func (t *TableWriter) columnNames() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// write writes the checked cells of the current row.
func (t *TableWriter) write() error {
	if t.rows == 0 {
		t.line = append(t.line[:0], "[\n{"...)
	} else {
		t.line = append(t.line[:0], ",\n{"...)
	}
	t.csvLine = t.csvLine[:0]
	// A row whose values could take a dictionary past its page limit starts a new row group.
	if t.queued > 0 {
		for i, x := range t.cells {
			if t.dictCols[i] && t.dictBytes[i]+plainSize(x) > dictionaryLimit {
				if err := t.flush(); err != nil {
					return err
				}
				break
			}
		}
	}
	if t.queued == 0 && t.flushed > 0 {
		t.reserve(t.flushed)
		t.flushed = 0
	}
	for i, x := range t.cells {
		c := t.cols[i]
		if t.dictCols[i] {
			t.dictBytes[i] += plainSize(x)
		}
		c.appendArrow(t.rb.Field(i), x)
		if i > 0 {
			t.line = append(t.line, ',')
			t.csvLine = append(t.csvLine, ',')
		}
		if c.kind == kindString && !x.null {
			t.csvLine = appendCSVField(t.csvLine, x.s)
		} else {
			t.field = appendCSVText(t.field[:0], c.kind, x)
			t.csvLine = appendCSVField(t.csvLine, t.field)
		}
		t.line = appendJSON(append(t.line, t.keys[i]...), c.kind, x)
	}
	t.line = append(t.line, '}')
	if _, err := t.csv.Write(append(t.csvLine, '\n')); err != nil {
		return err
	}
	if _, err := t.json.Write(t.line); err != nil {
		return err
	}
	if t.queued++; t.queued == t.batch {
		return t.flush()
	}
	return nil
}

// flush hands the queued rows as one record batch, that is one Parquet row group, to the
// Parquet goroutine (started on the first flush). Row groups are written in the order they are
// flushed, so the bytes are those of writing them here.
func (t *TableWriter) flush() error {
	if err := t.parquetErr(); err != nil {
		return err
	}
	if t.pqJobs == nil {
		t.pqJobs, t.pqDone = make(chan arrow.RecordBatch), make(chan error, 1)
		go t.writeParquet()
	}
	for i, b := range t.rb.Fields() {
		t.dataBytes[i] = dataLen(b)
	}
	t.pqJobs <- t.rb.NewRecordBatch()
	t.flushed, t.queued = t.queued, 0
	clear(t.dictBytes)
	return nil
}

// reserve makes room in the emptied builders for a batch like the one flushed last, of rows
// rows: the rows and, for text, its bytes and an eighth more. Builders that start empty grow by
// doubling, copying what they hold each time; the room asked for here is about what that growth
// would end with.
func (t *TableWriter) reserve(rows int) {
	for i, b := range t.rb.Fields() {
		b.Reserve(rows)
		n := t.dataBytes[i]
		switch b := b.(type) {
		case *array.StringBuilder:
			b.ReserveData(n + n/8)
		case *array.ListBuilder:
			if vb, ok := b.ValueBuilder().(*array.StringBuilder); ok {
				vb.ReserveData(n + n/8)
			}
		}
	}
}

// dataLen is the number of text bytes a builder holds: those of a string column, or of the
// elements of a list column; 0 for other columns.
func dataLen(b array.Builder) int {
	switch b := b.(type) {
	case *array.StringBuilder:
		return b.DataLen()
	case *array.ListBuilder:
		if vb, ok := b.ValueBuilder().(*array.StringBuilder); ok {
			return vb.DataLen()
		}
	}
	return 0
}

// writeParquet writes the record batches it is handed until pqJobs is closed; after an error it
// only releases them.
func (t *TableWriter) writeParquet() {
	var err error
	for rec := range t.pqJobs {
		if err == nil {
			if err = t.pq.Write(rec); err != nil {
				t.pqMu.Lock()
				t.pqErr = err
				t.pqMu.Unlock()
			}
		}
		rec.Release()
	}
	t.pqDone <- err
}

func (t *TableWriter) parquetErr() error {
	t.pqMu.Lock()
	defer t.pqMu.Unlock()
	return t.pqErr
}

// waitParquet stops the Parquet goroutine, once every batch handed to it is written, and
// returns its error.
func (t *TableWriter) waitParquet() error {
	if t.pqJobs == nil {
		return nil
	}
	close(t.pqJobs)
	t.pqJobs = nil
	return <-t.pqDone
}

// Rows is the number of rows written so far.
func (t *TableWriter) Rows() int64 { return t.rows }

// Close writes what is buffered and closes the files. After a failed Append or Close the
// files are incomplete: abort the staging folder. Calling Close again does nothing.
func (t *TableWriter) Close() error {
	if t.done {
		return nil
	}
	t.done = true
	defer t.rb.Release()
	err := t.err
	keep := func(e error) {
		if err == nil && e != nil {
			err = fmt.Errorf("publish %s: %w", t.table.Name, e)
		}
	}
	if t.queued > 0 && err == nil {
		keep(t.flush())
	}
	keep(t.waitParquet())
	keep(t.pq.Close())
	keep(t.pqBuf.Flush())
	keep(t.csv.Flush())
	if t.rows == 0 {
		_, e := t.json.WriteString("[]\n")
		keep(e)
	} else {
		_, e := t.json.WriteString("\n]\n")
		keep(e)
	}
	keep(t.json.Flush())
	keep(t.closeFiles())
	return err
}

func (t *TableWriter) closeFiles() error {
	var err error
	for _, f := range t.files {
		if e := f.Close(); e != nil && err == nil {
			err = e
		}
	}
	return err
}
