package extract

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

var testParties = []model.Party{
	{ID: "groenlinks-pvda", Abbreviation: "GL-PvdA", Name: "GroenLinks-PvdA", Aliases: []string{"GroenLinks-PvdA", "PvdA/GL"}},
	{ID: "denk", Abbreviation: "DENK", Name: "DENK", Aliases: []string{"DENK"}},
	{ID: "volt", Abbreviation: "Volt", Name: "Volt Nederland", Aliases: []string{"Volt"}},
	{ID: "pvdd", Abbreviation: "PvdD", Name: "Partij voor de Dieren", Aliases: []string{"PvdD", "Partij voor de Dieren"}},
	{ID: "christenunie", Abbreviation: "CU", Name: "ChristenUnie", Aliases: []string{"ChristenUnie", "CU"}},
	{ID: "bij1", Abbreviation: "BIJ1", Name: "BIJ1", Aliases: []string{"BIJ1"}},
}

// parse runs one format's parser over text held in a temporary file.
func parse(t *testing.T, format model.Format, text string, mod ...func(*registry.Source)) (*model.Extracted, *Text, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.txt")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	src := registry.Source{ID: "doc", File: "doc.txt", Path: path, Format: format, Title: "T", Encoding: "utf-8", Party: "bij1"}
	for _, m := range mod {
		m(&src)
	}
	tx, err := Read(src, 0)
	if err != nil {
		return nil, nil, err
	}
	lex := Lexicon{}
	lex.Add(tx.S)
	reg := &registry.Registry{Parties: testParties, Matcher: registry.NewMatcher(testParties)}
	ex, err := Extract(context.Background(), reg, src, tx, lex)
	if err == nil {
		_, aerr := Account(tx, ex)
		require.NoError(t, aerr, "accounting")
		for _, u := range ex.Units {
			span := []byte(spanText(tx.Raw, u, ex.Spans))
			if src.Encoding == registry.EncodingWindows1252 {
				span, _ = charmap.Windows1252.NewDecoder().Bytes(span)
			}
			assert.Equal(t, letters(u.Text), letters(string(span)), "letters of unit %q", u.Text)
		}
	}
	return ex, tx, err
}

func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

type unitWant struct {
	kind    model.Kind
	party   string
	section string
	number  int64
	parent  int
	text    string
	flags   []string
}

func check(t *testing.T, ex *model.Extracted, want []unitWant) {
	t.Helper()
	require.Len(t, ex.Units, len(want))
	for i, w := range want {
		u := ex.Units[i]
		assert.Equal(t, w.kind, u.Kind, "unit %d kind", i)
		assert.Equal(t, w.party, u.PartyID, "unit %d party", i)
		assert.Equal(t, w.section, u.Section, "unit %d section", i)
		assert.Equal(t, w.number, u.Number, "unit %d number", i)
		assert.Equal(t, w.parent, u.Parent, "unit %d parent", i)
		assert.Equal(t, w.text, u.Text, "unit %d text", i)
		assert.Equal(t, w.flags, u.Flags, "unit %d flags", i)
	}
}

func TestPartySummaries(t *testing.T) {
	text := "GroenLinks-PvdA ziet kansen.\nDe partij wil iets.\n“Een citaat.”\n“Nog een.”\nOok wil GroenLinks-PvdA meer.\n" +
		"De Partij voor de Dieren (PvdD) ziet risico's.\nDe PvdD wil minder.\n“Citaat van de PvdD.”\nDENK denkt na.\nWe denk niet.\n"
	ex, _, err := parse(t, model.FormatPartySummaries, text)
	require.NoError(t, err)
	check(t, ex, []unitWant{
		{kind: model.KindSummary, party: "groenlinks-pvda", text: "GroenLinks-PvdA ziet kansen."},
		{kind: model.KindTheme, party: "groenlinks-pvda", text: "De partij wil iets."},
		{kind: model.KindQuote, party: "groenlinks-pvda", parent: 2, text: "“Een citaat.”"},
		{kind: model.KindQuote, party: "groenlinks-pvda", parent: 2, text: "“Nog een.”"},
		{kind: model.KindTheme, party: "groenlinks-pvda", text: "Ook wil GroenLinks-PvdA meer."},
		{kind: model.KindSummary, party: "pvdd", text: "De Partij voor de Dieren (PvdD) ziet risico's."},
		{kind: model.KindTheme, party: "pvdd", text: "De PvdD wil minder."},
		{kind: model.KindQuote, party: "pvdd", parent: 7, text: "“Citaat van de PvdD.”"},
		{kind: model.KindSummary, party: "denk", text: "DENK denkt na."},
		{kind: model.KindTheme, party: "denk", text: "We denk niet."},
	})
	assert.Equal(t, []model.Coverage{{PartyID: "groenlinks-pvda"}, {PartyID: "pvdd"}, {PartyID: "denk"}}, ex.Covered)
}

