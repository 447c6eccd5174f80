package check

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/standpunten/standpunten/pipeline/changes"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/sign"
	"github.com/standpunten/standpunten/pipeline/validate"
	"github.com/standpunten/standpunten/schemas"
)

// Checksum and metadata files a release folder may hold.
const (
	SumsFile        = publish.SumsFile
	DataPackageFile = publish.DataPackageFile
	AccountingFile  = publish.AccountingFile
)

// Folder checks the output folder dir against the table schemas in set.
func Folder(ctx context.Context, dir string, set schemas.Set) (validate.Report, error) {
	return FolderWithSources(ctx, dir, set, "")
}

// FolderWithSources is Folder that also checks every passage's provenance against the raw texts
// under root (the folder that holds raw/, as documents.raw_path names them): the letters and
// digits of each source stretch, minus the stretches accounting.json lists as dropped inside it,
// must be the passage's. A text that is missing under root, or whose SHA-256 is no longer the
// document's raw_sha256, is skipped (an older release of a text that changed since).
func FolderWithSources(ctx context.Context, dir string, set schemas.Set, root string) (validate.Report, error) {
	return FolderWith(ctx, dir, set, Options{Sources: root})
}

// Options say what FolderWith checks beyond the files themselves.
type Options struct {
	// Sources is the folder that holds raw/ for the provenance check; "" skips it.
	Sources string
	// AllowedSigners is an allowed_signers file (the ssh-keygen format): when set, the folder must
	// hold SHA256SUMS.sig, an SSH signature of SHA256SUMS by one of its keys. An unusable file is an
	// error (model.ErrConfig); a missing, malformed, foreign or non-matching signature a finding.
	AllowedSigners string
}

// FolderWith is Folder with the checks o asks for. The report's Signer names the principal whose
// key signed the release, when o.AllowedSigners is set and the signature holds.
func FolderWith(ctx context.Context, dir string, set schemas.Set, o Options) (validate.Report, error) {
	return folderWith(ctx, dir, set, o, nil)
}

// folderWith is FolderWith that calls afterRun (when not nil) each time a document's passages
// have been checked and dropped: the tests measure the memory held there.
func folderWith(ctx context.Context, dir string, set schemas.Set, o Options, afterRun func()) (validate.Report, error) {
	root := o.Sources
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real // output/latest is a link to the release
	}
	if st, err := os.Stat(dir); err != nil {
		return validate.Report{}, err
	} else if !st.IsDir() {
		return validate.Report{}, fmt.Errorf("%s is not a folder", dir)
	}
	chk, err := validate.NewChecker(set)
	if err != nil {
		return validate.Report{}, err
	}
	f := newFolder(dir, set, chk, root)
	f.afterRun = afterRun
	defer f.close()
	if err := f.tables(ctx); err != nil {
		return validate.Report{}, err
	}
	f.releaseComplete()
	f.accountingEnd()
	if err := f.checksums(); err != nil {
		return validate.Report{}, err
	}
	if err := f.dataPackage(); err != nil {
		return validate.Report{}, err
	}
	signer := ""
	if o.AllowedSigners != "" {
		if signer, err = f.signature(o.AllowedSigners); err != nil {
			return validate.Report{}, err
		}
	}
	r := chk.Report()
	r.Signer = signer
	return r, nil
}

// signature checks SHA256SUMS.sig against the allowed signers and returns who signed.
func (f *folder) signature(allowed string) (string, error) {
	sums, err := os.ReadFile(filepath.Join(f.dir, SumsFile))
	if err != nil {
		f.fail("file.signature", "", SumsFile, "the release has no SHA256SUMS to check the signature of")
		return "", nil
	}
	sig, err := os.ReadFile(filepath.Join(f.dir, publish.SignatureFile))
	if err != nil {
		f.fail("file.signature", "", publish.SignatureFile, "the release is not signed: "+publish.SignatureFile+" is missing (publish with release --sign-key KEY)")
		return "", nil
	}
	who, err := sign.Verify(allowed, sig, sums)
	switch {
	case err == nil:
		f.chk.Check(true, validate.Finding{})
		return who, nil
	case errors.Is(err, sign.ErrAllowedSigners), errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return "", model.Classified(model.ErrConfig, err)
	}
	f.fail("file.signature", "", publish.SignatureFile, err.Error())
	return "", nil
}

