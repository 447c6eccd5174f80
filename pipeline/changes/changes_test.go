package changes

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

func ptr[T any](v T) *T { return &v }

const longText = "BIJ1 wil dat de overheid stopt met het gebruik van algoritmes die mensen op basis van afkomst, " +
	"nationaliteit of postcode als risico aanmerken, en dat slachtoffers van de toeslagenaffaire volledig worden gecompenseerd."

func loadSchemas(t testing.TB) schemas.Set {
	t.Helper()
	set, err := schemas.Load()
	require.NoError(t, err)
	return set
}

func cells(rows ...model.Row) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r.Values()
	}
	return out
}

// base is a small hand-made snapshot with the real schemas.
func base(t testing.TB) *Snapshot {
	t.Helper()
	doc := func(id, title, path, sha string, f model.Format) model.Document {
		return model.Document{ID: id, Title: title, Format: f, ElectionID: "TK2023", Topic: "digitalisering", Language: "nl",
			Published: ptr(model.Date{Year: 2023, Month: 11, Day: 1}), Publisher: "Test", SourceURL: "https://example.org/" + id,
			Note: "", RawPath: path, RawSHA256: sha, RawBytes: 1000, Encoding: "utf-8"}
	}
	passage := func(id, docID string, party *string, kind model.Kind, seq int64, text string) model.Passage {
		return model.Passage{ID: id, DocumentID: docID, PartyID: party, Kind: kind, Section: "Digitale rechten", Seq: seq,
			Text: text, SourceStart: seq * 100, SourceEnd: seq*100 + int64(len(text)), SourceLine: seq * 3, Flags: []string{}}
	}
	return &Snapshot{
		Schemas: loadSchemas(t),
		Tables: map[string][][]any{
			"parties": cells(
				model.Party{ID: "bij1", Abbreviation: "BIJ1", Name: "BIJ1", Aliases: []string{"BIJ1"}},
				model.Party{ID: "vvd", Abbreviation: "VVD", Name: "Volkspartij voor Vrijheid en Democratie", Aliases: []string{"VVD"}},
			),
			"elections": cells(model.Election{ID: "TK2023", Name: "Tweede Kamerverkiezingen 2023", Date: model.Date{Year: 2023, Month: 11, Day: 22}}),
			"documents": cells(
				doc("tk2023-bigtech-scores", "Hoe kijken partijen naar Big Tech?", "tk2023-bigtech-scores.txt", strings.Repeat("a1", 32), model.FormatScoreOverview),
				doc("tk2023-bij1-digitale-rechten", "Digitale rechten", "tk2023-bij1-digitale-rechten.txt", strings.Repeat("b2", 32), model.FormatProgrammeChapter),
			),
			"passages": cells(
				passage("00000000000000a1", "tk2023-bigtech-scores", ptr("bij1"), model.KindBullet, 1, "Big Tech opsplitsen."),
				passage("00000000000000a2", "tk2023-bigtech-scores", ptr("vvd"), model.KindBullet, 2, "Innovatie niet afremmen."),
				passage("00000000000000b1", "tk2023-bij1-digitale-rechten", ptr("bij1"), model.KindIntro, 1, "Digitale rechten zijn mensenrechten."),
				passage("00000000000000b2", "tk2023-bij1-digitale-rechten", ptr("bij1"), model.KindPoint, 2, longText),
			),
			"scores": cells(
				model.Score{DocumentID: "tk2023-bigtech-scores", PartyID: "bij1", Score: 1, Question: "Hoe kijken partijen naar Big Tech?"},
				model.Score{DocumentID: "tk2023-bigtech-scores", PartyID: "vvd", Score: 4.5, Question: "Hoe kijken partijen naar Big Tech?"},
			),
			"document_parties": cells(
				model.DocumentParty{DocumentID: "tk2023-bigtech-scores", PartyID: "bij1", Passages: 1},
				model.DocumentParty{DocumentID: "tk2023-bigtech-scores", PartyID: "vvd", Passages: 1},
				model.DocumentParty{DocumentID: "tk2023-bij1-digitale-rechten", PartyID: "bij1", Passages: 2},
			),
		},
	}
}

// clone copies a snapshot deeply enough to change its schemas and rows.
func clone(t testing.TB, s *Snapshot) *Snapshot {
	t.Helper()
	b, err := json.Marshal(s.Schemas)
	require.NoError(t, err)
	var set schemas.Set
	require.NoError(t, json.Unmarshal(b, &set))
	c := &Snapshot{Schemas: set, Tables: map[string][][]any{}}
	for name := range s.Schemas {
		rows, err := rowsOf(s, name) // a streamed table is read into memory
		require.NoError(t, err)
		cp := make([][]any, len(rows))
		for i, r := range rows {
			cp[i] = slices.Clone(r)
		}
		c.Tables[name] = cp
	}
	return c
}

