package registry

import (
	"fmt"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/standpunten/standpunten/pipeline/model"
)

// DatasetFile is the file in the raw folder with the dataset-level metadata of the releases.
const DatasetFile = "dataset.toml"

// Text is a text in Dutch and English.
type Text struct {
	NL string `toml:"nl"`
	EN string `toml:"en"`
}

// Keywords are keywords in Dutch and English.
type Keywords struct {
	NL []string `toml:"nl"`
	EN []string `toml:"en"`
}

// Agent is an organisation that publishes or creates the dataset.
type Agent struct {
	Name string `toml:"name"`
	URI  string `toml:"uri"`
}

// Contact is the dataset's contact point: a name plus a URL and/or an email address.
type Contact struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
	// Email is the bare address (data@example.org), its domain in lower case: LoadDataset accepts the
	// bare address or the mailto: form and stores it like this. Empty when there is none.
	Email string `toml:"email"`
}

// Mailto is the contact's email address as a mailto: URI (vcard:hasEmail), or "" when it has none.
func (c Contact) Mailto() string {
	if c.Email == "" {
		return ""
	}
	return "mailto:" + c.Email
}

// License is the licence of every published file.
type License struct {
	ID    string `toml:"id"`    // SPDX / Open Definition id, e.g. CC-BY-4.0
	Title string `toml:"title"` // e.g. Creative Commons Attribution 4.0 International
	URI   string `toml:"uri"`   // e.g. https://creativecommons.org/licenses/by/4.0/
}

// Theme is a category of the EU data-theme vocabulary, with its labels.
type Theme struct {
	URI     string `toml:"uri"`
	LabelNL string `toml:"label_nl"`
	LabelEN string `toml:"label_en"`
}

// Dataset is the loaded, checked content of raw/dataset.toml.
type Dataset struct {
	Name         string   `toml:"name"`
	BaseURL      string   `toml:"base_url"`
	URIOverride  string   `toml:"uri"`
	Homepage     string   `toml:"homepage"`
	Title        Text     `toml:"title"`
	Description  Text     `toml:"description"`
	Publisher    Agent    `toml:"publisher"`
	Creator      Agent    `toml:"creator"`
	Contact      Contact  `toml:"contact"`
	License      License  `toml:"license"`
	Keywords     Keywords `toml:"keywords"`
	Themes       []Theme  `toml:"theme"`
	Languages    []string `toml:"languages"`
	Spatial      []string `toml:"spatial"`
	AccessRights string   `toml:"access_rights"`
	ConformsTo   string   `toml:"conforms_to"`

	// Path is the file the dataset was loaded from.
	Path string `toml:"-"`
}

// URI is the dataset's stable URI and dct:identifier: the `uri` key, or else <base_url>#dataset.
// It is the same for every release, so a portal that harvests releases updates one dataset.
func (d *Dataset) URI() string {
	if d.URIOverride != "" {
		return d.URIOverride
	}
	return d.BaseURL + "#dataset"
}

// ReleaseURL is where a file of a release is served: <base_url>v<version>/<rel>.
func (d *Dataset) ReleaseURL(version, rel string) string {
	return d.BaseURL + "v" + version + "/" + rel
}

// OutputURL is where a file of the output root is served: rel resolved against the folder above
// base_url (base_url is where output/releases/ is served, so "index.html" gives output/index.html). It
// is "" when base_url is a host's root, which has no folder above it.
func (d *Dataset) OutputURL(rel string) string {
	base, err := url.Parse(d.BaseURL)
	if err != nil || strings.Trim(base.Path, "/") == "" {
		return ""
	}
	ref, err := url.Parse("../" + rel)
	if err != nil {
		return ""
	}
	return base.ResolveReference(ref).String()
}

var datasetKeys = []string{"name", "base_url", "uri", "homepage", "title", "description", "publisher",
	"creator", "contact", "license", "keywords", "theme", "languages", "spatial", "access_rights",
	"conforms_to", "nl", "en", "id", "url", "email", "label_nl", "label_en"}

