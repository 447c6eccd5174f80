package extract

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// Dropped-span reasons of programme texts.
const (
	ReasonOutsideSelection = "outside_selection"
	ReasonPageNumber       = "page_number"
	ReasonRunningHeader    = "running_header"
	ReasonLineNumber       = "line_number"
	ReasonFurniturePattern = "furniture_pattern"
	ReasonMarkup           = "markup"
)

// programmeText reads a programme text: a chapter of a party programme (or an open letter, a
// position paper) as plain text extracted from a PDF, or written in Markdown.
func (p *parser) programmeText() error {
	first, last, err := p.selection()
	if err != nil {
		return err
	}
	if p.src.Party != "" {
		p.cover(p.src.Party, "")
	}
	if p.src.Markup == registry.MarkupMarkdown {
		return p.markdown(first, last)
	}
	return p.pdfText(first, last)
}

// selection applies the registry's lines = [from, to]: the lines outside it are dropped as
// outside_selection. It returns the 0-based half-open range of p.lines to read.
func (p *parser) selection() (int, int, error) {
	if p.src.Lines == nil {
		return 0, len(p.lines), nil
	}
	from, to := p.src.Lines[0], p.src.Lines[1]
	if to > len(p.lines) {
		return 0, 0, model.Classified(model.ErrConfig, &model.SourceError{
			File: filepath.Join(p.regDir, registry.SourcesFile), Line: p.src.LinesAt[0], Col: p.src.LinesAt[1],
			Msg:  fmt.Sprintf("document %q: lines = [%d, %d], but %s has %d lines", p.src.ID, from, to, p.src.File, len(p.lines)),
			Hint: "give a range inside the file; lines are counted from 1"})
	}
	for i, l := range p.lines {
		if i < from-1 || i >= to {
			s, e := p.trim(l)
			p.span(s, e, model.ClassDropped, ReasonOutsideSelection)
		}
	}
	return from - 1, to, nil
}

// A seg is a stretch of one line that survives furniture removal and glue splitting: the input of
// unit assembly.
type seg struct {
	start, end int  // decoded offsets, trimmed
	line       int  // index into p.lines
	lineStart  bool // the segment starts its line (nothing but white space or furniture before it)
	lineEnd    bool // the segment ends its line
	glued      bool // the segment starts right after a glue split (no space) inside a line
	afterBlank bool // a blank line lies between this segment and the previous one
	trailing   bool // the line has white space after the segment (lineEnd only)
	indented   bool // the line starts with white space
	heading    bool // a label split off a line's end that is a heading whatever came before
	drop       string
}

// A cut is a range of decoded bytes to drop, with its reason.
type cut struct {
	start, end int
	reason     string
}

var (
	pageLineRE    = anchoredAt(`^[0-9]{1,4}([ \t]+[0-9]{1,4})?$`, digits)
	paginaRE      = regexp.MustCompile(`(?i)\b(pagina|page|blz\.?)[ \t]*[0-9]*[ \t]*(van|of|/)[ \t]*[0-9]+([ \t]+[0-9]+)?`)
	capsLabelRE   = regexp.MustCompile(`\p{Ll}[ \t]+([0-9]{1,2}\.?[ \t]+\p{Lu}{3,}(?:[ \t]+[\p{Lu}&]{2,}){0,5})$`)
	tailRE        = regexp.MustCompile(`[.!?]["”’)]?[ \t\x{00A0}]+(\p{Lu}[^.!?:;,•]{2,60})$`)
	gluedEndRE    = regexp.MustCompile(`([\p{L}.!?:;,)’”" \t])([0-9]{1,3}(?:[ \t]+[0-9]{1,3})?)$`)
	gluedStartRE  = anchoredAt(`^([0-9]{1,3})(\p{Lu}[\p{Ll}\p{Lu}])`, digits)
	gluedMidRE    = regexp.MustCompile(`[ \t]([0-9]{1,3})\p{Ll}{2,}|[\p{Ll}.!?:;)’”]([0-9]{1,3})\p{Lu}\p{Ll}|[.!?:;)’”]([0-9]{1,3})[ \t]+[•▶►■▪●]`)
	bulletRE      = anchoredAt(`^(?:[•▶►›■▪●◦○·◆◇▸➢➤✓✔\x{F0B7}\x{F0A7}\x{F076}\x{F0D8}\x{F0FC}\x{E000}-\x{F8FF}][ \t\x{00A0}]*)+`, "\x80")
	dashBulletRE  = anchoredAt(`^[-–—*][ \t\x{00A0}]+`, "-*\x80")
	wingdingsRE   = anchoredAt(`^6(\p{Lu}\p{Ll})`, "6")
	numberRE      = anchoredAt(`^([0-9]{1,3}(?:\.[0-9]{1,3}){0,3})(?:[ \t]*[.)])?[ \t\x{00A0}]+`, digits)
	chapterRE     = anchoredAt(`^(?i:hoofdstuk)[ \t]+([0-9]{1,3}[a-z]?)\b`, "hH")
	glueSentRE    = regexp.MustCompile(`[\p{Ll})\]’”][.!?:]\p{Lu}`)
	glueBulletRE  = regexp.MustCompile(`[.!?:;]["”’)]?[ \t]*([•▶►■▪●\x{F0B7}\x{F0A7}])|[.!?;]["”’)]?[ \t]+(6)\p{Lu}\p{Ll}`)
	gluePointRE   = regexp.MustCompile(`[.!?;:]["”’)]?[ \t]+([0-9]{1,2})(?:[.)][ \t]+|[ \t]{2,})\p{Lu}`)
	glueCapsRE    = regexp.MustCompile(`\p{Ll}\p{Lu}{4,}`)
	glueCapsWord  = regexp.MustCompile(`\p{Lu}{3,}\p{Lu}\p{Ll}{2,}`)
	furnitureWord = regexp.MustCompile(`(?i)programma|hoofdstuk|pagina|inhoudsopgave`)
)

// digits are the first bytes of the patterns that start with a number (anchoredAt).
const digits = "0123456789"

// pdfText reads plain text extracted from a PDF. See doc.go for the rules; in short: find the page
// furniture, cut it out, split lines where a heading or a new unit was glued on, then assemble
// paragraphs, bullets and numbered points from the hard-wrapped lines, with headings as structure.
func (p *parser) pdfText(first, last int) error {
	cuts := p.furniture(first, last)
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].start < cuts[j].start })
	for _, c := range cuts {
		p.span(c.start, c.end, model.ClassDropped, c.reason)
	}
	segs := p.segments(first, last, cuts)
	w := p.lineWidth(segs)
	segs = p.splitTails(segs, w)
	a := &assembler{p: p, w: w, party: p.src.Party, lastEnd: true, cuts: cuts}
	a.tsMode = trailingSpaceMode(p, segs)
	a.indentRare = indentRare(p, first, last)
	for i := range segs {
		var next *seg
		if i+1 < len(segs) {
			next = &segs[i+1]
		}
		a.add(segs[i], next)
	}
	a.flush()
	if len(p.out.Units) == 0 {
		return p.errAt(0, "no paragraph, bullet or numbered point found in the text", "check that the file holds the programme text and that lines = [from, to] selects it")
	}
	return nil
}