// mustCompare is Compare that fails the test on an error.
func mustCompare(t testing.TB, old, new *Snapshot) *Changes {
	t.Helper()
	c, err := Compare(old, new)
	require.NoError(t, err)
	return c
}

// dropColumn removes a column from a table's schema and rows.
func dropColumn(s *Snapshot, table, col string) {
	t := s.Schemas[table]
	i := t.FieldIndex(col)
	t.Fields = slices.Delete(t.Fields, i, i+1)
	for j, r := range s.Tables[table] {
		s.Tables[table][j] = slices.Delete(r, i, i+1)
	}
}

func field(s *Snapshot, table, col string) *schemas.Field {
	t := s.Schemas[table]
	return &t.Fields[t.FieldIndex(col)]
}

func TestCompare(t *testing.T) {
	cases := []struct {
		name    string
		change  func(new *Snapshot)
		level   Level
		reasons []string
		check   func(t *testing.T, c *Changes)
	}{
		{
			name:   "identical",
			change: func(*Snapshot) {},
			level:  LevelNone,
			check: func(t *testing.T, c *Changes) {
				assert.Empty(t, c.Schema)
				for _, tc := range c.Tables {
					assert.False(t, tc.Changed(), tc.Table)
				}
			},
		},
		{
			name: "passage_typo",
			change: func(s *Snapshot) {
				s.Tables["passages"][3][8] = strings.Replace(longText, "toeslagenaffaire", "toeslagenafaire", 1)
			},
			level:   LevelPatch,
			reasons: []string{"Table passages: 1 row modified (text)."},
			check: func(t *testing.T, c *Changes) {
				p := tableOf(t, c, "passages")
				require.Len(t, p.ModifiedRows, 1)
				assert.Equal(t, "00000000000000b2", p.ModifiedRows[0].Key)
				require.Len(t, p.ModifiedRows[0].Cells, 1)
				assert.Equal(t, "text", p.ModifiedRows[0].Cells[0].Column)
				assert.Equal(t, longText, p.ModifiedRows[0].Cells[0].Old, "changes.json keeps the full old text")
				assert.Zero(t, p.Added+p.Removed)
				assert.Contains(t, c.Markdown(), "`00000000000000b2`")
				assert.Contains(t, c.Markdown(), "`text`: “…slachtoffers van de toeslagenaffaire volledig worden gecompenseerd.” → “…slachtoffers van de toeslagenafaire volledig worden gecompenseerd.”")
			},
		},
		{
			name: "passage_moved",
			change: func(s *Snapshot) {
				r := s.Tables["passages"][3]
				r[9], r[10], r[11] = r[9].(int64)+5, r[10].(int64)+5, r[11].(int64)+1
			},
			level:   LevelPatch,
			reasons: []string{"Table passages: 1 row moved within the raw text."},
			check: func(t *testing.T, c *Changes) {
				p := tableOf(t, c, "passages")
				assert.Empty(t, p.ModifiedRows, "a row whose only change is its position is not modified")
				assert.Equal(t, []string{"00000000000000b2"}, p.MovedKeys)
				assert.Equal(t, 1, p.Moved)
				assert.Contains(t, c.Markdown(), "1 row moved (only the position in the raw text changed): `00000000000000b2`")
			},
		},
		{
			name: "new_document",
			change: func(s *Snapshot) {
				s.Tables["documents"] = append(s.Tables["documents"], model.Document{
					ID: "tk2023-digitaal-stembusakkoord", Title: "Digitaal stembusakkoord", Format: model.FormatPledgeDocument,
					ElectionID: "TK2023", Topic: "digitalisering", Language: "nl", Publisher: "Test", SourceURL: "https://example.org/s",
					RawPath: "tk2023-digitaal-stembusakkoord.txt", RawSHA256: strings.Repeat("c3", 32), RawBytes: 500, Encoding: "utf-8",
				}.Values())
				s.Tables["passages"] = append(s.Tables["passages"], model.Passage{
					ID: "00000000000000c1", DocumentID: "tk2023-digitaal-stembusakkoord", Kind: model.KindPledge, Section: "Open source",
					Seq: 1, Text: "Open source als standaard.", SourceStart: 10, SourceEnd: 40, SourceLine: 2, Flags: []string{},
				}.Values())
			},
			level: LevelMinor,
			reasons: []string{
				"Document tk2023-digitaal-stembusakkoord added (tk2023-digitaal-stembusakkoord.txt).",
				"Table documents: 1 row added.",
				"Table passages: 1 row added.",
			},
			check: func(t *testing.T, c *Changes) {
				require.Len(t, c.Documents.Added, 1)
				assert.Equal(t, "tk2023-digitaal-stembusakkoord", c.Documents.Added[0].DocumentID)
				assert.Equal(t, []string{"00000000000000c1"}, tableOf(t, c, "passages").AddedKeys)
			},
		},
		{
			name: "rows_removed",
			change: func(s *Snapshot) {
				s.Tables["passages"] = slices.Delete(s.Tables["passages"], 1, 2)
				s.Tables["scores"] = s.Tables["scores"][:1]
			},
			level:   LevelMinor,
			reasons: []string{"Table passages: 1 row removed.", "Table scores: 1 row removed."},
			check: func(t *testing.T, c *Changes) {
				assert.Equal(t, []string{"00000000000000a2"}, tableOf(t, c, "passages").RemovedKeys)
				assert.Equal(t, []string{"tk2023-bigtech-scores/vvd"}, tableOf(t, c, "scores").RemovedKeys, "composite keys are joined by /")
			},
		},
		{
			name: "key_changed",
			change: func(s *Snapshot) {
				s.Tables["scores"][1][1] = "bij1-2"
			},
			level:   LevelMinor,
			reasons: []string{"Table scores: 1 row added.", "Table scores: 1 row removed."},
			check: func(t *testing.T, c *Changes) {
				sc := tableOf(t, c, "scores")
				assert.Equal(t, []string{"tk2023-bigtech-scores/bij1-2"}, sc.AddedKeys)
				assert.Equal(t, []string{"tk2023-bigtech-scores/vvd"}, sc.RemovedKeys)
				assert.Zero(t, sc.Modified)
			},
		},
		{
			name: "same_change_in_many_rows",
			change: func(s *Snapshot) {
				for _, r := range s.Tables["scores"] {
					r[3] = "Hoe kijken partijen naar Big-Tech?"
				}
			},
			level:   LevelPatch,
			reasons: []string{"Table scores: 2 rows modified (question)."},
			check: func(t *testing.T, c *Changes) {
				assert.Equal(t, 2, tableOf(t, c, "scores").CellsModified)
				assert.Contains(t, c.Markdown(), "  - `tk2023-bigtech-scores/bij1`, `tk2023-bigtech-scores/vvd`, each:\n"+
					"    - `question`: “Hoe kijken partijen naar Big Tech?” → “Hoe kijken partijen naar Big-Tech?”\n")
			},
		},
		{
			name:    "column_removed",
			change:  func(s *Snapshot) { dropColumn(s, "passages", "flags") },
			level:   LevelMajor,
			reasons: []string{"Column passages.flags removed."},
			check: func(t *testing.T, c *Changes) {
				assert.Zero(t, tableOf(t, c, "passages").Modified, "the removed column is a schema change, not a cell change")
			},
		},
		{
			name: "type_changed",
			change: func(s *Snapshot) {
				field(s, "scores", "score").Type = schemas.TypeString
				for _, r := range s.Tables["scores"] {
					r[2] = "x"
				}
			},
			level:   LevelMajor,
			reasons: []string{"Column scores.score: type number → string."},
			check: func(t *testing.T, c *Changes) {
				assert.Zero(t, tableOf(t, c, "scores").Modified, "a retyped column is not compared cell by cell")
			},
		},
		{
			name: "required_added",
			change: func(s *Snapshot) {
				field(s, "passages", "party_id").Constraints.Required = true
			},
			level:   LevelMajor,
			reasons: []string{"Column passages.party_id: now required (no nulls) (constraint tightened)."},
		},
		{
			name: "enum_extended",
			change: func(s *Snapshot) {
				f := field(s, "passages", "kind")
				f.Constraints.Enum = append(f.Constraints.Enum, "opinion")
			},
			level:   LevelMinor,
			reasons: []string{`Column passages.kind: enum value "opinion" added (constraint loosened).`},
		},
		{
			name: "enum_value_removed",
			change: func(s *Snapshot) {
				f := field(s, "passages", "kind")
				f.Constraints.Enum = slices.DeleteFunc(f.Constraints.Enum, func(v string) bool { return v == "pledge" })
			},
			level:   LevelMajor,
			reasons: []string{`Column passages.kind: enum value "pledge" removed (constraint tightened).`},
		},
		{
			name: "minimum_lowered_minlength_raised",
			change: func(s *Snapshot) {
				field(s, "passages", "seq").Constraints.Minimum = ptr(int64(0))
				field(s, "parties", "name").Constraints.MinLength = ptr(2)
			},
			level:   LevelMajor,
			reasons: []string{"Column parties.name: minLength raised 1 → 2 (constraint tightened)."},
			check: func(t *testing.T, c *Changes) {
				kinds := map[SchemaChangeKind]int{}
				for _, s := range c.Schema {
					kinds[s.Kind]++
				}
				assert.Equal(t, map[SchemaChangeKind]int{ConstraintTightened: 1, ConstraintLoosened: 1}, kinds)
			},
		},
		{
			name: "description_changed",
			change: func(s *Snapshot) {
				field(s, "scores", "score").Description = "The score as printed (1 = strongest)."
				s.Schemas["parties"].Description = "The parties."
			},
			level:   LevelPatch,
			reasons: []string{"Table parties: description changed.", "Column scores.score: description changed."},
		},
		{
			name: "keys_changed",
			change: func(s *Snapshot) {
				s.Schemas["scores"].PrimaryKey = []string{"document_id", "party_id", "question"}
				s.Schemas["passages"].ForeignKeys = s.Schemas["passages"].ForeignKeys[:2]
			},
			level: LevelMajor,
			reasons: []string{
				"Table passages: foreign key parent_id → passages(passage_id) removed.",
				"Table scores: primary key (document_id, party_id) → (document_id, party_id, question).",
			},
			check: func(t *testing.T, c *Changes) {
				sc := tableOf(t, c, "scores")
				assert.Equal(t, []string{"document_id", "party_id", "question"}, sc.KeyColumns)
				assert.False(t, sc.Changed(), "rows match by the new key")
			},
		},
		{
			name: "many_values",
			change: func(s *Snapshot) {
				for i := range 25 {
					s.Tables["passages"] = append(s.Tables["passages"], model.Passage{
						ID: "10000000000000" + string(rune('a'+i/10)) + string(rune('0'+i%10)), DocumentID: "tk2023-bigtech-scores",
						PartyID: ptr("vvd"), Kind: model.KindBullet, Section: "", Seq: int64(10 + i), Text: "Punt.",
						SourceStart: 1, SourceEnd: 2, SourceLine: 1, Flags: []string{"fragment"},
					}.Values())
				}
				s.Tables["scores"][1][2] = 4.0
				s.Tables["documents"][0][6] = (*model.Date)(nil)
				s.Tables["documents"][0][12] = strings.Repeat("d4", 32)
				s.Tables["parties"][1][3] = []string{"VVD", "Volkspartij"}
			},
			level: LevelMinor,
			reasons: []string{
				"Table passages: 25 rows added.",
			},
			check: func(t *testing.T, c *Changes) {
				require.Len(t, c.Documents.Changed, 1)
				assert.Equal(t, strings.Repeat("a1", 32), c.Documents.Changed[0].OldSHA256)
				md := c.Markdown()
				assert.Contains(t, md, "and 5 more; see changes.json")
				assert.Contains(t, md, "`published`: 2023-11-01 → null")
				assert.Contains(t, md, "`score`: 4.5 → 4")
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			old := base(t)
			new := clone(t, old)
			tc.change(new)
			c := mustCompare(t, old, new)
			assert.Equal(t, tc.level, c.Level)
			// The Grouped tables are compared document by document when they are grouped in
			// order, as every build writes them; reversed, they are compared whole. Both say the
			// same.
			whole := clone(t, new)
			for name := range Grouped {
				slices.Reverse(whole.Tables[name])
			}
			assertSameChanges(t, c, mustCompare(t, old, whole))
			want := tc.reasons
			if want == nil {
				want = []string{}
			}
			assert.Equal(t, want, c.Reasons)
			assert.False(t, c.FirstRelease)
			if tc.check != nil {
				tc.check(t, c)
			}
			c.Previous, c.Version, c.Date = "1.2.3", Next("1.2.3", c.Level), "2026-11-23"
			c.Validation = &Validation{Valid: true, ChecksRun: 120, Warnings: 2}
			golden(t, tc.name, c)
		})
	}
}

