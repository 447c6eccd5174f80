package release

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// prevSnapshot is a previous release holding only passages: n per document, in the given order.
func prevSnapshot(t *testing.T, docs []string, n int) *changes.Snapshot {
	t.Helper()
	set, err := schemas.Load()
	require.NoError(t, err)
	var rows [][]any
	for _, d := range docs {
		for i := range n {
			p := model.Passage{ID: fmt.Sprintf("%s-%02d", d, i), DocumentID: d, Kind: model.KindParagraph, Seq: int64(i + 1),
				Text: "Tekst.", SourceStart: int64(10 * i), SourceEnd: int64(10*i + 6), SourceLine: int64(i + 1), Flags: []string{}}
			rows = append(rows, p.Values())
		}
	}
	return &changes.Snapshot{Schemas: set, Tables: map[string][][]any{"passages": rows}}
}

// The carrier gives each document its own previous passages, whatever the order a few workers
// ask in, nil for a document the previous release did not have, and holds few groups at once.
func TestCarrier(t *testing.T) {
	docs := []string{"a", "b", "c", "e", "f", "g", "h"}
	prev := prevSnapshot(t, docs, 3)
	asked := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} // d and i are new; removed ones never asked
	for seed := range uint64(20) {
		c := newCarrier(prev, "1.0.0")
		r := rand.New(rand.NewPCG(seed, 1))
		var wg sync.WaitGroup
		got := make([][]model.Passage, len(asked))
		// Two workers take the documents in order but finish them in any order, as the build's do.
		work := make(chan int)
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					got[i] = c.passages(asked[i])
				}
			}()
		}
		for i := 0; i < len(asked); i++ {
			if r.IntN(3) == 0 && i+1 < len(asked) { // sometimes the later one asks first
				work <- i + 1
				work <- i
				i++
				continue
			}
			work <- i
		}
		close(work)
		wg.Wait()
		require.NoError(t, c.close(true))
		for i, d := range asked {
			if d == "d" || d == "i" {
				assert.Nil(t, got[i], "seed %d: %s is new", seed, d)
				continue
			}
			require.Len(t, got[i], 3, "seed %d: %s", seed, d)
			for _, p := range got[i] {
				assert.Equal(t, d, p.DocumentID)
			}
		}
		assert.LessOrEqual(t, len(c.held), 1, "seed %d: groups left held", seed)
	}
}

// A previous release whose passages are not grouped by document in id order is an error, not a
// silent loss of carried ids.
func TestCarrierUnordered(t *testing.T) {
	c := newCarrier(prevSnapshot(t, []string{"b", "a"}, 2), "1.0.0")
	c.passages("a")
	c.passages("b")
	err := c.close(true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not grouped by document")
}

func TestSameBytes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := dir + "/" + name
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	big := make([]byte, 3<<20+17) // more than one block, and a partial last one
	for i := range big {
		big[i] = byte(i * 7)
	}
	a := write("a", big)
	b := write("b", slices.Clone(big))
	changed := slices.Clone(big)
	changed[2<<20+5]++
	c := write("c", changed)
	d := write("d", big[:len(big)-1])
	for _, tc := range []struct {
		x, y string
		want bool
	}{{a, b, true}, {a, c, false}, {a, d, false}, {write("e", nil), write("f", nil), true}} {
		got, err := sameBytes(tc.x, tc.y)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%s %s", tc.x, tc.y)
	}
}
