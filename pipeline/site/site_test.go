package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

var (
	update   = flag.Bool("update", false, "rewrite the golden pages in testdata/")
	writeDir = flag.String("write", "", "TestWritePages: render the pages of the release folder DIR into DIR")
	rawDir   = flag.String("raw", "../../raw", "TestWritePages: the raw folder whose dataset.toml the pages use")
)

const (
	repoRoot = "../.."
	release  = "../../output/releases/v1.1.0"
)

// releaseInput builds the Input of a release folder from its files, as the release code will:
// schemas and tables from the Parquet files, changes.json, and every file but SHA256SUMS (which
// lists the pages, so the pages cannot list it).
func releaseInput(t testing.TB, dir, raw string) Input {
	t.Helper()
	set, err := changes.SchemasOf(dir)
	require.NoError(t, err)
	snap, err := changes.Load(dir, set)
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, "changes.json"))
	require.NoError(t, err)
	var c changes.Changes
	require.NoError(t, json.Unmarshal(b, &c))
	d, err := registry.LoadDataset(raw)
	require.NoError(t, err)
	date, err := model.ParseDate(c.Date)
	require.NoError(t, err)
	in := Input{Dataset: d, Version: c.Version, Date: date, Changes: &c, Schemas: set, Tables: snap,
		Citation: fmt.Sprintf("%s (%d). %s, version %s [data set]. %sv%s/", d.Publisher.Name, date.Year, d.Title.EN, c.Version, d.BaseURL, c.Version)}
	for _, table := range schemas.Order {
		if set[table] == nil {
			continue
		}
		for _, f := range []string{"parquet", "csv", "json"} {
			in.Files = append(in.Files, fileOf(t, dir, f+"/"+table+"."+f, f, table))
		}
	}
	for _, name := range []string{"datapackage.json", "dcat.jsonld", "CODEBOOK.md", "RELEASE.md", "changes.json", "validation.json", "accounting.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			in.Files = append(in.Files, fileOf(t, dir, name, strings.TrimPrefix(filepath.Ext(name), "."), ""))
		}
	}
	return in
}

func fileOf(t testing.TB, dir, rel, format, table string) File {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return File{Path: rel, Format: format, Bytes: int64(len(b)), SHA256: hex.EncodeToString(sum[:]), Table: table}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./pipeline/site -update to write the golden file")
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the rendering (%d bytes, want %d); run with -update and read the diff", path, len(got), len(want))
	}
}

// TestGolden renders the committed release v1.1.0 and the list of both releases.
func TestGolden(t *testing.T) {
	in := releaseInput(t, release, filepath.Join(repoRoot, "raw"))
	pages, err := Pages(in)
	require.NoError(t, err)
	require.Len(t, pages, 2)
	for name, b := range pages {
		golden(t, filepath.Join("testdata", "v1.1.0", name), b)
	}
	idx, err := Index(in.Dataset, entriesOf(t))
	require.NoError(t, err)
	golden(t, filepath.Join("testdata", "index.html"), idx)
}

func entriesOf(t *testing.T) []Entry {
	var entries []Entry
	for _, v := range []string{"1.0.0", "1.1.0"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "output", "releases", "v"+v, "changes.json"))
		require.NoError(t, err)
		var c changes.Changes
		require.NoError(t, json.Unmarshal(b, &c))
		date, err := model.ParseDate(c.Date)
		require.NoError(t, err)
		entries = append(entries, Entry{Version: v, Date: date, Changes: &c, Pages: v == "1.1.0"})
	}
	return entries
}

// TestWritePages renders the pages of a release folder into it: the browser test's pages until
// the release command writes them. Skipped without -write.
func TestWritePages(t *testing.T) {
	if *writeDir == "" {
		t.Skip("no -write DIR")
	}
	in := releaseInput(t, *writeDir, *rawDir)
	pages, err := Pages(in)
	require.NoError(t, err)
	for name, b := range pages {
		require.NoError(t, os.WriteFile(filepath.Join(*writeDir, name), b, 0o644))
	}
}

