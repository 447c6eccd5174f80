package extract

import (
	"context"
	"flag"
	"path/filepath"
	"sort"
	"testing"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// benchRaw is the raw folder of BenchmarkProgrammeText/raw: the repository's, or a generated corpus
// (go run ./tools/gencorpus -seed 1 -size 20MB -out DIR; then -extract.raw DIR).
var benchRaw = flag.String("extract.raw", filepath.Join("..", "..", "raw"), "BenchmarkProgrammeText/raw: the raw folder whose programme texts it parses")

// benchDoc is one text ready to parse: its registry entry and its decoded text.
type benchDoc struct {
	src registry.Source
	t   *Text
}

// BenchmarkProgrammeText parses programme texts as the build does (Extract, then Account) and
// reports the throughput in raw bytes: "corpus" is every text of ../shared/corpus (with the basic
// registry entry of TestCorpusGolden), "raw" the programme texts of raw/ (or of -extract.raw DIR,
// a generated corpus) with their own entries. Reading and decoding the files is not measured.
// Besides the wall time per operation it reports the process's CPU time per operation (cpu-ns/op,
// where the platform gives it), which a loaded machine disturbs less.
func BenchmarkProgrammeText(b *testing.B) {
	b.Run("corpus", func(b *testing.B) {
		paths, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
		if len(paths) == 0 {
			b.Skipf("the corpus is not here (%s); this benchmark reads ../shared/corpus beside the clone", corpusDir)
		}
		sort.Strings(paths)
		reg := &registry.Registry{Parties: testParties, Matcher: registry.NewMatcher(testParties)}
		var docs []benchDoc
		for _, p := range paths {
			src := registry.Source{ID: "c", File: filepath.Base(p), Path: p, Format: model.FormatProgrammeText, Title: "T",
				Encoding: registry.EncodingUTF8, Markup: registry.MarkupPDF}
			docs = append(docs, benchDoc{src, benchRead(b, src)})
		}
		benchParse(b, reg, docs)
	})
	b.Run("raw", func(b *testing.B) {
		reg, err := registry.Load(*benchRaw)
		if err != nil {
			b.Fatal(err)
		}
		var docs []benchDoc
		for _, src := range reg.Sources {
			if src.Format == model.FormatProgrammeText {
				docs = append(docs, benchDoc{src, benchRead(b, src)})
			}
		}
		if len(docs) == 0 {
			b.Skip("raw/ registers no programme text")
		}
		benchParse(b, reg, docs)
	})
}

func benchRead(b *testing.B, src registry.Source) *Text {
	b.Helper()
	t, err := Read(src, 0)
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// benchParse runs Extract and Account over docs once per iteration, with a lexicon learnt from all
// of them (as the build learns it from the whole registry).
func benchParse(b *testing.B, reg *registry.Registry, docs []benchDoc) {
	lex := Lexicon{}
	var size int64
	for _, d := range docs {
		lex.Add(d.t.S)
		size += int64(len(d.t.Raw))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	ctx := context.Background()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		for _, d := range docs {
			ex, err := Extract(ctx, reg, d.src, d.t, lex)
			if err != nil {
				b.Fatalf("%s: %v", d.src.File, err)
			}
			if _, err := Account(d.t, ex); err != nil {
				b.Fatalf("%s: %v", d.src.File, err)
			}
		}
	}
	if cpu1, ok := processCPU(); cpuOK && ok && b.N > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkAccount accounts for every byte of the programme texts of raw/ (or of -extract.raw),
// extracted once beforehand: Account alone.
func BenchmarkAccount(b *testing.B) {
	reg, err := registry.Load(*benchRaw)
	if err != nil {
		b.Fatal(err)
	}
	lex := Lexicon{}
	var docs []benchDoc
	for _, src := range reg.Sources {
		if src.Format == model.FormatProgrammeText {
			d := benchDoc{src, benchRead(b, src)}
			lex.Add(d.t.S)
			docs = append(docs, d)
		}
	}
	var exs []*model.Extracted
	var size int64
	for _, d := range docs {
		ex, err := Extract(context.Background(), reg, d.src, d.t, lex)
		if err != nil {
			b.Fatal(err)
		}
		exs = append(exs, ex)
		size += int64(len(d.t.Raw))
	}
	b.SetBytes(size)
	for b.Loop() {
		for i, d := range docs {
			if _, err := Account(d.t, exs[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
