// Command gocheck is the Go part of the consumer conformance suite (conformance/run.sh). For one
// published folder (a release with datapackage.json, or a build folder without one) it checks:
//
//   - gocheck profile: datapackage.json validates against the official Frictionless v1 Data
//     Package profile, every resource schema against the Table Schema profile (both through
//     internal/frictionless), each resource follows the project's contract (name, path, profile,
//     format, mediatype, encoding, rows), and a resource schema of the current schema_version is
//     exactly schemas/<table>.json;
//   - gocheck hashes: each resource's `bytes` and `hash` (sha256:<hex>) match its file;
//   - gocheck parquet-go: every Parquet file, read with github.com/parquet-go/parquet-go (a reader
//     independent of the Arrow library that wrote it; see internal/parquetgo), holds the same
//     values as publish.ReadParquet reads, cell for cell.
//
// The first two are skipped (and say so) when the folder has no datapackage.json. Output follows
// the suite's convention: `ok <check>: …` or `FAIL <check>: …` with indented details naming the file,
// table, row key and column; `skip <check>: …` is not counted. Exit status 0 when nothing failed, 1
// when a check failed, 2 on a usage error.
//
// It does not check types in CSV and JSON (duckdb.mjs and pandas_check.py do), foreign keys or
// DCAT metadata.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/standpunten/standpunten/internal/frictionless"
	"github.com/standpunten/standpunten/internal/parquetgo"
	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

const maxDetails = 25

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// check collects the problems one named check found.
type check struct {
	name   string
	issues []string
}

func (c *check) fail(format string, args ...any) {
	c.issues = append(c.issues, fmt.Sprintf(format, args...))
}

// report prints the check's line (and details) and reports whether it passed.
func (c *check) report(w io.Writer, summary string) bool {
	if len(c.issues) == 0 {
		fmt.Fprintf(w, "ok %s: %s\n", c.name, summary)
		return true
	}
	fmt.Fprintf(w, "FAIL %s: %d problem(s) (checked: %s)\n", c.name, len(c.issues), summary)
	for i, m := range c.issues {
		if i == maxDetails {
			fmt.Fprintf(w, "  ... and %d more\n", len(c.issues)-maxDetails)
			break
		}
		fmt.Fprintf(w, "  %s\n", m)
	}
	return false
}

// resource is one datapackage.json resource, as far as the checks read it.
type resource struct {
	Name      string          `json:"name"`
	Path      string          `json:"path"`
	Profile   string          `json:"profile"`
	Format    string          `json:"format"`
	Mediatype string          `json:"mediatype"`
	Encoding  string          `json:"encoding"`
	Bytes     *int64          `json:"bytes"`
	Hash      string          `json:"hash"`
	Rows      *int64          `json:"rows"`
	Schema    json.RawMessage `json:"schema"`
}

