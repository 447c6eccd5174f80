package registry

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scanSample has the shapes the scanner must not be fooled by: a header and keys inside multi-line
// strings, comments, quoted and dotted keys, sub-tables of an array of tables, inline tables and arrays
// over several lines, and characters of more than one byte before a key.
const scanSample = `# [[document]] in a comment
title = """
[[document]]
id = "not-a-key"
"""
lit = '''
[[document]]'''

[[document]]
id = "a"
  "quoted key" = 'x'
drop.navigation = ["Menu", 'Zoek "hier"']

[document.meta]
note = "één \"twee\" \u00e9"

`

func TestScanTOML(t *testing.T) {
	text := scanSample + `[[ document ]]
id = "b"
inline = { x = 1, y = { z = "é" }, list = [
  "één",  # a comment
  { k = 'v' },
] }
dates = [1979-05-27 07:32:00Z, 2023-11-22]
"ééé" = 1
`
	var v map[string]any
	_, err := toml.Decode(text, &v)
	require.NoError(t, err)
	root := scanTOML(text)

	doc := root.key("document")
	require.Len(t, doc.items, 2, "the [[document]] in the strings and the comment are not tables")
	assert.Equal(t, Pos{9, 1}, doc.item(0).pos(), "[[ of the first table")
	assert.Equal(t, Pos{9, 3}, doc.pos(), "the array's name in its first header")
	assert.Equal(t, Pos{10, 1}, doc.item(0).key("id").pos())
	assert.Equal(t, "a", doc.item(0).key("id").str)
	assert.Equal(t, Pos{11, 3}, doc.item(0).key("quoted key").pos())
	assert.Equal(t, Pos{12, 1}, doc.item(0).key("drop").pos())
	assert.Equal(t, Pos{12, 6}, doc.item(0).key("drop").key("navigation").pos())
	nav := doc.item(0).key("drop").key("navigation")
	require.Len(t, nav.items, 2)
	assert.Equal(t, Pos{12, 20}, nav.item(0).pos())
	assert.Equal(t, Pos{12, 28}, nav.item(1).pos())
	assert.Equal(t, `Zoek "hier"`, nav.item(1).str)
	assert.Equal(t, Pos{14, 11}, doc.item(0).key("meta").pos(), "a sub-table: its name in the header")
	assert.Equal(t, `één "twee" é`, doc.item(0).key("meta").key("note").str)
	assert.Equal(t, "[[document]]\nid = \"not-a-key\"\n", root.key("title").str)
	assert.Equal(t, "[[document]]", root.key("lit").str)

	b := doc.item(1)
	assert.Equal(t, Pos{17, 1}, b.pos())
	assert.Equal(t, Pos{19, 1}, b.key("inline").pos())
	assert.Equal(t, Pos{19, 25}, b.key("inline").key("y").key("z").pos())
	list := b.key("inline").key("list")
	require.Len(t, list.items, 2)
	assert.Equal(t, Pos{20, 3}, list.item(0).pos())
	assert.Equal(t, "één", list.item(0).str)
	assert.Equal(t, Pos{21, 3}, list.item(1).pos())
	assert.Equal(t, Pos{21, 5}, list.item(1).key("k").pos())
	assert.Len(t, b.key("dates").items, 2)
	assert.Equal(t, Pos{23, 32}, b.key("dates").item(1).pos())
	assert.Equal(t, Pos{24, 1}, b.key("ééé").pos())

	assert.Equal(t, Pos{21, 5}, root.first([]string{"document", "inline", "list", "k"}).pos())
	assert.Equal(t, Pos{10, 1}, root.first([]string{"document", "id"}).pos(), "the first table's id")
	assert.Nil(t, root.first([]string{"document", "nope"}))
	checkScan(t, text, root, v)
}

func TestScanTOMLLineEnds(t *testing.T) {
	lf := "\ufeff[[a]]\nid = \"x\"\ns = \"\"\"\r\nmulti\r\n\"\"\"\n[[a]]\n\tid = \"y\"\n"
	crlf := strings.ReplaceAll(strings.ReplaceAll(lf, "\r\n", "\n"), "\n", "\r\n")
	for name, text := range map[string]string{"LF (a BOM, CRLF inside a string)": lf, "CRLF": crlf} {
		t.Run(name, func(t *testing.T) {
			var v map[string]any
			_, err := toml.Decode(text, &v)
			require.NoError(t, err)
			root := scanTOML(text)
			a := root.key("a")
			require.Len(t, a.items, 2)
			assert.Equal(t, Pos{1, 1}, a.item(0).pos(), "the byte order mark is not a character")
			assert.Equal(t, Pos{2, 1}, a.item(0).key("id").pos())
			assert.Equal(t, Pos{6, 1}, a.item(1).pos())
			assert.Equal(t, Pos{7, 2}, a.item(1).key("id").pos())
			checkScan(t, text, root, v)
		})
	}
}

// checkScan checks the scanned tree against what the TOML decoder made of the same text: the same keys
// and elements, the same strings, and every place pointing at its key's name or its element.
func checkScan(t *testing.T, text string, n *node, v map[string]any) {
	t.Helper()
	lines := strings.Split(strings.TrimPrefix(text, "\ufeff"), "\n")
	checkTable(t, lines, n, v, "")
}

