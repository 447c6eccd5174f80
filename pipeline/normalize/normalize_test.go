package normalize

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"

	"github.com/standpunten/standpunten/pipeline/model"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  a  b\n\tc  ", "a b c"},
		{"punten:\u00a0", "punten:"},
		{"a\u00a0\u00a0b", "a b"},
		{"line one\r\nline two", "line one line two"},
		{norm.NFD.String("privé coördinatie"), "privé coördinatie"},
		{"“quoted” ’s é", "“quoted” ’s é"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, Text(tc.in), "Text(%q)", tc.in)
	}
}

func TestUnquote(t *testing.T) {
	assert.Equal(t, "Een citaat.", Unquote("“Een citaat.”"))
	assert.Equal(t, "Open zonder sluiting", Unquote("“Open zonder sluiting"))
	assert.Equal(t, "Het “open, tenzij”-principe.", Unquote("Het “open, tenzij”-principe."))
}

func TestPassageIDStable(t *testing.T) {
	a := PassageID("doc", "volt", model.KindTheme, "Tekst.", 0)
	assert.Len(t, a, 16)
	assert.Equal(t, a, PassageID("doc", "volt", model.KindTheme, "Tekst.", 0))
	assert.NotEqual(t, a, PassageID("doc", "volt", model.KindTheme, "Tekst.", 1), "occurrence counts")
	assert.NotEqual(t, a, PassageID("doc", "volt", model.KindQuote, "Tekst.", 0), "kind counts")
	assert.NotEqual(t, a, PassageID("doc", "", model.KindTheme, "voltTekst.", 0), "parts are separated")
}

func TestDocument(t *testing.T) {
	ex := &model.Extracted{
		Document: model.Document{ID: "d", Title: " T "},
		Units: []model.Unit{
			{Kind: model.KindSummary, PartyID: "volt", Text: "Volt wil\nveel.", Start: 0, End: 14, Line: 1},
			{Kind: model.KindTheme, PartyID: "volt", Text: "Dit om zeker te", Start: 15, End: 44, Line: 2},
			{Kind: model.KindQuote, PartyID: "volt", Parent: 2, Text: "“Dit … en meer.”", Start: 45, End: 60, Line: 3},
			{Kind: model.KindQuote, PartyID: "volt", Parent: 2, Text: "“Dit … en meer.”", Start: 61, End: 76, Line: 4},
		},
		Covered: []model.Coverage{{PartyID: "volt"}, {PartyID: "denk", Note: "Geen relevante punten"}},
	}
	res := Document(ex)
	assert.Equal(t, "T", res.Document.Title)
	ps := res.Passages
	assert.Len(t, ps, 4)
	assert.Equal(t, "Volt wil veel.", ps[0].Text)
	assert.Equal(t, []string{model.FlagFragment}, ps[1].Flags)
	assert.Equal(t, "Dit … en meer.", ps[2].Text)
	assert.Equal(t, []string{model.FlagElided}, ps[2].Flags)
	assert.Equal(t, ps[1].ID, *ps[2].ParentID)
	assert.NotEqual(t, ps[2].ID, ps[3].ID, "a repeated text gets its own id")
	assert.Equal(t, int64(3), ps[2].Seq)
	assert.Equal(t, []model.DocumentParty{{DocumentID: "d", PartyID: "denk", Note: "Geen relevante punten"}, {DocumentID: "d", PartyID: "volt", Passages: 4}}, res.Parties)
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"a  b", "x\u00a0y", norm.NFD.String("é"), "“q”", "\r\n\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Text(s)
		if twice := Text(once); twice != once {
			t.Fatalf("normalizing twice differs: %q → %q → %q", s, once, twice)
		}
	})
}

// TestUnclosedQuote: a quote that opens with “ and never closes is flagged, so that a lost end of
// a quote (or a removed closing mark) shows.
func TestUnclosedQuote(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"“Wij willen meer open source.”", false},
		{"“Wij willen meer open source”.", false},
		{"“Wij willen meer open source.", true},
		{"“Wij willen “meer” open source.", true},
		{"Wij willen meer open source.", false},
	} {
		ex := &model.Extracted{Document: model.Document{ID: "d"}, Units: []model.Unit{{Kind: model.KindQuote, PartyID: "volt", Text: tc.text}}}
		got := Document(ex).Passages[0].Flags
		assert.Equal(t, tc.want, slices.Contains(got, model.FlagUnclosedQuote), "%q: flags %v", tc.text, got)
	}
}
