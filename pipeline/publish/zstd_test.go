package publish

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"
)

// arrowZstd is arrow-go's zstd codec itself, the one keptZstd wraps.
func arrowZstd(t *testing.T) compress.Codec {
	c, err := compress.GetCodec(compress.Codecs.Zstd)
	require.NoError(t, err)
	kept, ok := c.(*keptZstd)
	require.True(t, ok, "the registered zstd codec is %T, not keptZstd", c)
	return kept.Codec
}

// pageLike is n bytes of text-like data: words from a small vocabulary, so that zstd finds matches
// near and far, as in a page of passages.
func pageLike(r *rand.Rand, n int) []byte {
	words := []string{"de ", "digitale ", "overheid ", "privacy ", "Big Tech ", "algoritmes ", "1234 ", "\n", "ICT-infrastructuur ", "wij willen "}
	b := make([]byte, 0, n)
	for len(b) < n {
		if r.IntN(50) == 0 {
			b = append(b, byte(r.IntN(256)))
			continue
		}
		b = append(b, words[r.IntN(len(words))]...)
	}
	return b[:n]
}

// TestKeptZstdSameBytes holds the kept encoders to arrow-go's codec: every page compresses to the
// same bytes, whatever the encoder compressed before it, at the default level and others, and the
// pages decode back.
func TestKeptZstdSameBytes(t *testing.T) {
	orig := arrowZstd(t)
	kept := newKeptZstd(orig)
	r := rand.New(rand.NewPCG(1, 2))
	for _, level := range []int{compress.DefaultCompressionLevel, 1, 3, 7} {
		for i, n := range []int{0, 1, 100, 64 << 10, 128<<10 + 1, 1 << 20, 3 << 20, 300, 40 << 10} {
			src := pageLike(r, n)
			if i >= 7 { // few matches: pages of ids and numbers
				src = make([]byte, n)
				for j := range src {
					src[j] = "0123456789abcdef"[r.IntN(16)]
				}
			}
			want := orig.EncodeLevel(nil, src, level)
			for range 2 { // the second time with an encoder used before
				got := kept.EncodeLevel(make([]byte, 0, 16), src, level)
				require.Equal(t, want, got, "level %d, %d bytes", level, n)
				back, err := kept.DecodeWithError(nil, got)
				require.NoError(t, err)
				require.Equal(t, len(src), len(back))
				require.Equal(t, src, back[:len(src):len(src)])
			}
		}
	}
	// One page at a time needs one encoder a level.
	require.Len(t, kept.free[zstd.SpeedDefault], 1)
}

// TestKeptZstdConcurrent compresses pages from several goroutines at once: each gets an encoder of
// its own, the bytes are those of arrow-go's codec, and no more than keptEncoders are kept.
func TestKeptZstdConcurrent(t *testing.T) {
	orig := arrowZstd(t)
	kept := newKeptZstd(orig)
	r := rand.New(rand.NewPCG(3, 4))
	pages := make([][]byte, 24)
	want := make([][]byte, len(pages))
	for i := range pages {
		pages[i] = pageLike(r, 1000+r.IntN(200<<10))
		want[i] = orig.EncodeLevel(nil, pages[i], compress.DefaultCompressionLevel)
	}
	const workers = 4
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(pages); i += workers {
				if got := kept.EncodeLevel(nil, pages[i], compress.DefaultCompressionLevel); string(got) != string(want[i]) {
					t.Errorf("page %d: not the bytes of arrow-go's codec", i)
				}
			}
		}()
	}
	wg.Wait()
	require.LessOrEqual(t, len(kept.free[zstd.SpeedDefault]), keptEncoders)
	require.GreaterOrEqual(t, len(kept.free[zstd.SpeedDefault]), 1)
}