// furniture finds the page furniture of lines [first, last): registry patterns, page-number lines,
// running headers and footers (repeated at line starts or ends, page numbers masked), and page
// numbers glued to text.
func (p *parser) furniture(first, last int) []cut {
	lines := make([]content, 0, last-first)
	for i := first; i < last; i++ {
		s, e := p.trim(p.lines[i])
		lines = append(lines, content{s, e})
	}
	lc := newLineCuts(lines)
	covered, add := lc.covered, lc.add
	// 1. The registry's patterns, anywhere in a line.
	for _, re := range p.src.FurnitureRE {
		for _, l := range lines {
			for _, m := range re.FindAllStringIndex(p.t.S[l.s:l.e], -1) {
				s, e := p.trimRange(l.s+m[0], l.s+m[1])
				add(s, e, ReasonFurniturePattern)
			}
		}
	}
	// 1b. Printed line numbers: a number at the start of many lines that goes up with the line.
	for _, c := range p.lineNumbers(lines) {
		add(c.start, c.end, ReasonLineNumber)
	}
	// 2. Lines that are only a page number (or two, on a spread), or "Pagina x van y".
	var pages []pageCand
	for _, l := range lines {
		t := p.t.S[l.s:l.e]
		if t == "" || covered(l.s, l.e) {
			continue
		}
		for _, m := range pagina(t) {
			add(l.s+m[0], l.s+m[1], ReasonPageNumber)
			pages = append(pages, pageCand{n: -1})
		}
		if pageLineRE.MatchString(t) {
			add(l.s, l.e, ReasonPageNumber)
			for _, f := range strings.Fields(t) {
				if n, err := strconv.Atoi(f); err == nil {
					pages = append(pages, pageCand{n: n, sure: true})
				}
			}
		}
	}
	// 3. Running headers and footers: a stretch at the start or end of two or more lines that is
	// the same once digits are masked, and that looks like furniture rather than prose.
	holding := map[string][]int{} // linesHolding by literal: headers often share one ("overheid")
	for _, h := range p.repeatedEdges(lc.ranges()) {
		varying := strings.Contains(h.re.String(), "[0-9]{1,4}")
		ks, ok := holding[h.lit]
		if !ok {
			ks = p.linesHolding(lines, h.lit)
			holding[h.lit] = ks
		}
		for _, k := range ks {
			l := lines[k]
			for _, m := range h.pat.findAll(p.t.S[l.s:l.e]) {
				s, e := p.trimRange(l.s+m[0], l.s+m[1])
				add(s, e, ReasonRunningHeader)
				if varying {
					// The number that varies in a header is its page number.
					for _, f := range numbersIn(p.t.S[s:e]) {
						pages = append(pages, pageCand{n: f, s: -1})
					}
				}
			}
		}
	}
	// What is left of a line after its header went may be just the page number ("…2021 78").
	var rest [][2]int // what is left of a line, reused line after line
	for k, l := range lines {
		rest = p.appendResidual(rest[:0], l.s, l.e, lc.of[k])
		for _, r := range rest {
			if t := p.t.S[r[0]:r[1]]; pageLineRE.MatchString(t) && !(r[0] == l.s && r[1] == l.e) {
				add(r[0], r[1], ReasonPageNumber)
				for _, f := range strings.Fields(t) {
					n, _ := strconv.Atoi(f)
					pages = append(pages, pageCand{n: n, sure: true})
				}
			}
		}
	}
	// 4. Page numbers glued to text: at a line end ("hier44"), a line start ("29EERLIJKE") or inside
	// a line ("producten 14uit"). Kept only when another page number of the text is near it, so a
	// number in the text is not taken for one.
	var glued []pageCand
	for k, l := range lines {
		rest = p.appendResidual(rest[:0], l.s, l.e, lc.of[k])
		for _, r := range rest {
			t := p.t.S[r[0]:r[1]]
			if m := gluedEnd(t); m != nil && !p.knownToken(t, m[4]) {
				f := strings.Fields(t[m[4]:m[5]])
				n, _ := strconv.Atoi(f[0])
				pair := false
				if len(f) == 2 {
					n2, _ := strconv.Atoi(f[1])
					pair = n2 == n+1
				}
				glued = append(glued, pageCand{n: n, s: r[0] + m[4], e: r[0] + m[5], sure: pair})
			}
			if m := gluedStartRE.FindStringSubmatchIndex(t); m != nil && !p.knownToken(t, 0) {
				n, _ := strconv.Atoi(t[m[2]:m[3]])
				glued = append(glued, pageCand{n: n, s: r[0] + m[2], e: r[0] + m[3]})
			}
			for _, m := range gluedMid(t) {
				a, b := m[2], m[3]
				for k := 4; a < 0 && k+1 < len(m); k += 2 {
					a, b = m[k], m[k+1]
				}
				if p.knownToken(t, a) || ordinal(t[b:]) {
					continue
				}
				n, _ := strconv.Atoi(t[a:b])
				glued = append(glued, pageCand{n: n, s: r[0] + a, e: r[0] + b})
			}
		}
	}
	for _, g := range glued {
		near := g.sure
		for _, q := range append(pages, glued...) {
			if q.n >= 0 && q.s != g.s && q.n != g.n && abs(q.n-g.n) <= 4 || q.sure && q.n == g.n {
				near = true
			}
		}
		if near {
			add(g.s, g.e, ReasonPageNumber)
		}
	}
	return lc.all
}

// lineCuts are the cuts furniture has made so far in a text's lines: all of them, in the order
// they were made, and for each line those that overlap it, in the same order. A cut lies inside
// one line (each is found in one line's text), so looking only at its line's cuts tells whether
// it overlaps another, and what is left of a line, as looking at every cut would.
type lineCuts struct {
	lines []content
	all   []cut
	of    [][]cut // of[k]: the cuts that overlap lines[k]
}

func newLineCuts(lines []content) *lineCuts {
	return &lineCuts{lines: lines, of: make([][]cut, len(lines))}
}

// span returns the lines [from, to) whose content overlaps [s, e), s < e.
func (lc *lineCuts) span(s, e int) (int, int) {
	from := sort.Search(len(lc.lines), func(k int) bool { return lc.lines[k].e > s })
	to := from
	for to < len(lc.lines) && lc.lines[to].s < e {
		to++
	}
	return from, to
}

// covered reports whether a cut overlaps [s, e).
func (lc *lineCuts) covered(s, e int) bool {
	from, to := lc.span(s, e)
	for k := from; k < to; k++ {
		for _, c := range lc.of[k] {
			if s < c.end && c.start < e {
				return true
			}
		}
	}
	return false
}

// add cuts [s, e) for reason, unless it is empty or a cut overlaps it.
func (lc *lineCuts) add(s, e int, reason string) {
	if s >= e || lc.covered(s, e) {
		return
	}
	c := cut{s, e, reason}
	lc.all = append(lc.all, c)
	from, to := lc.span(s, e)
	for k := from; k < to; k++ {
		lc.of[k] = append(lc.of[k], c)
	}
}

// ranges are the lines that are neither blank nor cut as a whole.
func (lc *lineCuts) ranges() [][2]int {
	out := make([][2]int, 0, len(lc.lines))
	for k, l := range lc.lines {
		if l.s == l.e {
			continue
		}
		whole := false
		for _, c := range lc.of[k] {
			if c.start <= l.s && l.e <= c.end {
				whole = true
			}
		}
		if !whole {
			out = append(out, [2]int{l.s, l.e})
		}
	}
	return out
}

// numbersIn returns the numbers of up to three digits in s.
func numbersIn(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if n, err := strconv.Atoi(f); err == nil && len(f) <= 3 {
			out = append(out, n)
		}
	}
	return out
}

// ordinal reports whether the letters after a number make it an ordinal or a unit ("20ste eeuw").
func ordinal(after string) bool {
	for _, suf := range []string{"ste", "de", "e", "jarig", "procent", "jaar"} {
		if rest, ok := strings.CutPrefix(after, suf); ok {
			r, _ := utf8.DecodeRuneInString(rest)
			if !unicode.IsLetter(r) || suf == "jarig" {
				return true
			}
		}
	}
	return false
}

