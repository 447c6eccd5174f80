package build

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/standpunten/standpunten/pipeline/extract"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/normalize"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// aheadBytes is how many raw bytes of documents may be read and extracted ahead of the one being
// written, beyond the first two per worker (see window): their extracted passages wait in memory.
// On the 2-core machine of BENCHMARKS.md, 4 MiB keeps both cores busy (CPU/wall 1.89 on the
// generated 1 GB corpus, 1.76 with 2 MiB) at the same peak, which the soft memory limit holds.
const aheadBytes = 4 << 20

// Dataset is the dataset's name in file metadata.
const Dataset = "standpunten"

// Options configure a build.
type Options struct {
	RawDir   string // folder with sources.toml, parties.toml, elections.toml and the texts
	OutDir   string // folder to write; replaced as a whole
	MaxBytes int64  // size limit per raw file; 0 means extract.DefaultMaxBytes
	Logger   *slog.Logger
	// Carry, when set, may rewrite the ids of one document's passages (and the parent ids that
	// name them) before they are checked and written, e.g. to keep the ids of a previous release.
	// It is called from several goroutines at once, each time for another document.
	Carry func(documentID string, passages []model.Passage)
	// Progress, when set, is called after each document is written, on one goroutine, with the
	// documents and raw bytes done so far and in all.
	Progress func(Progress)
	// Workers is how many documents are read and extracted at once; 0 means one per CPU. The
	// output is the same bytes whatever the number: documents are checked and written in
	// registry order.
	Workers int
}

// Progress is how far a build is: documents and raw bytes written of all registered.
type Progress struct {
	Documents, TotalDocuments int
	Bytes, TotalBytes         int64
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// DocumentSummary is what the build found in one document.
type DocumentSummary struct {
	DocumentID string                  `json:"document_id"`
	Format     model.Format            `json:"format"`
	Parties    int                     `json:"parties"`
	Passages   int                     `json:"passages"`
	ByKind     map[model.Kind]int      `json:"passages_by_kind"`
	Scores     int                     `json:"scores"`
	Bytes      int64                   `json:"bytes"`
	Shares     map[model.Class]float64 `json:"byte_shares"`
	Quality    *model.Quality          `json:"quality"`
}

// Summary is the outcome of a build.
type Summary struct {
	Out        string            `json:"out"`
	Files      []string          `json:"files"`
	Documents  []DocumentSummary `json:"documents"`
	Rows       map[string]int64  `json:"rows"`
	Validation validate.Report   `json:"validation"`
}

// InvalidError carries the validation report of a build that failed validation.
type InvalidError struct{ Report validate.Report }

func (e *InvalidError) Error() string {
	return fmt.Sprintf("validation failed: %d errors, %d warnings; nothing was written", e.Report.Failed[validate.Error], e.Report.Failed[validate.Warning])
}

func (e *InvalidError) Is(target error) bool { return target == model.ErrInvalid }

// Run builds every table from the registry in opts.RawDir into opts.OutDir.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if err := CheckOut(opts.OutDir, opts.RawDir); err != nil {
		return nil, err
	}
	set, reg, lex, total, err := prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	stage, err := publish.Stage(opts.OutDir)
	if err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = stage.Abort()
		}
	}()
	sum, err := write(ctx, opts, stage.Dir(), set, reg, lex, total)
	if err != nil {
		return nil, err
	}
	if err := stage.Commit(); err != nil {
		return nil, err
	}
	committed = true
	sum.Out = opts.OutDir
	for i, f := range sum.Files {
		sum.Files[i] = filepath.Join(opts.OutDir, f)
	}
	return sum, nil
}

// Into builds every table into dir, an existing empty folder the caller stages and commits (a
// release). opts.OutDir is not used. On error dir holds a partial build for the caller to remove.
func Into(ctx context.Context, opts Options, dir string) (*Summary, error) {
	set, reg, lex, total, err := prepare(ctx, opts)
	if err != nil {
		return nil, err
	}
	sum, err := write(ctx, opts, dir, set, reg, lex, total)
	if err != nil {
		return nil, err
	}
	sum.Out = dir
	return sum, nil
}

