package site

import (
	"fmt"
	"strings"

	"github.com/standpunten/standpunten/pipeline/changes"
)

// changesView is one release's changelog section as the pages show it. The sentences of
// changes.json (reasons, schema changes) are in English; the templates mark them lang="en".
type changesView struct {
	First, None                         bool
	Notes                               [][]span // paragraphs of the operator's notes (text, with `code` spans)
	Pre, Level, Post                    string   // "A " + "minor" + " release after 1.0.0 because:"
	Reasons                             []string
	DocsAdded, DocsChanged, DocsRemoved []docChange
	Tables                              []tableChange
	Schema                              []string
	Validation                          string
	ValidationOK                        bool
	HasValidation                       bool
	ChangesHref                         string
	L                                   labels
}

type docChange struct{ ID, Title, RawPath string }

// span is a stretch of the notes' text: plain, or a Markdown code span (`…`). Both are text to
// the template, which escapes them; Code only chooses the element.
type span struct {
	Text string
	Code bool
}

// codeSpans splits a paragraph of the notes (Markdown) at its code spans, the one piece of
// Markdown the notes use for names of files and fields. A backtick without its pair is text.
func codeSpans(s string) []span {
	var out []span
	for {
		a := strings.IndexByte(s, '`')
		if a < 0 {
			break
		}
		b := strings.IndexByte(s[a+1:], '`')
		if b < 0 {
			break
		}
		if a > 0 {
			out = append(out, span{Text: s[:a]})
		}
		if code := s[a+1 : a+1+b]; code != "" {
			out = append(out, span{Text: code, Code: true})
		}
		s = s[a+2+b:]
	}
	if s != "" {
		out = append(out, span{Text: s})
	}
	return out
}

type tableChange struct {
	Table, Before, After, Added, Removed, Modified, Moved string
}

// viewChanges turns c into its view; href is where the release's changes.json is, relative to
// the page.
func viewChanges(c *changes.Changes, l *lang, href string) *changesView {
	if c == nil {
		return nil
	}
	v := &changesView{First: c.FirstRelease, ChangesHref: href, L: l.L}
	for _, para := range strings.Split(strings.TrimSpace(c.Notes), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			v.Notes = append(v.Notes, codeSpans(strings.Join(strings.Fields(para), " ")))
		}
	}
	if !c.FirstRelease {
		if c.Level == changes.LevelNone {
			v.None = true
		} else {
			v.Level = c.Level.String()
			after := ""
			if c.Previous != "" {
				after = c.Previous
			}
			switch l.Code {
			case "nl":
				v.Pre, v.Post = "Een ", "-release"
				if after != "" {
					v.Post += " na " + after
				}
				v.Post += ", omdat:"
			default:
				v.Pre, v.Post = "A ", " release"
				if after != "" {
					v.Post += " after " + after
				}
				v.Post += " because:"
			}
			v.Reasons = c.Reasons
		}
	}
	doc := func(ds []changes.DocumentChange) []docChange {
		var out []docChange
		for _, d := range ds {
			out = append(out, docChange{ID: d.DocumentID, Title: d.Title, RawPath: d.RawPath})
		}
		return out
	}
	if !c.FirstRelease {
		v.DocsAdded, v.DocsChanged, v.DocsRemoved = doc(c.Documents.Added), doc(c.Documents.Changed), doc(c.Documents.Removed)
	}
	n := func(x int) string { return l.Int(int64(x)) }
	for _, t := range c.Tables {
		v.Tables = append(v.Tables, tableChange{Table: t.Table, Before: n(t.RowsBefore), After: n(t.RowsAfter),
			Added: n(t.Added), Removed: n(t.Removed), Modified: n(t.Modified), Moved: n(t.Moved)})
	}
	for _, s := range c.Schema {
		v.Schema = append(v.Schema, s.Text)
	}
	if val := c.Validation; val != nil {
		v.HasValidation, v.ValidationOK = true, val.Valid
		v.Validation = validationText(val, l)
	}
	return v
}

func validationText(val *changes.Validation, l *lang) string {
	state := l.L.ValidationPassed
	if !val.Valid {
		state = l.L.ValidationFailed
	}
	return fmt.Sprintf("%s: %s %s, %s %s, %s %s", state, l.Int(val.ChecksRun), l.L.ChecksRun,
		l.Int(val.Errors), l.L.Errors, l.Int(val.Warnings), l.L.Warnings)
}
