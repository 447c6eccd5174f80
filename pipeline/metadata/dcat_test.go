package metadata

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dcatGraph renders dcat.jsonld and returns its nodes by @id.
func dcatGraph(t *testing.T, r *Release) map[string]map[string]any {
	t.Helper()
	b, err := DCAT(r)
	require.NoError(t, err)
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	nodes := map[string]map[string]any{}
	for _, n := range doc.Graph {
		id, _ := n["@id"].(string)
		require.NotEmpty(t, id, "every top-level node has an @id")
		require.NotContains(t, nodes, id, "node %s is listed twice", id)
		nodes[id] = n
	}
	return nodes
}

// ids returns the @id of a reference or of each reference in a list.
func ids(v any) []string {
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["@id"].(string); ok {
			return []string{id}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, ids(e)...)
		}
		return out
	}
	return nil
}

// texts returns the language-tagged values of a property by language.
func texts(t *testing.T, v any) map[string]string {
	t.Helper()
	list, ok := v.([]any)
	require.True(t, ok, "expected a list of language-tagged texts, got %v", v)
	out := map[string]string{}
	for _, e := range list {
		m := e.(map[string]any)
		out[m["@language"].(string)] = m["@value"].(string)
	}
	return out
}

func TestDCATVersionChain(t *testing.T) {
	r := fixedRelease(t)
	d := r.Dataset
	nodes := dcatGraph(t, r)
	stable := nodes[d.URI()]
	require.NotNil(t, stable)

	want := []string{VersionURI(d, "1.0.0"), VersionURI(d, "1.1.0"), VersionURI(d, "1.2.0")}
	assert.Equal(t, want, ids(stable["dcat:hasVersion"]), "the stable dataset has every release as a version, oldest first")
	assert.Equal(t, []string{want[2]}, ids(stable["dcat:hasCurrentVersion"]))
	assert.Equal(t, "1.2.0", stable["dcat:version"])
	for i, uri := range want {
		v := nodes[uri]
		require.NotNil(t, v, uri)
		assert.Equal(t, "dcat:Dataset", v["@type"], uri)
		assert.Equal(t, uri, v["dct:identifier"], "a release's dataset is identified by its own URI")
		assert.Equal(t, r.Versions[i].Version, v["dcat:version"], uri)
		assert.Equal(t, r.Versions[i].Date.String(), v["dct:issued"].(map[string]any)["@value"], uri)
		assert.Equal(t, []string{d.URI()}, ids(v["dcat:isVersionOf"]), uri)
		if i == 0 {
			assert.NotContains(t, v, "dcat:previousVersion", "the first release has no previous version")
		} else {
			assert.Equal(t, []string{want[i-1]}, ids(v["dcat:previousVersion"]), uri)
		}
		assert.NotContains(t, v, "dcat:distribution", "the files hang on the stable dataset only, so a portal lists them once")
		assert.Equal(t, []string{contactID}, ids(v["dcat:contactPoint"]), uri)
		title := texts(t, v["dct:title"])
		assert.Contains(t, title["en"], "version "+r.Versions[i].Version)
		assert.Contains(t, title["nl"], "versie "+r.Versions[i].Version)
	}
	// Only the release that has a page gets a landing page; the notes belong to this release.
	assert.NotContains(t, nodes[want[0]], "dcat:landingPage")
	assert.NotContains(t, nodes[want[1]], "dcat:landingPage")
	assert.Equal(t, []string{"https://data.example.org/standpunten/releases/v1.2.0/index.html"}, ids(nodes[want[2]]["dcat:landingPage"]))
	assert.NotContains(t, nodes[want[0]], "adms:versionNotes")
	assert.Equal(t, r.Notes, nodes[want[2]]["adms:versionNotes"])

	catalog := nodes[CatalogURI(d)]
	require.NotNil(t, catalog)
	assert.Equal(t, "dcat:Catalog", catalog["@type"])
	assert.Equal(t, []string{d.URI()}, ids(catalog["dcat:dataset"]), "the catalogue holds the stable dataset only")
	assert.Len(t, texts(t, catalog["dct:title"]), 2)
	assert.Len(t, texts(t, catalog["dct:description"]), 2)
	assert.Equal(t, []string{d.Publisher.URI}, ids(catalog["dct:publisher"]))

	contact := nodes[contactID]
	require.NotNil(t, contact)
	assert.Equal(t, []string{"mailto:data@example.org"}, ids(contact["vcard:hasEmail"]))
	assert.Equal(t, []string{contactID}, ids(stable["dcat:contactPoint"]))
	assert.Equal(t, []string{contactID}, ids(catalog["dcat:contactPoint"]))

	assert.Equal(t, []string{"http://publications.europa.eu/resource/authority/frequency/IRREG"}, ids(stable["dct:accrualPeriodicity"]))
	period := stable["dct:temporal"].(map[string]any)
	assert.Equal(t, "dct:PeriodOfTime", period["@type"])
	assert.Equal(t, map[string]any{"@type": "xsd:date", "@value": "2017-03-15"}, period["dcat:startDate"])
	assert.Equal(t, map[string]any{"@type": "xsd:date", "@value": "2025-10-29"}, period["dcat:endDate"])

	dists := ids(stable["dcat:distribution"])
	require.Len(t, dists, len(r.Files))
	for _, id := range dists {
		title := texts(t, nodes[id]["dct:title"])
		assert.Regexp(t, `^Table \w+ \((CSV|Parquet|JSON)\)$`, title["en"], id)
		assert.Regexp(t, `^Tabel \w+ \((CSV|Parquet|JSON)\)$`, title["nl"], id)
	}
}

// TestDCATLandingPages: the dataset's and catalogue's landing page is the output root's index.html
// once this release has its page, and the homepage before that or when base_url is a host's root.
func TestDCATLandingPages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(r *Release)
		want  string
		pages []string // the dataset's foaf:page
	}{
		{"with page", func(r *Release) {}, "https://data.example.org/standpunten/index.html",
			[]string{"https://data.example.org/standpunten/releases/v1.2.0/CODEBOOK.md", "https://data.example.org/standpunten/"}},
		{"without page", func(r *Release) { r.Versions[2].Page = false }, "https://data.example.org/standpunten/",
			[]string{"https://data.example.org/standpunten/releases/v1.2.0/CODEBOOK.md"}},
		{"releases at the host's root", func(r *Release) { r.Dataset.BaseURL = "https://data.example.org/" }, "https://data.example.org/standpunten/",
			[]string{"https://data.example.org/v1.2.0/CODEBOOK.md"}},
		{"first release, no versions given", func(r *Release) { r.Version, r.Issued, r.Versions = "1.0.0", r.Date, nil }, "https://data.example.org/standpunten/",
			[]string{"https://data.example.org/standpunten/releases/v1.0.0/CODEBOOK.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fixedRelease(t)
			tc.edit(r)
			nodes := dcatGraph(t, r)
			stable := nodes[r.Dataset.URI()]
			assert.Equal(t, []string{tc.want}, ids(stable["dcat:landingPage"]))
			assert.Equal(t, []string{tc.want}, ids(nodes[CatalogURI(r.Dataset)]["foaf:homepage"]))
			assert.Equal(t, "foaf:Document", nodes[tc.want]["@type"], "a landing page is a foaf:Document")
			assert.Equal(t, tc.pages, ids(stable["foaf:page"]))
			if r.Versions == nil {
				assert.Equal(t, []string{VersionURI(r.Dataset, "1.0.0")}, ids(stable["dcat:hasVersion"]))
			}
		})
	}
}