var packageNameRE = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*$`)

// LoadDataset reads and checks rawDir/dataset.toml. Unknown keys, missing required keys and malformed
// URIs are errors with the file (and line:col where there is one); they wrap model.ErrConfig.
func LoadDataset(rawDir string) (*Dataset, error) {
	path := filepath.Join(rawDir, DatasetFile)
	d := &Dataset{}
	if err := decodeStrict(path, d, datasetKeys); err != nil {
		return nil, model.Classified(model.ErrConfig, err)
	}
	d.Path = path
	b, _ := os.ReadFile(path)
	if err := d.check(string(b)); err != nil {
		return nil, model.Classified(model.ErrConfig, err)
	}
	return d, nil
}

// check validates the decoded fields; text is the file's content, for positions.
func (d *Dataset) check(text string) error {
	// at reports a problem with key (the last part of a dotted key), at its line where it is present.
	at := func(key, msg, hint string) error {
		last := key[strings.LastIndex(key, ".")+1:]
		l, c := findKey(text, last)
		return &model.SourceError{File: d.Path, Line: l, Col: c, Msg: msg, Hint: hint}
	}
	// atValue reports a problem with a value, at the line that assigns it where that can be found.
	atValue := func(key, value, msg, hint string) error {
		last := key[strings.LastIndex(key, ".")+1:]
		if l, c := findValue(text, last, value, 1); l > 0 {
			return &model.SourceError{File: d.Path, Line: l, Col: c, Msg: msg, Hint: hint}
		}
		if l, c := findListValue(text, last, value); l > 0 {
			return &model.SourceError{File: d.Path, Line: l, Col: c, Msg: msg, Hint: hint}
		}
		return at(key, msg, hint)
	}
	missing := func(key string) error {
		return &model.SourceError{File: d.Path, Msg: fmt.Sprintf("missing required key %q", key),
			Hint: "add it; the comment at the top of the file lists the keys"}
	}
	type req struct{ key, val string }
	for _, r := range []req{
		{"name", d.Name}, {"base_url", d.BaseURL}, {"homepage", d.Homepage},
		{"title.nl", d.Title.NL}, {"title.en", d.Title.EN},
		{"description.nl", d.Description.NL}, {"description.en", d.Description.EN},
		{"publisher.name", d.Publisher.Name}, {"publisher.uri", d.Publisher.URI},
		{"creator.name", d.Creator.Name}, {"creator.uri", d.Creator.URI},
		{"contact.name", d.Contact.Name},
		{"license.id", d.License.ID}, {"license.title", d.License.Title}, {"license.uri", d.License.URI},
		{"access_rights", d.AccessRights},
	} {
		if strings.TrimSpace(r.val) == "" {
			return missing(r.key)
		}
	}
	if len(d.Keywords.NL) == 0 || len(d.Keywords.EN) == 0 {
		return missing("keywords.nl and keywords.en")
	}
	for _, k := range append(append([]string{}, d.Keywords.NL...), d.Keywords.EN...) {
		if strings.TrimSpace(k) == "" {
			return at("keywords", "empty keyword", "remove it")
		}
	}
	if len(d.Themes) == 0 {
		return missing("[[theme]]")
	}
	if len(d.Languages) == 0 {
		return missing("languages")
	}
	if !packageNameRE.MatchString(d.Name) {
		return atValue("name", d.Name, fmt.Sprintf("name %q is not a lower-case name", d.Name), "use lower-case letters, digits, '.', '_' and '-'")
	}
	if !strings.HasSuffix(d.BaseURL, "/") {
		return atValue("base_url", d.BaseURL, fmt.Sprintf("base_url %q does not end with \"/\"", d.BaseURL), "add the trailing slash; releases live under <base_url>vX.Y.Z/")
	}
	uris := []req{
		{"base_url", d.BaseURL}, {"homepage", d.Homepage}, {"publisher.uri", d.Publisher.URI},
		{"creator.uri", d.Creator.URI}, {"license.uri", d.License.URI}, {"access_rights", d.AccessRights},
	}
	if d.URIOverride != "" {
		uris = append(uris, req{"uri", d.URIOverride})
	}
	if d.ConformsTo != "" {
		uris = append(uris, req{"conforms_to", d.ConformsTo})
	}
	if d.Contact.URL != "" {
		uris = append(uris, req{"contact.url", d.Contact.URL})
	}
	for _, t := range d.Themes {
		uris = append(uris, req{"theme.uri", t.URI})
		if t.LabelNL == "" || t.LabelEN == "" {
			return atValue("theme.uri", t.URI, fmt.Sprintf("theme %q needs label_nl and label_en", t.URI), "add the labels from the EU data-theme vocabulary")
		}
	}
	for _, l := range d.Languages {
		uris = append(uris, req{"languages", l})
	}
	for _, s := range d.Spatial {
		uris = append(uris, req{"spatial", s})
	}
	for _, u := range uris {
		if err := checkHTTPURI(u.val); err != nil {
			return atValue(u.key, u.val, fmt.Sprintf("%s: %v", u.key, err), "give an absolute http(s) URI")
		}
	}
	if d.Contact.URL == "" && d.Contact.Email == "" {
		return at("contact", "contact needs url or email", "add url = \"https://…\" or email = \"name@example.org\"")
	}
	if d.Contact.Email != "" {
		addr, err := normalizeEmail(d.Contact.Email)
		if err != nil {
			return atValue("contact.email", d.Contact.Email, fmt.Sprintf("contact.email %q is not an email address: %v", d.Contact.Email, err),
				"write one address, bare (data@example.org) or as a mailto: URI (mailto:data@example.org)")
		}
		d.Contact.Email = addr
	}
	return nil
}

// emailRE is the address form the contact point takes: a local part of letters, digits and the
// characters that need no escaping in a mailto: URI, and a domain name with at least two labels.
var emailRE = regexp.MustCompile(`^[A-Za-z0-9!$&'*+=_~-]+(\.[A-Za-z0-9!$&'*+=_~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)

