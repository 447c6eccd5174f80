package codebook

import (
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

var update = flag.Bool("update", false, "rewrite testdata/CODEBOOK.md from the current output")

const golden = "testdata/CODEBOOK.md"

// realInput builds the repository's raw folder and reads every table back from Parquet.
func realInput(t *testing.T) Input {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	_, err := build.Run(context.Background(), build.Options{RawDir: "../../raw", OutDir: out})
	require.NoError(t, err)
	set, err := schemas.Load()
	require.NoError(t, err)
	rows := publish.MemTables{}
	for _, name := range schemas.Order {
		r, err := publish.ReadParquet(publish.Path(out, publish.FormatParquet, name), set[name])
		require.NoError(t, err)
		rows[name] = r
	}
	return Input{Title: "Standpunten", Version: "1.0.0", Schemas: set, Rows: rows}
}

// TestGolden compares the codebook of the real build with testdata/CODEBOOK.md. Run with -update to
// rewrite it, then read the diff against the data.
func TestGolden(t *testing.T) {
	in := realInput(t)
	got, err := Generate(in)
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./pipeline/codebook -run TestGolden -update")
	assert.Equal(t, string(want), string(got), "%s differs; if the change is intended, run with -update and read the diff", golden)

	// Rows in another order give the same bytes.
	rng := rand.New(rand.NewPCG(1, 2))
	shuffledRows := publish.MemTables{}
	for name, rows := range mem(in) {
		r := append([][]any(nil), rows...)
		rng.Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		shuffledRows[name] = r
	}
	shuffled := Input{Title: in.Title, Version: in.Version, Schemas: in.Schemas, Rows: shuffledRows}
	again, err := Generate(shuffled)
	require.NoError(t, err)
	assert.Equal(t, string(got), string(again), "row order must not change the codebook")
}

// TestGoldenAgainstData checks numbers in the codebook against counts taken straight from the
// rows, so a wrong count cannot hide in a golden file rewritten with -update.
func TestGoldenAgainstData(t *testing.T) {
	in := realInput(t)
	b, err := Generate(in)
	require.NoError(t, err)
	md := string(b)
	for _, name := range schemas.Order {
		assert.Contains(t, md, "## "+name+"\n\n"+in.Schemas[name].Description+"\n\n- **Rows:** "+itoa(in.Rows.Len(name))+"\n")
	}
	// Passages per kind: every kind's count in the kind column section.
	pt := in.Schemas["passages"]
	kinds := map[string]int{}
	docs := map[[2]string]int{}
	for _, r := range mem(in)["passages"] {
		kinds[r[pt.FieldIndex("kind")].(string)]++
		docs[[2]string{r[pt.FieldIndex("kind")].(string), r[pt.FieldIndex("document_id")].(string)}]++
	}
	kindSection := section(md, "### passages.kind\n")
	for k, n := range kinds {
		assert.Contains(t, kindSection, "| `"+k+"` | "+itoa(n)+" |", "kind %s", k)
	}
	// The cross-tab's total row equals the number of passages.
	xt := section(md, "### Passages per kind per document\n")
	assert.Contains(t, xt, " "+itoa(in.Rows.Len("passages"))+" |\n")
	// Nulls of passages.party_id and passages.number.
	for _, col := range []string{"party_id", "number", "parent_id"} {
		nulls := 0
		for _, r := range mem(in)["passages"] {
			switch v := r[pt.FieldIndex(col)].(type) {
			case *string:
				if v == nil {
					nulls++
				}
			case *int64:
				if v == nil {
					nulls++
				}
			}
		}
		assert.Contains(t, section(md, "### passages."+col+"\n"), "- Nulls: "+itoa(nulls)+" of "+itoa(in.Rows.Len("passages")))
	}
}

func section(md, heading string) string {
	i := strings.Index(md, heading)
	if i < 0 {
		return ""
	}
	rest := md[i+len(heading):]
	if j := strings.Index(rest, "\n### "); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.Index(rest, "\n## "); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func itoa(n int) string { return strconv.Itoa(n) }

// mem is the in-memory rows of an input made by the tests.
func mem(in Input) publish.MemTables { return in.Rows.(publish.MemTables) }

func ptr[T any](v T) *T { return &v }

// small is a tiny, complete input whose numbers are easy to check by eye.
func small(t *testing.T) Input {
	t.Helper()
	set, err := schemas.Load()
	require.NoError(t, err)
	long := "aaa " + strings.Repeat("lang ", 30)
	return Input{Title: "Test", Version: "0.1.0", Schemas: set, Rows: publish.MemTables{
		"parties": {
			{"volt", "Volt", "Volt Nederland", []string{"Volt"}, []string{}},
			{"denk", "DENK", "DENK", []string{"DENK", "Denk|pipe"}, []string{}},
		},
		"elections": {{"TK2023", "Tweede Kamerverkiezingen 2023", model.Date{Year: 2023, Month: 11, Day: 22}}},
		"documents": {
			{"doc-a", "A", "party-summaries", "TK2023", "x", "nl", (*model.Date)(nil), (*string)(nil), (*string)(nil), (*string)(nil), (*string)(nil), "raw/a.txt", strings.Repeat("a", 64), int64(10), "utf-8"},
			{"doc-b", "B", "score-overview", "TK2023", "x", "nl", ptr(model.Date{Year: 2023, Month: 1, Day: 2}), ptr("P"), (*string)(nil), ptr("CC-BY-4.0"), (*string)(nil), "raw/b.txt", strings.Repeat("b", 64), int64(20), "utf-8"},
		},
		"passages": {
			{"0000000000000001", "doc-a", ptr("volt"), "summary", (*string)(nil), (*int64)(nil), (*string)(nil), int64(1), long, int64(0), int64(5), int64(1), []string{}, []string{}},
			{"0000000000000002", "doc-a", ptr("volt"), "theme", (*string)(nil), (*int64)(nil), (*string)(nil), int64(2), "b", int64(5), int64(6), int64(2), []string{"fragment"}, []string{}},
			{"0000000000000003", "doc-a", ptr("volt"), "quote", (*string)(nil), (*int64)(nil), ptr("0000000000000002"), int64(3), "c", int64(6), int64(7), int64(3), []string{"elided", "fragment"}, []string{}},
			{"0000000000000004", "doc-b", (*string)(nil), "bullet", (*string)(nil), ptr(int64(2)), (*string)(nil), int64(1), "d", int64(0), int64(1), int64(1), []string{}, []string{}},
		},
		"scores":           {{"doc-b", "volt", 2.5, "Q"}},
		"document_parties": {{"doc-a", "volt", int64(3), (*string)(nil)}, {"doc-b", "volt", int64(0), ptr("Geen relevante punten")}},
	}}
}

func TestGenerateSmall(t *testing.T) {
	b, err := Generate(small(t))
	require.NoError(t, err)
	md := string(b)
	for _, tc := range []struct{ name, want string }{
		{"title", "# Codebook: Test, version 0.1.0\n"},
		{"default citation", "**Cite as:** Test, version 0.1.0.\n"},
		{"toc", "- [document_parties](#document_parties): 2 rows\n"},
		{"one row", "- [elections](#elections): 1 row\n"},
		{"arrow types", "| [`score`](#scoresscore) | number (`double`) | required |"},
		{"list type", "| [`flags`](#passagesflags) | array (`list<string>`) | required |  | 0 | 2 |"},
		{"date32", "| [`published`](#documentspublished) | date (`date32`) | nullable |  | 1 | – |"},
		{"constraints", "unique; pattern `^[0-9a-f]{16}$`"},
		{"foreign key to same table", "`parent_id` → `passages.passage_id` ([passages](#passages))"},
		{"enum counts with zeros, by count then value", "| `bullet` | 1 | 25.0% |\n| `quote` | 1 | 25.0% |\n| `summary` | 1 | 25.0% |\n| `theme` | 1 | 25.0% |\n| `intro` | 0 | 0.0% |\n"},
		{"null row in counts", "| `volt` | 3 | 75.0% |\n| *(null)* | 1 | 25.0% |\n"},
		{"list element counts", "| `fragment` | 2 | 50.0% |\n| `elided` | 1 | 25.0% |\n| *(empty list)* | 2 | 50.0% |\n"},
		{"examples sorted, three of them", "…`, `b`, `c`\n"},
		{"long text cut", "- Examples: `aaa lang lang"},
		{"pipe escaped in examples", "- Examples: `[\"DENK\",\"Denk|pipe\"]`, `[\"Volt\"]`\n"},
		{"range", "- Range: `2023-01-02` to `2023-01-02`\n"},
		{"nulls line", "- Nulls: 1 of 2; empty: 0; distinct values: 1\n"},
		{"cross-tab kinds", "| `summary` | 1 | 0 | 1 |\n"},
		{"cross-tab no party", "| *(no party)* | 0 | 1 | 1 |\n"},
		{"cross-tab party without passages", "| `denk` | 0 | 0 | 0 |\n"},
		{"cross-tab total", "| **total** | 3 | 1 | 4 |\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.True(t, strings.Contains(md, tc.want), "codebook lacks %q", tc.want) })
	}
	assert.NotContains(t, md, strings.Repeat("lang ", 17), "a long text is cut")
	assert.Contains(t, md, "…`", "a cut text ends in …")
}

// TestMissingTable: a table the rows do not hold is described as empty.
func TestMissingTable(t *testing.T) {
	in := small(t)
	delete(mem(in), "scores")
	b, err := Generate(in)
	require.NoError(t, err)
	assert.Contains(t, string(b), "## scores\n\n"+in.Schemas["scores"].Description+"\n\n- **Rows:** 0\n")
}

func TestGenerateRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(in *Input)
		want   string
	}{
		{"no title", func(in *Input) { in.Title = "" }, "Title and Version must not be empty"},
		{"missing schema", func(in *Input) { delete(in.Schemas, "parties") }, "no schema for table parties"},
		{"no rows", func(in *Input) { in.Rows = nil }, "Rows is nil"},
		{"short row", func(in *Input) { mem(*in)["scores"][0] = mem(*in)["scores"][0][:3] }, "table scores, row 1: 3 cells, the schema has 4 columns"},
		{"wrong type", func(in *Input) { mem(*in)["scores"][0][2] = "2.5" }, "table scores, row 1, column score: a cell of Go type string does not fit a required number column"},
		{"value where pointer", func(in *Input) { mem(*in)["passages"][0][5] = int64(1) }, "table passages, row 1, column number: a cell of Go type int64 does not fit a nullable integer column"},
		{"null in required", func(in *Input) { mem(*in)["parties"][1][1] = nil }, "table parties, row 2, column abbreviation: null in a required column"},
		{"read error", func(in *Input) { in.Rows = failing{mem(*in), "passages", 2} }, "codebook: table passages, after row 2: disk on fire"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := small(t)
			tc.change(&in)
			_, err := Generate(in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestArrowTypeMatchesWriter checks the codebook's type names against the Arrow schema the
// writers use, so the two cannot drift apart.
func TestArrowTypeMatchesWriter(t *testing.T) {
	set, err := schemas.Load()
	require.NoError(t, err)
	want := map[string]string{"utf8": "string", "int64": "int64", "float64": "double", "date32": "date32", "list": "list<string>"}
	for _, name := range schemas.Order {
		as := publish.ArrowSchema(set[name], nil)
		for i, f := range set[name].Fields {
			got, err := ArrowType(f.Type)
			require.NoError(t, err)
			typ := as.Field(i).Type
			assert.Equal(t, want[typ.Name()], got, "%s.%s", name, f.Name)
			if lt, ok := typ.(*arrow.ListType); ok {
				assert.Equal(t, "utf8", lt.Elem().Name(), "%s.%s: list element type", name, f.Name)
			}
		}
	}
	_, err = ArrowType("boolean")
	assert.Error(t, err)
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"passages.kind":                  "passageskind",
		"document_parties":               "document_parties",
		"Passages per kind per document": "passages-per-kind-per-document",
		"How to read this codebook":      "how-to-read-this-codebook",
		"Cross-tabulations":              "cross-tabulations",
	} {
		assert.Equal(t, want, slug(in), in)
	}
}
