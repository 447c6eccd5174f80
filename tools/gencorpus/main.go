// Command gencorpus writes a synthetic raw folder (internal/gencorpus) for benchmarks and tests at
// scale:
//
//	go run ./tools/gencorpus -seed 1 -size 10MB -out DIR [-layouts party-summaries,programme-text] [-edit]
//
// DIR must be new or empty. With -edit it changes one word of one text of the corpus already in DIR
// (the one the same -seed and -size wrote) instead, and prints the file it changed.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/internal/gencorpus"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", 1, "seed of the random texts; the same seed and size give the same bytes")
	size := fs.String("size", "10MB", "target size of the raw folder (KB, MB, GB, KiB, MiB, GiB)")
	out := fs.String("out", "", "folder to write the raw folder into (new or empty)")
	layouts := fs.String("layouts", "", "comma-separated formats to generate (default: all of "+strings.Join(gencorpus.Layouts, ", ")+")")
	edit := fs.Bool("edit", false, "change one word in one text of the corpus in -out instead of writing one")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "gencorpus: -out DIR is required and no arguments are taken")
		fs.Usage()
		return 2
	}
	n, err := gencorpus.ParseSize(*size)
	if err != nil {
		fmt.Fprintln(stderr, "gencorpus:", err)
		return 2
	}
	o := gencorpus.Options{Seed: *seed, Bytes: n}
	if *layouts != "" {
		o.Layouts = strings.Split(*layouts, ",")
	}
	if *edit {
		file, err := gencorpus.Edit(*out, o)
		if err != nil {
			fmt.Fprintln(stderr, "gencorpus:", err)
			return 1
		}
		fmt.Fprintln(stdout, file)
		return 0
	}
	st, err := gencorpus.Write(*out, o)
	if err != nil {
		fmt.Fprintln(stderr, "gencorpus:", err)
		return 1
	}
	var by []string
	for l, k := range st.ByLayout {
		by = append(by, fmt.Sprintf("%s %d", l, k))
	}
	sort.Strings(by)
	fmt.Fprintf(stdout, "%s: %d documents, %d files, %d bytes (%s); about %d passages\n",
		*out, st.Documents, st.Files, st.Bytes, strings.Join(by, ", "), st.Passages)
	return 0
}
