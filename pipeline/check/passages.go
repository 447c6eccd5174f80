package check

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/validate"
)

// loadDocuments converts the rows of documents, read before passages, for the document runs and
// the accounting. A row that does not convert turns the dataset rules off.
func (f *folder) loadDocuments() {
	for _, r := range f.rows["documents"] {
		d, err := model.DocumentFromCells(r)
		if err != nil {
			f.fail("file.rows", "documents", "", err.Error())
			f.docsBad = true
			return
		}
		f.docs[d.ID] = d
		f.docList = append(f.docList, d)
	}
}

// passageRuns holds the passages of one document at a time: the checked copy of passages is
// grouped by document in document-id order, so a run of rows with the same document_id is all of
// that document's passages. Each run is checked (the dataset rules, and the provenance against
// the raw text) when the next begins, and dropped.
type passageRuns struct {
	f       *folder
	started bool
	cur     string
	inPlace bool // the run is where the order puts it (see orderWatch); a run out of place is not checked
	ps      []model.Passage
	broken  bool // a row did not convert: the passage rules are off
}

// add takes the next row of the checked copy; inPlace is the order watch's verdict on its run.
func (r *passageRuns) add(row []any, inPlace bool) {
	if r.broken || r.f.docsBad {
		return
	}
	p, err := model.PassageFromCells(row)
	if err != nil {
		r.f.fail("file.rows", "passages", "", err.Error())
		r.broken = true
		r.ps = nil
		return
	}
	if !r.started || p.DocumentID != r.cur {
		r.end()
		r.started, r.cur, r.inPlace = true, p.DocumentID, inPlace
	}
	r.ps = append(r.ps, p)
}

// end checks the current run and drops it.
func (r *passageRuns) end() {
	f := r.f
	if r.started && r.inPlace && len(r.ps) > 0 && !r.broken {
		if d, ok := f.docs[r.cur]; ok {
			ps := r.ps
			sort.SliceStable(ps, func(i, j int) bool { return ps[i].Seq < ps[j].Seq })
			f.chk.Passages(d, ps)
			if f.sources != "" {
				if a, ok := f.accounting().seek(d.ID); ok {
					f.provenance(d, a, ps)
				}
			}
		}
	}
	clear(r.ps)
	r.ps = r.ps[:0]
	if r.started && f.afterRun != nil {
		f.afterRun()
	}
}

// scoreRules checks, per document in id order, that every scored party is covered.
func (f *folder) scoreRules() {
	if f.docsBad || f.runs.broken {
		return
	}
	scores := map[string][]model.Score{}
	for _, r := range f.rows["scores"] {
		s, err := model.ScoreFromCells(r)
		if err != nil {
			f.fail("file.rows", "scores", "", err.Error())
			return
		}
		scores[s.DocumentID] = append(scores[s.DocumentID], s)
	}
	covered := map[string][]model.DocumentParty{}
	for _, r := range f.rows["document_parties"] {
		d, err := model.DocumentPartyFromCells(r)
		if err != nil {
			f.fail("file.rows", "document_parties", "", err.Error())
			return
		}
		covered[d.DocumentID] = append(covered[d.DocumentID], d)
	}
	ids := make([]string, 0, len(f.docs))
	for id := range f.docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		f.chk.Scores(scores[id], covered[id])
	}
}