type pageCand struct {
	n    int
	s, e int
	sure bool // a line of its own
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// knownToken reports whether the word around offset i of t (digits and letters) is a party alias
// or occurs more than once in the text, like "50PLUS" or "JA21": then its digits are no page number.
func (p *parser) knownToken(t string, i int) bool {
	s, e := i, i
	for s > 0 {
		r, n := utf8.DecodeLastRuneInString(t[:s])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		s -= n
	}
	for e < len(t) {
		r, n := utf8.DecodeRuneInString(t[e:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		e += n
	}
	w := t[s:e]
	if p.m != nil {
		if _, ok := p.m.Exact(w); ok {
			return true
		}
	}
	return strings.Count(p.t.S, w) > 1
}

var lineNumberRE = anchoredAt(`^([0-9]{1,4})[ \t]+\S`, digits)

// lineNumbers finds printed line numbers (a concept programme numbered for amendments): numbers at
// the start of lines that go up by one per line (or by five every five lines), on six lines or more,
// most of them running text that the next line continues, so that a list of one-line numbered points
// is not taken for them.
func (p *parser) lineNumbers(lines []content) []cut {
	type cand struct{ idx, n, s, e int }
	groups := map[int][]cand{}
	for i, l := range lines {
		t := p.t.S[l.s:l.e]
		if m := lineNumberRE.FindStringSubmatchIndex(t); m != nil {
			n, _ := strconv.Atoi(t[m[2]:m[3]])
			groups[n-i] = append(groups[n-i], cand{i, n, l.s + m[2], l.s + m[3]})
		}
	}
	var out []cut
	for _, g := range groups {
		if len(g) < 6 {
			continue
		}
		wrapped := 0
		for _, c := range g {
			if c.idx+1 < len(lines) {
				next := p.t.S[lines[c.idx+1].s:lines[c.idx+1].e]
				if m := lineNumberRE.FindStringSubmatchIndex(next); m != nil {
					next = next[m[3]:]
				}
				if opensLower(strings.TrimSpace(next)) {
					wrapped++
				}
			}
		}
		if wrapped*2 < len(g) {
			continue
		}
		for _, c := range g {
			out = append(out, cut{c.s, c.e, ReasonLineNumber})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// content is the trimmed content of one line.
type content struct{ s, e int }

// trimRange shrinks [s, e) to its non-space part.
func (p *parser) trimRange(s, e int) (int, int) {
	return p.trim(line{start: s, end: e})
}

// residual returns the parts of [s, e) that no cut covers, trimmed.
func (p *parser) residual(s, e int, cuts []cut) [][2]int { return p.appendResidual(nil, s, e, cuts) }

// appendResidual appends residual(s, e, cuts) to out.
func (p *parser) appendResidual(out [][2]int, s, e int, cuts []cut) [][2]int {
	pos := s
	for _, c := range cuts {
		if c.end <= pos || c.start >= e {
			continue
		}
		if c.start > pos {
			if a, b := p.trimRange(pos, c.start); a < b {
				out = append(out, [2]int{a, b})
			}
		}
		pos = max(pos, c.end)
	}
	if pos < e {
		if a, b := p.trimRange(pos, e); a < b {
			out = append(out, [2]int{a, b})
		}
	}
	return out
}

// masked is a stretch of the decoded text with every run of digits made one '#' and every run of
// white space one ' '.
type masked struct {
	s     string
	start int       // decoded offset of s[0]
	runs  []maskRun // the runs that became one byte, in order
}

// maskRun is a run of digits or white space, decoded text [from, to), that is the one byte s[at].
// Only runs of two bytes or more are listed: a run of one byte maps onto its byte in s like the
// copied bytes around it.
type maskRun struct{ at, from, to int }

// off is the decoded offset of s[i], for i at a rune boundary of s or len(s) (the end). Between two
// listed runs s is a copy of the decoded text, byte for byte.
func (m *masked) off(i int) int {
	k := sort.Search(len(m.runs), func(k int) bool { return m.runs[k].at > i }) - 1
	if k < 0 {
		return m.start + i
	}
	r := m.runs[k]
	if r.at == i {
		return r.from
	}
	return r.to + i - r.at - 1
}

func (p *parser) mask(s, e int) masked {
	b, runs := appendMask(nil, nil, p.t.S, s, e)
	return masked{s: string(b), start: s, runs: runs}
}

// plainByte[c] is set for the ASCII bytes that masking copies as they are: neither a digit nor
// white space.
var plainByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !isDigitByte(byte(c)) && !asciiSpace(byte(c))
	}
	return t
}()

// appendMask appends the masked text of S[s:e] (see masked) to b, and its runs of two bytes or
// more to runs, each at counted from len(b) on entry.
func appendMask(b []byte, runs []maskRun, S string, s, e int) ([]byte, []maskRun) {
	b0 := len(b)
	for i := s; i < e; {
		if plainByte[S[i]] {
			// Plain ASCII (the common case), copied as is, as far as it goes; a lone space
			// between two plain bytes is copied too (it masks to itself).
			j := i + 1
			for j < e {
				if c := S[j]; plainByte[c] {
					j++
				} else if c == ' ' && j+1 < e && plainByte[S[j+1]] {
					j += 2
				} else {
					break
				}
			}
			b = append(b, S[i:j]...)
			i = j
			continue
		}
		var digit bool
		if c := S[i]; c < utf8.RuneSelf {
			digit = isDigitByte(c) // else white space
		} else {
			r, n := utf8.DecodeRuneInString(S[i:])
			digit = unicode.IsDigit(r)
			if !digit && !isSpace(r) {
				b = append(b, S[i:i+n]...)
				i += n
				continue
			}
		}
		j := i
		for j < e {
			if c := S[j]; c < utf8.RuneSelf {
				if digit && !isDigitByte(c) || !digit && !asciiSpace(c) {
					break
				}
				j++
				continue
			}
			r2, n2 := utf8.DecodeRuneInString(S[j:])
			if digit && !unicode.IsDigit(r2) || !digit && !isSpace(r2) {
				break
			}
			j += n2
		}
		if digit {
			b = append(b, '#')
		} else {
			b = append(b, ' ')
		}
		if j-i > 1 {
			// A run of one byte (a lone space or digit) stays where it was: no entry needed.
			runs = append(runs, maskRun{at: len(b) - b0 - 1, from: i, to: j})
		}
		i = j
	}
	return b, runs
}

// asciiSpace reports the ASCII characters that unicode.IsSpace (and so isSpace) accepts.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// repeatedEdges finds running headers and footers: a run of three or more words (digits masked,
// words also split where lower case runs into capitals, "samenlevingVERKIEZINGSPROGRAMMA") that
// occurs in two or more lines and looks like furniture rather than prose: a number in it differs
// between its occurrences (a page number), it is in capitals, it names the document kind
// ("programma", "hoofdstuk", "pagina"), or it is glued to a word without a space. It returns each
// as a pattern (a number that varies matches any number), longest first.
func (p *parser) repeatedEdges(ranges [][2]int) []headerRE {
	const maxRun = 24
	ms := make([]masked, len(ranges))
	toks := make([][]tok, len(ranges))
	// The masked lines, one after the other in one buffer (masking never makes a line longer),
	// with their runs in one slice.
	size := 0
	for _, r := range ranges {
		size += r[1] - r[0]
	}
	buf := make([]byte, 0, size)
	var runs []maskRun
	ends := make([][2]int, len(ranges)) // where each line's masked text and runs end
	for i, r := range ranges {
		buf, runs = appendMask(buf, runs, p.t.S, r[0], r[1])
		ends[i] = [2]int{len(buf), len(runs)}
	}
	text := string(buf)
	from, runFrom := 0, 0
	for i, r := range ranges {
		to, runTo := ends[i][0], ends[i][1]
		ms[i] = masked{s: text[from:to], start: r[0], runs: runs[runFrom:runTo:runTo]}
		from, runFrom = to, runTo
	}
	// The words of the lines, one line after the other in chunks of memory: a line has at most a
	// word per byte, so a line that fits in what is left of a chunk never moves it.
	var all []tok
	for i := range ranges {
		if cap(all)-len(all) < len(ms[i].s) {
			all = make([]tok, 0, max(len(ms[i].s), 16<<10))
		}
		n := len(all)
		all = appendMaskedTokens(all, ms[i].s)
		toks[i] = all[n:len(all):len(all)]
	}
	// Longest runs first, so that a header is taken whole and its shorter parts add nothing.
	seen := longestFirst(recurringRunList(ms, toks, 3, maxRun))
	var out []headerRE
	taken := map[[2]int]bool{} // (line, token) already in a header
	for _, r := range seen {
		o := r.occ
		free := len(taken) == 0
		for _, x := range o {
			if free {
				break
			}
			free = !taken[[2]int{x.line, x.from}] && !taken[[2]int{x.line, x.to - 1}]
		}
		if !free {
			continue // every occurrence is inside a longer header already (the run itself recurs)
		}
		// A run may not end in ".#": that is a section number glued on ("…2017-20212.4.4 Titel").
		if x := o[0]; x.to-x.from >= 5 {
			last, dot := ms[x.line].s[toks[x.line][x.to-1].s:toks[x.line][x.to-1].e], ms[x.line].s[toks[x.line][x.to-2].s:toks[x.line][x.to-2].e]
			if last == "#" && dot == "." {
				continue
			}
		}
		// A run may not end in a party's name that follows the header in every occurrence
		// ("JA21 Verkiezingsprogramma 2023JA21 wil:"): the shorter run is tried instead.
		endsInName := func(x runOcc) bool {
			m := ms[x.line]
			for k := x.to - 1; p.m != nil && k >= max(x.to-2, x.from+1); k-- {
				if _, ok := p.m.Exact(p.t.S[m.off(toks[x.line][k].s):m.off(toks[x.line][x.to-1].e)]); ok {
					return true
				}
			}
			return false
		}
		// Nor in punctuation after a number ("…2017-20212." + "4 Het kan"): that is a section number.
		if x := o[0]; strings.IndexFunc(ms[x.line].s[toks[x.line][x.to-1].s:toks[x.line][x.to-1].e], func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#'
		}) < 0 && x.to-x.from > 3 {
			continue
		}
		chunk := func(x runOcc) string { return ms[x.line].s[toks[x.line][x.from].s:toks[x.line][x.to-1].e] }
		c := chunk(o[0])
		if letterCount(c) < 10 {
			continue
		}
		// A run that starts with a list marker is the start of points or bullets that begin alike
		// ("1. We zorgen ervoor dat …", "2. We zorgen ervoor dat …"), not furniture, and neither is
		// any shorter run inside it (".38 Nederlanden …" of "12.38 Nederlanden …"). The number is
		// masked in c, so the marker is looked for in the text itself.
		if x := o[0]; pointStart(p.t.S[ms[x.line].off(toks[x.line][x.from].s):]) {
			for _, x := range o {
				for t := x.from; t < x.to; t++ {
					taken[[2]int{x.line, t}] = true
				}
			}
			continue
		}
		lead := c
		if bulletRE.MatchString(lead) || dashBulletRE.MatchString(lead) {
			continue
		}
		// The digits behind each '#', per occurrence, and whether any of them varies.
		digits := func(x runOcc) []string {
			m := ms[x.line]
			var ds []string
			for i := toks[x.line][x.from].s; i < toks[x.line][x.to-1].e; i++ {
				if m.s[i] == '#' {
					ds = append(ds, p.t.S[m.off(i):m.off(i+1)])
				}
			}
			return ds
		}
		d0 := digits(o[0])
		varies := make([]bool, len(d0))
		anyVaries := false
		all := make([][]string, len(d0)) // the digits at each '#', per occurrence
		for _, x := range o {
			if len(d0) == 0 {
				break // a run without a number: nothing to compare (and a common phrase has many occurrences)
			}
			for j, d := range digits(x) {
				if j < len(d0) {
					all[j] = append(all[j], d)
					if d != d0[j] {
						varies[j], anyVaries = true, true
					}
				}
			}
		}
		// A number glued to the end of a run ("…STEL EEN DAAD2 EEN EERLIJKE ECONOMIE") that varies is
		// the chapter or point number that follows the header, not part of it: the shorter run is
		// tried instead.
		if x := o[0]; ms[x.line].s[toks[x.line][x.to-1].s:toks[x.line][x.to-1].e] == "#" && len(varies) > 0 && varies[len(varies)-1] {
			if before := toks[x.line][x.to-1].s; before > 0 && isLetterByte(ms[x.line].s, before, true) {
				continue
			}
		}
		glued := false
		for _, x := range o {
			if anyVaries || glued {
				break // enough to go on
			}
			m := ms[x.line]
			s, e := toks[x.line][x.from].s, toks[x.line][x.to-1].e
			if s > 0 && isLetterByte(m.s, s, true) && isLetterByte(m.s, s, false) ||
				e < len(m.s) && isLetterByte(m.s, e, true) && isLetterByte(m.s, e, false) {
				glued = true
			}
		}
		if !anyVaries && !glued && !p.furnitureLike(c) {
			continue
		}
		if endsInName(o[0]) {
			continue
		}
		var pat headerPattern
		j := 0
		lit := longestLiteral(c)
		for _, r := range c {
			switch {
			case r == '#':
				if varies[j] {
					pat = varyingNumber(pat, all[j])
				} else {
					pat = pat.literal(yearOnly(d0[j]))
				}
				j++
			case r == ' ':
				pat = pat.space()
			default:
				pat = pat.literal(string(r))
			}
		}
		// The regexp checks the pattern (a literal cut inside a character does not compile) and
		// says whether it has a page number; the lines are matched by hand (findAll).
		compiled, err := regexp.Compile(pat.source())
		if err != nil {
			continue
		}
		for _, x := range o {
			for t := x.from; t < x.to; t++ {
				taken[[2]int{x.line, t}] = true
			}
		}
		out = append(out, headerRE{compiled, pat, lit})
	}
	return out
}

// pointStart reports whether s starts with a point's number as numberRE reads one with a
// full stop or a parenthesis in it ("1. ", "4) ", "12.38 "): a running header may start with a
// bare page number ("12 Verkiezingsprogramma"), a point is numbered with punctuation.
func pointStart(s string) bool {
	m := numberRE.FindString(s)
	return m != "" && strings.ContainsAny(m, ".)")
}

// headerRE is a running header found in the text: its pattern, and the longest stretch of it
// that every match holds as it is (no space, no masked digit), to skip lines without it cheaply
// (linesHolding).
type headerRE struct {
	re  *regexp.Regexp
	pat headerPattern // the same pattern, matched by hand
	lit string
}

// linesHolding returns, in order, the indexes of the lines whose content holds lit: the only lines
// a header whose every match holds lit can match. It searches the text once for lit rather than
// each line apart.
func (p *parser) linesHolding(lines []content, lit string) []int {
	var out []int
	if len(lines) == 0 {
		return nil
	}
	if lit == "" {
		for k := range lines {
			out = append(out, k)
		}
		return out
	}
	hi := lines[len(lines)-1].e
	for pos := lines[0].s; pos < hi; {
		i := strings.Index(p.t.S[pos:hi], lit)
		if i < 0 {
			break
		}
		at := pos + i
		k := sort.Search(len(lines), func(k int) bool { return lines[k].e > at })
		if k < len(lines) && lines[k].s <= at && at+len(lit) <= lines[k].e {
			out = append(out, k)
			pos = lines[k].e // the line is in; go on with the next one
			continue
		}
		pos = at + 1 // across a line end or in the white space around a line: look further
	}
	return out
}

// longestLiteral is the longest stretch of a masked run without a space or a masked digit ('#'):
// the pattern made from the run matches those characters as they are (QuoteMeta), so every match
// holds that stretch.
func longestLiteral(c string) string {
	best := ""
	for _, f := range strings.FieldsFunc(c, func(r rune) bool { return r == ' ' || r == '#' }) {
		if len(f) > len(best) {
			best = f
		}
	}
	return best
}

// yearOnly cuts a number that starts with a year and goes on ("20212": 2021 and the section number
// 2 glued to it) back to the year.
func yearOnly(d string) string {
	if len(d) > 4 && (strings.HasPrefix(d, "19") || strings.HasPrefix(d, "20")) {
		return d[:4]
	}
	return d
}

// varyingNumber is the pattern of a number that differs between a header's occurrences. Usually it
// is the page number: any number. When all occurrences share a prefix of four digits or more, a
// year ran into what follows it: "2021" + "94 95" (a page pair) keeps the year and matches the
// rest, while "2021" + "2.4" (a section number glued on) keeps only the year.
// It appends that pattern to hp.
func varyingNumber(hp headerPattern, ds []string) headerPattern {
	prefix := ds[0]
	for _, d := range ds[1:] {
		n := 0
		for n < len(prefix) && n < len(d) && prefix[n] == d[n] {
			n++
		}
		prefix = prefix[:n]
	}
	if len(prefix) < 4 {
		return hp.digits(1, 4)
	}
	shortest, longest := 99, 0
	for _, d := range ds {
		shortest, longest = min(shortest, len(d)-len(prefix)), max(longest, len(d)-len(prefix))
	}
	if shortest == 0 {
		return hp.literal(prefix)
	}
	return hp.literal(prefix).digits(shortest, longest)
}

// isLetterByte reports whether the rune just before (before = true) or at byte i of s is a letter.
func isLetterByte(s string, i int, before bool) bool {
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r)
}

// capsRunAt reports whether s starts with at least n capital letters.
func capsRunAt(s string, n int) bool {
	k := 0
	for _, r := range s {
		if !unicode.IsUpper(r) {
			break
		}
		k++
		if k >= n {
			return true
		}
	}
	return false
}

// capsRunBefore reports whether s ends with at least n capital letters.
func capsRunBefore(s string, n int) bool {
	k := 0
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsUpper(r) {
			break
		}
		k++
		s = s[:len(s)-size]
	}
	return k >= n
}

// lowerAfter reports whether the rune after the first one of s is a lower-case letter.
func lowerAfter(s string) bool {
	_, n := utf8.DecodeRuneInString(s)
	r, _ := utf8.DecodeRuneInString(s[n:])
	return unicode.IsLower(r)
}

// tok is a word of a masked line: byte offsets into it.
type tok struct{ s, e int }

// runOcc is where a run of tokens occurs: the line, and its first and past-the-last token.
type runOcc struct{ line, from, to int }

// recurringRuns finds every run of minRun to maxRun consecutive tokens that occurs on at least two
// lines. The key is the run's tokens, each followed by a 0 byte; the occurrences are the first one
// on each line, in line order.
//
// It works level by level, from runs of one token up: a run can recur only if the run one token
// shorter at the same place does, so each level extends only the places whose run recurred, and
// most of a text (which does not repeat) drops out after the first levels. Tokens are interned, and
// the places of a level are grouped by their run exactly: a run of n+1 tokens is the group of its
// first n and its last token, numbered in a table (groupTable), so no run text is compared and no
// key is built but for the runs that recur.
func recurringRuns(ms []masked, toks [][]tok, minRun, maxRun int) map[string][]runOcc {
	all := recurringRunList(ms, toks, minRun, maxRun)
	out := make(map[string][]runOcc, len(all))
	for _, r := range all {
		out[r.key] = r.occ
	}
	return out
}

// recurring is a run that recurs: its key (see recurringRuns) and its occurrences.
type recurring struct {
	key string
	occ []runOcc
}

// longestFirst sorts runs longest key first, then by key, and keeps of runs with the same key
// the last one found, as the map of recurringRuns does.
func longestFirst(all []recurring) []recurring {
	order := make([]int32, len(all)) // runs with the same key stay in the order found
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		ka, kb := all[a].key, all[b].key
		if len(ka) != len(kb) {
			return len(kb) - len(ka)
		}
		if c := strings.Compare(ka, kb); c != 0 {
			return c
		}
		return int(a - b)
	})
	out := make([]recurring, 0, len(all))
	for i, k := range order {
		if i+1 < len(order) && all[order[i+1]].key == all[k].key {
			continue
		}
		out = append(out, all[k])
	}
	return out
}

