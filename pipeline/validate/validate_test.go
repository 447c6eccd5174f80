package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

func ptr[T any](v T) *T { return &v }

func rules(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Rule)
	}
	return out
}

func newChecker(t *testing.T) *Checker {
	set, err := schemas.Load()
	require.NoError(t, err)
	c, err := NewChecker(set)
	require.NoError(t, err)
	c.Row("parties", model.Party{ID: "volt", Abbreviation: "Volt", Name: "Volt", Aliases: []string{"Volt"}})
	c.Row("elections", model.Election{ID: "TK2023", Name: "TK", Date: model.Date{Year: 2023, Month: 11, Day: 22}})
	c.Row("documents", model.Document{ID: "d", Title: "T", Format: model.FormatPartySummaries, ElectionID: "TK2023", Topic: "x",
		Language: "nl", RawPath: "raw/d.txt", RawSHA256: "0000000000000000000000000000000000000000000000000000000000000000", RawBytes: 100, Encoding: "utf-8"})
	return c
}

func TestCleanRowsPass(t *testing.T) {
	c := newChecker(t)
	theme := model.Passage{ID: "aaaaaaaaaaaaaaaa", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindTheme, Seq: 1, Text: "Tekst.", SourceStart: 0, SourceEnd: 6, SourceLine: 1, Flags: []string{}}
	quote := model.Passage{ID: "bbbbbbbbbbbbbbbb", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindQuote, ParentID: ptr(theme.ID), Seq: 2, Text: "Citaat.", SourceStart: 7, SourceEnd: 16, SourceLine: 2, Flags: []string{}}
	summary := model.Passage{ID: "cccccccccccccccc", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindSummary, Seq: 3, Text: "Sam.", SourceStart: 17, SourceEnd: 21, SourceLine: 3, Flags: []string{}}
	for _, p := range []model.Passage{theme, quote, summary} {
		c.Row("passages", p)
	}
	c.Passages(model.Document{ID: "d", RawBytes: 100, Format: model.FormatPartySummaries, RawPath: "raw/d.txt"}, []model.Passage{theme, quote, summary})
	r := c.Report()
	assert.True(t, r.Valid, "%v", r.Findings)
	assert.Empty(t, r.Findings)
	assert.Greater(t, r.ChecksRun, int64(50))
}

func TestFindings(t *testing.T) {
	c := newChecker(t)
	bad := model.Passage{ID: "XYZ", DocumentID: "nope", PartyID: ptr("vvd"), Kind: "essay", Seq: 0, Text: "a\x07b", SourceStart: 2, SourceEnd: 200, SourceLine: 1, Flags: []string{model.FlagFragment}}
	orphan := model.Passage{ID: "dddddddddddddddd", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindQuote, ParentID: ptr("eeeeeeeeeeeeeeee"), Seq: 1, Text: "“half", SourceStart: 0, SourceEnd: 4, SourceLine: 1, Flags: []string{}}
	c.Row("passages", bad)
	c.Row("passages", orphan)
	c.Row("passages", orphan)
	c.Passages(model.Document{ID: "d", RawBytes: 100, RawPath: "raw/d.txt"}, []model.Passage{orphan, bad})
	c.Row("scores", model.Score{DocumentID: "d", PartyID: "volt", Score: 2, Question: "Q"})
	c.Scores([]model.Score{{DocumentID: "d", PartyID: "volt"}}, nil)
	r := c.Report()
	assert.False(t, r.Valid)
	got := rules(r)
	for _, want := range []string{
		"pattern.passages.passage_id", "fk.passages.document_id", "fk.passages.party_id", "enum.passages.kind",
		"minimum.passages.seq", "rule.no_control_characters", "rule.span_inside_file", "fk.passages.parent_id",
		"unique.passages.passage_id", "pk.passages", "rule.quote_parent", "rule.balanced_quotes", "rule.fragment",
		"rule.spans_do_not_overlap", "rule.scored_party_covered",
	} {
		assert.Contains(t, got, want)
	}
	for _, f := range r.Findings {
		if f.Rule == "rule.fragment" || f.Rule == "rule.balanced_quotes" {
			assert.Equal(t, Warning, f.Severity)
		}
		if f.Rule == "rule.quote_parent" {
			assert.Equal(t, "raw/d.txt:1", f.Source)
		}
	}
}

// TestForeignKeysInAnyOrder: a row may name a key that arrives later (a file read back in any
// order); only a key that never arrives is a finding.
func TestForeignKeysInAnyOrder(t *testing.T) {
	c := newChecker(t)
	quote := model.Passage{ID: "bbbbbbbbbbbbbbbb", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindQuote, ParentID: ptr("aaaaaaaaaaaaaaaa"), Seq: 2, Text: "Citaat.", SourceStart: 7, SourceEnd: 16, SourceLine: 2, Flags: []string{}}
	theme := model.Passage{ID: "aaaaaaaaaaaaaaaa", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindTheme, Seq: 1, Text: "Tekst.", SourceStart: 0, SourceEnd: 6, SourceLine: 1, Flags: []string{}}
	c.Row("passages", quote)
	c.Row("passages", theme)
	c.Row("scores", model.Score{DocumentID: "d", PartyID: "later", Score: 1, Question: "Q"})
	c.Row("parties", model.Party{ID: "later", Abbreviation: "L", Name: "Later", Aliases: []string{"L"}})
	r := c.Report()
	assert.True(t, r.Valid, "%v", r.Findings)

	c.Row("scores", model.Score{DocumentID: "d", PartyID: "never", Score: 1, Question: "Q"})
	r = c.Report()
	assert.Equal(t, []string{"fk.scores.party_id"}, rules(r))
	assert.Equal(t, "d/never", r.Findings[0].Key, "composite keys read with /")
}

