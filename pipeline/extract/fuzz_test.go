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
	fuzzMarkup(f, format, "", seed)
}

func fuzzMarkup(f *testing.F, format model.Format, markup, seed string) {
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
		src := registry.Source{ID: "f", Path: p, Format: format, Title: "T", Encoding: "utf-8", Party: "bij1", Markup: markup,
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
			if letters(u.Text) != letters(spanText(b, u, ex.Spans)) {
				t.Fatalf("unit letters differ from its source minus the dropped stretches: %q vs %q", u.Text, b[u.Start:u.End])
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
func FuzzProgrammeText(f *testing.F) {
	f.Add([]byte("HOOFDSTUK 1\nDIGITALISERING\nWe willen meer open\nsource.PROGRAMMA 2023 12\n• Een bul-\nlet met 44\n1. Een punt.\n"))
	// A page number glued to the second line of a two-line heading: the heading's span goes around it.
	f.Add([]byte("HOOFDSTUK 1\n8AA00000000000\n000000000000000000000000000000000000000000A10\n•0000000000000000000000000000000000"))
	fuzzMarkup(f, model.FormatProgrammeText, registry.MarkupPDF, "programmes/tk2023-d66-technologie.txt")
}

func FuzzProgrammeMarkdown(f *testing.F) {
	f.Add([]byte("---\ntitle: x\n---\n# Kop\n\nTekst met **nadruk** en [een link](https://example.org).\n\n- punt\n1. een\n"))
	fuzzMarkup(f, model.FormatProgrammeText, registry.MarkupMarkdown, "programmes/tk2021-sp-eerlijke-economie.txt")
}
