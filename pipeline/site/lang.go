package site

import (
	"strconv"
	"strings"
)

// lang is one language of the pages: its code, its words and how it writes numbers.
type lang struct {
	Code      string // BCP 47: nl, en
	File      string // the page's file name in a release folder
	SwitchTo  string // the other language's name, in that language
	thousands string
	decimal   string

	L labels
}

// labels are the fixed texts of the pages. Texts from the data (titles, descriptions, passages,
// changelog sentences) are not translated; where their language differs from the page's, the
// element carries its own lang attribute.
type labels struct {
	Skip, Contents, Release, PageTitle                                   string
	Summary, Changes, Charts, Browser, Downloads, Tables                 string
	Version, Date, Licence, Cite, Validation, Counts, Table, Rows        string
	ValidationPassed, ValidationFailed, ChecksRun, Errors, Warnings      string
	Documents, Parties, Elections, Passages, Scores, Coverage            string
	PassagesByKind, Kind, Count, Publisher, DatasetFiles, AllReleases    string
	FirstRelease, Level, LevelAfter, NoChanges, Notes                    string
	DocsAdded, DocsChanged, DocsRemoved, SchemaChanges, RowChanges       string
	Before, After, Added, Removed, Modified, Moved, SeeChangesJSON       string
	HeatTitle, HeatDesc, HeatLegend, NoParty, CoveredNone, SameNumbers   string
	ScoresTitle, ScoresDesc, Score, BulletsOf, ScoreScale, Question      string
	CovTitle, CovDesc, CovWith, CovWithout, CovNotCovered, CovNoParties  string
	CovParties, Note, Election, Document, Party                          string
	File, Format, Size, Example, FromFolder, Metadata                    string
	Column, Type, Required, Nullable, Constraints, Description, Key      string
	ForeignKeys, InEnglish, RowsInRelease                                string
	FilterParty, FilterElection, FilterDocument, FilterKind, Search, All string
	NoJS, Shown, ShowAll, NoMatch, Section, Flags, Source, Line, Reset   string
	PassagesOf, OpenPage, Unique, OneOf, Pattern, MinLength, Minimum     string
	IndexTitle, IndexIntro, NoPage, Yes, No, Bytes                       string
	BrowserCapped, ListCapped                                            string // "%s" the passages shown, "%s" the passages there are
	HeatCapped, CovCapped, ScoresCapped                                  string // "%s" the documents shown, "%s" the documents there are
	Kinds, FlagNames                                                     map[string]string
}

