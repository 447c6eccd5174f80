package gencorpus

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:embed data/vocab.txt
var vocabFile []byte

// Token numbers of the punctuation marks (the order of punctTokens).
const (
	tokStop      = 0 // "."
	tokQuestion  = 1
	tokExclaim   = 2
	tokComma     = 3
	firstWordTok = 6
)

// vocab is the parsed vocabulary: tokens, a unigram distribution over the words and, per token, the
// distribution of the token that follows it. Distributions are cumulative counts for a binary search.
type vocab struct {
	tokens []string
	// uni: cumulative counts over the words (token firstWordTok+i at uni[i]).
	uni []uint32
	// lowerUni: cumulative counts over the words that start with a lower-case letter, and their tokens.
	lowerUni []uint32
	lowerTok []uint32
	// next[t]: the tokens that follow t, with cumulative counts.
	next [][]succ
	// short[t]: the word is a function word (at most three letters, lower case): a heading does not
	// end in one.
	short []bool
}

type succ struct {
	tok uint32
	cum uint32
}

var (
	vocabOnce sync.Once
	vocabVal  *vocab
	vocabErr  error
)

// loadVocab parses the embedded vocabulary once.
func loadVocab() (*vocab, error) {
	vocabOnce.Do(func() { vocabVal, vocabErr = parseVocab(vocabFile) })
	return vocabVal, vocabErr
}

func parseVocab(b []byte) (*vocab, error) {
	v := &vocab{}
	type row struct {
		tok   string
		count uint32
		succ  []succ
	}
	var rows []row
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) < 2 {
			return nil, fmt.Errorf("vocab.txt:%d: want TOKEN<TAB>COUNT", line)
		}
		n, err := strconv.ParseUint(f[1], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("vocab.txt:%d: count: %v", line, err)
		}
		r := row{tok: f[0], count: uint32(n)}
		var cum uint32
		for _, s := range f[2:] {
			idx, cnt, _ := strings.Cut(s, ":")
			j, err := strconv.ParseUint(idx, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("vocab.txt:%d: successor %q: %v", line, s, err)
			}
			c := uint64(1)
			if cnt != "" {
				if c, err = strconv.ParseUint(cnt, 10, 32); err != nil {
					return nil, fmt.Errorf("vocab.txt:%d: successor %q: %v", line, s, err)
				}
			}
			cum += uint32(c)
			r.succ = append(r.succ, succ{tok: uint32(j), cum: cum})
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rows) <= firstWordTok {
		return nil, fmt.Errorf("vocab.txt: only %d tokens", len(rows))
	}
	for i, p := range punctTokens {
		if rows[i].tok != p {
			return nil, fmt.Errorf("vocab.txt: token %d is %q, want %q", i, rows[i].tok, p)
		}
	}
	var cum, lcum uint32
	for i, r := range rows {
		for _, s := range r.succ {
			if int(s.tok) >= len(rows) {
				return nil, fmt.Errorf("vocab.txt: token %q: successor %d out of range", r.tok, s.tok)
			}
		}
		v.tokens = append(v.tokens, r.tok)
		v.next = append(v.next, r.succ)
		first, _ := utf8.DecodeRuneInString(r.tok)
		v.short = append(v.short, i >= firstWordTok && utf8.RuneCountInString(r.tok) <= 3 && unicode.IsLower(first))
		if i < firstWordTok {
			continue
		}
		cum += r.count
		v.uni = append(v.uni, cum)
		if unicode.IsLower(first) {
			lcum += r.count
			v.lowerUni = append(v.lowerUni, lcum)
			v.lowerTok = append(v.lowerTok, uint32(i))
		}
	}
	if len(v.next[tokStop]) == 0 || len(v.lowerTok) == 0 {
		return nil, fmt.Errorf("vocab.txt: no sentence starts or no lower-case words")
	}
	return v, nil
}

// pick returns the index at which a uniform draw below the last cumulative count falls.
func pick(cum []uint32, x uint32) int {
	return sort.Search(len(cum), func(i int) bool { return cum[i] > x })
}
