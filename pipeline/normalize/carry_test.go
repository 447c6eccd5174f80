package normalize

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

func passage(id, party string, kind model.Kind, section, text string, parent string) model.Passage {
	p := model.Passage{ID: id, DocumentID: "d", Kind: kind, Section: section, Text: text}
	if party != "" {
		p.PartyID = &party
	}
	if parent != "" {
		p.ParentID = &parent
	}
	return p
}

func ids(ps []model.Passage) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestCarryIDs(t *testing.T) {
	prev := []model.Passage{
		passage("old-theme", "volt", model.KindTheme, "", "Volt wil een digitale euro en open standaarden voor de overheid.", ""),
		passage("old-quote", "volt", model.KindQuote, "", "Wij kiezen voor open source.", "old-theme"),
		passage("old-same-1", "d66", model.KindBullet, "", "Herhaald.", ""),
		passage("old-same-2", "d66", model.KindBullet, "", "Herhaald.", ""),
		passage("old-gone", "d66", model.KindBullet, "", "Deze zin verdwijnt helemaal uit de tekst.", ""),
	}
	// New build: a typo fixed in the theme (its content id changes), a passage inserted in front,
	// the repeated text kept, one passage removed, one passage rewritten beyond recognition.
	next := []model.Passage{
		passage("new-inserted", "volt", model.KindTheme, "", "Een nieuw punt.", ""),
		passage("new-theme", "volt", model.KindTheme, "", "Volt wil een digitale euro en open standaarden voor de overheid!", ""),
		passage("new-quote", "volt", model.KindQuote, "", "Wij kiezen voor open source.", "new-theme"),
		passage("new-same-1", "d66", model.KindBullet, "", "Herhaald.", ""),
		passage("new-same-2", "d66", model.KindBullet, "", "Herhaald.", ""),
		passage("new-other", "d66", model.KindBullet, "", "Iets heel anders.", ""),
	}
	n := CarryIDs(prev, next)
	assert.Equal(t, 4, n)
	assert.Equal(t, []string{"new-inserted", "old-theme", "old-quote", "old-same-1", "old-same-2", "new-other"}, ids(next))
	assert.Equal(t, "old-theme", *next[2].ParentID, "the quote's parent follows its theme's carried id")
}

func TestCarryIDsNeedsSameGroup(t *testing.T) {
	prev := []model.Passage{passage("old", "volt", model.KindTheme, "A", "Een zin met een tikfout.", "")}
	for _, next := range []model.Passage{
		passage("n1", "d66", model.KindTheme, "A", "Een zin met een tikfaut.", ""),
		passage("n2", "volt", model.KindSummary, "A", "Een zin met een tikfaut.", ""),
		passage("n3", "volt", model.KindTheme, "B", "Een zin met een tikfaut.", ""),
	} {
		ps := []model.Passage{next}
		assert.Zero(t, CarryIDs(prev, ps), next.ID)
		assert.Equal(t, next.ID, ps[0].ID)
	}
	ps := []model.Passage{passage("n4", "volt", model.KindTheme, "A", "Een zin met een tikfaut.", "")}
	assert.Equal(t, 1, CarryIDs(prev, ps))
	assert.Equal(t, "old", ps[0].ID)
}

func TestSimilarity(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"", "", 1}, {"abc", "abc", 1}, {"abcd", "abce", 0.75}, {"abc", "", 0}, {"kitten", "sitting", 1 - 3.0/7},
		{"één", "een", 1 - 2.0/3},
	} {
		assert.InDelta(t, c.want, Similarity(c.a, c.b), 1e-9, "%q %q", c.a, c.b)
	}
}

// BenchmarkCarryIDs carries the ids of a document of 400 passages in 20 groups, a tenth of them
// corrected, so that the near-match pass has work to do.
func BenchmarkCarryIDs(b *testing.B) {
	var prev []model.Passage
	for i := range 400 {
		text := fmt.Sprintf("Partij %d wil dat de overheid open standaarden gebruikt en data van burgers beschermt, punt %d.", i%20, i)
		prev = append(prev, passage(fmt.Sprintf("old-%03d", i), fmt.Sprintf("p%d", i%20), model.KindTheme, "", text, ""))
	}
	b.ReportAllocs()
	for b.Loop() {
		next := make([]model.Passage, len(prev))
		copy(next, prev)
		for i := range next {
			next[i].ID = fmt.Sprintf("new-%03d", i)
			if i%10 == 0 {
				next[i].Text = strings.Replace(next[i].Text, "beschermt", "beschermd", 1)
			}
		}
		if n := CarryIDs(prev, next); n != len(prev) {
			b.Fatalf("carried %d of %d ids", n, len(prev))
		}
	}
}

// TestCarryIDsNoCollision: v1 has text T; v2 corrects T into T′, which keeps T's id; v3 adds T
// back beside T′. T′ keeps the id by exact match, and the re-added T must not take it too.
func TestCarryIDsNoCollision(t *testing.T) {
	const tText, tPrime = "Wij willen open standaarden voor de overheid.", "Wij willen open standaarden voor de hele overheid."
	hT := PassageID("d", "volt", model.KindTheme, tText, 0)
	hPrime := PassageID("d", "volt", model.KindTheme, tPrime, 0)
	mk := func(text, id string) model.Passage {
		p := passage(id, "volt", model.KindTheme, "", text, "")
		return p
	}
	v2 := []model.Passage{mk(tPrime, hT)} // as released: T′ under T's id
	quote := passage(PassageID("d", "volt", model.KindQuote, "Citaat.", 0), "volt", model.KindQuote, "", "Citaat.", hT)
	v3 := []model.Passage{mk(tPrime, hPrime), mk(tText, hT), quote} // as built: content ids; the quote is under the re-added T
	require.Equal(t, 1, CarryIDs(v2, v3))
	assert.Equal(t, hT, v3[0].ID, "T′ keeps its id")
	assert.NotEqual(t, hT, v3[1].ID, "the re-added T gets another id")
	assert.Equal(t, PassageID("d", "volt", model.KindTheme, tText, 1), v3[1].ID)
	assert.Equal(t, v3[1].ID, *v3[2].ParentID, "the quote follows its theme")
}
