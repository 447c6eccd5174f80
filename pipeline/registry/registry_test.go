package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

const parties = `[[party]]
id = "volt"
abbreviation = "Volt"
name = "Volt Nederland"
aliases = ["Volt"]
`

const elections = `[[election]]
id = "TK2023"
name = "Tweede Kamerverkiezingen 2023"
date = 2023-11-22
`

const good = `[[document]]
id = "a"
file = "a.txt"
format = "party-summaries"
title = "A"
election = "TK2023"
topic = "x"
language = "nl"
`

func setup(t *testing.T, sources string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{"parties.toml": parties, "elections.toml": elections, "sources.toml": sources, "a.txt": "Volt wil.\n"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

func TestLoadGood(t *testing.T) {
	dir := setup(t, good)
	r, err := Load(dir)
	require.NoError(t, err)
	require.Len(t, r.Sources, 1)
	assert.Equal(t, "utf-8", r.Sources[0].Encoding)
	assert.Equal(t, filepath.Join(dir, "a.txt"), r.Sources[0].Path)
}

func TestLoadRejects(t *testing.T) {
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("x"), 0o644))
	for _, tc := range []struct {
		name    string
		sources string
		prepare func(dir string)
		want    string
	}{
		{"syntax error", good + "oops = \n", nil, "sources.toml:9:8: TOML syntax error"},
		{"unknown key", strings.Replace(good, "format =", "fromat =", 1), nil, `sources.toml:4:1: unknown key "document.fromat" (did you mean "format"?)`},
		{"unknown format", strings.Replace(good, "party-summaries", "party-summary", 1), nil, `sources.toml:4:1: unknown format "party-summary" (did you mean "party-summaries"?`},
		{"duplicate id", good + "\n" + good, nil, `sources.toml:11:1: duplicate document id "a"`},
		{"escaping path", strings.Replace(good, `"a.txt"`, `"../../etc/passwd"`, 1), nil, `sources.toml:3:1: file "../../etc/passwd" leaves the raw folder`},
		{"absolute path", strings.Replace(good, `"a.txt"`, `"/etc/passwd"`, 1), nil, `sources.toml:3:1: file "/etc/passwd" is an absolute path`},
		{"symlink out", strings.Replace(good, `"a.txt"`, `"link.txt"`, 1), func(dir string) {
			require.NoError(t, os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "link.txt")))
		}, `sources.toml:3:1: file "link.txt" is a symlink that leads out of the raw folder`},
		{"unknown election", strings.Replace(good, `"TK2023"`, `"TK2027"`, 1), nil, `sources.toml:6:1: unknown election "TK2027"`},
		{"missing key", strings.Replace(good, "topic = \"x\"\n", "", 1), nil, `sources.toml:2:1: document "a" has no topic`},
		{"bad encoding", good + "encoding = \"latin-9\"\n", nil, `sources.toml:9:1: unknown encoding "latin-9"`},
		{"shared alias", good, writeFile(t, "parties.toml", parties+sharedVolt), `parties.toml:11:27: alias "Volt" belongs to both "volt" and "volt-europa" (an alias must name one party: keep it in the aliases of only one of them)`},
		{"duplicate election id", good, writeFile(t, "elections.toml", elections+"\n"+elections), `elections.toml:7:1: duplicate election id "TK2023" (give every election its own id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := setup(t, tc.sources)
			if tc.prepare != nil {
				tc.prepare(dir)
			}
			_, err := Load(dir)
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrConfig))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

const sharedVolt = `
[[party]]
id = "volt-europa"
abbreviation = "VE"
name = "Volt Europa"
aliases = ["Volt Europa", "Volt"]
`

// writeFile returns a prepare step that replaces one registry file of the case's raw folder.
func writeFile(t *testing.T, name, body string) func(dir string) {
	return func(dir string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
}

// aliasSample has aliases written in the ways aliasPos must tell apart, and a comment that looks like
// an aliases key.
const aliasSample = `# aliases = ["Volt"] in a comment is not an entry
[[party]]
id = "volt"
name = "Volt"
aliases = ["Volt", "Volt Nederland"]

[[ party ]] # Europe
id = "volt-europa"
name = "Volt"
aliases = [
  "Volt Europa",  # "Volt" in a comment
  'Volt',
]

[[party]]
id = "éé"
aliases = ["Één", "Volt"]

[[party]]
id = "x"
  aliases = ["Y"]

[[party]]
id = "z"
`

func TestAliasPos(t *testing.T) {
	tables := scanTOML(aliasSample).key("party")
	for _, tc := range []struct {
		name         string
		party        int
		alias        string
		line, column int
	}{
		{"first table, inline array", 0, "Volt", 5, 12},
		{"multi-line array, literal string, comment skipped", 1, "Volt", 12, 3},
		{"column counts characters", 2, "Volt", 17, 19},
		{"not in the array: the aliases key", 3, "Volt", 21, 3},
		{"no aliases key: the table header", 4, "Volt", 23, 1},
		{"no such table", 5, "Volt", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, Pos{tc.line, tc.column}, aliasPos(tables.item(tc.party), tc.alias))
		})
	}
}

func TestMatcher(t *testing.T) {
	m := NewMatcher([]model.Party{
		{ID: "groenlinks-pvda", Aliases: []string{"GroenLinks-PvdA", "PvdA/GL", "GL-PvdA"}},
		{ID: "denk", Aliases: []string{"DENK"}},
		{ID: "volt", Aliases: []string{"Volt"}},
		{ID: "pvdd", Aliases: []string{"PvdD", "Partij voor de Dieren"}},
	})
	got := func(s string) []string {
		var ids []string
		for _, f := range m.Find(s) {
			ids = append(ids, f.PartyID+"@"+f.Alias)
		}
		return ids
	}
	assert.Equal(t, []string{"groenlinks-pvda@GroenLinks-PvdA"}, got("GroenLinks-PvdA wil"))
	assert.Nil(t, got("ik denk dat volt de spanning is; Voltage en DENKEN niet"))
	assert.Equal(t, []string{"pvdd@Partij voor de Dieren", "pvdd@PvdD", "denk@DENK"}, got("De Partij voor de Dieren (PvdD) en DENK."))
	id, ok := m.Exact("PvdA/GL")
	assert.True(t, ok)
	assert.Equal(t, "groenlinks-pvda", id)
	assert.Equal(t, "Volt", m.Closest("Vlot"))
}

// TestMatcherExactIsFirstAlias holds Exact (a map) to the rule it replaces: the party of the first
// alias equal to the name, in the matcher's order (longest first), also when two parties share an
// alias.
func TestMatcherExactIsFirstAlias(t *testing.T) {
	m := NewMatcher([]model.Party{
		{ID: "b", Aliases: []string{"Samen", "BB"}},
		{ID: "a", Aliases: []string{"Samen", "AA", "A"}},
		{ID: "c", Aliases: []string{"C", "BB"}},
	})
	scan := func(name string) (string, bool) {
		for _, a := range m.aliases {
			if a.alias == name {
				return a.partyID, true
			}
		}
		return "", false
	}
	for _, name := range []string{"Samen", "BB", "AA", "A", "C", "", "samen", "Sam", "BBB"} {
		id, ok := m.Exact(name)
		wantID, wantOK := scan(name)
		assert.Equal(t, wantOK, ok, name)
		assert.Equal(t, wantID, id, name)
	}
	id, _ := m.Exact("Samen")
	assert.Equal(t, "b", id, "the first party that lists a shared alias")
}

func TestLoadRejectsFolderSymlink(t *testing.T) {
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "a.txt"), []byte("x"), 0o644))
	dir := setup(t, strings.Replace(good, `"a.txt"`, `"sub/a.txt"`, 1))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "sub")))
	_, err := Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `sources.toml:3:1: file "sub/a.txt" is a symlink that leads out of the raw folder`)

	inside := setup(t, strings.Replace(good, `"a.txt"`, `"link/a.txt"`, 1))
	require.NoError(t, os.Mkdir(filepath.Join(inside, "texts"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(inside, "texts", "a.txt"), []byte("x"), 0o644))
	require.NoError(t, os.Symlink("texts", filepath.Join(inside, "link")))
	r, err := Load(inside)
	require.NoError(t, err, "a symlink to a folder inside the raw folder is fine")
	assert.Equal(t, filepath.Join(inside, "link", "a.txt"), r.Sources[0].Path)
}

// marked takes a text with one ‸ where a message must point, and returns the text without it and
// "line:col" of that place, the column counted in characters.
func marked(t *testing.T, text string) (string, string) {
	t.Helper()
	k := strings.Index(text, "‸")
	require.True(t, k >= 0 && strings.Count(text, "‸") == 1, "one ‸ in the case")
	before := text[:k]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return before + text[k+len("‸"):], fmt.Sprintf("%d:%d", line, col)
}

// entry is a [[document]] table with every required key; extra lines go after language.
func entry(id string, extra ...string) string {
	return fmt.Sprintf("[[document]]\nid = %q\nfile = \"a.txt\"\nformat = \"party-summaries\"\nelection = \"TK2023\"\ntopic = \"x\"\nlanguage = \"nl\"\n%s\n",
		id, strings.Join(extra, ""))
}

// fooling is a first entry whose multi-line strings hold what looks like entries and keys.
const fooling = `[[document]]
id = "f"
title = """
[[document]]
id = "dup"
election = "TK2027"
fromat = "x"
lines = [1, 0]
"""
publisher = '''
markup = "html"
[[document]]'''
file = "a.txt"
format = "party-summaries"
election = "TK2023"
topic = "x"
language = "nl"

`

func TestErrorPositions(t *testing.T) {
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tc := range []struct {
		name, file, text, msg string
	}{
		{"first entry", SourcesFile, strings.Replace(entry("a"), "format = \"party-summaries\"", "‸format = \"party-summary\"", 1) + entry("b") + entry("c"),
			`unknown format "party-summary"`},
		{"middle entry", SourcesFile, entry("a") + strings.Replace(entry("b"), "election = \"TK2023\"", "‸election = \"TK2027\"", 1) + entry("c"),
			`unknown election "TK2027"`},
		{"last entry, indented", SourcesFile, entry("a") + entry("b") + entry("c", "\t  ‸encoding = \"latin-9\"\n"), `unknown encoding "latin-9"`},
		{"duplicate id in the last entry", SourcesFile, entry("a") + entry("b") + strings.Replace(entry("a"), "id", "‸id", 1), `duplicate document id "a"`},
		{"missing key: at the id", SourcesFile, entry("a") + strings.Replace(strings.Replace(entry("b"), "topic = \"x\"\n", "", 1), "id =", "  ‸id =", 1),
			`document "b" has no topic`},
		{"no id: at the table", SourcesFile, entry("a") + "‸[[document]]\nfile = \"a.txt\"\n", `document entry 2 has no id`},
		{"multi-line strings before the error", SourcesFile, fooling + strings.Replace(entry("dup"), "election = \"TK2023\"", "‸election = \"TK2027\"", 1),
			`unknown election "TK2027"`},
		{"unknown key after one in a string", SourcesFile, fooling + strings.Replace(entry("b"), "format", "‸fromat", 1), `unknown key "document.fromat"`},
		{"markup after one in a string", SourcesFile, fooling + entry("b", "‸markup = \"html\"\n"), `document "b": markup is a key of format programme-text only`},
		{"lines before the id", SourcesFile, fooling + "[[document]]\n‸lines = [3, 1]\n" +
			strings.Replace(strings.TrimPrefix(entry("p"), "[[document]]\n"), "party-summaries", "programme-text", 1), `lines = [3, 1] is not a range of lines`},
		{"inline tables", SourcesFile, "document = [\n" +
			"  { id = \"a\", file = \"a.txt\", format = \"party-summaries\", election = \"TK2023\", topic = \"x\", language = \"nl\" },\n" +
			"  { title = \"Één, twee\", id = \"b\", file = \"a.txt\", ‸format = \"party-summary\", election = \"TK2023\", topic = \"x\", language = \"nl\" },\n]\n",
			`unknown format "party-summary"`},
		{"inline table over lines, furniture array", SourcesFile, "document = [{ id = \"a\", file = \"a.txt\", format = \"programme-text\",\n" +
			"  election = \"TK2023\", topic = \"x\", language = \"nl\",\n  ‸furniture = [\n    'ok',\n    'bad[',\n  ] }]\n",
			`furniture pattern "bad[" is not a valid regular expression`},
		{"sub-table, then the next entry", SourcesFile, entry("a") + "[document.drop]\nnavigation = [\"Menu\"]\n\n" + entry("b", "‸party = \"nope\"\n"),
			`unknown party "nope"`},
		{"CRLF", SourcesFile, crlf(entry("a") + entry("b") + entry("c", "\t  ‸encoding = \"latin-9\"\n")), `unknown encoding "latin-9"`},
		{"CRLF and multi-line strings", SourcesFile, crlf(fooling + strings.Replace(entry("dup"), "election = \"TK2023\"", "‸election = \"TK2027\"", 1)),
			`unknown election "TK2027"`},
		{"party: empty alias in the last table", PartiesFile, parties + strings.Replace(sharedVolt, `, "Volt"]`, "]", 1) +
			"\n[[party]]\nid = \"x\"\nabbreviation = \"X\"\nname = \"X\"\naliases = [\n  \"X\", # \"\"\n  ‸\"\",\n]\n", `party "x" has an empty alias ""`},
		{"party: duplicate id, CRLF", PartiesFile, crlf(parties + "\n[[party]]\n  ‸id = \"volt\"\n"), `duplicate party id "volt"`},
		{"election: duplicate id in an inline array", ElectionsFile, "election = [\n  { id = \"TK2023\", name = \"2023\", date = 2023-11-22 },\n" +
			"  { name = \"2023\", ‸id = \"TK2023\", date = 2023-11-22 },\n]\n", `duplicate election id "TK2023"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, at := marked(t, tc.text)
			sources := good
			if tc.file == SourcesFile {
				sources = text
			}
			dir := setup(t, sources)
			if tc.file != SourcesFile {
				writeFile(t, tc.file, text)(dir)
			}
			_, err := Load(dir)
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrConfig))
			assert.Contains(t, err.Error(), tc.file+":"+at+": "+tc.msg)
		})
	}
}
