package metadata

import (
	"cmp"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/schemas"
)

// Formats of the published table files (the folder and extension of each file).
const (
	FormatParquet = "parquet"
	FormatCSV     = "csv"
	FormatJSON    = "json"
)

// formatInfo is what the descriptions say about a file format.
type formatInfo struct {
	rank      int    // order of a table's resources: CSV first, it is the one foreign keys point at
	label     string // for titles
	mediaType string // IANA media type (datapackage.json `mediatype`)
	fileType  string // EU file-type authority URI (dct:format)
	encoding  string // text encoding; empty for binary formats
	profile   string // Frictionless resource profile
}

var formats = map[string]formatInfo{
	FormatCSV: {0, "CSV", "text/csv", "http://publications.europa.eu/resource/authority/file-type/CSV", "utf-8",
		"tabular-data-resource"},
	FormatParquet: {1, "Parquet", "application/vnd.apache.parquet",
		"http://publications.europa.eu/resource/authority/file-type/PARQUET", "", "data-resource"},
	FormatJSON: {2, "JSON", "application/json", "http://publications.europa.eu/resource/authority/file-type/JSON",
		"utf-8", "data-resource"},
}

// ianaPrefix turns a media type into its IANA registry URI (dcat:mediaType).
const ianaPrefix = "https://www.iana.org/assignments/media-types/"

// File is one published table file of a release.
type File struct {
	Path   string // relative to the release folder, slash-separated: csv/passages.csv
	Table  string // table name, as in schemas.Order
	Format string // FormatParquet, FormatCSV or FormatJSON
	SHA256 string // lower-case hex
	Bytes  int64
	Rows   int64
}

// Source is a raw text the release was built from (a row of the documents table).
type Source struct {
	ID        string // document_id
	Title     string
	Path      string // raw_path: repository-relative, slash-separated (raw/….txt)
	SHA256    string // raw_sha256, lower-case hex
	URL       string // source_url; may be empty
	Publisher string // may be empty
	Bytes     int64  // raw_bytes
}

// VersionRef is one release of the dataset, as the version chain of dcat.jsonld names it.
type VersionRef struct {
	Version string     // SemVer without "v"
	Date    model.Date // its release date
	// Page says that the release has its page, index.html: its dcat:landingPage. Releases made
	// before the pages existed (v1.0.0 and v1.1.0) have none, and their version gets no landing page.
	Page bool
}

// Period is a span of dates, both included.
type Period struct{ Start, End model.Date }

// Release is everything the descriptions of one release are made from.
type Release struct {
	Version string     // SemVer without "v": 1.2.0
	Date    model.Date // release date: dct:modified, datapackage `created`
	Issued  model.Date // date of the first release (dct:issued); zero means that of Versions[0], or Date
	Notes   string     // version notes (adms:versionNotes); may be empty
	Dataset *registry.Dataset
	Schemas schemas.Set
	Files   []File
	Sources []Source

	// Versions are all releases up to and including this one, oldest first; the last is this release
	// (same version and date). They make the DCAT version chain: one dcat:Dataset per release that
	// dcat:isVersionOf the stable dataset, with its dcat:previousVersion. Empty means this is the first
	// and only release, without a page; that is refused when Issued says an earlier release exists.
	// The last entry's Page also decides the landing page of the dataset and the catalogue: the output
	// root's index.html when this release has its page, else the homepage of raw/dataset.toml.
	Versions []VersionRef
	// Temporal is the span of the elections' dates (dct:temporal); zero means none is given.
	Temporal Period
}

// versions returns r.Versions, or this release alone when it is empty.
func (r *Release) versions() []VersionRef {
	if len(r.Versions) == 0 {
		return []VersionRef{{Version: r.Version, Date: r.Date}}
	}
	return r.Versions
}

// issued is the date of the first release.
func (r *Release) issued() model.Date {
	if r.Issued != (model.Date{}) {
		return r.Issued
	}
	return r.versions()[0].Date
}