// prepare loads the schemas and the registry, then checks and decodes every text and learns the
// corpus's hyphenated words. The texts are read again when writing rather than kept, so memory
// does not grow with the corpus.
func prepare(ctx context.Context, opts Options) (schemas.Set, *registry.Registry, extract.Lexicon, int64, error) {
	set, err := schemas.Load()
	if err != nil {
		return nil, nil, nil, 0, err
	}
	reg, err := registry.Load(opts.RawDir)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	lex := extract.Lexicon{}
	var inputErrs []error
	var mu sync.Mutex
	var total int64
	err = inOrder(ctx, len(reg.Sources), opts.workers(), func(i int) (extract.Lexicon, error) {
		t, err := extract.Read(reg.Sources[i], opts.MaxBytes)
		if err != nil {
			return nil, err
		}
		l := extract.Lexicon{}
		l.Add(t.S)
		mu.Lock()
		total += int64(len(t.Raw))
		mu.Unlock()
		return l, nil
	}, func(_ int, l extract.Lexicon, err error) error {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			inputErrs = append(inputErrs, err)
			return nil
		}
		// A word of a document's lexicon is a slice of that document's text: copied, so that the
		// corpus's lexicon keeps its words and not every text they were found in.
		for w := range l {
			if _, ok := lex[w]; !ok {
				lex[strings.Clone(w)] = struct{}{}
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, 0, err
	}
	if len(inputErrs) > 0 {
		return nil, nil, nil, 0, errors.Join(inputErrs...)
	}
	return set, reg, lex, total, nil
}

type tables struct {
	open map[string]*publish.TableWriter
	chk  *validate.Checker
}

// add checks and writes rows of the named table. Each row's cells are taken once (Values boxes
// every cell) and the checker and the writer read the same ones.
func (t *tables) add(name string, rows ...model.Row) error {
	for _, r := range rows {
		cells := model.Cells(r.Values())
		t.chk.Row(name, cells)
		if err := t.open[name].Append(cells); err != nil {
			return err
		}
	}
	return nil
}

func write(ctx context.Context, opts Options, dir string, set schemas.Set, reg *registry.Registry, lex extract.Lexicon, totalBytes int64) (*Summary, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w, err := publish.NewWriter(dir, set, publish.Meta{Dataset: Dataset, SchemaVersion: set.Version()})
	if err != nil {
		return nil, err
	}
	chk, err := validate.NewChecker(set)
	if err != nil {
		return nil, err
	}
	t := &tables{open: map[string]*publish.TableWriter{}, chk: chk}
	for _, name := range schemas.Order {
		tw, err := w.Table(name)
		if err != nil {
			return nil, err
		}
		t.open[name] = tw
	}
	// A build that fails half way closes its files too (Close is a no-op for a closed table).
	defer func() {
		for _, tw := range t.open {
			_ = tw.Close()
		}
	}()
	for _, p := range reg.Parties {
		if err := t.add("parties", p); err != nil {
			return nil, err
		}
	}
	for _, e := range reg.Elections {
		if err := t.add("elections", e); err != nil {
			return nil, err
		}
	}
	acct, err := newAccountingFile(dir)
	if err != nil {
		return nil, err
	}
	defer acct.abort()
	sum := &Summary{Rows: map[string]int64{}}
	var inputErrs []error
	// Documents are read, extracted, accounted and normalised by several workers at once, and
	// checked and written here one at a time, in registry order.
	type doc struct {
		src   registry.Source
		text  *extract.Text
		acc   model.Accounting
		entry accountingEntry // acc as accounting.json holds it
		res   normalize.Result
	}
	perDoc := func(i int) (*doc, error) {
		src := reg.Sources[i]
		text, err := extract.Read(src, opts.MaxBytes)
		if err != nil {
			return nil, inputError{err}
		}
		ex, err := extract.Extract(ctx, reg, src, text, lex)
		if err != nil {
			return nil, inputError{err}
		}
		acc, err := extract.Account(text, ex)
		if err != nil {
			return nil, fmt.Errorf("accounting: %w", err)
		}
		res := normalize.Document(ex)
		res.Document.RawSHA256 = sha256Hex(text.Raw)
		if opts.Carry != nil {
			opts.Carry(src.ID, res.Passages)
		}
		acc.Quality = quality(ex, res.Passages, acc)
		entry, err := encodeAccounting(acc)
		if err != nil {
			return nil, err
		}
		return &doc{src: src, text: text, acc: acc, entry: entry, res: res}, nil
	}
	done := Progress{TotalDocuments: len(reg.Sources), TotalBytes: totalBytes}
	// A long text holds up the writing of the ones after it; the other workers go on with those
	// while their raw bytes in flight stay within aheadBytes.
	sizes := make([]int64, len(reg.Sources))
	for i, src := range reg.Sources {
		if st, err := os.Stat(src.Path); err == nil {
			sizes[i] = st.Size()
		}
	}
	win := window{weight: func(i int) int64 { return sizes[i] }, budget: aheadBytes, most: 64 * opts.workers()}
	err = inOrderWindow(ctx, len(reg.Sources), opts.workers(), win, perDoc, func(_ int, d *doc, err error) error {
		var ie inputError
		if errors.As(err, &ie) {
			inputErrs = append(inputErrs, ie.err)
			return nil
		}
		if err != nil {
			return err
		}
		src, text, acc, res := d.src, d.text, d.acc, d.res
		if err := t.add("documents", res.Document); err != nil {
			return err
		}
		for _, p := range res.Passages {
			if err := t.add("passages", p); err != nil {
				return err
			}
		}
		for _, s := range res.Scores {
			if err := t.add("scores", s); err != nil {
				return err
			}
		}
		for _, d := range res.Parties {
			if err := t.add("document_parties", d); err != nil {
				return err
			}
		}
		chk.PassagesIn(res.Document, res.Passages, text.Raw)
		chk.Provenance(res.Document, res.Passages, text.Raw, acc.Dropped)
		chk.Scores(res.Scores, res.Parties)
		if err := acct.addEntry(d.entry); err != nil {
			return err
		}
		ds := DocumentSummary{DocumentID: src.ID, Format: src.Format, Parties: len(res.Parties), Passages: len(res.Passages),
			ByKind: map[model.Kind]int{}, Scores: len(res.Scores), Bytes: acc.Bytes, Shares: map[model.Class]float64{}, Quality: acc.Quality}
		for _, p := range res.Passages {
			ds.ByKind[p.Kind]++
		}
		for c, n := range acc.Classes {
			ds.Shares[c] = float64(n) / float64(acc.Bytes)
		}
		sum.Documents = append(sum.Documents, ds)
		log.Debug("document built", "document", src.ID, "format", src.Format, "passages", len(res.Passages), "parties", len(res.Parties))
		done.Documents++
		done.Bytes += int64(len(text.Raw))
		if opts.Progress != nil {
			opts.Progress(done)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(inputErrs) > 0 {
		return nil, errors.Join(inputErrs...)
	}
	for _, name := range schemas.Order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := t.open[name].Close(); err != nil {
			return nil, err
		}
		sum.Rows[name] = t.open[name].Rows()
	}
	sum.Validation = chk.Report()
	if !sum.Validation.Valid {
		return sum, &InvalidError{Report: sum.Validation}
	}
	if err := acct.commit(); err != nil {
		return nil, err
	}
	if err := publish.WriteJSON(filepath.Join(dir, publish.ValidationFile), sum.Validation); err != nil {
		return nil, err
	}
	for _, name := range schemas.Order {
		sum.Files = append(sum.Files, filepath.Join("parquet", name+".parquet"), filepath.Join("csv", name+".csv"), filepath.Join("json", name+".json"))
	}
	sum.Files = append(sum.Files, publish.AccountingFile, publish.ValidationFile)
	return sum, nil
}

// quality summarises a document for its users: passages by kind and by flag, bytes dropped by
// reason, headings found.
func quality(ex *model.Extracted, ps []model.Passage, acc model.Accounting) *model.Quality {
	q := &model.Quality{PassagesByKind: map[model.Kind]int{}, DroppedBytes: map[string]int64{}, Flags: map[string]int{}, Headings: ex.Headings}
	for _, p := range ps {
		q.PassagesByKind[p.Kind]++
		for _, f := range p.Flags {
			q.Flags[f]++
		}
	}
	for _, d := range acc.Dropped {
		q.DroppedBytes[d.Reason] += d.End - d.Start
	}
	return q
}
