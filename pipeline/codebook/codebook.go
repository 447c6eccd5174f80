package codebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// Input is everything the codebook describes.
type Input struct {
	Title    string         // dataset title, e.g. "Standpunten"
	Version  string         // release version, e.g. "1.0.0"
	Citation string         // how to cite the release in one line; empty gives "<Title>, version <Version>."
	Schemas  schemas.Set    // every table in schemas.Order
	Rows     publish.Tables // rows per table, cells in schema column order as publish.Scan yields them; each table is read once
}

const (
	// maxCounted is the most distinct values a column without an enum may have to get value
	// counts instead of examples.
	maxCounted = 20
	// examples is how many distinct values a column without value counts shows.
	examples = 3
	// maxRunes is the longest value shown in full; longer values are cut and end in "…".
	maxRunes = 80
)

// ArrowType is the Arrow (and Parquet logical) type the writers give a schema field type.
func ArrowType(fieldType string) (string, error) {
	switch fieldType {
	case schemas.TypeString:
		return "string", nil
	case schemas.TypeInteger:
		return "int64", nil
	case schemas.TypeNumber:
		return "double", nil
	case schemas.TypeDate:
		return "date32", nil
	case schemas.TypeArray:
		return "list<string>", nil
	}
	return "", fmt.Errorf("codebook: field type %q has no Arrow type", fieldType)
}

// Generate renders CODEBOOK.md for the tables in in.
func Generate(in Input) ([]byte, error) {
	if in.Title == "" || in.Version == "" {
		return nil, errors.New("codebook: Title and Version must not be empty")
	}
	if in.Rows == nil {
		return nil, errors.New("codebook: Rows is nil")
	}
	for _, name := range schemas.Order {
		if t, ok := in.Schemas[name]; !ok || t == nil {
			return nil, fmt.Errorf("codebook: no schema for table %s", name)
		}
	}
	xa, err := newCrossAcc(in.Schemas)
	if err != nil {
		return nil, err
	}
	tables := make([]*tableStats, 0, len(schemas.Order))
	for _, name := range schemas.Order {
		ts, err := describe(in.Schemas[name], in.Rows.Rows(name), xa)
		if err != nil {
			return nil, err
		}
		tables = append(tables, ts)
	}
	xt := xa.tabs()
	var b bytes.Buffer
	writeHeader(&b, in, tables, xt)
	for _, ts := range tables {
		writeTable(&b, ts)
	}
	writeCrossTabs(&b, xt)
	return b.Bytes(), nil
}

// cell is one value, decoded from its canonical Go type.
type cell struct {
	null  bool
	text  string   // string and list-free display form; for lists the JSON array
	i     int64    // integer
	f     float64  // number
	elems []string // array
}

// decode checks that x has the canonical Go type of the field and returns it as a cell.
func decode(f schemas.Field, x any) (cell, error) {
	if x == nil {
		if f.Nullable() {
			return cell{null: true}, nil
		}
		return cell{}, errors.New("null in a required column")
	}
	nullable := f.Nullable()
	switch f.Type {
	case schemas.TypeString:
		switch v := x.(type) {
		case string:
			if !nullable {
				return cell{text: v}, nil
			}
		case *string:
			if nullable {
				if v == nil {
					return cell{null: true}, nil
				}
				return cell{text: *v}, nil
			}
		}
	case schemas.TypeInteger:
		switch v := x.(type) {
		case int64:
			if !nullable {
				return cell{i: v, text: strconv.FormatInt(v, 10)}, nil
			}
		case *int64:
			if nullable {
				if v == nil {
					return cell{null: true}, nil
				}
				return cell{i: *v, text: strconv.FormatInt(*v, 10)}, nil
			}
		}
	case schemas.TypeNumber:
		switch v := x.(type) {
		case float64:
			if !nullable {
				return cell{f: v, text: strconv.FormatFloat(v, 'g', -1, 64)}, nil
			}
		case *float64:
			if nullable {
				if v == nil {
					return cell{null: true}, nil
				}
				return cell{f: *v, text: strconv.FormatFloat(*v, 'g', -1, 64)}, nil
			}
		}
	case schemas.TypeDate:
		switch v := x.(type) {
		case model.Date:
			if !nullable {
				return cell{text: v.String()}, nil
			}
		case *model.Date:
			if nullable {
				if v == nil {
					return cell{null: true}, nil
				}
				return cell{text: v.String()}, nil
			}
		}
	case schemas.TypeArray:
		if v, ok := x.([]string); ok {
			if v == nil && nullable {
				return cell{null: true}, nil
			}
			b, err := json.Marshal(v)
			if err != nil {
				return cell{}, err
			}
			if v == nil {
				b = []byte("[]")
			}
			return cell{elems: v, text: string(b)}, nil
		}
	}
	req := "required"
	if nullable {
		req = "nullable"
	}
	return cell{}, fmt.Errorf("a cell of Go type %T does not fit a %s %s column", x, req, f.Type)
}

