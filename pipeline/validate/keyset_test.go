package validate

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeySetForms: each form keeps values apart that differ, at the edges of each form.
func TestKeySetForms(t *testing.T) {
	values := []string{
		"", "a", "a\x00", "\x00", "abc", strings.Repeat("x", 15), strings.Repeat("x", 14) + "y",
		"0123456789abcdef", "0123456789abcdee", "0123456789ABCDEF", "0123456789abcdeg", "0123456789abcde",
		"0123456789abcdef0", "0000000000000000", "ffffffffffffffff", strings.Repeat("x", 16), strings.Repeat("x", 17),
		"gen00476-tk2023-samenvattingen-democratie", "gen00476-tk2023-samenvattingen-democratia", "doc\x1fvolt", "doc\x1fvvd",
	}
	s := newKeySet()
	for _, v := range values {
		assert.False(t, s.has(v), "%q before it was added", v)
		assert.False(t, s.add(v), "%q is new", v)
		assert.True(t, s.has(v), "%q after it was added", v)
	}
	for _, v := range values {
		assert.True(t, s.add(v), "%q a second time", v)
	}
	assert.Equal(t, len(values), s.len())
	assert.Equal(t, 4, s.hex.n, "the four 16-digit lowercase hex values are packed")
	assert.False(t, (*keySet)(nil).has("x"), "a nil set holds nothing")

	h, ok := packHex("0123456789abcdef")
	require.True(t, ok)
	assert.Equal(t, uint64(0x0123456789abcdef), h)
	d := digest("abc")
	assert.Equal(t, [16]byte{'a', 'b', 'c', 15: 3}, d, "short values are kept as they are, with their length")
	assert.Equal(t, byte(hashed), digest(strings.Repeat("x", 16))[15])
}

// TestKeySetGrows: many values, so that every table grows several times, answer as a map does.
func TestKeySetGrows(t *testing.T) {
	ids := passageIDs(50000)
	s := newKeySet()
	for i, id := range ids {
		require.False(t, s.add(id), id)
		require.False(t, s.has(fmt.Sprintf("doc-%d-long-enough-to-hash", i)))
		require.False(t, s.add(fmt.Sprintf("doc-%d-long-enough-to-hash", i)))
		require.False(t, s.add(fmt.Sprint(i)))
	}
	for i, id := range ids {
		require.True(t, s.has(id), id)
		require.True(t, s.add(fmt.Sprintf("doc-%d-long-enough-to-hash", i)))
		require.True(t, s.has(fmt.Sprint(i)))
	}
	assert.Equal(t, 3*len(ids), s.len())
	assert.Equal(t, len(ids), s.hex.n)
	for _, p := range s.hex.parts {
		assert.LessOrEqual(t, 5*p.n, 4*len(p.slots), "no table is more than four fifths full")
	}
}

// FuzzKeySet: the set answers as a set of strings does, for any values in any order.
func FuzzKeySet(f *testing.F) {
	f.Add([]byte("0123456789abcdef\n0123456789abcdef\nabc\n\nabc\x00"))
	f.Add([]byte("gen00001-tk2023-programma\ngen00001-tk2023-programma\n0123456789ABCDEF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, want := newKeySet(), map[string]bool{}
		for _, v := range strings.Split(string(b), "\n") {
			require.Equal(t, want[v], s.has(v), "has %q", v)
			require.Equal(t, want[v], s.add(v), "add %q", v)
			want[v] = true
		}
		require.Equal(t, len(want), s.len())
	})
}

// passageIDs are n ids made as normalize makes passage ids: the first 16 hex digits of a SHA-256.
func passageIDs(n int) []string {
	ids := make([]string, n)
	var b [8]byte
	for i := range ids {
		binary.BigEndian.PutUint64(b[:], uint64(i))
		sum := sha256.Sum256(b[:])
		ids[i] = hex.EncodeToString(sum[:])[:16]
	}
	return ids
}

// heapAfter is the live heap after a full collection, with keep still reachable.
func heapAfter(keep any) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(keep)
	return m.HeapAlloc
}

// BenchmarkKeySet measures what the primary-key set of the passages costs per row: bytes/key is
// the live heap the set holds per passage id once the ids themselves are gone (as in a build,
// where each passage is written and dropped), at the passage counts of the generated 100 MB and
// 1 GB corpora and at 2^20 (just after the tables grew), and for the map of strings the checker
// kept before, at 100 MB. The figures are in doc.go.
func BenchmarkKeySet(b *testing.B) {
	for _, c := range []struct {
		kind string
		n    int
	}{{"keySet", 236618}, {"keySet", 1 << 20}, {"keySet", 2336322}, {"map-of-strings", 236618}} {
		b.Run(fmt.Sprintf("%s/%d", c.kind, c.n), func(b *testing.B) {
			var perKey float64
			for b.Loop() {
				base := heapAfter(nil)
				ids := passageIDs(c.n)
				var set any
				switch c.kind {
				case "keySet":
					s := newKeySet()
					for _, id := range ids {
						s.add(id)
					}
					set = s
				default:
					m := map[string]struct{}{}
					for _, id := range ids {
						m[id] = struct{}{}
					}
					set = m
				}
				ids = nil // the ids go; their strings stay only where the set holds them
				perKey = (float64(heapAfter(set)) - float64(base)) / float64(c.n)
				runtime.KeepAlive(ids)
			}
			b.ReportMetric(perKey, "bytes/key")
		})
	}
}