func assertSameChanges(t *testing.T, want, got *Changes) {
	t.Helper()
	a, err := want.JSON()
	require.NoError(t, err)
	b, err := got.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b), "the grouped and the whole comparison differ")
}

func tableOf(t *testing.T, c *Changes, name string) TableChanges {
	t.Helper()
	for _, tc := range c.Tables {
		if tc.Table == name {
			return tc
		}
	}
	t.Fatalf("no table %s in the changes", name)
	return TableChanges{}
}

// golden compares changes.json and the Markdown section with testdata/golden/<name>.{json,md}.
func golden(t *testing.T, name string, c *Changes) {
	t.Helper()
	js, err := c.JSON()
	require.NoError(t, err)
	for ext, got := range map[string]string{".json": string(js), ".md": c.Markdown()} {
		path := filepath.Join("testdata", "golden", name+ext)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./pipeline/changes -update to create it, then read it")
		assert.Equal(t, string(want), got, "%s differs; if the change is intended, run with -update and read the diff", path)
	}
}

func TestCompareDeterministic(t *testing.T) {
	old := base(t)
	new := clone(t, old)
	slices.Reverse(new.Tables["passages"])
	new.Tables["passages"] = new.Tables["passages"][1:]
	new.Tables["scores"][0][3] = "Andere vraag"
	first, err := mustCompare(t, old, new).JSON()
	require.NoError(t, err)
	for range 5 {
		again, err := mustCompare(t, old, new).JSON()
		require.NoError(t, err)
		require.Equal(t, string(first), string(again))
	}
}