// less orders two non-null cells of a column: numbers by value, everything else by its text
// (dates are YYYY-MM-DD, so text order is date order).
func less(typ string, a, b cell) bool {
	switch typ {
	case schemas.TypeInteger:
		return a.i < b.i
	case schemas.TypeNumber:
		return a.f < b.f
	}
	return a.text < b.text
}

// count is one value and how many rows hold it.
type count struct {
	value string
	n     int
}

// columnStats is what the codebook says about one column.
type columnStats struct {
	field     schemas.Field
	arrow     string
	rows      int
	nulls     int
	empty     int     // "" for strings, [] for lists
	distinct  int     // distinct non-null, non-empty values (list elements for lists)
	estimated bool    // distinct is an estimate (more than exactDistinct values)
	counts    []count // value counts, or nil when examples are shown
	examples  []string
	min, max  string // range of integer, number and date columns; "" when no value
}

type tableStats struct {
	schema  *schemas.Table
	rows    int
	columns []*columnStats
}

// crossTab is a table of counts with row and column labels and totals.
type crossTab struct {
	title, intro string
	corner       string
	rowLabels    []string
	colLabels    []string
	cells        [][]int
}

const noParty = "(no party)"

// Rendering.

func writeHeader(b *bytes.Buffer, in Input, tables []*tableStats, xt []crossTab) {
	total := 0
	for _, t := range tables {
		total += t.rows
	}
	fmt.Fprintf(b, "# Codebook: %s, version %s\n\n", in.Title, in.Version)
	fmt.Fprintf(b, "Version %s of %s: %d tables, %d rows in all. Every table comes in three formats with the same rows: "+
		"`parquet/<table>.parquet`, `csv/<table>.csv` and `json/<table>.json`; `datapackage.json` holds the same schemas for software.\n\n",
		in.Version, in.Title, len(tables), total)
	cite := in.Citation
	if cite == "" {
		cite = fmt.Sprintf("%s, version %s.", in.Title, in.Version)
	}
	fmt.Fprintf(b, "**Cite as:** %s\n\n", cite)
	fmt.Fprintf(b, "**Load:** `SELECT * FROM 'parquet/passages.parquet'` (DuckDB) or `pandas.read_parquet(\"parquet/passages.parquet\")` (Python, with pyarrow).\n\n")
	b.WriteString("## Contents\n\n")
	b.WriteString("- [How to read this codebook](#how-to-read-this-codebook)\n")
	for _, t := range tables {
		fmt.Fprintf(b, "- [%s](#%s): %s\n", t.schema.Name, slug(t.schema.Name), plural(t.rows, "row"))
	}
	b.WriteString("- [Cross-tabulations](#cross-tabulations)\n")
	for _, x := range xt {
		fmt.Fprintf(b, "  - [%s](#%s)\n", x.title, slug(x.title))
	}
	b.WriteString("\n## How to read this codebook\n\n")
	b.WriteString("- **Type** is the schema type (Frictionless Table Schema) with the Arrow/Parquet type the Parquet files use: " +
		"`string`, `int64`, `double`, `date32` (a calendar date, `YYYY-MM-DD` in CSV and JSON) or `list<string>` (a JSON array in one CSV cell).\n")
	b.WriteString("- **Nulls** occur only in *nullable* columns: an empty cell in CSV, `null` in JSON, a null in Parquet. " +
		"**Empty** counts empty strings and empty lists, which are values, not nulls. Distinct counts leave out nulls and empty values.")
	if estimated(tables) {
		fmt.Fprintf(b, " A column with more than %d distinct values gets an estimate of their number (HyperLogLog, standard error about 0.8%%), rounded to three digits and marked *about*.", exactDistinct)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "- **Values** lists every value with its row count (most frequent first) for columns with an enum constraint and for columns with at most %d distinct values that repeat; "+
		"for a list column it counts the rows that hold each element. Shares are of all rows of the table. Other columns show their range (numbers and dates) and the first %d distinct values in sorted order; "+
		"values longer than %d characters are cut short with …\n\n", maxCounted, examples, maxRunes)
}