// TestDeterministic: the same input gives the same bytes, whatever the order of the rows.
func TestDeterministic(t *testing.T) {
	in := releaseInput(t, release, filepath.Join(repoRoot, "raw"))
	a, err := Pages(in)
	require.NoError(t, err)
	shuffled := in
	rows := publish.MemTables{}
	for name, r := range rowsOf(t, in) {
		r = slices.Clone(r)
		slices.Reverse(r)
		if len(r) > 2 { // and a rotation, so that the order is neither the original nor reversed
			r = append(r[len(r)/2:], r[:len(r)/2]...)
		}
		rows[name] = r
	}
	shuffled.Tables = rows
	b, err := Pages(shuffled)
	require.NoError(t, err)
	c, err := Pages(in)
	require.NoError(t, err)
	for name := range a {
		assert.True(t, bytes.Equal(a[name], c[name]), "%s: rendering twice differs", name)
		assert.True(t, bytes.Equal(a[name], b[name]), "%s: rows in another order give other bytes", name)
	}
}

var hostile = []string{
	`</script><script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`<!-- <script> --> & &amp; '`,
	"line\u2028separator\u2029paragraph",
}

// smallInput is a release of one document whose texts try to break out of the page.
func smallInput(t *testing.T) Input {
	set, err := schemas.Load()
	require.NoError(t, err)
	d, err := registry.LoadDataset(filepath.Join(repoRoot, "raw"))
	require.NoError(t, err)
	party := "x"
	rows := map[string][][]any{
		"parties":   {model.Party{ID: party, Abbreviation: `X<b>`, Name: `Partij "X" <i>`, Aliases: []string{"X"}}.Values()},
		"elections": {model.Election{ID: "TK2025", Name: "Tweede Kamerverkiezingen 2025", Date: model.Date{Year: 2025, Month: 10, Day: 29}}.Values()},
		"documents": {model.Document{ID: "doc", Title: `Titel </script>`, Format: model.FormatPartySummaries, ElectionID: "TK2025",
			Topic: "t", Language: "nl", RawPath: "raw/doc.txt", RawSHA256: strings.Repeat("0", 64), RawBytes: 10, Encoding: "utf-8"}.Values()},
		"scores":           {model.Score{DocumentID: "doc", PartyID: party, Score: 2.5, Question: `Vraag <script>?`}.Values()},
		"document_parties": {model.DocumentParty{DocumentID: "doc", PartyID: party, Passages: int64(len(hostile))}.Values()},
	}
	for i, text := range hostile {
		rows["passages"] = append(rows["passages"], model.Passage{ID: fmt.Sprintf("p%d", i), DocumentID: "doc", PartyID: &party,
			Kind: model.KindSummary, Section: `<h1>kop</h1>`, Seq: int64(i + 1), Text: text, SourceStart: int64(i * 10),
			SourceEnd: int64(i*10 + 5), SourceLine: int64(i + 1), Flags: []string{"fragment"}}.Values())
	}
	c := &changes.Changes{Version: "1.0.0", Date: "2026-12-01", FirstRelease: true, Notes: `Notes <script>alert(1)</script>`,
		Validation: &changes.Validation{Valid: true, ChecksRun: 3}}
	return Input{Dataset: d, Version: "1.0.0", Date: model.Date{Year: 2026, Month: 12, Day: 1}, Citation: `Cite <me>`,
		Changes: c, Schemas: set, Tables: publish.MemTables(rows),
		Files: []File{{Path: "csv/passages.csv", Format: "csv", Bytes: 1234, SHA256: strings.Repeat("a", 64), Table: "passages"}}}
}

var dataBlock = regexp.MustCompile(`(?s)<script type="application/json" id="passage-data">(.*?)</script>`)

