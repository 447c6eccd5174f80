package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// recurringRunsByHash is recurringRuns as it was written first, the places of a level grouped by
// a rolling hash in a map: the reference that recurringRuns must agree with.
//
// It works level by level: a run can recur only if the run one token shorter at the same place
// does, so each level extends only the places whose run recurred, and most of a text (which does
// not repeat) drops out after the first level. Tokens are interned, and runs are grouped by a
// rolling hash of their token numbers; the groups are then split by the runs' text, so a hash
// collision cannot merge two runs.
func recurringRunsByHash(ms []masked, toks [][]tok, minRun, maxRun int) map[string][]runOcc {
	ids := make([][]uint32, len(toks))
	total := 0
	for _, t := range toks {
		total += len(t)
	}
	intern := make(map[string]uint32, total/2) // a text's distinct words: about half its words
	for i := range toks {
		ids[i] = make([]uint32, len(toks[i]))
		for k, t := range toks[i] {
			w := ms[i].s[t.s:t.e]
			id, ok := intern[w]
			if !ok {
				id = uint32(len(intern)) + 1
				intern[w] = id
			}
			ids[i][k] = id
		}
	}
	const mul = 0x9E3779B97F4A7C15
	type place struct {
		line, from int
		h          uint64
	}
	// Level minRun: every place.
	cur := make([]place, 0, total)
	for i := range ids {
		for from := 0; from+minRun <= len(ids[i]); from++ {
			var h uint64
			for k := from; k < from+minRun; k++ {
				h = h*mul + uint64(ids[i][k])
			}
			cur = append(cur, place{i, from, h})
		}
	}
	key := func(i, from, to int) string {
		var b strings.Builder
		for k := from; k < to; k++ {
			b.WriteString(ms[i].s[toks[i][k].s:toks[i][k].e])
			b.WriteByte(0)
		}
		return b.String()
	}
	out := map[string][]runOcc{}
	for n := minRun; n <= maxRun && len(cur) > 0; n++ {
		// Lines per hash; a place survives when its hash is on two lines or more. group is 1 + the
		// first run (below) with the hash.
		type seen struct{ last, lines, group int }
		byHash := make(map[uint64]seen, len(cur))
		for _, pl := range cur {
			s := byHash[pl.h]
			if s.lines == 0 || s.last != pl.line {
				s.lines++
				s.last = pl.line
			}
			byHash[pl.h] = s
		}
		kept := cur[:0]
		for _, pl := range cur {
			if byHash[pl.h].lines >= 2 {
				kept = append(kept, pl)
			}
		}
		// The runs themselves, by their tokens: the first place on each line, lines in order
		// (places are in line and token order). Equal token numbers are equal words, so runs are
		// told apart by their numbers (within a hash; sameHash chains the runs that share one), and
		// the text key is built once per run that recurs.
		var runs [][]runOcc
		var sameHash []int // sameHash[r]: 1 + the next run with run r's hash, or 0
		for _, pl := range kept {
			words := ids[pl.line][pl.from : pl.from+n]
			sh := byHash[pl.h]
			r := sh.group - 1
			for r >= 0 && !slices.Equal(ids[runs[r][0].line][runs[r][0].from:runs[r][0].to], words) {
				if sameHash[r] == 0 {
					sameHash[r] = len(runs) + 1
					r = -1
					break
				}
				r = sameHash[r] - 1
			}
			if r < 0 {
				if sh.group == 0 {
					sh.group = len(runs) + 1
					byHash[pl.h] = sh
				}
				runs = append(runs, nil)
				sameHash = append(sameHash, 0)
				r = len(runs) - 1
			}
			if o := runs[r]; len(o) > 0 && o[len(o)-1].line == pl.line {
				continue
			}
			runs[r] = append(runs[r], runOcc{pl.line, pl.from, pl.from + n})
		}
		for _, o := range runs {
			if len(o) >= 2 {
				out[key(o[0].line, o[0].from, o[0].to)] = o
			}
		}
		// Extend the surviving places by one token.
		next := kept[:0]
		for _, pl := range kept {
			if to := pl.from + n; to < len(ids[pl.line]) {
				next = append(next, place{pl.line, pl.from, pl.h*mul + uint64(ids[pl.line][to])})
			}
		}
		cur = next
	}
	return out
}

// maskedLines masks and splits the non-blank lines of s as repeatedEdges does.
func maskedLines(s string) ([]masked, [][]tok) {
	p := &parser{t: &Text{S: s}}
	var ms []masked
	var toks [][]tok
	for _, l := range splitLines(s) {
		if a, b := p.trim(l); a < b {
			m := p.mask(a, b)
			ms = append(ms, m)
			toks = append(toks, maskedTokens(m.s))
		}
	}
	return ms, toks
}