// TestSourceColumn: with the raw text at hand, findings from the source name line and column.
func TestSourceColumn(t *testing.T) {
	c := newChecker(t)
	raw := []byte("Kop\n- één “open\n")
	p := model.Passage{ID: "aaaaaaaaaaaaaaaa", DocumentID: "d", PartyID: ptr("volt"), Kind: model.KindBullet, Seq: 1,
		Text: "één “open", SourceStart: 6, SourceEnd: int64(len(raw)) - 1, SourceLine: 2, Flags: []string{}}
	c.PassagesIn(model.Document{ID: "d", RawBytes: int64(len(raw)), RawPath: "raw/d.txt"}, []model.Passage{p}, raw)
	r := c.Report()
	require.Equal(t, []string{"rule.balanced_quotes"}, rules(r))
	assert.Equal(t, "raw/d.txt:2:3", r.Findings[0].Source)
	assert.Equal(t, 0, column(nil, 3))
	assert.Equal(t, 3, column([]byte("ab\xe9d"), 2), "not UTF-8: bytes")
	assert.Equal(t, 2, column([]byte("\nx\né"+"z"), 5), "after one two-byte character")
}

// TestProvenance: a passage's letters must be those of its source stretch without the dropped
// stretches inside it; a passage that reaches over a header nobody dropped, or whose text was
// changed, is an error.
func TestProvenance(t *testing.T) {
	raw := []byte("Wij willen meer\nPROGRAMMA 2023 12\nopen source.\n")
	doc := model.Document{ID: "d", RawPath: "raw/d.txt", Encoding: "utf-8"}
	header := model.DroppedSpan{Start: 16, End: 33, Reason: "running_header"}
	ok := model.Passage{ID: "p1", Text: "Wij willen meer open source.", SourceStart: 0, SourceEnd: 46, SourceLine: 1}
	for _, tc := range []struct {
		name    string
		p       model.Passage
		dropped []model.DroppedSpan
		want    []string
	}{
		{"furniture dropped inside the span", ok, []model.DroppedSpan{header}, nil},
		{"furniture not accounted", ok, nil, []string{"rule.provenance"}},
		{"text changed", model.Passage{ID: "p2", Text: "Wij willen minder open source.", SourceStart: 0, SourceEnd: 46, SourceLine: 1},
			[]model.DroppedSpan{header}, []string{"rule.provenance"}},
		{"span outside the file", model.Passage{ID: "p3", Text: "x", SourceStart: 40, SourceEnd: 99}, nil, []string{"rule.provenance"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newChecker(t)
			c.Provenance(doc, []model.Passage{tc.p}, raw, tc.dropped)
			assert.Equal(t, tc.want, rules(c.Report()))
		})
	}
}

// TestDuplicateKeysNamedInFull: the key sets keep no strings, yet a finding names the key in
// full, for a passage id (packed), a long composite key (hashed) and a foreign key that does not
// resolve; a value the pattern matched before does not let a different one through.
func TestDuplicateKeysNamedInFull(t *testing.T) {
	c := newChecker(t)
	long := "gen00476-tk2023-samenvattingen-democratie"
	c.Row("documents", model.Document{ID: long, Title: "T", Format: model.FormatPartySummaries, ElectionID: "TK2023", Topic: "x",
		Language: "nl", RawPath: "raw/d.txt", RawSHA256: "0000000000000000000000000000000000000000000000000000000000000000", RawBytes: 100, Encoding: "utf-8"})
	p := model.Passage{ID: "0123456789abcdef", DocumentID: long, PartyID: ptr("volt"), Kind: model.KindTheme, Seq: 1, Text: "Tekst.", SourceStart: 0, SourceEnd: 6, SourceLine: 1, Flags: []string{}}
	c.Row("passages", p)
	c.Row("passages", p)
	q := p
	q.ID, q.DocumentID = "0123456789abcdee", long+"-"
	c.Row("passages", q)
	q.ID, q.DocumentID = "0123456789abcded", "Gen00476"
	c.Row("passages", q)
	c.Row("document_parties", model.DocumentParty{DocumentID: long, PartyID: "volt"})
	c.Row("document_parties", model.DocumentParty{DocumentID: long, PartyID: "volt"})
	r := c.Report()
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Rule+" "+f.Key+" "+f.Value)
	}
	assert.Equal(t, []string{
		"pk.document_parties " + long + "/volt ",
		"fk.passages.document_id 0123456789abcded Gen00476",
		"pattern.passages.document_id 0123456789abcded Gen00476",
		"fk.passages.document_id 0123456789abcdee " + long + "-",
		"pattern.passages.document_id 0123456789abcdee " + long + "-",
		"pk.passages 0123456789abcdef ",
		"unique.passages.passage_id 0123456789abcdef 0123456789abcdef",
	}, got)
}
