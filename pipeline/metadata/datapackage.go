package metadata

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/schemas"
)

// The descriptor's shape. Structs (not maps) fix the key order; lists are sorted by the builders.
type dataPackage struct {
	Name         string          `json:"name"`
	ID           string          `json:"id"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Version      string          `json:"version"`
	Created      string          `json:"created"`
	Homepage     string          `json:"homepage"`
	Keywords     []string        `json:"keywords"`
	Licenses     []dpLicense     `json:"licenses"`
	Contributors []dpContributor `json:"contributors"`
	Sources      []dpSource      `json:"sources,omitempty"`
	Resources    []dpResource    `json:"resources"`
}

type dpLicense struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type dpContributor struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
	Email string `json:"email,omitempty"`
	Role  string `json:"role"`
}

type dpSource struct {
	Title     string `json:"title"`
	Path      string `json:"path"`
	Hash      string `json:"hash"`
	Bytes     int64  `json:"bytes"`
	SourceURL string `json:"source_url,omitempty"`
	Publisher string `json:"publisher,omitempty"`
}

type dpResource struct {
	Name      string          `json:"name"`
	Path      string          `json:"path"`
	Profile   string          `json:"profile"`
	Format    string          `json:"format"`
	Mediatype string          `json:"mediatype"`
	Encoding  string          `json:"encoding,omitempty"`
	Bytes     int64           `json:"bytes"`
	Hash      string          `json:"hash"`
	Rows      int64           `json:"rows"`
	Schema    json.RawMessage `json:"schema"`
}

// DataPackage renders datapackage.json for the release: Frictionless Data Package v1 with one resource
// per table per format (see ResourceName), each with its size, SHA-256, row count and the table's
// schema exactly as in schemas/<table>.json.
func DataPackage(r *Release) ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	d := r.Dataset
	dp := dataPackage{
		Name:        d.Name,
		ID:          d.URI(),
		Title:       d.Title.EN,
		Description: d.Description.EN + "\n\n" + d.Description.NL,
		Version:     r.Version,
		Created:     r.Date.String() + "T00:00:00Z",
		Homepage:    d.Homepage,
		Keywords:    sortedUnique(append(append([]string{}, d.Keywords.EN...), d.Keywords.NL...)),
		Licenses:    []dpLicense{{Name: d.License.ID, Path: d.License.URI, Title: d.License.Title}},
	}
	// One entry per role, even where publisher and creator are the same organisation. The contact
	// point (dcat:contactPoint in dcat.jsonld) is the maintainer: the only contributor role that says
	// whom to ask, and the only place for an email address in the descriptor.
	dp.Contributors = []dpContributor{
		{Title: d.Publisher.Name, Path: d.Publisher.URI, Role: "publisher"},
		{Title: d.Creator.Name, Path: d.Creator.URI, Role: "author"},
		{Title: d.Contact.Name, Path: d.Contact.URL, Email: d.Contact.Email, Role: "maintainer"},
	}
	for _, s := range sortedSources(r.Sources) {
		dp.Sources = append(dp.Sources, dpSource{Title: s.Title, Path: s.Path, Hash: "sha256:" + s.SHA256,
			Bytes: s.Bytes, SourceURL: s.URL, Publisher: s.Publisher})
	}
	for _, f := range sortedFiles(r.Files) {
		raw, err := schemas.Raw(f.Table)
		if err != nil {
			return nil, fmt.Errorf("metadata: schema of %s: %w", f.Table, err)
		}
		if !json.Valid(raw) {
			return nil, fmt.Errorf("metadata: schemas/%s.json is not valid JSON", f.Table)
		}
		fi := formats[f.Format]
		dp.Resources = append(dp.Resources, dpResource{
			Name:      ResourceName(f.Table, f.Format),
			Path:      f.Path,
			Profile:   fi.profile,
			Format:    f.Format,
			Mediatype: fi.mediaType,
			Encoding:  fi.encoding,
			Bytes:     f.Bytes,
			Hash:      "sha256:" + f.SHA256,
			Rows:      f.Rows,
			Schema:    json.RawMessage(raw),
		})
	}
	b, err := publish.EncodeJSON(dp)
	if err != nil {
		return nil, fmt.Errorf("metadata: datapackage.json: %w", err)
	}
	return b, nil
}

// sortedUnique returns the strings sorted, without duplicates.
func sortedUnique(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
