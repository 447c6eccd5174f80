package gencorpus

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
)

// Options say what corpus to write. The same Options give the same bytes, whatever Workers is.
type Options struct {
	Seed  int64
	Bytes int64 // target size of the raw folder (texts and registry files); the result is within a document of it
	// Layouts are the formats to generate (model.Format values, e.g. "party-summaries"); empty: all five.
	Layouts []string
	// Workers is how many documents are generated at once; 0 means GOMAXPROCS.
	Workers int
}

// Stats describe a written corpus.
type Stats struct {
	Documents int
	Bytes     int64 // every file written: texts and registry files
	Files     int   // files written: texts plus the four registry files
	// ByLayout counts the documents of each format.
	ByLayout map[string]int
	// Passages is the number of passages the generator meant to write: exact for every format but
	// programme-text, whose parser decides paragraph ends from the look of the lines; there it is
	// the number of paragraphs, list items and points written.
	Passages int
	// PassagesByDocument is Passages per document id.
	PassagesByDocument map[string]int
}

// Layouts lists the formats the generator writes, in a fixed order.
var Layouts = []string{
	string(model.FormatPartySummaries), string(model.FormatScoreOverview), string(model.FormatProgrammeChapter),
	string(model.FormatPledgeDocument), string(model.FormatProgrammeText),
}

// ErrNotEmpty is returned by Write for a folder that already holds files: a corpus is written
// whole into a new or empty folder, so that no earlier text is left registered or lying about.
var ErrNotEmpty = errors.New("folder is not empty")

// layoutSpec is how often a format is drawn (by document) and how large its documents are
// (log-uniform between min and max bytes).
type layoutSpec struct {
	weight   float64
	min, max float64
}

var specs = map[model.Format]layoutSpec{
	model.FormatProgrammeText:    {0.35, 20e3, 1.5e6}, // whole programmes or long chapters
	model.FormatPartySummaries:   {0.15, 30e3, 300e3},
	model.FormatScoreOverview:    {0.15, 10e3, 120e3},
	model.FormatProgrammeChapter: {0.20, 5e3, 60e3},
	model.FormatPledgeDocument:   {0.15, 3e3, 40e3},
}

// entryBytes is about what one document adds to sources.toml, for the size budget.
const entryBytes = 330

// doc is one planned document: its registry entry and the size its text aims at.
type doc struct {
	index     int
	format    model.Format
	id, file  string
	election  election
	party     string // the party whose text it is (programme-chapter, programme-text)
	topic     string
	title     string // registry title, where the text has none of its own
	publisher string
	published string
	sourceURL string
	license   string
	markup    string
	encoding  string // "" (UTF-8) or windows-1252
	crlf, bom bool
	drop      map[string][]string
	furniture []string
	target    int
}

// result is what generating one document gave.
type result struct {
	bytes    int64
	passages int
	lines    []int // programme-text: lines = [from, to] when the text has more than the chapter
	err      error
}

// Write writes a complete raw folder into dir (created if missing, refused with ErrNotEmpty if it
// holds anything): sources.toml, parties.toml, elections.toml and dataset.toml (copies of the
// project's, see data/), and the texts. The same Options write the same bytes.
func Write(dir string, o Options) (Stats, error) {
	c, err := newCorpus(o)
	if err != nil {
		return Stats{}, err
	}
	if err := emptyDir(dir); err != nil {
		return Stats{}, err
	}
	docs := c.plan()
	res := make([]result, len(docs))
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, len(docs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i] = c.writeDoc(dir, &docs[i])
			}
		}()
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	st := Stats{ByLayout: map[string]int{}, PassagesByDocument: map[string]int{}}
	for i, r := range res {
		if r.err != nil {
			return Stats{}, fmt.Errorf("gencorpus: document %s: %w", docs[i].id, r.err)
		}
		st.Documents++
		st.Files++
		st.Bytes += r.bytes
		st.ByLayout[string(docs[i].format)]++
		st.Passages += r.passages
		st.PassagesByDocument[docs[i].id] = r.passages
	}
	reg := map[string][]byte{
		registry.SourcesFile:   sourcesTOML(docs, res),
		registry.PartiesFile:   partiesFile,
		registry.ElectionsFile: electionsFile,
		"dataset.toml":         datasetFile,
	}
	for _, name := range []string{registry.SourcesFile, registry.PartiesFile, registry.ElectionsFile, "dataset.toml"} {
		if err := os.WriteFile(filepath.Join(dir, name), reg[name], 0o644); err != nil {
			return Stats{}, fmt.Errorf("gencorpus: %w", err)
		}
		st.Files++
		st.Bytes += int64(len(reg[name]))
	}
	return st, nil
}

