package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/standpunten/standpunten/pipeline/extract"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/normalize"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// Key is one answer key: what a careful reader finds in a text.
type Key struct {
	File     string `json:"file"`
	Notes    string `json:"reader_notes"`
	Headings []struct {
		Line int    `json:"line"`
		Text string `json:"text"`
	} `json:"headings"`
	Units []struct {
		Line      int        `json:"line"`
		Kind      model.Kind `json:"kind"`
		Number    int64      `json:"number"`
		First     string     `json:"first"`
		Last      string     `json:"last"`
		Continues bool       `json:"continues"`
	} `json:"units"`
	Furniture []struct {
		Line int    `json:"line"`
		Text string `json:"text"`
	} `json:"furniture"`
	Hyphens []struct {
		Line int    `json:"line"`
		Want string `json:"want"`
	} `json:"hyphens"`
}

// Score is the result for one text.
type Score struct {
	File             string   `json:"file"`
	Units            int      `json:"units"`
	ExactUnits       int      `json:"exact_units"`
	KindRight        int      `json:"kind_right"`
	Passages         int      `json:"passages"`
	PassagesAtUnit   int      `json:"passages_starting_a_unit"`
	Furniture        int      `json:"furniture"`
	FurnitureLeaked  int      `json:"furniture_leaked"`
	Headings         int      `json:"headings"`
	HeadingsLeaked   int      `json:"headings_leaked"`
	Hyphens          int      `json:"hyphens"`
	HyphensRight     int      `json:"hyphens_right"`
	Missed           []string `json:"missed,omitempty"`
	LeakedFurniture  []string `json:"leaked_furniture,omitempty"`
	LeakedHeadings   []string `json:"leaked_headings,omitempty"`
	WrongHyphens     []string `json:"wrong_hyphens,omitempty"`
	SpuriousPassages []string `json:"spurious_passages,omitempty"`
}

// LoadKeys reads every *.json answer key in dir, sorted by file name.
func LoadKeys(dir string) ([]Key, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var keys []Key
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var k Key
		if err := json.Unmarshal(b, &k); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if k.File == "" {
			return nil, fmt.Errorf("%s: no \"file\"", p)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Text is a text to score: its path and the basic registry entry.
type Text struct {
	Path  string
	Party string
}

// Dump, when set, receives each parsed text before it is scored.
type Dump func(file string, ex *model.Extracted, ps []model.Passage)

// Run parses every text in texts (keyed by file name) with a lexicon learnt from all of them and
// the parties of m, and scores those that have a key.
func Run(ctx context.Context, keys []Key, texts map[string]Text, m *registry.Matcher, dump Dump) ([]Score, error) {
	lex := extract.Lexicon{}
	names := make([]string, 0, len(texts))
	for n := range texts {
		names = append(names, n)
	}
	sort.Strings(names)
	decoded := map[string]*extract.Text{}
	for _, n := range names {
		t, err := extract.Read(registry.Source{ID: "t", Path: texts[n].Path, Encoding: registry.EncodingUTF8}, 0)
		if err != nil {
			return nil, err
		}
		decoded[n] = t
		lex.Add(t.S)
	}
	var out []Score
	for _, k := range keys {
		t, ok := decoded[k.File]
		if !ok {
			return nil, fmt.Errorf("answer key for %s: the text is not in the corpus", k.File)
		}
		src := registry.Source{ID: "eval", File: k.File, Path: texts[k.File].Path, Format: model.FormatProgrammeText,
			Title: "eval", Election: "TK", Topic: "t", Language: "nl", Encoding: registry.EncodingUTF8,
			Party: texts[k.File].Party, Markup: registry.MarkupPDF}
		reg := &registry.Registry{Matcher: m}
		ex, err := extract.Extract(ctx, reg, src, t, lex)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.File, err)
		}
		res := normalize.Document(ex)
		if dump != nil {
			dump(k.File, ex, res.Passages)
		}
		out = append(out, score(k, t, ex, res.Passages))
	}
	return out, nil
}