// provenance checks the passages of document d against its raw text, when the text is there and
// unchanged.
func (f *folder) provenance(d model.Document, a model.Accounting, ps []model.Passage) {
	raw, err := os.ReadFile(filepath.Join(f.sources, filepath.FromSlash(d.RawPath)))
	if err != nil {
		return
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != d.RawSHA256 {
		return
	}
	f.chk.Provenance(d, ps, raw, a.Dropped)
}

// accounting is the stream of accounting.json, opened at the first use.
func (f *folder) accounting() *accountingStream {
	if f.acc == nil {
		f.acc = openAccounting(f)
	}
	return f.acc
}

// accountingEnd reads the rest of accounting.json and checks that every document has an entry of
// its size.
func (f *folder) accountingEnd() {
	a := f.accounting()
	for a.next() {
	}
	err := a.err
	f.chk.Check(err == nil, validate.Finding{Rule: "file.accounting", Severity: validate.Error, Source: AccountingFile,
		Message: fmt.Sprintf("cannot read the byte accounting: %v", err)})
	if err != nil {
		return
	}
	for _, d := range f.docList {
		n, ok := a.bytes[d.ID]
		f.chk.Check(ok && n == d.RawBytes, validate.Finding{Rule: "rule.accounting_covers_file", Severity: validate.Error, Table: "documents", Key: d.ID,
			Field: "raw_bytes", Value: fmt.Sprint(d.RawBytes), Source: AccountingFile, Message: "accounting.json has no entry of this document's size"})
	}
}

// accountingStream decodes accounting.json one entry of its documents array at a time, checking
// each entry's byte coverage as it goes. The entries are in document-id order, as the documents
// are, so that the passages of each document meet its entry (seek) without holding the file.
type accountingStream struct {
	f     *folder
	file  *os.File
	dec   *json.Decoder
	state int // 0: before the documents array, 1: in it, 2: after it
	done  bool
	err   error
	cur   *model.Accounting // the entry read last, not yet passed by seek
	n     int               // entries read
	prev  string
	bytes map[string]int64 // each document's size, as its entry gives it
}

func openAccounting(f *folder) *accountingStream {
	a := &accountingStream{f: f, bytes: map[string]int64{}}
	fh, err := os.Open(filepath.Join(f.dir, AccountingFile))
	if err != nil {
		a.fail(err)
		return a
	}
	a.file = fh
	a.dec = json.NewDecoder(bufio.NewReaderSize(fh, 1<<16))
	if tok, err := a.dec.Token(); err != nil {
		a.fail(err)
	} else if tok != json.Delim('{') {
		a.fail(fmt.Errorf("the file is not a JSON object (found %v)", tok))
	}
	return a
}

func (a *accountingStream) fail(err error) {
	if a.err == nil {
		a.err = err
	}
	a.done = true
	a.close()
}

func (a *accountingStream) close() {
	if a.file != nil {
		a.file.Close()
		a.file = nil
	}
}

// next reads the next entry into cur; false at the end of the file or at an error (err).
func (a *accountingStream) next() bool {
	a.cur = nil
	for !a.done {
		if a.state == 1 {
			if a.dec.More() {
				return a.entry()
			}
			if _, err := a.dec.Token(); err != nil { // ]
				a.fail(err)
				return false
			}
			a.state = 2
			continue
		}
		if !a.dec.More() {
			if _, err := a.dec.Token(); err != nil { // }
				a.fail(err)
				return false
			}
			if _, err := a.dec.Token(); err != io.EOF {
				a.fail(errors.New("data after the top-level object"))
				return false
			}
			a.done = true
			a.close()
			return false
		}
		tok, err := a.dec.Token()
		if err != nil {
			a.fail(err)
			return false
		}
		if key, _ := tok.(string); strings.EqualFold(key, "documents") && a.state == 0 {
			tok, err := a.dec.Token()
			switch {
			case err != nil:
				a.fail(err)
			case tok == nil: // null: no entries
				a.state = 2
			case tok == json.Delim('['):
				a.state = 1
			default:
				a.fail(fmt.Errorf("documents is not an array (found %v)", tok))
			}
			continue
		}
		var skip json.RawMessage
		if err := a.dec.Decode(&skip); err != nil {
			a.fail(err)
		}
	}
	return false
}

// entry decodes one entry of the documents array and checks that its classes cover its bytes.
func (a *accountingStream) entry() bool {
	var e model.Accounting
	if err := a.dec.Decode(&e); err != nil {
		a.fail(fmt.Errorf("documents entry %d: %w", a.n+1, err))
		return false
	}
	a.n++
	chk := a.f.chk
	var sum int64
	for _, n := range e.Classes {
		sum += n
	}
	chk.Check(sum == e.Bytes, validate.Finding{Rule: "rule.accounting_covers_file", Severity: validate.Error, Table: "documents", Key: e.DocumentID,
		Source: AccountingFile, Value: fmt.Sprint(sum), Message: fmt.Sprintf("the classes add up to %d bytes, the file has %d", sum, e.Bytes)})
	chk.Check(a.n == 1 || e.DocumentID > a.prev, validate.Finding{Rule: "file.accounting", Severity: validate.Error, Table: "documents", Key: e.DocumentID,
		Source: AccountingFile, Message: fmt.Sprintf("documents entry %d comes after the entry of %s: accounting.json lists the documents in document-id order; rebuild the folder", a.n, a.prev)})
	a.prev = e.DocumentID
	a.bytes[e.DocumentID] = e.Bytes
	a.cur = &e
	return true
}

// seek reads on to the entry of document id and returns it; false when the file has none (the
// entries are in id order, so one past id means there is none).
func (a *accountingStream) seek(id string) (model.Accounting, bool) {
	for {
		if a.cur == nil && !a.next() {
			return model.Accounting{}, false
		}
		switch {
		case a.cur.DocumentID < id:
			a.cur = nil
		case a.cur.DocumentID == id:
			return *a.cur, true
		default:
			return model.Accounting{}, false
		}
	}
}
