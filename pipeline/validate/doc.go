// Package validate checks table rows against the schemas in schemas/ (types, required, enum,
// pattern, length, minimum, unique and primary keys, foreign keys) and against the dataset's own
// rules (one summary per party, quotes under a theme of the same party, no empty text or control
// characters, …). It collects every finding in a Report with stable rule ids and severities; its
// error return means only that it could not run. It reads and writes no files.
package validate
