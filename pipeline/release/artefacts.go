package release

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/codebook"
	"github.com/standpunten/standpunten/pipeline/metadata"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/site"
	"github.com/standpunten/standpunten/schemas"
)

// draft is a computed release: its tables are in the staging folder, and everything its other
// files are rendered from is here. Nothing else of it is written yet.
type draft struct {
	dataset  *registry.Dataset
	set      schemas.Set
	snap     *changes.Snapshot // the new tables, read back from the staging folder
	changes  *changes.Changes  // version, previous, date, notes, level, the changes and the file list
	meta     *metadata.Release // what datapackage.json and dcat.jsonld are made from
	date     model.Date
	citation string
	computed changes.Level // the level the data and files call for, before --bump
	skip     bool          // nothing to publish: the latest release is up to date
	rawBytes int64         // bytes of the raw texts the build read
	pages    map[string][]byte
}

// PageFile is a release's page (Dutch), and PageFileEN its English one.
const (
	PageFile   = site.PageNL
	PageFileEN = site.PageEN
)

// hasPages reports whether the release folder dir has both its pages (releases made before the
// pages existed have none, and a release is never rewritten).
func hasPages(dir string) bool {
	for _, name := range []string{PageFile, PageFileEN} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// hasArtefact reports whether releases written now have the file name.
func hasArtefact(name string) bool {
	for _, a := range artefacts() {
		if a.name == name {
			return true
		}
	}
	return false
}

// written is a file already in the staging folder, as the artefacts rendered after it see it.
type written struct {
	Path   string // slash-separated, relative to the release folder
	Bytes  int64
	SHA256 string
}

// artefact is one file of a release beside the build's own: a name and how to render it from the
// draft and the files written before it, either whole (render) or as a stream into w (stream).
type artefact struct {
	name   string
	render func(d *draft, before []written) ([]byte, error)
	stream func(d *draft, w io.Writer) error
}

// artefacts are a release's files beside the build's tables, accounting.json and validation.json,
// in the order they are written. SHA256SUMS comes last, over all of them; it is not an artefact
// because it describes the folder itself.
func artefacts() []artefact {
	return []artefact{
		{name: ChangesFile, stream: func(d *draft, w io.Writer) error { return d.changes.WriteJSON(w) }},
		{name: ReleaseNotes, render: func(d *draft, _ []written) ([]byte, error) { return []byte(d.changes.Markdown()), nil }},
		{name: CodebookFile, render: func(d *draft, _ []written) ([]byte, error) { return codebook.Generate(codebookInput(d)) }},
		{name: DataPackageFile, render: func(d *draft, _ []written) ([]byte, error) { return metadata.DataPackage(d.meta) }},
		{name: DCATFile, render: func(d *draft, _ []written) ([]byte, error) { return metadata.DCAT(d.meta) }},
		{name: PageFile, render: func(d *draft, before []written) ([]byte, error) { return d.page(PageFile, before) }},
		{name: PageFileEN, render: func(d *draft, before []written) ([]byte, error) { return d.page(PageFileEN, before) }},
	}
}

// page renders the release's pages once (both list the same files: those written before the
// first) and returns the one named.
func (d *draft) page(name string, before []written) ([]byte, error) {
	if d.pages == nil {
		files := make([]site.File, 0, len(before))
		for _, w := range before {
			files = append(files, siteFile(w))
		}
		pages, err := site.Pages(site.Input{Dataset: d.dataset, Version: d.changes.Version, Date: d.date, Citation: d.citation,
			Changes: d.changes, Schemas: d.set, Tables: d.snap, Files: files})
		if err != nil {
			return nil, err
		}
		d.pages = pages
	}
	b, ok := d.pages[name]
	if !ok {
		return nil, fmt.Errorf("release: site.Pages made no %s", name)
	}
	return b, nil
}

// siteFile describes a written file for the downloads list: its format from the folder of a table
// (parquet/, csv/, json/) or from the extension of a metadata file.
func siteFile(w written) site.File {
	f := site.File{Path: w.Path, Bytes: w.Bytes, SHA256: w.SHA256}
	if dir, file, ok := strings.Cut(w.Path, "/"); ok {
		f.Format = dir
		f.Table = strings.TrimSuffix(file, path.Ext(file))
		return f
	}
	switch ext := path.Ext(w.Path); ext {
	case ".md":
		f.Format = "markdown"
	case ".jsonld":
		f.Format = "json-ld"
	case "":
		f.Format = "text"
	default:
		f.Format = strings.TrimPrefix(ext, ".")
	}
	return f
}

// write renders every artefact in order into dir, which holds the build's files, then writes
// SHA256SUMS over the whole folder.
func (d *draft) write(ctx context.Context, dir string) error {
	built, err := listFiles(dir)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	var before []written
	for _, name := range sortedKeys(built) {
		sum, n, err := publish.FileSHA256(built[name])
		if err != nil {
			return fmt.Errorf("release: %w", err)
		}
		before = append(before, written{Path: name, Bytes: n, SHA256: sum})
	}
	for _, a := range artefacts() {
		if err := ctx.Err(); err != nil {
			return err
		}
		w, err := a.writeTo(d, before, filepath.Join(dir, a.name))
		if err != nil {
			return err
		}
		before = append(before, w)
	}
	sums, err := publish.SHA256Sums(dir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, SumsFile), sums, 0o644); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeTo renders the artefact into the file path and says what was written.
func (a artefact) writeTo(d *draft, before []written, path string) (written, error) {
	w := written{Path: a.name}
	if a.render != nil {
		b, err := a.render(d, before)
		if err != nil {
			return w, err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return w, fmt.Errorf("release: %w", err)
		}
		w.Bytes, w.SHA256 = int64(len(b)), publish.SHA256Hex(b)
		return w, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return w, fmt.Errorf("release: %w", err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	err = a.stream(d, cw)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("release: %w", cerr)
	}
	if err != nil {
		return w, err
	}
	w.Bytes, w.SHA256 = cw.n, hex.EncodeToString(h.Sum(nil))
	return w, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