func checkTable(t *testing.T, lines []string, n *node, v map[string]any, path string) {
	t.Helper()
	require.NotNil(t, n, "%s: no node", path)
	var want, got []string
	for k := range v {
		want = append(want, k)
	}
	for k := range n.keys {
		got = append(got, k)
	}
	sort.Strings(want)
	sort.Strings(got)
	require.Equal(t, want, got, "%s: keys", path)
	for k, val := range v {
		c := n.keys[k]
		rest := textAt(t, lines, c.at, path+"."+k)
		require.True(t, spellsKey(rest, k), "%s.%s: %v points at %q, not at the key", path, k, c.at, clip(rest))
		checkValue(t, lines, c, val, path+"."+k)
	}
}

func checkValue(t *testing.T, lines []string, n *node, val any, path string) {
	t.Helper()
	switch val := val.(type) {
	case string:
		require.True(t, n.isStr, "%s: not scanned as a string", path)
		require.Equal(t, val, n.str, "%s: string", path)
	case map[string]any:
		checkTable(t, lines, n, val, path)
	case []map[string]any:
		require.Len(t, n.items, len(val), "%s: tables", path)
		for i, m := range val {
			p := fmt.Sprintf("%s[%d]", path, i)
			rest := textAt(t, lines, n.items[i].at, p)
			require.True(t, strings.HasPrefix(rest, "[[") || strings.HasPrefix(rest, "{"), "%s: %v points at %q", p, n.items[i].at, clip(rest))
			checkTable(t, lines, n.items[i], m, p)
		}
	case []any:
		require.Len(t, n.items, len(val), "%s: elements", path)
		for i, e := range val {
			p := fmt.Sprintf("%s[%d]", path, i)
			rest := textAt(t, lines, n.items[i].at, p)
			var first byte
			switch e.(type) {
			case string:
				first = rest[0]
				require.Contains(t, `"'`, string(first), "%s: %v points at %q", p, n.items[i].at, clip(rest))
			case []any:
				require.True(t, strings.HasPrefix(rest, "["), "%s: %v points at %q", p, n.items[i].at, clip(rest))
			case map[string]any:
				require.True(t, strings.HasPrefix(rest, "{"), "%s: %v points at %q", p, n.items[i].at, clip(rest))
			default:
				require.NotContains(t, " \t\r\n,[]{}#\"'", string(rest[0]), "%s: %v points at %q", p, n.items[i].at, clip(rest))
			}
			checkValue(t, lines, n.items[i], e, p)
		}
	default:
		require.False(t, n.isStr, "%s: a %T scanned as a string", path, val)
	}
}

// textAt returns the text from pos to the end of its line, counting the column in characters.
func textAt(t *testing.T, lines []string, pos Pos, path string) string {
	t.Helper()
	require.True(t, pos.Line >= 1 && pos.Line <= len(lines), "%s: line %d of %d", path, pos.Line, len(lines))
	line := lines[pos.Line-1]
	i := 0
	for c := 1; c < pos.Col; c++ {
		require.Less(t, i, len(line), "%s: column %d past the end of line %d", path, pos.Col, pos.Line)
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	require.Less(t, i, len(line), "%s: column %d at the end of line %d", path, pos.Col, pos.Line)
	return line[i:]
}

// spellsKey reports whether rest starts with key written as a bare key, a literal key or a basic key
// (a basic key is read by the scanner's own string reader, for its escapes).
func spellsKey(rest, key string) bool {
	switch {
	case strings.HasPrefix(rest, "'"):
		return strings.HasPrefix(rest, "'"+key+"'")
	case strings.HasPrefix(rest, `"`):
		sc := &scanner{s: rest, line: 1, markCol: 1}
		name, ok := sc.keyName()
		return ok && name == key
	}
	if !strings.HasPrefix(rest, key) || key == "" {
		return false
	}
	after := rest[len(key):]
	return after == "" || !isBareKeyByte(after[0])
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// FuzzScanTOML checks the position finder on any text: it ends without panicking, and on every text
// the TOML decoder accepts it finds the decoder's keys, elements and strings, each place pointing at
// the key's name or at the element.
func FuzzScanTOML(f *testing.F) {
	for _, s := range []string{scanSample, good, parties, elections, sharedVolt, aliasSample,
		"a = [[1, 2], ['x'], [{b = \"c\"}]]\n", "[x.y]\n[x]\nz = 1\n[[x.w]]\nq = 'r'\n",
		"s = \"\"\"a\\\n   b\"\"\"\nt = \"\"\"\"\"x\"\"\"\"\"\n", "a.\"b.c\".d = 'e'\n",
		"p = { a = 1,\n  b = 2, }\n", "e = \"\\e\\x41\\U0001F600\"\r\n",
	} {
		f.Add(s)
	}
	for _, name := range []string{SourcesFile, PartiesFile, ElectionsFile, DatasetFile} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "raw", name)); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		root := scanTOML(text)
		var v map[string]any
		if _, err := toml.Decode(text, &v); err != nil {
			return
		}
		checkScan(t, text, root, v)
	})
}