// estimated reports whether any column's distinct count is an estimate.
func estimated(tables []*tableStats) bool {
	for _, t := range tables {
		for _, c := range t.columns {
			if c.estimated {
				return true
			}
		}
	}
	return false
}

func writeTable(b *bytes.Buffer, t *tableStats) {
	s := t.schema
	fmt.Fprintf(b, "## %s\n\n%s\n\n", s.Name, s.Description)
	fmt.Fprintf(b, "- **Rows:** %d\n", t.rows)
	fmt.Fprintf(b, "- **Primary key:** %s\n", codeList(s.PrimaryKey, ", "))
	if len(s.ForeignKeys) > 0 {
		var fks []string
		for _, fk := range s.ForeignKeys {
			ref := fk.Reference.Resource
			if ref == "" {
				ref = s.Name
			}
			var to []string
			for _, f := range fk.Reference.Fields {
				to = append(to, ref+"."+f)
			}
			fks = append(fks, fmt.Sprintf("%s → %s ([%s](#%s))", codeList(fk.Fields, ", "), codeList(to, ", "), ref, slug(ref)))
		}
		fmt.Fprintf(b, "- **Foreign keys:** %s\n", strings.Join(fks, "; "))
	}
	fmt.Fprintf(b, "- **Files:** `parquet/%[1]s.parquet`, `csv/%[1]s.csv`, `json/%[1]s.json`\n\n", s.Name)

	b.WriteString("| column | type | required | constraints | nulls | empty |\n|---|---|---|---|---:|---:|\n")
	for _, c := range t.columns {
		req := "nullable"
		if !c.field.Nullable() {
			req = "required"
		}
		fmt.Fprintf(b, "| [`%s`](#%s) | %s (`%s`) | %s | %s | %d | %s |\n", c.field.Name, slug(s.Name+"."+c.field.Name),
			c.field.Type, c.arrow, req, cellEscape(constraints(c.field)), c.nulls, emptyCount(c))
	}
	b.WriteString("\n")
	for _, c := range t.columns {
		writeColumn(b, s.Name, c)
	}
}

func emptyCount(c *columnStats) string {
	if c.field.Type != schemas.TypeString && c.field.Type != schemas.TypeArray {
		return "–"
	}
	return strconv.Itoa(c.empty)
}

func writeColumn(b *bytes.Buffer, table string, c *columnStats) {
	f := c.field
	fmt.Fprintf(b, "### %s.%s\n\n", table, f.Name)
	req := "nullable"
	if !f.Nullable() {
		req = "required"
	}
	fmt.Fprintf(b, "**%s**. %s\n\n", f.Title, f.Description)
	fmt.Fprintf(b, "- Type: %s (Arrow/Parquet `%s`), %s", f.Type, c.arrow, req)
	if cons := constraints(f); cons != "" {
		fmt.Fprintf(b, "; %s", cons)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "- Nulls: %d of %d", c.nulls, c.rows)
	if f.Type == schemas.TypeString || f.Type == schemas.TypeArray {
		fmt.Fprintf(b, "; empty: %d", c.empty)
	}
	what := "distinct values"
	if f.Type == schemas.TypeArray {
		what = "distinct elements"
	}
	if c.estimated {
		// Rounded to three significant digits: the estimate's error is about 0.8%.
		fmt.Fprintf(b, "; %s: about %d (estimated)\n", what, roundTo3(c.distinct))
	} else {
		fmt.Fprintf(b, "; %s: %d\n", what, c.distinct)
	}
	if c.min != "" {
		fmt.Fprintf(b, "- Range: %s to %s\n", code(c.min), code(c.max))
	}
	if c.counts == nil {
		if len(c.examples) > 0 {
			ex := make([]string, len(c.examples))
			for i, e := range c.examples {
				ex[i] = code(shorten(e))
			}
			fmt.Fprintf(b, "- Examples: %s\n", strings.Join(ex, ", "))
		}
		b.WriteString("\n")
		return
	}
	b.WriteString("\n| value | rows | share |\n|---|---:|---:|\n")
	for _, v := range c.counts {
		fmt.Fprintf(b, "| %s | %d | %s |\n", cellEscape(code(shorten(v.value))), v.n, share(v.n, c.rows))
	}
	if c.empty > 0 {
		label := "*(empty string)*"
		if f.Type == schemas.TypeArray {
			label = "*(empty list)*"
		}
		fmt.Fprintf(b, "| %s | %d | %s |\n", label, c.empty, share(c.empty, c.rows))
	}
	if c.nulls > 0 {
		fmt.Fprintf(b, "| *(null)* | %d | %s |\n", c.nulls, share(c.nulls, c.rows))
	}
	b.WriteString("\n")
}