var langNL = &lang{Code: "nl", File: "index.html", SwitchTo: "Nederlands", thousands: ".", decimal: ",", L: labels{
	Skip: "Naar de inhoud", Contents: "Inhoud", Release: "Release", PageTitle: "release",
	Summary: "Samenvatting", Changes: "Wat is er veranderd", Charts: "Grafieken", Browser: "Passages doorzoeken",
	Downloads: "Downloads", Tables: "Tabellen en kolommen",
	Version: "Versie", Date: "Datum", Licence: "Licentie", Cite: "Zo citeert u deze release", Validation: "Validatie",
	Counts: "Aantallen", Table: "Tabel", Rows: "Rijen",
	ValidationPassed: "geslaagd", ValidationFailed: "mislukt", ChecksRun: "controles", Errors: "fouten", Warnings: "waarschuwingen",
	Documents: "Documenten", Parties: "Partijen", Elections: "Verkiezingen", Passages: "Passages", Scores: "Scores",
	Coverage:       "Dekking (document_parties)",
	PassagesByKind: "Passages per soort", Kind: "Soort", Count: "Aantal", Publisher: "Uitgever",
	DatasetFiles: "Bestanden van deze release", AllReleases: "Alle releases",
	FirstRelease: "Eerste release.", Level: "Een %s-release", LevelAfter: "na %s, omdat:", NoChanges: "Geen wijzigingen in de gegevens of de schema's.",
	Notes:     "Toelichting",
	DocsAdded: "Documenten toegevoegd", DocsChanged: "Documenten met gewijzigde brontekst", DocsRemoved: "Documenten verwijderd",
	SchemaChanges: "Schemawijzigingen", RowChanges: "Rijen per tabel",
	Before: "voor", After: "na", Added: "toegevoegd", Removed: "verwijderd", Modified: "gewijzigd", Moved: "verplaatst",
	SeeChangesJSON: "Alle sleutels en gewijzigde cellen staan in",
	HeatTitle:      "Passages per partij per document",
	HeatDesc:       "Heatmap: een rij per document (gegroepeerd per verkiezing), een kolom per partij; elke cel toont het aantal passages van die partij in dat document. Een cel met 0 en een rand: de partij is gedekt, maar zonder relevante punten.",
	HeatLegend:     "Aantal passages", NoParty: "zonder partij", CoveredNone: "gedekt, geen relevante punten",
	SameNumbers: "Dezelfde getallen als tabel",
	ScoresTitle: "Big Tech-scores", ScoresDesc: "Staafdiagram van de score per partij, zoals gedrukt in de bron; elke staaf linkt naar de punten van die partij.",
	Score: "Score", BulletsOf: "Punten van %s", ScoreScale: "De bron noemt geen schaal; de scores staan hier zoals gedrukt.", Question: "Vraag",
	CovTitle: "Dekking per verkiezing", CovDesc: "Per document van deze verkiezing welke partijen het behandelt: een gevulde cirkel met het aantal passages, een open cirkel als het document de partij noemt zonder relevante punten.",
	CovWith: "behandeld, met passages", CovWithout: "behandeld, geen relevante punten", CovNotCovered: "niet behandeld",
	CovNoParties: "Geen partijdekking vastgelegd (passages zonder partij: %s).",
	CovParties:   "Partijen", Note: "Opmerking", Election: "Verkiezing", Document: "Document", Party: "Partij",
	File: "Bestand", Format: "Formaat", Size: "Grootte", Example: "Voorbeeld", FromFolder: "Voorbeelden lezen de bestanden vanuit de map van deze release (DuckDB of Python met pandas).",
	Metadata: "metadata",
	Column:   "Kolom", Type: "Type", Required: "verplicht", Nullable: "mag leeg (null)", Constraints: "Beperkingen", Description: "Beschrijving",
	Key: "Primaire sleutel", ForeignKeys: "Verwijzingen", InEnglish: "De beschrijvingen zijn in het Engels, zoals in de schema's en het codeboek.",
	RowsInRelease: "rijen in deze release",
	FilterParty:   "Partij", FilterElection: "Verkiezing", FilterDocument: "Document", FilterKind: "Soort", Search: "Zoek in de tekst", All: "alle",
	NoJS:  "Het doorzoeken van de passages werkt met JavaScript. Zonder JavaScript staan alle passages in de downloads hieronder (passages.csv, passages.json, passages.parquet).",
	Shown: "%s van %s passages", ShowAll: "Toon alle %s", NoMatch: "Geen passages gevonden.",
	Section: "Kop", Flags: "Kenmerken", Source: "Bron", Line: "regel", Reset: "Wis filters",
	PassagesOf: "passages", OpenPage: "Open de pagina", Unique: "uniek", OneOf: "een van", Pattern: "patroon", MinLength: "lengte ≥", Minimum: "≥",
	IndexTitle: "Alle releases", IndexIntro: "Elke release is een vaste, geteste map met de tabellen, de metadata en een eigen pagina.",
	NoPage: "Deze release heeft nog geen pagina; zie RELEASE.md.", Yes: "ja", No: "nee", Bytes: "bytes",
	BrowserCapped: "Deze pagina bevat de eerste %s van de %s passages (op volgorde van verkiezing, document en plaats in het document). Alle passages staan in de tabellen om te downloaden:",
	ListCapped:    "Hier staan de eerste %s van de %s passages van deze partij in dit document. Alle passages staan in de tabellen om te downloaden:",
	HeatCapped:    "De heatmap en de tabel met dezelfde getallen tonen de eerste %s van de %s documenten (op volgorde van verkiezing en document). Alle documenten en aantallen staan in de tabellen om te downloaden:",
	CovCapped:     "Deze grafiek en de tabel met dezelfde getallen tonen de eerste %s van de %s documenten van deze verkiezing. Alle documenten en hun dekking staan in de tabellen om te downloaden:",
	ScoresCapped:  "Hierboven staan de Big Tech-scores van de eerste %s van de %s documenten met scores (op volgorde van verkiezing en document). Alle scores en passages staan in de tabellen om te downloaden:",
	Kinds: map[string]string{"summary": "samenvatting", "theme": "thema", "quote": "citaat", "bullet": "opsommingspunt",
		"intro": "inleiding", "point": "punt", "pledge": "belofte", "paragraph": "alinea"},
	FlagNames: map[string]string{"elided": "ingekort citaat", "dehyphenated": "afbreekstreepje verwijderd",
		"continued": "doorlopend na witregel", "fragment": "breekt af midden in een zin", "stray_quote_dropped": "los aanhalingsteken weggelaten",
		"reading_order": "begint midden in een zin (leesvolgorde)", "unclosed_quote": "citaat niet gesloten"},
}}

