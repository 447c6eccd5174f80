package site

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

// Input is everything one release's pages are made from; no file system access in rendering.
type Input struct {
	Dataset  *registry.Dataset // titles and descriptions (nl, en), licence, publisher, base_url
	Version  string            // "1.2.0"
	Date     model.Date        // the release date
	Citation string            // how to cite (the codebook's citation text)
	Changes  *changes.Changes  // this release's changes (its JSON is changes.json)
	Schemas  schemas.Set       // column descriptions: the same source the codebook uses
	Tables   publish.Tables    // every table's rows as canonical cells in schema column order, each table read once
	Files    []File            // every other file of the release, in artefact order, already written
}

// File is one file of the release as the downloads list shows it.
type File struct {
	Path   string // relative to the release folder, slash-separated: "parquet/passages.parquet"
	Format string // "parquet", "csv", "json", …
	Bytes  int64
	SHA256 string // lower-case hex
	Table  string // the table it holds; "" for a metadata file
}

// Entry is one release of the list output/index.html shows, read from its changes.json.
type Entry struct {
	Version string
	Date    model.Date
	Changes *changes.Changes
	// Pages is true when the release folder has index.html and index.en.html (releases made
	// before the pages existed have none, and a release is never rewritten).
	Pages bool
}

// The page files of a release folder.
const (
	PageNL = "index.html"    // Dutch, lang="nl"
	PageEN = "index.en.html" // English
)

//go:embed assets/site.css assets/browser.js templates/*.html
var assets embed.FS

var (
	siteCSS   = mustAsset("assets/site.css")
	browserJS = mustAsset("assets/browser.js")
	templates = template.Must(template.New("site").ParseFS(assets, "templates/*.html"))
)

func mustAsset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: a missing asset is a build error
	}
	return string(b)
}

// hash is a CSP source expression for an inline block with exactly this text.
func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// csp is the page's Content-Security-Policy: nothing but its own inline style and script (by
// hash); img-src data: only for the empty icon that keeps browsers from asking for favicon.ico.
func csp(css, js string) string {
	scripts := "'none'"
	if js != "" {
		scripts = hash(js)
	}
	return "default-src 'none'; style-src " + hash(css) + "; script-src " + scripts +
		"; img-src data:; base-uri 'none'; form-action 'none'"
}

// Pages renders a release's two pages: PageNL and PageEN. It reads each table of in.Tables once;
// of the passages it holds only what the pages embed (see pageLimits).
func Pages(in Input) (map[string][]byte, error) { return pages(in, pageLimits) }

func pages(in Input, lim limits) (map[string][]byte, error) {
	if in.Dataset == nil {
		return nil, errors.New("site: Input.Dataset is nil")
	}
	if in.Version == "" {
		return nil, errors.New("site: Input.Version is empty")
	}
	d, err := readData(in.Schemas, in.Tables, lim)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, l := range languages {
		v, err := buildPage(in, d, l)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, "page.html", v); err != nil {
			return nil, fmt.Errorf("site: render %s: %w", l.File, err)
		}
		out[l.File] = b.Bytes()
	}
	return out, nil
}

type pageView struct {
	Lang                            *lang
	L                               labels
	OtherFile, OtherCode, OtherName string
	CSP                             string
	CSS                             template.CSS
	JS                              template.JS
	Data                            template.JS
	Title, Description, DescLang    string
	Version, Date, Citation         string
	Licence                         registry.License
	Publisher                       registry.Agent
	HasValidation, ValidationOK     bool
	Validation                      string
	Counts                          []countView
	Kinds                           []countView
	Changes                         *changesView
	Heat                            heatmap
	ScoreCharts                     []barChart
	Coverage                        []covChart
	PartyOpts, ElectionOpts         []option
	DocumentOpts, KindOpts          []option
	Downloads                       []download
	Tables                          []tableView
	Total                           string
	BrowserCap                      *capNote    // the browser holds fewer passages than the table
	ScoresCap                       *docCapNote // fewer Big Tech charts than documents with scores
}

// capNote says that a part of the page shows only the first of the passages, and links the
// files that hold them all. Files is shared by every note of a page, not copied.
type capNote struct {
	Text      string
	Files     []string // the passages table's files, relative to the page; "#downloads" when none is listed
	Downloads string   // the label of the link to #downloads
}

func newCapNote(format string, shown int, total int64, files []string, l *lang) *capNote {
	return &capNote{Text: fmt.Sprintf(format, l.Int(int64(shown)), l.Int(total)), Files: files, Downloads: l.L.Downloads}
}

