package registry

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pos is a place in a text file: a 1-based line and a 1-based column that counts characters
// (runes), so a column is the same in every editor whatever the bytes of the characters before it.
// The zero Pos means "unknown".
type Pos struct{ Line, Col int }

// node is one key, table or array element of a TOML file, with the place where it is written, so that
// a message about any value of a registry file can point at it. The tree mirrors the decoded value:
// a table's keys are in keys, an array's elements (and an array of tables' tables) in items, in the
// order of the file.
//
// Where at points: a key points at its name (the first character of the name, a quote for a quoted
// name; for a dotted key a.b each part at its own name; for a table first named in a header, the name
// in that header); a table of an array of tables at the "[[" of its header; an array element at the
// first character of its value. A key keeps the place where it is first written.
type node struct {
	at    Pos
	str   string // the decoded value, when the value is a string
	isStr bool
	keys  map[string]*node
	items []*node
}

// key returns the sub-key name of n, or nil; a nil n has no keys.
func (n *node) key(name string) *node {
	if n == nil {
		return nil
	}
	return n.keys[name]
}

// item returns the i-th (0-based) element of n, or nil.
func (n *node) item(i int) *node {
	if n == nil || i < 0 || i >= len(n.items) {
		return nil
	}
	return n.items[i]
}

// pos returns where n is written, or the zero Pos for a nil n.
func (n *node) pos() Pos {
	if n == nil {
		return Pos{}
	}
	return n.at
}

// first returns the first node, in the order of the file, at a key path as the TOML decoder names
// keys (no array indices: "document.format" is the format key of any [[document]] table), or nil.
func (n *node) first(path []string) *node {
	if n == nil || len(path) == 0 {
		return n
	}
	c := n.key(path[0])
	if c == nil {
		return nil
	}
	if len(path) == 1 {
		return c
	}
	if found := c.first(path[1:]); found != nil {
		return found
	}
	for _, it := range c.items {
		if found := it.first(path[1:]); found != nil {
			return found
		}
	}
	return nil
}

// child returns the sub-key name of n, adding it (written at at) when it is new.
func (n *node) child(name string, at Pos) *node {
	if c, ok := n.keys[name]; ok {
		return c
	}
	if n.keys == nil {
		n.keys = map[string]*node{}
	}
	c := &node{at: at}
	n.keys[name] = c
	return c
}

// keyPart is one part of a dotted key, with where its name is written.
type keyPart struct {
	name string
	at   Pos
}

// scanTOML records where every key, table and array element of a TOML document is written, in one
// pass over text. It is meant for text that the TOML decoder has accepted; on other text it still
// ends (every step consumes at least one byte) and never panics, but what it records is a guess.
// A UTF-8 byte order mark at the start is skipped, as the decoder skips it, and not counted.
func scanTOML(text string) *node {
	sc := &scanner{s: text, line: 1, markCol: 1}
	if strings.HasPrefix(text, "\ufeff") {
		sc.i = len("\ufeff")
		sc.lineStart, sc.markOff = sc.i, sc.i
	}
	root := &node{at: Pos{1, 1}}
	table := root
	for {
		sc.skipBlank()
		if sc.eof() {
			return root
		}
		start := sc.i
		switch {
		case sc.has("[["):
			at := sc.pos()
			sc.advance(2)
			table = openArrayTable(root, sc.keyPath(), at)
			sc.skipSpace()
			if sc.has("]]") {
				sc.advance(2)
			}
		case sc.peek() == '[':
			sc.advance(1)
			table = openTable(root, sc.keyPath())
			sc.skipSpace()
			if sc.peek() == ']' {
				sc.advance(1)
			}
		default:
			sc.keyValue(table)
		}
		if sc.i == start {
			sc.advance(1) // not TOML: step over the byte rather than stop
		}
	}
}

// openTable returns the table a [a.b.c] header names, adding what is new. A part that names an array
// of tables means its last table, as in TOML.
func openTable(root *node, parts []keyPart) *node {
	t := root
	for _, p := range parts {
		t = t.child(p.name, p.at)
		if len(t.items) > 0 {
			t = t.items[len(t.items)-1]
		}
	}
	return t
}

// openArrayTable adds a table, whose header starts at at, to the array of tables a [[a.b.c]] header
// names, and returns it.
func openArrayTable(root *node, parts []keyPart, at Pos) *node {
	if len(parts) == 0 {
		return &node{at: at} // not TOML; the keys that follow go nowhere
	}
	parent := openTable(root, parts[:len(parts)-1])
	last := parts[len(parts)-1]
	arr := parent.child(last.name, last.at)
	t := &node{at: at}
	arr.items = append(arr.items, t)
	return t
}

// scanner walks a TOML text. It counts lines as it goes and columns only where a place is asked for,
// from the last place asked for on the same line, so a file of one long line costs no more.
type scanner struct {
	s         string
	i         int // the next byte
	line      int // of the next byte
	lineStart int // offset of the line's first byte
	markOff   int // offset of the last place asked for (or of lineStart)
	markCol   int // its column
	parts     []keyPart
}

