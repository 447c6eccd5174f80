package validate

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Severity says whether a finding blocks publishing.
type Severity string

// Severities.
const (
	Error   Severity = "error"   // blocks writing
	Warning Severity = "warning" // reported and published
)

// Finding is one failed check.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Table    string   `json:"table"`
	Key      string   `json:"key"`
	Field    string   `json:"field,omitempty"`
	Value    string   `json:"value,omitempty"`
	Message  string   `json:"message"`
	Source   string   `json:"source,omitempty"` // file:line where the finding comes from the raw text
}

// Report is the outcome of all checks.
type Report struct {
	Valid     bool               `json:"valid"`
	ChecksRun int64              `json:"checks_run"`
	Failed    map[Severity]int64 `json:"failed"`
	Findings  []Finding          `json:"findings"`
	// Signer is the principal whose key signed a release (validate --allowed-signers); empty otherwise.
	Signer string `json:"signer,omitempty"`
}

// Checker checks rows as they stream past, in any order: foreign keys are resolved when the
// report is made.
type Checker struct {
	set      schemas.Set
	patterns map[string]*regexp.Regexp
	keys     map[string]map[string]struct{} // table → primary key values seen
	unique   map[string]map[string]struct{} // table.field → values seen
	checks   int64
	findings []Finding
	refs     []ref // foreign-key references, resolved in Report so row order does not matter
}

// ref is one foreign-key value waiting to be looked up in the referenced table: the referencing
// table, which of its foreign keys, the row's key and the value (parts joined by \x1f). The
// finding is made only for a reference that does not resolve.
type ref struct {
	table string
	fk    int
	key   string
	value string
}

// NewChecker prepares the checks of every table schema.
func NewChecker(set schemas.Set) (*Checker, error) {
	c := &Checker{set: set, patterns: map[string]*regexp.Regexp{}, keys: map[string]map[string]struct{}{}, unique: map[string]map[string]struct{}{}}
	for name, t := range set {
		c.keys[name] = map[string]struct{}{}
		for _, f := range t.Fields {
			if f.Constraints.Pattern != "" {
				re, err := regexp.Compile(`^(?:` + f.Constraints.Pattern + `)$`)
				if err != nil {
					return nil, fmt.Errorf("schemas/%s.json: field %s: pattern: %w", name, f.Name, err)
				}
				c.patterns[name+"."+f.Name] = re
			}
		}
	}
	return c, nil
}

func (c *Checker) add(f Finding) { c.findings = append(c.findings, f) }

// Check counts one check made by the caller (on files, formats, checksums) and records f as a
// finding when ok is false.
func (c *Checker) Check(ok bool, f Finding) { c.check(ok, f) }

// check counts one check and records a finding when ok is false.
func (c *Checker) check(ok bool, f Finding) {
	c.checks++
	if !ok {
		c.add(f)
	}
}

