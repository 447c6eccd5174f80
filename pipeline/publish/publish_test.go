package publish

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

func ptr2[T any](v T) *T { return &v }

// tricky has commas, quotes, newlines, curly quotes, accents and HTML characters.
const tricky = "Zegt: \"ja, maar\"\nook ‘nee’, café’s;\n\nen <b>R&D</b>\t "

func sampleRows() map[string][]model.Row {
	day := model.Date{Year: 2023, Month: 11, Day: 22}
	return map[string][]model.Row{
		"parties": {
			model.Party{ID: "cda", Abbreviation: "CDA", Name: "Christen-Democratisch Appèl", Aliases: []string{"C.D.A.", "christen, \"democraten\""},
				Members: []string{"arp", "kvp", "chu"}},
			model.Party{ID: "d66", Abbreviation: "D66", Name: "Democraten ’66", Aliases: nil},
			model.Party{ID: "pvdd", Abbreviation: "PvdD", Name: "Partij voor de Dieren", Aliases: []string{""}},
		},
		"elections": {
			model.Election{ID: "TK2023", Name: "Tweede Kamerverkiezing 2023", Date: day},
			model.Election{ID: "TK1969", Name: "Vóór 1970", Date: model.Date{Year: 1969, Month: 12, Day: 31}},
		},
		"documents": {
			model.Document{ID: "kieskompas-digitalisering", Title: "Standpunten “digitalisering”", Format: model.FormatScoreOverview,
				ElectionID: "TK2023", Topic: "digitalisering", Language: "nl", Published: &day, Publisher: "Kieskompas",
				SourceURL: "https://example.org/a?b=c&d=e", License: ptr2("CC BY 4.0"), Note: tricky, RawPath: "raw/a.txt",
				RawSHA256: "ab12", RawBytes: 1234, Encoding: "utf-8"},
			model.Document{ID: "programma-x", Title: "Programma", Format: model.FormatProgrammeChapter, ElectionID: "TK2023",
				Topic: "zorg", Language: "nl", RawPath: "raw/b.txt", RawSHA256: "cd34", Encoding: "windows-1252"},
		},
		"passages": {
			model.Passage{ID: "p1", DocumentID: "programma-x", Kind: model.KindIntro, Section: "", Seq: 1, Text: "Inleiding",
				SourceStart: 0, SourceEnd: 9, SourceLine: 1, Flags: nil},
			model.Passage{ID: "p2", DocumentID: "programma-x", PartyID: ptr2("cda"), Kind: model.KindPoint, Section: "Zorg, welzijn",
				Number: ptr2(int64(-3)), ParentID: ptr2("p1"), Seq: 2, Text: tricky, SourceStart: 10, SourceEnd: math.MaxInt64,
				SourceLine: 2, Flags: []string{model.FlagElided, model.FlagDehyphenated},
				SectionPath: []string{"2 Hoofdstuk", "2.1 Zorg, welzijn"}},
		},
		"scores": {
			model.Score{DocumentID: "kieskompas-digitalisering", PartyID: "cda", Score: 0.30000000000000004, Question: "Eens?"},
			model.Score{DocumentID: "kieskompas-digitalisering", PartyID: "d66", Score: -1e-7, Question: tricky},
			model.Score{DocumentID: "kieskompas-digitalisering", PartyID: "pvdd", Score: 1e21, Question: ""},
		},
		"document_parties": {
			model.DocumentParty{DocumentID: "programma-x", PartyID: "cda", Passages: 1, Note: ""},
			model.DocumentParty{DocumentID: "programma-x", PartyID: "d66", Passages: 0, Note: "Geen relevante punten"},
		},
	}
}

func loadSchemas(t testing.TB) schemas.Set {
	t.Helper()
	set, err := schemas.Load()
	require.NoError(t, err)
	return set
}

