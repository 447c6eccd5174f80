package metadata

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/standpunten/standpunten/pipeline/publish"
)

// Vocabulary namespaces of dcat.jsonld, declared in its inline @context.
var dcatContext = map[string]string{
	"adms":  "http://www.w3.org/ns/adms#",
	"dcat":  "http://www.w3.org/ns/dcat#",
	"dct":   "http://purl.org/dc/terms/",
	"foaf":  "http://xmlns.com/foaf/0.1/",
	"rdfs":  "http://www.w3.org/2000/01/rdf-schema#",
	"skos":  "http://www.w3.org/2004/02/skos/core#",
	"spdx":  "http://spdx.org/rdf/terms#",
	"vcard": "http://www.w3.org/2006/vcard/ns#",
	"xsd":   "http://www.w3.org/2001/XMLSchema#",
}

// sha256Algorithm is the SPDX checksum algorithm individual for SHA-256.
const sha256Algorithm = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

// node is one JSON-LD node object; encoding sorts its keys.
type node map[string]any

func ref(id string) node { return node{"@id": id} }

func langString(lang, s string) node { return node{"@language": lang, "@value": s} }

func typed(datatype, s string) node { return node{"@type": datatype, "@value": s} }

// nlEN is a text in English and Dutch, English first.
func nlEN(en, nl string) []node { return []node{langString("en", en), langString("nl", nl)} }

// graph collects the supporting nodes (agents, concepts, licence, media types …), one per @id.
type graph map[string]node

// add records a node, merging the values of a node added twice under the same @id.
func (g graph) add(n node) {
	id := n["@id"].(string)
	old, ok := g[id]
	if !ok {
		g[id] = n
		return
	}
	for k, v := range n {
		if k == "@id" {
			continue
		}
		if prev, ok := old[k]; ok && fmt.Sprint(prev) != fmt.Sprint(v) {
			old[k] = []any{prev, v}
		} else {
			old[k] = v
		}
	}
}

func (g graph) sorted() []node {
	ids := make([]string, 0, len(g))
	for id := range g {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]node, len(ids))
	for i, id := range ids {
		out[i] = g[id]
	}
	return out
}

// DistributionURI is the URI of a file's dcat:Distribution: a fragment of the release's own
// dcat.jsonld, so it is distinct from the file (dcat:downloadURL) and from other releases.
func DistributionURI(r *Release, f File) string {
	return r.Dataset.ReleaseURL(r.Version, publish.DCATFile) + "#" + f.Table + "-" + f.Format
}

