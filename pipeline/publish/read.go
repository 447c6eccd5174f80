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
	cols, err := columnsOf(t)
	if err != nil {
		return nil, err
	}
	pf, err := openParquet(path)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: DefaultBatchRows}, memory.DefaultAllocator)
	if err != nil {
		return nil, srcErr(path, 0, 0, "%v", err)
	}
	got, err := fr.Schema()
	if err != nil {
		return nil, srcErr(path, 0, 0, "%v", err)
	}
	if err := checkArrowSchema(got, arrowSchema(t, cols, nil)); err != nil {
		return nil, srcErr(path, 0, 0, "%v", err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return nil, srcErr(path, 0, 0, "%v", err)
	}
	defer rr.Release()
	rows := make([][]any, 0, pf.NumRows())
	for rr.Next() {
		rec := rr.RecordBatch()
		for j := range int(rec.NumRows()) {
			row := make([]any, len(cols))
			for i, c := range cols {
				x, err := c.fromArrow(rec.Column(i), j)
				if err != nil {
					return nil, srcErr(path, 0, 0, "row %d, column %s: %v", len(rows)+1, c.name, err)
				}
				row[i] = c.canonical(x)
			}
			rows = append(rows, row)
		}
	}
	if err := rr.Err(); err != nil {
		return nil, srcErr(path, 0, 0, "after row %d: %v", len(rows), err)
	}
	return rows, nil
}

// ReadCSV reads a CSV table file: a header of the column names in schema order, then one
// record per row.
func ReadCSV(path string, t *schemas.Table) ([][]any, error) {
	cols, err := columnsOf(t)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("publish: read %s: %w", path, err)
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
		return nil, srcErr(path, 1, 0, "empty file, want a header row")
	case err != nil:
		return nil, csvErr(err)
	case len(header) > 0 && strings.HasPrefix(header[0], "\ufeff"):
		return nil, srcErr(path, 1, 1, "file starts with a byte order mark; write UTF-8 without one")
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	if !slices.Equal(header, names) {
		return nil, srcErr(path, 1, 0, "header is %s, want %s", strings.Join(header, ","), strings.Join(names, ","))
	}

	r.FieldsPerRecord = len(cols)
	var rows [][]any
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, csvErr(err)
		}
		row := make([]any, len(cols))
		for i, c := range cols {
			x, err := c.fromText(rec[i])
			if err != nil {
				line, col := r.FieldPos(i)
				return nil, srcErr(path, line, col, "row %d, column %s: %v", len(rows)+1, c.name, err)
			}
			row[i] = c.canonical(x)
		}
		rows = append(rows, row)
	}
}

// ReadJSON reads a JSON table file: one array of objects whose keys are the column names in
// schema order.
func ReadJSON(path string, t *schemas.Table) ([][]any, error) {
	cols, err := columnsOf(t)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("publish: read %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := lineCounter{data: data, line: 1}
	var rows [][]any
	fail := func(format string, args ...any) error {
		return srcErr(path, lines.at(dec.InputOffset()), 0, format, args...)
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
		return nil, err
	}
	for dec.More() {
		where = fmt.Sprintf("row %d", len(rows)+1)
		if err := expect('{'); err != nil {
			return nil, err
		}
		row := make([]any, len(cols))
		i := 0
		for ; dec.More(); i++ {
			tok, err := dec.Token()
			if err != nil {
				return nil, fail("%s: %v", where, err)
			}
			key, _ := tok.(string)
			switch {
			case i >= len(cols):
				return nil, fail("%s: unexpected key %q after the last column %s", where, key, cols[len(cols)-1].name)
			case key != cols[i].name:
				return nil, fail("%s: key %q, want column %s", where, key, cols[i].name)
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fail("%s, column %s: %v", where, key, err)
			}
			x, err := cols[i].fromJSON(raw)
			if err != nil {
				return nil, fail("%s, column %s: %v", where, key, err)
			}
			row[i] = cols[i].canonical(x)
		}
		if i < len(cols) {
			return nil, fail("%s: missing column %s", where, cols[i].name)
		}
		if err := expect('}'); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	where = "top level"
	if err := expect(']'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("data after the closing ]")
	}
	return rows, nil
}

// lineCounter turns increasing byte offsets into 1-based line numbers.
type lineCounter struct {
	data      []byte
	off, line int
}

func (c *lineCounter) at(off int64) int {
	end := min(int(off), len(c.data))
	if end > c.off {
		c.line += bytes.Count(c.data[c.off:end], []byte("\n"))
		c.off = end
	}
	return c.line
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