// writeAll writes the rows of every table into dir.
func writeAll(t testing.TB, dir string, set schemas.Set, rows map[string][]model.Row, batch int) {
	t.Helper()
	w, err := NewWriter(dir, set, Meta{Dataset: "standpunten-test"})
	require.NoError(t, err)
	w.BatchRows = batch
	for _, name := range schemas.Order {
		tw, err := w.Table(name)
		require.NoError(t, err)
		for _, r := range rows[name] {
			require.NoError(t, tw.Append(r))
		}
		require.NoError(t, tw.Close())
		require.EqualValues(t, len(rows[name]), tw.Rows())
	}
}

type readFunc func(string, *schemas.Table) ([][]any, error)

// readers are this package's readers by format.
var readers = map[Format]readFunc{FormatParquet: ReadParquet, FormatCSV: ReadCSV, FormatJSON: ReadJSON}

func cellsOf(rows []model.Row) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r.Values()
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	set := loadSchemas(t)
	rows := sampleRows()
	rows["document_parties"] = nil // an empty table
	dir := t.TempDir()
	writeAll(t, dir, set, rows, 0)

	readers := []struct {
		name   string
		format Format
		read   readFunc
	}{
		{"parquet", FormatParquet, ReadParquet},
		{"parquet-go", FormatParquet, readParquetGo},
		{"csv", FormatCSV, ReadCSV},
		{"json", FormatJSON, ReadJSON},
	}
	for _, name := range schemas.Order {
		want := cellsOf(rows[name])
		for _, r := range readers {
			t.Run(name+"/"+r.name, func(t *testing.T) {
				got, err := r.read(Path(dir, r.format, name), set[name])
				require.NoError(t, err)
				require.Len(t, got, len(want))
				for i := range want {
					require.Equal(t, want[i], got[i], "row %d", i+1)
				}
			})
		}
	}
}

func TestTextLayout(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	rows := sampleRows()
	rows["document_parties"] = nil
	writeAll(t, dir, set, rows, 0)

	tests := []struct {
		format      Format
		table, want string
	}{
		{FormatCSV, "parties", "party_id,abbreviation,name,aliases,members\n" +
			"cda,CDA,Christen-Democratisch Appèl,\"[\"\"C.D.A.\"\",\"\"christen, \\\"\"democraten\\\"\"\"\"]\",\"[\"\"arp\"\",\"\"kvp\"\",\"\"chu\"\"]\"\n" +
			"d66,D66,Democraten ’66,[],[]\n" +
			"pvdd,PvdD,Partij voor de Dieren,\"[\"\"\"\"]\",[]\n"},
		{FormatJSON, "parties", "[\n" +
			`{"party_id":"cda","abbreviation":"CDA","name":"Christen-Democratisch Appèl","aliases":["C.D.A.","christen, \"democraten\""],"members":["arp","kvp","chu"]},` + "\n" +
			`{"party_id":"d66","abbreviation":"D66","name":"Democraten ’66","aliases":[],"members":[]},` + "\n" +
			`{"party_id":"pvdd","abbreviation":"PvdD","name":"Partij voor de Dieren","aliases":[""],"members":[]}` + "\n]\n"},
		{FormatCSV, "scores", "document_id,party_id,score,question\n" +
			"kieskompas-digitalisering,cda,0.30000000000000004,Eens?\n" +
			"kieskompas-digitalisering,d66,-0.0000001,\"Zegt: \"\"ja, maar\"\"\nook ‘nee’, café’s;\n\nen <b>R&D</b>\t \"\n" +
			"kieskompas-digitalisering,pvdd,1000000000000000000000,\n"},
		{FormatJSON, "scores", "[\n" +
			`{"document_id":"kieskompas-digitalisering","party_id":"cda","score":0.30000000000000004,"question":"Eens?"},` + "\n" +
			`{"document_id":"kieskompas-digitalisering","party_id":"d66","score":-0.0000001,"question":"Zegt: \"ja, maar\"\nook ‘nee’, café’s;\n\nen <b>R&D</b>\t "},` + "\n" +
			`{"document_id":"kieskompas-digitalisering","party_id":"pvdd","score":1000000000000000000000,"question":""}` + "\n]\n"},
		{FormatCSV, "elections", "election_id,name,date\nTK2023,Tweede Kamerverkiezing 2023,2023-11-22\nTK1969,Vóór 1970,1969-12-31\n"},
		{FormatJSON, "elections", "[\n" + `{"election_id":"TK2023","name":"Tweede Kamerverkiezing 2023","date":"2023-11-22"},` + "\n" +
			`{"election_id":"TK1969","name":"Vóór 1970","date":"1969-12-31"}` + "\n]\n"},
		{FormatCSV, "document_parties", "document_id,party_id,passages,note\n"},
		{FormatJSON, "document_parties", "[]\n"},
	}
	for _, tc := range tests {
		t.Run(string(tc.format)+"/"+tc.table, func(t *testing.T) {
			got, err := os.ReadFile(Path(dir, tc.format, tc.table))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
		})
	}
	// The CSV of a nullable column holds an empty cell for null.
	got, err := os.ReadFile(Path(dir, FormatCSV, "passages"))
	require.NoError(t, err)
	assert.Contains(t, string(got), "\np1,programma-x,,intro,,,,1,Inleiding,0,9,1,[],[]\n")
	// A list cell with commas and quotes is a quoted JSON array.
	assert.Contains(t, string(got), ",\"[\"\"elided\"\",\"\"dehyphenated\"\"]\",\"[\"\"2 Hoofdstuk\"\",\"\"2.1 Zorg, welzijn\"\"]\"\n")
	got, err = os.ReadFile(Path(dir, FormatJSON, "passages"))
	require.NoError(t, err)
	assert.Contains(t, string(got), `"flags":["elided","dehyphenated"],"section_path":["2 Hoofdstuk","2.1 Zorg, welzijn"]}`)
}