func TestFirstRelease(t *testing.T) {
	c := mustCompare(t, &Snapshot{}, base(t))
	assert.True(t, c.FirstRelease)
	assert.Equal(t, "1.0.0", Next("", c.Level))
	assert.Equal(t, 4, c.Contents.Rows["passages"])
	assert.Equal(t, map[string]int{"bullet": 2, "intro": 1, "point": 1}, c.Contents.PassagesByKind)
	require.Len(t, c.Contents.Documents, 2)
	assert.Equal(t, DocumentContents{DocumentID: "tk2023-bigtech-scores", Title: "Hoe kijken partijen naar Big Tech?", ElectionID: "TK2023",
		Parties: 2, Passages: 2, PassagesByKind: map[string]int{"bullet": 2}, Scores: 2}, c.Contents.Documents[0])
	c.Version, c.Date, c.Notes = "1.0.0", "2026-11-23", "The first public release."
	md := c.Markdown()
	assert.NotContains(t, md, "00000000000000a1", "the first release does not list keys")
	golden(t, "first_release", c)
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("abcdefghij", 10) // 100 characters
	cases := []struct {
		name, old, new, wantOld, wantNew string
	}{
		{"short texts whole", "kort", "korter", "kort", "korter"},
		{"change in the middle", long[:50] + "X" + long[50:], long[:50] + "Y" + long[50:],
			"…" + long[20:50] + "X" + long[50:80] + "…", "…" + long[20:50] + "Y" + long[50:80] + "…"},
		{"change at the start", "X" + long, "Y" + long, "X" + long[:30] + "…", "Y" + long[:30] + "…"},
		{"insertion at the end", long, long + "!", "…" + long[70:], "…" + long[70:] + "!"},
		{"multi-byte characters", strings.Repeat("é", 90) + "a", strings.Repeat("é", 90) + "b",
			"…" + strings.Repeat("é", 30) + "a", "…" + strings.Repeat("é", 30) + "b"},
		{"cuts widen to whole words", strings.Repeat("woord ", 10) + "oud" + strings.Repeat(" woord", 10),
			strings.Repeat("woord ", 10) + "nieuw" + strings.Repeat(" woord", 10),
			"…woord woord woord woord woord oud woord woord woord woord woord…", "…woord woord woord woord woord nieuw woord woord woord woord woord…"},
		{"long change cut in the middle", strings.Repeat("x", 200), strings.Repeat("y", 200),
			strings.Repeat("x", 60) + " … " + strings.Repeat("x", 60), strings.Repeat("y", 60) + " … " + strings.Repeat("y", 60)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, n := excerpt(tc.old, tc.new)
			assert.Equal(t, tc.wantOld, o)
			assert.Equal(t, tc.wantNew, n)
		})
	}
}