// recurringRunList is recurringRuns as a list, in the order the runs were found (level by level);
// two runs have the same key only when a token holds a 0 byte.
func recurringRunList(ms []masked, toks [][]tok, minRun, maxRun int) []recurring {
	ids := make([][]uint32, len(toks))
	total := 0
	for _, t := range toks {
		total += len(t)
	}
	intern := make(map[string]uint32, total/8) // a long text's distinct words: a tenth of its words or fewer
	idsAll := make([]uint32, total)
	for i := range toks {
		ids[i], idsAll = idsAll[:len(toks[i]):len(toks[i])], idsAll[len(toks[i]):]
		for k, t := range toks[i] {
			w := ms[i].s[t.s:t.e]
			id, ok := intern[w]
			if !ok {
				id = uint32(len(intern))
				intern[w] = id
			}
			ids[i][k] = id
		}
	}
	// A place is where a run starts, and the run's group at the current level.
	type place struct{ line, from, group int32 }
	cur := make([]place, 0, total)
	var table groupTable
	// The first level is that of runs of first tokens: the tokens themselves, or, when minRun is
	// 2 or more and every token's number fits in 21 bits, runs of up to three tokens grouped at once
	// by their numbers packed into one key. A place whose shorter runs do not recur has a run of
	// first tokens that does not either (they hold the shorter runs), and is alone in its group
	// with the places that share that run, so the places kept at the first level are those that
	// going up level by level would have kept.
	first := 1
	if len(intern) < 1<<21 {
		first = max(1, min(minRun, 3, maxRun))
	}
	groups := len(intern)
	if first == 1 {
		for i := range ids {
			for from, id := range ids[i] {
				cur = append(cur, place{int32(i), int32(from), int32(id)})
			}
		}
	} else {
		table.reset(total)
		for i := range ids {
			for from := 0; from+first <= len(ids[i]); from++ {
				var k uint64
				for _, id := range ids[i][from : from+first] {
					k = k<<21 | uint64(id)
				}
				cur = append(cur, place{int32(i), int32(from), table.number(k)})
			}
		}
		groups = table.n
	}
	var keyBuf []byte
	key := func(o runOcc) string {
		keyBuf = keyBuf[:0]
		for k := o.from; k < o.to; k++ {
			keyBuf = append(keyBuf, ms[o.line].s[toks[o.line][k].s:toks[o.line][k].e]...)
			keyBuf = append(keyBuf, 0)
		}
		return string(keyBuf)
	}
	var all []recurring
	// seen[g] counts the lines group g occurs on and holds the last of them; run[g] is 1 + the
	// group's run in runs (at the levels that report runs).
	type lineCount struct{ lines, last int32 }
	var seen []lineCount
	var run []int32
	for n := first; n <= maxRun && len(cur) > 0; n++ {
		seen = resize(seen, groups)
		for _, pl := range cur {
			if c := &seen[pl.group]; c.lines == 0 || c.last != pl.line {
				c.lines++
				c.last = pl.line
			}
		}
		kept := cur[:0]
		for _, pl := range cur {
			if seen[pl.group].lines >= 2 {
				kept = append(kept, pl)
			}
		}
		if n >= minRun {
			// The runs, in the order of their first place; places are in line and token order, so
			// each run's first place on a line comes first.
			run = resize(run, groups)
			var runs [][]runOcc
			for _, pl := range kept {
				r := run[pl.group] - 1
				if r < 0 {
					runs = append(runs, nil)
					r = int32(len(runs) - 1)
					run[pl.group] = r + 1
				}
				if o := runs[r]; len(o) > 0 && o[len(o)-1].line == int(pl.line) {
					continue
				}
				runs[r] = append(runs[r], runOcc{int(pl.line), int(pl.from), int(pl.from) + n})
			}
			for _, o := range runs {
				all = append(all, recurring{key(o[0]), o})
			}
		}
		// Extend the surviving places by one token: the group of the longer run is that of the
		// shorter one and the token that follows.
		next := kept[:0]
		table.reset(len(kept))
		for _, pl := range kept {
			if to := int(pl.from) + n; to < len(ids[pl.line]) {
				g := table.number(uint64(uint32(pl.group))<<32 | uint64(ids[pl.line][to]))
				next = append(next, place{pl.line, pl.from, g})
			}
		}
		groups = table.n
		cur = next
	}
	return all
}

