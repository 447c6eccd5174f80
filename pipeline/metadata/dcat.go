package metadata

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/standpunten/standpunten/pipeline/publish"
	"github.com/standpunten/standpunten/pipeline/registry"
	"github.com/standpunten/standpunten/pipeline/site"
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

// VersionURI is the URI of the dcat:Dataset of one release (a version of the stable dataset): a
// fragment of that release's dcat.jsonld, <base_url>v<version>/dcat.jsonld#dataset.
func VersionURI(d *registry.Dataset, version string) string {
	return d.ReleaseURL(version, publish.DCATFile) + "#dataset"
}

// CatalogURI is the URI of the dcat:Catalog that holds the dataset: <base_url>#catalog.
func CatalogURI(d *registry.Dataset) string { return d.BaseURL + "#catalog" }

// PageFile is a release's page (Dutch, written beside its files) and the output root's page that
// lists every release: the landing pages dcat.jsonld names.
const PageFile = site.PageNL

// Authority-list values dcat.jsonld uses.
const (
	frequencyIrregular = "http://publications.europa.eu/resource/authority/frequency/IRREG"
	contactID          = "_:contact" // the one contact point, shared by the catalogue and every dataset
)

// DCAT renders dcat.jsonld for the release. It holds:
//   - a dcat:Catalog (<base_url>#catalog) whose one dcat:dataset is the stable dataset;
//   - the stable dcat:Dataset with the URI and dct:identifier of registry.Dataset.URI, the same for
//     every release so a harvesting portal updates one dataset, with one dcat:Distribution per table
//     file of this release (served at <base_url>v<version>/<path>), dct:temporal, the irregular
//     dct:accrualPeriodicity, and dcat:hasVersion every release's own dataset (dcat:hasCurrentVersion
//     this one's);
//   - per release up to this one a dcat:Dataset (VersionURI) with dcat:version, dct:issued,
//     dcat:isVersionOf the stable dataset, dcat:previousVersion the release before, and its page as
//     dcat:landingPage where it has one. DCAT-AP types the values of dcat:hasVersion as dcat:Dataset,
//     so they carry the properties DCAT-AP-NL requires of a dataset; they have no distributions, so
//     the files are listed once, on the stable dataset (a ckanext-dcat harvester does make a portal
//     dataset of every dcat:Dataset node: the stable one with the files, and one per release);
//   - the agents, contact point, concepts, licence, media types and documents they refer to.
//
// The @context is inline, so reading it needs no network. It conforms to the SHACL shapes of
// DCAT-AP 3.0.1 and DCAT-AP-NL 3.0.
func DCAT(r *Release) ([]byte, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	d := r.Dataset
	g := graph{}
	versions := r.versions()
	current := versions[len(versions)-1]
	packageURL := d.ReleaseURL(r.Version, publish.DataPackageFile)

	// The landing page of the dataset and the catalogue: the output root's page, which lists every
	// release, once the releases have pages; until then the homepage.
	landing := d.Homepage
	if u := d.OutputURL(PageFile); current.Page && u != "" {
		landing = u
	}
	pages := []node{ref(codebook(g, d, r.Version))}
	if landing != d.Homepage {
		pages = append(pages, ref(d.Homepage))
	}
	g.add(node{"@id": landing, "@type": "foaf:Document"})
	g.add(node{"@id": d.Homepage, "@type": "foaf:Document"})

	g.add(node{"@id": d.Publisher.URI, "@type": "foaf:Agent", "foaf:name": d.Publisher.Name})
	g.add(node{"@id": d.Creator.URI, "@type": "foaf:Agent", "foaf:name": d.Creator.Name})
	g.add(contactPoint(d.Contact))
	g.add(node{"@id": d.AccessRights, "@type": "dct:RightsStatement"})

	var themes []node
	for _, t := range d.Themes {
		themes = append(themes, ref(t.URI))
		g.add(node{"@id": t.URI, "@type": "skos:Concept", "skos:prefLabel": nlEN(t.LabelEN, t.LabelNL)})
	}
	themes = sortRefs(themes)
	var languages []node
	for _, l := range sortedUnique(d.Languages) {
		languages = append(languages, ref(l))
		g.add(node{"@id": l, "@type": "dct:LinguisticSystem"})
	}
	// common are the properties DCAT-AP-NL requires (or recommends) of every dataset node.
	common := func(n node) node {
		n["dct:publisher"] = ref(d.Publisher.URI)
		n["dct:creator"] = ref(d.Creator.URI)
		n["dct:accessRights"] = ref(d.AccessRights)
		n["dcat:contactPoint"] = ref(contactID)
		n["dcat:theme"] = themes
		n["dct:language"] = languages
		if d.ConformsTo != "" {
			n["dct:conformsTo"] = ref(d.ConformsTo)
		}
		return n
	}
	if d.ConformsTo != "" {
		g.add(node{"@id": d.ConformsTo, "@type": "dct:Standard"})
	}

	catalog := node{
		"@id":               CatalogURI(d),
		"@type":             "dcat:Catalog",
		"dct:title":         nlEN(d.Title.EN+": catalogue of the releases", d.Title.NL+": catalogus van de releases"),
		"dct:description":   nlEN(fmt.Sprintf("The dataset and each of its releases, as published under %s.", d.BaseURL), fmt.Sprintf("De dataset en elk van zijn releases, zoals gepubliceerd onder %s.", d.BaseURL)),
		"dct:publisher":     ref(d.Publisher.URI),
		"dct:creator":       ref(d.Creator.URI),
		"dcat:contactPoint": ref(contactID),
		"foaf:homepage":     ref(landing),
		"dct:issued":        typed("xsd:date", r.issued().String()),
		"dct:modified":      typed("xsd:date", r.Date.String()),
		"dcat:dataset":      ref(d.URI()),
	}

	ds := common(node{
		"@id":                    d.URI(),
		"@type":                  "dcat:Dataset",
		"dct:identifier":         d.URI(),
		"dct:title":              nlEN(d.Title.EN, d.Title.NL),
		"dct:description":        nlEN(d.Description.EN, d.Description.NL),
		"dcat:version":           r.Version,
		"dct:issued":             typed("xsd:date", r.issued().String()),
		"dct:modified":           typed("xsd:date", r.Date.String()),
		"dcat:landingPage":       ref(landing),
		"foaf:page":              pages,
		"dct:accrualPeriodicity": ref(frequencyIrregular),
		"dcat:hasCurrentVersion": ref(VersionURI(d, r.Version)),
	})
	g.add(node{"@id": frequencyIrregular, "@type": "dct:Frequency"})
	if r.Notes != "" {
		ds["adms:versionNotes"] = r.Notes
	}
	if t := r.Temporal; t != (Period{}) {
		ds["dct:temporal"] = node{"@type": "dct:PeriodOfTime",
			"dcat:startDate": typed("xsd:date", t.Start.String()), "dcat:endDate": typed("xsd:date", t.End.String())}
	}
	var keywords []node
	for _, k := range sortedUnique(d.Keywords.EN) {
		keywords = append(keywords, langString("en", k))
	}
	for _, k := range sortedUnique(d.Keywords.NL) {
		keywords = append(keywords, langString("nl", k))
	}
	ds["dcat:keyword"] = keywords
	if len(d.Spatial) > 0 {
		var places []node
		for _, s := range sortedUnique(d.Spatial) {
			places = append(places, ref(s))
			g.add(node{"@id": s, "@type": "dct:Location"})
		}
		ds["dct:spatial"] = places
	}

	// One dataset per release, oldest first, each a version of the stable one.
	var releases, versionRefs []node
	for i, v := range versions {
		uri := VersionURI(d, v.Version)
		folder := d.ReleaseURL(v.Version, "")
		n := common(node{
			"@id":              uri,
			"@type":            "dcat:Dataset",
			"dct:identifier":   uri,
			"dct:title":        nlEN(fmt.Sprintf("%s, version %s", d.Title.EN, v.Version), fmt.Sprintf("%s, versie %s", d.Title.NL, v.Version)),
			"dct:description":  nlEN(fmt.Sprintf("Version %s of the dataset, released on %s. Its files are under %s.", v.Version, v.Date, folder), fmt.Sprintf("Versie %s van de dataset, uitgebracht op %s. De bestanden staan onder %s.", v.Version, v.Date, folder)),
			"dcat:version":     v.Version,
			"dct:issued":       typed("xsd:date", v.Date.String()),
			"dcat:isVersionOf": ref(d.URI()),
			"foaf:page":        ref(codebook(g, d, v.Version)),
		})
		if i > 0 {
			n["dcat:previousVersion"] = ref(VersionURI(d, versions[i-1].Version))
		}
		if v.Page {
			page := d.ReleaseURL(v.Version, PageFile)
			n["dcat:landingPage"] = ref(page)
			g.add(node{"@id": page, "@type": "foaf:Document"})
		}
		if v.Version == r.Version && r.Notes != "" {
			n["adms:versionNotes"] = r.Notes
		}
		releases = append(releases, n)
		versionRefs = append(versionRefs, ref(uri))
	}
	ds["dcat:hasVersion"] = versionRefs

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
			"dct:title":        nlEN(fmt.Sprintf("Table %s (%s)", f.Table, fi.label), fmt.Sprintf("Tabel %s (%s)", f.Table, fi.label)),
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

	nodes := []node{catalog, ds}
	nodes = append(nodes, releases...)
	nodes = append(nodes, dists...)
	nodes = append(nodes, g.sorted()...)
	doc := map[string]any{"@context": dcatContext, "@graph": nodes}
	b, err := publish.EncodeJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("metadata: dcat.jsonld: %w", err)
	}
	return b, nil
}

// codebook records the codebook of a release as a foaf:Document and returns its URL.
func codebook(g graph, d *registry.Dataset, version string) string {
	u := d.ReleaseURL(version, publish.CodebookFile)
	g.add(node{"@id": u, "@type": "foaf:Document",
		"dct:title": nlEN(fmt.Sprintf("Codebook of release %s", version), fmt.Sprintf("Codeboek van release %s", version))})
	return u
}

// contactPoint is the dataset's one vcard contact point (DCAT-AP-NL allows exactly one), a blank node
// that the catalogue and every dataset node refer to.
func contactPoint(c registry.Contact) node {
	n := node{
		"@id":      contactID,
		"@type":    []string{"vcard:Kind", "vcard:Organization"},
		"vcard:fn": c.Name,
	}
	if c.URL != "" {
		n["vcard:hasURL"] = ref(c.URL)
	}
	if c.Email != "" {
		n["vcard:hasEmail"] = ref(c.Mailto())
	}
	return n
}

func sortRefs(refs []node) []node {
	sort.Slice(refs, func(i, j int) bool { return refs[i]["@id"].(string) < refs[j]["@id"].(string) })
	return refs
}