func TestCellEqual(t *testing.T) {
	d := model.Date{Year: 2023, Month: 1, Day: 2}
	cases := []struct {
		a, b any
		want bool
	}{
		{"a", "a", true},
		{"a", "b", false},
		{ptr("a"), ptr("a"), true},
		{(*string)(nil), ptr("a"), false},
		{(*string)(nil), (*string)(nil), true},
		{int64(1), int64(1), true},
		{ptr(int64(1)), ptr(int64(2)), false},
		{1.5, 1.5, true},
		{d, d, true},
		{ptr(d), (*model.Date)(nil), false},
		{[]string{"a"}, []string{"a"}, true},
		{[]string{}, []string(nil), false},
		{[]string{"a", "b"}, []string{"b", "a"}, false},
		{[]string{"a"}, "a", false},
	}
	for i, tc := range cases {
		assert.Equal(t, tc.want, cellEqual(tc.a, tc.b), "case %d: %#v vs %#v", i, tc.a, tc.b)
	}
}

func TestChangelogMarkdown(t *testing.T) {
	got := ChangelogMarkdown([]string{
		"## [1.0.0] - 2026-01-01\n\nFirst release.\n",
		"## [1.10.0] - 2026-03-01\n",
		"## [1.2.0] - 2026-02-01\n",
		"## [Unreleased]\n",
	})
	var heads []string
	for line := range strings.Lines(got) {
		if strings.HasPrefix(line, "#") {
			heads = append(heads, strings.TrimSpace(line))
		}
	}
	assert.Equal(t, []string{"# Changelog", "## [Unreleased]", "## [1.10.0] - 2026-03-01", "## [1.2.0] - 2026-02-01", "## [1.0.0] - 2026-01-01"}, heads)
	assert.True(t, strings.HasSuffix(got, "First release.\n"))
}