// norm keeps the letters and digits of s, in lower case: the comparison ignores white space,
// punctuation and hyphens, which the key's first and last words cannot pin down.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func score(k Key, t *extract.Text, ex *model.Extracted, ps []model.Passage) Score {
	s := Score{File: k.File, Units: len(k.Units), Passages: len(ps), Furniture: len(k.Furniture), Headings: len(k.Headings), Hyphens: len(k.Hyphens)}
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = norm(p.Text)
	}
	// Units: exactly one passage starts on the unit's line with its first words and ends with its last.
	startsUnit := make([]bool, len(ps))
	for _, u := range k.Units {
		first, last := norm(u.First), norm(u.Last)
		n, kind := 0, false
		for i, p := range ps {
			if int(p.SourceLine) != u.Line || !strings.HasPrefix(texts[i], first) {
				continue
			}
			startsUnit[i] = true
			if strings.HasSuffix(texts[i], last) {
				n++
				kind = kind || p.Kind == u.Kind
			}
		}
		if n == 1 {
			s.ExactUnits++
			if kind {
				s.KindRight++
			}
		} else {
			s.Missed = append(s.Missed, fmt.Sprintf("line %d %s: %s … %s", u.Line, u.Kind, u.First, u.Last))
		}
	}
	for i, ok := range startsUnit {
		if ok {
			s.PassagesAtUnit++
		} else {
			s.SpuriousPassages = append(s.SpuriousPassages, fmt.Sprintf("line %d %s: %s", ps[i].SourceLine, ps[i].Kind, clip(ps[i].Text)))
		}
	}
	// Furniture: leaked when a letter or digit of it lies in a passage's span outside the dropped ranges.
	inPassage := make([]bool, len(t.Raw))
	for _, p := range ps {
		for i := p.SourceStart; i < p.SourceEnd; i++ {
			inPassage[i] = true
		}
	}
	for _, sp := range ex.Spans {
		if sp.Class == model.ClassDropped {
			for i := sp.Start; i < sp.End; i++ {
				inPassage[i] = false
			}
		}
	}
	lineStarts := []int{0}
	for i, b := range t.Raw {
		if b == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	lineText := func(n int) (int, string) {
		if n < 1 || n > len(lineStarts) {
			return 0, ""
		}
		s := lineStarts[n-1]
		e := len(t.Raw)
		if n < len(lineStarts) {
			e = lineStarts[n] - 1
		}
		return s, string(t.Raw[s:e])
	}
	used := map[[2]int]bool{}
	for _, f := range k.Furniture {
		off, lt := lineText(f.Line)
		from := 0
		at := -1
		for {
			j := strings.Index(lt[from:], f.Text)
			if j < 0 {
				break
			}
			if !used[[2]int{f.Line, from + j}] {
				at = from + j
				break
			}
			from += j + 1
		}
		if at < 0 {
			s.Furniture--
			continue
		}
		used[[2]int{f.Line, at}] = true
		leaked := false
		for i := off + at; i < off+at+len(f.Text); i++ {
			r := rune(t.Raw[i])
			if inPassage[i] && (r >= 0x80 || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				leaked = true
			}
		}
		if leaked {
			s.FurnitureLeaked++
			s.LeakedFurniture = append(s.LeakedFurniture, fmt.Sprintf("line %d: %s", f.Line, clip(f.Text)))
		}
	}
	// Headings: leaked when a passage holds the heading's text (headings of two words or more).
	for _, h := range k.Headings {
		hn := norm(h.Text)
		if len(strings.Fields(h.Text)) < 2 || len(hn) < 8 {
			continue
		}
		for i, p := range ps {
			if strings.Contains(texts[i], hn) && p.SourceLine <= int64(h.Line) && int64(h.Line) <= lastLine(t.Raw, p) {
				s.HeadingsLeaked++
				s.LeakedHeadings = append(s.LeakedHeadings, fmt.Sprintf("line %d: %s", h.Line, h.Text))
				break
			}
		}
	}
	// Hyphens: the passage over the hyphen's line holds the wanted word.
	for _, h := range k.Hyphens {
		right := false
		for _, p := range ps {
			if p.SourceLine <= int64(h.Line) && int64(h.Line) < lastLine(t.Raw, p) && containsWord(p.Text, h.Want) {
				right = true
			}
		}
		if right {
			s.HyphensRight++
		} else {
			s.WrongHyphens = append(s.WrongHyphens, fmt.Sprintf("line %d: want %s", h.Line, h.Want))
		}
	}
	return s
}

func containsWord(text, want string) bool {
	if strings.HasSuffix(want, "-") {
		return strings.Contains(text, want+" ")
	}
	return strings.Contains(text, want)
}

func lastLine(raw []byte, p model.Passage) int64 {
	return p.SourceLine + int64(strings.Count(string(raw[p.SourceStart:p.SourceEnd]), "\n"))
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 70 {
		return string(r[:70]) + "…"
	}
	return s
}

// Total adds up the scores.
func Total(ss []Score) Score {
	t := Score{File: "all"}
	for _, s := range ss {
		t.Units += s.Units
		t.ExactUnits += s.ExactUnits
		t.KindRight += s.KindRight
		t.Passages += s.Passages
		t.PassagesAtUnit += s.PassagesAtUnit
		t.Furniture += s.Furniture
		t.FurnitureLeaked += s.FurnitureLeaked
		t.Headings += s.Headings
		t.HeadingsLeaked += s.HeadingsLeaked
		t.Hyphens += s.Hyphens
		t.HyphensRight += s.HyphensRight
	}
	return t
}
