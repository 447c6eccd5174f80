package release

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/standpunten/standpunten/pipeline/build"
	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/codebook"
	"github.com/standpunten/standpunten/pipeline/metadata"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/normalize"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// Files of a release folder besides the tables, and of the output folder.
const (
	ChangesFile     = publish.ChangesFile
	ReleaseNotes    = publish.ReleaseNotesFile
	CodebookFile    = publish.CodebookFile
	DataPackageFile = publish.DataPackageFile
	DCATFile        = publish.DCATFile
	SumsFile        = publish.SumsFile
	ChangelogFile   = "CHANGELOG.md"
	LatestLink      = "latest"
	ReleasesDir     = "releases"
)

// Failpoints name the moments a test may kill a release run (Options.Crash).
const (
	FailAfterTables  = "after-tables"  // the tables are in the staging folder
	FailBeforeCommit = "before-commit" // every file is in the staging folder
	FailAfterCommit  = "after-commit"  // the release folder is in place; CHANGELOG.md and latest are not
	FailAfterLog     = "after-changelog"
)

// Options configure a release run.
type Options struct {
	RawDir   string        // raw texts and registry files
	OutDir   string        // output folder: releases/, CHANGELOG.md, latest, .lock
	MaxBytes int64         // size limit per raw file; 0 = default
	Date     model.Date    // release date (the caller passes today's date by default)
	Notes    string        // the operator's notes for this release
	Bump     changes.Level // raise the computed level to at least this; never lowers it
	DryRun   bool          // compute everything, publish nothing
	Wait     time.Duration // how long to wait for the lock; 0 = fail at once
	Logger   *slog.Logger
	Crash    func(point string) // called at each failpoint; nil in production
	// AllowRemovals publishes a release that the removal guard would refuse (see RemovalShare).
	AllowRemovals bool
	// Progress, when set, is told how far the build of the new release is (see build.Options).
	Progress func(build.Progress)
	// Rebuild ignores the recorded fingerprint (FingerprintFile) and decides "up to date" by
	// building and comparing in full.
	Rebuild bool
	// SignKey, when set, is the private key file (or the .pub of a key in ssh-agent) that signs
	// SHA256SUMS into SHA256SUMS.sig (see package sign). The key is tried before anything is built.
	SignKey string
	// RemovalShare is the largest share of a still-registered document's passages that a release
	// may remove without AllowRemovals; 0 means DefaultRemovalShare.
	RemovalShare float64
}

// DefaultRemovalShare is the removal guard's default: a release that would remove more than a
// tenth of the passages of a document that is still registered is refused.
const DefaultRemovalShare = 0.10

func (o *Options) crash(point string) {
	if o.Crash != nil {
		o.Crash(point)
	}
}

func (o *Options) log() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// Status says what a release run did.
type Status string

// Statuses.
const (
	Published Status = "published"
	UpToDate  Status = "up-to-date"
	DryRun    Status = "dry-run"
)

// Result is the outcome of a release run, printed as the JSON summary.
type Result struct {
	Status     Status              `json:"status"`
	Version    string              `json:"version"`  // the new release, or the latest when up to date
	Previous   string              `json:"previous"` // the release before Version; empty for the first
	Level      changes.Level       `json:"level"`
	Reasons    []string            `json:"reasons"`
	Path       string              `json:"path,omitempty"` // the release folder
	Validation *changes.Validation `json:"validation,omitempty"`
	Changes    *changes.Changes    `json:"-"`
	// Fingerprint is true when "up to date" was decided from the recorded fingerprint of the
	// inputs, without building.
	Fingerprint bool `json:"by_fingerprint,omitempty"`
	// RawBytes is how many bytes of raw input the run read: the texts the build read, or, when
	// up to date by fingerprint, every file under the raw folder (each was hashed).
	RawBytes int64 `json:"-"`
}

// info is what a published release says about itself in its changes.json.
type info struct {
	Version, Date, Notes string
	Level                changes.Level
	Dir                  string
}