func TestLoadMissingTable(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	_, err := Load(dir, set)
	require.Error(t, err)
	assert.True(t, errors.Is(err, model.ErrInput))
	assert.Contains(t, err.Error(), filepath.Join(dir, "parquet", "parties.parquet"))
}

func TestSchemasOf(t *testing.T) {
	embedded := loadSchemas(t)

	t.Run("no datapackage.json: embedded schemas", func(t *testing.T) {
		got, err := SchemasOf(t.TempDir())
		require.NoError(t, err)
		assert.Equal(t, embedded, got)
	})

	t.Run("parquet resources of datapackage.json", func(t *testing.T) {
		dir := t.TempDir()
		var res []map[string]any
		for _, name := range schemas.Order {
			raw, err := schemas.Raw(name)
			require.NoError(t, err)
			var schema map[string]any
			require.NoError(t, json.Unmarshal(raw, &schema))
			if name == "scores" {
				schema["description"] = "Changed in the release."
			}
			for _, f := range []string{"csv", "parquet", "json"} {
				rn := name + "-" + f
				if f == "csv" {
					rn = name
				}
				res = append(res, map[string]any{"name": rn, "path": f + "/" + name + "." + f, "format": f, "schema": schema})
			}
		}
		b, err := json.Marshal(map[string]any{"name": "standpunten", "resources": res})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "datapackage.json"), b, 0o644))
		got, err := SchemasOf(dir)
		require.NoError(t, err)
		assert.Equal(t, "Changed in the release.", got["scores"].Description)
		got["scores"].Description = embedded["scores"].Description
		assert.Equal(t, embedded, got)
	})

	t.Run("errors name the file", func(t *testing.T) {
		for name, body := range map[string]string{
			"not json":          "{",
			"no parquet":        `{"resources":[{"name":"passages","schema":{"name":"passages"}}]}`,
			"name mismatch":     `{"resources":[{"name":"passages-parquet","schema":{"name":"scores"}}]}`,
			"schema missing":    `{"resources":[{"name":"passages-parquet"}]}`,
			"schema wrong type": `{"resources":[{"name":"passages-parquet","schema":{"name":"passages","fields":3}}]}`,
		} {
			dir := t.TempDir()
			path := filepath.Join(dir, "datapackage.json")
			require.NoError(t, os.WriteFile(path, []byte(body), 0o644))
			_, err := SchemasOf(dir)
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), path, name)
			assert.True(t, errors.Is(err, model.ErrInput), name)
		}
	})
}

