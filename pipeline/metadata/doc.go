// Package metadata renders the machine-readable descriptions of a release: datapackage.json
// (Frictionless Data Package v1, one resource per table per format, each carrying its table schema)
// and dcat.jsonld (DCAT-AP 3 / DCAT-AP-NL 3.0 in JSON-LD with an inline @context: a catalogue holding
// the stable dataset, one Distribution per published file, and the DCAT 3 version chain of every
// release up to this one). It takes a typed Release (version, date, the versions before it, the
// elections' span, dataset metadata from raw/dataset.toml, schemas, the files with their sizes, hashes
// and row counts, and the raw sources) and returns bytes that depend only on that input: sorted,
// indented by two spaces, with a trailing newline.
//
// It does not read or hash files, list earlier releases, choose versions or dates, write pages or
// write anything to disk: the release stage measures the files, says which releases exist and which
// have a page, and writes what this package returns. Conformance of dcat.jsonld with the official
// SHACL shapes is checked by tools/shacl/validate.mjs (see shacl_test.go).
package metadata