// Row checks one row of a table against its schema. Messages are made only for checks that fail:
// a build runs millions of checks, and nearly all pass.
func (c *Checker) Row(table string, r model.Row) {
	t := c.set[table]
	vals := r.Values()
	key := rowKey(t, vals)
	if len(vals) != len(t.Fields) {
		c.check(false, Finding{Rule: "schema.arity", Severity: Error, Table: table, Key: key,
			Message: fmt.Sprintf("row has %d values, the schema %d columns", len(vals), len(t.Fields))})
		return
	}
	for i, f := range t.Fields {
		v := vals[i]
		str, isNull := cell(v)
		fail := func(rule, msg string) {
			c.add(Finding{Severity: Error, Table: table, Key: key, Field: f.Name, Value: short(str), Rule: rule + "." + table + "." + f.Name, Message: msg})
		}
		c.checks++
		if !typeOK(f, v) {
			fail("type", fmt.Sprintf("value of Go type %T does not fit column type %s", v, f.Type))
		}
		if isNull {
			c.checks++
			if f.Constraints.Required {
				fail("required", "required value is missing")
			}
			continue
		}
		if len(f.Constraints.Enum) > 0 {
			c.checks++
			if !contains(f.Constraints.Enum, str) {
				fail("enum", fmt.Sprintf("value is not one of %s", strings.Join(f.Constraints.Enum, ", ")))
			}
		}
		if re := c.patterns[table+"."+f.Name]; re != nil {
			c.checks++
			if !re.MatchString(str) {
				fail("pattern", fmt.Sprintf("value does not match %s", f.Constraints.Pattern))
			}
		}
		if f.Constraints.MinLength != nil {
			c.checks++
			if utf8.RuneCountInString(str) < *f.Constraints.MinLength {
				fail("min_length", fmt.Sprintf("value is shorter than %d characters", *f.Constraints.MinLength))
			}
		}
		if f.Constraints.Minimum != nil {
			if n, ok := intValue(v); ok {
				c.checks++
				if n < *f.Constraints.Minimum {
					fail("minimum", fmt.Sprintf("value is below %d", *f.Constraints.Minimum))
				}
			}
		}
		if f.Constraints.Unique {
			// A column that is the whole primary key shares the primary key's set (the row's key is
			// this value), which the primary-key check below fills: one set of ids, not two.
			soleKey := len(t.PrimaryKey) == 1 && t.PrimaryKey[0] == f.Name
			u := c.keys[table]
			if !soleKey {
				if u = c.unique[table+"."+f.Name]; u == nil {
					u = map[string]struct{}{}
					c.unique[table+"."+f.Name] = u
				}
			}
			c.checks++
			if _, dup := u[str]; dup {
				fail("unique", "value occurs more than once")
			}
			if !soleKey {
				u[str] = struct{}{}
			}
		}
	}
	c.checks++
	if _, dup := c.keys[table][key]; dup {
		c.add(Finding{Rule: "pk." + table, Severity: Error, Table: table, Key: key, Message: "primary key occurs more than once"})
	}
	c.keys[table][key] = struct{}{}
	for k, fk := range t.ForeignKeys {
		v, null := "", false
		for j, name := range fk.Fields {
			s, isNull := cell(vals[t.FieldIndex(name)])
			null = null || isNull
			if j > 0 {
				v += "\x1f"
			}
			v += s
		}
		if null {
			continue
		}
		// Most references point at rows already checked (parties and elections come first, a
		// document before its passages, a theme before its quotes): those resolve now, and only
		// the rest wait for Report, so memory holds only what is still open.
		target := fk.Reference.Resource
		if target == "" {
			target = table
		}
		if _, ok := c.keys[target][v]; ok {
			c.checks++
			continue
		}
		c.refs = append(c.refs, ref{table: table, fk: k, key: key, value: v})
	}
}

// Passages checks the dataset rules over one document's passages (in source order). Findings
// name the passage's place in the raw text as raw_path:line.
func (c *Checker) Passages(doc model.Document, ps []model.Passage) { c.PassagesIn(doc, ps, nil) }

