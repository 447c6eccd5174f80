package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// kind is a schema field type.
type kind uint8

const (
	kindString kind = iota + 1
	kindInteger
	kindNumber
	kindDate
	kindArray
)

// column is one schema field as the writers and readers need it.
type column struct {
	name     string
	kind     kind
	nullable bool
}

// columnsOf maps the fields of t to columns.
func columnsOf(t *schemas.Table) ([]column, error) {
	if t == nil {
		return nil, errors.New("publish: nil table schema")
	}
	cols := make([]column, len(t.Fields))
	for i, f := range t.Fields {
		c := column{name: f.Name, nullable: f.Nullable()}
		switch f.Type {
		case schemas.TypeString:
			c.kind = kindString
		case schemas.TypeInteger:
			c.kind = kindInteger
		case schemas.TypeNumber:
			c.kind = kindNumber
		case schemas.TypeDate:
			c.kind = kindDate
		case schemas.TypeArray:
			c.kind = kindArray
		default:
			return nil, fmt.Errorf("publish: table %s: field %s: type %q is not supported", t.Name, f.Name, f.Type)
		}
		cols[i] = c
	}
	return cols, nil
}

// goType names the canonical Go type of the column's cells.
func (c column) goType() string {
	base := [...]string{kindString: "string", kindInteger: "int64", kindNumber: "float64", kindDate: "model.Date", kindArray: "[]string"}[c.kind]
	if c.nullable && c.kind != kindArray {
		return "*" + base
	}
	return base
}

var (
	errNull       = errors.New("null in a required column")
	errEmptyNull  = errors.New(`empty string in a nullable column: CSV cannot tell it from null; use nil`)
	errNotFinite  = errors.New("number is not finite")
	errNullInList = errors.New("null list element")
	errUTF8       = errors.New("text is not valid UTF-8")
	errCR         = errors.New(`text holds a carriage return (\r), which does not survive reading CSV back; normalize line ends to \n`)
)

// pick returns v as a T: v must be a T in a required column and a *T in a nullable one (nil = null).
func pick[T any](v any, nullable bool) (x T, null, ok bool) {
	if !nullable {
		x, ok = v.(T)
		return x, false, ok
	}
	p, ok := v.(*T)
	if !ok || p == nil {
		return x, ok, ok
	}
	return *p, false, true
}

// cell checks a value from model.Row.Values against the column and returns it without the
// pointer: string, int64, float64, model.Date or []string, or nil for null.
func (c column) cell(v any) (any, error) {
	var (
		x          any
		null, ok   bool
		s          string
		f          float64
		d          model.Date
		list       []string
		wrongValue error
	)
	switch c.kind {
	case kindString:
		s, null, ok = pick[string](v, c.nullable)
		x = s
		switch {
		case !ok || null:
		case c.nullable && s == "":
			wrongValue = errEmptyNull
		case strings.ContainsRune(s, '\r'):
			wrongValue = errCR
		case !utf8.ValidString(s):
			wrongValue = errUTF8
		}
	case kindInteger:
		x, null, ok = pick[int64](v, c.nullable)
	case kindNumber:
		f, null, ok = pick[float64](v, c.nullable)
		x = f
		if ok && !null && (math.IsNaN(f) || math.IsInf(f, 0)) {
			wrongValue = errNotFinite
		}
	case kindDate:
		d, null, ok = pick[model.Date](v, c.nullable)
		x = d
		if ok && !null && model.DateFromDays(d.DaysSinceEpoch()) != d {
			wrongValue = fmt.Errorf("date %d-%d-%d does not exist", d.Year, d.Month, d.Day)
		}
	case kindArray:
		list, ok = v.([]string)
		x, null = list, list == nil
		for i, e := range list {
			if !utf8.ValidString(e) {
				wrongValue = fmt.Errorf("element %d: %w", i, errUTF8)
				break
			}
		}
	}
	switch {
	case !ok:
		return nil, fmt.Errorf("got %T, want %s", v, c.goType())
	case null && !c.nullable:
		return nil, fmt.Errorf("%w (want %s; use []string{} for an empty list)", errNull, c.goType())
	case null:
		return nil, nil
	case wrongValue != nil:
		return nil, wrongValue
	case !c.nullable:
		return v, nil // already a T: no new allocation
	}
	return x, nil
}

// canonical turns a checked cell (nil = null) back into the column's canonical Go type.
func (c column) canonical(x any) any {
	if !c.nullable {
		return x
	}
	switch c.kind {
	case kindString:
		return ptr[string](x)
	case kindInteger:
		return ptr[int64](x)
	case kindNumber:
		return ptr[float64](x)
	case kindDate:
		return ptr[model.Date](x)
	}
	if x == nil {
		return []string(nil)
	}
	return x
}

func ptr[T any](x any) *T {
	if x == nil {
		return nil
	}
	v := x.(T)
	return &v
}

// textCoder renders cells as CSV and JSON text; it keeps its buffers between rows.
type textCoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newTextCoder() *textCoder {
	tc := &textCoder{}
	tc.enc = json.NewEncoder(&tc.buf)
	tc.enc.SetEscapeHTML(false)
	return tc
}

// appendJSON appends the JSON text of a checked cell (nil = null).
func (tc *textCoder) appendJSON(dst []byte, x any) []byte {
	switch v := x.(type) {
	case nil:
		return append(dst, "null"...)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case float64:
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	case model.Date:
		return append(append(append(dst, '"'), v.String()...), '"')
	}
	// string and []string: json.Encoder cannot fail on them.
	tc.buf.Reset()
	_ = tc.enc.Encode(x)
	return append(dst, bytes.TrimSuffix(tc.buf.Bytes(), []byte("\n"))...)
}

// csvText is the CSV cell of a checked cell (nil = empty).
func (tc *textCoder) csvText(x any) string {
	switch v := x.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case model.Date:
		return v.String()
	}
	return string(tc.appendJSON(nil, x))
}

// fromText parses a CSV cell into a checked cell (nil = null).
func (c column) fromText(s string) (any, error) {
	if s == "" && (c.kind != kindString || c.nullable) {
		if !c.nullable {
			return nil, errors.New("empty cell in a required column")
		}
		return nil, nil
	}
	switch c.kind {
	case kindString:
		return s, nil
	case kindInteger:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		return n, nil
	case kindNumber:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a finite number", s)
		}
		return f, nil
	case kindDate:
		return model.ParseDate(s)
	}
	return parseList([]byte(s))
}

// fromJSON parses the JSON text of one value into a checked cell (nil = null).
func (c column) fromJSON(raw []byte) (any, error) {
	if string(raw) == "null" {
		if !c.nullable {
			return nil, errNull
		}
		return nil, nil
	}
	switch c.kind {
	case kindString:
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case kindInteger:
		var n int64
		err := json.Unmarshal(raw, &n)
		return n, err
	case kindNumber:
		var f float64
		err := json.Unmarshal(raw, &f)
		return f, err
	case kindDate:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return model.ParseDate(s)
	}
	return parseList(raw)
}

// parseList reads a JSON array of strings; null elements are refused.
func parseList(raw []byte) ([]string, error) {
	var ps []*string
	if err := json.Unmarshal(raw, &ps); err != nil || ps == nil {
		return nil, fmt.Errorf("%.40q is not a JSON array of strings", raw)
	}
	list := make([]string, len(ps))
	for i, p := range ps {
		if p == nil {
			return nil, fmt.Errorf("%w at index %d", errNullInList, i)
		}
		list[i] = *p
	}
	return list, nil
}
