package publish

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standpunten/standpunten/schemas"
)

// jsonKeys is, per column, its key in a row object as the writer writes it and the line parser
// expects it: `"name":`.
func jsonKeys(cols []column) [][]byte {
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		keys[i] = append(appendQuoted(nil, c.name), ':')
	}
	return keys
}

// scanJSONLines reads a JSON table file in the layout the writer gives it: "[", then one row
// object a line, each but the last followed by a comma, then "]" (or "[]" alone), with no other
// white space. It yields rows as long as the file keeps to that layout and every cell is as the
// writer writes it, parsing each line in one pass; n is how many rows it yielded. done is true
// when it read the whole file or the consumer stopped; otherwise the caller reads the file again
// with the general decoder, which gives the same cells for the rows yielded (tested by
// FuzzJSONLine) and says what, if anything, is wrong with the rest.
func scanJSONLines(path string, t *schemas.Table, yield func([]any, error) bool) (n int, done bool) {
	cols, err := columnsOf(t)
	if err != nil {
		return 0, false
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	r := &lineReader{r: bufio.NewReaderSize(f, 1<<16)}
	keys := jsonKeys(cols)

	switch first, ok := r.next(); {
	case !ok:
		return 0, false
	case string(first) == "[]":
		_, more := r.next()
		return 0, !more && r.err == nil
	case string(first) != "[":
		return 0, false
	}
	for {
		line, ok := r.next()
		if !ok {
			return n, false
		}
		last := true
		if len(line) > 0 && line[len(line)-1] == ',' {
			line, last = line[:len(line)-1], false
		}
		row, ok := jsonLine(line, cols, keys)
		if !ok {
			return n, false
		}
		n++
		if !yield(row, nil) {
			return n, true
		}
		if last {
			break
		}
	}
	if end, ok := r.next(); !ok || string(end) != "]" {
		return n, false
	}
	_, more := r.next()
	return n, !more && r.err == nil
}

// lineReader reads lines ending in "\n", without it; a last line without one is not a line of
// the writer's layout (next reports false, as at the end of the file or on a read error).
type lineReader struct {
	r    *bufio.Reader
	long []byte // a line longer than the buffer, pieced together
	err  error  // a read error other than the end of the file
}

func (l *lineReader) next() ([]byte, bool) {
	b, err := l.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.long = append(l.long[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			b, err = l.r.ReadSlice('\n')
			l.long = append(l.long, b...)
		}
		b = l.long
	}
	if err != nil {
		if !errors.Is(err, io.EOF) {
			l.err = err
		}
		return nil, false
	}
	return b[:len(b)-1], true
}

// jsonLine parses one row object as the writer writes it: every column's key in schema order,
// no white space, strings without escapes as they are (and any escaped string, number or date
// by encoding/json); ok is false for anything else, and for any cell the general decoder would
// refuse.
func jsonLine(line []byte, cols []column, keys [][]byte) (row []any, ok bool) {
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' {
		return nil, false
	}
	row = make([]any, len(cols))
	p := 1
	for i := range cols {
		if i > 0 {
			if p >= len(line) || line[p] != ',' {
				return nil, false
			}
			p++
		}
		if !bytes.HasPrefix(line[p:], keys[i]) {
			return nil, false
		}
		p += len(keys[i])
		x, q, ok := jsonCell(line, p, cols[i])
		if !ok {
			return nil, false
		}
		row[i], p = cols[i].canonical(x), q
	}
	return row, p == len(line)-1
}

// jsonCell parses the value at line[p:] for column c; q is where it ends.
func jsonCell(line []byte, p int, c column) (x value, q int, ok bool) {
	if p >= len(line) {
		return x, 0, false
	}
	switch b := line[p]; {
	case b == 'n':
		if !bytes.HasPrefix(line[p:], []byte("null")) || !c.nullable {
			return x, 0, false
		}
		return value{null: true}, p + 4, true
	case b == '"' && (c.kind == kindString || c.kind == kindDate):
		q, plain, ok := jsonString(line, p)
		if !ok {
			return x, 0, false
		}
		if plain && c.kind == kindString {
			return value{s: string(line[p+1 : q-1])}, q, true
		}
		x, err := c.fromJSON(line[p:q])
		return x, q, err == nil
	case (b == '-' || b >= '0' && b <= '9') && (c.kind == kindInteger || c.kind == kindNumber):
		q = p
		for q < len(line) && strings.IndexByte("0123456789+-.eE", line[q]) >= 0 {
			q++
		}
		if c.kind == kindInteger && plainInt(line[p:q]) {
			if n, err := strconv.ParseInt(string(line[p:q]), 10, 64); err == nil {
				return value{n: n}, q, true
			}
		}
		x, err := c.fromJSON(line[p:q])
		return x, q, err == nil
	case b == '[' && c.kind == kindArray:
		list, q, ok := jsonList(line, p)
		return value{list: list}, q, ok
	}
	return x, 0, false
}

// jsonList parses the array of strings at line[p:] as the writer writes one (no white space; no
// null); q is where it ends.
func jsonList(line []byte, p int) (list []string, q int, ok bool) {
	if p >= len(line) || line[p] != '[' {
		return nil, 0, false
	}
	list = []string{}
	q = p + 1
	if q < len(line) && line[q] == ']' {
		return list, q + 1, true
	}
	for {
		if q >= len(line) || line[q] != '"' {
			return nil, 0, false
		}
		end, plain, ok := jsonString(line, q)
		if !ok {
			return nil, 0, false
		}
		s := ""
		if plain {
			s = string(line[q+1 : end-1])
		} else if json.Unmarshal(line[q:end], &s) != nil {
			return nil, 0, false
		}
		list = append(list, s)
		if q = end; q < len(line) && line[q] == ']' {
			return list, q + 1, true
		}
		if q >= len(line) || line[q] != ',' {
			return nil, 0, false
		}
		q++
	}
}

// jsonString finds the end of the JSON string that starts at line[p] (the index after its closing
// quote). plain says that it holds no escape and is valid UTF-8, so that its bytes are its value;
// ok is false for a string that does not end or holds a control character.
func jsonString(line []byte, p int) (q int, plain, ok bool) {
	esc := false
	for j := p + 1; j < len(line); j++ {
		switch b := line[j]; {
		case b == '"':
			return j + 1, !esc && utf8.Valid(line[p+1:j]), true
		case b == '\\':
			esc = true
			j++
		case b < 0x20:
			return 0, false, false
		}
	}
	return 0, false, false
}

// plainInt reports whether b is an integer as JSON writes one: an optional minus, then 0 or
// digits not starting with 0.
func plainInt(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || b[0] == '0' && len(b) > 1 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
