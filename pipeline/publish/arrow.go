package publish

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// ArrowSchema derives the Arrow schema of a table: string→utf8, integer→int64,
// number→float64, date→date32, array→list<utf8> with non-null elements named "element";
// a column is nullable iff its field is not required. Each field carries the metadata
// "description" and "title"; kv becomes the schema-level metadata, sorted by key.
// It panics on a field type that schemas.Load would have refused.
func ArrowSchema(t *schemas.Table, kv map[string]string) *arrow.Schema {
	cols, err := columnsOf(t)
	if err != nil {
		panic(err)
	}
	return arrowSchema(t, cols, kv)
}

func arrowSchema(t *schemas.Table, cols []column, kv map[string]string) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		f := t.Fields[i]
		fields[i] = arrow.Field{
			Name:     c.name,
			Type:     c.arrowType(),
			Nullable: c.nullable,
			Metadata: arrow.NewMetadata([]string{"description", "title"}, []string{f.Description, f.Title}),
		}
	}
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	values := make([]string, len(keys))
	for i, k := range keys {
		values[i] = kv[k]
	}
	md := arrow.NewMetadata(keys, values)
	return arrow.NewSchema(fields, &md)
}

func (c column) arrowType() arrow.DataType {
	switch c.kind {
	case kindString:
		return arrow.BinaryTypes.String
	case kindInteger:
		return arrow.PrimitiveTypes.Int64
	case kindNumber:
		return arrow.PrimitiveTypes.Float64
	case kindDate:
		return arrow.FixedWidthTypes.Date32
	}
	return arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String})
}

// appendArrow appends a cell to the column's builder.
func (c column) appendArrow(b array.Builder, x value) {
	if x.null {
		b.AppendNull()
		return
	}
	switch c.kind {
	case kindString:
		b.(*array.StringBuilder).Append(x.s)
	case kindInteger:
		b.(*array.Int64Builder).Append(x.n)
	case kindNumber:
		b.(*array.Float64Builder).Append(x.f)
	case kindDate:
		b.(*array.Date32Builder).Append(arrow.Date32(x.d.DaysSinceEpoch()))
	case kindArray:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		vb := lb.ValueBuilder().(*array.StringBuilder)
		for _, s := range x.list {
			vb.Append(s)
		}
	}
}

// fromArrow reads row j of a column array. The array's type must already match the column
// (checkArrowSchema).
func (c column) fromArrow(a arrow.Array, j int) (x value, err error) {
	if a.IsNull(j) {
		if !c.nullable {
			return x, errNull
		}
		return value{null: true}, nil
	}
	switch a := a.(type) {
	case *array.String:
		x.s = strings.Clone(a.Value(j))
		return x, nil
	case *array.Int64:
		x.n = a.Value(j)
		return x, nil
	case *array.Float64:
		x.f = a.Value(j)
		return x, nil
	case *array.Date32:
		x.d = model.DateFromDays(int32(a.Value(j)))
		return x, nil
	case *array.List:
		vals, ok := a.ListValues().(*array.String)
		if !ok {
			break
		}
		start, end := a.ValueOffsets(j)
		x.list = make([]string, 0, end-start)
		for k := start; k < end; k++ {
			if vals.IsNull(int(k)) {
				return x, fmt.Errorf("%w at index %d", errNullInList, k-start)
			}
			x.list = append(x.list, strings.Clone(vals.Value(int(k))))
		}
		return x, nil
	}
	return x, fmt.Errorf("unexpected Arrow array %s, want %s", a.DataType(), c.arrowType())
}

// checkArrowSchema compares the schema found in a file with the one derived from the table.
func checkArrowSchema(got, want *arrow.Schema) error {
	if got.NumFields() != want.NumFields() {
		return fmt.Errorf("%d columns (%s), want %d (%s)", got.NumFields(), fieldNames(got), want.NumFields(), fieldNames(want))
	}
	for i, w := range want.Fields() {
		g := got.Field(i)
		switch {
		case g.Name != w.Name:
			return fmt.Errorf("column %d is %q, want %q", i+1, g.Name, w.Name)
		case !arrow.TypeEqual(g.Type, w.Type):
			return fmt.Errorf("column %s: type %s, want %s", w.Name, g.Type, w.Type)
		case g.Nullable != w.Nullable:
			return fmt.Errorf("column %s: nullable is %t, want %t", w.Name, g.Nullable, w.Nullable)
		}
	}
	return nil
}

func fieldNames(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}