func TestDeterministic(t *testing.T) {
	set := loadSchemas(t)
	a, b := t.TempDir(), t.TempDir()
	writeAll(t, a, set, sampleRows(), 0)
	writeAll(t, b, set, sampleRows(), 0)
	for _, name := range schemas.Order {
		for _, format := range Formats {
			ba, err := os.ReadFile(Path(a, format, name))
			require.NoError(t, err)
			bb, err := os.ReadFile(Path(b, format, name))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(ba, bb), "%s/%s differs between two runs", format, name)
		}
	}
}

func TestParquetMetadata(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	writeAll(t, dir, set, sampleRows(), 0)
	for _, name := range schemas.Order {
		t.Run(name, func(t *testing.T) {
			md := parquetGoMeta(t, Path(dir, FormatParquet, name))
			assert.Equal(t, CreatedBy, md.createdBy)
			assert.Equal(t, set.Version(), md.kv[KeySchemaVersion])
			assert.Equal(t, "standpunten-test", md.kv[KeyDataset])
			assert.Equal(t, name, md.kv[KeyTable])
			assert.NotEmpty(t, md.kv["ARROW:schema"])
			assert.Equal(t, "ZSTD", md.codec)

			// The stored Arrow schema brings back the field metadata.
			got := arrowSchemaOfFile(t, Path(dir, FormatParquet, name))
			for i, f := range set[name].Fields {
				desc, _ := got.Field(i).Metadata.GetValue("description")
				title, _ := got.Field(i).Metadata.GetValue("title")
				assert.Equal(t, f.Description, desc, f.Name)
				assert.Equal(t, f.Title, title, f.Name)
			}
		})
	}
}

