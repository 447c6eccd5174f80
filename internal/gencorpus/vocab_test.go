package gencorpus

import (
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/registry"
)

var update = flag.Bool("update", false, "rewrite data/ (the vocabulary and the registry copies) from raw/")

const rawDir = "../../raw"

// rawTexts reads every text registered in raw/sources.toml, in registry order.
func rawTexts(t *testing.T) ([][]byte, *registry.Registry) {
	t.Helper()
	reg, err := registry.Load(rawDir)
	require.NoError(t, err)
	var texts [][]byte
	for _, s := range reg.Sources {
		b, err := os.ReadFile(s.Path)
		require.NoError(t, err)
		texts = append(texts, b)
	}
	return texts, reg
}

// TestVocabulary: the embedded vocabulary is what raw/ gives today (run with -update after the texts
// in raw/ changed), and it holds no word the generator must not write by chance.
func TestVocabulary(t *testing.T) {
	texts, reg := rawTexts(t)
	got := deriveVocabulary(texts, reg.Matcher)
	path := filepath.Join("data", "vocab.txt")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, string(got) == string(want), "data/vocab.txt is not what raw/ gives: run go test ./internal/gencorpus -run TestVocabulary -update")

	v, err := parseVocab(want)
	require.NoError(t, err)
	assert.Greater(t, len(v.tokens), 3000, "a vocabulary of the real texts has thousands of words")
	for _, w := range v.tokens[firstWordTok:] {
		assert.Empty(t, reg.Matcher.Find(w), "word %q names a party", w)
		assert.False(t, furnitureWords.MatchString(w), "word %q looks like page furniture", w)
		assert.NotContains(t, w, " ")
		assert.False(t, strings.ContainsAny(w, "0123456789"), "word %q has a digit", w)
	}
}

// TestRegistryCopies: data/ holds the project's own parties, elections and dataset metadata.
func TestRegistryCopies(t *testing.T) {
	for _, name := range []string{"parties.toml", "elections.toml", "dataset.toml"} {
		raw, err := os.ReadFile(filepath.Join(rawDir, name))
		require.NoError(t, err)
		if *update {
			require.NoError(t, os.WriteFile(filepath.Join("data", name), raw, 0o644))
			continue
		}
		copied, err := os.ReadFile(filepath.Join("data", name))
		require.NoError(t, err)
		assert.True(t, string(raw) == string(copied), "data/%s differs from raw/%s: run go test ./internal/gencorpus -run TestRegistryCopies -update", name, name)
	}
}

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Wij willen, zoals gezegd: meer.", []string{"Wij", "willen", ",", "zoals", "gezegd", ":", "meer", "."}},
		{"verantwoordelijk-\nheid en AI-systemen", []string{"verantwoordelijkheid", "en", "AI-systemen"}},
		{"Hoog-\nRisico", []string{"Hoog", "Risico"}},
		{"euro's en de ’s avonds", []string{"euro's", "en", "de", "s", "avonds"}},
		{"dus… wat?! Nee.", []string{"dus", "wat", "?", "Nee", "."}},
		{"in 2023 en 5G", []string{"in", "2023", "en", "5G"}},
		{"“Quote” (haakjes) #kop", []string{"Quote", "haakjes", "kop"}},
	} {
		assert.Equal(t, c.want, tokenize(c.in), c.in)
	}
}

func TestGoodWord(t *testing.T) {
	_, reg := rawTexts(t)
	for w, ok := range map[string]bool{
		"digitalisering": true, "AI-systemen": true, "ICT": true, "Europese": true, "euro's": true,
		"VERKIEZINGS": false, "democratieDE": false, "D66": false, "GroenLinks": false, "Volt": false,
		"verkiezingsprogramma": false, "Hoofdstuk": false, "x": false, "u": true, "CDA-fractie": false,
	} {
		assert.Equal(t, ok, goodWord(w, reg.Matcher), w)
	}
}

// TestSentences: generated sentences are well formed and hardly ever repeat.
func TestSentences(t *testing.T) {
	c, err := newCorpus(Options{Seed: 7, Bytes: 1})
	require.NoError(t, err)
	g := c.newGen(rand.New(rand.NewPCG(7, 1)))
	seen := map[string]int{}
	for i := 0; i < 2000; i++ {
		s := g.sentence(8, 30, false)
		seen[s]++
		words := strings.Fields(s)
		require.GreaterOrEqual(t, len(words), 8, s)
		require.LessOrEqual(t, len(words), 30, s)
		require.True(t, strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!"), s)
		require.NotRegexp(t, `[,;:][.?!]$|[,;:]{2}|^[,;:.]`, s)
		require.Regexp(t, `^\p{Lu}`, s)
		l := g.sentence(5, 10, true)
		require.Regexp(t, `^\p{Ll}`, l)
		h := g.phrase(3)
		require.NotRegexp(t, `[.,;:?!]`, h)
		require.Regexp(t, `^\p{Lu}`, h)
	}
	dup := 0
	for _, n := range seen {
		dup += n - 1
	}
	assert.Less(t, dup, 20, "generated sentences repeat")
	if testing.Verbose() {
		var some []string
		for s := range seen {
			some = append(some, s)
		}
		sort.Strings(some)
		for _, s := range some[:5] {
			t.Log(s)
		}
	}
}
