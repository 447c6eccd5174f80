// Package validate checks table rows against the schemas in schemas/ (types, required, enum,
// pattern, length, minimum, unique and primary keys, foreign keys) and against the dataset's own
// rules (one summary per party, quotes under a theme of the same party, no empty text or control
// characters, …). It collects every finding in a Report with stable rule ids and severities; its
// error return means only that it could not run. It reads and writes no files.
//
// # Memory
//
// A Checker streams: what it keeps grows with the rows only in
//
//   - the key sets (keySet): the values seen of each table's primary key and of each unique
//     column, which the unique, primary-key and foreign-key checks look up. A value is kept in 8
//     or 16 bytes, never as its string: a value of 16 lowercase hex digits (a passage id) packed
//     into 8 bytes, one of up to 15 bytes as itself with its length, a longer one as 120 bits of
//     its SHA-256 (two long values would have to agree in those bits to be taken for one: for
//     ten million values a chance of about 4 in 10²³). The values sit in open-addressed tables
//     that grow a 256th at a time, by a quarter when four fifths full (10 to 12.5 bytes a packed
//     id, 20 to 25 a digest). BenchmarkKeySet measured 12.8 bytes per passage id at 236,618 ids
//     (the generated 100 MB corpus), 12.0 at 2²⁰ and 11.7 at 2,336,322 (1 GB), against 117 bytes
//     for the map of strings kept before (header, bytes, and the 64-digit hex string each id was
//     cut from): a 1 GB corpus's passages need about 27 MB instead of 274 MB. Composite and
//     long keys cost twice a packed id, but only the small tables have them.
//   - foreign-key references that do not resolve when their row is checked (a row read before
//     the row it names), until Report; in a build nearly every reference resolves at once.
//   - the findings (failed checks only, with the value cut to 80 characters).
//
// A finding still names its key and value in full: it is made from the row at hand.
package validate