type folder struct {
	dir string
	set schemas.Set
	chk *validate.Checker
	// rows are the rows of the small tables (all but passages) of the checked copy, for the
	// dataset rules.
	rows map[string][][]any
	// counts is each table's number of rows (the checked copy)
	counts map[string]int
	// docs are the documents by id, docList in file order (up to a row that does not convert);
	// docsBad says that one did not, which turns the dataset rules off as a whole.
	docs    map[string]model.Document
	docList []model.Document
	docsBad bool
	// runs gathers the passages of one document at a time.
	runs *passageRuns
	// acc reads accounting.json one document entry at a time; nil until it is first needed.
	acc *accountingStream
	// sources is the folder that holds the raw texts (raw_path is relative to it); "" skips the
	// provenance check.
	sources string
	// afterRun, when set, is called after each document's passages were checked (tests).
	afterRun func()
}

func newFolder(dir string, set schemas.Set, chk *validate.Checker, sources string) *folder {
	f := &folder{dir: dir, set: set, chk: chk, rows: map[string][][]any{}, counts: map[string]int{}, docs: map[string]model.Document{}, sources: sources}
	f.runs = &passageRuns{f: f}
	return f
}

// close releases the files still open (accounting.json, when the check stopped early).
func (f *folder) close() {
	if f.acc != nil {
		f.acc.close()
	}
}

// tables reads every table in schemas.Order (documents before passages, which are checked
// against them document by document) and runs the dataset rules of the small tables.
func (f *folder) tables(ctx context.Context) error {
	for _, name := range schemas.Order {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f.table(ctx, name); err != nil {
			return err
		}
		if name == "documents" {
			f.loadDocuments()
		}
	}
	f.scoreRules()
	return nil
}

// rel is the path of a file below the folder, as reports show it.
func (f *folder) rel(path string) string {
	r, err := filepath.Rel(f.dir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

func (f *folder) fail(rule, table, file, msg string) {
	f.chk.Check(false, validate.Finding{Rule: rule, Severity: validate.Error, Table: table, Source: file, Message: msg})
}

func (f *folder) readFinding(table, path string, err error) validate.Finding {
	src, msg := f.rel(path), ""
	var se *model.SourceError
	switch {
	case err == nil:
	case errors.As(err, &se):
		src = f.rel(se.File)
		if se.Line > 0 {
			src = fmt.Sprintf("%s:%d", src, se.Line)
			if se.Col > 0 {
				src = fmt.Sprintf("%s:%d", src, se.Col)
			}
		}
		msg = se.Msg
	case errors.Is(err, fs.ErrNotExist):
		msg = "file is missing; rebuild the folder"
	default:
		msg = err.Error()
	}
	return validate.Finding{Rule: "file.readable", Severity: validate.Error, Table: table, Source: src, Message: msg}
}

func (f *folder) parquetMeta(name string) {
	path := publish.Path(f.dir, publish.FormatParquet, name)
	kv, err := publish.ParquetMetadata(path)
	if err != nil {
		return // already reported by the reader
	}
	want := f.set[name].SchemaVersion
	f.chk.Check(kv[publish.KeySchemaVersion] == want, validate.Finding{Rule: "file.parquet_schema_version", Severity: validate.Error, Table: name,
		Source: f.rel(path), Field: publish.KeySchemaVersion, Value: kv[publish.KeySchemaVersion], Message: "Parquet metadata names schema version " + fmt.Sprintf("%q", kv[publish.KeySchemaVersion]) + ", the schema is " + want})
	f.chk.Check(kv[publish.KeyTable] == name, validate.Finding{Rule: "file.parquet_table", Severity: validate.Error, Table: name,
		Source: f.rel(path), Field: publish.KeyTable, Value: kv[publish.KeyTable], Message: "Parquet metadata names another table"})
}

// render prints a cell as findings show it: null, the value, or a list as JSON.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *string:
		if x == nil {
			return "null"
		}
		return *x
	case int64:
		return strconv.FormatInt(x, 10)
	case *int64:
		if x == nil {
			return "null"
		}
		return strconv.FormatInt(*x, 10)
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) || (rv.Kind() == reflect.Slice && rv.IsNil()) {
		return "null"
	}
	if rv.Kind() == reflect.Pointer {
		v = rv.Elem().Interface()
	}
	if s, ok := v.([]string); ok {
		b, _ := json.Marshal(s)
		return string(b)
	}
	return fmt.Sprint(v)
}

func short(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}