// Releases lists the release folders under OUT/releases, oldest first by version. Folders
// whose name is not vX.Y.Z (staging folders start with a dot) are ignored.
func Releases(out string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(out, ReleasesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	type rel struct {
		v    changes.Version
		name string
	}
	var rels []rel
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "v") {
			continue
		}
		v, err := changes.ParseVersion(strings.TrimPrefix(e.Name(), "v"))
		if err != nil {
			continue
		}
		rels = append(rels, rel{v, e.Name()})
	}
	sort.Slice(rels, func(i, j int) bool { return rels[i].v.Less(rels[j].v) })
	out2 := make([]string, len(rels))
	for i, r := range rels {
		out2[i] = strings.TrimPrefix(r.name, "v")
	}
	return out2, nil
}

// Dir is the folder of a release.
func Dir(out, version string) string { return filepath.Join(out, ReleasesDir, "v"+version) }

func readInfo(out, version string) (*info, error) {
	in, err := readInfoIn(Dir(out, version))
	if err != nil {
		return nil, fmt.Errorf("release v%s: %w", version, err)
	}
	if in.Version != version {
		return nil, &model.SourceError{File: filepath.Join(in.Dir, ChangesFile), Msg: fmt.Sprintf("says version %q, the folder is v%s", in.Version, version)}
	}
	return in, nil
}

// readInfoIn reads what the release folder dir says about itself in its changes.json.
func readInfoIn(dir string) (*info, error) {
	// An *fs.PathError (not readable: the caller says what is missing) or a *model.SourceError.
	c, err := changes.ReadHead(filepath.Join(dir, ChangesFile))
	if err != nil {
		return nil, err
	}
	return &info{Version: c.Version, Date: c.Date, Notes: c.Notes, Level: c.Level, Dir: dir}, nil
}

// history is the releases already published: the latest and the first (for dct:issued).
type history struct {
	versions []string // oldest first
	latest   *info
	first    *info
}

func readHistory(out string) (*history, error) {
	vs, err := Releases(out)
	if err != nil || len(vs) == 0 {
		return &history{}, err
	}
	h := &history{versions: vs}
	if h.latest, err = readInfo(out, vs[len(vs)-1]); err != nil {
		return nil, err
	}
	if h.first, err = readInfo(out, vs[0]); err != nil {
		return nil, err
	}
	return h, nil
}

// env is where releases are composed from and published to.
type env struct {
	raw, out string
	maxBytes int64
	log      *slog.Logger
}

func (p plan) env() env { return env{raw: p.raw, out: p.out, maxBytes: p.maxBytes, log: p.log} }

// planFor is the plan that composes the published release versions[i] again: its previous
// release, version, date, notes and level as published.
func planFor(e env, versions []string, i int) (plan, error) {
	cur, err := readInfo(e.out, versions[i])
	if err != nil {
		return plan{}, err
	}
	p := plan{raw: e.raw, out: e.out, maxBytes: e.maxBytes, log: e.log, versions: versions, prevIdx: i - 1,
		version: cur.Version, date: mustDate(cur.Date), notes: cur.Notes, bump: cur.Level}
	if i > 0 {
		if p.prev, err = readInfo(e.out, versions[i-1]); err != nil {
			return plan{}, err
		}
		if p.first, err = readInfo(e.out, versions[0]); err != nil {
			return plan{}, err
		}
	}
	return p, nil
}

// plan says how to compose a release folder.
type plan struct {
	raw      string
	out      string
	maxBytes int64
	versions []string // the published releases, oldest first
	prev     *info    // previous release (versions[prevIdx]), or nil
	prevIdx  int
	first    *info  // first release, or nil
	version  string // forced version (Verify), or "" to compute it
	date     model.Date
	notes    string
	bump     changes.Level
	log      *slog.Logger
	progress func(build.Progress)
	// guard, when set, refuses removals beyond the share (a new release, not a reproduced one).
	guard *removalGuard
}

type removalGuard struct{ share float64 }

// composed is a release folder written by compose.
type composed struct {
	changes  *changes.Changes
	computed changes.Level // the level the data and files call for, before --bump; none = nothing to release
	rawBytes int64         // bytes of the raw texts the build read
}

