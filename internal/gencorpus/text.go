package gencorpus

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/model"
)

// gen writes the text of one document from its own random stream.
type gen struct {
	v    *vocab
	r    *rand.Rand
	pool *partyPool
	b    []byte // scratch
}

func (c *corpus) newGen(r *rand.Rand) *gen { return &gen{v: c.v, r: r, pool: c.pool} }

// backoff is the chance that a word is drawn from the vocabulary as a whole rather than from the
// words that follow the previous one: sentences stay locally plausible without replaying the
// texts they were learnt from.
const backoff = 0.22

func (g *gen) word() uint32 {
	return uint32(firstWordTok + pick(g.v.uni, g.r.Uint32N(g.v.uni[len(g.v.uni)-1])))
}

func (g *gen) lowerWord() uint32 {
	return g.v.lowerTok[pick(g.v.lowerUni, g.r.Uint32N(g.v.lowerUni[len(g.v.lowerUni)-1]))]
}

// follow draws the token after prev.
func (g *gen) follow(prev uint32) uint32 {
	s := g.v.next[prev]
	if len(s) == 0 || g.r.Float64() < backoff {
		return g.word()
	}
	return s[pickSucc(s, g.r.Uint32N(s[len(s)-1].cum))].tok
}

// pickSucc returns the index at which a draw x below the last cumulative count falls.
func pickSucc(s []succ, x uint32) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m].cum > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// sentence writes one sentence of minW to maxW words, ending in . ? or ! (lowerStart: starting
// with a lower-case word, not capitalised, to continue a sentence begun elsewhere).
func (g *gen) sentence(minW, maxW int, lowerStart bool) string {
	b := g.b[:0]
	words := 0
	prev := uint32(tokStop)
	end := "."
	for {
		var t uint32
		switch {
		case words == 0 && lowerStart:
			t = g.lowerWord()
		case words == 0:
			t = g.follow(tokStop)
		default:
			t = g.follow(prev)
		}
		if t < firstWordTok {
			switch {
			case words == 0 || prev < firstWordTok:
				t = g.word()
			case t <= tokExclaim && words >= minW:
				end = g.v.tokens[t]
			case t <= tokExclaim:
				t = g.word()
			case words < maxW:
				b = append(b, g.v.tokens[t]...)
				prev = t
				continue
			}
		}
		if t <= tokExclaim || words >= maxW {
			break
		}
		if words > 0 {
			b = append(b, ' ')
		}
		w := g.v.tokens[t]
		if words == 0 && !lowerStart {
			b = appendUpperFirst(b, w)
		} else {
			b = append(b, w...)
		}
		words++
		prev = t
	}
	if prev < firstWordTok {
		b = b[:len(b)-1] // a trailing , ; or :
	}
	b = append(b, end...)
	g.b = b
	return string(b)
}

// sentences writes n sentences joined by spaces.
func (g *gen) sentences(n, minW, maxW int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(g.sentence(minW, maxW, false))
	}
	return sb.String()
}

// phrase writes a heading or title of about n words: no punctuation, the first letter a capital,
// not ending in a function word.
func (g *gen) phrase(n int) string {
	b := g.b[:0]
	prev := uint32(tokStop)
	words := 0
	var last uint32
	for words < n+4 && (words < n || g.v.short[last]) {
		t := g.follow(prev)
		if t < firstWordTok {
			t = g.word()
		}
		if words > 0 {
			b = append(b, ' ')
			b = append(b, g.v.tokens[t]...)
		} else {
			b = appendUpperFirst(b, g.v.tokens[t])
		}
		words++
		prev, last = t, t
	}
	g.b = b
	return string(b)
}

// clean returns make()'s text once it names no party, so that a paragraph is only about the party
// the layout puts there (the party-summaries parser starts a party's block where another is named).
func (g *gen) clean(make func() string) string {
	for {
		s := make()
		if len(g.pool.matcher.Find(s)) == 0 {
			return s
		}
	}
}

func appendUpperFirst(b []byte, w string) []byte {
	r, n := utf8.DecodeRuneInString(w)
	b = utf8.AppendRune(b, unicode.ToUpper(r))
	return append(b, w[n:]...)
}

// alias draws a spelling of the party: its abbreviation mostly, another alias sometimes.
func (g *gen) alias(p *model.Party) string {
	if g.r.IntN(10) < 7 {
		for _, a := range p.Aliases {
			if a == p.Abbreviation {
				return a
			}
		}
	}
	return p.Aliases[g.r.IntN(len(p.Aliases))]
}

// wrap breaks text into lines of at most width characters (a longer word stands alone). With
// probability hyph a word that does not fit is hyphenated at the line end instead, when it is a
// lower-case word of eight letters or more.
func (g *gen) wrap(text string, width int, hyph float64) []string {
	var lines []string
	var cur []byte
	curLen := 0
	for _, w := range strings.Fields(text) {
		wl := utf8.RuneCountInString(w)
		switch {
		case curLen == 0:
			cur, curLen = append(cur, w...), wl
		case curLen+1+wl <= width:
			cur = append(cur, ' ')
			cur = append(cur, w...)
			curLen += 1 + wl
		default:
			if head, tail, ok := g.hyphenate(w, width-curLen-2); ok && g.r.Float64() < hyph {
				cur = append(cur, ' ')
				cur = append(cur, head...)
				cur = append(cur, '-')
				lines = append(lines, string(cur))
				cur, curLen = append(cur[:0], tail...), utf8.RuneCountInString(tail)
				continue
			}
			lines = append(lines, string(cur))
			cur, curLen = append(cur[:0], w...), wl
		}
	}
	if curLen > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// hyphenate splits a lower-case word about where Dutch hyphenation may: before a consonant that
// stands between two vowels (ta-ken) or between two consonants after a vowel (kos-ten), never
// inside "ch", "ng" or "ij"; at least three letters stay on each side and at most room go before
// the hyphen.
func (g *gen) hyphenate(w string, room int) (string, string, bool) {
	rs := []rune(w)
	letters := len(rs)
	for letters > 0 && !unicode.IsLetter(rs[letters-1]) {
		letters-- // trailing punctuation stays with the tail
	}
	if letters < 8 || room < 3 {
		return "", "", false
	}
	for _, r := range rs[:letters] {
		if !unicode.IsLower(r) {
			return "", "", false
		}
	}
	var cands []int
	for i := 3; i <= letters-3 && i <= room; i++ {
		a, b, next := rs[i-1], rs[i], rs[i+1]
		pair := string([]rune{a, b})
		if pair == "ch" || pair == "ng" || pair == "ij" || isVowel(b) || !isVowel(next) {
			continue
		}
		if isVowel(a) || isVowel(rs[i-2]) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return "", "", false
	}
	i := cands[g.r.IntN(len(cands))]
	return string(rs[:i]), string(rs[i:]), true
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouyáéíóúàèëïöüâêîôû", r) }
