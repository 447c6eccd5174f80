package changes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// Limits of the readable rendering; changes.json always holds everything.
const (
	// MaxListed is how many keys (or modified rows) per table and kind Markdown lists.
	MaxListed = 20
	// excerptContext is how many characters of unchanged text an excerpt keeps around a change.
	excerptContext = 30
	// wordSnap is how far (in characters) an excerpt may widen to keep a cut word whole.
	wordSnap = 12
	// shortText is the length (in characters) up to which a text is shown whole.
	shortText = 80
	// maxMiddle is the longest changed stretch shown whole; longer ones are cut in the middle.
	maxMiddle = 120
	// shaChars is how many hex digits of a SHA-256 Markdown shows.
	shaChars = 12
)

// JSON is changes.json: two-space indented, map keys sorted, a trailing newline.
func (c *Changes) JSON() ([]byte, error) {
	var b bytes.Buffer
	if err := c.WriteJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteJSON writes changes.json to w a part at a time (publish.StreamJSON): a first release
// lists every passage key, and the text is not built in memory first.
func (c *Changes) WriteJSON(w io.Writer) error {
	if err := publish.StreamJSON(w, c); err != nil {
		return fmt.Errorf("changes: write changes.json: %w", err)
	}
	return nil
}

// Markdown is the release's section of CHANGELOG.md (and the body of RELEASE.md) in the Keep a
// Changelog style: a "## [version] - date" heading, the notes, the version level and its
// reasons, then Added / Changed / Removed and the validation summary. The first release lists
// what the release contains instead of every key.
func (c *Changes) Markdown() string {
	var b strings.Builder
	heading := "## [Unreleased]"
	if c.Version != "" {
		heading = "## [" + c.Version + "]"
	}
	if c.Date != "" {
		heading += " - " + c.Date
	}
	b.WriteString(heading + "\n")
	if notes := strings.TrimSpace(c.Notes); notes != "" {
		b.WriteString("\n" + notes + "\n")
	}
	if c.FirstRelease {
		b.WriteString("\nFirst release.\n")
		c.writeContents(&b)
	} else {
		c.writeLevel(&b)
		added, changed, removed := c.sections()
		for _, s := range []struct {
			title string
			items []string
		}{{"Added", added}, {"Changed", changed}, {"Removed", removed}} {
			if len(s.items) == 0 {
				continue
			}
			b.WriteString("\n### " + s.title + "\n\n")
			for _, it := range s.items {
				b.WriteString(it + "\n")
			}
		}
	}
	if v := c.Validation; v != nil {
		state := "passed"
		if !v.Valid {
			state = "failed"
		}
		fmt.Fprintf(&b, "\nValidation %s: %s run, %s, %s.\n", state,
			count(int(v.ChecksRun), "check", "checks"), count(int(v.Errors), "error", "errors"), count(int(v.Warnings), "warning", "warnings"))
	}
	return b.String()
}

func (c *Changes) writeLevel(b *strings.Builder) {
	since := ""
	if c.Previous != "" {
		since = " since " + c.Previous
	}
	if c.Level == LevelNone {
		fmt.Fprintf(b, "\nNo changes to the data or the schemas%s.\n", since)
		return
	}
	fmt.Fprintf(b, "\nA **%s** release%s because:\n\n", c.Level, strings.Replace(since, " since ", " after ", 1))
	for _, r := range c.Reasons {
		b.WriteString("- " + mdEscape(r) + "\n")
	}
}

// sections sorts every change into Added, Changed or Removed items (Markdown list items).
func (c *Changes) sections() (added, changed, removed []string) {
	for _, d := range c.Documents.Added {
		added = append(added, fmt.Sprintf("- Document %s%s (%s, SHA-256 %s).", code(d.DocumentID), titleText(d.Title), code(d.RawPath), code(abbrev(d.NewSHA256))))
	}
	for _, d := range c.Documents.Changed {
		changed = append(changed, fmt.Sprintf("- Document %s%s: source text changed (%s), SHA-256 %s → %s.", code(d.DocumentID), titleText(d.Title), code(d.RawPath), code(abbrev(d.OldSHA256)), code(abbrev(d.NewSHA256))))
	}
	for _, d := range c.Documents.Removed {
		removed = append(removed, fmt.Sprintf("- Document %s%s (%s, SHA-256 %s).", code(d.DocumentID), titleText(d.Title), code(d.RawPath), code(abbrev(d.OldSHA256))))
	}
	for _, s := range c.Schema {
		item := "- Schema: " + mdEscape(s.Text)
		switch s.Kind {
		case TableAdded, ColumnAdded, ForeignKeyAdded:
			added = append(added, item)
		case TableRemoved, ColumnRemoved, ForeignKeyRemoved:
			removed = append(removed, item)
		default:
			changed = append(changed, item)
		}
	}
	for _, t := range c.Tables {
		if t.Added > 0 {
			added = append(added, fmt.Sprintf("- %s: %s: %s", code(t.Table), count(t.Added, "row", "rows"), keyList(t.AddedKeys)))
		}
		if t.Modified > 0 {
			changed = append(changed, fmt.Sprintf("- %s: %s modified (%s):", code(t.Table), count(t.Modified, "row", "rows"), count(t.CellsModified, "cell", "cells")))
			changed = append(changed, modifiedItems(t)...)
		}
		if t.Moved > 0 {
			changed = append(changed, fmt.Sprintf("- %s: %s moved (only the position in the raw text changed): %s", code(t.Table), count(t.Moved, "row", "rows"), keyList(t.MovedKeys)))
		}
		if t.Removed > 0 {
			removed = append(removed, fmt.Sprintf("- %s: %s: %s", code(t.Table), count(t.Removed, "row", "rows"), keyList(t.RemovedKeys)))
		}
	}
	return added, changed, removed
}

// modifiedItems lists a table's modified rows as nested list items: rows with exactly the same
// cell changes are shown once, with all their keys; at most MaxListed groups are listed.
func modifiedItems(t TableChanges) []string {
	type group struct {
		keys  []string
		lines []string
	}
	var groups []*group
	bySig := map[string]*group{}
	for _, r := range t.ModifiedRows {
		var lines []string
		for _, cc := range r.Cells {
			ov, nv := readable(cc.Old, cc.New)
			lines = append(lines, fmt.Sprintf("    - %s: %s → %s", code(cc.Column), ov, nv))
		}
		sig := strings.Join(lines, "\n")
		g := bySig[sig]
		if g == nil {
			g = &group{lines: lines}
			bySig[sig] = g
			groups = append(groups, g)
		}
		g.keys = append(g.keys, r.Key)
	}
	var out []string
	for i, g := range groups {
		if i == MaxListed {
			rest := 0
			for _, g := range groups[i:] {
				rest += len(g.keys)
			}
			out = append(out, fmt.Sprintf("  - and %s more; see changes.json", count(rest, "row", "rows")))
			break
		}
		if len(g.keys) == 1 {
			out = append(out, "  - "+code(g.keys[0])+":")
		} else {
			out = append(out, fmt.Sprintf("  - %s, each:", strings.TrimSuffix(keyList(g.keys), ".")))
		}
		out = append(out, g.lines...)
	}
	return out
}

// writeContents describes what the release holds (for the first release).
func (c *Changes) writeContents(b *strings.Builder) {
	ct := c.Contents
	b.WriteString("\n### Added\n\n")
	fmt.Fprintf(b, "- %s:\n", count(len(ct.Documents), "document", "documents"))
	for _, d := range ct.Documents {
		parts := []string{count(d.Passages, "passage", "passages")}
		if d.Passages > 0 {
			parts[0] += " (" + kindCounts(d.PassagesByKind) + ")"
		}
		if d.Parties > 0 {
			parts = append(parts, count(d.Parties, "party", "parties"))
		}
		if d.Scores > 0 {
			parts = append(parts, count(d.Scores, "score", "scores"))
		}
		election := ""
		if d.ElectionID != "" {
			election = ", " + mdEscape(d.ElectionID)
		}
		fmt.Fprintf(b, "  - %s%s%s: %s\n", code(d.DocumentID), titleText(d.Title), election, strings.Join(parts, ", "))
	}
	if n, ok := ct.Rows["parties"]; ok {
		fmt.Fprintf(b, "- %s.\n", count(n, "party", "parties"))
	}
	if n, ok := ct.Rows["elections"]; ok {
		fmt.Fprintf(b, "- %s.\n", count(n, "election", "elections"))
	}
	if n, ok := ct.Rows["passages"]; ok {
		line := count(n, "passage", "passages")
		if n > 0 {
			line += ": " + kindCounts(ct.PassagesByKind)
		}
		fmt.Fprintf(b, "- %s.\n", line)
	}
	if n, ok := ct.Rows["scores"]; ok {
		fmt.Fprintf(b, "- %s.\n", count(n, "score", "scores"))
	}
	var rows []string
	for _, t := range c.Tables {
		rows = append(rows, fmt.Sprintf("%s %d", code(t.Table), t.RowsAfter))
	}
	if len(rows) > 0 {
		fmt.Fprintf(b, "- Rows per table: %s.\n", strings.Join(rows, ", "))
	}
}

// kindOrder is the order passage kinds are listed in; other kinds follow alphabetically.
var kindOrder = []model.Kind{model.KindSummary, model.KindTheme, model.KindQuote, model.KindBullet, model.KindIntro, model.KindPoint, model.KindPledge}

func kindCounts(m map[string]int) string {
	kinds := make([]string, 0, len(m))
	for k := range m {
		kinds = append(kinds, k)
	}
	rank := func(k string) int {
		if i := slices.Index(kindOrder, model.Kind(k)); i >= 0 {
			return i
		}
		return len(kindOrder)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if ri, rj := rank(kinds[i]), rank(kinds[j]); ri != rj {
			return ri < rj
		}
		return kinds[i] < kinds[j]
	})
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s %d", mdEscape(k), m[k])
	}
	return strings.Join(parts, ", ")
}