// docCapNote says that a chart shows only the first of the documents, and links the files of the
// tables that hold them all, table by table; "#downloads" when none is listed.
type docCapNote struct {
	Text      string
	Tables    []tableFiles // shared by the notes of a page, not copied
	Downloads string
}

// tableFiles are the files of one table among Input.Files, in their order.
type tableFiles struct {
	Table string
	Files []File
}

func newDocCapNote(format string, shown, total int, tables []tableFiles, l *lang) *docCapNote {
	return &docCapNote{Text: fmt.Sprintf(format, l.Int(int64(shown)), l.Int(int64(total))), Tables: tables, Downloads: l.L.Downloads}
}

// filesOf are the files of each of the tables among in.Files, in the order of tables; a table
// without files is left out.
func filesOf(in Input, tables ...string) []tableFiles {
	var out []tableFiles
	for _, t := range tables {
		tf := tableFiles{Table: t}
		for _, f := range in.Files {
			if f.Table == t {
				tf.Files = append(tf.Files, f)
			}
		}
		if len(tf.Files) > 0 {
			out = append(out, tf)
		}
	}
	return out
}

// passageFiles are the files of the passages table among in.Files, in their order.
func passageFiles(in Input) []string {
	var out []string
	for _, f := range in.Files {
		if f.Table == "passages" {
			out = append(out, f.Path)
		}
	}
	return out
}

type countView struct{ Label, Code, Table, Where, Count string }

type option struct{ Value, Label string }

type download struct {
	Path, Format, Size, SHA256, Table string
	Bytes                             int64
	Snippets                          []string
}

type tableView struct {
	Name, Description, PrimaryKey, Rows string
	ForeignKeys                         []string
	Columns                             []columnView
}

type columnView struct {
	Name, Type, Constraints, Description string
	Required                             bool
}

func buildPage(in Input, d *data, l *lang) (*pageView, error) {
	ds := in.Dataset
	o := l.other()
	v := &pageView{Lang: l, L: l.L, OtherFile: o.File, OtherCode: o.Code, OtherName: o.SwitchTo,
		CSP: csp(siteCSS, browserJS), CSS: template.CSS(siteCSS), JS: template.JS(browserJS),
		Version: in.Version, Date: in.Date.String(), Citation: in.Citation, Licence: ds.License, Publisher: ds.Publisher,
		Total: l.Int(int64(d.passages()))}
	if l.Code == "nl" {
		v.Title, v.Description = ds.Title.NL, ds.Description.NL
	} else {
		v.Title, v.Description = ds.Title.EN, ds.Description.EN
	}
	if in.Changes != nil && in.Changes.Validation != nil {
		v.HasValidation, v.ValidationOK = true, in.Changes.Validation.Valid
		v.Validation = validationText(in.Changes.Validation, l)
	}
	for _, c := range []struct{ label, table string }{
		{l.L.Documents, "documents"}, {l.L.Parties, "parties"}, {l.L.Elections, "elections"},
		{l.L.Passages, "passages"}, {l.L.Scores, "scores"}, {l.L.Coverage, "document_parties"},
	} {
		if in.Schemas[c.table] == nil {
			continue
		}
		v.Counts = append(v.Counts, countView{Label: c.label, Table: c.table, Count: l.Int(int64(d.rows[c.table]))})
	}
	kinds := d.kinds
	for _, k := range kindOrder(in.Schemas, kinds) {
		v.Kinds = append(v.Kinds, countView{Label: l.kind(k), Code: k, Table: "passages", Where: where("kind", k), Count: l.Int(kinds[k])})
		v.KindOpts = append(v.KindOpts, option{Value: k, Label: l.kind(k)})
	}
	v.Changes = viewChanges(in.Changes, l, "changes.json")
	v.Heat = buildHeatmap(d, l, filesOf(in, "documents", "passages", "document_parties"))
	files := passageFiles(in)
	v.ScoreCharts = buildScoreCharts(d, l, files)
	if len(d.scoreDocs) < d.scoredDocs {
		v.ScoresCap = newDocCapNote(l.L.ScoresCapped, len(d.scoreDocs), d.scoredDocs, filesOf(in, "documents", "scores", "passages"), l)
	}
	v.Coverage = buildCoverage(d, l, filesOf(in, "documents", "document_parties"))

	partyUsed := map[string]bool{} // "" for passages without a party
	for k := range d.perCell {
		if k[1] == noPartyKey {
			partyUsed[""] = true
		} else {
			partyUsed[k[1]] = true
		}
	}
	for _, p := range d.parties {
		if partyUsed[p.ID] {
			v.PartyOpts = append(v.PartyOpts, option{Value: p.ID, Label: p.Abbr + " – " + p.Name})
		}
	}
	if partyUsed[""] {
		v.PartyOpts = append(v.PartyOpts, option{Value: "-", Label: l.L.NoParty})
	}
	for _, e := range d.elections {
		v.ElectionOpts = append(v.ElectionOpts, option{Value: e.ID, Label: e.Name})
	}
	for _, doc := range d.documents[:d.browserDocs] {
		v.DocumentOpts = append(v.DocumentOpts, option{Value: doc.ID, Label: doc.ID})
	}
	for _, f := range in.Files {
		v.Downloads = append(v.Downloads, download{Path: f.Path, Format: f.Format, Size: l.Size(f.Bytes), Bytes: f.Bytes,
			SHA256: f.SHA256, Table: f.Table, Snippets: snippets(f)})
	}
	for _, name := range tableOrder(in.Schemas) {
		v.Tables = append(v.Tables, viewTable(in.Schemas[name], d.rows[name], l))
	}
	blob, err := passageData(d, l)
	if err != nil {
		return nil, err
	}
	v.Data = template.JS(blob)
	if d.browserCut {
		v.BrowserCap = newCapNote(l.L.BrowserCapped, len(d.browser), int64(d.passages()), files, l)
	}
	return v, nil
}