// resize returns s with n zeros, reusing its array when it is long enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// groupTable numbers distinct 64-bit keys 0, 1, 2, … in the order they are first seen: an
// open-addressing hash table, cheaper than a map for the many keys of one level of recurringRuns.
type groupTable struct {
	keys  []uint64
	nums  []int32 // 1 + the key's number; 0 for an empty cell
	shift uint8   // 64 - log2(len(keys))
	n     int     // keys numbered so far
}

// reset empties the table and makes room for up to n keys.
func (t *groupTable) reset(n int) {
	size, bits := 16, uint8(4)
	for size < 2*n {
		size, bits = size*2, bits+1
	}
	if len(t.keys) < size || len(t.keys) > 8*size {
		t.keys, t.nums = make([]uint64, size), make([]int32, size)
	} else {
		size = len(t.keys)
		for 1<<bits < size {
			bits++
		}
		clear(t.nums)
	}
	t.shift, t.n = 64-bits, 0
}

// number returns the number of key k, numbering it when it is new.
func (t *groupTable) number(k uint64) int32 {
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9E3779B97F4A7C15) >> t.shift; ; i = (i + 1) & mask {
		switch t.nums[i] {
		case 0:
			t.n++
			t.keys[i], t.nums[i] = k, int32(t.n)
			return int32(t.n - 1)
		default:
			if t.keys[i] == k {
				return t.nums[i] - 1
			}
		}
	}
}

// maskedTokens splits a masked line into words: at spaces, around '#', and where a lower-case
// letter runs into a capital.
func maskedTokens(s string) []tok { return appendMaskedTokens(nil, s) }

// quietByte[c] is set for the ASCII bytes that never start a new word of a masked line unless
// '#' comes before them: neither a space, '#' nor a capital.
var quietByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c != ' ' && c != '#' && !('A' <= c && c <= 'Z')
	}
	return t
}()