var langEN = &lang{Code: "en", File: "index.en.html", SwitchTo: "English", thousands: ",", decimal: ".", L: labels{
	Skip: "Skip to content", Contents: "Contents", Release: "Release", PageTitle: "release",
	Summary: "Summary", Changes: "What changed", Charts: "Charts", Browser: "Browse the passages",
	Downloads: "Downloads", Tables: "Tables and columns",
	Version: "Version", Date: "Date", Licence: "Licence", Cite: "How to cite this release", Validation: "Validation",
	Counts: "Counts", Table: "Table", Rows: "Rows",
	ValidationPassed: "passed", ValidationFailed: "failed", ChecksRun: "checks", Errors: "errors", Warnings: "warnings",
	Documents: "Documents", Parties: "Parties", Elections: "Elections", Passages: "Passages", Scores: "Scores",
	Coverage:       "Coverage (document_parties)",
	PassagesByKind: "Passages by kind", Kind: "Kind", Count: "Count", Publisher: "Publisher",
	DatasetFiles: "Files of this release", AllReleases: "All releases",
	FirstRelease: "First release.", Level: "A %s release", LevelAfter: "after %s because:", NoChanges: "No changes to the data or the schemas.",
	Notes:     "Notes",
	DocsAdded: "Documents added", DocsChanged: "Documents whose source text changed", DocsRemoved: "Documents removed",
	SchemaChanges: "Schema changes", RowChanges: "Rows per table",
	Before: "before", After: "after", Added: "added", Removed: "removed", Modified: "modified", Moved: "moved",
	SeeChangesJSON: "Every key and modified cell is in",
	HeatTitle:      "Passages per party per document",
	HeatDesc:       "Heat map: one row per document (grouped by election), one column per party; each cell shows how many passages of that party the document holds. A cell with 0 and an outline: the party is covered, but with no relevant points.",
	HeatLegend:     "Passages", NoParty: "no party", CoveredNone: "covered, no relevant points",
	SameNumbers: "The same numbers as a table",
	ScoresTitle: "Big Tech scores", ScoresDesc: "Bar chart of each party's score as printed in the source; each bar links to that party's bullets.",
	Score: "Score", BulletsOf: "Bullets of %s", ScoreScale: "The source states no scale; the scores are shown as printed.", Question: "Question",
	CovTitle: "Coverage per election", CovDesc: "For each document of this election, which parties it covers: a filled circle with the number of passages, an open circle where the document names the party with no relevant points.",
	CovWith: "covered, with passages", CovWithout: "covered, no relevant points", CovNotCovered: "not covered",
	CovNoParties: "No party coverage recorded (passages without a party: %s).",
	CovParties:   "Parties", Note: "Note", Election: "Election", Document: "Document", Party: "Party",
	File: "File", Format: "Format", Size: "Size", Example: "Example", FromFolder: "The examples read the files from this release's folder (DuckDB, or Python with pandas).",
	Metadata: "metadata",
	Column:   "Column", Type: "Type", Required: "required", Nullable: "nullable", Constraints: "Constraints", Description: "Description",
	Key: "Primary key", ForeignKeys: "References", InEnglish: "",
	RowsInRelease: "rows in this release",
	FilterParty:   "Party", FilterElection: "Election", FilterDocument: "Document", FilterKind: "Kind", Search: "Search the text", All: "all",
	NoJS:  "Browsing the passages needs JavaScript. Without it, every passage is in the downloads below (passages.csv, passages.json, passages.parquet).",
	Shown: "%s of %s passages", ShowAll: "Show all %s", NoMatch: "No passages found.",
	Section: "Heading", Flags: "Flags", Source: "Source", Line: "line", Reset: "Clear filters",
	PassagesOf: "passages", OpenPage: "Open the page", Unique: "unique", OneOf: "one of", Pattern: "pattern", MinLength: "length ≥", Minimum: "≥",
	IndexTitle: "All releases", IndexIntro: "Each release is a fixed, tested folder with the tables, the metadata and a page of its own.",
	NoPage: "This release has no page yet; see RELEASE.md.", Yes: "yes", No: "no", Bytes: "bytes",
	BrowserCapped: "This page holds the first %s of the %s passages (by election, document and place in the document). Every passage is in the downloadable tables:",
	ListCapped:    "Shown here: the first %s of the %s passages of this party in this document. Every passage is in the downloadable tables:",
	HeatCapped:    "The heat map and its table show the first %s of the %s documents (by election and document). Every document and count is in the downloadable tables:",
	CovCapped:     "This chart and its table show the first %s of the %s documents of this election. Every document and its coverage is in the downloadable tables:",
	ScoresCapped:  "Above are the Big Tech scores of the first %s of the %s documents with scores (by election and document). Every score and passage is in the downloadable tables:",
	Kinds: map[string]string{"summary": "summary", "theme": "theme", "quote": "quote", "bullet": "bullet",
		"intro": "intro", "point": "point", "pledge": "pledge", "paragraph": "paragraph"},
	FlagNames: map[string]string{"elided": "quote leaves text out", "dehyphenated": "line-end hyphen removed",
		"continued": "went on after a blank line", "fragment": "ends mid-sentence", "stray_quote_dropped": "stray quote mark dropped",
		"reading_order": "starts mid-sentence (reading order)", "unclosed_quote": "quote never closes"},
}}

// languages are the pages of a release, in the order they are listed.
var languages = []*lang{langNL, langEN}

// other is the language the page's switch link leads to.
func (l *lang) other() *lang {
	if l == langNL {
		return langEN
	}
	return langNL
}

// Int writes n with the language's thousands separator.
func (l *lang) Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(l.thousands)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Num writes a number as printed (shortest form), with the language's decimal mark.
func (l *lang) Num(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", l.decimal, 1)
}

// Size writes a byte count for people: bytes below 1000, else kB or MB with one decimal.
func (l *lang) Size(n int64) string {
	switch {
	case n < 1000:
		return l.Int(n) + " " + l.L.Bytes
	case n < 1000*1000:
		return l.Num(float64(n/100)/10) + " kB"
	default:
		return l.Num(float64(n/100000)/10) + " MB"
	}
}

func (l *lang) kind(k string) string {
	if s, ok := l.L.Kinds[k]; ok {
		return s
	}
	return k
}