// kindOrder lists the passage kinds: the schema's enum order, then any other kind found, sorted.
func kindOrder(set schemas.Set, found map[string]int64) []string {
	var out []string
	seen := map[string]bool{}
	if t := set["passages"]; t != nil {
		if i := t.FieldIndex("kind"); i >= 0 {
			for _, k := range t.Fields[i].Constraints.Enum {
				if found[k] > 0 && !seen[k] {
					out = append(out, k)
					seen[k] = true
				}
			}
		}
	}
	var rest []string
	for k := range found {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// tableOrder is schemas.Order, then any other table of the set, sorted.
func tableOrder(set schemas.Set) []string {
	var out []string
	for _, n := range schemas.Order {
		if set[n] != nil {
			out = append(out, n)
		}
	}
	var rest []string
	for n := range set {
		if !containsString(schemas.Order, n) {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func viewTable(t *schemas.Table, rows int, l *lang) tableView {
	tv := tableView{Name: t.Name, Description: t.Description, PrimaryKey: strings.Join(t.PrimaryKey, ", "), Rows: l.Int(int64(rows))}
	for _, fk := range t.ForeignKeys {
		target := fk.Reference.Resource
		if target == "" {
			target = t.Name
		}
		tv.ForeignKeys = append(tv.ForeignKeys, strings.Join(fk.Fields, ", ")+" → "+target+"."+strings.Join(fk.Reference.Fields, ", "))
	}
	for _, f := range t.Fields {
		typ := f.Type
		if f.Format != "" && f.Format != "default" {
			typ += " (" + f.Format + ")"
		}
		tv.Columns = append(tv.Columns, columnView{Name: f.Name, Type: typ, Required: f.Constraints.Required,
			Constraints: constraintText(f.Constraints, l), Description: f.Description})
	}
	return tv
}

func constraintText(c schemas.Constraints, l *lang) string {
	var parts []string
	if c.Unique {
		parts = append(parts, l.L.Unique)
	}
	if len(c.Enum) > 0 {
		parts = append(parts, l.L.OneOf+" "+strings.Join(c.Enum, ", "))
	}
	if c.Pattern != "" {
		parts = append(parts, l.L.Pattern+" "+c.Pattern)
	}
	if c.MinLength != nil {
		parts = append(parts, fmt.Sprintf("%s %d", l.L.MinLength, *c.MinLength))
	}
	if c.Minimum != nil {
		parts = append(parts, fmt.Sprintf("%s %d", l.L.Minimum, *c.Minimum))
	}
	return strings.Join(parts, "; ")
}

// snippets are the one-line ways to read a file, run from the release folder.
func snippets(f File) []string {
	p := f.Path
	if f.Table != "" {
		switch f.Format {
		case "parquet":
			return []string{"SELECT * FROM '" + p + "';", `pd.read_parquet("` + p + `")`}
		case "csv":
			return []string{"SELECT * FROM read_csv('" + p + "');", `pd.read_csv("` + p + `", keep_default_na=False, na_values=[""])`}
		case "json":
			return []string{"SELECT * FROM read_json('" + p + "');", `pd.read_json("` + p + `", dtype=False)`}
		}
	}
	switch path.Base(p) {
	case "datapackage.json":
		return []string{"frictionless validate " + p}
	case "SHA256SUMS":
		return []string{"sha256sum -c " + p}
	}
	return nil
}

// passageData is the browser's JSON data block, with the passages the page embeds (see
// browserEntry). json.Marshal escapes <, > and & (and U+2028, U+2029), so no text can close the
// script element or open a comment inside it.
func passageData(d *data, l *lang) ([]byte, error) {
	type blob struct {
		Lang      string            `json:"lang"`
		Prefix    string            `json:"prefix"` // the repository root, relative to the page
		Text      map[string]string `json:"text"`
		Kinds     map[string]string `json:"kinds"`
		Flags     map[string]string `json:"flags"`
		Parties   [][]string        `json:"parties"`   // id, abbreviation, name
		Elections [][]string        `json:"elections"` // id, name
		Documents [][]any           `json:"documents"` // id, title, election index, raw path, language; the first browserDocs in page order
		Passages  []json.RawMessage `json:"passages"`  // id, document index, party index (-1: none), kind, section, number, line, flags, text
	}
	b := blob{Lang: l.Code, Prefix: "../../../", Kinds: l.L.Kinds, Flags: l.L.FlagNames,
		Text: map[string]string{"shown": l.L.Shown, "showAll": l.L.ShowAll, "noMatch": l.L.NoMatch, "section": l.L.Section,
			"flags": l.L.Flags, "source": l.L.Source, "line": l.L.Line, "noParty": l.L.NoParty},
		Parties: [][]string{}, Elections: [][]string{}, Documents: [][]any{}, Passages: make([]json.RawMessage, 0, len(d.browser))}
	for _, p := range d.parties {
		b.Parties = append(b.Parties, []string{p.ID, p.Abbr, p.Name})
	}
	for _, e := range d.elections {
		b.Elections = append(b.Elections, []string{e.ID, e.Name})
	}
	for _, doc := range d.documents[:d.browserDocs] {
		ei := -1
		if i, ok := d.elecIdx[doc.Election]; ok {
			ei = i
		}
		b.Documents = append(b.Documents, []any{doc.ID, doc.Title, ei, doc.RawPath, doc.Language})
	}
	for _, p := range d.browser {
		b.Passages = append(b.Passages, p)
	}
	out, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("site: encode the passage data: %w", err)
	}
	if bytes.ContainsAny(out, "<>") {
		return nil, errors.New("site: the passage data holds '<' or '>' after escaping") // json.Marshal never leaves one
	}
	return out, nil
}

// Index renders output/index.html: every release, newest first, with its changelog section and
// links to its pages and files.
func Index(d *registry.Dataset, entries []Entry) ([]byte, error) {
	if d == nil {
		return nil, errors.New("site: Index: dataset is nil")
	}
	sorted := append([]Entry(nil), entries...)
	var bad error
	sort.SliceStable(sorted, func(i, j int) bool {
		a, ea := changes.ParseVersion(sorted[i].Version)
		b, eb := changes.ParseVersion(sorted[j].Version)
		if ea != nil || eb != nil {
			bad = errors.Join(ea, eb)
			return sorted[i].Version > sorted[j].Version
		}
		if a.Major != b.Major {
			return a.Major > b.Major
		}
		if a.Minor != b.Minor {
			return a.Minor > b.Minor
		}
		return a.Patch > b.Patch
	})
	if bad != nil {
		return nil, fmt.Errorf("site: Index: %w", bad)
	}
	l := langEN
	type entryView struct {
		Version, Date, Dir string
		Pages              bool
		Changes            *changesView
	}
	v := struct {
		L                labels
		CSP              string
		CSS              template.CSS
		TitleEN, TitleNL string
		DescEN           string
		Licence          registry.License
		Entries          []entryView
	}{L: l.L, CSP: csp(siteCSS, ""), CSS: template.CSS(siteCSS), TitleEN: d.Title.EN, TitleNL: d.Title.NL,
		DescEN: d.Description.EN, Licence: d.License}
	for _, e := range sorted {
		dir := "releases/v" + e.Version + "/"
		v.Entries = append(v.Entries, entryView{Version: e.Version, Date: e.Date.String(), Dir: dir, Pages: e.Pages,
			Changes: viewChanges(e.Changes, l, dir+"changes.json")})
	}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "index.html", v); err != nil {
		return nil, fmt.Errorf("site: render index.html: %w", err)
	}
	return b.Bytes(), nil
}
