package extract

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/standpunten/standpunten/internal/wordscan"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// Extract runs the parser of src's format over the decoded text. lex holds the hyphenated words of
// the whole corpus (see Lexicon); it decides which line-end hyphens are kept.
func Extract(ctx context.Context, reg *registry.Registry, src registry.Source, t *Text, lex Lexicon) (*model.Extracted, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := &parser{t: t, src: src, m: reg.Matcher, lex: lex, lines: splitLines(t.S), regDir: reg.Dir}
	p.out.Document = model.Document{
		ID: src.ID, Title: src.Title, Format: src.Format, ElectionID: src.Election, Topic: src.Topic,
		Language: src.Language, Publisher: src.Publisher, SourceURL: src.SourceURL,
		RawPath: "raw/" + strings.TrimPrefix(src.File, "./"), RawBytes: int64(len(t.Raw)), Encoding: src.Encoding,
	}
	if src.Published != "" {
		d, _ := model.ParseDate(src.Published) // checked by the registry
		p.out.Document.Published = &d
	}
	if src.License != "" {
		l := src.License
		p.out.Document.License = &l
	}
	var err error
	switch src.Format {
	case model.FormatPartySummaries:
		err = p.partySummaries()
	case model.FormatScoreOverview:
		err = p.scoreOverview()
	case model.FormatProgrammeChapter:
		err = p.programmeChapter()
	case model.FormatPledgeDocument:
		err = p.pledgeDocument()
	case model.FormatProgrammeText:
		err = p.programmeText()
	default:
		err = fmt.Errorf("format %q has no parser", src.Format)
	}
	if err != nil {
		return nil, err
	}
	if p.out.Document.Title == "" {
		return nil, p.errAt(0, "the text has no title of its own and sources.toml gives none", "add title = \"…\" to the document's entry")
	}
	if t.bom > 0 {
		p.out.Spans = append(p.out.Spans, model.Span{Start: 0, End: int64(t.bom), Class: model.ClassStructure, Label: "byte_order_mark"})
	}
	sort.SliceStable(p.out.Spans, func(i, j int) bool { return p.out.Spans[i].Start < p.out.Spans[j].Start })
	return &p.out, nil
}

type line struct {
	start, end int // byte offsets into the decoded text; end excludes the line break
	num        int // 1-based
}

// splitLines cuts s into lines. A line ends at LF, CRLF, a lone CR (old Mac text) or the Unicode
// line and paragraph separators U+2028 and U+2029; every one is one line break.
func splitLines(s string) []line {
	ls := make([]line, 0, strings.Count(s, "\n")+1)
	start, num := 0, 1
	for i := 0; i < len(s); {
		at, n := nextBreak(s, i)
		if n == 0 {
			break
		}
		ls = append(ls, line{start, at, num})
		i = at + n
		start, num = i, num+1
	}
	if start < len(s) {
		ls = append(ls, line{start, len(s), num})
	}
	return ls
}

// breakFirst marks the bytes a line break can start with (breakAt).
var breakFirst = [256]bool{'\n': true, '\r': true, 0xE2: true}

// nextBreak returns where the first line break at or after s[i] starts and its length, or
// (len(s), 0) when there is none.
func nextBreak(s string, i int) (int, int) {
	for ; ; i++ {
		if i = breakCandidate(s, i); i == len(s) {
			return len(s), 0
		}
		if n := breakAt(s, i); n > 0 {
			return i, n
		}
	}
}

// breakCandidate returns the index of the first byte at or after s[i] that a line break can start
// with (breakFirst), or len(s): eight bytes at a time while none of them is one, then byte by byte.
func breakCandidate[T string | []byte](s T, i int) int {
	for ; i+8 <= len(s); i += 8 {
		w := wordscan.Load64(s, i)
		if wordscan.HasByte(w, '\n') || wordscan.HasByte(w, '\r') || wordscan.HasByte(w, 0xE2) {
			break
		}
	}
	for i < len(s) && !breakFirst[s[i]] {
		i++
	}
	return i
}

// lineStart returns where the line that holds s[i] starts: just after the last line break before
// i, or 0. A break is found from its last byte: LF, CR (a CR before an LF is not the last byte of
// its break, but then i is not inside it either), or the last byte of U+2028 or U+2029.
func lineStart(s string, i int) int {
	for j := i - 1; j >= 0; j-- {
		switch s[j] {
		case '\n', '\r':
			return j + 1
		case 0xA8, 0xA9:
			if j >= 2 && s[j-1] == 0x80 && s[j-2] == 0xE2 {
				return j + 1
			}
		}
	}
	return 0
}

// breakAt returns the length of the line break that starts at s[i], or 0.
func breakAt[T string | []byte](s T, i int) int {
	switch s[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xE2: // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
		if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

type parser struct {
	t     *Text
	src   registry.Source
	m     *registry.Matcher
	lex   Lexicon
	lines []line
	out   model.Extracted
	// regDir is the raw folder, where sources.toml is (for messages about a registry entry).
	regDir string
}

// trim returns the offsets of l without leading and trailing white space (including NBSP).
func (p *parser) trim(l line) (int, int) {
	s, e := l.start, l.end
	for s < e {
		r, n := utf8.DecodeRuneInString(p.t.S[s:e])
		if !isSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(p.t.S[s:e])
		if !isSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

func (p *parser) content(l line) string {
	s, e := p.trim(l)
	return p.t.S[s:e]
}

func (p *parser) span(start, end int, class model.Class, label string) {
	if start >= end {
		return
	}
	p.out.Spans = append(p.out.Spans, model.Span{Start: p.t.RawOffset(start), End: p.t.RawOffset(end), Class: class, Label: label})
}

// unit adds a unit and returns its 1-based position (the value a child's Parent holds).
func (p *parser) unit(u model.Unit, start, end int) int {
	u.Start, u.End = p.t.RawOffset(start), p.t.RawOffset(end)
	if u.Line == 0 {
		u.Line = int64(p.lineOf(start))
	}
	p.out.Units = append(p.out.Units, u)
	return len(p.out.Units)
}

func (p *parser) lineOf(off int) int {
	i := sort.Search(len(p.lines), func(i int) bool { return p.lines[i].end >= off })
	if i == len(p.lines) {
		return len(p.lines)
	}
	return p.lines[i].num
}

// errAt reports a problem at a decoded offset, with the line and column of the raw file.
func (p *parser) errAt(off int, msg, hint string) error {
	l, c := 0, 0
	if off > 0 || len(p.t.S) > 0 {
		l, c = position(p.t.Raw, int(p.t.RawOffset(off)))
	}
	return model.Classified(model.ErrInput, &model.SourceError{File: p.t.File, Line: l, Col: c, Msg: msg, Hint: hint})
}

// unknownParty reports a name where a party must be named, with the closest known alias.
func (p *parser) unknownParty(off int, name string) error {
	return p.errAt(off, fmt.Sprintf("%q names no known party", name),
		fmt.Sprintf("the closest known alias is %q; add the spelling to raw/parties.toml if it is one", p.m.Closest(name)))
}

func (p *parser) cover(partyID, note string) {
	for i, c := range p.out.Covered {
		if c.PartyID == partyID {
			if note != "" {
				p.out.Covered[i].Note = note
			}
			return
		}
	}
	p.out.Covered = append(p.out.Covered, model.Coverage{PartyID: partyID, Note: note})
}