// DCAT renders dcat.jsonld for the release: one dcat:Dataset with the stable URI and dct:identifier of
// registry.Dataset.URI (the same for every release, so a harvesting portal updates one dataset) and one
// dcat:Distribution per table file, served at <base_url>v<version>/<path>. The @context is inline, so
// reading it needs no network. It conforms to the SHACL shapes of DCAT-AP 3.0.1 and DCAT-AP-NL 3.0.
func DCAT(r *Release) ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	d := r.Dataset
	g := graph{}
	issued := r.Issued
	if issued.Year == 0 {
		issued = r.Date
	}
	packageURL := d.ReleaseURL(r.Version, publish.DataPackageFile)
	codebookURL := d.ReleaseURL(r.Version, publish.CodebookFile)

	ds := node{
		"@id":               d.URI(),
		"@type":             "dcat:Dataset",
		"dct:identifier":    d.URI(),
		"dct:title":         nlEN(d.Title.EN, d.Title.NL),
		"dct:description":   nlEN(d.Description.EN, d.Description.NL),
		"dcat:version":      r.Version,
		"dct:issued":        typed("xsd:date", issued.String()),
		"dct:modified":      typed("xsd:date", r.Date.String()),
		"dct:publisher":     ref(d.Publisher.URI),
		"dct:creator":       ref(d.Creator.URI),
		"dct:accessRights":  ref(d.AccessRights),
		"dcat:landingPage":  ref(d.Homepage),
		"foaf:page":         ref(codebookURL),
		"dcat:contactPoint": contactPoint(r),
	}
	if r.Notes != "" {
		ds["adms:versionNotes"] = r.Notes
	}
	g.add(node{"@id": d.Publisher.URI, "@type": "foaf:Agent", "foaf:name": d.Publisher.Name})
	g.add(node{"@id": d.Creator.URI, "@type": "foaf:Agent", "foaf:name": d.Creator.Name})
	g.add(node{"@id": d.AccessRights, "@type": "dct:RightsStatement"})
	g.add(node{"@id": d.Homepage, "@type": "foaf:Document"})
	g.add(node{"@id": codebookURL, "@type": "foaf:Document",
		"dct:title": langString("en", fmt.Sprintf("Codebook of release %s", r.Version))})
	if d.ConformsTo != "" {
		ds["dct:conformsTo"] = ref(d.ConformsTo)
		g.add(node{"@id": d.ConformsTo, "@type": "dct:Standard"})
	}

	var themes []node
	for _, t := range d.Themes {
		themes = append(themes, ref(t.URI))
		g.add(node{"@id": t.URI, "@type": "skos:Concept", "skos:prefLabel": nlEN(t.LabelEN, t.LabelNL)})
	}
	ds["dcat:theme"] = sortRefs(themes)

	var keywords []node
	for _, k := range sortedUnique(d.Keywords.EN) {
		keywords = append(keywords, langString("en", k))
	}
	for _, k := range sortedUnique(d.Keywords.NL) {
		keywords = append(keywords, langString("nl", k))
	}
	ds["dcat:keyword"] = keywords

	var languages []node
	for _, l := range sortedUnique(d.Languages) {
		languages = append(languages, ref(l))
		g.add(node{"@id": l, "@type": "dct:LinguisticSystem"})
	}
	ds["dct:language"] = languages
	if len(d.Spatial) > 0 {
		var places []node
		for _, s := range sortedUnique(d.Spatial) {
			places = append(places, ref(s))
			g.add(node{"@id": s, "@type": "dct:Location"})
		}
		ds["dct:spatial"] = places
	}

	g.add(node{"@id": d.License.URI, "@type": "dct:LicenseDocument", "dct:title": langString("en", d.License.Title),
		"dct:identifier": d.License.ID})
	g.add(node{"@id": sha256Algorithm, "@type": "spdx:ChecksumAlgorithm"})
	g.add(node{"@id": packageURL, "@type": "dct:Standard",
		"dct:title": langString("en", fmt.Sprintf("Frictionless Data Package descriptor of release %s, with the table schemas", r.Version))})

	var dists, distRefs []node
	for _, f := range sortedFiles(r.Files) {
		fi := formats[f.Format]
		url := d.ReleaseURL(r.Version, f.Path)
		media := ianaPrefix + fi.mediaType
		g.add(node{"@id": media, "@type": "dct:MediaType"})
		g.add(node{"@id": fi.fileType, "@type": "dct:MediaTypeOrExtent"})
		// The DCAT-AP 3.0.0 shapes bundled with DCAT-AP-NL 3.0 want the URLs typed rdfs:Resource
		// (sh:class without inference); 3.0.1 dropped that. Every IRI is one, so saying so is harmless.
		g.add(node{"@id": url, "@type": "rdfs:Resource"})
		dist := node{
			"@id":              DistributionURI(r, f),
			"@type":            "dcat:Distribution",
			"dct:title":        langString("en", fmt.Sprintf("%s (%s)", f.Table, fi.label)),
			"dcat:accessURL":   ref(url),
			"dcat:downloadURL": ref(url),
			"dcat:mediaType":   ref(media),
			"dct:format":       ref(fi.fileType),
			"dcat:byteSize":    typed("xsd:nonNegativeInteger", strconv.FormatInt(f.Bytes, 10)),
			"spdx:checksum": node{
				"@type":              "spdx:Checksum",
				"spdx:algorithm":     ref(sha256Algorithm),
				"spdx:checksumValue": typed("xsd:hexBinary", f.SHA256),
			},
			"dct:license":    ref(d.License.URI),
			"dct:language":   languages,
			"dct:conformsTo": ref(packageURL),
			"dct:issued":     typed("xsd:date", r.Date.String()),
		}
		if t := r.Schemas[f.Table]; t != nil && t.Description != "" {
			dist["dct:description"] = langString("en", t.Description)
		}
		dists = append(dists, dist)
		distRefs = append(distRefs, ref(DistributionURI(r, f)))
	}
	ds["dcat:distribution"] = distRefs

	nodes := []node{ds}
	nodes = append(nodes, dists...)
	nodes = append(nodes, g.sorted()...)
	doc := map[string]any{"@context": dcatContext, "@graph": nodes}
	b, err := publish.EncodeJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("metadata: dcat.jsonld: %w", err)
	}
	return b, nil
}

// contactPoint is the dataset's one vcard contact point (DCAT-AP-NL allows exactly one), a blank node.
func contactPoint(r *Release) node {
	c := r.Dataset.Contact
	n := node{
		"@type":    []string{"vcard:Kind", "vcard:Organization"},
		"vcard:fn": c.Name,
	}
	if c.URL != "" {
		n["vcard:hasURL"] = ref(c.URL)
	}
	if c.Email != "" {
		n["vcard:hasEmail"] = ref("mailto:" + c.Email)
	}
	return n
}

func sortRefs(refs []node) []node {
	sort.Slice(refs, func(i, j int) bool { return refs[i]["@id"].(string) < refs[j]["@id"].(string) })
	return refs
}