// compose computes a release from the raw texts into dir (empty, existing: the build's tables go
// there first) and, unless there is nothing to publish, writes the rest of the release folder.
func compose(ctx context.Context, p plan, dir string, crash func(string)) (*composed, error) {
	d, err := compute(ctx, p, dir, crash)
	if err != nil {
		return nil, err
	}
	res := &composed{changes: d.changes, computed: d.computed, rawBytes: d.rawBytes}
	if d.skip {
		return res, nil
	}
	if err := d.write(ctx, dir); err != nil {
		return nil, err
	}
	return res, nil
}

// compute builds the tables into dir, compares them with the previous release and decides the
// version: everything a release's other files are rendered from, with nothing of them written.
func compute(ctx context.Context, p plan, dir string, crash func(string)) (*draft, error) {
	prevSnap := &changes.Snapshot{}
	if p.prev != nil {
		set, err := changes.SchemasOf(p.prev.Dir)
		if err != nil {
			return nil, err
		}
		if prevSnap, err = changes.Load(p.prev.Dir, set); err != nil {
			return nil, err
		}
	}
	dataset, err := registry.LoadDataset(p.raw)
	if err != nil {
		return nil, err
	}
	// The previous release's passages are read forward once, a document at a time, as the build
	// asks for them (documents are built in id order).
	carry := newCarrier(prevSnap, versionOf(p.prev))
	sum, err := build.Into(ctx, build.Options{RawDir: p.raw, MaxBytes: p.maxBytes, Logger: p.log, Progress: p.progress,
		Carry: func(doc string, ps []model.Passage) { normalize.CarryIDs(carry.passages(doc), ps) }}, dir)
	if cerr := carry.close(err == nil); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	crash(FailAfterTables)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	set, err := schemas.Load()
	if err != nil {
		return nil, err
	}
	snap, err := changes.Load(dir, set)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch, err := changes.Compare(prevSnap, snap)
	if err != nil {
		return nil, err
	}
	if p.guard != nil && p.prev != nil {
		if err := p.guard.check(ch, prevSnap, snap); err != nil {
			return nil, err
		}
	}
	ch.Date = p.date.String()
	ch.Notes = p.notes
	ch.Validation = &changes.Validation{Valid: sum.Validation.Valid, ChecksRun: sum.Validation.ChecksRun,
		Errors: sum.Validation.Failed[validate.Error], Warnings: sum.Validation.Failed[validate.Warning]}
	d := &draft{dataset: dataset, set: set, snap: snap, changes: ch, date: p.date}
	for _, doc := range sum.Documents {
		d.rawBytes += doc.Bytes
	}

	d.meta = &metadata.Release{Dataset: dataset, Schemas: set, Notes: p.notes, Date: p.date}
	if d.meta.Files, err = tableFiles(dir, set, snap); err != nil {
		return nil, err
	}
	if d.meta.Sources, err = sources(snap); err != nil {
		return nil, err
	}
	computed := ch.Level
	if p.prev != nil && ch.Level == changes.LevelNone {
		// No row and no schema changed. Would the previous release come out the same today? If
		// not, the dataset metadata or the code that writes the files changed: a patch.
		differ, _, _, err := reproduce(ctx, p.env(), p.versions, p.prevIdx)
		if err != nil {
			return nil, err
		}
		if len(differ) > 0 {
			computed, ch.Level = changes.LevelPatch, changes.LevelPatch
			ch.Reasons = append(ch.Reasons, fmt.Sprintf("no row changed, but v%s would now be written differently "+
				"(the dataset metadata in raw/%s, the schema descriptions or the code changed): %s", p.prev.Version, registry.DatasetFile, strings.Join(differ, ", ")))
		}
	}
	d.computed = computed
	if p.version == "" && p.prev != nil {
		if computed == changes.LevelNone {
			d.skip = true // nothing to publish: the caller says up to date
			return d, nil
		}
		if p.date.String() < p.prev.Date {
			return nil, model.Classified(model.ErrConfig, fmt.Errorf("release date %s is before the latest release v%s of %s; release dates do not go back: release with --date %s or later", p.date, p.prev.Version, p.prev.Date, p.prev.Date))
		}
	}

	ch.Previous = ""
	prevVersion := ""
	if p.prev != nil {
		prevVersion = p.prev.Version
		ch.Previous = prevVersion
	}
	ch.Version = p.version
	if ch.Version == "" {
		ch.Version = changes.Next(prevVersion, ch.Level)
		if computed > changes.LevelNone {
			ch.Version = changes.Next(prevVersion, changes.Max(ch.Level, p.bump))
		}
	}
	if p.bump > ch.Level && computed > changes.LevelNone {
		ch.Reasons = append(ch.Reasons, fmt.Sprintf("the operator raised the level to %s (--bump)", p.bump))
		ch.Level = p.bump
	}
	d.meta.Version = ch.Version
	if p.first != nil {
		d.meta.Issued = mustDate(p.first.Date)
	}
	if d.meta.Versions, err = versionChain(p, ch.Version); err != nil {
		return nil, err
	}
	d.meta.Temporal = electionSpan(snap)
	d.citation = citation(dataset, ch.Version, p.date)

	// The release records its own file list, so that files added to later releases do not make
	// this one incomplete: the build's files, then the artefacts, then SHA256SUMS.
	built, err := listFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	for name := range built {
		ch.Files = append(ch.Files, name)
	}
	for _, a := range artefacts() {
		ch.Files = append(ch.Files, a.name)
	}
	ch.Files = append(ch.Files, SumsFile)
	sort.Strings(ch.Files)
	return d, nil
}