// PassagesIn is Passages with the raw bytes of the document at hand, so that findings name the
// place as raw_path:line:col (col counts characters from 1; bytes where the file is not UTF-8).
func (c *Checker) PassagesIn(doc model.Document, ps []model.Passage, raw []byte) {
	byID := map[string]*model.Passage{}
	summaries := map[string]int{}
	var lastEnd int64
	for i := range ps {
		p := &ps[i]
		byID[p.ID] = p
		// The finding, and the place it names, are made only when a check fails.
		fail := func(rule string, sev Severity, field, msg string) {
			src := fmt.Sprintf("%s:%d", doc.RawPath, p.SourceLine)
			if col := column(raw, p.SourceStart); col > 0 {
				src = fmt.Sprintf("%s:%d", src, col)
			}
			c.add(Finding{Rule: rule, Severity: sev, Table: "passages", Key: p.ID, Field: field, Value: short(p.Text), Message: msg, Source: src})
		}
		check := func(ok bool, rule string, sev Severity, field, msg string) {
			c.checks++
			if !ok {
				fail(rule, sev, field, msg)
			}
		}
		check(strings.TrimSpace(p.Text) != "", "rule.text_not_empty", Error, "text", "passage text is empty")
		check(!hasControl(p.Text), "rule.no_control_characters", Error, "text", "passage text holds control characters")
		check(balanced(p.Text), "rule.balanced_quotes", Warning, "text", "quote marks in the text are unbalanced")
		check(p.SourceStart < p.SourceEnd && p.SourceEnd <= doc.RawBytes, "rule.span_inside_file", Error, "source_end", "source span lies outside the raw file")
		check(p.SourceStart >= lastEnd, "rule.spans_do_not_overlap", Error, "source_start", "source span overlaps the previous passage")
		lastEnd = p.SourceEnd
		check(!contains(p.Flags, model.FlagFragment), "rule.fragment", Warning, "flags", "the unit ends mid-sentence")
		check(!contains(p.Flags, model.FlagElided), "rule.elided_quote", Warning, "flags", "the quote leaves text out")
		check(!contains(p.Flags, model.FlagUnclosedQuote), "rule.unclosed_quote", Warning, "flags", "the quote opens with “ and never closes: its end may be lost")
		if p.Kind == model.KindSummary && p.PartyID != nil {
			summaries[*p.PartyID]++
			check(summaries[*p.PartyID] == 1, "rule.one_summary_per_party", Error, "kind", "a second summary for party "+*p.PartyID)
		}
		if p.Kind == model.KindQuote {
			parent := (*model.Passage)(nil)
			if p.ParentID != nil {
				parent = byID[*p.ParentID]
			}
			ok := parent != nil && parent.Kind == model.KindTheme && eq(parent.PartyID, p.PartyID)
			check(ok, "rule.quote_parent", Error, "parent_id", "a quote needs a theme of the same party and document as its parent")
		}
	}
	if doc.Format == model.FormatPartySummaries {
		for i := range ps {
			if ps[i].PartyID != nil && summaries[*ps[i].PartyID] == 0 {
				c.check(false, Finding{Rule: "rule.one_summary_per_party", Severity: Error, Table: "passages", Key: ps[i].ID,
					Field: "kind", Message: "party " + *ps[i].PartyID + " has passages but no summary"})
				summaries[*ps[i].PartyID] = -1
			}
		}
	}
}

// Scores checks that every scored party is covered by its document.
func (c *Checker) Scores(scores []model.Score, covered []model.DocumentParty) {
	cov := map[string]bool{}
	for _, d := range covered {
		cov[d.PartyID] = true
	}
	for _, s := range scores {
		c.check(cov[s.PartyID], Finding{Rule: "rule.scored_party_covered", Severity: Error, Table: "scores", Key: s.DocumentID + "/" + s.PartyID,
			Field: "party_id", Value: s.PartyID, Message: "the document scores this party but does not cover it"})
	}
}

// Report resolves the pending foreign keys and returns all findings so far, sorted. Keys in the
// report join the parts of a composite key with "/".
func (c *Checker) Report() Report {
	for _, r := range c.refs {
		fk := c.set[r.table].ForeignKeys[r.fk]
		target := fk.Reference.Resource
		if target == "" {
			target = r.table
		}
		c.checks++
		if _, ok := c.keys[target][r.value]; !ok {
			fields := strings.Join(fk.Fields, "+")
			c.add(Finding{Rule: "fk." + r.table + "." + fields, Severity: Error, Table: r.table, Key: r.key,
				Field: fields, Value: r.value, Message: fmt.Sprintf("no row in %s has this key", target)})
		}
	}
	c.refs = nil
	r := Report{Valid: true, ChecksRun: c.checks, Failed: map[Severity]int64{Error: 0, Warning: 0}, Findings: append([]Finding{}, c.findings...)}
	for i, f := range r.Findings {
		r.Findings[i].Key = strings.ReplaceAll(f.Key, "\x1f", "/")
		r.Findings[i].Value = strings.ReplaceAll(f.Value, "\x1f", "/")
		r.Failed[f.Severity]++
		if f.Severity == Error {
			r.Valid = false
		}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity == Error
		}
		if a.Table != b.Table {
			return a.Table < b.Table
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Rule < b.Rule
	})
	return r
}

