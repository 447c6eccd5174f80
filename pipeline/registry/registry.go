package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

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
	// Line is the line of the entry's id key in sources.toml (of its [[document]] header when it has
	// none), where messages about the entry as a whole point.
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
	_, err := decodeFile(path, v, known)
	return err
}

// decodeFile is decodeStrict that also returns the file's text, for the positions of later messages.
// An unknown key is reported where it is first written (scanTOML), in whichever table.
func decodeFile(path string, v any, known []string) (string, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return "", &model.SourceError{File: path, Msg: "not a regular file (a FIFO, device, socket or folder)",
			Hint: "the registry files must be plain text files"}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", &model.SourceError{File: path, Msg: fmt.Sprintf("cannot read: %v", unwrapPathErr(err)),
			Hint: "create the file or pass the right folder with --raw"}
	}
	text := string(b)
	md, err := toml.Decode(text, v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return "", &model.SourceError{File: path, Line: pe.Position.Line, Col: pe.Position.Col,
				Msg: "TOML syntax error: " + pe.Message, Hint: "fix the syntax at this place"}
		}
		return "", &model.SourceError{File: path, Msg: err.Error(), Hint: "check the value types against the comments at the top of the file"}
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0]
		last := key[len(key)-1]
		at := scanTOML(text).first(key).pos()
		hint := "remove it or correct its spelling"
		if s := closest(last, known); s != "" {
			hint = fmt.Sprintf("did you mean %q?", s)
		}
		return "", &model.SourceError{File: path, Line: at.Line, Col: at.Col,
			Msg: fmt.Sprintf("unknown key %q", key.String()), Hint: hint}
	}
	return text, nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// findKey finds the first line that assigns key, for error positions. It reads every line; the
// registry files use the positions of scanTOML, which reads a file once for all its messages.
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
// It reads every line (see findKey).
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

// aliasPos is where alias is written in the aliases array of a [[party]] table: the element, or
// else the aliases key, or else the table; the zero Pos when there is no table.
func aliasPos(party *node, alias string) Pos {
	aliases := party.key("aliases")
	if aliases == nil {
		return party.pos()
	}
	for _, it := range aliases.items {
		if it.isStr && it.str == alias {
			return it.at
		}
	}
	return aliases.at
}

// keyPos is where key is written in table t, or else where fallback is.
func keyPos(t *node, key string, fallback Pos) Pos {
	if k := t.key(key); k != nil {
		return k.at
	}
	return fallback
}

