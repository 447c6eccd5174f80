package publish

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// The readers return every row of a file as canonical cells (see the package comment), in
// file order. A file that cannot be opened gives a wrapped I/O error; a file whose layout or
// contents do not fit the schema gives a *model.SourceError naming the file, the line where
// the format has lines, the row and the column.

func srcErr(path string, line, col int, format string, args ...any) error {
	return &model.SourceError{File: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// ReadParquet reads a Parquet table file. Its Arrow schema must match ArrowSchema(t): the
// same column names in the same order, the same types and nullability.
func ReadParquet(path string, t *schemas.Table) ([][]any, error) {
	return collect(ScanParquet(path, t))
}

// ReadCSV reads a CSV table file: a header of the column names in schema order, then one
// record per row.
func ReadCSV(path string, t *schemas.Table) ([][]any, error) { return collect(ScanCSV(path, t)) }

// ReadJSON reads a JSON table file: one array of objects whose keys are the column names in
// schema order.
func ReadJSON(path string, t *schemas.Table) ([][]any, error) { return collect(ScanJSON(path, t)) }

// Scan streams the rows of a table file in the given format; see ScanParquet, ScanCSV and
// ScanJSON.
func Scan(path string, format Format, t *schemas.Table) iter.Seq2[[]any, error] {
	switch format {
	case FormatParquet:
		return ScanParquet(path, t)
	case FormatCSV:
		return ScanCSV(path, t)
	case FormatJSON:
		return ScanJSON(path, t)
	}
	return func(yield func([]any, error) bool) {
		yield(nil, fmt.Errorf("publish: unknown format %q", format))
	}
}

// collect reads a whole scan into memory.
func collect(rows iter.Seq2[[]any, error]) ([][]any, error) {
	var out [][]any
	for row, err := range rows {
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	if out == nil {
		out = [][]any{}
	}
	return out, nil
}

// ScanParquet streams the rows of a Parquet table file, one record batch in memory at a time.
// The scan yields each row once with a nil error, or stops after yielding one non-nil error (the
// same errors as ReadParquet). Every row is a new slice the caller may keep.
func ScanParquet(path string, t *schemas.Table) iter.Seq2[[]any, error] {
	return ScanParquetColumns(path, t, nil)
}

// ScanParquetColumns is ScanParquet reading only the named columns from the file (all when
// names is nil): each row still has a cell for every column of the schema, nil for the columns
// not read. The file's schema is checked whole as ScanParquet checks it. A scan that needs a few
// columns of the passages (keys, document ids, kinds) leaves their texts undecoded.
func ScanParquetColumns(path string, t *schemas.Table, names []string) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		cols, err := columnsOf(t)
		if err != nil {
			yield(nil, err)
			return
		}
		var read []int // the columns read, in schema order; nil for all
		if names != nil {
			for i, c := range cols {
				if slices.Contains(names, c.name) {
					read = append(read, i)
				}
			}
			for _, name := range names {
				if t.FieldIndex(name) < 0 {
					yield(nil, fmt.Errorf("publish: %s: table %s has no column %q", path, t.Name, name))
					return
				}
			}
		}
		pf, err := openParquet(path)
		if err != nil {
			yield(nil, err)
			return
		}
		defer pf.Close()
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: DefaultBatchRows}, memory.DefaultAllocator)
		if err != nil {
			yield(nil, srcErr(path, 0, 0, "%v", err))
			return
		}
		got, err := fr.Schema()
		if err != nil {
			yield(nil, srcErr(path, 0, 0, "%v", err))
			return
		}
		if err := checkArrowSchema(got, arrowSchema(t, cols, nil)); err != nil {
			yield(nil, srcErr(path, 0, 0, "%v", err))
			return
		}
		leaves, err := leafColumns(pf, read)
		if err != nil {
			yield(nil, srcErr(path, 0, 0, "%v", err))
			return
		}
		rr, err := fr.GetRecordReader(context.Background(), leaves, nil)
		if err != nil {
			yield(nil, srcErr(path, 0, 0, "%v", err))
			return
		}
		defer rr.Release()
		if read == nil {
			read = make([]int, len(cols))
			for i := range read {
				read[i] = i
			}
		}
		n := 0
		for rr.Next() {
			rec := rr.RecordBatch()
			for j := range int(rec.NumRows()) {
				row := make([]any, len(cols))
				for k, i := range read {
					c := cols[i]
					x, err := c.fromArrow(rec.Column(k), j)
					if err != nil {
						yield(nil, srcErr(path, 0, 0, "row %d, column %s: %v", n+1, c.name, err))
						return
					}
					row[i] = c.canonical(x)
				}
				n++
				if !yield(row, nil) {
					return
				}
			}
		}
		if err := rr.Err(); err != nil {
			yield(nil, srcErr(path, 0, 0, "after row %d: %v", n, err))
		}
	}
}