func keyList(keys []string) string {
	n := min(len(keys), MaxListed)
	parts := make([]string, n)
	for i := range n {
		parts[i] = code(keys[i])
	}
	s := strings.Join(parts, ", ")
	if len(keys) > n {
		s += fmt.Sprintf(" and %d more; see changes.json", len(keys)-n)
	}
	return s + "."
}

func titleText(title string) string {
	if title == "" {
		return ""
	}
	return " “" + mdEscape(title) + "”"
}

func abbrev(sha string) string {
	if utf8.RuneCountInString(sha) <= shaChars {
		return sha
	}
	return sha[:shaChars] + "…"
}

// code renders s as a Markdown code span.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdEscape backslash-escapes the characters that would start Markdown or HTML markup.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#':
			b.WriteByte('\\')
		case '\n':
			b.WriteString(" ")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// readable renders an old and a new cell for Markdown. Two texts are shortened to the changed
// stretch with some context (see excerpt); other values are shown whole.
func readable(old, new any) (string, string) {
	a, aIsStr := deref(old).(string)
	b, bIsStr := deref(new).(string)
	if aIsStr && bIsStr {
		a, b = excerpt(a, b)
		return quoted(a), quoted(b)
	}
	return valueText(old), valueText(new)
}

func quoted(s string) string { return "“" + mdEscape(s) + "”" }