func (sc *scanner) eof() bool          { return sc.i >= len(sc.s) }
func (sc *scanner) has(p string) bool  { return strings.HasPrefix(sc.s[sc.i:], p) }
func (sc *scanner) rest() string       { return sc.s[sc.i:] }
func (sc *scanner) at(k int) byte      { return sc.s[sc.i+k] }
func (sc *scanner) left() int          { return len(sc.s) - sc.i }
func (sc *scanner) atNewline() bool    { return sc.has("\n") || sc.has("\r\n") }
func (sc *scanner) peekIs(b byte) bool { return !sc.eof() && sc.s[sc.i] == b }

// peek returns the next byte, or 0 at the end.
func (sc *scanner) peek() byte {
	if sc.eof() {
		return 0
	}
	return sc.s[sc.i]
}

// pos is the place of the next byte; the column counts characters (an invalid byte as one).
func (sc *scanner) pos() Pos {
	if sc.markOff < sc.lineStart {
		sc.markOff, sc.markCol = sc.lineStart, 1
	}
	sc.markCol += utf8.RuneCountInString(sc.s[sc.markOff:sc.i])
	sc.markOff = sc.i
	return Pos{sc.line, sc.markCol}
}

// advance consumes n bytes (fewer at the end), counting the line ends among them.
func (sc *scanner) advance(n int) {
	end := min(sc.i+max(n, 0), len(sc.s))
	seg := sc.s[sc.i:end]
	if k := strings.LastIndexByte(seg, '\n'); k >= 0 {
		sc.line += strings.Count(seg, "\n")
		sc.lineStart = sc.i + k + 1
	}
	sc.i = end
}

// skipSpace consumes spaces and tabs.
func (sc *scanner) skipSpace() {
	j := sc.i
	for j < len(sc.s) && (sc.s[j] == ' ' || sc.s[j] == '\t') {
		j++
	}
	sc.advance(j - sc.i)
}

// skipBlank consumes white space, line ends and comments.
func (sc *scanner) skipBlank() {
	j := sc.i
	for j < len(sc.s) {
		switch sc.s[j] {
		case ' ', '\t', '\n', '\r':
			j++
			continue
		case '#':
			if k := strings.IndexByte(sc.s[j:], '\n'); k >= 0 {
				j += k
			} else {
				j = len(sc.s)
			}
			continue
		}
		break
	}
	sc.advance(j - sc.i)
}

// keyPath reads a (dotted) key: the names of its parts and where each is written.
// The parts are valid until the next call.
func (sc *scanner) keyPath() []keyPart {
	parts := sc.parts[:0]
	defer func() { sc.parts = parts }()
	for {
		sc.skipSpace()
		at := sc.pos()
		name, ok := sc.keyName()
		if !ok {
			return parts
		}
		parts = append(parts, keyPart{name: name, at: at})
		sc.skipSpace()
		if !sc.peekIs('.') {
			return parts
		}
		sc.advance(1)
	}
}

// keyName reads one bare or quoted key name.
func (sc *scanner) keyName() (string, bool) {
	switch sc.peek() {
	case '"':
		return sc.basicString(), true
	case '\'':
		return sc.literalString(), true
	}
	j := sc.i
	for j < len(sc.s) && isBareKeyByte(sc.s[j]) {
		j++
	}
	if j == sc.i {
		return "", false
	}
	name := sc.s[sc.i:j]
	sc.advance(j - sc.i)
	return name, true
}

func isBareKeyByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// keyValue reads key = value into table t.
func (sc *scanner) keyValue(t *node) {
	parts := sc.keyPath()
	if len(parts) == 0 {
		return
	}
	n := t
	for _, p := range parts {
		n = n.child(p.name, p.at)
	}
	sc.skipSpace()
	if !sc.peekIs('=') {
		return
	}
	sc.advance(1)
	sc.skipSpace()
	sc.value(n)
}

// value reads a value into n: a string's decoded text, an array's elements, an inline table's keys.
func (sc *scanner) value(n *node) {
	switch {
	case sc.has(`"""`):
		n.str, n.isStr = sc.multiLineString('"'), true
	case sc.has("'''"):
		n.str, n.isStr = sc.multiLineString('\''), true
	case sc.peekIs('"'):
		n.str, n.isStr = sc.basicString(), true
	case sc.peekIs('\''):
		n.str, n.isStr = sc.literalString(), true
	case sc.peekIs('['):
		sc.advance(1)
		sc.array(n)
	case sc.peekIs('{'):
		sc.advance(1)
		sc.inlineTable(n)
	default: // a number, boolean or date (a date may hold a space)
		k := strings.IndexAny(sc.rest(), ",]}#\r\n")
		if k < 0 {
			k = sc.left()
		}
		sc.advance(k)
	}
}

// array reads the elements of an array, after its "[".
func (sc *scanner) array(n *node) {
	for {
		sc.skipBlank()
		switch {
		case sc.eof():
			return
		case sc.peekIs(']'):
			sc.advance(1)
			return
		case sc.peekIs(','):
			sc.advance(1)
			continue
		}
		it := &node{at: sc.pos()}
		n.items = append(n.items, it)
		start := sc.i
		sc.value(it)
		if sc.i == start {
			sc.advance(1)
		}
	}
}

