// Package site renders a release's pages for people: index.html (Dutch) and index.en.html
// (English) inside a release folder, and output/index.html, which lists every release.
//
// It owns the pages' content and markup: the summary (dataset, version, date, counts, licence,
// citation, validation result), what changed (from a changes.Changes), the downloads (every file
// with its format, size, SHA-256 and a DuckDB or pandas line), the tables and columns (from the
// table schemas, the source the codebook uses too), three charts drawn as inline SVG at render
// time (passages per party and document, the Big Tech scores, the coverage per election), each
// with a <title>, a <desc> and the same numbers as an HTML table, and the passage browser: every
// passage embedded as a JSON data block (escaped so that no "<" appears in it) and a small vanilla
// script that filters it. The pages are static: no network, no file outside the page is needed to
// show them, they open from file://. Their Content-Security-Policy allows only the page's own
// inline style and script, by their SHA-256 hashes, computed when the page is rendered.
//
// Rendering is a pure function of its Input: no clock, no environment, no file system; equal
// input gives equal bytes, so verify can rebuild the pages byte for byte. Texts from the data are
// always escaped (html/template) or, in the browser, set with textContent.
//
// It does not read release folders, write files or decide which files a release holds: the
// release code passes the tables, the changes and the list of files in and writes the pages.
package site
