// Package build wires the stages into one run: registry → extract → normalize → validate →
// publish. It works document by document and streams rows into the table writers and each
// document's byte accounting into accounting.json as the document is finished (documents are
// finished in registry order, which is id order), so memory does not grow with the corpus except
// for the validator's key sets (about 12 bytes a passage; see package validate), a summary per
// document, the corpus's lexicon of hyphenated words (copied out of the texts, which are
// not kept) and the findings. Everything goes into a staging folder that replaces the output
// folder only when every document was read and validation found no error. It owns no parsing,
// checking or file format of its own.
package build