func rowKey(t *schemas.Table, vals []any) string {
	var parts []string
	for _, k := range t.PrimaryKey {
		if i := t.FieldIndex(k); i >= 0 && i < len(vals) {
			s, _ := cell(vals[i])
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "\x1f")
}

// cell renders a value as text, reporting null.
func cell(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, false
	case *string:
		if x == nil {
			return "", true
		}
		return *x, false
	case int64:
		return fmt.Sprint(x), false
	case *int64:
		if x == nil {
			return "", true
		}
		return fmt.Sprint(*x), false
	case float64:
		return fmt.Sprint(x), false
	case model.Date:
		return x.String(), false
	case *model.Date:
		if x == nil {
			return "", true
		}
		return x.String(), false
	case []string:
		return strings.Join(x, ","), x == nil
	case nil:
		return "", true
	}
	return fmt.Sprint(v), false
}

func typeOK(f schemas.Field, v any) bool {
	switch v.(type) {
	case string, *string:
		return f.Type == schemas.TypeString
	case int64, *int64:
		return f.Type == schemas.TypeInteger
	case float64:
		return f.Type == schemas.TypeNumber
	case model.Date, *model.Date:
		return f.Type == schemas.TypeDate
	case []string:
		return f.Type == schemas.TypeArray
	}
	return false
}

func intValue(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case *int64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func eq(a, b *string) bool { return a != nil && b != nil && *a == *b }

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) }) >= 0
}

// balanced reports whether “ ” pair up and straight double quotes come in pairs.
func balanced(s string) bool {
	return strings.Count(s, "“") == strings.Count(s, "”") && strings.Count(s, `"`)%2 == 0
}

func short(s string) string {
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	r := []rune(s)
	return string(r[:77]) + "…"
}

// column is the 1-based column of byte offset off in raw, or 0 when raw does not hold it.
func column(raw []byte, off int64) int {
	if raw == nil || off < 0 || off > int64(len(raw)) {
		return 0
	}
	line := raw[:off]
	if i := bytes.LastIndexByte(line, '\n'); i >= 0 {
		line = line[i+1:]
	}
	if utf8.Valid(raw) {
		return utf8.RuneCount(line) + 1
	}
	return len(line) + 1
}

// Provenance checks that each passage's letters and digits are exactly those of its source stretch
// in the raw file, minus the stretches dropped inside it (page furniture, Markdown markup), NFC
// both: the rule that makes every passage traceable to the bytes it came from (rule.provenance).
// raw is the file as stored, decoded with the document's encoding.
func (c *Checker) Provenance(doc model.Document, ps []model.Passage, raw []byte, dropped []model.DroppedSpan) {
	for _, p := range ps {
		f := Finding{Rule: "rule.provenance", Severity: Error, Table: "passages", Key: p.ID, Field: "text", Value: short(p.Text),
			Source: fmt.Sprintf("%s:%d", doc.RawPath, p.SourceLine)}
		if p.SourceStart < 0 || p.SourceEnd > int64(len(raw)) || p.SourceStart > p.SourceEnd {
			f.Message = "the source span lies outside the raw file"
			c.check(false, f)
			continue
		}
		var span []byte
		pos := p.SourceStart
		for _, d := range dropped {
			if d.Start >= p.SourceStart && d.End <= p.SourceEnd && d.Start >= pos {
				span = append(span, raw[pos:d.Start]...)
				pos = d.End
			}
		}
		span = append(span, raw[pos:p.SourceEnd]...)
		text := string(span)
		if doc.Encoding == "windows-1252" {
			text, _ = charmap.Windows1252.NewDecoder().String(text)
		}
		got, want := lettersOf(norm.NFC.String(text)), lettersOf(p.Text)
		f.Message = fmt.Sprintf("the letters and digits of the source stretch %d..%d (without the dropped stretches inside it) differ from the text's", p.SourceStart, p.SourceEnd)
		c.check(got == want, f)
	}
}

func lettersOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
