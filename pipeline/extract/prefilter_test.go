package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prefilterSeeds are lines that reach each branch of the prefilters: matches, near misses, the
// case variants outside ASCII (Kelvin sign, long s), glyphs, no-break spaces and broken UTF-8.
var prefilterSeeds = []string{
	"",
	"discriminatie.Dienstbare overheid",
	"Gezond leven:Voor iedereen",
	"te overbruggen.  Grondrechten",
	"…nieuwe coöperatievormen 4. EERLIJKE ECONOMIE",
	"…nieuwe coöperatievormen 4. EERLIJKE & ECONOMIE &",
	"treinverbindingen. HOOFDSTUK 7",
	"wat we willen. 2. De overheid",
	"wat we willen: 12  Eerlijk",
	"Een zin. • Een punt ▶ nog één",
	"Een zin.” \uF0B7 glyph",
	"Een zin. 6Geen bullet",
	"geldSCHEIDING en TELTMeer, PvdA, ChristenUnie",
	"ÉÉÉÉén ÀÁÂÃÄ ßÖÜÄÖ",
	"hier44",
	"hier 44 45",
	"producten 14uit de 2e en 21ste eeuw",
	"producten.14Uit",
	"zin. 3 • punt",
	"Pagina 3 van 12",
	"PAGE 4 of 9",
	"blz. 7 / 8",
	"pag", "PAGINA", "Programma 2021", "hoofdſtuk", "HOOFDSTUK", "hoofdstuk 3a", "Hoofdstuk\t12 Titel",
	"inhoudsopgave", "INHOUDſOPGAVE", "\u212Aelvin",
	"Een zin.", "Een zin.”)", "Een zin…", "Een zin;'", "geen einde", "Een zin.\xe2\x80", "a\xff.\xc3",
	"12 34", "1234", "12345", "7 Titel", "4.10.1 Een punt", "2021 jaar", "6Een", "6e",
	"• punt", "- punt", "– punt", "— punt", "* punt", "\u00A0x", "\x80\x80\x80\x80a",
	"ABCD\xc3\xa9f", "\xc3\xa9ABCD", "a\u2019ABCD", "line\u00A0 12  ",
	"a\r\nb\rc\nd\u2028e\u2029f\r\n\r\r\n\n\xe2\x80\xe2\x80\xa8",
	// Sentence tails: the closing marks, the white space, the capital, 2 and 60 runes after it and
	// one too few or too many, a newline and broken UTF-8 inside the tail, a mark inside it.
	"Zin. Ab", "Zin. A", "Zin. Abc", "Zin.”\u00a0\tÉén twee", "Zin.) Kop", "Zin.’Kop", "Zin.\"  Kop", "Zin.Kop",
	"Zin. kop", "Zin. K" + strings.Repeat("x", 60), "Zin. K" + strings.Repeat("x", 61), "Zin. K" + strings.Repeat("é", 60),
	"Zin. Kop\nmet regel", "Zin. Ko\xffp", "Zin. \xc3", "Zin. Kop • punt", "Zin! Kop", "Zin? Kop", "Zin. Kop;",
}

// corpusLines returns the distinct lines of the raw programme texts and of the corpus (when it is
// here), as seeds: every line the parser reads.
func corpusLines(tb testing.TB) []string {
	tb.Helper()
	var paths []string
	for _, pattern := range []string{filepath.Join("..", "..", "raw", "programmes", "*.txt"), filepath.Join(corpusDir, "*.txt")} {
		ps, _ := filepath.Glob(pattern)
		paths = append(paths, ps...)
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(tb, err)
		for _, l := range splitLines(string(b)) {
			if s := string(b[l.start:l.end]); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// FuzzPrefilters holds every prefiltered wrapper to the plain regexp it stands for, on any bytes:
// a prefilter that ruled out a match would change the parser's output.
func FuzzPrefilters(f *testing.F) {
	for _, s := range prefilterSeeds {
		f.Add(s)
	}
	for _, s := range corpusLines(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPrefilters(t, s) })
}

func checkPrefilters(t *testing.T, s string) {
	t.Helper()
	same := func(name string, got, want any) {
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s(%q) = %v, the regexp gives %v", name, s, got, want)
		}
	}
	same("glueSent", glueSent(s), glueSentRE.FindAllStringIndex(s, -1))
	same("gluePoint", gluePoint(s), gluePointRE.FindAllStringSubmatchIndex(s, -1))
	same("glueBullet", glueBullet(s), glueBulletRE.FindAllStringSubmatchIndex(s, -1))
	same("glueCaps", glueCaps(s), glueCapsRE.FindAllStringIndex(s, -1))
	same("glueCapsWords", glueCapsWords(s), glueCapsWord.FindAllStringIndex(s, -1))
	same("findGlue", findGlue(s), glueMatches{glueSentRE.FindAllStringIndex(s, -1), gluePointRE.FindAllStringSubmatchIndex(s, -1),
		glueBulletRE.FindAllStringSubmatchIndex(s, -1), glueCapsRE.FindAllStringIndex(s, -1), glueCapsWord.FindAllStringIndex(s, -1)})
	same("capsLabel", capsLabel(s), capsLabelRE.FindStringSubmatchIndex(s))
	same("sentenceTail", sentenceTail(s), tailRE.FindStringSubmatchIndex(s))
	same("gluedEnd", gluedEnd(s), gluedEndRE.FindStringSubmatchIndex(s))
	same("gluedMid", gluedMid(s), gluedMidRE.FindAllStringSubmatchIndex(s, -1))
	same("pagina", pagina(s), paginaRE.FindAllStringIndex(s, -1))
	same("endsSentence", endsSentence(s), sentenceEnd.MatchString(s))
	same("furnitureWordIn", furnitureWordIn(s), furnitureWord.MatchString(s))
	for name, re := range map[string]*startRE{"pageLineRE": pageLineRE, "gluedStartRE": gluedStartRE, "bulletRE": bulletRE,
		"dashBulletRE": dashBulletRE, "wingdingsRE": wingdingsRE, "numberRE": numberRE, "chapterRE": chapterRE, "lineNumberRE": lineNumberRE} {
		same(name+".MatchString", re.MatchString(s), re.re.MatchString(s))
		same(name+".FindString", re.FindString(s), re.re.FindString(s))
		same(name+".FindStringSubmatch", re.FindStringSubmatch(s), re.re.FindStringSubmatch(s))
		same(name+".FindStringSubmatchIndex", re.FindStringSubmatchIndex(s), re.re.FindStringSubmatchIndex(s))
	}
	// The masked line and its offsets, against the plain per-byte mapping.
	p := &parser{t: &Text{S: s}}
	m := p.mask(0, len(s))
	wantS, wantOff := maskPlain(s)
	same("mask", m.s, wantS)
	for i := range m.s { // at each rune boundary
		same("mask.off", m.off(i), wantOff[i])
	}
	same("mask.off(end)", m.off(len(m.s)), wantOff[len(m.s)])
	same("maskedTokens", maskedTokens(m.s), maskedTokensPlain(m.s))
	ends := lineEnds([]byte(s))
	for i := 0; i <= len(s) && i <= 1024; i++ {
		l, _ := position([]byte(s), i)
		same("lineEnds.line", ends.line(i), l)
	}
}

// maskPlain masks s the plain way: every byte of s gets the offset it came from (every byte of a
// copied rune the rune's start, a run its first byte), with one more entry for the end.
func maskPlain(s string) (string, []int) {
	var b strings.Builder
	var off []int
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		in := func(r rune) bool { return false }
		var c byte
		switch {
		case unicode.IsDigit(r):
			in, c = unicode.IsDigit, '#'
		case isSpace(r):
			in, c = isSpace, ' '
		}
		if c == 0 {
			b.WriteString(s[i : i+n])
			for k := 0; k < n; k++ {
				off = append(off, i)
			}
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if !in(r2) {
				break
			}
			j += n2
		}
		b.WriteByte(c)
		off = append(off, i)
		i = j
	}
	return b.String(), append(off, len(s))
}

