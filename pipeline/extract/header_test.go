package extract

import (
	"reflect"
	"regexp"
	"testing"
	"unicode/utf8"
)

// headerSpec decodes bytes into a header pattern: each byte picks a part (a literal from a small
// alphabet that has spaces, digits and a no-break space in it, a run of white space, or a number),
// so the fuzzer also makes patterns no header has (white space inside a literal after a run of
// white space, digits after digits), where the regexp has to back off.
func headerSpec(spec []byte) headerPattern {
	alphabet := []string{"a", "B", " ", "\t", "1", "2", "\u00a0", "é", ".", "|", "€"}
	var hp headerPattern
	for i := 0; i < len(spec) && len(hp) < 12; i++ {
		b := spec[i]
		switch b % 3 {
		case 0:
			hp = hp.literal(alphabet[int(b/3)%len(alphabet)])
		case 1:
			hp = hp.space()
		default:
			lo := 1 + int(b/3)%3
			hp = hp.digits(lo, lo+int(b/9)%3)
		}
	}
	return hp
}

func checkHeaderPattern(t *testing.T, hp headerPattern, s string) {
	t.Helper()
	if len(hp) == 0 {
		return
	}
	re := regexp.MustCompile(hp.source())
	got, want := hp.findAll(s), re.FindAllStringIndex(s, -1)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pattern %s on %q: findAll gives %v, the regexp %v", re, s, got, want)
	}
}

func TestHeaderPattern(t *testing.T) {
	var hp headerPattern
	page := hp.literal("GroenLinks").space().literal("|").space().literal("Verkiezingsprogramma").space().literal("2021").space().literal("|").space().digits(1, 4)
	assert := func(p headerPattern, s string, want [][]int) {
		t.Helper()
		checkHeaderPattern(t, p, s)
		if got := p.findAll(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s on %q: %v, want %v", p.source(), s, got, want)
		}
	}
	assert(page, "GroenLinks | Verkiezingsprogramma 2021 | 76", [][]int{{0, 43}})
	assert(page, "x GroenLinks |\u00a0Verkiezingsprogramma\t2021 | 123456", [][]int{{2, 48}})
	assert(page, "GroenLinks | Verkiezingsprogramma 2021 | x", nil)
	section := hp.digits(1, 4).literal(".").digits(1, 4).space().literal("De").space().literal("overheid")
	assert(section, "12345.6 De overheid en 7.8  De overheid", [][]int{{1, 19}, {23, 39}})
	year := hp.literal("2021").digits(1, 2).space().literal("Titel")
	assert(year, "202194 Titel 2021 Titel 20219 Titel", [][]int{{0, 12}, {24, 35}})
	// White space that a literal after the run needs: the run backs off.
	backoff := hp.space().literal(" x")
	assert(backoff, "a   x", [][]int{{1, 5}})
	for _, s := range []string{"", "1", "12 12", "a\u00a0\u00a0 x", "1.2 De overheid"} {
		for _, spec := range [][]byte{{0}, {1, 0}, {2, 2}, {5, 1, 3}, {14, 4, 1, 6}} {
			checkHeaderPattern(t, headerSpec(spec), s)
		}
	}
}

// FuzzHeaderPattern: on any pattern of the three kinds of part and any text, findAll finds what
// the regexp written from the same parts finds.
func FuzzHeaderPattern(f *testing.F) {
	f.Add([]byte{2, 0, 2, 1, 3}, "12.3 a 4.5 a")
	f.Add([]byte{1, 6}, "   1 \u00a0 1")
	f.Add([]byte{12, 2, 1, 0}, "1111 22 a")
	f.Fuzz(func(t *testing.T, spec []byte, s string) {
		if !utf8.ValidString(s) {
			return // decoded texts are valid UTF-8 (Read rejects the rest)
		}
		checkHeaderPattern(t, headerSpec(spec), s)
	})
}