// corpus holds what every document of one corpus is generated from.
type corpus struct {
	o       Options
	v       *vocab
	pool    *partyPool
	formats []model.Format
}

func newCorpus(o Options) (*corpus, error) {
	if o.Bytes <= 0 {
		return nil, fmt.Errorf("gencorpus: Bytes must be positive, got %d", o.Bytes)
	}
	v, err := loadVocab()
	if err != nil {
		return nil, fmt.Errorf("gencorpus: %w", err)
	}
	pool, err := loadPool()
	if err != nil {
		return nil, fmt.Errorf("gencorpus: %w", err)
	}
	c := &corpus{o: o, v: v, pool: pool}
	want := o.Layouts
	if len(want) == 0 {
		want = Layouts
	}
	for _, l := range Layouts {
		if slices.Contains(want, l) {
			c.formats = append(c.formats, model.Format(l))
		}
	}
	for _, l := range want {
		if !slices.Contains(Layouts, l) {
			return nil, fmt.Errorf("gencorpus: unknown layout %q (known: %s)", l, strings.Join(Layouts, ", "))
		}
	}
	return c, nil
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dir, 0o755)
	case err != nil:
		return fmt.Errorf("gencorpus: %w", err)
	case len(entries) > 0:
		return fmt.Errorf("gencorpus: %s: %w; write a corpus into a new or empty folder", dir, ErrNotEmpty)
	}
	return nil
}

// Streams of the random generator: the plan has one, every document its own (by its index), so
// that documents can be generated in any order and in parallel.
const (
	streamPlan = 0x5eed_0001
	streamDoc  = 0x5eed_1000
	streamEdit = 0x5eed_0002
)

func (c *corpus) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(c.o.Seed), stream))
}

// plan draws the documents until their sizes and registry entries reach the target: the format
// (the first documents take each format once), election, party, topic, registry entry and size.
func (c *corpus) plan() []doc {
	r := c.rng(streamPlan)
	var docs []doc
	total := int64(len(partiesFile) + len(electionsFile) + len(datasetFile) + 800)
	first := slices.Clone(c.formats)
	r.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	var weightSum float64
	for _, f := range c.formats {
		weightSum += specs[f].weight
	}
	// No document takes more than a tenth of a small corpus, so a small corpus still has several.
	maxDoc := max(float64(c.o.Bytes)/10, 3e3)
	for i := 0; total < c.o.Bytes || i < len(first); i++ {
		var f model.Format
		if i < len(first) {
			f = first[i]
		} else {
			x := r.Float64() * weightSum
			for _, g := range c.formats {
				if x -= specs[g].weight; x < 0 || g == c.formats[len(c.formats)-1] {
					f = g
					break
				}
			}
		}
		sp := specs[f]
		size := sp.min * math.Exp(r.Float64()*math.Log(sp.max/sp.min))
		size = min(size, max(maxDoc, sp.min))
		d := c.planDoc(r, i, f, int(size))
		docs = append(docs, d)
		total += int64(d.target) + entryBytes
	}
	return docs
}

