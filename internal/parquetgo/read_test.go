package parquetgo_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/parquetgo"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

func ptr[T any](v T) *T { return &v }

func field(name, typ string, required bool) schemas.Field {
	return schemas.Field{Name: name, Type: typ, Constraints: schemas.Constraints{Required: required}}
}

// every has a required and a nullable column of each type.
var every = &schemas.Table{Name: "every", SchemaVersion: "1.0.0", Fields: []schemas.Field{
	field("s", schemas.TypeString, true),
	field("ns", schemas.TypeString, false),
	field("n", schemas.TypeInteger, true),
	field("nn", schemas.TypeInteger, false),
	field("f", schemas.TypeNumber, true),
	field("nf", schemas.TypeNumber, false),
	field("d", schemas.TypeDate, true),
	field("nd", schemas.TypeDate, false),
	field("a", schemas.TypeArray, true),
	field("na", schemas.TypeArray, false),
}}

type row []any

func (r row) Values() []any { return r }

// TestReadArrowOutput reads a file that publish (arrow-go) wrote, over several row groups, with
// nulls, empty lists and null lists, and gets the rows back as written and as publish reads them.
func TestReadArrowOutput(t *testing.T) {
	day := model.Date{Year: 2023, Month: 11, Day: 22}
	rows := []row{
		{"a", ptr("x"), int64(1), ptr(int64(-2)), 0.5, ptr(1e21), day, ptr(model.Date{Year: 1, Month: 1, Day: 1}), []string{"p", "q"}, []string{"r"}},
		{"b", (*string)(nil), int64(0), (*int64)(nil), -1e-7, (*float64)(nil), model.Date{Year: 1969, Month: 12, Day: 31}, (*model.Date)(nil), []string{}, []string(nil)},
		{"c, \"d\"\n", ptr("ü"), int64(-9), ptr(int64(0)), 0.0, ptr(0.0), model.Date{Year: 9999, Month: 12, Day: 31}, &day, []string{""}, []string{}},
	}
	dir := t.TempDir()
	w, err := publish.NewWriter(dir, schemas.Set{"every": every}, publish.Meta{})
	require.NoError(t, err)
	w.BatchRows = 2
	tw, err := w.Table("every")
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(r))
	}
	require.NoError(t, tw.Close())
	path := publish.Path(dir, publish.FormatParquet, "every")

	got, err := parquetgo.Read(path, every)
	require.NoError(t, err)
	require.Len(t, got, len(rows))
	for i, r := range rows {
		assert.Equal(t, []any(r), got[i], "row %d", i+1)
	}
	arrow, err := publish.ReadParquet(path, every)
	require.NoError(t, err)
	assert.Equal(t, arrow, got)
}

// writeParquetGo writes rows of a struct type with parquet-go, to make files publish never would.
func writeParquetGo[T any](t *testing.T, rows ...T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "t.parquet")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := parquet.NewGenericWriter[T](f)
	_, err = w.Write(rows)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, f.Close())
	return path
}

func TestReadParquetGoOutput(t *testing.T) {
	type ok struct {
		S  string   `parquet:"s"`
		NN *int64   `parquet:"nn,optional"`
		A  []string `parquet:"a,list"`
	}
	tbl := &schemas.Table{Name: "t", Fields: []schemas.Field{
		field("s", schemas.TypeString, true), field("nn", schemas.TypeInteger, false), field("a", schemas.TypeArray, true)}}
	path := writeParquetGo(t, ok{"x", ptr(int64(3)), []string{"a", "b"}}, ok{"y", nil, nil})
	got, err := parquetgo.Read(path, tbl)
	require.NoError(t, err)
	assert.Equal(t, [][]any{{"x", ptr(int64(3)), []string{"a", "b"}}, {"y", (*int64)(nil), []string{}}}, got)
}