// versionChain is every release up to and including the one being composed, oldest first, as the
// DCAT version chain names them: the published ones before it with their dates, and whether each
// has its page.
func versionChain(p plan, version string) ([]metadata.VersionRef, error) {
	var out []metadata.VersionRef
	for _, v := range p.versions[:p.prevIdx+1] {
		in, err := readInfo(p.out, v)
		if err != nil {
			return nil, err
		}
		out = append(out, metadata.VersionRef{Version: v, Date: mustDate(in.Date), Page: hasPages(in.Dir)})
	}
	return append(out, metadata.VersionRef{Version: version, Date: p.date, Page: hasArtefact(PageFile)}), nil
}

// electionSpan is the span of the elections' dates (the dataset's dct:temporal).
func electionSpan(snap *changes.Snapshot) metadata.Period {
	var span metadata.Period
	for _, row := range snap.Tables["elections"] {
		d, ok := row[2].(model.Date)
		if !ok {
			continue
		}
		if span.Start == (model.Date{}) || d.String() < span.Start.String() {
			span.Start = d
		}
		if d.String() > span.End.String() {
			span.End = d
		}
	}
	return span
}

func mustDate(s string) model.Date {
	d, _ := model.ParseDate(s)
	return d
}

// codebookInput is what the codebook of a release is made from.
func codebookInput(d *draft) codebook.Input {
	return codebook.Input{Title: d.dataset.Title.EN, Version: d.changes.Version, Citation: d.citation, Schemas: d.set, Rows: d.snap}
}

// citation is how to cite a release: publisher, year, title, version and where it is served.
func citation(d *registry.Dataset, version string, date model.Date) string {
	return fmt.Sprintf("%s (%d). %s, version %s [data set]. %sv%s/", d.Publisher.Name, date.Year, d.Title.EN, version, d.BaseURL, version)
}

// tableFiles describes every table file of a folder: path, size, hash and rows.
func tableFiles(dir string, set schemas.Set, snap *changes.Snapshot) ([]metadata.File, error) {
	var files []metadata.File
	for _, name := range schemas.Order {
		if _, ok := set[name]; !ok {
			continue
		}
		for _, f := range publish.Formats {
			path := publish.Path(dir, f, name)
			sum, n, err := publish.FileSHA256(path)
			if err != nil {
				return nil, fmt.Errorf("release: %w", err)
			}
			rel, _ := filepath.Rel(dir, path)
			files = append(files, metadata.File{Path: filepath.ToSlash(rel), Table: name, Format: string(f), SHA256: sum, Bytes: n, Rows: int64(snap.Len(name))})
		}
	}
	return files, nil
}