// TestDataBlockEscapes: texts that try to close the script element, open a comment or inject
// markup stay inside the JSON data block, and come back out of it unchanged.
func TestDataBlockEscapes(t *testing.T) {
	pages, err := Pages(smallInput(t))
	require.NoError(t, err)
	for name, page := range pages {
		m := dataBlock.FindSubmatch(page)
		require.NotNil(t, m, "%s: no data block", name)
		block := m[1]
		assert.NotContains(t, string(block), "<", "%s: a '<' in the data block", name)
		assert.NotContains(t, string(block), "\u2028", "%s: a raw U+2028 in the data block", name)
		var decoded struct {
			Passages [][]any `json:"passages"`
		}
		require.NoError(t, json.Unmarshal(block, &decoded), name)
		var texts []string
		for _, p := range decoded.Passages {
			texts = append(texts, p[8].(string))
		}
		assert.Equal(t, hostile, texts, "%s: texts do not come back out of the data block", name)
		// Outside the data block, no text from the data became markup.
		rest := string(page[:bytes.Index(page, m[0])]) + string(page[bytes.Index(page, m[0])+len(m[0]):])
		for _, bad := range []string{"<script>alert", "<img", "<b>", "<i>", "<h1>kop", "onerror=alert(1)>", "<!-- <script>", "<me>"} {
			assert.NotContains(t, rest, bad, "%s: data text rendered as markup", name)
		}
		assert.Equal(t, 2, strings.Count(string(page), "<script"), "%s: the page should hold exactly the data block and the script", name)
		assert.Contains(t, rest, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;", "%s: the hostile passage is not shown as text in the Big Tech list", name)
	}
}

var (
	cspMeta     = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	inlineBlock = regexp.MustCompile(`(?s)<(script|style)([^>]*)>(.*?)</(?:script|style)>`)
	handlerAttr = regexp.MustCompile(`(?i)<[^>]*\s(on[a-z]+|style)\s*=`)
)

// TestCSP: every inline script and style block's hash is in the page's Content-Security-Policy,
// the policy allows nothing else, and no element carries an event handler or a style attribute
// (the policy would block them).
func TestCSP(t *testing.T) {
	pages, err := Pages(smallInput(t))
	require.NoError(t, err)
	in := releaseInput(t, release, filepath.Join(repoRoot, "raw"))
	big, err := Pages(in)
	require.NoError(t, err)
	idx, err := Index(in.Dataset, entriesOf(t))
	require.NoError(t, err)
	all := map[string][]byte{"index (list)": idx}
	for name, b := range pages {
		all["small "+name] = b
	}
	for name, b := range big {
		all["v1.1.0 "+name] = b
	}
	checkCSP(t, all)
}

// checkCSP: the checks of TestCSP on the pages given, by name.
func checkCSP(t *testing.T, all map[string][]byte) {
	t.Helper()
	for name, page := range all {
		m := cspMeta.FindSubmatch(page)
		require.NotNil(t, m, "%s: no CSP meta element", name)
		policy := html.UnescapeString(string(m[1]))
		directives := map[string]string{}
		for _, d := range strings.Split(policy, ";") {
			d = strings.TrimSpace(d)
			k, v, _ := strings.Cut(d, " ")
			directives[k] = v
		}
		assert.Equal(t, "'none'", directives["default-src"], name)
		blocks := 0
		for _, b := range inlineBlock.FindAllSubmatch(page, -1) {
			tag, attrs, body := string(b[1]), string(b[2]), b[3]
			if tag == "script" && strings.Contains(attrs, `type="application/json"`) {
				continue // a data block, never run
			}
			blocks++
			sum := sha256.Sum256(body)
			want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			assert.Equal(t, want, directives[tag+"-src"], "%s: the %s block's hash is not the policy's only %s source", name, tag, tag)
		}
		assert.GreaterOrEqual(t, blocks, 1, name)
		for k, v := range directives {
			assert.NotContains(t, v, "unsafe", "%s: %s allows %s", name, k, v)
		}
		assert.Nil(t, handlerAttr.Find(page), "%s: an element has an event handler or a style attribute: %s", name, handlerAttr.Find(page))
	}
}

var countAttr = regexp.MustCompile(`data-(count|cell)="([^"]+)"(?: data-where="([^"]*)")?[^>]*>([^<]*)<`)

// TestCounts: checkCounts on the pages of v1.1.0.
func TestCounts(t *testing.T) {
	in := releaseInput(t, release, filepath.Join(repoRoot, "raw"))
	pages, err := Pages(in)
	require.NoError(t, err)
	checkCounts(t, in, pages, pageLimits)
}

// rowsOf reads every table of in into memory (for the tests' own counts).
func rowsOf(t testing.TB, in Input) publish.MemTables {
	out := publish.MemTables{}
	for name := range in.Schemas {
		rows := [][]any{}
		for r, err := range in.Tables.Rows(name) {
			require.NoError(t, err)
			rows = append(rows, r)
		}
		out[name] = rows
	}
	return out
}

// mem is the in-memory tables of an input made by the tests.
func mem(in Input) publish.MemTables { return in.Tables.(publish.MemTables) }

// checkCounts: every counted number on the pages equals a count over the input's tables, made
// here from the schemas' column positions (not with the package's own readers), and the charts
// show as many as lim lets them of the documents, in page order.
func checkCounts(t *testing.T, in Input, pages map[string][]byte, lim limits) {
	t.Helper()
	tables := rowsOf(t, in)
	shown := shownDocs(tables, in.Schemas, lim)
	cellText := func(v any) string {
		switch x := v.(type) {
		case string:
			return x
		case *string:
			if x != nil {
				return *x
			}
		}
		return ""
	}
	// selectRows are the rows of table whose cells equal the values of where; the rows are
	// grouped once per table and set of columns, so that a page of many counts checks quickly.
	groups := map[string]map[string][][]any{}
	selectRows := func(table, where string) [][]any {
		ts := in.Schemas[table]
		require.NotNil(t, ts, table)
		var cols, vals []string
		if where != "" {
			for _, pair := range strings.Split(where, ";") {
				k, v, _ := strings.Cut(pair, "=")
				cols, vals = append(cols, k), append(vals, v)
			}
		}
		key := table + "|" + strings.Join(cols, ";")
		g, ok := groups[key]
		if !ok {
			g = map[string][][]any{}
			for _, r := range tables[table] {
				var cells []string
				for _, c := range cols {
					cells = append(cells, cellText(r[ts.FieldIndex(c)]))
				}
				k := strings.Join(cells, "\x00")
				g[k] = append(g[k], r)
			}
			groups[key] = g
		}
		return g[strings.Join(vals, "\x00")]
	}
	for name, page := range pages {
		thousands, decimal := ".", ","
		if name == PageEN {
			thousands, decimal = ",", "."
		}
		parse := func(s string) float64 {
			s = strings.ReplaceAll(strings.TrimSpace(s), thousands, "")
			f, err := strconv.ParseFloat(strings.Replace(s, decimal, ".", 1), 64)
			require.NoError(t, err, "%s: %q is not a number", name, s)
			return f
		}
		checked := 0
		for _, m := range countAttr.FindAllSubmatch(page, -1) {
			kind, what, whereAttr, text := string(m[1]), string(m[2]), string(m[3]), string(m[4])
			got := parse(text)
			switch kind {
			case "count":
				assert.Equal(t, float64(len(selectRows(what, whereAttr))), got, "%s: data-count=%s where %s", name, what, whereAttr)
			case "cell":
				table, col, _ := strings.Cut(what, ".")
				rows := selectRows(table, whereAttr)
				require.Len(t, rows, 1, "%s: %s where %s", name, what, whereAttr)
				var want float64
				switch x := rows[0][in.Schemas[table].FieldIndex(col)].(type) {
				case float64:
					want = x
				case int64:
					want = float64(x)
				default:
					t.Fatalf("%s: %s is %T", name, what, x)
				}
				assert.Equal(t, want, got, "%s: data-cell=%s where %s", name, what, whereAttr)
			}
			checked++
		}
		// Summary (a row count per table, a count per kind), the tables section (a row count per
		// table), the heat map (each document × party pair with passages or coverage of the
		// documents it shows, in the chart and its table), the scores of the charts shown (chart,
		// table twice, list heading) and the coverage marks of the documents shown with their
		// tables.
		pairs := map[string]bool{}
		kinds := map[string]bool{}
		ps := in.Schemas["passages"]
		for _, r := range tables["passages"] {
			doc := cellText(r[ps.FieldIndex("document_id")])
			if shown.heat[doc] {
				pairs[doc+"/"+cellText(r[ps.FieldIndex("party_id")])] = true
			}
			kinds[cellText(r[ps.FieldIndex("kind")])] = true
		}
		cs := in.Schemas["document_parties"]
		covered := 0
		for _, r := range tables["document_parties"] {
			doc := cellText(r[cs.FieldIndex("document_id")])
			if shown.heat[doc] {
				pairs[doc+"/"+cellText(r[cs.FieldIndex("party_id")])] = true
			}
			if shown.coverage[doc] {
				covered++
			}
		}
		scored := 0
		for _, r := range tables["scores"] {
			if shown.scores[cellText(r[in.Schemas["scores"].FieldIndex("document_id")])] {
				scored++
			}
		}
		want := 2*len(in.Schemas) + len(kinds) + 2*len(pairs) + 4*scored + 2*covered
		assert.Equal(t, want, checked, "%s: counted numbers found", name)
	}
}

// shown are the documents the charts show, worked out here from the rows and the limits: the
// heat map the first lim.heatDocs in page order (by election date, then id), each election's
// coverage chart its first lim.coverageDocs, the Big Tech charts the first lim.scoreDocs of the
// documents with scores. order is every document id in page order, election the election of each.
type shown struct {
	order                  []string
	election               map[string]string
	heat, coverage, scores map[string]bool
	nScored                int // documents with scores
}

func shownDocs(tables publish.MemTables, set schemas.Set, lim limits) shown {
	es, ds := set["elections"], set["documents"]
	date := map[string]string{}
	for _, r := range tables["elections"] {
		date[r[es.FieldIndex("election_id")].(string)] = r[es.FieldIndex("date")].(model.Date).String()
	}
	s := shown{election: map[string]string{}, heat: map[string]bool{}, coverage: map[string]bool{}, scores: map[string]bool{}}
	for _, r := range tables["documents"] {
		id := r[ds.FieldIndex("document_id")].(string)
		s.order = append(s.order, id)
		s.election[id] = r[ds.FieldIndex("election_id")].(string)
	}
	sort.Slice(s.order, func(i, j int) bool {
		a, b := s.order[i], s.order[j]
		if da, db := dateOr(date, s.election[a]), dateOr(date, s.election[b]); da != db {
			return da < db
		}
		return a < b
	})
	scored := map[string]bool{}
	if ss := set["scores"]; ss != nil {
		for _, r := range tables["scores"] {
			scored[r[ss.FieldIndex("document_id")].(string)] = true
		}
	}
	s.nScored = len(scored)
	perElection := map[string]int{}
	for i, id := range s.order {
		if i < lim.heatDocs {
			s.heat[id] = true
		}
		if e := s.election[id]; date[e] != "" {
			if perElection[e] < lim.coverageDocs {
				s.coverage[id] = true
			}
			perElection[e]++
		}
		if scored[id] && len(s.scores) < lim.scoreDocs {
			s.scores[id] = true
		}
	}
	return s
}

// scoredDocs is the number of documents with scores, shown or not.
func (s shown) scoredDocs() int { return s.nScored }

// dateOr is the date of election e, or "~" (after every date) for an election not in the table.
func dateOr(date map[string]string, e string) string {
	if d, ok := date[e]; ok {
		return d
	}
	return "~"
}

// luminance is the WCAG relative luminance of #rrggbb.
func luminance(t *testing.T, hexColour string) float64 {
	b, err := hex.DecodeString(strings.TrimPrefix(hexColour, "#"))
	require.NoError(t, err)
	require.Len(t, b, 3)
	ch := func(v byte) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(b[0]) + 0.7152*ch(b[1]) + 0.0722*ch(b[2])
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestContrast: text on every chart colour reaches WCAG AA (4.5:1), the bars and marks stand out
// from the page (3:1 for graphics).
func TestContrast(t *testing.T) {
	for _, b := range heatBins {
		assert.GreaterOrEqual(t, contrast(t, b.Fill, b.Ink()), 4.5, "heat bin from %d: %s on %s", b.Min, b.Ink(), b.Fill)
	}
	assert.GreaterOrEqual(t, contrast(t, markText, barColour), 4.5, "mark text")
	assert.GreaterOrEqual(t, contrast(t, barColour, "#ffffff"), 3.0, "bars on the page")
	assert.GreaterOrEqual(t, contrast(t, inkColour, "#ffffff"), 4.5, "ink")
}

// TestMissingTable: a release without one of the tables the pages need is an error naming it.
func TestMissingTable(t *testing.T) {
	in := smallInput(t)
	set := schemas.Set{}
	for k, v := range in.Schemas {
		if k != "documents" {
			set[k] = v
		}
	}
	in.Schemas = set
	_, err := Pages(in)
	require.ErrorContains(t, err, "table documents")
}

// TestWrongCell: a cell of the wrong type names the table, row and column.
func TestWrongCell(t *testing.T) {
	in := smallInput(t)
	mem(in)["passages"][0][in.Schemas["passages"].FieldIndex("text")] = int64(3)
	_, err := Pages(in)
	require.ErrorContains(t, err, "table passages, row 1, column text")
}

func TestCodeSpans(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []span
	}{
		{"plain", []span{{Text: "plain"}}},
		{"a `b` c", []span{{Text: "a "}, {Text: "b", Code: true}, {Text: " c"}}},
		{"`x``y`", []span{{Text: "x", Code: true}, {Text: "y", Code: true}}},
		{"one ` only", []span{{Text: "one ` only"}}},
		{"`<script>`", []span{{Text: "<script>", Code: true}}},
	} {
		assert.Equal(t, tc.want, codeSpans(tc.in), tc.in)
	}
}