// inlineTable reads the keys of an inline table, after its "{" (TOML 1.1 allows line ends and
// comments inside).
func (sc *scanner) inlineTable(n *node) {
	if n.keys == nil {
		n.keys = map[string]*node{} // an empty inline table is a table too
	}
	for {
		sc.skipBlank()
		switch {
		case sc.eof():
			return
		case sc.peekIs('}'):
			sc.advance(1)
			return
		case sc.peekIs(','):
			sc.advance(1)
			continue
		}
		start := sc.i
		sc.keyValue(n)
		if sc.i == start {
			sc.advance(1)
		}
	}
}

// literalString reads '...' and returns its text.
func (sc *scanner) literalString() string {
	sc.advance(1)
	rest := sc.rest()
	end := strings.IndexAny(rest, "'\n")
	if end < 0 {
		end = len(rest)
	}
	s := rest[:end]
	sc.advance(end)
	if sc.peekIs('\'') {
		sc.advance(1)
	}
	return s
}

// basicString reads "..." and returns its decoded text.
func (sc *scanner) basicString() string {
	sc.advance(1)
	var b strings.Builder
	for !sc.eof() {
		rest := sc.rest()
		k := strings.IndexAny(rest, "\"\\\n")
		if k < 0 {
			k = len(rest)
		}
		if k == len(rest) || rest[k] == '"' {
			if b.Len() == 0 { // no escapes: no copy
				sc.advance(k + 1)
				return rest[:k]
			}
			b.WriteString(rest[:k])
			sc.advance(k + 1)
			return b.String()
		}
		b.WriteString(rest[:k])
		sc.advance(k)
		if rest[k] == '\n' {
			break // not TOML: the string ends at the line end
		}
		sc.escape(&b)
	}
	return b.String()
}

// multiLineString reads """...""" or ”'...”' (quote is the delimiter's character) and returns its
// decoded text: without a line end right after the opening delimiter, escapes replaced in a basic
// string, and a line-ending backslash removed with the white space after it.
func (sc *scanner) multiLineString(quote byte) string {
	sc.advance(3)
	if sc.atNewline() {
		sc.advance(strings.IndexByte(sc.rest(), '\n') + 1)
	}
	var b strings.Builder
	for !sc.eof() {
		c := sc.peek()
		switch {
		case c == quote && sc.left() >= 3 && sc.at(1) == quote && sc.at(2) == quote:
			q := 3
			for q < sc.left() && sc.at(q) == quote && q < 5 {
				q++
			}
			b.WriteString(strings.Repeat(string(quote), q-3)) // up to two quotes end the text
			sc.advance(q)
			return b.String()
		case c == '\\' && quote == '"':
			sc.escape(&b)
		default:
			j := 1
			for j < sc.left() && sc.at(j) != quote && sc.at(j) != '\\' {
				j++
			}
			b.WriteString(sc.s[sc.i : sc.i+j])
			sc.advance(j)
		}
	}
	return b.String()
}

// simpleEscapes are what the one-letter escapes of a basic string stand for.
var simpleEscapes = [256]byte{'b': '\b', 't': '\t', 'n': '\n', 'f': '\f', 'r': '\r', 'e': 0x1b, '"': '"', '\\': '\\'}

// escape reads an escape sequence at a backslash and writes what it stands for to b. A backslash
// followed by white space up to a line end (a line-ending backslash of a multi-line string) stands
// for nothing and swallows the white space and line ends after it.
func (sc *scanner) escape(b *strings.Builder) {
	sc.advance(1)
	if sc.eof() {
		return
	}
	c := sc.peek()
	switch c {
	case 'b', 't', 'n', 'f', 'r', 'e', '"', '\\':
		b.WriteByte(simpleEscapes[c])
		sc.advance(1)
	case 'x', 'u', 'U':
		digits := 2
		switch c {
		case 'u':
			digits = 4
		case 'U':
			digits = 8
		}
		if sc.left() > digits {
			if r, err := strconv.ParseUint(sc.s[sc.i+1:sc.i+1+digits], 16, 32); err == nil {
				b.WriteRune(rune(r))
				sc.advance(1 + digits)
				return
			}
		}
		b.WriteByte('\\') // not TOML: keep the text as it is
	case ' ', '\t', '\r', '\n':
		j := sc.i
		for j < len(sc.s) && (sc.s[j] == ' ' || sc.s[j] == '\t') {
			j++
		}
		if !strings.HasPrefix(sc.s[j:], "\n") && !strings.HasPrefix(sc.s[j:], "\r\n") {
			b.WriteByte('\\') // not TOML
			return
		}
		for j < len(sc.s) && strings.IndexByte(" \t\r\n", sc.s[j]) >= 0 {
			j++
		}
		sc.advance(j - sc.i)
	default:
		b.WriteByte('\\') // not TOML: keep the text as it is
	}
}
