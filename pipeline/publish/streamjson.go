package publish

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// StreamJSON writes v to w as the same bytes EncodeJSON returns, without holding the whole text
// in memory: structs, slices and arrays are written a field and an element at a time, and only
// the other values (maps, numbers, values with their own marshalling) are encoded whole. A
// release's changes.json lists every passage key of a first release, which at a million passages
// is a text of tens of megabytes that EncodeJSON would first build in one buffer.
func StreamJSON(w io.Writer, v any) error {
	s := &jsonStream{w: bufio.NewWriterSize(w, 64<<10), marshals: map[reflect.Type]bool{}}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	s.value(reflect.ValueOf(v), "")
	if s.err == nil {
		s.err = s.w.WriteByte('\n')
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

type jsonStream struct {
	w        *bufio.Writer
	buf      bytes.Buffer
	enc      *json.Encoder
	err      error
	marshals map[reflect.Type]bool // marshals(t), asked once per type: a key list has millions of strings
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// marshals reports whether values of t have their own JSON or text form, which encoding/json
// uses instead of walking them.
func marshals(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
}

func (s *jsonStream) write(b string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(b)
	}
}

// whole writes v as encoding/json indents it at depth indent (the prefix of its inner lines).
func (s *jsonStream) whole(v reflect.Value, indent string) {
	if s.err != nil {
		return
	}
	s.buf.Reset()
	s.enc.SetIndent(indent, "  ")
	var x any
	if v.IsValid() {
		x = v.Interface()
	}
	if err := s.enc.Encode(x); err != nil {
		s.err = err
		return
	}
	_, s.err = s.w.Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n")))
}

// plain reports whether encoding/json writes s between quotes as it is: printable ASCII
// without a quote or a backslash (HTML characters are not escaped here).
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (s *jsonStream) value(v reflect.Value, indent string) {
	if s.err != nil {
		return
	}
	if !v.IsValid() {
		s.write("null")
		return
	}
	t := v.Type()
	m, ok := s.marshals[t]
	if !ok {
		m = marshals(t)
		s.marshals[t] = m
	}
	if m {
		s.whole(v, indent)
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			s.write("null")
			return
		}
		s.value(v.Elem(), indent)
	case reflect.String:
		if str := v.String(); plain(str) {
			s.write(`"`)
			s.write(str)
			s.write(`"`)
			return
		}
		s.whole(v, indent)
	case reflect.Slice:
		if v.IsNil() {
			s.write("null")
			return
		}
		if t.Elem().Kind() == reflect.Uint8 {
			s.whole(v, indent) // []byte is base64
			return
		}
		s.elements(v, indent)
	case reflect.Array:
		s.elements(v, indent)
	case reflect.Struct:
		s.object(v, indent)
	default:
		s.whole(v, indent)
	}
}

func (s *jsonStream) elements(v reflect.Value, indent string) {
	if v.Len() == 0 {
		s.write("[]")
		return
	}
	inner := indent + "  "
	s.write("[")
	for i := range v.Len() {
		if i > 0 {
			s.write(",")
		}
		s.write("\n" + inner)
		s.value(v.Index(i), inner)
		if s.err != nil {
			return
		}
	}
	s.write("\n" + indent + "]")
}

// jsonField is a struct field as encoding/json names it.
type jsonField struct {
	index     int
	name      string
	omitEmpty bool
}

// fieldsOf lists the fields of t that encoding/json writes, in order; ok is false for a struct
// it treats in ways not followed here (embedded fields, the string option), which is then
// encoded whole.
func fieldsOf(t reflect.Type) (fields []jsonField, ok bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil, false
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		jf := jsonField{index: i, name: name}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				jf.omitEmpty = true
			case "string", "omitzero":
				return nil, false
			}
		}
		if !plain(name) {
			return nil, false
		}
		fields = append(fields, jf)
	}
	return fields, true
}

// empty is encoding/json's omitempty test.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func (s *jsonStream) object(v reflect.Value, indent string) {
	fields, ok := fieldsOf(v.Type())
	if !ok {
		s.whole(v, indent)
		return
	}
	inner := indent + "  "
	n := 0
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && empty(fv) {
			continue
		}
		if n == 0 {
			s.write("{")
		} else {
			s.write(",")
		}
		n++
		s.write("\n" + inner + `"` + f.name + `": `)
		s.value(fv, inner)
		if s.err != nil {
			return
		}
	}
	if n == 0 {
		s.write("{}")
		return
	}
	s.write("\n" + indent + "}")
}
