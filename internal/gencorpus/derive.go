package gencorpus

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/standpunten/standpunten/pipeline/registry"
)

// The punctuation tokens of the vocabulary, in this order at its start. A sentence ends with one of
// the first three; the last three go between words.
var punctTokens = []string{".", "?", "!", ",", ";", ":"}

// furnitureWords are words that make a repeated run of words look like page furniture to the
// programme-text parser ("programma", "hoofdstuk"): the vocabulary leaves them out, so that running
// text never repeats one by chance and loses it as a running header.
var furnitureWords = regexp.MustCompile(`(?i)programma|hoofdstuk|pagina|inhoudsopgave`)

// deriveVocabulary builds the vocabulary file from texts: every word (letters, with hyphens or
// apostrophes inside) and how often each word or punctuation mark follows another. Words are left
// out when they hold digits, name a party (m finds an alias in them), look like page furniture,
// hold capitals after their first letter (other than an abbreviation of at most four capitals, as
// "ICT" or "AI-systemen"), or are longer than 30 characters (glued PDF text). A word at the start of
// a sentence is counted in lower case when it also occurs in lower case. A line-end hyphen between
// two letters is undone ("verantwoordelijk-" + "heid").
func deriveVocabulary(texts [][]byte, m *registry.Matcher) []byte {
	// Pass 1: the raw token stream, words and punctuation, with whether a word starts a sentence.
	type tok struct {
		s       string
		initial bool
	}
	var stream []tok
	for _, t := range texts {
		stream = append(stream, tok{s: "."}) // a text starts a sentence
		for _, w := range tokenize(string(t)) {
			initial := len(stream) > 0 && isEnd(stream[len(stream)-1].s)
			stream = append(stream, tok{s: w, initial: initial})
		}
	}
	lower := map[string]bool{}
	for _, t := range stream {
		if !t.initial && !isPunct(t.s) {
			lower[t.s] = true
		}
	}
	// Pass 2: keep the good words, count them and their successors.
	index := map[string]int{}
	var words []string
	for _, p := range punctTokens {
		index[p] = len(words)
		words = append(words, p)
	}
	var seq []int
	for _, t := range stream {
		s := t.s
		if !isPunct(s) {
			if t.initial {
				if l := lowerFirst(s); l != s && lower[l] {
					s = l
				}
			}
			if !goodWord(s, m) {
				continue
			}
		}
		i, ok := index[s]
		if !ok {
			i = len(words)
			index[s] = i
			words = append(words, s)
		}
		seq = append(seq, i)
	}
	counts := make([]int, len(words))
	next := make([]map[int]int, len(words))
	prev := 0 // "." : a sentence starts
	for _, i := range seq {
		counts[i]++
		if isPunct(words[prev]) && isPunct(words[i]) {
			// ", ." or ". ,": only a word follows a mark (a dropped word can leave two together).
			if isEnd(words[i]) {
				prev = i
			}
			continue
		}
		if next[prev] == nil {
			next[prev] = map[int]int{}
		}
		next[prev][i]++
		prev = i
	}
	// Words in a stable order: punctuation first, then by falling count, then alphabetically.
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	np := len(punctTokens)
	sort.SliceStable(order[np:], func(a, b int) bool {
		x, y := order[np+a], order[np+b]
		if counts[x] != counts[y] {
			return counts[x] > counts[y]
		}
		return words[x] < words[y]
	})
	pos := make([]int, len(words))
	for p, i := range order {
		pos[i] = p
	}
	var b bytes.Buffer
	b.WriteString(vocabHeader)
	for _, i := range order {
		fmt.Fprintf(&b, "%s\t%d", words[i], counts[i])
		succ := make([]int, 0, len(next[i]))
		for j := range next[i] {
			succ = append(succ, j)
		}
		sort.Slice(succ, func(a, c int) bool { return pos[succ[a]] < pos[succ[c]] })
		for _, j := range succ {
			b.WriteByte('\t')
			b.WriteString(strconv.Itoa(pos[j]))
			if n := next[i][j]; n != 1 {
				b.WriteByte(':')
				b.WriteString(strconv.Itoa(n))
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

const vocabHeader = `# The vocabulary of the generated corpora: the words of the texts in raw/ (the seed texts and the
# programme chapters) and how often each word or punctuation mark follows another. Derived from raw/
# by "go test ./internal/gencorpus -run TestVocabulary -update"; do not edit by hand.
# After these comments, line n (from 0) is token n: TOKEN, its count, then the tokens that follow it
# as N or N:COUNT (a count of 1 is left out). Tokens 0-5 are . ? ! , ; :
`

// tokenize splits a text into words and punctuation marks. A word is a run of letters (and combining
// marks) with single hyphens or apostrophes between letters; a line-end hyphen followed by a
// lower-case letter on the next line joins the two halves. Anything else separates words; "." "?"
// "!" "," ";" ":" are tokens of their own (an ellipsis and runs of marks count once). A word with a
// digit in it is returned whole, for the caller to drop.
func tokenize(s string) []string {
	var out []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			out = append(out, w.String())
			w.Reset()
		}
	}
	mark := func(p string) {
		flush()
		if len(out) > 0 && isPunct(out[len(out)-1]) {
			if isEnd(p) && !isEnd(out[len(out)-1]) {
				out[len(out)-1] = p // ", ." is a sentence end
			}
			return
		}
		out = append(out, p)
	}
	wordRune := func(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsDigit(r) }
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case wordRune(r):
			w.WriteRune(r)
		case (r == '-' || r == '\'' || r == '’') && w.Len() > 0:
			// Inside a word when a letter follows; a hyphen at a line end joins the next line's word.
			j := i + n
			if r == '-' {
				k := j
				for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r') {
					k++
				}
				if k < len(s) && s[k] == '\n' {
					k++
					for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
						k++
					}
					if nr, _ := utf8.DecodeRuneInString(s[k:]); unicode.IsLower(nr) {
						i = k
						continue
					}
				}
			}
			if nr, _ := utf8.DecodeRuneInString(s[j:]); wordRune(nr) {
				w.WriteRune(r)
			} else {
				flush()
			}
		case r == '.' || r == '?' || r == '!' || r == '…':
			if r == '…' {
				flush()
				break
			}
			mark(string(r))
		case r == ',' || r == ';' || r == ':':
			mark(string(r))
		default:
			flush()
		}
		i += n
	}
	flush()
	return out
}

func isPunct(s string) bool {
	for _, p := range punctTokens {
		if s == p {
			return true
		}
	}
	return false
}

func isEnd(s string) bool { return s == "." || s == "?" || s == "!" }

// goodWord reports whether a word may go into the vocabulary (see deriveVocabulary).
func goodWord(w string, m *registry.Matcher) bool {
	if w == "" || utf8.RuneCountInString(w) > 30 {
		return false
	}
	if strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return false
	}
	if utf8.RuneCountInString(w) == 1 && w != "u" {
		return false
	}
	if furnitureWords.MatchString(w) {
		return false
	}
	for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '\'' || r == '’' }) {
		letters, upper, upperAfterFirst := 0, 0, false
		for k, r := range []rune(part) {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
					if k > 0 {
						upperAfterFirst = true
					}
				}
			}
		}
		if upper == letters && letters > 0 {
			if letters > 4 {
				return false // a word in capitals: a running header or a heading
			}
			continue
		}
		if upperAfterFirst {
			return false // glued text ("democratieDE") or a name in camel case
		}
	}
	if m != nil && len(m.Find(w)) > 0 {
		return false
	}
	return true
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	l := unicode.ToLower(r)
	if l == r {
		return s
	}
	return string(l) + s[n:]
}