// ResourceName is the datapackage.json resource name of a table file: the table itself for CSV (so the
// schemas' foreign keys resolve), <table>-<format> otherwise.
func ResourceName(table, format string) string {
	if format == FormatCSV {
		return table
	}
	return table + "-" + format
}

var (
	semverRE = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$`)
	hexRE    = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// check rejects a release the descriptions cannot be made from, naming the first problem.
func (r *Release) check() error {
	if r.Dataset == nil {
		return fmt.Errorf("metadata: release has no dataset metadata (load raw/%s)", registry.DatasetFile)
	}
	if !semverRE.MatchString(r.Version) {
		return fmt.Errorf("metadata: version %q is not SemVer X.Y.Z (without a leading v)", r.Version)
	}
	if err := checkDate(r.Date); err != nil {
		return fmt.Errorf("metadata: release date: %w", err)
	}
	if r.Issued != (model.Date{}) {
		if err := checkDate(r.Issued); err != nil {
			return fmt.Errorf("metadata: first release date: %w", err)
		}
		if r.Issued.String() > r.Date.String() {
			return fmt.Errorf("metadata: first release date %s is after the release date %s", r.Issued, r.Date)
		}
	}
	if err := r.checkVersions(); err != nil {
		return err
	}
	if t := r.Temporal; t != (Period{}) {
		if err := checkDate(t.Start); err != nil {
			return fmt.Errorf("metadata: start of the temporal coverage: %w", err)
		}
		if err := checkDate(t.End); err != nil {
			return fmt.Errorf("metadata: end of the temporal coverage: %w", err)
		}
		if t.Start.String() > t.End.String() {
			return fmt.Errorf("metadata: the temporal coverage starts on %s, after its end %s", t.Start, t.End)
		}
	}
	if len(r.Files) == 0 {
		return fmt.Errorf("metadata: release %s has no files", r.Version)
	}
	seenPath := map[string]bool{}
	seenRes := map[string]bool{}
	for _, f := range r.Files {
		if _, ok := formats[f.Format]; !ok {
			return fmt.Errorf("metadata: %s: unknown format %q (use parquet, csv or json)", f.Path, f.Format)
		}
		if _, ok := r.Schemas[f.Table]; !ok {
			return fmt.Errorf("metadata: %s: unknown table %q", f.Path, f.Table)
		}
		if err := checkRelPath(f.Path); err != nil {
			return fmt.Errorf("metadata: file %w", err)
		}
		if !hexRE.MatchString(f.SHA256) {
			return fmt.Errorf("metadata: %s: SHA-256 %q is not 64 lower-case hex digits", f.Path, f.SHA256)
		}
		if f.Bytes < 0 || f.Rows < 0 {
			return fmt.Errorf("metadata: %s: negative size or row count", f.Path)
		}
		name := ResourceName(f.Table, f.Format)
		if seenPath[f.Path] || seenRes[name] {
			return fmt.Errorf("metadata: %s: table %s in %s is listed twice", f.Path, f.Table, f.Format)
		}
		seenPath[f.Path], seenRes[name] = true, true
	}
	seenSrc := map[string]bool{}
	for _, s := range r.Sources {
		if s.ID == "" || s.Title == "" {
			return fmt.Errorf("metadata: source %q needs an id and a title", s.Path)
		}
		if seenSrc[s.ID] {
			return fmt.Errorf("metadata: source %q is listed twice", s.ID)
		}
		seenSrc[s.ID] = true
		if err := checkRelPath(s.Path); err != nil {
			return fmt.Errorf("metadata: source %s: %w", s.ID, err)
		}
		if !hexRE.MatchString(s.SHA256) {
			return fmt.Errorf("metadata: source %s: SHA-256 %q is not 64 lower-case hex digits", s.ID, s.SHA256)
		}
	}
	return nil
}

// checkVersions checks the version chain: valid versions and dates, each release after the one before
// it in both, and this release last.
func (r *Release) checkVersions() error {
	if len(r.Versions) == 0 {
		if r.Issued != (model.Date{}) && r.Issued != r.Date {
			return fmt.Errorf("metadata: release %s is not the first (the first was on %s), but Versions does not list the releases before it", r.Version, r.Issued)
		}
		return nil
	}
	for i, v := range r.Versions {
		if !semverRE.MatchString(v.Version) {
			return fmt.Errorf("metadata: versions: %q is not SemVer X.Y.Z (without a leading v)", v.Version)
		}
		if err := checkDate(v.Date); err != nil {
			return fmt.Errorf("metadata: versions: date of %s: %w", v.Version, err)
		}
		if i == 0 {
			continue
		}
		prev := r.Versions[i-1]
		if compareSemver(prev.Version, v.Version) >= 0 {
			return fmt.Errorf("metadata: versions: %s is listed after %s; list every release once, oldest first", v.Version, prev.Version)
		}
		if prev.Date.String() > v.Date.String() {
			return fmt.Errorf("metadata: versions: %s of %s is dated before the release before it, %s of %s", v.Version, v.Date, prev.Version, prev.Date)
		}
	}
	last := r.Versions[len(r.Versions)-1]
	if last.Version != r.Version || last.Date != r.Date {
		return fmt.Errorf("metadata: versions end with %s of %s, not with this release, %s of %s", last.Version, last.Date, r.Version, r.Date)
	}
	if r.Issued != (model.Date{}) && r.Issued != r.Versions[0].Date {
		return fmt.Errorf("metadata: first release date %s is not that of the first of Versions, %s of %s", r.Issued, r.Versions[0].Version, r.Versions[0].Date)
	}
	return nil
}

// compareSemver orders two versions that match semverRE by SemVer 2.0.0 precedence: -1, 0 or 1.
func compareSemver(a, b string) int {
	split := func(v string) (core []string, pre string) {
		if i := strings.IndexByte(v, '-'); i >= 0 {
			v, pre = v[:i], v[i+1:]
		}
		return strings.Split(v, "."), pre
	}
	num := func(x, y string) int { // both digit strings without leading zeros
		if len(x) != len(y) {
			return cmp.Compare(len(x), len(y))
		}
		return strings.Compare(x, y)
	}
	ca, pa := split(a)
	cb, pb := split(b)
	for i := range ca {
		if c := num(ca[i], cb[i]); c != 0 {
			return c
		}
	}
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1 // a release ranks above its pre-releases
	case pb == "":
		return -1
	}
	ia, ib := strings.Split(pa, "."), strings.Split(pb, ".")
	for i := 0; i < len(ia) && i < len(ib); i++ {
		x, y := ia[i], ib[i]
		xn, yn := isDigits(x), isDigits(y)
		var c int
		switch {
		case xn && yn:
			c = num(strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0"))
		case xn:
			c = -1 // numeric identifiers rank below alphanumeric ones
		case yn:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(ia), len(ib))
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func checkDate(d model.Date) error {
	if _, err := model.ParseDate(d.String()); err != nil || d.Year < 1 {
		return fmt.Errorf("%s is not a valid date", d)
	}
	return nil
}

// checkRelPath accepts relative, slash-separated paths that stay inside their folder.
func checkRelPath(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("path is empty")
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, ".") || strings.HasPrefix(p, "~") || strings.Contains(p, "\\"):
		return fmt.Errorf("path %q must be relative and slash-separated", p)
	case strings.Contains(p, ".."):
		return fmt.Errorf("path %q must not contain \"..\"", p)
	}
	return nil
}

// tableRank orders tables as schemas.Order does; unknown tables go last, by name.
func tableRank(name string) int {
	for i, n := range schemas.Order {
		if n == name {
			return i
		}
	}
	return len(schemas.Order)
}

// sortedFiles returns the files in table order, then CSV, Parquet, JSON.
func sortedFiles(files []File) []File {
	out := append([]File(nil), files...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := tableRank(a.Table), tableRank(b.Table); ra != rb {
			return ra < rb
		}
		if a.Table != b.Table {
			return a.Table < b.Table
		}
		return formats[a.Format].rank < formats[b.Format].rank
	})
	return out
}

// sortedSources returns the sources ordered by id.
func sortedSources(src []Source) []Source {
	out := append([]Source(nil), src...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