func TestScoreOverview(t *testing.T) {
	text := "\n# Wie wil wat?\n\nPvdA/GL:\t2\nVolt\t3\nCU\t5\n\n[Let op: concept.]\n\n## **PvdA/GL:**\n\n- Eerste punt.\n- Tweede punt dat\n\n" +
		"doorloopt na een witregel.\n\n### **Volt**\n\n- Dit om zeker te\n- Laatste.\"\n\n## **CU**\n\n- Geen relevante punten\n"
	ex, _, err := parse(t, model.FormatScoreOverview, text)
	require.NoError(t, err)
	check(t, ex, []unitWant{
		{kind: model.KindBullet, party: "groenlinks-pvda", text: "Eerste punt."},
		{kind: model.KindBullet, party: "groenlinks-pvda", text: "Tweede punt dat\ndoorloopt na een witregel.", flags: []string{model.FlagContinued}},
		{kind: model.KindBullet, party: "volt", text: "Dit om zeker te"},
		{kind: model.KindBullet, party: "volt", text: "Laatste.", flags: []string{model.FlagStrayQuote}},
	})
	assert.Equal(t, "Wie wil wat?", ex.Document.Title)
	assert.Equal(t, "Let op: concept.", ex.Document.Note)
	assert.Equal(t, []model.ScoreRow{{PartyID: "groenlinks-pvda", Score: 2}, {PartyID: "volt", Score: 3}, {PartyID: "christenunie", Score: 5}}, ex.Scores)
	assert.Equal(t, []model.Coverage{{PartyID: "groenlinks-pvda"}, {PartyID: "volt"}, {PartyID: "christenunie", Note: "Geen relevante punten"}}, ex.Covered)
}

func TestProgrammeChapter(t *testing.T) {
	text := "Skip to content\n\nMijn hoofdstuk\n\n01-11-2023\nProgramma\n\nIntrokop\n\nEerste alinea.\n\nTweede alinea:\u00a0\n\nKop een\n\n 1. Punt een.\n 2. Punt twee.\n\nKop twee\n\n 1. Weer een."
	ex, _, err := parse(t, model.FormatProgrammeChapter, text, func(s *registry.Source) {
		s.Drop = map[string][]string{"navigation": {"Skip to content", "Programma"}}
	})
	require.NoError(t, err)
	check(t, ex, []unitWant{
		{kind: model.KindIntro, party: "bij1", section: "Introkop", text: "Eerste alinea."},
		{kind: model.KindIntro, party: "bij1", section: "Introkop", text: "Tweede alinea:"},
		{kind: model.KindPoint, party: "bij1", section: "Kop een", number: 1, text: "Punt een."},
		{kind: model.KindPoint, party: "bij1", section: "Kop een", number: 2, text: "Punt twee."},
		{kind: model.KindPoint, party: "bij1", section: "Kop twee", number: 1, text: "Weer een."},
	})
	assert.Equal(t, "Mijn hoofdstuk", ex.Document.Title)
	require.NotNil(t, ex.Document.Published)
	assert.Equal(t, "2023-11-01", ex.Document.Published.String())
}

func TestPledgeDocument(t *testing.T) {
	text := "\nMaatschappelijk \nverantwoorde \n\nBody met trac-\nking en hoog-\nrisico en AI-\ngeletterdheid. \n  \n\nDe titel 2023\n\nTitel twee\n\nTweede body.\n\nDe ondertekenaars doen mee.\n\n \nEen AI-geletterdheid woord staat ook hier.\n"
	ex, _, err := parse(t, model.FormatPledgeDocument, text)
	require.NoError(t, err)
	check(t, ex, []unitWant{
		{kind: model.KindPledge, section: "Maatschappelijk\nverantwoorde", text: "Body met tracking en hoogrisico en AI-geletterdheid.", flags: []string{model.FlagDehyphenated}},
		{kind: model.KindPledge, section: "Titel twee", text: "Tweede body."},
		{kind: model.KindIntro, text: "De ondertekenaars doen mee."},
		{kind: model.KindIntro, text: "Een AI-geletterdheid woord staat ook hier."},
	})
	assert.Equal(t, "De titel 2023", ex.Document.Title)
}

