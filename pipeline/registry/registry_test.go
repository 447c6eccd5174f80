package registry

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestFindAlias(t *testing.T) {
	const text = `# aliases = ["Volt"] in a comment is not an entry
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
			l, c := findAlias(text, tc.party, tc.alias)
			assert.Equal(t, []int{tc.line, tc.column}, []int{l, c})
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
