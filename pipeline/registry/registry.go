package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/standpunten/standpunten/pipeline/model"
)

// File names inside the raw folder.
const (
	SourcesFile   = "sources.toml"
	PartiesFile   = "parties.toml"
	ElectionsFile = "elections.toml"
)

// Encodings the pipeline decodes.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// Source is one [[document]] entry of sources.toml.
type Source struct {
	ID        string              `toml:"id"`
	File      string              `toml:"file"`
	Format    model.Format        `toml:"format"`
	Title     string              `toml:"title"`
	Election  string              `toml:"election"`
	Topic     string              `toml:"topic"`
	Language  string              `toml:"language"`
	Published string              `toml:"published"`
	Publisher string              `toml:"publisher"`
	SourceURL string              `toml:"source_url"`
	License   string              `toml:"license"`
	Encoding  string              `toml:"encoding"`
	Party     string              `toml:"party"`
	Drop      map[string][]string `toml:"drop"`

	// Markup (programme-text) is how the text is written: MarkupPDF (default) or MarkupMarkdown.
	Markup string `toml:"markup"`
	// Lines (programme-text) is the 1-based inclusive line range to read; nil reads every line.
	Lines []int `toml:"lines"`
	// LinesAt is where the lines key is in sources.toml (line, column), for messages.
	LinesAt [2]int `toml:"-"`
	// Furniture (programme-text) are extra RE2 patterns of page furniture for this source.
	Furniture []string `toml:"furniture"`
	// FurnitureRE holds Furniture compiled (set by Load).
	FurnitureRE []*regexp.Regexp `toml:"-"`

	// Path is the file's path on disk (the raw folder joined with File).
	Path string `toml:"-"`
	// Line is where the entry starts in sources.toml.
	Line int `toml:"-"`
}

// Markups of a programme text.
const (
	MarkupPDF      = "pdf"
	MarkupMarkdown = "markdown"
)

// Registry is the loaded, checked content of the registry files.
type Registry struct {
	Dir       string // the raw folder
	Sources   []Source
	Parties   []model.Party
	Elections []model.Election
	Matcher   *Matcher
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads and checks the registry files in dir. Errors wrap model.ErrConfig.
func Load(dir string) (*Registry, error) {
	r := &Registry{Dir: dir}
	if err := r.loadParties(); err != nil {
		return nil, model.Classified(model.ErrConfig, err)
	}
	if err := r.loadElections(); err != nil {
		return nil, model.Classified(model.ErrConfig, err)
	}
	if err := r.loadSources(); err != nil {
		return nil, model.Classified(model.ErrConfig, err)
	}
	return r, nil
}

// decodeStrict decodes a TOML file into v, rejecting syntax errors and unknown keys with positions.
func decodeStrict(path string, v any, known []string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return &model.SourceError{File: path, Msg: "not a regular file (a FIFO, device, socket or folder)",
			Hint: "the registry files must be plain text files"}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return &model.SourceError{File: path, Msg: fmt.Sprintf("cannot read: %v", unwrapPathErr(err)),
			Hint: "create the file or pass the right folder with --raw"}
	}
	md, err := toml.Decode(string(b), v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return &model.SourceError{File: path, Line: pe.Position.Line, Col: pe.Position.Col,
				Msg: "TOML syntax error: " + pe.Message, Hint: "fix the syntax at this place"}
		}
		return &model.SourceError{File: path, Msg: err.Error(), Hint: "check the value types against the comments at the top of the file"}
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0]
		last := key[len(key)-1]
		line, col := findKey(string(b), last)
		hint := "remove it or correct its spelling"
		if s := closest(last, known); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		return &model.SourceError{File: path, Line: line, Col: col,
			Msg: fmt.Sprintf("unknown key %q", key.String()), Hint: hint}
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// findKey finds the first line that assigns key, for error positions.
func findKey(text, key string) (int, int) {
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(t, key) {
			rest := strings.TrimLeft(t[len(key):], " \t")
			if strings.HasPrefix(rest, "=") {
				return i + 1, len(line) - len(t) + 1
			}
		}
	}
	return 0, 0
}