// appendMaskedTokens appends the words of a masked line (maskedTokens) to out.
func appendMaskedTokens(out []tok, s string) []tok {
	start := -1
	var prev rune
	prevLower, prevUpper := false, false
	for i := 0; i < len(s); {
		if c := s[i]; quietByte[c] && prev != '#' {
			// A stretch of quiet bytes (lower-case ASCII letters, punctuation) splits nowhere: it
			// starts a word if none is open, and only its last byte matters for what follows.
			if start < 0 {
				start = i
			}
			j := i + 1
			for j < len(s) && quietByte[s[j]] {
				j++
			}
			c = s[j-1]
			prev, prevLower, prevUpper = rune(c), 'a' <= c && c <= 'z', false
			i = j
			continue
		}
		if s[i] == ' ' {
			// A space ends the open word and starts none.
			if start >= 0 {
				out = append(out, tok{start, i})
				start = -1
			}
			prev, prevLower, prevUpper = ' ', false, false
			i++
			continue
		}
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		// Split where a lower-case letter runs into capitals ("samenlevingVERKIEZINGS") and where
		// capitals run into a capitalised word ("TELTMeer"), but not inside names like "PvdA" or
		// "ChristenUnie". Each of the last three cases needs r to be a capital (a run of capitals
		// at s[i:] starts with r), so they are only looked at then.
		var upper, lower bool
		if r < utf8.RuneSelf {
			upper, lower = 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z'
		} else {
			upper, lower = unicode.IsUpper(r), unicode.IsLower(r)
		}
		split := r == ' ' || r == '#' || prev == '#' ||
			upper && (prev == '.' || prev == '!' || prev == '?' || prev == ':' || prev == ';' ||
				prevLower && capsRunAt(s[i:], 3) ||
				prevUpper && lowerAfter(s[i:]) && capsRunBefore(s[:i], 3))
		prevLower, prevUpper = lower, upper
		if split && start >= 0 {
			out = append(out, tok{start, i})
			start = -1
		}
		if r != ' ' && start < 0 {
			start = i
		}
		prev = r
		i += n
	}
	if start >= 0 {
		out = append(out, tok{start, len(s)})
	}
	return out
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// furnitureLike reports whether a repeated stretch reads as page furniture rather than prose: it
// names the document kind ("programma", "hoofdstuk", "pagina", "inhoudsopgave") or is in capitals.
func (p *parser) furnitureLike(s string) bool {
	s = strings.TrimSpace(s)
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters < 6 || len(s) < 12 {
		return false
	}
	if furnitureWordIn(s) {
		return true
	}
	return upper*10 >= letters*8
}

// segments cuts the lines [first, last) into segments: the parts furniture leaves, split again
// where text was glued on without a space (a heading after a sentence, capitals after a word).
// The cuts are sorted by their start.
func (p *parser) segments(first, last int, cuts []cut) []seg {
	out := make([]seg, 0, last-first) // about a segment a line
	var rs [][2]int                   // what furniture leaves of a line, reused line after line
	blank := false
	for i := first; i < last; i++ {
		l := p.lines[i]
		s, e := p.trim(l)
		// The cuts are sorted and do not overlap: those that overlap [s, e) follow each other.
		k := sort.Search(len(cuts), func(k int) bool { return cuts[k].end > s })
		n := k
		for n < len(cuts) && cuts[n].start < e {
			n++
		}
		rs = p.appendResidual(rs[:0], s, e, cuts[k:n])
		if len(rs) == 0 {
			if s == e {
				blank = true
			}
			continue
		}
		indented := s > l.start
		for k, r := range rs {
			parts := p.glueSplit(r[0], r[1])
			for j, part := range parts {
				sg := seg{start: part[0], end: part[1], line: i, indented: indented,
					lineStart: k == 0 && j == 0, // furniture cut before it still leaves it at the line start
					lineEnd:   k == len(rs)-1 && j == len(parts)-1 && r[1] == e,
					glued:     j > 0, afterBlank: blank && k == 0 && j == 0}
				if sg.lineEnd {
					sg.trailing = e < l.end
				}
				out = append(out, sg)
				blank = false
			}
		}
	}
	return out
}

// glueSplit splits [s, e) where a sentence end is followed by a capital without a space
// ("discriminatie.Dienstbare overheid"), where a word runs into capitals ("geldSCHEIDING"), or
// where capitals run into a capitalised word ("TELTMeer").
func (p *parser) glueSplit(s, e int) [][2]int {
	t := p.t.S[s:e]
	if strings.Contains(t, "://") || strings.Contains(t, "www.") || strings.Contains(t, "@") {
		return [][2]int{{s, e}}
	}
	var at []int
	g := findGlue(t)
	for _, m := range g.sent {
		_, n := utf8.DecodeRuneInString(t[m[0]:])
		_, n2 := utf8.DecodeRuneInString(t[m[0]+n:])
		at = append(at, m[0]+n+n2)
	}
	for _, m := range g.point {
		at = append(at, m[2])
	}
	for _, m := range g.bullet {
		if m[2] >= 0 {
			at = append(at, m[2])
		} else {
			at = append(at, m[4])
		}
	}
	for _, m := range g.caps {
		_, n := utf8.DecodeRuneInString(t[m[0]:])
		at = append(at, m[0]+n)
	}
	for _, m := range g.capsWords {
		// Split before the capital that starts the lower-case word.
		k := m[1]
		for k > m[0] {
			r, n := utf8.DecodeLastRuneInString(t[:k])
			k -= n
			if unicode.IsUpper(r) {
				break
			}
		}
		at = append(at, k)
	}
	sort.Ints(at)
	var out [][2]int
	pos := 0
	for _, a := range at {
		if a-pos < 3 || len(t)-a < 3 {
			continue
		}
		out = append(out, [2]int{s + pos, s + a})
		pos = a
	}
	out = append(out, [2]int{s + pos, e})
	for i := range out {
		out[i][0], out[i][1] = p.trimRange(out[i][0], out[i][1])
	}
	return out
}

// splitTails splits off a heading glued to the end of a paragraph's last line after a sentence
// ("…te overbruggen.  Grondrechten"): a short capitalised tail without punctuation, when the next
// line starts a new unit.
func (p *parser) splitTails(segs []seg, w int) []seg {
	out := make([]seg, 0, len(segs))
	for i, s := range segs {
		if !s.lineEnd {
			out = append(out, s)
			continue
		}
		nextNew := i+1 == len(segs) || segs[i+1].afterBlank || !opensLower(p.t.S[segs[i+1].start:segs[i+1].end])
		t := p.t.S[s.start:s.end]
		// "…nieuwe coöperatievormen 4. EERLIJKE ECONOMIE": a numbered label in capitals.
		m := capsLabel(t)
		label, continues := m != nil, !nextNew
		if m != nil {
			nextNew = true
		} else {
			m = sentenceTail(t)
		}
		if m != nil && chapterRE.MatchString(t[m[2]:m[3]]) {
			// "…treinverbindingen. HOOFDSTUK 7": a chapter label stands apart however it is spaced.
			nextNew = true
		} else if m != nil && !nextNew {
			m = nil
		}
		// The tail stands apart: two spaces before it, or two after it at the line end (text
		// objects of their own in the PDF); one space is how a wrapped sentence goes on.
		apart := m != nil && (strings.HasSuffix(strings.TrimRight(t[:m[2]], "\u00A0"), "  ") ||
			strings.HasPrefix(p.t.S[s.end:p.lines[s.line].end], "  ") || chapterRE.MatchString(t[m[2]:m[3]]) || label)
		if !nextNew || !apart || len(strings.Fields(t[m[2]:m[3]])) > 5 || m[2] < 10 || utf8.RuneCountInString(t[m[2]:m[3]]) > w/2 {
			out = append(out, s)
			continue
		}
		head, tail := s, s
		head.end, _ = p.trimRange(s.start, s.start+m[2])
		_, head.end = p.trimRange(s.start, s.start+m[2])
		head.lineEnd, head.trailing = false, false
		tail.start = s.start + m[2]
		tail.lineStart, tail.glued, tail.afterBlank = false, true, false
		switch {
		case label && continues:
			// The sentence goes on on the next line: the label is the page's chapter tab.
			tail.drop = ReasonRunningHeader
		case label:
			tail.heading = true
		}
		out = append(out, head, tail)
	}
	return out
}

// lineWidth is the typical width, in characters, of a full line of running text: the median width
// of lines that the next line continues (it starts in lower case).
func (p *parser) lineWidth(segs []seg) int {
	var ws []int
	for i := 0; i+1 < len(segs); i++ {
		if !segs[i].lineEnd || !segs[i+1].lineStart {
			continue
		}
		r, _ := utf8.DecodeRuneInString(p.t.S[segs[i+1].start:])
		if unicode.IsLower(r) {
			ws = append(ws, p.lineRunes(segs[i].line))
		}
	}
	if len(ws) < 3 {
		for _, s := range segs {
			ws = append(ws, p.lineRunes(s.line))
		}
	}
	if len(ws) == 0 {
		return 80
	}
	sort.Ints(ws)
	return max(ws[len(ws)/2], 20)
}

func (p *parser) lineRunes(i int) int {
	s, e := p.trim(p.lines[i])
	return utf8.RuneCountInString(p.t.S[s:e])
}

// trailingSpaceMode reports whether this text marks wrapped lines with a trailing space (most lines
// that the next line continues end in white space): then a line without one ends a paragraph.
func trailingSpaceMode(p *parser, segs []seg) bool {
	n, with := 0, 0
	for i := 0; i+1 < len(segs); i++ {
		if !segs[i].lineEnd || !segs[i+1].lineStart {
			continue
		}
		r, _ := utf8.DecodeRuneInString(p.t.S[segs[i+1].start:])
		if unicode.IsLower(r) {
			n++
			if segs[i].trailing {
				with++
			}
		}
	}
	return n >= 5 && with*4 >= n*3
}

// indentRare reports whether lines rarely start with white space, so that an indented line stands
// out (a list item whose bullet glyph was lost).
func indentRare(p *parser, first, last int) bool {
	n, ind := 0, 0
	for i := first; i < last; i++ {
		s, e := p.trim(p.lines[i])
		if s == e {
			continue
		}
		n++
		if s > p.lines[i].start {
			ind++
		}
	}
	return n > 0 && ind*10 < n*3
}

// assembler turns segments into units and headings.
type assembler struct {
	cuts       []cut // the furniture cut out, by start: a heading's span goes around those inside it
	p          *parser
	w          int
	party      string
	tsMode     bool
	indentRare bool

	cur     *pending // the unit being assembled
	heading *pendingHeading
	path    []heading // open headings, outermost first
	lastEnd bool      // the previous segment ended a sentence (or there is none)
	// loneBullet: the previous line was a bullet glyph alone; this segment starts the item.
	loneBullet bool
	// label is the printed number of the last point marker seen ("4.10.1").
	label string
}

type heading struct {
	text  string
	level int
}

type pending struct {
	kind   model.Kind
	number int64
	pieces [][2]int // decoded ranges of text, one per segment
	start  int      // decoded offset of the unit's first byte (after its marker)
	last   seg
	// indented: the unit's first line starts with white space.
	indented bool
	// label is a point's printed number ("4.10.1"), to recognise the next one.
	label string
}

type pendingHeading struct {
	start, end int
	text       []string
	level      int
	caps       bool
	// holes are the stretches dropped while the heading was open (a page number glued to one of
	// its lines): its span goes around them.
	holes [][2]int
}

// sentenceEnd is the pattern that endsSentence matches by hand (FuzzPrefilters holds them together).
var sentenceEnd = regexp.MustCompile(`[.!?:;…]["'’”)\]]*$`)

func (a *assembler) text(s seg) string { return a.p.t.S[s.start:s.end] }

// ended reports whether a segment's text ends a sentence.
func (a *assembler) ended(s seg) bool { return endsSentence(a.text(s)) }

func opensLower(t string) bool {
	for _, r := range t {
		if unicode.IsLetter(r) {
			return unicode.IsLower(r)
		}
		if unicode.IsDigit(r) {
			return false
		}
		if r == '(' || r == '‘' || r == '“' || r == '\'' || r == '"' {
			continue
		}
		return false
	}
	return false
}

func capsShare(t string) (letters, upper int) {
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return
}

func isCaps(t string) bool {
	l, u := capsShare(t)
	return l >= 3 && u*10 >= l*8
}

// add takes the next segment; next is the one after it (nil at the end), for look-ahead.
func (a *assembler) add(s seg, next *seg) {
	t := a.text(s)
	nextStartsNew := next == nil || !opensLower(a.p.t.S[next.start:next.end]) || next.afterBlank
	short := utf8.RuneCountInString(t) <= a.w*7/10 && utf8.RuneCountInString(t) <= 90
	continuing := a.cur != nil && !a.lastEnd && !s.afterBlank && !a.strongStart(s)

	if s.drop != "" {
		a.p.span(s.start, s.end, model.ClassDropped, s.drop)
		if a.heading != nil {
			a.heading.holes = append(a.heading.holes, [2]int{s.start, s.end})
		}
		return
	}
	if s.heading {
		a.flush()
		a.heading = &pendingHeading{start: s.start, end: s.end, text: []string{t}, level: 1, caps: true}
		a.lastEnd = true
		return
	}
	// Headings: numbered ("2.4 Titel", "HOOFDSTUK 7"), capitals, or a short title line between units.
	if !continuing && (s.lineEnd || s.glued) {
		nextText := ""
		if next != nil {
			nextText = a.p.t.S[next.start:next.end]
		}
		if lvl, ok := a.headingLevel(t, short, nextStartsNew, nextText); ok {
			a.flushUnit()
			caps := isCaps(t)
			atStart := len(a.p.out.Units) == 0 && a.cur == nil
			if atStart && lvl == 20 && len(a.path) == 0 && (a.heading == nil || a.heading.level == 1) {
				lvl = 1 // the text's own title, above its subheadings
			}
			if h := a.heading; h != nil && (caps && h.caps || atStart && lvl == 1 && h.level == 1) && s.lineStart && utf8.RuneCountInString(strings.Join(h.text, " ")) < 120 {
				h.text = append(h.text, t)
				h.end = s.end
			} else {
				a.flushHeading()
				a.heading = &pendingHeading{start: s.start, end: s.end, text: []string{t}, level: lvl, caps: caps}
			}
			a.lastEnd = true
			return
		}
	}
	// A multi-line capital heading can wrap onto a line that is not all capitals only in rare cases;
	// any other segment closes the heading.
	a.flushHeading()

	if bulletRE.FindString(t) == t {
		// A bullet glyph alone on its line: the item's text is on the next line.
		a.flush()
		a.p.span(s.start, s.end, model.ClassStructure, "marker")
		a.loneBullet = true
		a.lastEnd = true
		return
	}
	kind, number, body := a.marker(s, t)
	if a.loneBullet && kind == "" {
		kind, body = model.KindBullet, s.start
	}
	a.loneBullet = false
	switch {
	case kind != "":
		a.flush()
		a.open(kind, number, s, body)
		if kind == model.KindPoint {
			a.cur.label = a.label
		}
	case a.cur == nil:
		a.open(model.KindParagraph, 0, s, s.start)
	case a.breakBefore(s):
		kind := model.KindParagraph
		if a.indentRare && s.indented && s.lineStart && !opensLower(t) && !strings.HasSuffix(t, ":") {
			// In a text whose lines start at the margin, an indented line that starts a unit is a
			// list item whose bullet glyph was lost.
			kind = model.KindBullet
		}
		a.flush()
		a.open(kind, 0, s, s.start)
	default:
		a.cur.pieces = append(a.cur.pieces, [2]int{s.start, s.end})
		a.cur.last = s
	}
	a.lastEnd = a.ended(s)
}

// strongStart reports a segment that starts a unit whatever came before: a list marker.
func (a *assembler) strongStart(s seg) bool {
	k, _, _ := a.marker(s, a.text(s))
	return k == model.KindBullet
}

func (a *assembler) headingLevel(t string, short, nextStartsNew bool, next string) (int, bool) {
	if endsSentence(t) && !strings.HasSuffix(t, ":") {
		return 0, false
	}
	if strings.HasSuffix(t, ",") && !(a.cur == nil && len(a.p.out.Units) == 0 && short) {
		return 0, false // a title block at the very start may break after a comma
	}
	if bulletRE.MatchString(t) || dashBulletRE.MatchString(t) {
		return 0, false
	}
	words := len(strings.Fields(t))
	if m := chapterRE.FindStringSubmatch(t); m != nil && words <= 12 {
		return 1, true
	}
	if m := numberRE.FindStringSubmatch(t); m != nil && (short && words <= 14 || words <= 8) && nextStartsNew && !nextInSequence(m[1], next) {
		rest := t[len(m[0]):]
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsUpper(r) {
			if n, _ := strconv.Atoi(strings.Split(m[1], ".")[0]); n < 1900 {
				return strings.Count(m[1], ".") + 1, true
			}
		}
	}
	if isCaps(t) && words <= 14 && utf8.RuneCountInString(t) <= 100 {
		return 1, true
	}
	if strings.HasSuffix(t, ":") {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if short && words <= 10 && nextStartsNew && (unicode.IsUpper(r) || unicode.IsDigit(r)) && a.lastEnd {
		return 20, true
	}
	// The lines of a title block at the very start: short, not sentences.
	if len(a.p.out.Units) == 0 && a.cur == nil && short && words <= 10 && (a.heading != nil || unicode.IsUpper(r)) {
		return 20, true
	}
	return 0, false
}

// follows reports whether point label b comes right after point label a: the next at the same
// level (4.10 → 4.11), a first sub-point (4.10 → 4.10.1) or the next at a higher level
// (4.10.1 → 4.11).
func follows(a, b string) bool {
	if a == "" {
		return false
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	if len(pb) == len(pa)+1 && pb[len(pb)-1] == "1" && strings.Join(pb[:len(pa)], ".") == a {
		return true
	}
	if len(pb) > len(pa) {
		return false
	}
	x, _ := strconv.Atoi(pa[len(pb)-1])
	y, _ := strconv.Atoi(pb[len(pb)-1])
	return y == x+1 && strings.Join(pa[:len(pb)-1], ".") == strings.Join(pb[:len(pb)-1], ".")
}

// nextInSequence reports whether next starts with the number that follows label ("1." then "2."):
// then the line with label is the first of a numbered list, not a heading.
func nextInSequence(label, next string) bool {
	m := numberRE.FindStringSubmatch(next)
	if m == nil {
		return false
	}
	a, b := strings.Split(label, "."), strings.Split(m[1], ".")
	if len(a) != len(b) {
		return false
	}
	x, _ := strconv.Atoi(a[len(a)-1])
	y, _ := strconv.Atoi(b[len(b)-1])
	return y == x+1 && strings.Join(a[:len(a)-1], ".") == strings.Join(b[:len(b)-1], ".")
}

// marker recognises a list marker at the start of a segment that starts its line (or follows a
// glue split): a bullet glyph, a dash, a Wingdings bullet read as "6", or a number.
func (a *assembler) marker(s seg, t string) (model.Kind, int64, int) {
	if !s.lineStart && !s.glued && !(a.cur == nil) {
		// A marker inside a line after a cut furniture still starts a unit.
		if !strings.ContainsAny(t[:min(len(t), 4)], "•▶►›■▪●") {
			return "", 0, 0
		}
	}
	if m := bulletRE.FindString(t); m != "" && len(m) < len(t) {
		return model.KindBullet, 0, s.start + len(m)
	}
	if m := dashBulletRE.FindString(t); m != "" && len(m) < len(t) && a.lastEnd {
		return model.KindBullet, 0, s.start + len(m)
	}
	if m := wingdingsRE.FindStringSubmatchIndex(t); m != nil && (a.lastEnd || a.cur != nil && a.cur.kind == model.KindBullet) {
		return model.KindBullet, 0, s.start + 1
	}
	if m := numberRE.FindStringSubmatch(t); m != nil && (a.lastEnd || a.cur == nil || a.cur.kind == model.KindPoint && follows(a.cur.label, m[1])) {
		rest := t[len(m[0]):]
		r, _ := utf8.DecodeRuneInString(rest)
		parts := strings.Split(m[1], ".")
		n, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
		if first, _ := strconv.Atoi(parts[0]); first < 1900 && n > 0 && (unicode.IsUpper(r) || r == '‘' || r == '“' || r == '(') {
			a.label = m[1]
			return model.KindPoint, n, s.start + len(m[0])
		}
	}
	return "", 0, 0
}

// breakBefore decides whether a plain segment starts a new unit rather than continuing the open one.
func (a *assembler) breakBefore(s seg) bool {
	t := a.text(s)
	if s.afterBlank {
		return a.lastEnd || !opensLower(t)
	}
	if a.cur.kind == model.KindBullet && a.cur.indented && !s.indented && s.lineStart && !opensLower(t) &&
		(a.lastEnd || strings.HasSuffix(t, ":")) {
		return true // the text goes back to the margin after a sentence or with a lead-in: the item is over
	}
	if !a.lastEnd || opensLower(t) {
		return false
	}
	if s.glued {
		return true
	}
	prev := a.cur.last
	if !prev.lineEnd {
		// Text after the previous segment on its line was cut (furniture): judge by the sentence.
		return true
	}
	n := a.p.lineRunes(prev.line)
	if n >= a.w*135/100 {
		return true // a paragraph on one long line
	}
	if a.indentRare && s.indented && s.lineStart {
		return true
	}
	lw := a.localWidth(prev.line)
	if a.cur.kind == model.KindBullet || a.cur.kind == model.KindPoint {
		// A list item's lines are narrower than the page's (its marker and indent); it goes on
		// unless its last line is clearly short.
		return n <= lw*6/10
	}
	// The next line's first word would have fitted on this one: the line was ended on purpose.
	if n+1+utf8.RuneCountInString(firstWord(t)) <= lw {
		return true
	}
	return a.tsMode && !prev.trailing
}

// localWidth is the width of the widest of the lines around line i (two before, two after), capped
// at the text's typical width: the column a line belongs to may be narrower than the page's.
func (a *assembler) localWidth(i int) int {
	w := 0
	for j := max(i-2, 0); j <= min(i+2, len(a.p.lines)-1); j++ {
		if n := a.p.lineRunes(j); n <= a.w*135/100 {
			w = max(w, n)
		}
	}
	return min(w, a.w)
}

func (a *assembler) open(kind model.Kind, number int64, s seg, body int) {
	if body > s.start {
		a.p.span(s.start, body, model.ClassStructure, "marker")
	}
	b, e := a.p.trimRange(body, s.end)
	a.cur = &pending{kind: kind, number: number, start: b, last: s, indented: s.indented}
	if b < e {
		a.cur.pieces = [][2]int{{b, e}}
	}
}

func (a *assembler) flushHeading() {
	h := a.heading
	if h == nil {
		return
	}
	a.heading = nil
	holes := h.holes
	for i := sort.Search(len(a.cuts), func(i int) bool { return a.cuts[i].start >= h.start }); i < len(a.cuts) && a.cuts[i].start < h.end; i++ {
		holes = append(holes, [2]int{a.cuts[i].start, a.cuts[i].end})
	}
	sort.Slice(holes, func(i, j int) bool { return holes[i][0] < holes[j][0] })
	from := h.start
	for _, hole := range holes {
		if hole[0] >= from && hole[1] <= h.end {
			a.p.span(from, hole[0], model.ClassStructure, "heading")
			from = hole[1]
		}
	}
	a.p.span(from, h.end, model.ClassStructure, "heading")
	text := strings.Join(h.text, " ")
	for len(a.path) > 0 && a.path[len(a.path)-1].level >= h.level {
		a.path = a.path[:len(a.path)-1]
	}
	a.path = append(a.path, heading{text: text, level: h.level})
	a.p.out.Headings++
}

func (a *assembler) flush() {
	a.flushHeading()
	a.flushUnit()
}

// splitWordStart reports a list item whose first line is a fragment of a word (see flushUnit).
func (a *assembler) splitWordStart(u *pending) bool {
	if !a.tsMode || u.kind != model.KindBullet || len(u.pieces) < 2 {
		return false
	}
	first := a.p.t.S[u.pieces[0][0]:u.pieces[0][1]]
	end := u.pieces[0][1]
	trailing := end < len(a.p.t.S) && breakAt(a.p.t.S, end) == 0
	r, _ := utf8.DecodeRuneInString(a.p.t.S[u.pieces[1][0]:])
	return !trailing && utf8.RuneCountInString(first) <= 8 && unicode.IsLower(r) && !strings.HasSuffix(first, "-")
}

// flushUnit ends the open unit, if any.
func (a *assembler) flushUnit() {
	u := a.cur
	a.cur = nil
	if u == nil || len(u.pieces) == 0 {
		return
	}
	lines := make([]string, len(u.pieces))
	for i, pc := range u.pieces {
		lines[i] = a.p.t.S[pc[0]:pc[1]]
	}
	if a.splitWordStart(u) {
		// " ▶Voork" / "omen van …": the item's first word was broken over the line end with no
		// hyphen; in a text whose wrapped lines end in a space, a short first line without one
		// ends inside a word.
		lines = append([]string{lines[0] + lines[1]}, lines[2:]...)
	}
	text, dehyph := a.p.joinLines(lines)
	unit := model.Unit{Kind: u.kind, PartyID: a.party, Number: u.number, Text: text}
	if dehyph {
		unit.Flags = append(unit.Flags, model.FlagDehyphenated)
	}
	if opensLower(text) {
		unit.Flags = append(unit.Flags, model.FlagReadingOrder)
	}
	if len(a.path) > 0 {
		unit.Section = a.path[len(a.path)-1].text
		for _, h := range a.path {
			unit.SectionPath = append(unit.SectionPath, h.text)
		}
	}
	start, end := u.pieces[0][0], u.pieces[len(u.pieces)-1][1]
	unit.Line = int64(a.p.lineOf(start))
	a.p.unit(unit, start, end)
}

// joinLines joins a unit's lines into its text. Between two lines a line break (normalization
// makes it a space), except where the first ends in a hyphen that split a word: a soft hyphen
// always goes; a hyphen (also " -") goes unless the word with it occurs in the corpus, the part
// before it is an abbreviation, or the next word is "en"/"of" ("soft- en hardware").
func (p *parser) joinLines(lines []string) (string, bool) {
	var sb strings.Builder
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	sb.Grow(n)
	removed := false
	for i, text := range lines {
		if i+1 == len(lines) {
			sb.WriteString(text)
			break
		}
		right := firstWord(lines[i+1])
		rr, _ := utf8.DecodeRuneInString(right)
		if strings.HasSuffix(text, "\u00AD") {
			sb.WriteString(strings.TrimSuffix(text, "\u00AD"))
			removed = true
			continue
		}
		if strings.HasSuffix(text, "-") {
			stem := strings.TrimRight(strings.TrimSuffix(text, "-"), " \t")
			left := lastWord(stem)
			lr, _ := utf8.DecodeLastRuneInString(left)
			if unicode.IsLetter(lr) && unicode.IsLower(rr) && !conjunction(right) {
				if p.lex.Has(left+"-"+right) || abbreviation(left) {
					sb.WriteString(stem + "-")
				} else {
					sb.WriteString(stem)
					removed = true
				}
				continue
			}
		}
		sb.WriteString(text)
		sb.WriteByte('\n')
	}
	return sb.String(), removed
}

func conjunction(w string) bool { return w == "en" || w == "of" || w == "tot" || w == "noch" }

// abbreviation reports a word in capitals, with digits or without a vowel (ICT, EU, 5G, mkb): a
// hyphen after it is kept.
func abbreviation(w string) bool {
	l, u := capsShare(w)
	if strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return true
	}
	// Capitals (ICT, EU), or a short word without a vowel (mkb, btw).
	return l >= 2 && u == l || l >= 2 && l <= 4 && !strings.ContainsAny(strings.ToLower(w), "aeiouyáéíóúëïöü")
}