// releaseName is the name of a release folder (vX.Y.Z), which is checked as a release even when
// every release file was removed.
var releaseName = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// releaseComplete checks a folder that holds any of publish.LegacyReleaseFiles, or is named
// vX.Y.Z, as a release: every file the release recorded in its changes.json (`files`) must be
// there, so deleting SHA256SUMS or datapackage.json does not hide a changed file. A release that
// recorded no list (before 1.2.0) is held to the files every release had then.
func (f *folder) releaseComplete() {
	var present int
	for _, name := range publish.LegacyReleaseFiles {
		if _, err := os.Stat(filepath.Join(f.dir, name)); err == nil {
			present++
		}
	}
	if present == 0 && !releaseName.MatchString(filepath.Base(f.dir)) {
		return // a build folder
	}
	want := publish.LegacyReleaseFiles
	// changes.json is read as a stream: a first release's lists every passage key before "files".
	path := filepath.Join(f.dir, publish.ChangesFile)
	if _, err := os.Stat(path); err == nil {
		c, err := changes.ReadSummary(path)
		var se *model.SourceError
		if errors.As(err, &se) {
			err = errors.New(se.Msg)
		}
		if err != nil {
			f.fail("file.release_complete", "", publish.ChangesFile, fmt.Sprintf("not valid JSON: %v", err))
		} else if len(c.Files) > 0 {
			want = c.Files
		}
	}
	for _, name := range want {
		if _, err := os.Stat(filepath.Join(f.dir, filepath.FromSlash(name))); err != nil {
			f.fail("file.release_complete", "", name, "the folder is a release but this file is missing: the release was changed after publishing")
		}
	}
}

// checksums checks SHA256SUMS, where the folder has one: every line's file matches, and every
// file in the folder is listed.
func (f *folder) checksums() error {
	path := filepath.Join(f.dir, SumsFile)
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer fh.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		src := fmt.Sprintf("%s:%d", SumsFile, line)
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			f.fail("file.sha256sums", "", src, "line is not '<sha256>  <path>'")
			continue
		}
		listed[name] = true
		got, _, err := publish.FileSHA256(filepath.Join(f.dir, filepath.FromSlash(name)))
		switch {
		case err != nil:
			f.fail("file.sha256sums", "", src, fmt.Sprintf("%s: %v", name, err))
		default:
			f.chk.Check(got == sum, validate.Finding{Rule: "file.sha256sums", Severity: validate.Error, Source: src, Value: got,
				Message: fmt.Sprintf("%s has SHA-256 %s, SHA256SUMS says %s: the file was changed after release", name, got, sum)})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return filepath.WalkDir(f.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := f.rel(p)
		if name != SumsFile && name != publish.SignatureFile {
			f.chk.Check(listed[name], validate.Finding{Rule: "file.sha256sums", Severity: validate.Error, Source: name,
				Message: "file is not listed in SHA256SUMS: it was added after release"})
		}
		return nil
	})
}

// dataPackage checks the path, bytes, hash and rows of every resource in datapackage.json, where
// the folder has one.
func (f *folder) dataPackage() error {
	b, err := os.ReadFile(filepath.Join(f.dir, DataPackageFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var dp struct {
		Resources []struct {
			Name  string `json:"name"`
			Path  string `json:"path"`
			Bytes int64  `json:"bytes"`
			Hash  string `json:"hash"`
			Rows  *int64 `json:"rows"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &dp); err != nil {
		f.fail("file.datapackage", "", DataPackageFile, fmt.Sprintf("not valid JSON: %v", err))
		return nil
	}
	for _, r := range dp.Resources {
		src := DataPackageFile + " " + r.Name
		sum, n, err := publish.FileSHA256(filepath.Join(f.dir, filepath.FromSlash(r.Path)))
		if err != nil {
			f.fail("file.datapackage", "", src, fmt.Sprintf("resource path %s: %v", r.Path, err))
			continue
		}
		f.chk.Check(n == r.Bytes, validate.Finding{Rule: "file.datapackage_bytes", Severity: validate.Error, Source: src, Field: "bytes", Value: fmt.Sprint(n),
			Message: fmt.Sprintf("%s has %d bytes, datapackage.json says %d", r.Path, n, r.Bytes)})
		f.chk.Check(r.Hash == "sha256:"+sum, validate.Finding{Rule: "file.datapackage_hash", Severity: validate.Error, Source: src, Field: "hash", Value: "sha256:" + sum,
			Message: fmt.Sprintf("%s has hash sha256:%s, datapackage.json says %s", r.Path, sum, r.Hash)})
		table := strings.TrimSuffix(filepath.Base(r.Path), filepath.Ext(r.Path))
		if n, ok := f.counts[table]; ok && r.Rows != nil {
			f.chk.Check(int64(n) == *r.Rows, validate.Finding{Rule: "file.datapackage_rows", Severity: validate.Error, Table: table, Source: src, Field: "rows",
				Value: fmt.Sprint(n), Message: fmt.Sprintf("the table has %d rows, datapackage.json says %d", n, *r.Rows)})
		}
	}
	return nil
}
