// Package site renders a release's pages for people: index.html (Dutch) and index.en.html
// (English) inside a release folder, and output/index.html, which lists every release.
//
// It owns the pages' content and markup: the summary (dataset, version, date, counts, licence,
// citation, validation result), what changed (from a changes.Changes), the downloads (every file
// with its format, size, SHA-256 and a DuckDB or pandas line), the tables and columns (from the
// table schemas, the source the codebook uses too), three charts drawn as inline SVG at render
// time (passages per party and document, the Big Tech scores, the coverage per election), each
// with a <title>, a <desc> and the same numbers as an HTML table, and the passage browser: the
// passages embedded as a JSON data block (escaped so that no "<" appears in it) and a small vanilla
// script that filters it.
//
// Pages reads each table of Input.Tables (a publish.Tables) once: the small tables whole, the
// passages one at a time, of which it keeps counts (per document and party, per kind) and only the
// passages the pages embed. The browser holds the first passages in the page's order (documents by
// election, then id; passages by seq, then id), at most 20,000 and 8 MB of JSON, and the Big Tech
// lists the first of theirs, at most 5,000 and 2 MB of text for all lists together (pageLimits);
// they are chosen as the rows come, in whatever order, by a bounded selection (prefix), so memory
// is bounded by the limits and the documents, not by the passages. A browser or list that holds
// fewer passages than there are says so, with both numbers, and links the passages' files.
//
// The charts are bounded by documents the same way (pageLimits): the heat map (and its table)
// shows the first 300 documents in page order, each election's coverage chart (with its table and
// its list of documents without coverage) its first 200, and the Big Tech charts (bars, table,
// lists) are drawn for the first 50 documents with scores; the browser lists (in its data block
// and its document filter) only the documents up to the last one it holds a passage of when it is
// cut. A chart that shows fewer documents than there are says so below it, in both languages, with
// both numbers, and links the files of the tables that hold everything (documents, passages,
// document_parties, scores). Every count on the page is over all rows, shown or not. What grows
// with the documents is what readData keeps to find the first ones whatever the order of the rows:
// each document's row (id, title, paths, note: a few hundred bytes), its scores and
// document_parties rows (under 100 bytes each) and a passage count per document and party (under
// 100 bytes each), a few MB for 6,600 documents of 21 parties (BenchmarkMemory: a live heap of
// 34 MB with 700 documents, 36 MB with 6,600); what rendering builds and writes is bounded by the
// limits (a page of a few hundred kB besides the passages it embeds, about 16 MB at the limits). The pages of raw/ today show every passage and every document.
// The pages are static: no network, no file outside the page is needed to
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
