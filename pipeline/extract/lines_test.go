package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// splitLinesPlain and lexiconAddPlain are splitLines and Lexicon.Add as they were written first,
// byte by byte and line by line: the references the faster ones must agree with.
func splitLinesPlain(s string) []line {
	var ls []line
	start, num := 0, 1
	for i := 0; i < len(s); {
		n := breakAt(s, i)
		if n == 0 {
			i++
			continue
		}
		ls = append(ls, line{start, i, num})
		i += n
		start, num = i, num+1
	}
	if start < len(s) {
		ls = append(ls, line{start, len(s), num})
	}
	return ls
}

func lexiconAddPlain(l Lexicon, text string) {
	for _, line := range splitLinesPlain(text) {
		ln := text[line.start:line.end]
		if strings.IndexByte(ln, '-') < 0 {
			continue
		}
		ln = strings.TrimRightFunc(ln, isSpace)
		for _, f := range strings.FieldsFunc(ln, func(r rune) bool { return !isWordChar(r) && r != '-' }) {
			f = strings.Trim(f, "-")
			if !strings.Contains(f, "-") {
				continue
			}
			parts := strings.Split(f, "-")
			ok := true
			for _, p := range parts {
				r, _ := utf8.DecodeRuneInString(p)
				if p == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					ok = false
				}
			}
			for i := 1; i < len(parts) && ok; i++ {
				if suffixes[parts[i]] {
					ok = false
				}
			}
			if ok {
				for i := 0; i+1 < len(parts); i++ {
					l[parts[i]+"-"+parts[i+1]] = struct{}{}
				}
				l[f] = struct{}{}
			}
		}
	}
}

var lineSeeds = []string{
	"", "-", "a-b", "a-b\n", "\na-b", "a-b\r\nc-d\re-f\u2028g-h\u2029i-j", "hoog-risico-algoritmen en AI-geletterdheid",
	"verantwoordelijk-heid", "x\r\r\n\n-\xe2\x80\xa8-\xe2\x80", "\xe2\x80\xa8a-b", "a\xe2\x80\xa9-b", "\xa8-a", "\x80\xa8-x",
	"e-mail\n\ne-mail -\n-a b- c-d-e\r", "ICT-\nsystemen", "\xe2-a\xe2\x80-b",
	"x -a- b-\n-c-d-", "e-mail, e-mailen; 5G-netwerk (1-2) a--b\r\nopen-source-software-licentie-model-x-y-z-w-v-u-t-s-r-q-p-o-n-m",
	"één-tweeë\u0301-drie\u2028vier-vijf\tacht-", "-heid-lijk-ing", "a-heid b-c", "1-a -b-c-",
}

func checkLines(t *testing.T, s string) {
	t.Helper()
	want := splitLinesPlain(s)
	if got := splitLines(s); !(len(got) == 0 && len(want) == 0) && !reflect.DeepEqual(got, want) {
		t.Fatalf("splitLines(%q) = %v, byte by byte %v", s, got, want)
	}
	got, wantLex := Lexicon{}, Lexicon{}
	got.Add(s)
	lexiconAddPlain(wantLex, s)
	if !reflect.DeepEqual(got, wantLex) {
		t.Fatalf("Lexicon.Add(%q) = %v, line by line %v", s, got, wantLex)
	}
}

// TestLinesAgree holds splitLines and Lexicon.Add to their references on the seeds and on every
// text of raw/ and the corpus.
func TestLinesAgree(t *testing.T) {
	for _, s := range lineSeeds {
		checkLines(t, s)
	}
	var paths []string
	for _, pattern := range []string{filepath.Join("..", "..", "raw", "*.txt"), filepath.Join("..", "..", "raw", "programmes", "*"), filepath.Join(corpusDir, "*.txt")} {
		ps, _ := filepath.Glob(pattern)
		paths = append(paths, ps...)
	}
	require.NotEmpty(t, paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		checkLines(t, string(b))
	}
}

// FuzzLines: on any text, splitLines and Lexicon.Add agree with their references.
func FuzzLines(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkLines(t, s) })
}

// BenchmarkLines reads every text of raw/ (or of -extract.raw) as the build's first pass does
// (Lexicon.Add) and as the parser starts (splitLines), beside the references, so that one run
// compares them under the same load.
func BenchmarkLines(b *testing.B) {
	var texts []string
	var size int64
	for _, pattern := range []string{filepath.Join(*benchRaw, "*.txt"), filepath.Join(*benchRaw, "programmes", "*")} {
		ps, _ := filepath.Glob(pattern)
		for _, p := range ps {
			raw, err := os.ReadFile(p)
			require.NoError(b, err)
			texts = append(texts, string(raw))
			size += int64(len(raw))
		}
	}
	for _, bc := range []struct {
		name string
		f    func(string)
	}{
		{"Lexicon.Add", func(s string) { Lexicon{}.Add(s) }},
		{"Lexicon.Add/plain", func(s string) { lexiconAddPlain(Lexicon{}, s) }},
		{"splitLines", func(s string) { splitLines(s) }},
		{"splitLines/plain", func(s string) { splitLinesPlain(s) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				for _, s := range texts {
					bc.f(s)
				}
			}
		})
	}
}
