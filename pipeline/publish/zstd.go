package publish

import (
	"io"
	"sync"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// keptZstd is the zstd codec the Parquet writers compress pages with: arrow-go's own, but with
// its encoders kept between pages instead of in a sync.Pool. arrow-go's pool is emptied by the
// garbage collector, and a zstd encoder at the default level carries an 8 to 16 MiB history
// buffer besides its match tables: a build of the 1 GB corpus collects some 750 times, and made
// new encoders after many of them (2.6 GB of history buffers, 6% of everything it allocated).
// Here an encoder goes back on a short list after each page and is taken again for the next.
//
// The encoders are made with the options arrow-go gives its own and EncodeAll starts afresh for
// every page, so the pages are the same bytes (TestKeptZstdSameBytes). Everything but page
// compression (decoding, the streaming API) is arrow-go's codec unchanged.
type keptZstd struct {
	compress.Codec // arrow-go's zstd codec, registered before this one

	mu   sync.Mutex
	free map[zstd.EncoderLevel][]*zstd.Encoder
}

func init() {
	orig, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		panic("publish: arrow-go registers no zstd codec: " + err.Error())
	}
	compress.RegisterCodec(compress.Codecs.Zstd, newKeptZstd(orig))
}

func newKeptZstd(orig compress.Codec) *keptZstd {
	return &keptZstd{Codec: orig, free: map[zstd.EncoderLevel][]*zstd.Encoder{}}
}

// EncodeLevel compresses one page at the given level (compress.DefaultCompressionLevel: zstd's
// default), with an encoder from the list.
func (z *keptZstd) EncodeLevel(dst, src []byte, level int) []byte {
	l := zstd.SpeedDefault
	if level != compress.DefaultCompressionLevel {
		l = zstd.EncoderLevelFromZstd(level)
	}
	enc := z.take(l)
	out := enc.EncodeAll(src, dst[:0])
	z.put(l, enc)
	return out
}

// take returns a free encoder of level l, or a new one made as arrow-go makes its own.
func (z *keptZstd) take(l zstd.EncoderLevel) *zstd.Encoder {
	z.mu.Lock()
	if list := z.free[l]; len(list) > 0 {
		enc := list[len(list)-1]
		z.free[l] = list[:len(list)-1]
		z.mu.Unlock()
		return enc
	}
	z.mu.Unlock()
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(l),
		zstd.WithEncoderConcurrency(1), zstd.WithAllLitEntropyCompression(true))
	if err != nil {
		panic("publish: zstd encoder: " + err.Error()) // only for options that are not valid
	}
	return enc
}

// keptEncoders is how many free encoders a level keeps: the passages' writer compresses nearly
// every page, and the small tables' writers now and then beside it. An encoder more (about 17 MiB
// with its history and tables) is left to the collector.
const keptEncoders = 2

func (z *keptZstd) put(l zstd.EncoderLevel, enc *zstd.Encoder) {
	z.mu.Lock()
	if len(z.free[l]) < keptEncoders {
		z.free[l] = append(z.free[l], enc)
	}
	z.mu.Unlock()
}

// The rest is arrow-go's codec: decoding blocks with errors, and the streaming API.

func (z *keptZstd) DecodeWithError(dst, src []byte) ([]byte, error) {
	return compress.Decode(z.Codec, dst, src)
}

func (z *keptZstd) NewReader(r io.Reader) io.ReadCloser {
	return z.Codec.(compress.StreamingCodec).NewReader(r)
}

func (z *keptZstd) NewWriter(w io.Writer) io.WriteCloser {
	return z.Codec.(compress.StreamingCodec).NewWriter(w)
}

func (z *keptZstd) NewWriterLevel(w io.Writer, level int) (io.WriteCloser, error) {
	return z.Codec.(compress.StreamingCodec).NewWriterLevel(w, level)
}
