package build

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// accountingFile writes accounting.json one document at a time, as each document is finished,
// instead of keeping every document's accounting (with every dropped stretch) until the end. The
// bytes are those of publish.WriteJSON(path, map[string]any{"documents": all}) with all sorted by
// document id: documents come in registry order, which is id order, and add refuses one that
// does not come after the one before rather than write an unsorted file. The entries go into a
// hidden file beside the final one, which commit renames into place once the build is valid, so
// a build that fails leaves no accounting.json.
type accountingFile struct {
	path, tmp string
	f         *os.File
	w         *bufio.Writer
	n         int
	last      string // the id of the last document added
}

// accountingEntry is one document's accounting as it appears in accounting.json, encoded by
// encodeAccounting (on the document's worker) for accountingFile.add to write.
type accountingEntry struct {
	id   string
	text []byte
}

// encodeAccounting encodes one document's accounting as its entry of accounting.json. An entry
// sits at depth two of the file ({"documents": [entry, …]}): the lines after its first start with
// four spaces, and its members are indented by two more.
func encodeAccounting(acc model.Accounting) (accountingEntry, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(acc); err != nil {
		return accountingEntry{}, fmt.Errorf("build: write %s: document %s: %w", publish.AccountingFile, acc.DocumentID, err)
	}
	return accountingEntry{id: acc.DocumentID, text: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}, nil
}

func newAccountingFile(dir string) (*accountingFile, error) {
	a := &accountingFile{path: filepath.Join(dir, publish.AccountingFile)}
	a.tmp = filepath.Join(dir, "."+publish.AccountingFile+".part")
	f, err := os.OpenFile(a.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("build: write %s: %w", a.path, err)
	}
	if err := f.Chmod(0o644); err != nil { // as publish.WriteFileAtomic: whatever the umask
		_ = f.Close()
		_ = os.Remove(a.tmp)
		return nil, fmt.Errorf("build: write %s: %w", a.path, err)
	}
	a.f, a.w = f, bufio.NewWriterSize(f, 1<<16)
	return a, nil
}

// addEntry writes one document's encoded accounting.
func (a *accountingFile) addEntry(e accountingEntry) error {
	if a.n > 0 && e.id <= a.last {
		return fmt.Errorf("build: write %s: document %q came after %q: documents must be finished in order of their ids (the registry sorts them)", a.path, e.id, a.last)
	}
	sep := ",\n    "
	if a.n == 0 {
		sep = "{\n  \"documents\": [\n    "
	}
	if _, err := a.w.WriteString(sep); err != nil {
		return fmt.Errorf("build: write %s: %w", a.path, err)
	}
	if _, err := a.w.Write(e.text); err != nil {
		return fmt.Errorf("build: write %s: %w", a.path, err)
	}
	a.n++
	a.last = e.id
	return nil
}

// commit ends the file, syncs it and renames it to accounting.json.
func (a *accountingFile) commit() error {
	end := "\n  ]\n}\n"
	if a.n == 0 {
		end = "{\n  \"documents\": null\n}\n" // what an empty (nil) list encodes to
	}
	_, err := a.w.WriteString(end)
	if err == nil {
		err = a.w.Flush()
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	a.f = nil
	if err == nil {
		err = os.Rename(a.tmp, a.path)
	}
	if err != nil {
		_ = os.Remove(a.tmp)
		return fmt.Errorf("build: write %s: %w", a.path, err)
	}
	return nil
}

// abort closes and removes the unfinished file; it does nothing after commit.
func (a *accountingFile) abort() {
	if a.f == nil {
		return
	}
	_ = a.f.Close()
	a.f = nil
	_ = os.Remove(a.tmp)
}