// normalizeEmail turns the bare address or the mailto: form (the scheme in any case) into the bare
// address with its domain in lower case. It refuses display names, several addresses, mailto: headers
// (?subject=…), percent-escapes and characters a mailto: URI would have to escape.
func normalizeEmail(s string) (string, error) {
	addr := s
	if len(s) >= len("mailto:") && strings.EqualFold(s[:len("mailto:")], "mailto:") {
		addr = s[len("mailto:"):]
		if strings.ContainsAny(addr, "?%") {
			return "", fmt.Errorf("a mailto: URI here holds one address, without headers or escapes")
		}
	}
	if a, err := mail.ParseAddress(addr); err != nil || a.Address != addr || a.Name != "" {
		return "", fmt.Errorf("not one bare address")
	}
	if !emailRE.MatchString(addr) {
		return "", fmt.Errorf("use letters, digits and . ! $ & ' * + = _ ~ - before the @ and a domain name such as example.org after it")
	}
	at := strings.LastIndex(addr, "@")
	return addr[:at] + "@" + strings.ToLower(addr[at+1:]), nil
}

// checkHTTPURI accepts absolute http and https URIs with a host.
func checkHTTPURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URI", s)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URI", s)
	}
	if strings.ContainsAny(s, " <>\"{}|\\^`") {
		return fmt.Errorf("%q contains characters not allowed in a URI", s)
	}
	return nil
}

// findListValue finds the line where key is assigned a list holding the string value, for positions.
func findListValue(text, key, value string) (int, int) {
	re := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=\s*\[.*"` + regexp.QuoteMeta(value) + `"`)
	for i, line := range strings.Split(text, "\n") {
		if re.MatchString(line) {
			return i + 1, len(line) - len(strings.TrimLeft(line, " \t")) + 1
		}
	}
	return 0, 0
}