func TestArrowSchema(t *testing.T) {
	set := loadSchemas(t)
	s := ArrowSchema(set["passages"], map[string]string{"b": "2", "a": "1"})
	assert.Equal(t, []string{"a", "b"}, s.Metadata().Keys())
	assert.Equal(t, []string{"1", "2"}, s.Metadata().Values())
	tests := []struct {
		table, column, typ string
		nullable           bool
	}{
		{"passages", "passage_id", "utf8", false},
		{"passages", "party_id", "utf8", true},
		{"passages", "number", "int64", true},
		{"passages", "seq", "int64", false},
		{"passages", "flags", "list<element: utf8>", false},
		{"passages", "section_path", "list<element: utf8>", false},
		{"parties", "aliases", "list<element: utf8>", false},
		{"parties", "members", "list<element: utf8>", false},
		{"elections", "date", "date32", false},
		{"documents", "published", "date32", true},
		{"scores", "score", "float64", false},
	}
	for _, tc := range tests {
		t.Run(tc.table+"."+tc.column, func(t *testing.T) {
			tbl := set[tc.table]
			s := ArrowSchema(tbl, nil)
			i := tbl.FieldIndex(tc.column)
			require.GreaterOrEqual(t, i, 0)
			f := s.Field(i)
			assert.Equal(t, tc.column, f.Name)
			assert.Equal(t, tc.typ, f.Type.String())
			assert.Equal(t, tc.nullable, f.Nullable)
			if lt, ok := f.Type.(*arrow.ListType); ok {
				assert.False(t, lt.ElemField().Nullable, "list elements are non-null")
			}
			assert.Equal(t, []string{"description", "title"}, f.Metadata.Keys())
			assert.Equal(t, []string{tbl.Fields[i].Description, tbl.Fields[i].Title}, f.Metadata.Values())
		})
	}
}

// row is a hand-made model.Row.
type row []any

func (r row) Values() []any { return r }

func TestAppendRejects(t *testing.T) {
	set := loadSchemas(t)
	tests := []struct {
		name, table string
		row         model.Row
		column      string // "" for the row as a whole
		msg         string
	}{
		{"too few values", "elections", row{"TK2023", "x"}, "", "2 values, want 3"},
		{"too many values", "scores", row{"d", "p", 1.0, "q", "extra"}, "", "5 values, want 4"},
		{"nil row", "scores", nil, "", "nil row"},
		{"string for *string", "passages", row{"p", "d", "cda", "point", "", (*int64)(nil), (*string)(nil), int64(1), "t", int64(0), int64(1), int64(1), []string{}, []string{}}, "party_id", "got string, want *string"},
		{"int for int64", "document_parties", row{"d", "p", 3, ""}, "passages", "got int, want int64"},
		{"nil pointer in required column", "elections", row{"TK2023", "x", (*model.Date)(nil)}, "date", "got *model.Date, want model.Date"},
		{"untyped nil", "scores", row{"d", nil, 1.0, "q"}, "party_id", "got <nil>, want string"},
		{"nil list", "parties", row{"p", "P", "Partij", []string(nil), []string{}}, "aliases", "null in a required column"},
		{"nil list in last column", "passages", row{"p", "d", (*string)(nil), "point", (*string)(nil), (*int64)(nil), (*string)(nil), int64(1), "t", int64(0), int64(1), int64(1), []string{}, []string(nil)}, "section_path", "null in a required column"},
		{"empty nullable string", "documents", model.Document{ID: "d", License: ptr2("")}, "license", "empty string in a nullable column"},
		{"not finite", "scores", model.Score{Score: math.NaN()}, "score", "not finite"},
		{"year 10000", "elections", model.Election{ID: "x", Date: model.Date{Year: 10000, Month: 1, Day: 1}}, "date", "no YYYY-MM-DD form"},
		{"carriage return", "scores", model.Score{Question: "a\r\nb"}, "question", "carriage return"},
		{"invalid UTF-8", "parties", model.Party{ID: "p", Aliases: []string{"ok", "\xff"}}, "aliases", "element 1: text is not valid UTF-8"},
		{"impossible date", "elections", model.Election{ID: "x", Date: model.Date{Year: 2023, Month: 2, Day: 30}}, "date", "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, err := NewWriter(t.TempDir(), set, Meta{})
			require.NoError(t, err)
			tw, err := w.Table(tc.table)
			require.NoError(t, err)
			err = tw.Append(tc.row)
			require.Error(t, err)
			var re *RowError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tc.table, re.Table)
			assert.Equal(t, tc.column, re.Column)
			assert.EqualValues(t, 1, re.Row)
			assert.Contains(t, err.Error(), "publish "+tc.table+": row 1: ")
			assert.Contains(t, err.Error(), tc.column)
			assert.Contains(t, err.Error(), tc.msg)
			// The refused row left nothing behind; the table goes on.
			good := sampleRows()[tc.table][0]
			require.NoError(t, tw.Append(good))
			require.NoError(t, tw.Close())
			for format, read := range readers {
				got, err := read(Path(w.dir, format, tc.table), set[tc.table])
				require.NoError(t, err, format)
				require.Equal(t, [][]any{good.Values()}, got, format)
			}
		})
	}
}

