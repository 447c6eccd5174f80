// Package codebook writes CODEBOOK.md, the human-readable description of a release's tables.
//
// It owns turning the table schemas (package schemas) and the rows of every table into one
// deterministic Markdown document: a header (dataset, version, how to cite and load), a table of
// contents, one section per table in schemas.Order (purpose, primary and foreign keys, row count,
// files) with, per column, the schema type and its Arrow/Parquet type, required or nullable, the
// constraints, the description, null and empty counts, and either value counts (enum and
// low-cardinality columns) or the first distinct values in sorted order; and cross-tabulations of
// passages per kind and per party for every document.
//
// Generate is a pure function of its Input: rows may come in any order, no clock or environment is
// read, and equal input gives equal bytes. It reads each table of Input.Rows (a publish.Tables)
// once, row by row, and keeps per column only what it prints: null and empty counts, the range,
// the few smallest distinct values, value counts while a column has at most maxCounted distinct
// values (every value of an enum column), and the number of distinct values: exactly, as a set of
// integers or of 128-bit hashes (about 14 and 26 bytes a distinct value with the maps' overhead),
// up to exactDistinct values, then as a HyperLogLog estimate of 16 KB (see distinctSet), so no
// state grows with the rows. The cross-tabulations are counts per (kind, document) and (party,
// document).
//
// It does not read or write files, build or validate tables (rows are described as given; a cell
// of the wrong Go type is an error, a broken constraint is not), or decide the release layout
// beyond naming the files parquet/<table>.parquet, csv/<table>.csv and json/<table>.json.
package codebook