func writeCrossTabs(b *bytes.Buffer, xt []crossTab) {
	b.WriteString("## Cross-tabulations\n\n")
	for _, x := range xt {
		fmt.Fprintf(b, "### %s\n\n%s\n\n", x.title, x.intro)
		fmt.Fprintf(b, "| %s |", x.corner)
		for _, c := range x.colLabels {
			fmt.Fprintf(b, " %s |", cellEscape(code(c)))
		}
		b.WriteString(" total |\n|---|")
		for range x.colLabels {
			b.WriteString("---:|")
		}
		b.WriteString("---:|\n")
		colTotals := make([]int, len(x.colLabels))
		all := 0
		for i, r := range x.rowLabels {
			label := code(r)
			if r == noParty {
				label = "*" + noParty + "*"
			}
			fmt.Fprintf(b, "| %s |", cellEscape(label))
			rowTotal := 0
			for j, n := range x.cells[i] {
				fmt.Fprintf(b, " %d |", n)
				rowTotal += n
				colTotals[j] += n
			}
			all += rowTotal
			fmt.Fprintf(b, " %d |\n", rowTotal)
		}
		b.WriteString("| **total** |")
		for _, n := range colTotals {
			fmt.Fprintf(b, " %d |", n)
		}
		fmt.Fprintf(b, " %d |\n\n", all)
	}
}

// constraints lists a field's constraints other than required.
func constraints(f schemas.Field) string {
	c := f.Constraints
	var parts []string
	if c.Unique {
		parts = append(parts, "unique")
	}
	if len(c.Enum) > 0 {
		parts = append(parts, "one of "+codeList(c.Enum, ", "))
	}
	if c.Pattern != "" {
		parts = append(parts, "pattern "+code(c.Pattern))
	}
	if c.MinLength != nil {
		parts = append(parts, fmt.Sprintf("length ≥ %d", *c.MinLength))
	}
	if c.Minimum != nil {
		parts = append(parts, fmt.Sprintf("≥ %d", *c.Minimum))
	}
	return strings.Join(parts, "; ")
}

func codeList(xs []string, sep string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = code(x)
	}
	return strings.Join(out, sep)
}

// code renders s as a Markdown code span, with a fence longer than any run of backticks in s.
func code(s string) string {
	if s == "" {
		return "*(empty string)*"
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if longest == 0 {
		return "`" + s + "`"
	}
	fence := strings.Repeat("`", longest+1)
	return fence + " " + s + " " + fence
}

// cellEscape makes s safe inside a Markdown table cell (GFM reads \| as | even in code spans).
// roundTo3 rounds n to three significant digits.
func roundTo3(n int) int {
	p := 1
	for n/p >= 1000 {
		p *= 10
	}
	return (n + p/2) / p * p
}

func cellEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// shorten puts s on one line and cuts it after maxRunes-1 runes.
func shorten(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:maxRunes-1]), unicode.IsSpace) + "…"
}

func share(n, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// slug is the anchor GitHub gives a heading: lower case, spaces to hyphens, punctuation other than
// hyphens and underscores dropped.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