// table is one published table and where its Parquet file is.
type table struct {
	schema  *schemas.Table
	parquet string // relative to the folder
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gocheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vocab := fs.String("vocab", "../shared/vocab", "folder with the official profiles (frictionless/1.0/)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./conformance/gocheck [-vocab DIR] OUTDIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	set, err := schemas.Load()
	if err != nil {
		fmt.Fprintf(stderr, "gocheck: %v\n", err)
		return 2
	}

	ok := true
	var tables []table
	pkgPath := filepath.Join(dir, "datapackage.json")
	raw, err := os.ReadFile(pkgPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(stdout, "skip gocheck profile: %s has no datapackage.json\n", dir)
		fmt.Fprintf(stdout, "skip gocheck hashes: %s has no datapackage.json\n", dir)
		for _, name := range schemas.Order {
			tables = append(tables, table{schema: set[name], parquet: "parquet/" + name + ".parquet"})
		}
	case err != nil:
		fmt.Fprintf(stderr, "gocheck: %v\n", err)
		return 2
	default:
		var pok bool
		tables, pok = checkPackage(stdout, raw, pkgPath, dir, *vocab, set)
		ok = pok && ok
	}
	ok = checkParquet(stdout, dir, tables) && ok
	if !ok {
		return 1
	}
	return 0
}

// checkPackage runs the profile and hash checks and returns the tables the package describes.
func checkPackage(w io.Writer, raw []byte, pkgPath, dir, vocab string, set schemas.Set) ([]table, bool) {
	prof := &check{name: "gocheck profile"}
	hashes := &check{name: "gocheck hashes"}
	var pkg struct {
		Resources []resource `json:"resources"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		prof.fail("%s: not JSON: %v", pkgPath, err)
		prof.report(w, "datapackage.json")
		return nil, false
	}

	// The official profiles.
	profDir := filepath.Join(vocab, "frictionless", "1.0")
	pkgProfile, err1 := frictionless.Compile(filepath.Join(profDir, "datapackage.json"))
	tsProfile, err2 := frictionless.Compile(filepath.Join(profDir, "tableschema.json"))
	if err := errors.Join(err1, err2); err != nil {
		prof.fail("cannot load the Frictionless v1 profiles from %s (run from the repository root, or pass -vocab): %v", profDir, err)
	} else {
		problems, err := frictionless.Validate(pkgProfile, raw)
		if err != nil {
			prof.fail("%s: %v", pkgPath, err)
		}
		for _, l := range problems {
			prof.fail("%s: Data Package profile: at %s", pkgPath, l)
		}
		for _, r := range pkg.Resources {
			problems, err := frictionless.Validate(tsProfile, r.Schema)
			if err != nil {
				prof.fail("%s: resource %s: schema: %v", pkgPath, r.Name, err)
				continue
			}
			for _, l := range problems {
				prof.fail("%s: resource %s: Table Schema profile: at %s", pkgPath, r.Name, l)
			}
		}
	}

	// The contract for resources: the CSV resource is named as the table, the others <table>-parquet
	// and <table>-json, each with the path, profile, format, mediatype and encoding below.
	byName := map[string]resource{}
	for _, r := range pkg.Resources {
		if _, dup := byName[r.Name]; dup {
			prof.fail("%s: resource name %q occurs twice", pkgPath, r.Name)
		}
		byName[r.Name] = r
	}
	type want struct{ suffix, profile, format, mediatype, encoding string }
	formats := []want{
		{"-parquet", "data-resource", "parquet", "application/vnd.apache.parquet", ""},
		{"", "tabular-data-resource", "csv", "text/csv", "utf-8"},
		{"-json", "data-resource", "json", "application/json", "utf-8"},
	}
	var tables []table
	for _, r := range pkg.Resources {
		if r.Format != "csv" {
			continue
		}
		var st schemas.Table
		if err := json.Unmarshal(r.Schema, &st); err != nil {
			prof.fail("%s: resource %s: schema does not decode: %v", pkgPath, r.Name, err)
			continue
		}
		for _, f := range formats {
			res, found := byName[r.Name+f.suffix]
			if !found {
				prof.fail("%s: table %s has no resource named %q", pkgPath, r.Name, r.Name+f.suffix)
				continue
			}
			wantPath := f.format + "/" + r.Name + "." + f.format
			got := fmt.Sprintf("path=%s profile=%s format=%s mediatype=%s encoding=%s", res.Path, res.Profile, res.Format, res.Mediatype, res.Encoding)
			exp := fmt.Sprintf("path=%s profile=%s format=%s mediatype=%s encoding=%s", wantPath, f.profile, f.format, f.mediatype, f.encoding)
			if got != exp {
				prof.fail("%s: resource %s: %s, the contract says %s", pkgPath, res.Name, got, exp)
			}
			if res.Rows == nil || res.Bytes == nil || !strings.HasPrefix(res.Hash, "sha256:") {
				prof.fail("%s: resource %s: needs rows, bytes and a hash of the form sha256:<hex>", pkgPath, res.Name)
			}
			if !jsonEqual(res.Schema, r.Schema) {
				prof.fail("%s: resource %s: schema differs from the one of resource %s", pkgPath, res.Name, r.Name)
			}
		}
		if cur, known := set[r.Name]; known && cur.SchemaVersion == st.SchemaVersion {
			b, err := schemas.Raw(r.Name)
			if err == nil && !jsonEqual(r.Schema, b) {
				prof.fail("%s: resource %s: schema_version %s but the schema is not exactly schemas/%s.json", pkgPath, r.Name, st.SchemaVersion, r.Name)
			}
		}
		p := r.Name + "-parquet"
		if res, found := byName[p]; found {
			tables = append(tables, table{schema: &st, parquet: res.Path})
		}
	}
	for _, r := range pkg.Resources {
		base := strings.TrimSuffix(strings.TrimSuffix(r.Name, "-parquet"), "-json")
		if res, found := byName[base]; !found || res.Format != "csv" {
			prof.fail("%s: resource %s belongs to no table (no CSV resource named %q)", pkgPath, r.Name, base)
		}
	}
	if len(tables) == 0 {
		prof.fail("%s: no tables (no resources with format csv)", pkgPath)
	}

	// bytes and hash of every resource.
	for _, r := range pkg.Resources {
		if filepath.IsAbs(r.Path) || strings.Contains(r.Path, "..") || strings.Contains(r.Path, `\`) {
			hashes.fail("%s: resource %s: path %q must be relative and slash-separated inside the folder", pkgPath, r.Name, r.Path)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Path)))
		if err != nil {
			hashes.fail("%s: resource %s: %v", r.Path, r.Name, err)
			continue
		}
		if r.Bytes == nil || *r.Bytes != int64(len(b)) {
			hashes.fail("%s: resource %s: file has %d bytes, datapackage.json says bytes=%s", r.Path, r.Name, len(b), ptrString(r.Bytes))
		}
		sum := sha256.Sum256(b)
		if got := "sha256:" + hex.EncodeToString(sum[:]); r.Hash != got {
			hashes.fail("%s: resource %s: file hash is %s, datapackage.json says hash=%s", r.Path, r.Name, got, r.Hash)
		}
	}
	okP := prof.report(w, fmt.Sprintf("datapackage.json and %d resource schemas against the Frictionless v1 profiles and the resource contract", len(pkg.Resources)))
	okH := hashes.report(w, fmt.Sprintf("bytes and sha256 of %d resources", len(pkg.Resources)))
	return tables, okP && okH
}

// checkParquet compares every Parquet file as parquet-go reads it with publish.ReadParquet.
func checkParquet(w io.Writer, dir string, tables []table) bool {
	c := &check{name: "gocheck parquet-go"}
	cells := 0
	for _, t := range tables {
		path := filepath.Join(dir, filepath.FromSlash(t.parquet))
		where := fmt.Sprintf("%s: table %s", t.parquet, t.schema.Name)
		want, err := publish.ReadParquet(path, t.schema)
		if err != nil {
			c.fail("%s: arrow-go (publish.ReadParquet): %v", where, err)
			continue
		}
		got, err := parquetgo.Read(path, t.schema)
		if err != nil {
			c.fail("%s: parquet-go: %v", where, err)
			continue
		}
		if len(got) != len(want) {
			c.fail("%s: parquet-go reads %d rows, arrow-go %d", where, len(got), len(want))
			continue
		}
		for i := range want {
			for j, f := range t.schema.Fields {
				cells++
				if !reflect.DeepEqual(got[i][j], want[i][j]) {
					c.fail("%s, row %d (%s), column %s: parquet-go reads %s, arrow-go %s", where, i+1, rowKey(t.schema, want[i]), f.Name, show(got[i][j]), show(want[i][j]))
				}
			}
		}
	}
	return c.report(w, fmt.Sprintf("%d Parquet files, %d cells equal in parquet-go and arrow-go", len(tables), cells))
}

// rowKey renders the primary key of a row of canonical cells, e.g. "passage_id=ab12…".
func rowKey(t *schemas.Table, row []any) string {
	var parts []string
	for _, k := range t.PrimaryKey {
		if i := t.FieldIndex(k); i >= 0 {
			parts = append(parts, k+"="+show(row[i]))
		}
	}
	return strings.Join(parts, ", ")
}

// show prints a canonical cell, dereferencing pointers.
func show(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "null"
		}
		v = rv.Elem().Interface()
	}
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%.60q", x)
	case model.Date:
		return x.String()
	}
	return fmt.Sprintf("%v", v)
}

func ptrString(p *int64) string {
	if p == nil {
		return "(missing)"
	}
	return fmt.Sprint(*p)
}

// jsonEqual compares two JSON texts as values (key order and spacing do not matter).
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}
