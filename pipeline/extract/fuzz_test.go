package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// fuzzFormat checks the parser invariants on arbitrary text: no panic; on success every byte is
// accounted for, spans lie inside the input and units carry the letters of their source stretch.
func fuzzFormat(f *testing.F, format model.Format, seed string) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "raw", seed)); err == nil {
		f.Add(b)
	}
	f.Add([]byte("Volt wil.\n“x”\n"))
	reg := &registry.Registry{Parties: testParties, Matcher: registry.NewMatcher(testParties)}
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "f.txt")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		src := registry.Source{ID: "f", Path: p, Format: format, Title: "T", Encoding: "utf-8", Party: "bij1",
			Drop: map[string][]string{"navigation": {"Skip to content"}}}
		tx, err := Read(src, 0)
		if err != nil {
			return
		}
		lex := Lexicon{}
		lex.Add(tx.S)
		ex, err := Extract(context.Background(), reg, src, tx, lex)
		if err != nil {
			return
		}
		if _, err := Account(tx, ex); err != nil {
			t.Fatalf("accounting: %v", err)
		}
		for _, u := range ex.Units {
			if u.Start < 0 || u.End > int64(len(b)) || u.Start > u.End {
				t.Fatalf("unit span %d..%d outside %d bytes", u.Start, u.End, len(b))
			}
			if letters(u.Text) != letters(string(b[u.Start:u.End])) {
				t.Fatalf("unit letters differ from its source: %q vs %q", u.Text, b[u.Start:u.End])
			}
		}
	})
}

func FuzzPartySummaries(f *testing.F) {
	fuzzFormat(f, model.FormatPartySummaries, "tk2025-digitalisering-samenvattingen.txt")
}
func FuzzScoreOverview(f *testing.F) {
	fuzzFormat(f, model.FormatScoreOverview, "tk2023-bigtech-scores.txt")
}
func FuzzProgrammeChapter(f *testing.F) {
	fuzzFormat(f, model.FormatProgrammeChapter, "tk2023-bij1-digitale-rechten.txt")
}
func FuzzPledgeDocument(f *testing.F) {
	fuzzFormat(f, model.FormatPledgeDocument, "tk2023-digitaal-stembusakkoord.txt")
}