// TestReadRefuses: every file whose layout or contents do not fit the schema is refused with an
// error naming the file, and the column (and row) where it applies.
func TestReadRefuses(t *testing.T) {
	one := func(typ string, required bool) *schemas.Table {
		return &schemas.Table{Name: "t", Fields: []schemas.Field{field("c", typ, required)}}
	}
	type str struct {
		C string `parquet:"c"`
	}
	type optStr struct {
		C *string `parquet:"c,optional"`
	}
	type bytes struct {
		C []byte `parquet:"c"`
	}
	type i32 struct {
		C int32 `parquet:"c"`
	}
	type i64 struct {
		C int64 `parquet:"c"`
	}
	type u64 struct {
		C uint64 `parquet:"c"`
	}
	type two struct {
		C string `parquet:"c"`
		D string `parquet:"d"`
	}
	type optList struct {
		C []*string `parquet:"c,list"`
	}
	type repeated struct {
		C []string `parquet:"c"`
	}
	for _, tc := range []struct {
		name  string
		path  func(t *testing.T) string
		table *schemas.Table
		want  []string // parts of the message
	}{
		{"wrong name", func(t *testing.T) string { return writeParquetGo(t, str{"x"}) },
			&schemas.Table{Fields: []schemas.Field{field("other", schemas.TypeString, true)}}, []string{"column 1 is c", "other"}},
		{"too many columns", func(t *testing.T) string { return writeParquetGo(t, two{"x", "y"}) },
			one(schemas.TypeString, true), []string{"2 top-level columns", "has 1"}},
		{"optional for required", func(t *testing.T) string { return writeParquetGo(t, optStr{ptr("x")}) },
			one(schemas.TypeString, true), []string{"column 1 is c (optional true"}},
		{"required for optional", func(t *testing.T) string { return writeParquetGo(t, str{"x"}) },
			one(schemas.TypeString, false), []string{"optional false", "the schema says c (optional true)"}},
		{"bytes for string", func(t *testing.T) string { return writeParquetGo(t, bytes{[]byte("x")}) },
			one(schemas.TypeString, true), []string{"column c:", "does not hold a string"}},
		{"int32 for integer", func(t *testing.T) string { return writeParquetGo(t, i32{1}) },
			one(schemas.TypeInteger, true), []string{"column c:", "INT32", "does not hold a integer"}},
		{"unsigned for integer", func(t *testing.T) string { return writeParquetGo(t, u64{1}) },
			one(schemas.TypeInteger, true), []string{"column c:", "INT(64,false)"}},
		{"int64 for number", func(t *testing.T) string { return writeParquetGo(t, i64{1}) },
			one(schemas.TypeNumber, true), []string{"column c:", "does not hold a number"}},
		{"int32 without DATE for date", func(t *testing.T) string { return writeParquetGo(t, i32{1}) },
			one(schemas.TypeDate, true), []string{"column c:", "does not hold a date"}},
		{"string for array", func(t *testing.T) string { return writeParquetGo(t, str{"x"}) },
			one(schemas.TypeArray, true), []string{"column c: no leaf c.list.element"}},
		{"repeated string for scalar", func(t *testing.T) string { return writeParquetGo(t, repeated{[]string{"x"}}) },
			one(schemas.TypeString, true), []string{"repeated true"}},
		{"null list element", func(t *testing.T) string {
			return writeParquetGo(t, optList{[]*string{ptr("a")}}, optList{[]*string{ptr("a"), nil}})
		}, one(schemas.TypeArray, true), []string{"row 2, column c: null list element 2"}},
		{"lone null list element", func(t *testing.T) string { return writeParquetGo(t, optList{[]*string{nil}}) },
			one(schemas.TypeArray, true), []string{"row 1, column c: null list element 1"}},
		{"not Parquet", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "t.parquet")
			require.NoError(t, os.WriteFile(p, []byte("c\nx\n"), 0o644))
			return p
		}, one(schemas.TypeString, true), []string{"parquet-go cannot open"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			_, err := parquetgo.Read(path, tc.table)
			require.Error(t, err)
			var se *model.SourceError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, path, se.File)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.parquet")
	_, err := parquetgo.Read(path, every)
	require.Error(t, err)
	assert.True(t, errors.Is(err, os.ErrNotExist))
	assert.Contains(t, err.Error(), path)
}
