package parquetgo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// column is where one schema field lives in the file and at which definition levels.
type column struct {
	field schemas.Field
	// present is the definition level at which the value (for an array: the list) is not null:
	// 1 for a nullable column, 0 for a required one.
	present int
	// maxDef is the leaf's maximum definition level: a scalar or list element holding a value.
	maxDef int
}

// Read reads every row of a Parquet table file into canonical cells, in file order. A file that
// cannot be opened gives a wrapped I/O error; a file whose layout or contents do not fit the
// schema gives a *model.SourceError naming the file and, where it applies, the row and column.
func Read(path string, t *schemas.Table) ([][]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("parquetgo: read %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("parquetgo: read %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, srcErr(path, "parquet-go cannot open the file: %v", err)
	}
	cols, byLeaf, err := layout(pf.Schema(), t)
	if err != nil {
		return nil, srcErr(path, "%v", err)
	}

	var out [][]any
	buf := make([]parquet.Row, 64)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, r := range buf[:n] {
				row := make([]any, len(cols))
				seen := 0
				var cellErr error
				r.Range(func(leaf int, vals []parquet.Value) bool {
					i, known := byLeaf[leaf]
					if !known {
						cellErr = fmt.Errorf("row %d: unexpected leaf column %d", len(out)+1, leaf)
						return false
					}
					seen++
					row[i], cellErr = cols[i].cell(vals)
					if cellErr != nil {
						cellErr = fmt.Errorf("row %d, column %s: %w", len(out)+1, cols[i].field.Name, cellErr)
					}
					return cellErr == nil
				})
				if cellErr == nil && seen != len(cols) {
					cellErr = fmt.Errorf("row %d: values for %d of %d columns", len(out)+1, seen, len(cols))
				}
				if cellErr != nil {
					rows.Close()
					return nil, srcErr(path, "%v", cellErr)
				}
				out = append(out, row)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return nil, srcErr(path, "after row %d: %v", len(out), err)
			}
		}
		if err := rows.Close(); err != nil {
			return nil, srcErr(path, "after row %d: %v", len(out), err)
		}
	}
	return out, nil
}

func srcErr(path, format string, args ...any) error {
	return &model.SourceError{File: path, Msg: fmt.Sprintf(format, args...)}
}

// layout checks the file's schema against the table schema and returns the columns, and the
// schema field index of each leaf column index.
func layout(root *parquet.Schema, t *schemas.Table) ([]column, map[int]int, error) {
	top := root.Fields()
	if len(top) != len(t.Fields) {
		return nil, nil, fmt.Errorf("%d top-level columns, the schema has %d", len(top), len(t.Fields))
	}
	if n := len(root.Columns()); n != len(t.Fields) {
		return nil, nil, fmt.Errorf("%d leaf columns, the schema has %d columns (one leaf each)", n, len(t.Fields))
	}
	cols := make([]column, len(t.Fields))
	byLeaf := make(map[int]int, len(t.Fields))
	for i, fld := range t.Fields {
		if top[i].Name() != fld.Name || top[i].Optional() != fld.Nullable() || top[i].Repeated() {
			return nil, nil, fmt.Errorf("column %d is %s (optional %t, repeated %t), the schema says %s (optional %t)",
				i+1, top[i].Name(), top[i].Optional(), top[i].Repeated(), fld.Name, fld.Nullable())
		}
		c := column{field: fld}
		if fld.Nullable() {
			c.present = 1
		}
		p := []string{fld.Name}
		if fld.Type == schemas.TypeArray {
			p = append(p, "list", "element") // the three-level LIST structure
		}
		leaf, found := root.Lookup(p...)
		if !found {
			return nil, nil, fmt.Errorf("column %s: no leaf %s", fld.Name, strings.Join(p, "."))
		}
		if err := checkLevels(c, leaf); err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", fld.Name, err)
		}
		if err := checkLeafType(fld, leaf); err != nil {
			return nil, nil, fmt.Errorf("column %s: %w", fld.Name, err)
		}
		c.maxDef = leaf.MaxDefinitionLevel
		cols[i] = c
		byLeaf[leaf.ColumnIndex] = i
	}
	return cols, byLeaf, nil
}

