package extract

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output")

// corpusDir is the development corpus of real programme chapters beside the clone.
const corpusDir = "../../../shared/corpus/texts"

// corpusTexts returns the corpus texts, or skips the test when the corpus is not there (CI has it).
func corpusTexts(t *testing.T) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(paths) == 0 {
		if os.Getenv("STANDPUNTEN_CONFORMANCE") == "require" {
			t.Fatalf("the corpus is missing: %s (../shared/corpus beside the clone)", corpusDir)
		}
		t.Skipf("the corpus is not here (%s); these tests read ../shared/corpus beside the clone", corpusDir)
	}
	sort.Strings(paths)
	return paths
}

// parseCorpus parses every corpus text as a programme text with only the basic registry entry, with
// a lexicon learnt from all of them, as a build over the corpus would.
func parseCorpus(t *testing.T) map[string]parsed {
	paths := corpusTexts(t)
	lex := Lexicon{}
	texts := map[string]*Text{}
	for _, p := range paths {
		tx, err := Read(registry.Source{ID: "c", Path: p, Encoding: registry.EncodingUTF8}, 0)
		require.NoError(t, err)
		texts[p] = tx
		lex.Add(tx.S)
	}
	out := map[string]parsed{}
	reg := &registry.Registry{Parties: testParties, Matcher: registry.NewMatcher(testParties)}
	for _, p := range paths {
		src := registry.Source{ID: "c", File: filepath.Base(p), Path: p, Format: model.FormatProgrammeText, Title: "T",
			Encoding: registry.EncodingUTF8, Markup: registry.MarkupPDF}
		ex, err := Extract(context.Background(), reg, src, texts[p], lex)
		require.NoError(t, err, p)
		out[filepath.Base(p)] = parsed{texts[p], ex}
	}
	return out
}

type parsed struct {
	t  *Text
	ex *model.Extracted
}

// TestCorpusInvariants checks every corpus text: every byte is in exactly one class, and each
// passage's letters and digits are those of its source stretch minus the furniture dropped inside it.
func TestCorpusInvariants(t *testing.T) {
	for name, p := range parseCorpus(t) {
		acc, err := Account(p.t, p.ex)
		require.NoError(t, err, name)
		var sum int64
		for _, n := range acc.Classes {
			sum += n
		}
		assert.Equal(t, acc.Bytes, sum, name)
		for _, u := range p.ex.Units {
			assert.Equal(t, letters(u.Text), letters(spanText(p.t.Raw, u, p.ex.Spans)), "%s: unit at line %d", name, u.Line)
		}
	}
}

// spanText is the raw stretch of a unit without the dropped spans inside it.
func spanText(raw []byte, u model.Unit, spans []model.Span) string {
	var b strings.Builder
	pos := u.Start
	for _, s := range spans {
		if s.Class == model.ClassDropped && s.Start >= u.Start && s.End <= u.End {
			b.Write(raw[pos:s.Start])
			pos = s.End
		}
	}
	b.Write(raw[pos:u.End])
	return b.String()
}

// TestCorpusGolden compares a readable dump of every corpus text (headings, units and dropped
// furniture in file order) with testdata/corpus/<text>.txt. Run with -update, then read the diff
// against the raw text.
func TestCorpusGolden(t *testing.T) {
	for name, p := range parseCorpus(t) {
		got := dump(p.t, p.ex)
		path := filepath.Join("testdata", "corpus", strings.TrimSuffix(name, ".txt")+".txt")
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./pipeline/extract -run TestCorpusGolden -update")
		assert.Equal(t, string(want), got, "golden %s differs; if the change is intended, run with -update and read the diff", path)
	}
}

// dump renders what the parser found: a summary line, then headings, units and dropped spans in
// file order, one a line, each with the raw line it starts on.
func dump(t *Text, ex *model.Extracted) string {
	type entry struct {
		start int64
		line  string
	}
	var es []entry
	kinds := map[model.Kind]int{}
	dropped := map[string]int64{}
	for _, u := range ex.Units {
		kinds[u.Kind]++
		l, _ := position(t.Raw, int(u.Start))
		head := string(u.Kind)
		if u.Number > 0 {
			head += fmt.Sprintf(" %d", u.Number)
		}
		sec := ""
		if len(u.SectionPath) > 0 {
			sec = "[" + strings.Join(strings.Fields(strings.Join(u.SectionPath, " > ")), " ") + "] "
		}
		fl := ""
		if len(u.Flags) > 0 {
			fl = " {" + strings.Join(u.Flags, ",") + "}"
		}
		es = append(es, entry{u.Start, fmt.Sprintf("L%-4d %-10s%s %s%s", l, head, fl, sec, strings.Join(strings.Fields(u.Text), " "))})
	}
	headings := 0
	for _, s := range ex.Spans {
		l, _ := position(t.Raw, int(s.Start))
		text := strings.Join(strings.Fields(string(t.Raw[s.Start:s.End])), " ")
		switch {
		case s.Class == model.ClassDropped:
			dropped[s.Label] += s.End - s.Start
			es = append(es, entry{s.Start, fmt.Sprintf("L%-4d -%s %q", l, s.Label, text)})
		case s.Label == "heading":
			headings++
			es = append(es, entry{s.Start, fmt.Sprintf("L%-4d #heading  %s", l, text)})
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].start < es[j].start })
	var b strings.Builder
	fmt.Fprintf(&b, "# %d units (%s), %d headings; dropped bytes: %s\n", len(ex.Units), countList(kinds), headings, countList(dropped))
	for _, e := range es {
		b.WriteString(e.line)
		b.WriteByte('\n')
	}
	return b.String()
}

func countList[K ~string, V int | int64](m map[K]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[K(k)]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