// TestLoadBuilds builds the real corpus twice and compares the two folders: nothing differs.
func TestLoadBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the corpus twice")
	}
	var snaps [2]*Snapshot
	for i := range snaps {
		out := filepath.Join(t.TempDir(), "out")
		_, err := build.Run(context.Background(), build.Options{RawDir: "../../raw", OutDir: out})
		require.NoError(t, err)
		set, err := SchemasOf(out)
		require.NoError(t, err)
		snaps[i], err = Load(out, set)
		require.NoError(t, err)
	}
	require.NotZero(t, snaps[0].Len("passages"))
	for name := range Streamed {
		require.NotZero(t, snaps[0].Len(name), name)
		require.NotContains(t, snaps[0].Tables, name, "Load streams %s, it does not hold them", name)
	}
	c := mustCompare(t, snaps[0], snaps[1])
	assert.Equal(t, LevelNone, c.Level)
	assert.Empty(t, c.Reasons)

	// The same folder against a copy with one passage text changed: exactly that passage.
	edited := clone(t, snaps[1])
	ti := edited.Schemas["passages"].FieldIndex("text")
	row := edited.Tables["passages"][7]
	row[ti] = row[ti].(string) + " (typo)"
	c = mustCompare(t, snaps[0], edited)
	assert.Equal(t, LevelPatch, c.Level)
	p := tableOf(t, c, "passages")
	require.Len(t, p.ModifiedRows, 1)
	assert.Equal(t, row[0], p.ModifiedRows[0].Key)

	// The first release from a real build lists what it contains.
	first := mustCompare(t, nil, snaps[0])
	assert.True(t, first.FirstRelease)
	assert.Len(t, first.Contents.Documents, snaps[0].Len("documents"))
	assert.Equal(t, snaps[0].Len("passages"), first.Contents.Rows["passages"])
	// The per-document counts come from the streamed tables, read from the files.
	var passages, scores, parties int
	for _, d := range first.Contents.Documents {
		passages, scores, parties = passages+d.Passages, scores+d.Scores, parties+d.Parties
	}
	assert.Equal(t, snaps[0].Len("passages"), passages)
	assert.NotZero(t, scores)
	assert.Equal(t, snaps[0].Len("scores"), scores)
	assert.Equal(t, snaps[0].Len("document_parties"), parties)
	assert.Len(t, first.Documents.Added, snaps[0].Len("documents"))
}

// BenchmarkCompare diffs two loads of the real build, one passage changed.
func BenchmarkCompare(b *testing.B) {
	out := filepath.Join(b.TempDir(), "out")
	if _, err := build.Run(context.Background(), build.Options{RawDir: "../../raw", OutDir: out}); err != nil {
		b.Fatal(err)
	}
	set, err := schemas.Load()
	if err != nil {
		b.Fatal(err)
	}
	old, err := Load(out, set)
	if err != nil {
		b.Fatal(err)
	}
	next, err := Load(out, set)
	if err != nil {
		b.Fatal(err)
	}
	next = clone(b, next)
	next.Tables["passages"][0][8] = next.Tables["passages"][0][8].(string) + " (gewijzigd)"
	b.ReportAllocs()
	for b.Loop() {
		if c := mustCompare(b, old, next); c.Level != LevelPatch {
			b.Fatalf("level %s", c.Level)
		}
	}
}

// A passage that moved to another document leaves one group and joins another: it is one modified
// row (its document_id), as when the tables are compared whole.
func TestComparePassageToOtherDocument(t *testing.T) {
	old := base(t)
	new := clone(t, old)
	di := new.Schemas["passages"].FieldIndex("document_id")
	new.Tables["passages"][1][di] = "tk2023-bij1-digitale-rechten"
	c := mustCompare(t, old, new)
	p := tableOf(t, c, "passages")
	assert.Empty(t, p.AddedKeys)
	assert.Empty(t, p.RemovedKeys)
	require.Len(t, p.ModifiedRows, 1)
	assert.Equal(t, "00000000000000a2", p.ModifiedRows[0].Key)
	assert.Equal(t, "document_id", p.ModifiedRows[0].Cells[0].Column)
	whole := clone(t, new)
	slices.Reverse(whole.Tables["passages"])
	assertSameChanges(t, c, mustCompare(t, old, whole))
}

// Groups out of order in one snapshot are compared whole, and a read error of a streamed table
// is returned, not ignored.
func TestCompareStreamedError(t *testing.T) {
	out := t.TempDir()
	set := loadSchemas(t)
	s := &Snapshot{Schemas: set, Tables: map[string][][]any{}, dir: out, lens: map[string]int{"passages": 1}}
	for name := range set {
		if name != "passages" {
			s.Tables[name] = [][]any{}
		}
	}
	_, err := Compare(base(t), s)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "passages.parquet")
}