func TestWriterMisuse(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	_, err := NewWriter(dir, set, Meta{SchemaVersion: "0.0.1"})
	assert.ErrorContains(t, err, `schema version "0.0.1"`)

	w, err := NewWriter(dir, set, Meta{})
	require.NoError(t, err)
	_, err = w.Table("nope")
	assert.ErrorContains(t, err, `unknown table "nope"`)
	tw, err := w.Table("scores")
	require.NoError(t, err)
	_, err = w.Table("scores")
	assert.ErrorContains(t, err, "already")
	require.NoError(t, tw.Close())
	require.NoError(t, tw.Close())
	assert.ErrorContains(t, tw.Append(model.Score{}), "after Close")

	// A second writer on the same folder does not overwrite files.
	w2, err := NewWriter(dir, set, Meta{})
	require.NoError(t, err)
	_, err = w2.Table("scores")
	assert.ErrorIs(t, err, os.ErrExist)
}

func TestRowGroups(t *testing.T) {
	set := loadSchemas(t)
	dir := t.TempDir()
	var rows []model.Row
	for i := range 10 {
		rows = append(rows, model.Passage{ID: fmt.Sprintf("p%02d", i), DocumentID: "d", Kind: model.KindPoint, Seq: int64(i),
			Text: fmt.Sprintf("tekst %d", i), Flags: []string{fmt.Sprint(i)}})
	}
	w, err := NewWriter(dir, set, Meta{})
	require.NoError(t, err)
	w.BatchRows = 4
	tw, err := w.Table("passages")
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, tw.Append(r))
	}
	require.NoError(t, tw.Close())

	path := Path(dir, FormatParquet, "passages")
	assert.Equal(t, []int64{4, 4, 2}, parquetGoMeta(t, path).rowGroups)
	for _, read := range []readFunc{ReadParquet, readParquetGo} {
		got, err := read(path, set["passages"])
		require.NoError(t, err)
		assert.Equal(t, cellsOf(rows), got)
	}
}

