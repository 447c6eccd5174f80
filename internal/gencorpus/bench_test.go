package gencorpus

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/standpunten/standpunten/pipeline/build"
)

var (
	benchSize = flag.String("gencorpus.size", "2MB", "BenchmarkBuild, BenchmarkWrite: size of the generated corpus")
	benchRaw  = flag.String("gencorpus.raw", "", "BenchmarkBuild: build this raw folder instead of generating one (keeps the generator out of a profile)")
)

// BenchmarkBuild runs build.Run over a generated corpus, for CPU and memory profiles of the build:
//
//	go run ./tools/gencorpus -seed 1 -size 100MB -out /tmp/c100/raw
//	go test -run '^$' -bench BenchmarkBuild -benchtime 1x -cpuprofile cpu.out ./internal/gencorpus -gencorpus.raw /tmp/c100/raw
//	go tool pprof -top internal/gencorpus.test cpu.out
func BenchmarkBuild(b *testing.B) {
	raw := *benchRaw
	var bytes int64
	if raw == "" {
		n, err := ParseSize(*benchSize)
		if err != nil {
			b.Fatal(err)
		}
		raw = filepath.Join(b.TempDir(), "raw")
		st, err := Write(raw, Options{Seed: 1, Bytes: n})
		if err != nil {
			b.Fatal(err)
		}
		bytes = st.Bytes
	} else {
		err := filepath.WalkDir(raw, func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				info, err := d.Info()
				if err != nil {
					return err
				}
				bytes += info.Size()
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(bytes)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), fmt.Sprint("out", i))
		if _, err := build.Run(context.Background(), build.Options{RawDir: raw, OutDir: out}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite measures the generator itself.
func BenchmarkWrite(b *testing.B) {
	n, err := ParseSize(*benchSize)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(n)
	for i := 0; i < b.N; i++ {
		if _, err := Write(filepath.Join(b.TempDir(), fmt.Sprint("raw", i)), Options{Seed: int64(i), Bytes: n}); err != nil {
			b.Fatal(err)
		}
	}
}
