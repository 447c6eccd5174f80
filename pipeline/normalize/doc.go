// Package normalize turns the units the extract stage found into table rows: it normalizes text
// (NFC, white space collapsed, enclosing quote marks removed, everything else as written), derives
// passage ids from content, sets flags, and counts passages per party. It reads no files and does
// not check the rows against the schema (the validate stage does).
package normalize