func checkRecurringRuns(t *testing.T, name, s string) {
	t.Helper()
	ms, toks := maskedLines(s)
	for _, n := range [][2]int{{3, 24}, {1, 2}, {2, 5}} {
		got, want := recurringRuns(ms, toks, n[0], n[1]), recurringRunsByHash(ms, toks, n[0], n[1])
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s, runs of %d to %d tokens: %d runs, the hashed reference finds %d", name, n[0], n[1], len(got), len(want))
		}
		// The sorted list repeatedEdges walks: the map's runs, longest key first, then by key.
		keys := make([]string, 0, len(want))
		for k := range want {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, b int) bool {
			if len(keys[a]) != len(keys[b]) {
				return len(keys[a]) > len(keys[b])
			}
			return keys[a] < keys[b]
		})
		list := longestFirst(recurringRunList(ms, toks, n[0], n[1]))
		if len(list) != len(keys) {
			t.Fatalf("%s, runs of %d to %d tokens: the sorted list has %d runs, the map %d", name, n[0], n[1], len(list), len(keys))
		}
		for i, r := range list {
			if r.key != keys[i] || !reflect.DeepEqual(r.occ, want[keys[i]]) {
				t.Fatalf("%s, runs of %d to %d tokens: run %d of the sorted list is %q %v, the map's is %q %v", name, n[0], n[1], i, r.key, r.occ, keys[i], want[keys[i]])
			}
		}
	}
}

// TestRecurringRunsAgree holds recurringRuns to the hashed reference on every programme text of
// raw/ and of the corpus, and on texts whose lines repeat in part.
func TestRecurringRunsAgree(t *testing.T) {
	var paths []string
	for _, pattern := range []string{filepath.Join("..", "..", "raw", "programmes", "*.txt"), filepath.Join(corpusDir, "*.txt")} {
		ps, _ := filepath.Glob(pattern)
		paths = append(paths, ps...)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		checkRecurringRuns(t, filepath.Base(p), string(b))
	}
	for _, s := range recurringSeeds {
		checkRecurringRuns(t, s, s)
	}
	// A header on three lines, a shorter part of it on a fourth: both runs, with their lines.
	ms, toks := maskedLines("VERKIEZINGSPROGRAMMA GROENLINKS 2021 76\nTekst.\nVERKIEZINGSPROGRAMMA GROENLINKS 2021 77 VERKIEZINGSPROGRAMMA GROENLINKS 2021 78\nDe VERKIEZINGSPROGRAMMA GROENLINKS 2021\n")
	runs := recurringRuns(ms, toks, 3, 24)
	require.Equal(t, []runOcc{{0, 0, 4}, {2, 0, 4}}, runs["VERKIEZINGSPROGRAMMA\x00GROENLINKS\x00#\x00#\x00"])
	require.Equal(t, []runOcc{{0, 0, 3}, {2, 0, 3}, {3, 1, 4}}, runs["VERKIEZINGSPROGRAMMA\x00GROENLINKS\x00#\x00"])
	require.NotContains(t, runs, "Tekst.\x00")
}

var recurringSeeds = []string{
	"", "a b c\na b c\n", "a b c d\nx a b c d\na b c\n", "a a a a a a\na a a a\n", "1 2 3\n4 5 6\n",
	"één twee drie vier\nÉÉN twee drie vier\néén twee drie\n", "a\x00b c d\na b\x00c d\na\x00b c d\n",
	"a\x00b c d\na\x00b c d\nx a b\x00c d\na b\x00c d\n",
	strings.Repeat("x y z w v u t s r q p o n m l k j i h g f e d c b a\n", 3),
}

// FuzzRecurringRuns: on any text, recurringRuns finds what the hashed reference finds.
func FuzzRecurringRuns(f *testing.F) {
	for _, s := range recurringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkRecurringRuns(t, "fuzz", s) })
}

// BenchmarkRecurringRuns finds the recurring runs of the programme texts of raw/ (or of
// -extract.raw), masked and split as repeatedEdges does, beside the hashed reference.
func BenchmarkRecurringRuns(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(*benchRaw, "programmes", "*.txt"))
	type text struct {
		ms   []masked
		toks [][]tok
	}
	var texts []text
	var size int64
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		require.NoError(b, err)
		ms, toks := maskedLines(string(raw))
		texts = append(texts, text{ms, toks})
		size += int64(len(raw))
	}
	for _, bc := range []struct {
		name string
		f    func([]masked, [][]tok, int, int) map[string][]runOcc
	}{{"exact", recurringRuns}, {"hashed", recurringRunsByHash}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				for _, t := range texts {
					bc.f(t.ms, t.toks, 3, 24)
				}
			}
		})
	}
}
