// Package gencorpus writes synthetic raw folders for benchmarks and tests at scale: sources.toml,
// the project's own parties.toml, elections.toml and dataset.toml (copies in data/), and texts in
// the five layouts the extract stage reads (party summaries, score overview, programme chapter,
// pledge document, programme text as PDF text or Markdown), as many documents as a target size
// asks for. Write(dir, Options) is the entry point; the same Options write the same bytes, whatever
// the number of workers: the plan (which document, which format, election, party, topic and size)
// comes from one seeded PCG stream, and each document's text from a stream of its own.
//
// The texts are random but shaped like the real ones, so that parsers, dictionaries and compression
// see realistic input: words and word order are drawn from data/vocab.txt, the words of the texts
// in raw/ with how often each follows another (a bigram model that backs off to single words, so
// sentences are new rather than replayed), derived by TestVocabulary -update and embedded, so the
// generator needs no files at run time and a corpus does not change when raw/ does until the
// vocabulary is derived again. Words that would change the structure by chance are left out of it:
// party names (they open a party's block in summaries), page-furniture words, digits, capitals
// inside words. The layouts keep what their parsers rely on and vary the rest: party names from
// parties.toml with their aliases, markers, headings, numbering, line widths, words hyphenated at
// line ends, running headers, footers and page numbers between pages, a table of contents selected
// away with lines = [from, to], registry furniture patterns, web-page chrome in drop lists, CRLF,
// a byte order mark, windows-1252. Stats.Passages says how many passages the generator wrote; the
// build finds exactly that many in every format but programme-text, whose parser judges paragraph
// ends by the look of the lines (within a few per cent there).
//
// Edit makes a one-word correction in one text of a written corpus (for a release that changes
// one passage), LinkCopy copies a corpus with hard links. The package does not run the pipeline
// (tools/benchscale does) and says nothing true about any party: the texts are noise in the
// parties' names.
package gencorpus
