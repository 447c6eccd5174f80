// Package publish turns table rows into files and reads those files back.
//
// It owns:
//
//   - the physical layout of every published table, derived from the table schemas in
//     package schemas: an Arrow schema (ArrowSchema) and, from it, the Parquet file, plus
//     the CSV and JSON renderings of the same rows;
//   - writing those files as streams (Writer, TableWriter): rows are checked against the
//     schema's Go cell types, buffered into Arrow record batches of bounded size and written
//     as Parquet row groups, CSV records and JSON lines, so memory does not grow with the
//     number of rows; the bytes depend only on the rows and the schemas. Pages are compressed
//     with zstd by arrow-go's codec, registered again by this package with its encoders kept
//     between pages (keptZstd), so that garbage collections do not make them anew;
//   - putting a finished output folder in place atomically (Stage, Staging.Commit) and
//     writing small files atomically (WriteFileAtomic, WriteJSON); JSON too large to build in
//     memory is written as a stream of the same bytes (StreamJSON);
//   - reading the three formats back into canonical cells (ReadParquet, ReadCSV, ReadJSON),
//     the same Go types model.Row.Values returns, with errors that name file, row and column;
//     as streams with one batch in memory (ScanParquet, ScanCSV, ScanJSON), and from Parquet
//     only the columns asked for (ScanParquetColumns). A JSON file in the writer's own layout
//     (one row a line) is parsed a line at a time in one pass; any other layout, or the first
//     line that is not so, goes to encoding/json's tokenizer, which gives the same cells
//     (FuzzJSONLine) and the errors.
//
// It does not parse raw texts, decide which rows exist or in which order (callers sort), or
// apply validation rules such as patterns, enums, uniqueness or foreign keys: it only
// enforces what the file formats need: column count, Go types, no nulls in required columns,
// finite numbers, dates of years 1 to 9999, and the text rules below.
//
// Text must be valid UTF-8 without carriage returns (encoding/csv reads "\r\n" inside a quoted
// field back as "\n"), so that the three formats hold the same values.
//
// Canonical cells, by schema type, for a required / a nullable column:
//
//	string   string      / *string      (nil = null; a non-nil "" is refused: CSV cannot tell it from null)
//	integer  int64       / *int64
//	number   float64     / *float64     (finite values only)
//	date     model.Date  / *model.Date
//	array    []string    / []string     (nil = null; elements are never null)
package publish