func valueText(v any) string {
	switch x := deref(v).(type) {
	case nil:
		return "null"
	case string:
		if utf8.RuneCountInString(x) > shortText {
			r := []rune(x)
			x = string(r[:shortText]) + "…"
		}
		return quoted(x)
	case []string:
		b, _ := json.Marshal(x)
		return code(string(b))
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case model.Date:
		return x.String()
	default:
		return mdEscape(fmt.Sprint(x))
	}
}

// excerpt shortens two long texts to the stretch where they differ: the common prefix and
// suffix are cut to about excerptContext characters (widened to whole words when the word
// boundary is near) and
// replaced by "…", and a changed stretch
// longer than maxMiddle is cut in its middle. Texts of up to shortText characters are returned
// whole.
func excerpt(old, new string) (string, string) {
	o, n := []rune(old), []rune(new)
	if len(o) <= shortText && len(n) <= shortText {
		return old, new
	}
	p := 0
	for p < len(o) && p < len(n) && o[p] == n[p] {
		p++
	}
	s := 0
	for s < len(o)-p && s < len(n)-p && o[len(o)-1-s] == n[len(n)-1-s] {
		s++
	}
	cut := func(r []rune) string {
		var b strings.Builder
		// The cuts widen to keep a word whole when its boundary (or the text's end) is near.
		start := max(0, p-excerptContext)
		w := start
		for w > 0 && start-w < wordSnap && r[w-1] != ' ' {
			w--
		}
		if w == 0 || r[w-1] == ' ' {
			start = w
		}
		if start > 0 {
			b.WriteString("…")
		}
		b.WriteString(string(r[start:p]))
		mid := r[p : len(r)-s]
		if len(mid) > maxMiddle {
			half := maxMiddle / 2
			b.WriteString(string(mid[:half]) + " … " + string(mid[len(mid)-half:]))
		} else {
			b.WriteString(string(mid))
		}
		end := min(len(r), len(r)-s+excerptContext)
		e := end
		for e < len(r) && e-end < wordSnap && r[e] != ' ' {
			e++
		}
		if e == len(r) || r[e] == ' ' {
			end = e
		}
		b.WriteString(string(r[len(r)-s : end]))
		if end < len(r) {
			b.WriteString("…")
		}
		return b.String()
	}
	return cut(o), cut(n)
}