// maskedTokensPlain splits a masked line with every test on every rune, as the rule reads.
func maskedTokensPlain(s string) []tok {
	var out []tok
	start := -1
	var prev rune
	for i, r := range s {
		split := r == ' ' || r == '#' || prev == '#' || strings.ContainsRune(".!?:;", prev) && unicode.IsUpper(r) ||
			unicode.IsLower(prev) && capsRunAt(s[i:], 3) ||
			unicode.IsUpper(prev) && unicode.IsUpper(r) && lowerAfter(s[i:]) && capsRunBefore(s[:i], 3)
		if split && start >= 0 {
			out = append(out, tok{start, i})
			start = -1
		}
		if r != ' ' && start < 0 {
			start = i
		}
		prev = r
	}
	if start >= 0 {
		out = append(out, tok{start, len(s)})
	}
	return out
}

// TestFoldASCII checks the claim the case-insensitive prefilters rest on: the letters they search
// for in ASCII have no case variant outside ASCII, unlike "k" and "s".
func TestFoldASCII(t *testing.T) {
	asciiOrbit := func(r rune) bool {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f >= utf8.RuneSelf {
				return false
			}
		}
		return true
	}
	for _, w := range []string{"pag", "blz", "programma", "pagina", "hoofd", "inhoud", "h"} {
		for _, r := range w {
			assert.True(t, asciiOrbit(r), "%q in %q has a case variant outside ASCII", r, w)
		}
	}
	assert.False(t, asciiOrbit('k'), "the Kelvin sign folds to k")
	assert.False(t, asciiOrbit('s'), "the long s folds to s")
}

// TestPrefilterSeeds runs the seeds as a table, with a name per line, so that a failure says which.
func TestPrefilterSeeds(t *testing.T) {
	for _, s := range prefilterSeeds {
		t.Run("", func(t *testing.T) { checkPrefilters(t, s) })
	}
	// The prefilters must also let the regexps match: each of these lines matches its pattern.
	assert.NotNil(t, glueSent("discriminatie.Dienstbare"))
	assert.NotNil(t, gluePoint("wat we willen. 2. De overheid"))
	assert.NotNil(t, glueBullet("Een zin. • Een punt"))
	assert.NotNil(t, glueCaps("geldSCHEIDING"))
	assert.NotNil(t, glueCapsWords("TELTMeer"))
	assert.NotNil(t, capsLabel("coöperatievormen 4. EERLIJKE ECONOMIE"))
	assert.NotNil(t, sentenceTail("te overbruggen.  Grondrechten"))
	assert.NotNil(t, gluedEnd("hier44"))
	assert.NotNil(t, gluedMid("producten 14uit"))
	assert.NotNil(t, pagina("Pagina 3 van 12"))
	assert.True(t, endsSentence("Een zin.”)"))
	assert.True(t, furnitureWordIn("HOOFDſTUK"))
}

// BenchmarkSentenceTail reads every line of raw/ and the corpus for a sentence tail, by hand and
// by the regexp, in one run.
func BenchmarkSentenceTail(b *testing.B) {
	lines := corpusLines(b)
	b.Run("hand", func(b *testing.B) {
		for b.Loop() {
			for _, s := range lines {
				sentenceTail(s)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for _, s := range lines {
				if i := strings.LastIndexAny(s, ".!?"); i >= 0 && !strings.ContainsAny(s[i:], ":;,") {
					tailRE.FindStringSubmatchIndex(s[i:])
				}
			}
		}
	})
}
