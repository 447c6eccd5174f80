package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCellsRoundTrip(t *testing.T) {
	party, parent, num, lic := "volt", "aaaaaaaaaaaaaaaa", int64(3), "CC-BY-4.0"
	day := Date{Year: 2023, Month: 11, Day: 1}
	p := Passage{ID: "bbbbbbbbbbbbbbbb", DocumentID: "d", PartyID: &party, Kind: KindQuote, Section: "S", Number: &num,
		ParentID: &parent, Seq: 2, Text: "t", SourceStart: 1, SourceEnd: 2, SourceLine: 3, Flags: []string{FlagElided}, SectionPath: []string{"H"}}
	got, err := PassageFromCells(p.Values())
	require.NoError(t, err)
	assert.Equal(t, p, got)

	d := Document{ID: "d", Title: "T", Format: FormatPledgeDocument, ElectionID: "TK2023", Topic: "x", Language: "nl",
		Published: &day, License: &lic, RawPath: "d.txt", RawSHA256: "00", RawBytes: 9, Encoding: "utf-8"}
	gotD, err := DocumentFromCells(d.Values())
	require.NoError(t, err)
	assert.Equal(t, d, gotD)

	s := Score{DocumentID: "d", PartyID: "volt", Score: 2.5, Question: "Q"}
	gotS, err := ScoreFromCells(s.Values())
	require.NoError(t, err)
	assert.Equal(t, s, gotS)

	dp := DocumentParty{DocumentID: "d", PartyID: "volt", Passages: 4, Note: "n"}
	gotDP, err := DocumentPartyFromCells(dp.Values())
	require.NoError(t, err)
	assert.Equal(t, dp, gotDP)
}

func TestCellsMismatch(t *testing.T) {
	_, err := ScoreFromCells([]any{"d", "volt", "2.5", "Q"})
	assert.ErrorContains(t, err, "cell 3 is string, want float64")
	_, err = ScoreFromCells([]any{"d", "volt", 2.5})
	assert.ErrorContains(t, err, "row has 3 cells")
	_, err = ScoreFromCells([]any{"d", "volt", 2.5, "Q", "extra"})
	assert.ErrorContains(t, err, "row has 5 cells, want 4")
}

// TestEmptyTextIsNull: an empty text of a nullable column is a null cell, and reads back as "".
func TestEmptyTextIsNull(t *testing.T) {
	p := Passage{ID: "x", DocumentID: "d", Kind: KindTheme, Text: "t", Flags: []string{}}
	v := p.Values()
	assert.Nil(t, v[4].(*string), "section")
	got, err := PassageFromCells(v)
	require.NoError(t, err)
	assert.Equal(t, "", got.Section)
	d := DocumentParty{DocumentID: "d", PartyID: "volt"}
	assert.Nil(t, d.Values()[3].(*string), "note")
	assert.Equal(t, "n", *DocumentParty{Note: "n"}.Values()[3].(*string))
}
