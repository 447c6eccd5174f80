// Package build wires the stages into one run: registry → extract → normalize → validate → publish.
// It works document by document and streams rows into the table writers, so memory does not grow
// with the corpus; everything goes into a staging folder that replaces the output folder only when
// every document was read and validation found no error. It owns no parsing, checking or file
// format of its own.
package build
