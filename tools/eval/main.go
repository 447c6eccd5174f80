// Command eval scores the programme-text parser against the answer keys in eval/answers (see
// internal/eval). It prints one line per text and a total; -v lists what was missed.
//
//	go run ./tools/eval [-corpus ../shared/corpus] [-answers eval/answers] [-v] [-json]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/standpunten/standpunten/internal/eval"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "folder with sources.tsv and texts/")
	answers := flag.String("answers", "eval/answers", "folder with the answer keys")
	raw := flag.String("raw", "raw", "raw folder whose parties.toml names the parties (as a build would know them)")
	verbose := flag.Bool("v", false, "list missed units, leaked furniture and wrong hyphens")
	asJSON := flag.Bool("json", false, "print the scores as JSON")
	dump := flag.String("dump", "", "print the passages and dropped spans of this text (file name)")
	flag.Parse()
	if err := run(*corpus, *answers, *raw, *verbose, *asJSON, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func run(corpus, answers, raw string, verbose, asJSON bool, dump string) error {
	keys, err := eval.LoadKeys(answers)
	if err != nil {
		return err
	}
	texts, err := readCorpus(corpus)
	if err != nil {
		return err
	}
	var d eval.Dump
	if dump != "" {
		d = func(file string, ex *model.Extracted, ps []model.Passage) {
			if file != dump {
				return
			}
			for _, sp := range ex.Spans {
				if sp.Class == model.ClassDropped || sp.Label == "heading" {
					fmt.Printf("%-9s %-15s %d..%d\n", sp.Class, sp.Label, sp.Start, sp.End)
				}
			}
			for _, p := range ps {
				sec := ""
				if p.Section != "" {
					sec = "[" + p.Section + "] "
				}
				fmt.Printf("%4d %-9s %v %s%s\n", p.SourceLine, p.Kind, p.Flags, sec, p.Text)
			}
		}
	}
	reg, err := registry.Load(raw)
	if err != nil {
		return err
	}
	scores, err := eval.Run(context.Background(), keys, texts, reg.Matcher, d)
	if err != nil {
		return err
	}
	total := eval.Total(scores)
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"texts": scores, "total": total})
	}
	fmt.Printf("%-44s %13s %13s %13s %9s %9s %11s\n", "text", "exact units", "kind right", "at a unit", "furn. leaked", "head. leaked", "hyphens ok")
	for _, s := range append(scores, total) {
		if s.File == "all" {
			fmt.Println(strings.Repeat("-", 122))
		}
		fmt.Printf("%-44s %13s %13s %13s %9s %9s %11s\n", s.File, frac(s.ExactUnits, s.Units), frac(s.KindRight, s.Units),
			frac(s.PassagesAtUnit, s.Passages), fmt.Sprintf("%d/%d", s.FurnitureLeaked, s.Furniture),
			fmt.Sprintf("%d/%d", s.HeadingsLeaked, s.Headings), frac(s.HyphensRight, s.Hyphens))
		if verbose {
			for _, group := range []struct {
				name  string
				items []string
			}{{"missed", s.Missed}, {"spurious", s.SpuriousPassages}, {"furniture leaked", s.LeakedFurniture}, {"heading leaked", s.LeakedHeadings}, {"hyphen", s.WrongHyphens}} {
				for _, it := range group.items {
					fmt.Printf("    %s: %s\n", group.name, it)
				}
			}
		}
	}
	return nil
}

func frac(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %3.0f%%", a, b, 100*float64(a)/float64(b))
}

// readCorpus reads sources.tsv: each text's path and party (as the basic registry entry has it).
func readCorpus(dir string) (map[string]eval.Text, error) {
	f, err := os.Open(filepath.Join(dir, "sources.tsv"))
	if err != nil {
		return nil, fmt.Errorf("%v (the corpus is in ../shared/corpus beside the clone; pass -corpus)", err)
	}
	defer f.Close()
	out := map[string]eval.Text{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 2 {
			continue
		}
		out[cols[0]] = eval.Text{Path: filepath.Join(dir, "texts", cols[0])}
	}
	return out, sc.Err()
}