// errAt is a SourceError at pos.
func errAt(path string, pos Pos, msg, hint string) error {
	return &model.SourceError{File: path, Line: pos.Line, Col: pos.Col, Msg: msg, Hint: hint}
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
	text, err := decodeFile(path, &f, []string{"party", "id", "abbreviation", "name", "aliases", "members"})
	if err != nil {
		return err
	}
	tables := scanTOML(text).key("party")
	idAt := func(i int) Pos { return keyPos(tables.item(i), "id", tables.item(i).pos()) }
	seen := map[string]bool{}
	aliasOwner := map[string]string{}
	for i, p := range f.Party {
		if !slugRE.MatchString(p.ID) {
			return errAt(path, idAt(i), fmt.Sprintf("party id %q is not a lower-case slug", p.ID), "use letters, digits and single hyphens")
		}
		if seen[p.ID] {
			return errAt(path, idAt(i), fmt.Sprintf("duplicate party id %q", p.ID), "give every party its own id")
		}
		seen[p.ID] = true
		if p.Abbreviation == "" || p.Name == "" || len(p.Aliases) == 0 {
			return errAt(path, idAt(i), fmt.Sprintf("party %q needs abbreviation, name and at least one alias", p.ID), "")
		}
		for _, a := range p.Aliases {
			if strings.TrimSpace(a) == "" {
				return errAt(path, aliasPos(tables.item(i), a), fmt.Sprintf("party %q has an empty alias %q", p.ID, a),
					"remove it: an empty alias would match everywhere, or nowhere")
			}
			if o, ok := aliasOwner[a]; ok && o != p.ID {
				return errAt(path, aliasPos(tables.item(i), a), fmt.Sprintf("alias %q belongs to both %q and %q", a, o, p.ID),
					"an alias must name one party: keep it in the aliases of only one of them")
			}
			aliasOwner[a] = p.ID
		}
		r.Parties = append(r.Parties, model.Party{ID: p.ID, Abbreviation: p.Abbreviation, Name: p.Name, Aliases: p.Aliases, Members: p.Members})
	}
	if len(r.Parties) == 0 {
		return &model.SourceError{File: path, Msg: "no [[party]] entries", Hint: "list the parties the texts name"}
	}
	for i, p := range r.Parties {
		for _, m := range p.Members {
			if !seen[m] || m == p.ID {
				return errAt(path, idAt(i), fmt.Sprintf("party %q lists member %q, which is not another party of this file", p.ID, m),
					"members are the ids of the parties a joint list is made of; add the member party or correct the id")
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
	text, err := decodeFile(path, &f, []string{"election", "id", "name", "date"})
	if err != nil {
		return err
	}
	tables := scanTOML(text).key("election")
	seen := map[string]bool{}
	for i, e := range f.Election {
		if e.ID == "" || e.Name == "" || e.Date.IsZero() {
			return errAt(path, tables.item(i).pos(), fmt.Sprintf("election %q needs id, name and date", e.ID), "")
		}
		if seen[e.ID] {
			return errAt(path, keyPos(tables.item(i), "id", tables.item(i).pos()), fmt.Sprintf("duplicate election id %q", e.ID),
				"give every election its own id, or remove the second entry if it repeats the first")
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
	text, err := decodeFile(path, &f, sourceKeys)
	if err != nil {
		return err
	}
	tables := scanTOML(text).key("document")
	seen := map[string]bool{}
	elections := map[string]bool{}
	for _, e := range r.Elections {
		elections[e.ID] = true
	}
	files := fileResolver{dir: r.Dir}
	for i := range f.Document {
		s := &f.Document[i]
		doc := tables.item(i)
		idAt := keyPos(doc, "id", doc.pos())
		s.Line = idAt.Line
		// at reports a problem with the value of key, where the key is written in this entry.
		at := func(key, msg, hint string) error { return errAt(path, keyPos(doc, key, idAt), msg, hint) }
		if s.ID == "" {
			return errAt(path, doc.pos(), fmt.Sprintf("document entry %d has no id", i+1), "add id = \"a-lower-case-slug\"")
		}
		if !slugRE.MatchString(s.ID) {
			return at("id", fmt.Sprintf("document id %q is not a lower-case slug", s.ID), "use letters, digits and single hyphens")
		}
		if seen[s.ID] {
			return at("id", fmt.Sprintf("duplicate document id %q", s.ID), "give every document its own id")
		}
		seen[s.ID] = true
		for _, req := range []struct{ key, val string }{{"file", s.File}, {"format", string(s.Format)}, {"election", s.Election}, {"topic", s.Topic}, {"language", s.Language}} {
			if req.val == "" {
				return errAt(path, idAt, fmt.Sprintf("document %q has no %s", s.ID, req.key), "add the key to the entry; the comment at the top of the file lists the keys")
			}
		}
		if !knownFormat(s.Format) {
			hint := fmt.Sprintf("use one of %s", formatList())
			if c := closest(string(s.Format), formatStrings()); c != "" {
				hint = fmt.Sprintf("did you mean %q? known formats: %s", c, formatList())
			}
			return at("format", fmt.Sprintf("unknown format %q", s.Format), hint)
		}
		if !elections[s.Election] {
			return at("election", fmt.Sprintf("unknown election %q", s.Election), "add it to elections.toml or use one listed there")
		}
		if s.Party != "" && r.Matcher.PartyByID(s.Party) == nil {
			return at("party", fmt.Sprintf("unknown party %q", s.Party), "use a party id from parties.toml")
		}
		if s.Format == model.FormatProgrammeChapter && s.Party == "" {
			return errAt(path, idAt, fmt.Sprintf("document %q of format %s needs party", s.ID, s.Format), "add party = \"<party id>\"")
		}
		if s.Published != "" {
			if _, err := model.ParseDate(s.Published); err != nil {
				return at("published", err.Error(), "write the date as YYYY-MM-DD in quotes")
			}
		}
		switch s.Encoding {
		case "":
			s.Encoding = EncodingUTF8
		case EncodingUTF8, EncodingWindows1252:
		default:
			return at("encoding", fmt.Sprintf("unknown encoding %q", s.Encoding), "use utf-8 or windows-1252")
		}
		if err := checkProgrammeKeys(s, doc, path); err != nil {
			return err
		}
		p, err := files.resolve(s.File)
		if err != nil {
			return at("file", err.Error(), "keep the text inside the raw folder and give its path relative to it")
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

// fileResolver checks the file paths of the entries against one raw folder. It looks up the real
// path of the raw folder once and of every folder that holds texts once, so an entry costs one lstat
// of its file (and a full look-up only when the file itself is a symlink).
type fileResolver struct {
	dir     string
	root    string // dir after following symlinks, once looked up
	rootErr error
	looked  bool
	folders map[string]realPath // the folders of the files, after following symlinks
}

type realPath struct {
	path string
	err  error
}

// resolve checks that file names a path inside the raw folder, also after following symlinks.
func (fr *fileResolver) resolve(file string) (string, error) {
	if filepath.IsAbs(file) || strings.HasPrefix(file, "/") {
		return "", fmt.Errorf("file %q is an absolute path", file)
	}
	clean := filepath.Clean(filepath.FromSlash(file))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("file %q leaves the raw folder", file)
	}
	p := filepath.Join(fr.dir, clean)
	if !fr.looked {
		fr.root, fr.rootErr = filepath.EvalSymlinks(fr.dir)
		fr.looked = true
	}
	if fr.rootErr != nil {
		return "", fmt.Errorf("raw folder: %v", unwrapPathErr(fr.rootErr))
	}
	real, err := fr.evalSymlinks(p)
	if err != nil {
		// A missing file is reported by the extract stage with the file's own name.
		return p, nil
	}
	if rel, err := filepath.Rel(fr.root, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("file %q is a symlink that leads out of the raw folder (to %s)", file, real)
	}
	return p, nil
}

// evalSymlinks is filepath.EvalSymlinks(p) with the real paths of folders remembered.
func (fr *fileResolver) evalSymlinks(p string) (string, error) {
	folder, base := filepath.Dir(p), filepath.Base(p)
	rf, ok := fr.folders[folder]
	if !ok {
		rf.path, rf.err = filepath.EvalSymlinks(folder)
		if fr.folders == nil {
			fr.folders = map[string]realPath{}
		}
		fr.folders[folder] = rf
	}
	if rf.err != nil {
		return "", rf.err
	}
	st, err := os.Lstat(p)
	if err != nil {
		return "", err
	}
	if st.Mode()&os.ModeSymlink != 0 {
		return filepath.EvalSymlinks(p)
	}
	return filepath.Join(rf.path, base), nil
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

// checkProgrammeKeys checks the keys only a programme text has: markup, lines and furniture. doc is
// the entry's table in sources.toml, for positions.
func checkProgrammeKeys(s *Source, doc *node, path string) error {
	entryAt := keyPos(doc, "id", doc.pos())
	at := func(key string) Pos { return keyPos(doc, key, entryAt) }
	if s.Format != model.FormatProgrammeText {
		for _, k := range []struct {
			key string
			set bool
		}{{"markup", s.Markup != ""}, {"lines", s.Lines != nil}, {"furniture", s.Furniture != nil}} {
			if k.set {
				return errAt(path, at(k.key), fmt.Sprintf("document %q: %s is a key of format %s only", s.ID, k.key, model.FormatProgrammeText),
					"remove the key, or register the text as format = \"programme-text\"")
			}
		}
		return nil
	}
	switch s.Markup {
	case "":
		s.Markup = MarkupPDF
	case MarkupPDF, MarkupMarkdown:
	default:
		return errAt(path, at("markup"), fmt.Sprintf("unknown markup %q", s.Markup),
			fmt.Sprintf("use %q (text extracted from a PDF) or %q", MarkupPDF, MarkupMarkdown))
	}
	if s.Lines != nil {
		l := at("lines")
		s.LinesAt = [2]int{l.Line, l.Col}
		if len(s.Lines) != 2 {
			return errAt(path, l, fmt.Sprintf("lines must be [from, to], got %d numbers", len(s.Lines)),
				"give the first and the last line to read, both counted from 1, e.g. lines = [120, 310]")
		}
		if s.Lines[0] < 1 || s.Lines[1] < s.Lines[0] {
			return errAt(path, l, fmt.Sprintf("lines = [%d, %d] is not a range of lines", s.Lines[0], s.Lines[1]),
				"lines are counted from 1 and the first may not come after the last")
		}
	}
	for _, pat := range s.Furniture {
		re, err := regexp.Compile(pat)
		if err != nil {
			return errAt(path, at("furniture"), fmt.Sprintf("furniture pattern %q is not a valid regular expression: %v", pat, err),
				"write Go RE2 syntax (no look-around); in a TOML literal string '...' backslashes need no escaping")
		}
		if re.MatchString("") {
			return errAt(path, at("furniture"), fmt.Sprintf("furniture pattern %q matches the empty string", pat),
				"a pattern must match at least one character of furniture")
		}
		s.FurnitureRE = append(s.FurnitureRE, re)
	}
	return nil
}
