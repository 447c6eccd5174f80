package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/internal/wordscan"
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

// value is one cell without boxing; the field that holds it depends on the column kind.
type value struct {
	null bool
	s    string     // kindString
	n    int64      // kindInteger
	f    float64    // kindNumber
	d    model.Date // kindDate
	list []string   // kindArray
}

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

// cell checks a value from model.Row.Values against the column and unboxes it.
func (c column) cell(v any) (value, error) {
	var (
		x   value
		ok  bool
		err error
	)
	switch c.kind {
	case kindString:
		if x.s, x.null, ok = pick[string](v, c.nullable); ok && !x.null {
			err = checkText(x.s, c.nullable)
		}
	case kindInteger:
		x.n, x.null, ok = pick[int64](v, c.nullable)
	case kindNumber:
		if x.f, x.null, ok = pick[float64](v, c.nullable); ok && !x.null && (math.IsNaN(x.f) || math.IsInf(x.f, 0)) {
			err = errNotFinite
		}
	case kindDate:
		if x.d, x.null, ok = pick[model.Date](v, c.nullable); ok && !x.null {
			if x.d.Year < 1 || x.d.Year > 9999 || model.DateFromDays(x.d.DaysSinceEpoch()) != x.d {
				err = fmt.Errorf("date %d-%d-%d does not exist or has no YYYY-MM-DD form", x.d.Year, x.d.Month, x.d.Day)
			}
		}
	case kindArray:
		x.list, ok = v.([]string)
		x.null = ok && x.list == nil
		for i, e := range x.list {
			if !utf8.ValidString(e) {
				err = fmt.Errorf("element %d: %w", i, errUTF8)
				break
			}
		}
	}
	switch {
	case !ok:
		return x, fmt.Errorf("got %T, want %s", v, c.goType())
	case x.null && !c.nullable:
		return x, fmt.Errorf("%w (want %s; use []string{} for an empty list)", errNull, c.goType())
	}
	return x, err
}

// checkText refuses text that would not come back the same from every format.
func checkText(s string, nullable bool) error {
	switch {
	case nullable && s == "":
		return errEmptyNull
	case strings.ContainsRune(s, '\r'):
		return errCR
	case !utf8.ValidString(s):
		return errUTF8
	}
	return nil
}

// canonical boxes a cell as the column's canonical Go type.
func (c column) canonical(x value) any {
	switch {
	case c.kind == kindArray:
		return x.list // nil for null
	case !c.nullable:
		switch c.kind {
		case kindString:
			return x.s
		case kindInteger:
			return x.n
		case kindNumber:
			return x.f
		}
		return x.d
	}
	switch c.kind {
	case kindString:
		return ptrUnlessNull(x.s, x.null)
	case kindInteger:
		return ptrUnlessNull(x.n, x.null)
	case kindNumber:
		return ptrUnlessNull(x.f, x.null)
	}
	return ptrUnlessNull(x.d, x.null)
}

func ptrUnlessNull[T any](v T, null bool) *T {
	if null {
		return nil
	}
	return &v
}

// appendJSON appends the JSON text of a cell.
func appendJSON(dst []byte, k kind, x value) []byte {
	switch {
	case x.null:
		return append(dst, "null"...)
	case k == kindString:
		return appendQuoted(dst, x.s)
	case k == kindInteger:
		return strconv.AppendInt(dst, x.n, 10)
	case k == kindNumber:
		return strconv.AppendFloat(dst, x.f, 'f', -1, 64)
	case k == kindDate:
		return append(append(append(dst, '"'), x.d.String()...), '"')
	}
	return appendList(dst, x.list)
}

// appendList appends a compact JSON array of strings.
func appendList(dst []byte, list []string) []byte {
	dst = append(dst, '[')
	for i, s := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendQuoted(dst, s)
	}
	return append(dst, ']')
}

// appendQuoted appends s, valid UTF-8, as a JSON string. It escapes only what JSON requires
// (quote, backslash, control characters) plus U+2028 and U+2029; it does not escape HTML.
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	done := 0 // s[:done] is in dst
	for i := 0; i < len(s); {
		// Eight plain bytes at a time (most of a text), then byte by byte.
		for i+8 <= len(s) && jsonPlainWord(s, i) {
			i += 8
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if jsonPlain[b] {
			i++
			continue
		}
		if b == 0xe2 {
			// U+2028 and U+2029 are E2 80 A8 and E2 80 A9; any other character that starts
			// with E2 is copied.
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				dst = append(append(dst, s[done:i]...), `\u202`...)
				dst = append(dst, hex[s[i+2]&0xf])
				i += 3
				done = i
				continue
			}
			// Another character (’ “ ” …): its continuation bytes are plain, so pass over them too.
			i++
			for k := 0; k < 2 && i < len(s) && s[i]&0xc0 == 0x80; k++ {
				i++
			}
			continue
		}
		dst = append(dst, s[done:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
		}
		i++
		done = i
	}
	return append(append(dst, s[done:]...), '"')
}

