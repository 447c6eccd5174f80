package validate

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/internal/wordscan"
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
	tables   map[string]*tableChecks
	checks   int64
	findings []Finding
	refs     []ref // foreign-key references, resolved in Report so row order does not matter
}

// tableChecks is what the checker prepared for one table: per column its compiled pattern and
// its set of unique values, the primary key's set and the foreign keys. This is all the state
// that grows with the rows (the sets; see keySet).
type tableChecks struct {
	t      *schemas.Table
	fields []fieldChecks
	pk     []int   // column indexes of the primary key
	keys   *keySet // primary-key values seen
	fks    []fkChecks
}

type fieldChecks struct {
	pattern *regexp.Regexp
	// matched is the last value the pattern matched: a column such as a passage's document_id
	// repeats one value for many rows in a row, and the pattern need not run again for it.
	matched    string
	hasMatched bool
	unique     *keySet // values seen, for a unique column; the primary key's set when the column is the whole key
	soleKey    bool    // the column is the whole primary key
	// text says whether a check needs the value as text (enum, pattern, length, unique); other
	// columns render it only for a finding.
	text bool
}

type fkChecks struct {
	fields []int  // column indexes of the referencing columns
	target string // the referenced table
	// resolved is the last value found in the target's keys: sets only grow, so it stays found.
	resolved    string
	hasResolved bool
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
	c := &Checker{set: set, tables: map[string]*tableChecks{}}
	for name, t := range set {
		tc := &tableChecks{t: t, fields: make([]fieldChecks, len(t.Fields)), keys: newKeySet()}
		for _, k := range t.PrimaryKey {
			tc.pk = append(tc.pk, t.FieldIndex(k))
		}
		for i, f := range t.Fields {
			fc := &tc.fields[i]
			if f.Constraints.Pattern != "" {
				re, err := regexp.Compile(`^(?:` + f.Constraints.Pattern + `)$`)
				if err != nil {
					return nil, fmt.Errorf("schemas/%s.json: field %s: pattern: %w", name, f.Name, err)
				}
				fc.pattern = re
			}
			if f.Constraints.Unique {
				// A column that is the whole primary key shares the primary key's set (the row's
				// key is this value): one set of ids, not two.
				fc.soleKey = len(t.PrimaryKey) == 1 && t.PrimaryKey[0] == f.Name
				fc.unique = tc.keys
				if !fc.soleKey {
					fc.unique = newKeySet()
				}
			}
			fc.text = len(f.Constraints.Enum) > 0 || fc.pattern != nil || f.Constraints.MinLength != nil || f.Constraints.Unique
		}
		for _, fk := range t.ForeignKeys {
			fkc := fkChecks{target: fk.Reference.Resource}
			if fkc.target == "" {
				fkc.target = name
			}
			for _, f := range fk.Fields {
				fkc.fields = append(fkc.fields, t.FieldIndex(f))
			}
			tc.fks = append(tc.fks, fkc)
		}
		c.tables[name] = tc
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

// keysOf is the set of primary keys seen of a table, nil for a table the schemas do not have.
func (c *Checker) keysOf(table string) *keySet {
	if tc := c.tables[table]; tc != nil {
		return tc.keys
	}
	return nil
}

// Row checks one row of a table against its schema. Messages are made only for checks that fail:
// a build runs millions of checks, and nearly all pass.
func (c *Checker) Row(table string, r model.Row) {
	tc := c.tables[table]
	t := tc.t
	vals := r.Values()
	key := rowKey(tc.pk, vals)
	if len(vals) != len(t.Fields) {
		c.check(false, Finding{Rule: "schema.arity", Severity: Error, Table: table, Key: key,
			Message: fmt.Sprintf("row has %d values, the schema %d columns", len(vals), len(t.Fields))})
		return
	}
	// The key goes into its set before the columns are checked (no column check but the unique
	// check of a column that is the whole key looks at that set): seen says whether an earlier
	// row had it, for that unique check and the primary-key check below.
	seen := tc.keys.add(key)
	for i := range t.Fields {
		f, fc := &t.Fields[i], &tc.fields[i]
		v := vals[i]
		var str string
		var isNull bool
		if fc.text {
			str, isNull = cell(v)
		} else {
			isNull = null(v)
		}
		fail := func(rule, msg string) {
			s, _ := cell(v)
			c.add(Finding{Severity: Error, Table: table, Key: key, Field: f.Name, Value: short(s), Rule: rule + "." + table + "." + f.Name, Message: msg})
		}
		c.checks++
		if !typeOK(f.Type, v) {
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
		if fc.pattern != nil {
			c.checks++
			if !fc.hasMatched || str != fc.matched {
				if fc.pattern.MatchString(str) {
					fc.matched, fc.hasMatched = str, true
				} else {
					fail("pattern", fmt.Sprintf("value does not match %s", f.Constraints.Pattern))
				}
			}
		}
		if min := f.Constraints.MinLength; min != nil {
			c.checks++
			if shorterThan(str, *min) {
				fail("min_length", fmt.Sprintf("value is shorter than %d characters", *min))
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
		if fc.unique != nil {
			c.checks++
			dup := seen // the whole key: the set was looked up above
			if !fc.soleKey {
				dup = fc.unique.add(str)
			}
			if dup {
				fail("unique", "value occurs more than once")
			}
		}
	}
	c.checks++
	if seen {
		c.add(Finding{Rule: "pk." + table, Severity: Error, Table: table, Key: key, Message: "primary key occurs more than once"})
	}
	for k := range tc.fks {
		fk := &tc.fks[k]
		v, ok := fkValue(fk.fields, vals)
		if !ok {
			continue
		}
		// Most references point at rows already checked (parties and elections come first, a
		// document before its passages, a theme before its quotes): those resolve now, and only
		// the rest wait for Report, so memory holds only what is still open.
		if fk.hasResolved && v == fk.resolved || c.keysOf(fk.target).has(v) {
			fk.resolved, fk.hasResolved = v, true
			c.checks++
			continue
		}
		// Copies, so that a waiting reference keeps no larger string alive that its key or value
		// was cut from.
		c.refs = append(c.refs, ref{table: table, fk: k, key: strings.Clone(key), value: strings.Clone(v)})
	}
}

// fkValue is the value of a foreign key's columns, joined by \x1f; ok is false when one is null.
func fkValue(cols []int, vals []any) (string, bool) {
	if len(cols) == 1 {
		s, isNull := cell(vals[cols[0]])
		return s, !isNull
	}
	var b strings.Builder
	for j, i := range cols {
		s, isNull := cell(vals[i])
		if isNull {
			return "", false
		}
		if j > 0 {
			b.WriteByte('\x1f')
		}
		b.WriteString(s)
	}
	return b.String(), true
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
		target := c.tables[r.table].fks[r.fk].target
		c.checks++
		if !c.keysOf(target).has(r.value) {
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

// rowKey is the row's primary key, the parts of a composite key joined by \x1f.
func rowKey(pk []int, vals []any) string {
	if len(pk) == 1 {
		if i := pk[0]; i >= 0 && i < len(vals) {
			s, _ := cell(vals[i])
			return s
		}
		return ""
	}
	var b strings.Builder
	n := 0
	for _, i := range pk {
		if i >= 0 && i < len(vals) {
			if n > 0 {
				b.WriteByte('\x1f')
			}
			s, _ := cell(vals[i])
			b.WriteString(s)
			n++
		}
	}
	return b.String()
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
		return strconv.FormatInt(x, 10), false
	case *int64:
		if x == nil {
			return "", true
		}
		return strconv.FormatInt(*x, 10), false
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

// null reports whether cell would call v null, without rendering it.
func null(v any) bool {
	switch x := v.(type) {
	case *string:
		return x == nil
	case *int64:
		return x == nil
	case *model.Date:
		return x == nil
	case []string:
		return x == nil
	case nil:
		return true
	}
	return false
}

func typeOK(typ string, v any) bool {
	switch v.(type) {
	case string, *string:
		return typ == schemas.TypeString
	case int64, *int64:
		return typ == schemas.TypeInteger
	case float64:
		return typ == schemas.TypeNumber
	case model.Date, *model.Date:
		return typ == schemas.TypeDate
	case []string:
		return typ == schemas.TypeArray
	}
	return false
}

// shorterThan reports whether s has fewer than n characters (runes, an invalid byte counting as
// one), counting no further than it must: a rune takes at most 4 bytes.
func shorterThan(s string, n int) bool {
	if len(s) < n {
		return true
	}
	if len(s) >= 4*n {
		return false
	}
	count := 0
	for range s {
		if count++; count >= n {
			return false
		}
	}
	return true
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

// hasControl reports whether s holds a control character (unicode.IsControl: U+0000–U+001F,
// U+007F, U+0080–U+009F), looking at bytes: the C1 controls are encoded as 0xC2 0x80–0x9F, and an
// invalid byte is no character at all.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20 || b == 0x7f:
			return true
		case b == 0xc2 && i+1 < len(s) && 0x80 <= s[i+1] && s[i+1] <= 0x9f:
			return true
		}
	}
	return false
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
	// With the dropped stretches in order of their starts and none ending before it starts (as
	// extract makes them), each passage looks only at those that start inside it; otherwise (a
	// damaged accounting.json read back) at all of them.
	ordered := true
	for k, d := range dropped {
		if d.End < d.Start || k > 0 && d.Start < dropped[k-1].Start {
			ordered = false
			break
		}
	}
	var span []byte // reused: the source stretch without its dropped stretches
	for i := range ps {
		p := &ps[i]
		fail := func(msg string) {
			c.add(Finding{Rule: "rule.provenance", Severity: Error, Table: "passages", Key: p.ID, Field: "text", Value: short(p.Text),
				Source: fmt.Sprintf("%s:%d", doc.RawPath, p.SourceLine), Message: msg})
		}
		c.checks++
		if p.SourceStart < 0 || p.SourceEnd > int64(len(raw)) || p.SourceStart > p.SourceEnd {
			fail("the source span lies outside the raw file")
			continue
		}
		inside := dropped
		if ordered {
			// The first stretch that starts at or after the passage, up to the last that starts at
			// its end: a stretch starting later cannot end inside it (Start <= End).
			lo := sort.Search(len(dropped), func(k int) bool { return dropped[k].Start >= p.SourceStart })
			hi := lo + sort.Search(len(dropped)-lo, func(k int) bool { return dropped[lo+k].Start > p.SourceEnd })
			inside = dropped[lo:hi]
		}
		text := raw[p.SourceStart:p.SourceEnd]
		pos, cut := p.SourceStart, false
		for _, d := range inside {
			if d.Start >= p.SourceStart && d.End <= p.SourceEnd && d.Start >= pos {
				if !cut {
					span, cut = span[:0], true
				}
				span = append(span, raw[pos:d.Start]...)
				pos = d.End
			}
		}
		if cut {
			span = append(span, raw[pos:p.SourceEnd]...)
			text = span
		}
		if doc.Encoding == "windows-1252" {
			text, _ = charmap.Windows1252.NewDecoder().Bytes(text)
		}
		if !isASCII(text) {
			text = norm.NFC.Bytes(text) // ASCII is its own NFC
		}
		if !sameLetters(text, p.Text) {
			fail(fmt.Sprintf("the letters and digits of the source stretch %d..%d (without the dropped stretches inside it) differ from the text's", p.SourceStart, p.SourceEnd))
		}
	}
}

// sameLetters reports whether a and b hold the same letters and digits in the same order, all
// other characters (and invalid bytes) left out.
func sameLetters(a []byte, b string) bool {
	i, j := 0, 0
	for {
		// Equal ASCII bytes add the same to both (a letter or digit to each, or nothing), so the
		// stretches where a and b agree byte for byte (most of a passage) are passed over at once,
		// eight bytes at a time as far as they go.
		for i+8 <= len(a) && j+8 <= len(b) {
			w := wordscan.Load64(a, i)
			if w&wordscan.Highs != 0 || w != wordscan.Load64(b, j) {
				break
			}
			i += 8
			j += 8
		}
		for i < len(a) && j < len(b) && a[i] == b[j] && a[i] < utf8.RuneSelf {
			i++
			j++
		}
		ra, rb := rune(-1), rune(-1)
		for i < len(a) {
			if c := a[i]; c < utf8.RuneSelf {
				i++
				if asciiAlnum[c] {
					ra = rune(c)
					break
				}
				continue
			}
			r, n := utf8.DecodeRune(a[i:])
			i += n
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				ra = r
				break
			}
		}
		for j < len(b) {
			if c := b[j]; c < utf8.RuneSelf {
				j++
				if asciiAlnum[c] {
					rb = rune(c)
					break
				}
				continue
			}
			r, n := utf8.DecodeRuneInString(b[j:])
			j += n
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				rb = r
				break
			}
		}
		if ra != rb {
			return false
		}
		if ra < 0 {
			return true
		}
	}
}

// isASCII reports whether every byte of b is ASCII, eight bytes at a time.
func isASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if wordscan.Load64(b, i)&wordscan.Highs != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiAlnum says which ASCII characters are letters or digits (as unicode.IsLetter and
// unicode.IsDigit say).
var asciiAlnum = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()
