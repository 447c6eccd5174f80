// Package check validates a published output folder (a build or a release) from its files on
// disk: it re-reads every table in Parquet, CSV and JSON with the publish readers, feeds the rows
// to the validate stage's schema and dataset checks, and adds the checks that only make sense on
// files: every file present and readable, the three copies of each table holding the same rows,
// the Parquet metadata naming the table and schema version, passages grouped by document in
// document-id order, accounting.json covering every byte of every raw text, and, where the
// folder has them, SHA256SUMS and the sizes, hashes and row counts in datapackage.json.
//
// It streams, so that its memory does not grow with the passages:
//
//   - the three copies of a table are read in lockstep, one row of each at a time (each a step
//     ahead in a goroutine of its own); the first readable copy's row goes to the checker once,
//     and the others' rows are compared with it by primary key. Rows that do not line up wait in
//     a window of at most 1,024 rows; when more are unmatched at once the oldest is reported as
//     not found near its place. Of the rows that differ, the first 100 per copy are listed and
//     the rest counted. A copy that cannot be read is reported as that only, and the next copy
//     is checked from there on;
//   - the small tables (all but passages) are kept for the dataset rules; passages are held one
//     document at a time: a run of rows with the same document_id is checked (the dataset rules,
//     and with the sources the provenance against the raw text) and dropped. A run out of its
//     place (a document's passages that come again after another document's, or documents out
//     of id order) is a finding naming the file and row, and is not checked against the rules;
//   - accounting.json is decoded one document entry at a time, in document-id order like the
//     passages, and met with each document's run for the provenance check.
//
// What does grow with the rows is the checker's state in package validate (the key sets of the
// unique and foreign-key checks) and the findings.
//
// It owns no rules of its own about rows (those live in package validate) and writes nothing; it
// returns one validate.Report with every finding. Its error means only that the folder could not
// be checked at all (or that the context was cancelled).
package check
