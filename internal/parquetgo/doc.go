// Package parquetgo reads a published Parquet table with github.com/parquet-go/parquet-go, a
// reader independent of the Arrow library (arrow-go) that writes the files, into the canonical
// cells of package publish (see its package comment): string / *string, int64 / *int64, float64 /
// *float64, model.Date / *model.Date and []string (nil = null).
//
// It owns Read: checking the file's layout against a table schema (the top-level columns in
// schema order with the schema's names and nullability, one leaf per column, the three-level
// LIST structure for arrays, and each leaf's physical and logical type), and mapping the raw leaf
// values with their repetition and definition levels to cells by hand, so that a test or the
// conformance suite can compare its result with publish.ReadParquet cell for cell.
//
// It does not write Parquet, read CSV or JSON, or apply validation rules beyond what the layout
// needs (no patterns, enums, keys). It is for tests and conformance checks, not for the pipeline.
package parquetgo