func (c *corpus) planDoc(r *rand.Rand, i int, f model.Format, size int) doc {
	d := doc{index: i, format: f, target: size}
	switch f {
	case model.FormatPartySummaries:
		d.election = pickElection(r, "TK2021", "TK2023", "TK2025")
	case model.FormatScoreOverview:
		d.election = pickElection(r, "TK2021", "TK2023", "TK2025")
	case model.FormatPledgeDocument:
		d.election = pickElection(r, "TK2017", "TK2021", "TK2023", "TK2025")
	default:
		d.election = pickElection(r, "TK2017", "TK2021", "TK2023", "TK2025")
	}
	d.topic = topics[r.IntN(len(topics))]
	short := map[model.Format]string{
		model.FormatPartySummaries: "samenvattingen", model.FormatScoreOverview: "scores",
		model.FormatProgrammeChapter: "hoofdstuk", model.FormatPledgeDocument: "akkoord", model.FormatProgrammeText: "programma",
	}[f]
	year := strconv.Itoa(d.election.year)
	switch f {
	case model.FormatProgrammeChapter, model.FormatProgrammeText:
		p := c.pool.party(d.election.parties[r.IntN(len(d.election.parties))])
		d.party = p.ID
		d.publisher = p.Name
		d.id = fmt.Sprintf("gen%05d-tk%s-%s-%s", i, year, p.ID, d.topic)
	default:
		d.id = fmt.Sprintf("gen%05d-tk%s-%s-%s", i, year, short, d.topic)
	}
	d.file = d.id + ".txt"
	switch f {
	case model.FormatPartySummaries:
		d.title = fmt.Sprintf("Verkiezingsprogramma's %s over %s: samenvattingen per partij", year, topicLabel(d.topic))
		if r.IntN(3) == 0 {
			d.published = dateBefore(r, d.election, 60)
		}
	case model.FormatProgrammeChapter:
		d.drop = chapterChrome(r, c.pool.party(d.party))
	case model.FormatProgrammeText:
		p := c.pool.party(d.party)
		d.file = "programmes/" + d.id + ".txt"
		if r.IntN(6) == 0 {
			d.markup = registry.MarkupMarkdown
			d.file = "programmes/" + d.id + ".md"
		}
		d.title = fmt.Sprintf("%s verkiezingsprogramma %s-%d: %s", p.Abbreviation, year, d.election.year+4, topicLabel(d.topic))
		if r.IntN(2) == 0 {
			d.sourceURL = fmt.Sprintf("https://programma.example.org/%s/%s.pdf", year, d.id)
		}
		if r.IntN(4) == 0 {
			d.published = dateBefore(r, d.election, 120)
		}
	}
	if f != model.FormatProgrammeText {
		switch x := r.IntN(100); {
		case x < 3:
			d.encoding = registry.EncodingWindows1252
		case x < 8:
			d.crlf = true
		case x < 10:
			d.bom = true
		}
	}
	if r.IntN(5) == 0 && d.license == "" && f == model.FormatPartySummaries {
		d.license = "CC-BY-4.0"
	}
	return d
}

// writeDoc generates one document's text and writes it.
func (c *corpus) writeDoc(dir string, d *doc) result {
	g := c.newGen(c.rng(streamDoc + uint64(d.index)))
	var text []byte
	var res result
	switch d.format {
	case model.FormatPartySummaries:
		text, res.passages = g.partySummaries(d)
	case model.FormatScoreOverview:
		text, res.passages = g.scoreOverview(d)
	case model.FormatProgrammeChapter:
		text, res.passages = g.programmeChapter(d)
	case model.FormatPledgeDocument:
		text, res.passages = g.pledgeDocument(d)
	case model.FormatProgrammeText:
		if d.markup == registry.MarkupMarkdown {
			text, res.passages = g.markdownText(d)
		} else {
			text, res.passages, res.lines = g.programmeText(d)
		}
	default:
		res.err = fmt.Errorf("format %q has no generator", d.format)
		return res
	}
	if d.crlf {
		text = bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
	}
	if d.bom {
		text = append([]byte("\uFEFF"), text...)
	}
	if d.encoding == registry.EncodingWindows1252 {
		enc, err := charmap.Windows1252.NewEncoder().Bytes(text)
		if err != nil || utf8.Valid(enc) {
			d.encoding = "" // a character windows-1252 lacks, or bytes that read as UTF-8: keep UTF-8
		} else {
			text = enc
		}
	}
	path := filepath.Join(dir, filepath.FromSlash(d.file))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		res.err = err
		return res
	}
	if err := os.WriteFile(path, text, 0o644); err != nil {
		res.err = err
		return res
	}
	res.bytes = int64(len(text))
	return res
}

// ParseSize reads a size such as "10MB", "1.5GB", "512KiB" or "1000000" (bytes). KB, MB and GB are
// powers of 1000; KiB, MiB and GiB powers of 1024.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"kB", 1e3}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || f*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("size %q: want a positive number with an optional unit (KB, MB, GB, KiB, MiB, GiB)", s)
	}
	return int64(f * mult), nil
}

// FormatSize prints a byte count the way ParseSize reads it, in the largest decimal unit that keeps
// it at 1 or more ("10MB", "1.5GB").
func FormatSize(n int64) string {
	switch {
	case n >= 1e9:
		return strconv.FormatFloat(float64(n)/1e9, 'f', -1, 64) + "GB"
	case n >= 1e6:
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "MB"
	case n >= 1e3:
		return strconv.FormatFloat(float64(n)/1e3, 'f', -1, 64) + "KB"
	}
	return strconv.FormatInt(n, 10) + "B"
}