// findValue finds the n-th (1-based) line where key is assigned the string value, for error positions.
func findValue(text, key, value string, n int) (int, int) {
	re := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=\s*"` + regexp.QuoteMeta(value) + `"`)
	for i, line := range strings.Split(text, "\n") {
		if re.MatchString(line) {
			n--
			if n == 0 {
				return i + 1, len(line) - len(strings.TrimLeft(line, " \t")) + 1
			}
		}
	}
	return 0, 0
}

// findAlias finds alias as a quoted string in the aliases array of the party-th (0-based) [[party]]
// table, for error positions; the column counts characters. It falls back to that table's aliases
// key, then its header, and returns 0, 0 when the table is not found.
func findAlias(text string, party int, alias string) (int, int) {
	quoted := []string{strconv.Quote(alias), "'" + alias + "'"}
	block, inArray := -1, false
	keyLine, keyCol, headLine := 0, 0, 0
	for i, line := range strings.Split(text, "\n") {
		t := strings.TrimLeft(line, " \t")
		indent := len(line) - len(t)
		if strings.HasPrefix(t, "[") {
			if block == party {
				break // the next table starts
			}
			if isPartyHeader(t) {
				block++
				if block == party {
					headLine = i + 1
				}
			}
			continue
		}
		if block != party {
			continue
		}
		from := 0
		if !inArray {
			if !strings.HasPrefix(t, "aliases") || !strings.HasPrefix(strings.TrimLeft(t[len("aliases"):], " \t"), "=") {
				continue
			}
			keyLine, keyCol = i+1, indent+1
			inArray = true
			from = indent + strings.Index(t, "=") + 1
		}
		rest := line[from:]
		if k := strings.Index(rest, "#"); k >= 0 {
			rest = rest[:k] // a comment; aliases with # are rare enough to miss here
		}
		for _, q := range quoted {
			if k := strings.Index(rest, q); k >= 0 {
				return i + 1, 1 + utf8.RuneCountInString(line[:from+k])
			}
		}
		if strings.Contains(rest, "]") {
			inArray = false
		}
	}
	if keyLine > 0 {
		return keyLine, keyCol
	}
	if headLine > 0 {
		return headLine, 1
	}
	return 0, 0
}

// isPartyHeader reports whether a line (without its indentation) is the header of a [[party]] table.
func isPartyHeader(t string) bool {
	if k := strings.Index(t, "#"); k >= 0 {
		t = t[:k]
	}
	t = strings.NewReplacer(" ", "", "\t", "", "\r", "").Replace(t)
	return t == "[[party]]"
}

func (r *Registry) loadParties() error {
	path := filepath.Join(r.Dir, PartiesFile)
	var f struct {
		Party []struct {
			ID           string   `toml:"id"`
			Abbreviation string   `toml:"abbreviation"`
			Name         string   `toml:"name"`
			Aliases      []string `toml:"aliases"`
			Members      []string `toml:"members"`
		} `toml:"party"`
	}
	if err := decodeStrict(path, &f, []string{"party", "id", "abbreviation", "name", "aliases", "members"}); err != nil {
		return err
	}
	text, _ := os.ReadFile(path)
	seen := map[string]bool{}
	aliasOwner := map[string]string{}
	for i, p := range f.Party {
		if !slugRE.MatchString(p.ID) {
			l, c := findValue(string(text), "id", p.ID, 1)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("party id %q is not a lower-case slug", p.ID), Hint: "use letters, digits and single hyphens"}
		}
		if seen[p.ID] {
			l, c := findValue(string(text), "id", p.ID, 2)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("duplicate party id %q", p.ID), Hint: "give every party its own id"}
		}
		seen[p.ID] = true
		if p.Abbreviation == "" || p.Name == "" || len(p.Aliases) == 0 {
			l, c := findValue(string(text), "id", p.ID, 1)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("party %q needs abbreviation, name and at least one alias", p.ID)}
		}
		for _, a := range p.Aliases {
			if strings.TrimSpace(a) == "" {
				l, c := findAlias(string(text), i, a)
				return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("party %q has an empty alias %q", p.ID, a),
					Hint: "remove it: an empty alias would match everywhere, or nowhere"}
			}
			if o, ok := aliasOwner[a]; ok && o != p.ID {
				l, c := findAlias(string(text), i, a)
				return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("alias %q belongs to both %q and %q", a, o, p.ID),
					Hint: "an alias must name one party: keep it in the aliases of only one of them"}
			}
			aliasOwner[a] = p.ID
		}
		r.Parties = append(r.Parties, model.Party{ID: p.ID, Abbreviation: p.Abbreviation, Name: p.Name, Aliases: p.Aliases, Members: p.Members})
	}
	if len(r.Parties) == 0 {
		return &model.SourceError{File: path, Msg: "no [[party]] entries", Hint: "list the parties the texts name"}
	}
	for _, p := range r.Parties {
		for _, m := range p.Members {
			if !seen[m] || m == p.ID {
				l, c := findValue(string(text), "id", p.ID, 1)
				return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("party %q lists member %q, which is not another party of this file", p.ID, m),
					Hint: "members are the ids of the parties a joint list is made of; add the member party or correct the id"}
			}
		}
	}
	sort.Slice(r.Parties, func(i, j int) bool { return r.Parties[i].ID < r.Parties[j].ID })
	r.Matcher = NewMatcher(r.Parties)
	return nil
}

func (r *Registry) loadElections() error {
	path := filepath.Join(r.Dir, ElectionsFile)
	var f struct {
		Election []struct {
			ID   string    `toml:"id"`
			Name string    `toml:"name"`
			Date time.Time `toml:"date"`
		} `toml:"election"`
	}
	if err := decodeStrict(path, &f, []string{"election", "id", "name", "date"}); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, e := range f.Election {
		if e.ID == "" || e.Name == "" || e.Date.IsZero() {
			return &model.SourceError{File: path, Msg: fmt.Sprintf("election %q needs id, name and date", e.ID)}
		}
		if seen[e.ID] {
			text, _ := os.ReadFile(path)
			l, c := findValue(string(text), "id", e.ID, 2)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("duplicate election id %q", e.ID),
				Hint: "give every election its own id, or remove the second entry if it repeats the first"}
		}
		seen[e.ID] = true
		r.Elections = append(r.Elections, model.Election{ID: e.ID, Name: e.Name,
			Date: model.Date{Year: e.Date.Year(), Month: int(e.Date.Month()), Day: e.Date.Day()}})
	}
	sort.Slice(r.Elections, func(i, j int) bool { return r.Elections[i].ID < r.Elections[j].ID })
	return nil
}

var sourceKeys = []string{"document", "id", "file", "format", "title", "election", "topic", "language",
	"published", "publisher", "source_url", "license", "encoding", "party", "drop", "markup", "lines", "furniture"}

func (r *Registry) loadSources() error {
	path := filepath.Join(r.Dir, SourcesFile)
	var f struct {
		Document []Source `toml:"document"`
	}
	if err := decodeStrict(path, &f, sourceKeys); err != nil {
		return err
	}
	b, _ := os.ReadFile(path)
	text := string(b)
	seen := map[string]bool{}
	elections := map[string]bool{}
	for _, e := range r.Elections {
		elections[e.ID] = true
	}
	for i := range f.Document {
		s := &f.Document[i]
		s.Line, _ = findValue(text, "id", s.ID, 1)
		at := func(key, value string, n int, msg, hint string) error {
			l, c := findValue(text, key, value, n)
			if l == 0 {
				l, c = s.Line, 1
			}
			return &model.SourceError{File: path, Line: l, Col: c, Msg: msg, Hint: hint}
		}
		if s.ID == "" {
			return &model.SourceError{File: path, Msg: fmt.Sprintf("document entry %d has no id", i+1), Hint: "add id = \"a-lower-case-slug\""}
		}
		if !slugRE.MatchString(s.ID) {
			return at("id", s.ID, 1, fmt.Sprintf("document id %q is not a lower-case slug", s.ID), "use letters, digits and single hyphens")
		}
		if seen[s.ID] {
			return at("id", s.ID, 2, fmt.Sprintf("duplicate document id %q", s.ID), "give every document its own id")
		}
		seen[s.ID] = true
		for _, req := range []struct{ key, val string }{{"file", s.File}, {"format", string(s.Format)}, {"election", s.Election}, {"topic", s.Topic}, {"language", s.Language}} {
			if req.val == "" {
				return &model.SourceError{File: path, Line: s.Line, Col: 1, Msg: fmt.Sprintf("document %q has no %s", s.ID, req.key), Hint: "add the key to the entry; the comment at the top of the file lists the keys"}
			}
		}
		if !knownFormat(s.Format) {
			hint := fmt.Sprintf("use one of %s", formatList())
			if c := closest(string(s.Format), formatStrings()); c != "" {
				hint = fmt.Sprintf("did you mean %q? known formats: %s", c, formatList())
			}
			return at("format", string(s.Format), 1, fmt.Sprintf("unknown format %q", s.Format), hint)
		}
		if !elections[s.Election] {
			return at("election", s.Election, 1, fmt.Sprintf("unknown election %q", s.Election), "add it to elections.toml or use one listed there")
		}
		if s.Party != "" && r.Matcher.PartyByID(s.Party) == nil {
			return at("party", s.Party, 1, fmt.Sprintf("unknown party %q", s.Party), "use a party id from parties.toml")
		}
		if s.Format == model.FormatProgrammeChapter && s.Party == "" {
			return &model.SourceError{File: path, Line: s.Line, Col: 1, Msg: fmt.Sprintf("document %q of format %s needs party", s.ID, s.Format), Hint: "add party = \"<party id>\""}
		}
		if s.Published != "" {
			if _, err := model.ParseDate(s.Published); err != nil {
				return at("published", s.Published, 1, err.Error(), "write the date as YYYY-MM-DD in quotes")
			}
		}
		switch s.Encoding {
		case "":
			s.Encoding = EncodingUTF8
		case EncodingUTF8, EncodingWindows1252:
		default:
			return at("encoding", s.Encoding, 1, fmt.Sprintf("unknown encoding %q", s.Encoding), "use utf-8 or windows-1252")
		}
		if err := checkProgrammeKeys(s, text, path); err != nil {
			return err
		}
		p, err := r.resolveFile(s.File)
		if err != nil {
			return at("file", s.File, 1, err.Error(), "keep the text inside the raw folder and give its path relative to it")
		}
		s.Path = p
	}
	if len(f.Document) == 0 {
		return &model.SourceError{File: path, Msg: "no [[document]] entries", Hint: "register the texts to build"}
	}
	sort.Slice(f.Document, func(i, j int) bool { return f.Document[i].ID < f.Document[j].ID })
	r.Sources = f.Document
	return nil
}

// resolveFile checks that file names a path inside the raw folder, also after following symlinks.
func (r *Registry) resolveFile(file string) (string, error) {
	if filepath.IsAbs(file) || strings.HasPrefix(file, "/") {
		return "", fmt.Errorf("file %q is an absolute path", file)
	}
	clean := filepath.Clean(filepath.FromSlash(file))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("file %q leaves the raw folder", file)
	}
	p := filepath.Join(r.Dir, clean)
	root, err := filepath.EvalSymlinks(r.Dir)
	if err != nil {
		return "", fmt.Errorf("raw folder: %v", unwrapPathErr(err))
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		// A missing file is reported by the extract stage with the file's own name.
		return p, nil
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("file %q is a symlink that leads out of the raw folder (to %s)", file, real)
	}
	return p, nil
}

func knownFormat(f model.Format) bool {
	for _, k := range model.Formats {
		if k == f {
			return true
		}
	}
	return false
}

func formatStrings() []string {
	var s []string
	for _, f := range model.Formats {
		s = append(s, string(f))
	}
	return s
}

func formatList() string { return strings.Join(formatStrings(), ", ") }

// closest returns the candidate with the smallest edit distance to s, if it is close enough.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := Distance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

// Distance is the Levenshtein distance between two strings, counted in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// checkProgrammeKeys checks the keys only a programme text has: markup, lines and furniture.
func checkProgrammeKeys(s *Source, text, path string) error {
	if s.Format != model.FormatProgrammeText {
		for key, set := range map[string]bool{"markup": s.Markup != "", "lines": s.Lines != nil, "furniture": s.Furniture != nil} {
			if set {
				l, c := findKeyAfter(text, key, s.Line)
				return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("document %q: %s is a key of format %s only", s.ID, key, model.FormatProgrammeText),
					Hint: "remove the key, or register the text as format = \"programme-text\""}
			}
		}
		return nil
	}
	switch s.Markup {
	case "":
		s.Markup = MarkupPDF
	case MarkupPDF, MarkupMarkdown:
	default:
		l, c := findValue(text, "markup", s.Markup, 1)
		return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("unknown markup %q", s.Markup),
			Hint: fmt.Sprintf("use %q (text extracted from a PDF) or %q", MarkupPDF, MarkupMarkdown)}
	}
	if s.Lines != nil {
		l, c := findKeyAfter(text, "lines", s.Line)
		s.LinesAt = [2]int{l, c}
		if len(s.Lines) != 2 {
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("lines must be [from, to], got %d numbers", len(s.Lines)),
				Hint: "give the first and the last line to read, both counted from 1, e.g. lines = [120, 310]"}
		}
		if s.Lines[0] < 1 || s.Lines[1] < s.Lines[0] {
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("lines = [%d, %d] is not a range of lines", s.Lines[0], s.Lines[1]),
				Hint: "lines are counted from 1 and the first may not come after the last"}
		}
	}
	for _, pat := range s.Furniture {
		re, err := regexp.Compile(pat)
		if err != nil {
			l, c := findKeyAfter(text, "furniture", s.Line)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("furniture pattern %q is not a valid regular expression: %v", pat, err),
				Hint: "write Go RE2 syntax (no look-around); in a TOML literal string '...' backslashes need no escaping"}
		}
		if re.MatchString("") {
			l, c := findKeyAfter(text, "furniture", s.Line)
			return &model.SourceError{File: path, Line: l, Col: c, Msg: fmt.Sprintf("furniture pattern %q matches the empty string", pat),
				Hint: "a pattern must match at least one character of furniture"}
		}
		s.FurnitureRE = append(s.FurnitureRE, re)
	}
	return nil
}

// findKeyAfter finds the first line at or after line from (1-based) that assigns key.
func findKeyAfter(text, key string, from int) (int, int) {
	lines := strings.Split(text, "\n")
	for i := max(from-1, 0); i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " \t")
		if strings.HasPrefix(t, key) && strings.HasPrefix(strings.TrimLeft(t[len(key):], " \t"), "=") {
			return i + 1, len(lines[i]) - len(t) + 1
		}
	}
	return from, 1
}