// TestBadText covers texts a parser must reject with the file, line and column and what to do.
func TestBadText(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format model.Format
		text   string
		want   string
	}{
		{"quote before theme", model.FormatPartySummaries, "Volt wil iets.\n“Citaat.”\n", "doc.txt:2:1: quote line directly after the summary of volt, before any theme"},
		{"no party named", model.FormatPartySummaries, "GroenLinks-PvdB wil iets.\n", `doc.txt:1:1: "GroenLinks-PvdB" names no known party (the closest known alias is "GroenLinks-PvdA"`},
		{"party block twice", model.FormatPartySummaries, "Volt wil.\nDENK wil.\nVolt weer.\n", "doc.txt:3:1: paragraph names volt, whose block already started on line 1"},
		{"unknown party heading", model.FormatScoreOverview, "# T\n\n## **Vlot**\n\n- x.\n", `doc.txt:3:6: "Vlot" names no known party (the closest known alias is "Volt"`},
		{"unknown party score", model.FormatScoreOverview, "# T\nPvdB/GL\t2\n", `doc.txt:2:1: "PvdB/GL" names no known party (the closest known alias is "PvdA/GL"`},
		{"score without section", model.FormatScoreOverview, "# T\nVolt\t2\nCU\t3\n\n## **Volt**\n\n- x.\n", "doc.txt:3:1: score for christenunie but the document has no section for that party"},
		{"stray line in section", model.FormatScoreOverview, "# T\n\n## **Volt**\n\n- x.\n\nHoofdletter.\n", "doc.txt:7:1: unexpected line in the section of volt"},
		{"point out of order", model.FormatProgrammeChapter, "Titel\n\nIntro\n\nKop\n\n 1. Een.\n 3. Drie.\n", `doc.txt:8:2: point 3 out of order in section "Kop": expected 2`},
		{"title without body", model.FormatPledgeDocument, "Titel\n\nBody.\n\nLosse titel\n", `doc.txt:5:1: title block "Losse titel" has no body block after it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parse(t, tc.format, tc.text)
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrInput), "classified as input error")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestReadRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	for _, tc := range []struct {
		name string
		path string
		enc  string
		max  int64
		want string
	}{
		{"missing", filepath.Join(dir, "nope.txt"), "utf-8", 0, `nope.txt: cannot read document "doc": no such file or directory (add the file`},
		{"empty", write("empty.txt", []byte(" \n\n")), "utf-8", 0, "empty.txt: file is empty"},
		{"binary", write("bin.txt", []byte("ab\ncd\x00ef")), "utf-8", 0, "bin.txt:2:3: NUL byte at offset 5"},
		{"latin1 undeclared", write("l1.txt", []byte("caf\xe9\n")), "utf-8", 0, `l1.txt:1:4: byte 0xE9 at offset 3 is not UTF-8 (convert the file to UTF-8, or declare its encoding in sources.toml (encoding = "windows-1252"))`},
		{"too large", write("big.txt", []byte(strings.Repeat("a", 100))), "utf-8", 10, "big.txt: file is larger than the limit of 10 bytes"},
		{"folder", dir, "utf-8", 0, `: cannot read document "doc": is a directory (point ` + "`file`" + ` in sources.toml at a text file, not a folder)`},
		{"under a file", filepath.Join(write("plain.txt", []byte("x\n")), "a.txt"), "utf-8", 0, `plain.txt/a.txt: cannot read document "doc": not a directory (add the file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(registry.Source{ID: "doc", Path: tc.path, Encoding: tc.enc}, tc.max)
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrInput))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestReadUnreadable checks that a file without read permission is told apart from a missing one. As
// root (or on a file system without modes) chmod 000 does not stop reads; TestReadHint covers the
// mapping there.
func TestReadUnreadable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "locked.txt")
	require.NoError(t, os.WriteFile(p, []byte("Volt wil.\n"), 0o644))
	require.NoError(t, os.Chmod(p, 0))
	t.Cleanup(func() { _ = os.Chmod(p, 0o644) })
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skipf("%s is still readable after chmod 000 (uid %d): run as an unprivileged user to test this", p, os.Geteuid())
	}
	_, err := Read(registry.Source{ID: "doc", Path: p, Encoding: "utf-8"}, 0)
	require.Error(t, err)
	assert.True(t, errors.Is(err, model.ErrInput))
	assert.Equal(t, p+`: cannot read document "doc": permission denied (make the file readable: fix its permissions for the user who runs the build, e.g. chmod a+r)`, err.Error())
	assert.NotContains(t, err.Error(), "add the file", "an unreadable file is there: the missing-file hint would mislead")
}

func TestReadHint(t *testing.T) {
	pathErr := func(op string, err error) error { return &fs.PathError{Op: op, Path: "raw/a.txt", Err: err} }
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"missing", pathErr("open", syscall.ENOENT), "add the file to the raw folder"},
		{"parent is a file", pathErr("open", syscall.ENOTDIR), "add the file to the raw folder"},
		{"permission denied", pathErr("open", syscall.EACCES), "make the file readable"},
		{"not permitted", pathErr("open", syscall.EPERM), "make the file readable"},
		{"folder", pathErr("read", syscall.EISDIR), "not a folder"},
		{"other", pathErr("read", syscall.EIO), "names a readable text file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, readHint(tc.err), tc.want)
		})
	}
}

func TestWindows1252Offsets(t *testing.T) {
	raw := []byte("Volt wil caf\xe9\x92s.\nDe partij wil.\n\x93Een citaat.\x94\n")
	ex, tx, err := parse(t, model.FormatPartySummaries, string(raw), func(s *registry.Source) { s.Encoding = "windows-1252" })
	require.NoError(t, err)
	assert.Equal(t, "Volt wil café’s.\nDe partij wil.\n“Een citaat.”\n", tx.S)
	require.Len(t, ex.Units, 3)
	q := ex.Units[2]
	assert.Equal(t, int64(strings.Index(string(raw), "\x93")), q.Start, "quote starts at the raw byte of “")
	assert.Equal(t, int64(len(raw)-1), q.End, "quote ends after the raw byte of ”")
	assert.Equal(t, "“Een citaat.”", q.Text)
}