// jsonPlainWord reports whether the eight bytes s[i:i+8] are all jsonPlain.
func jsonPlainWord(s string, i int) bool {
	w := wordscan.Load64(s, i)
	return !wordscan.HasBelow(w, 0x20) && !wordscan.HasByte(w, '"') && !wordscan.HasByte(w, '\\') && !wordscan.HasByte(w, 0xe2)
}

// jsonPlain[b] is set for the bytes appendQuoted copies as they are without a look at what
// follows: all but the control characters, quote, backslash and 0xE2 (the first byte of U+2028
// and U+2029).
var jsonPlain = func() (t [256]bool) {
	for b := 0x20; b < 256; b++ {
		t[b] = b != '"' && b != '\\' && b != 0xe2
	}
	return t
}()

// appendCSVText appends the CSV text of a cell (nothing for null), unquoted.
func appendCSVText(dst []byte, k kind, x value) []byte {
	switch {
	case x.null:
		return dst
	case k == kindString:
		return append(dst, x.s...)
	case k == kindInteger:
		return strconv.AppendInt(dst, x.n, 10)
	case k == kindNumber:
		return strconv.AppendFloat(dst, x.f, 'f', -1, 64)
	case k == kindDate:
		return append(dst, x.d.String()...)
	}
	return appendList(dst, x.list)
}

// appendCSVField appends one field of a CSV record as encoding/csv.Writer (comma ',', LF line
// ends) writes it: as it is, or in double quotes with quotes doubled when it holds a quote, CR or
// LF or the comma, starts with white space, or is \. (a CR inside quotes stays a CR).
func appendCSVField[T string | []byte](dst []byte, field T) []byte {
	if !csvNeedsQuotes(field) {
		return append(dst, field...)
	}
	dst = append(dst, '"')
	for {
		i := indexByte(field, '"')
		if i < 0 {
			break
		}
		dst = append(append(dst, field[:i]...), '"', '"')
		field = field[i+1:]
	}
	return append(append(dst, field...), '"')
}

// indexByte is strings.IndexByte or bytes.IndexByte, whichever field is.
func indexByte[T string | []byte](field T, c byte) int {
	switch f := any(field).(type) {
	case string:
		return strings.IndexByte(f, c)
	case []byte:
		return bytes.IndexByte(f, c)
	}
	panic("unreachable")
}

// csvQuoted[c] is set for the bytes that make a CSV field need quotes wherever they are.
var csvQuoted = [256]bool{'\n': true, '\r': true, '"': true, ',': true}

func csvNeedsQuotes[T string | []byte](field T) bool {
	if len(field) == 0 {
		return false
	}
	if len(field) == 2 && field[0] == '\\' && field[1] == '.' {
		return true
	}
	for i := 0; i < len(field); i++ {
		if csvQuoted[field[i]] {
			return true
		}
	}
	r1, _ := utf8.DecodeRuneInString(string(field[:min(len(field), utf8.UTFMax)]))
	return unicode.IsSpace(r1)
}

// fromText parses a CSV cell.
func (c column) fromText(s string) (x value, err error) {
	if s == "" && (c.kind != kindString || c.nullable) {
		if !c.nullable {
			return x, errors.New("empty cell in a required column")
		}
		return value{null: true}, nil
	}
	switch c.kind {
	case kindString:
		x.s = s
	case kindInteger:
		if x.n, err = strconv.ParseInt(s, 10, 64); err != nil {
			err = fmt.Errorf("%q is not an integer", s)
		}
	case kindNumber:
		if x.f, err = strconv.ParseFloat(s, 64); err != nil || math.IsNaN(x.f) || math.IsInf(x.f, 0) {
			err = fmt.Errorf("%q is not a finite number", s)
		}
	case kindDate:
		x.d, err = model.ParseDate(s)
	case kindArray:
		x.list, err = parseList([]byte(s))
	}
	return x, err
}

// fromJSON parses the JSON text of one value.
func (c column) fromJSON(raw []byte) (x value, err error) {
	if string(raw) == "null" {
		if !c.nullable {
			return x, errNull
		}
		return value{null: true}, nil
	}
	switch c.kind {
	case kindString:
		err = json.Unmarshal(raw, &x.s)
	case kindInteger:
		err = json.Unmarshal(raw, &x.n)
	case kindNumber:
		err = json.Unmarshal(raw, &x.f)
	case kindDate:
		var s string
		if err = json.Unmarshal(raw, &s); err == nil {
			x.d, err = model.ParseDate(s)
		}
	case kindArray:
		x.list, err = parseList(raw)
	}
	return x, err
}

// parseList reads a JSON array of strings; null elements are refused.
func parseList(raw []byte) ([]string, error) {
	if list, q, ok := jsonList(raw, 0); ok && q == len(raw) {
		return list, nil // as the writer writes it, parsed in one pass (FuzzParseList)
	}
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