// leafColumns are the Parquet leaf columns of the top-level fields (nil: every column). A list
// column has one leaf; the record batches then hold the fields in the order given.
func leafColumns(pf *file.Reader, fields []int) ([]int, error) {
	if fields == nil {
		return nil, nil
	}
	sc := pf.MetaData().Schema
	var leaves []int
	for _, f := range fields {
		found := false
		for leaf := range sc.NumColumns() {
			if sc.Root().FieldIndexByField(sc.ColumnRoot(leaf)) == f {
				leaves = append(leaves, leaf)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no Parquet column for field %d", f)
		}
	}
	return leaves, nil
}

// ScanCSV streams the rows of a CSV table file (see ReadCSV), one record in memory at a time.
func ScanCSV(path string, t *schemas.Table) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		cols, err := columnsOf(t)
		if err != nil {
			yield(nil, err)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			yield(nil, fmt.Errorf("publish: read %s: %w", path, err))
			return
		}
		defer f.Close()
		r := csv.NewReader(bufio.NewReader(f))
		r.FieldsPerRecord = -1
		r.ReuseRecord = true
		csvErr := func(err error) error {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return srcErr(path, pe.Line, pe.Column, "%v", pe.Err)
			}
			return fmt.Errorf("publish: read %s: %w", path, err)
		}

		header, err := r.Read()
		switch {
		case err == io.EOF:
			yield(nil, srcErr(path, 1, 0, "empty file, want a header row"))
			return
		case err != nil:
			yield(nil, csvErr(err))
			return
		case len(header) > 0 && strings.HasPrefix(header[0], "\ufeff"):
			yield(nil, srcErr(path, 1, 1, "file starts with a byte order mark; write UTF-8 without one"))
			return
		}
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.name
		}
		if !slices.Equal(header, names) {
			yield(nil, srcErr(path, 1, 0, "header is %s, want %s", strings.Join(header, ","), strings.Join(names, ",")))
			return
		}

		r.FieldsPerRecord = len(cols)
		n := 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, csvErr(err))
				return
			}
			row := make([]any, len(cols))
			for i, c := range cols {
				x, err := c.fromText(rec[i])
				if err != nil {
					line, col := r.FieldPos(i)
					yield(nil, srcErr(path, line, col, "row %d, column %s: %v", n+1, c.name, err))
					return
				}
				row[i] = c.canonical(x)
			}
			n++
			if !yield(row, nil) {
				return
			}
		}
	}
}

