package model

import (
	"fmt"
	"time"
)

// Format is the layout family of a source text; each has its own parser.
type Format string

// The formats the extract stage reads.
const (
	FormatPartySummaries   Format = "party-summaries"
	FormatScoreOverview    Format = "score-overview"
	FormatProgrammeChapter Format = "programme-chapter"
	FormatPledgeDocument   Format = "pledge-document"
	FormatProgrammeText    Format = "programme-text"
)

// Formats lists every known format.
var Formats = []Format{FormatPartySummaries, FormatScoreOverview, FormatProgrammeChapter, FormatPledgeDocument, FormatProgrammeText}

// Kind is what unit of the source a passage is.
type Kind string

// The passage kinds.
const (
	KindSummary Kind = "summary"
	KindTheme   Kind = "theme"
	KindQuote   Kind = "quote"
	KindBullet  Kind = "bullet"
	KindIntro   Kind = "intro"
	KindPoint   Kind = "point"
	KindPledge  Kind = "pledge"
	// KindParagraph is a prose paragraph of a programme text.
	KindParagraph Kind = "paragraph"
)

// Passage flags.
const (
	FlagElided       = "elided"
	FlagDehyphenated = "dehyphenated"
	FlagContinued    = "continued"
	FlagFragment     = "fragment"
	FlagStrayQuote   = "stray_quote_dropped"
	// FlagReadingOrder marks a unit that starts mid-sentence: the extracted text jumps here.
	FlagReadingOrder = "reading_order"
	// FlagUnclosedQuote marks a quote that opens with “ and never closes.
	FlagUnclosedQuote = "unclosed_quote"
)

// Date is a calendar date without time zone.
type Date struct{ Year, Month, Day int }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return Date{t.Year(), int(t.Month()), t.Day()}, nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// DaysSinceEpoch is the date as days since 1970-01-01 (Arrow date32).
func (d Date) DaysSinceEpoch() int32 {
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return int32(t.Unix() / 86400)
}

// DateFromDays is the inverse of DaysSinceEpoch.
func DateFromDays(days int32) Date {
	t := time.Unix(int64(days)*86400, 0).UTC()
	return Date{t.Year(), int(t.Month()), t.Day()}
}

// Party is a row of the parties table.
type Party struct {
	ID           string
	Abbreviation string
	Name         string
	Aliases      []string
	Members      []string // for a joint list: the party ids it is made of
}

// Election is a row of the elections table.
type Election struct {
	ID   string
	Name string
	Date Date
}

// Document is a row of the documents table.
type Document struct {
	ID         string
	Title      string
	Format     Format
	ElectionID string
	Topic      string
	Language   string
	Published  *Date
	Publisher  string
	SourceURL  string
	License    *string
	Note       string
	RawPath    string
	RawSHA256  string
	RawBytes   int64
	Encoding   string
}

// Passage is a row of the passages table.
type Passage struct {
	ID          string
	DocumentID  string
	PartyID     *string
	Kind        Kind
	Section     string
	Number      *int64
	ParentID    *string
	Seq         int64
	Text        string
	SourceStart int64
	SourceEnd   int64
	SourceLine  int64
	Flags       []string
	SectionPath []string
}

// Score is a row of the scores table.
type Score struct {
	DocumentID string
	PartyID    string
	Score      float64
	Question   string
}

// DocumentParty is a row of the document_parties table.
type DocumentParty struct {
	DocumentID string
	PartyID    string
	Passages   int64
	Note       string
}

// A Row is any table row. Values returns the row's cells in the column order of its table schema,
// as one of: string, *string, int64, *int64, float64, Date, *Date, []string.
type Row interface {
	Values() []any
}

// Values implements Row.
func (p Party) Values() []any {
	return []any{p.ID, p.Abbreviation, p.Name, nonNil(p.Aliases), nonNil(p.Members)}
}

// Values implements Row.
func (e Election) Values() []any { return []any{e.ID, e.Name, e.Date} }

// Values implements Row.
func (d Document) Values() []any {
	return []any{d.ID, d.Title, string(d.Format), d.ElectionID, d.Topic, d.Language, d.Published,
		Optional(d.Publisher), Optional(d.SourceURL), d.License, Optional(d.Note), d.RawPath, d.RawSHA256, d.RawBytes, d.Encoding}
}

// Values implements Row.
func (p Passage) Values() []any {
	return []any{p.ID, p.DocumentID, p.PartyID, string(p.Kind), Optional(p.Section), p.Number, p.ParentID, p.Seq,
		p.Text, p.SourceStart, p.SourceEnd, p.SourceLine, nonNil(p.Flags), nonNil(p.SectionPath)}
}

// Values implements Row.
func (s Score) Values() []any { return []any{s.DocumentID, s.PartyID, s.Score, s.Question} }

// Values implements Row.
func (d DocumentParty) Values() []any {
	return []any{d.DocumentID, d.PartyID, d.Passages, Optional(d.Note)}
}

// Optional is a text cell of a nullable column: null for the empty string, which the tables
// never hold (a CSV cannot tell it from null, and Frictionless reads it as missing).
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// deref is the inverse of Optional.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// MarshalText writes the date as YYYY-MM-DD (also in JSON).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