// A first release lists every row as added, from the keys alone; a key repeated (which
// validation forbids) is listed once per row, numbered.
func TestFirstReleaseKeys(t *testing.T) {
	s := base(t)
	s.Tables["parties"] = append(s.Tables["parties"], slices.Clone(s.Tables["parties"][0]), slices.Clone(s.Tables["parties"][0]))
	c := mustCompare(t, &Snapshot{}, s)
	p := tableOf(t, c, "parties")
	assert.Equal(t, []string{"bij1", "bij1#2", "bij1#3", "vvd"}, p.AddedKeys)
	assert.Equal(t, 4, p.Added)
	assert.Equal(t, []string{"00000000000000a1", "00000000000000a2", "00000000000000b1", "00000000000000b2"}, tableOf(t, c, "passages").AddedKeys)
}

// TestReadSummary reads every golden changes.json and every published release's as a summary:
// the same as decoding it whole, less the tables' key lists and modified rows.
func TestReadSummary(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	require.NoError(t, err)
	releases, err := filepath.Glob(filepath.Join("..", "..", "output", "releases", "v*", "changes.json"))
	require.NoError(t, err)
	require.NotEmpty(t, releases, "the published releases are in output/releases")
	listedSome := false
	for _, path := range append(paths, releases...) {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		var want Changes
		require.NoError(t, json.Unmarshal(b, &want), path)
		for i, tc := range want.Tables {
			listedSome = listedSome || len(tc.AddedKeys)+len(tc.ModifiedRows) > 0
			want.Tables[i].AddedKeys, want.Tables[i].RemovedKeys, want.Tables[i].MovedKeys, want.Tables[i].ModifiedRows = nil, nil, nil, nil
		}
		got, err := ReadSummary(path)
		require.NoError(t, err, path)
		require.Equal(t, &want, got, path)

		h, err := ReadHead(path)
		require.NoError(t, err, path)
		require.Equal(t, &Changes{Version: want.Version, Previous: want.Previous, Date: want.Date, Notes: want.Notes,
			Validation: want.Validation, FirstRelease: want.FirstRelease, Level: want.Level, Reasons: want.Reasons}, h, path)
	}
	require.True(t, listedSome, "some file lists keys or rows, so that leaving them out is tested")

	bad := filepath.Join(t.TempDir(), "changes.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"version": "1.0.0", "tables": [{"table": "x", "added_keys": ["a", `), 0o644))
	_, err = ReadSummary(bad)
	require.ErrorContains(t, err, bad)
	require.ErrorContains(t, err, "tables")
	var se *model.SourceError
	require.ErrorAs(t, err, &se)

	// ReadHead stops after the head: what follows it is not read.
	require.NoError(t, os.WriteFile(bad, []byte(`{"version": "1.0.1", "previous": "1.0.0", "date": "2026-12-01", "notes": "", `+
		`"validation": null, "first_release": false, "level": "patch", "reasons": ["r"], "documents": {"added": [`), 0o644))
	h, err := ReadHead(bad)
	require.NoError(t, err)
	require.Equal(t, &Changes{Version: "1.0.1", Previous: "1.0.0", Date: "2026-12-01", Level: LevelPatch, Reasons: []string{"r"}}, h)
	_, err = ReadHead(filepath.Join(t.TempDir(), "missing.json"))
	require.ErrorIs(t, err, fs.ErrNotExist)
}

// The tables that grow with the documents (scores, document_parties) are compared a document at
// a time, as the passages are: a document's rows added at the end, a document's rows gone and a
// value changed give the same changes as comparing the tables whole.
func TestCompareGroupedPerDocument(t *testing.T) {
	old := base(t)
	new := clone(t, old)
	si := new.Schemas["scores"].FieldIndex("score")
	new.Tables["scores"][1][si] = float64(4)
	new.Tables["scores"] = append(new.Tables["scores"],
		cells(model.Score{DocumentID: "tk2025-zz-scores", PartyID: "bij1", Score: 2, Question: "Nieuw?"})...)
	new.Tables["document_parties"] = append(new.Tables["document_parties"][:2],
		cells(model.DocumentParty{DocumentID: "tk2025-zz-scores", PartyID: "bij1", Passages: 3})...)
	c := mustCompare(t, old, new)

	s := tableOf(t, c, "scores")
	assert.Equal(t, 1, s.Added)
	assert.Equal(t, 1, s.Modified)
	dp := tableOf(t, c, "document_parties")
	assert.Equal(t, 1, dp.Added, "the new document's row")
	assert.Equal(t, 1, dp.Removed, "the row of the document no longer listed")

	whole := clone(t, new)
	for name := range Grouped {
		slices.Reverse(whole.Tables[name])
	}
	assertSameChanges(t, c, mustCompare(t, old, whole))
}
