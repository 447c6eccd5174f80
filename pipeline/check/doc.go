// Package check validates a published output folder (a build or a release) from its files on
// disk: it re-reads every table in Parquet, CSV and JSON with the publish readers, feeds the rows
// to the validate stage's schema and dataset checks, and adds the checks that only make sense on
// files: every file present and readable, the three copies of each table holding the same rows,
// the Parquet metadata naming the table and schema version, accounting.json covering every byte of
// every raw text, and, where the folder has them, SHA256SUMS and the sizes, hashes and row counts
// in datapackage.json.
//
// It owns no rules of its own about rows (those live in package validate) and writes nothing; it
// returns one validate.Report with every finding. Its error means only that the folder could not
// be checked at all.
package check
