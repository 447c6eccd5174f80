// Package extract reads one registered raw text and finds its units: it checks the bytes (size,
// NUL bytes, encoding), decodes them, and runs the parser of the document's format. It returns a
// model.Extracted: the units with their byte spans in the raw file as stored, the structure and
// dropped spans, scores and covered parties, and what the text says of itself (title, date, note).
//
// It does not normalize text (the normalize stage does), assign ids, or write anything. Problems in a
// text are model.SourceError values with file, line and column, wrapped as model.ErrInput.
package extract