// sources are the raw texts of a release, from its documents table.
func sources(snap *changes.Snapshot) ([]metadata.Source, error) {
	var out []metadata.Source
	for row, err := range snap.Rows("documents") {
		if err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		d, err := model.DocumentFromCells(row)
		if err != nil {
			return nil, fmt.Errorf("release: documents: %w", err)
		}
		out = append(out, metadata.Source{ID: d.ID, Title: d.Title, Path: d.RawPath, SHA256: d.RawSHA256, URL: d.SourceURL, Publisher: d.Publisher, Bytes: d.RawBytes})
	}
	return out, nil
}

// RemovalError is a release the removal guard refused: a text that still is registered would lose
// more than the allowed share of its passages, or a table would lose all its rows. It is an input
// problem (exit 3): a broken or truncated text must not silently replace good data.
type RemovalError struct {
	Share float64
	Lines []string // what would go, one line each
}

func (e *RemovalError) Error() string {
	return fmt.Sprintf("refusing to publish: the new release would remove %s; if that is intended (a real correction), "+
		"run again with --allow-removals", strings.Join(e.Lines, "; "))
}

func (e *RemovalError) Is(target error) bool { return target == model.ErrInvalid }

func (g *removalGuard) check(ch *changes.Changes, prev, snap *changes.Snapshot) error {
	registered := map[string]bool{}
	if t := snap.Schemas["documents"]; t != nil && t.FieldIndex("document_id") >= 0 {
		di := t.FieldIndex("document_id")
		for row, err := range snap.Columns("documents", "document_id") {
			if err != nil {
				return fmt.Errorf("release: %w", err)
			}
			if id, ok := row[di].(string); ok {
				registered[id] = true
			}
		}
	}
	removed := map[string]bool{}
	for _, t := range ch.Tables {
		if t.Table == "passages" {
			for _, k := range t.RemovedKeys {
				removed[k] = true
			}
		}
	}
	// The previous passages are counted per document in one pass over the table.
	type tally struct{ all, gone int }
	count := map[string]*tally{}
	if pt := prev.Schemas["passages"]; len(removed) > 0 && pt != nil {
		// Only the two columns counted are read.
		ii, di := pt.FieldIndex("passage_id"), pt.FieldIndex("document_id")
		if ii < 0 || di < 0 {
			return fmt.Errorf("release: passages of the previous release have no passage_id or document_id column")
		}
		for row, err := range prev.Columns("passages", "passage_id", "document_id") {
			if err != nil {
				return fmt.Errorf("release: passages of the previous release: %w", err)
			}
			id, _ := row[ii].(string)
			doc, _ := row[di].(string)
			if !registered[doc] {
				continue // a document taken out of the registry goes with all its passages, on purpose
			}
			t := count[doc]
			if t == nil {
				t = &tally{}
				count[doc] = t
			}
			t.all++
			if removed[id] {
				t.gone++
			}
		}
	}
	e := &RemovalError{Share: g.share}
	docs := make([]string, 0, len(count))
	for d := range count {
		docs = append(docs, d)
	}
	sort.Strings(docs)
	for _, d := range docs {
		if n, all := count[d].gone, count[d].all; n > 0 && float64(n) > g.share*float64(all) {
			e.Lines = append(e.Lines, fmt.Sprintf("%d of the %d passages of document %s (more than %.0f%%)", n, all, d, 100*g.share))
		}
	}
	for _, t := range ch.Tables {
		if t.Removed > 0 && snap.Len(t.Table) == 0 {
			e.Lines = append(e.Lines, fmt.Sprintf("every row of table %s (%d rows)", t.Table, t.Removed))
		}
	}
	if len(e.Lines) > 0 {
		return e
	}
	return nil
}

// versionOf is the version of a release, or "" for none.
func versionOf(in *info) string {
	if in == nil {
		return ""
	}
	return in.Version
}