// ScanJSON streams the rows of a JSON table file (see ReadJSON), decoding one object at a time.
// The line an error names is counted from the file again only when there is an error.
func ScanJSON(path string, t *schemas.Table) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		// The file as the writer writes it is read a line a row (jsonlines.go); anything else
		// (or the first row that is not so) is read by the general decoder below, from the
		// start, past the rows already given.
		n, done := scanJSONLines(path, t, yield)
		if done {
			return
		}
		for row, err := range scanJSONDecoder(path, t) {
			if err == nil && n > 0 {
				n--
				continue
			}
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// scanJSONDecoder reads a JSON table file with encoding/json's tokenizer: any layout, and the
// errors that say where a file is wrong.
func scanJSONDecoder(path string, t *schemas.Table) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		cols, err := columnsOf(t)
		if err != nil {
			yield(nil, err)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			yield(nil, fmt.Errorf("publish: read %s: %w", path, err))
			return
		}
		defer f.Close()
		dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
		n := 0
		fail := func(format string, args ...any) error {
			return srcErr(path, lineAt(path, dec.InputOffset()), 0, format, args...)
		}
		where := "top level" // or "row N"
		expect := func(want json.Delim) error {
			tok, err := dec.Token()
			if err != nil {
				return fail("%s: %v", where, err)
			}
			if tok != want {
				return fail("%s: found %v, want %q", where, tok, want)
			}
			return nil
		}

		if err := expect('['); err != nil {
			yield(nil, err)
			return
		}
		for dec.More() {
			where = fmt.Sprintf("row %d", n+1)
			if err := expect('{'); err != nil {
				yield(nil, err)
				return
			}
			row := make([]any, len(cols))
			i := 0
			for ; dec.More(); i++ {
				tok, err := dec.Token()
				if err != nil {
					yield(nil, fail("%s: %v", where, err))
					return
				}
				key, _ := tok.(string)
				switch {
				case i >= len(cols):
					yield(nil, fail("%s: unexpected key %q after the last column %s", where, key, cols[len(cols)-1].name))
					return
				case key != cols[i].name:
					yield(nil, fail("%s: key %q, want column %s", where, key, cols[i].name))
					return
				}
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					yield(nil, fail("%s, column %s: %v", where, key, err))
					return
				}
				x, err := cols[i].fromJSON(raw)
				if err != nil {
					yield(nil, fail("%s, column %s: %v", where, key, err))
					return
				}
				row[i] = cols[i].canonical(x)
			}
			if i < len(cols) {
				yield(nil, fail("%s: missing column %s", where, cols[i].name))
				return
			}
			if err := expect('}'); err != nil {
				yield(nil, err)
				return
			}
			n++
			if !yield(row, nil) {
				return
			}
		}
		where = "top level"
		if err := expect(']'); err != nil {
			yield(nil, err)
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			yield(nil, fail("data after the closing ]"))
		}
	}
}

// lineAt is the 1-based line of byte offset off in the file at path, counted by reading the file
// again (only for an error message); 0 if the file cannot be read.
func lineAt(path string, off int64) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	line := 1
	buf := make([]byte, 1<<16)
	for off > 0 {
		n, err := f.Read(buf[:min(int64(len(buf)), off)])
		line += bytes.Count(buf[:n], []byte("\n"))
		off -= int64(n)
		if err != nil {
			break
		}
	}
	return line
}

// ParquetMetadata returns the key-value metadata of a Parquet file (KeyDataset,
// KeySchemaVersion, KeyTable and the Arrow schema the writer stores).
func ParquetMetadata(path string) (map[string]string, error) {
	pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	kv := map[string]string{}
	md := pf.MetaData().KeyValueMetadata()
	for i, k := range md.Keys() {
		kv[k] = md.Values()[i]
	}
	return kv, nil
}

// ParquetRows is the number of rows a Parquet file's footer records.
func ParquetRows(path string) (int64, error) {
	pf, err := openParquet(path)
	if err != nil {
		return 0, err
	}
	defer pf.Close()
	return pf.NumRows(), nil
}

// openParquet opens a Parquet file; closing the reader closes the file.
func openParquet(path string) (*file.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("publish: read %s: %w", path, err)
	}
	pf, err := file.NewParquetReader(f)
	if err != nil {
		f.Close()
		return nil, srcErr(path, 0, 0, "not a readable Parquet file: %v", err)
	}
	return pf, nil
}