func BenchmarkWritePassages(b *testing.B) {
	set := loadSchemas(b)
	const n = 100_000
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWriter(b.TempDir(), set, Meta{})
		require.NoError(b, err)
		tw, err := w.Table("passages")
		require.NoError(b, err)
		for i := range n {
			p := model.Passage{ID: fmt.Sprintf("doc-%06d", i), DocumentID: "doc", PartyID: ptr2("cda"), Kind: model.KindPoint,
				Section: "Zorg", Seq: int64(i), Text: "Een standpunt over zorg, met “aanhalingstekens” en een komma.",
				SourceStart: int64(i * 80), SourceEnd: int64(i*80 + 60), SourceLine: int64(i + 1), Flags: []string{model.FlagElided}}
			if i%3 == 0 {
				p.Number, p.ParentID = ptr2(int64(i)), ptr2("doc-000000")
			}
			if err := tw.Append(p); err != nil {
				b.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(n, "rows/op")
}

// TestDeterministicAtScale writes a passages table large enough that a dictionary-encoded text
// column would outgrow its dictionary page and fall back to PLAIN inside a row group (where arrow-go
// lists the page encodings from a Go map, in random order), several times, and expects the same
// bytes every time.
func TestDeterministicAtScale(t *testing.T) {
	set := loadSchemas(t)
	var rows []model.Row
	words := strings.Fields("digitale overheid open source algoritmen privacy toezicht burgers data platformen publieke waarden internet veiligheid")
	for i := 0; i < 9000; i++ {
		var sb strings.Builder
		for k := 0; k < 30; k++ {
			sb.WriteString(words[(i*7+k*k+i/13)%len(words)])
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "(%d)", i)
		rows = append(rows, model.Passage{ID: fmt.Sprintf("%016x", i), DocumentID: "d", Kind: model.KindParagraph, Seq: int64(i + 1),
			Text: sb.String(), SourceStart: int64(i * 300), SourceEnd: int64(i*300 + 290), SourceLine: int64(i + 1), Flags: []string{}, SectionPath: []string{}})
	}
	var first []byte
	for run := 0; run < 4; run++ {
		dir := t.TempDir()
		writeAll(t, dir, set, map[string][]model.Row{"passages": rows}, 0)
		b, err := os.ReadFile(Path(dir, FormatParquet, "passages"))
		require.NoError(t, err)
		if run == 0 {
			first = b
			continue
		}
		require.True(t, bytes.Equal(first, b), "run %d wrote different Parquet bytes", run)
	}
}

// TestNoDictionaryFallback: a dictionary column whose values would outgrow the dictionary page
// within one row group (8,192 distinct 4 KiB sections: 32 MiB) makes the writer end row groups
// early, so no column chunk falls back to PLAIN data pages, whose page encoding stats arrow-go
// would write in random order. The bytes are the same on every run.
func TestNoDictionaryFallback(t *testing.T) {
	set := loadSchemas(t)
	var rows []model.Row
	for i := 0; i < 8192; i++ {
		section := fmt.Sprintf("%06d ", i) + strings.Repeat(string(rune('a'+i%26)), 4096)
		rows = append(rows, model.Passage{ID: fmt.Sprintf("%016x", i), DocumentID: "d", Kind: model.KindParagraph, Seq: int64(i + 1),
			Section: section, Text: "t", SourceStart: int64(i * 10), SourceEnd: int64(i*10 + 9), SourceLine: int64(i + 1), Flags: []string{}, SectionPath: []string{}})
	}
	var first []byte
	for run := 0; run < 3; run++ {
		dir := t.TempDir()
		writeAll(t, dir, set, map[string][]model.Row{"passages": rows}, 0)
		path := Path(dir, FormatParquet, "passages")
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		if run == 0 {
			first = b
			f, err := os.Open(path)
			require.NoError(t, err)
			pf, err := parquet.OpenFile(f, int64(len(b)))
			require.NoError(t, err)
			md := pf.Metadata()
			assert.Greater(t, len(md.RowGroups), 2, "the section column's 32 MiB need several row groups")
			for g, rg := range md.RowGroups {
				for _, c := range rg.Columns {
					dict, plain := false, false
					for _, st := range c.MetaData.EncodingStats {
						switch {
						case st.PageType == format.DictionaryPage:
							dict = true
						case st.PageType == format.DataPage && st.Encoding == format.Plain:
							plain = true
						}
					}
					assert.False(t, dict && plain, "row group %d column %v fell back from its dictionary to PLAIN", g, c.MetaData.PathInSchema)
				}
			}
			f.Close()
			got, err := ReadParquet(path, set["passages"])
			require.NoError(t, err)
			require.Len(t, got, len(rows))
			continue
		}
		require.True(t, bytes.Equal(first, b), "run %d wrote different Parquet bytes", run)
	}
}
