package publish

import (
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// readParquetGo reads a Parquet table with github.com/parquet-go/parquet-go, a reader
// independent of the Arrow library that wrote it, and maps the raw leaf values (with their
// repetition and definition levels) to canonical cells by hand.
func readParquetGo(path string, t *schemas.Table) ([][]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, err
	}
	cols, err := columnsOf(t)
	if err != nil {
		return nil, err
	}
	// Top-level fields must be the schema's, in order, with the schema's nullability.
	fields := pf.Schema().Fields()
	if len(fields) != len(cols) {
		return nil, fmt.Errorf("%d top-level fields, want %d", len(fields), len(cols))
	}
	leaves := make([]parquet.LeafColumn, len(cols))
	for i, c := range cols {
		if fields[i].Name() != c.name || fields[i].Optional() != c.nullable {
			return nil, fmt.Errorf("field %d is %s (optional %t), want %s (optional %t)", i, fields[i].Name(), fields[i].Optional(), c.name, c.nullable)
		}
		path := []string{c.name}
		if c.kind == kindArray {
			path = append(path, "list", "element") // the 3-level LIST structure
		}
		leaf, ok := pf.Schema().Lookup(path...)
		if !ok {
			return nil, fmt.Errorf("no leaf column %v", path)
		}
		kind, logical := leaf.Node.Type().Kind(), leaf.Node.Type().LogicalType()
		switch c.kind {
		case kindString, kindArray:
			ok = kind == parquet.ByteArray && logical != nil && logical.Value != nil && logical.Value.String() == "STRING"
		case kindInteger:
			ok = kind == parquet.Int64
		case kindNumber:
			ok = kind == parquet.Double
		case kindDate:
			ok = kind == parquet.Int32 && logical != nil && logical.Value != nil && logical.Value.String() == "DATE"
		}
		if !ok {
			return nil, fmt.Errorf("column %s: physical %v, logical %v", c.name, kind, logical)
		}
		leaves[i] = leaf
	}
	byLeaf := map[int]int{}
	for i, l := range leaves {
		byLeaf[l.ColumnIndex] = i
	}

	var out [][]any
	buf := make([]parquet.Row, 7)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				cells := make([]any, len(cols))
				r.Range(func(leaf int, vals []parquet.Value) bool {
					i := byLeaf[leaf]
					cells[i] = cols[i].canonical(decodeLeaf(cols[i], leaves[i], vals))
					return true
				})
				out = append(out, cells)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
		}
		rows.Close()
	}
	return out, nil
}

// decodeLeaf turns the values of one leaf column of one row into a cell.
func decodeLeaf(c column, leaf parquet.LeafColumn, vals []parquet.Value) (x value) {
	if c.kind == kindArray {
		// One value with a definition level below the maximum is a null list (level 0, if the
		// list is optional) or an empty one; otherwise each value is an element.
		if len(vals) == 1 && vals[0].DefinitionLevel() < leaf.MaxDefinitionLevel {
			x.null = c.nullable && vals[0].DefinitionLevel() == 0
			if !x.null {
				x.list = []string{}
			}
			return x
		}
		x.list = make([]string, len(vals))
		for i, v := range vals {
			x.list[i] = string(v.ByteArray())
		}
		return x
	}
	v := vals[0]
	switch {
	case v.IsNull():
		x.null = true
	case c.kind == kindString:
		x.s = string(v.ByteArray())
	case c.kind == kindInteger:
		x.n = v.Int64()
	case c.kind == kindNumber:
		x.f = v.Double()
	default:
		x.d = model.DateFromDays(v.Int32())
	}
	return x
}

// fileMeta is what the tests check in a Parquet footer, as parquet-go reads it.
type fileMeta struct {
	createdBy string
	kv        map[string]string
	codec     string
	rowGroups []int64
}

func parquetGoMeta(t *testing.T, path string) fileMeta {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	pf, err := parquet.OpenFile(f, st.Size())
	require.NoError(t, err)
	md := pf.Metadata()
	m := fileMeta{createdBy: md.CreatedBy, kv: map[string]string{}}
	for _, kv := range md.KeyValueMetadata {
		m.kv[kv.Key] = kv.Value
	}
	for _, rg := range md.RowGroups {
		m.rowGroups = append(m.rowGroups, rg.NumRows)
		for _, cc := range rg.Columns {
			m.codec = cc.MetaData.Codec.String()
		}
	}
	return m
}

// arrowSchemaOfFile is the Arrow schema the Arrow reader finds in a Parquet file.
func arrowSchemaOfFile(t *testing.T, path string) *arrow.Schema {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	require.NoError(t, err)
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	require.NoError(t, err)
	s, err := fr.Schema()
	require.NoError(t, err)
	return s
}