// checkLevels checks the leaf's repetition and definition levels: a scalar is not repeated and
// defined at c.present; an array is a LIST group holding one repeated group ("list") of one
// element, which may be required or optional.
func checkLevels(c column, leaf parquet.LeafColumn) error {
	rep, def := leaf.MaxRepetitionLevel, leaf.MaxDefinitionLevel
	if c.field.Type != schemas.TypeArray {
		if rep != 0 || def != c.present {
			return fmt.Errorf("repetition level %d, definition level %d, want 0 and %d for a scalar", rep, def, c.present)
		}
		return nil
	}
	if rep != 1 || def < c.present+1 || def > c.present+2 {
		return fmt.Errorf("repetition level %d, definition level %d, want 1 and %d or %d for a list", rep, def, c.present+1, c.present+2)
	}
	return nil
}

// checkLeafType checks the physical and logical type of a leaf against the field's type.
func checkLeafType(f schemas.Field, leaf parquet.LeafColumn) error {
	typ := leaf.Node.Type()
	logical := ""
	if lt := typ.LogicalType(); lt != nil && lt.Value != nil {
		logical = lt.Value.String() // "STRING", "DATE", …
	}
	var ok bool
	switch f.Type {
	case schemas.TypeString, schemas.TypeArray:
		ok = typ.Kind() == parquet.ByteArray && logical == "STRING"
	case schemas.TypeInteger:
		ok = typ.Kind() == parquet.Int64 && (logical == "" || logical == "INT(64,true)") // signed
	case schemas.TypeNumber:
		ok = typ.Kind() == parquet.Double && logical == ""
	case schemas.TypeDate:
		ok = typ.Kind() == parquet.Int32 && logical == "DATE"
	default:
		return fmt.Errorf("type %q is not supported", f.Type)
	}
	if !ok {
		return fmt.Errorf("physical type %v, logical type %q does not hold a %s", typ.Kind(), logical, f.Type)
	}
	return nil
}

// cell turns the leaf values of one row into the canonical cell of the column.
func (c column) cell(vals []parquet.Value) (any, error) {
	if len(vals) == 0 {
		return nil, errors.New("no values")
	}
	if c.field.Type == schemas.TypeArray {
		// A single value defined below the element level is a null list (below c.present) or an
		// empty one; otherwise every value is an element, which must not be null.
		if d := vals[0].DefinitionLevel(); len(vals) == 1 && d <= c.present {
			if d < c.present {
				return []string(nil), nil
			}
			return []string{}, nil
		}
		list := make([]string, 0, len(vals))
		for _, v := range vals {
			if v.DefinitionLevel() < c.maxDef || v.IsNull() {
				return nil, fmt.Errorf("null list element %d", len(list)+1)
			}
			list = append(list, string(v.ByteArray()))
		}
		return list, nil
	}
	if len(vals) != 1 {
		return nil, fmt.Errorf("%d values for a scalar column", len(vals))
	}
	v := vals[0]
	if v.IsNull() {
		if !c.field.Nullable() {
			return nil, errors.New("null in a required column")
		}
		switch c.field.Type {
		case schemas.TypeString:
			return (*string)(nil), nil
		case schemas.TypeInteger:
			return (*int64)(nil), nil
		case schemas.TypeNumber:
			return (*float64)(nil), nil
		default:
			return (*model.Date)(nil), nil
		}
	}
	switch c.field.Type {
	case schemas.TypeString:
		return orPointer(c.field.Nullable(), string(v.ByteArray())), nil
	case schemas.TypeInteger:
		return orPointer(c.field.Nullable(), v.Int64()), nil
	case schemas.TypeNumber:
		return orPointer(c.field.Nullable(), v.Double()), nil
	default:
		return orPointer(c.field.Nullable(), model.DateFromDays(v.Int32())), nil
	}
}

// orPointer returns x for a required column and a pointer to it for a nullable one.
func orPointer[T any](nullable bool, x T) any {
	if nullable {
		return &x
	}
	return x
}
