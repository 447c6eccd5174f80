package model

// Class is what a byte of a raw file is accounted as.
type Class string

// The accounting classes. Every byte of every raw file is in exactly one.
const (
	ClassPassage    Class = "passage"    // inside a passage's source stretch
	ClassStructure  Class = "structure"  // title, heading, score row, note, date, list marker, byte order mark
	ClassWhitespace Class = "whitespace" // white space between units
	ClassDropped    Class = "dropped"    // left out on purpose, with a reason (navigation, stray quote, …)
)

// Span is a stretch of a raw file with its accounting class. Start and End are byte offsets into the
// raw file as stored; Label names the structure or the reason for dropping.
type Span struct {
	Start, End int64
	Class      Class
	Label      string
}

// Unit is one source unit as the extract stage found it, before normalization. Text is the unit's
// text with the layout undone (lines joined, hyphenation repaired, list markers removed) but not yet
// normalized.
type Unit struct {
	Kind    Kind
	PartyID string // empty: no party
	Section string
	// SectionPath is the headings from the outermost to Section (programme texts); nil elsewhere.
	SectionPath []string
	Number      int64 // 0: not numbered
	Parent      int   // 1-based position of the parent unit in Extracted.Units; 0: none
	Text        string
	Start       int64 // byte offsets into the raw file as stored
	End         int64
	Line        int64
	Flags       []string
}

// Coverage is a party a document covers, with what the document says instead of passages.
type Coverage struct {
	PartyID string
	Note    string
}

// ScoreRow is a score as printed in a score overview.
type ScoreRow struct {
	PartyID string
	Score   float64
}

// Extracted is everything the extract stage found in one document.
type Extracted struct {
	Document Document // registry data plus what the text says of itself (title, date, note)
	Question string   // what the scores answer (score overview)
	Units    []Unit
	Scores   []ScoreRow
	Covered  []Coverage // parties the document covers, in order of first appearance
	Spans    []Span     // structure and dropped stretches; passages come from Units
	Headings int        // headings found (programme texts)
}

// Accounting says, for one raw file, how many bytes fall in each class, so nothing disappears
// silently.
type Accounting struct {
	DocumentID string           `json:"document_id"`
	RawPath    string           `json:"raw_path"`
	Bytes      int64            `json:"bytes"`
	Classes    map[Class]int64  `json:"classes"`
	Labels     map[string]int64 `json:"structure_and_dropped_by_label"`
	Dropped    []DroppedSpan    `json:"dropped"`
	Quality    *Quality         `json:"quality,omitempty"`
}

// Quality summarises, for one document, what a user of its passages should know about the text's
// state: units by kind, bytes dropped by reason and passages by flag. The build fills it in for
// every document; it is what to look at first for damaged PDF text.
type Quality struct {
	PassagesByKind map[Kind]int     `json:"passages_by_kind"`
	DroppedBytes   map[string]int64 `json:"dropped_bytes_by_reason"`
	Flags          map[string]int   `json:"passages_by_flag"`
	Headings       int              `json:"headings"`
}

// DroppedSpan is a stretch of a raw file left out on purpose.
type DroppedSpan struct {
	Start  int64  `json:"source_start"`
	End    int64  `json:"source_end"`
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
	Text   string `json:"text"`
}