// ChangelogMarkdown assembles CHANGELOG.md from release sections (each as Markdown returns
// it): a title, a short introduction, then the sections newest first, ordered by the version
// in their "## [x.y.z]" heading ("Unreleased" first, unreadable headings last, in the given
// order).
func ChangelogMarkdown(sections []string) string {
	type sec struct {
		text       string
		unreleased bool
		ok         bool
		v          Version
	}
	ss := make([]sec, len(sections))
	for i, s := range sections {
		ss[i].text = strings.TrimSpace(s)
		head, _, _ := strings.Cut(ss[i].text, "\n")
		if rest, found := strings.CutPrefix(head, "## ["); found {
			name, _, _ := strings.Cut(rest, "]")
			if name == "Unreleased" {
				ss[i].unreleased = true
			} else if v, err := ParseVersion(name); err == nil {
				ss[i].ok, ss[i].v = true, v
			}
		}
	}
	rank := func(s sec) int {
		switch {
		case s.unreleased:
			return 0
		case s.ok:
			return 1
		}
		return 2
	}
	sort.SliceStable(ss, func(i, j int) bool {
		ri, rj := rank(ss[i]), rank(ss[j])
		if ri != rj {
			return ri < rj
		}
		return ri == 1 && ss[j].v.Less(ss[i].v)
	})
	var b strings.Builder
	b.WriteString("# Changelog\n\n")
	b.WriteString("All notable changes to the standpunten dataset, one section per release, newest first. " +
		"The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/); versions follow " +
		"[Semantic Versioning](https://semver.org/) as the Frictionless data-package recipe applies it to data: " +
		"major for removed or retyped columns, changed keys and tightened constraints; minor for added documents, " +
		"tables, columns or rows, removed rows and loosened constraints; patch for corrected values and descriptions. " +
		"Each release folder holds the full list in changes.json.\n")
	for _, s := range ss {
		b.WriteString("\n" + s.text + "\n")
	}
	return b.String()
}
