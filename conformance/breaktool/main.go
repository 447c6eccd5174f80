// Command breaktool prepares scratch copies of a published folder for conformance/break_test.sh.
// It is a test helper, not part of what is published:
//
//	go run ./conformance/breaktool datapackage DIR     write DIR/datapackage.json following the
//	                                                   project's resource contract (a stand-in for
//	                                                   folders that have none, e.g. a fresh build)
//	go run ./conformance/breaktool rewrite DIR TABLE   rewrite TABLE's Parquet, CSV and JSON files from
//	                                                   its (edited) JSON file with the project's writer,
//	                                                   then refresh bytes, hash and rows in
//	                                                   DIR/datapackage.json if there is one
//	go run ./conformance/breaktool rehash DIR          set bytes and hash of every resource in
//	                                                   DIR/datapackage.json from its file (rows kept),
//	                                                   after a file was edited by another tool
//
// It owns nothing the pipeline uses; the real datapackage.json is written by the release stage.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	var err error
	switch {
	case len(args) == 2 && args[0] == "datapackage":
		err = writePackage(args[1])
	case len(args) == 3 && args[0] == "rewrite":
		err = rewrite(args[1], args[2])
	case len(args) == 2 && args[0] == "rehash":
		err = rehash(args[1])
	default:
		fmt.Fprintln(stderr, "usage: breaktool datapackage DIR | breaktool rewrite DIR TABLE | breaktool rehash DIR")
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "breaktool: %v\n", err)
		return 1
	}
	return 0
}

// formats lists, per format, the resource name suffix, profile, media type and encoding of the contract.
var formats = []struct {
	format                               publish.Format
	suffix, profile, mediatype, encoding string
}{
	{publish.FormatCSV, "", "tabular-data-resource", "text/csv", "utf-8"},
	{publish.FormatParquet, "-parquet", "data-resource", "application/vnd.apache.parquet", ""},
	{publish.FormatJSON, "-json", "data-resource", "application/json", "utf-8"},
}

// writePackage writes a datapackage.json for the tables in dir.
func writePackage(dir string) error {
	set, err := schemas.Load()
	if err != nil {
		return err
	}
	var resources []map[string]any
	for _, name := range schemas.Order {
		raw, err := schemas.Raw(name)
		if err != nil {
			return err
		}
		for _, f := range formats {
			r := map[string]any{
				"name":      name + f.suffix,
				"path":      string(f.format) + "/" + name + "." + string(f.format),
				"profile":   f.profile,
				"format":    string(f.format),
				"mediatype": f.mediatype,
				"schema":    json.RawMessage(raw),
			}
			if f.encoding != "" {
				r["encoding"] = f.encoding
			}
			resources = append(resources, r)
		}
	}
	pkg := map[string]any{
		"name":      "standpunten",
		"title":     "Standpunten (conformance test stand-in)",
		"version":   "0.0.0",
		"licenses":  []map[string]string{{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}},
		"resources": resources,
	}
	return refresh(dir, pkg, set)
}

// rewrite writes table's three files again from its JSON file, then refreshes datapackage.json.
func rewrite(dir, table string) error {
	set, err := schemas.Load()
	if err != nil {
		return err
	}
	t, ok := set[table]
	if !ok {
		return fmt.Errorf("unknown table %q", table)
	}
	rows, err := publish.ReadJSON(publish.Path(dir, publish.FormatJSON, table), t)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "breaktool-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	w, err := publish.NewWriter(tmp, set, publish.Meta{Dataset: "standpunten"})
	if err != nil {
		return err
	}
	tw, err := w.Table(table)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := tw.Append(model.Cells(r)); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	for _, f := range publish.Formats {
		b, err := os.ReadFile(publish.Path(tmp, f, table))
		if err != nil {
			return err
		}
		if err := os.WriteFile(publish.Path(dir, f, table), b, 0o644); err != nil {
			return err
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var pkg map[string]any
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return err
	}
	return refresh(dir, pkg, set)
}

// rehash sets bytes and hash of every resource of dir/datapackage.json from its file.
func rehash(dir string) error {
	path := filepath.Join(dir, "datapackage.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var pkg map[string]any
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return err
	}
	resources, _ := pkg["resources"].([]any)
	for _, x := range resources {
		r, ok := x.(map[string]any)
		if !ok {
			return errors.New("datapackage.json: a resource is not an object")
		}
		if err := setBytesAndHash(dir, r); err != nil {
			return err
		}
	}
	return publish.WriteJSON(path, pkg)
}

// setBytesAndHash sets a resource's bytes and hash from its file.
func setBytesAndHash(dir string, r map[string]any) error {
	rel, _ := r["path"].(string)
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	r["bytes"] = len(b)
	r["hash"] = "sha256:" + hex.EncodeToString(sum[:])
	return nil
}

// refresh sets bytes, hash and rows of every resource from its file and writes datapackage.json.
func refresh(dir string, pkg map[string]any, set schemas.Set) error {
	resources, _ := pkg["resources"].([]any)
	if resources == nil {
		if rs, ok := pkg["resources"].([]map[string]any); ok {
			for _, r := range rs {
				resources = append(resources, r)
			}
		}
	}
	for _, x := range resources {
		r, ok := x.(map[string]any)
		if !ok {
			return errors.New("datapackage.json: a resource is not an object")
		}
		if err := setBytesAndHash(dir, r); err != nil {
			return err
		}
		rel, _ := r["path"].(string)
		var sch struct {
			Name string `json:"name"`
		}
		raw, _ := json.Marshal(r["schema"])
		if err := json.Unmarshal(raw, &sch); err != nil {
			return err
		}
		t, ok := set[sch.Name]
		if !ok {
			return fmt.Errorf("resource %v: unknown table %q", r["name"], sch.Name)
		}
		var rows [][]any
		var err error
		switch r["format"] {
		case "parquet":
			rows, err = publish.ReadParquet(filepath.Join(dir, filepath.FromSlash(rel)), t)
		case "csv":
			rows, err = publish.ReadCSV(filepath.Join(dir, filepath.FromSlash(rel)), t)
		default:
			rows, err = publish.ReadJSON(filepath.Join(dir, filepath.FromSlash(rel)), t)
		}
		if err != nil {
			return err
		}
		r["rows"] = len(rows)
	}
	pkg["resources"] = resources
	return publish.WriteJSON(filepath.Join(dir, "datapackage.json"), pkg)
}
