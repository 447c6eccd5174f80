package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

const goodDataset = `name = "standpunten"
base_url = "https://example.org/releases/"
homepage = "https://example.org/"
languages = ["http://publications.europa.eu/resource/authority/language/NLD"]
access_rights = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"

[title]
nl = "Titel"
en = "Title"

[description]
nl = "Beschrijving"
en = "Description"

[publisher]
name = "Uitgever"
uri = "https://example.org/publisher"

[creator]
name = "Maker"
uri = "https://example.org/creator"

[contact]
name = "Helpdesk"
email = "data@example.org"

[license]
id = "CC-BY-4.0"
title = "Creative Commons Attribution 4.0 International"
uri = "https://creativecommons.org/licenses/by/4.0/"

[keywords]
nl = ["verkiezingen"]
en = ["elections"]

[[theme]]
uri = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
label_nl = "Overheid en publieke sector"
label_en = "Government and public sector"
`

func writeDataset(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, DatasetFile), []byte(body), 0o644))
	return dir
}

func TestLoadDatasetGood(t *testing.T) {
	d, err := LoadDataset(writeDataset(t, goodDataset))
	require.NoError(t, err)
	assert.Equal(t, "standpunten", d.Name)
	assert.Equal(t, "Title", d.Title.EN)
	assert.Equal(t, "https://example.org/releases/#dataset", d.URI())
	assert.Equal(t, "https://example.org/releases/v1.2.3/csv/passages.csv", d.ReleaseURL("1.2.3", "csv/passages.csv"))
	require.Len(t, d.Themes, 1)
	assert.Equal(t, "Overheid en publieke sector", d.Themes[0].LabelNL)

	d, err = LoadDataset(writeDataset(t, "uri = \"https://w3id.org/standpunten\"\n"+goodDataset))
	require.NoError(t, err)
	assert.Equal(t, "https://w3id.org/standpunten", d.URI())
}

// TestLoadDatasetRepository loads the repository's own raw/dataset.toml.
func TestLoadDatasetRepository(t *testing.T) {
	d, err := LoadDataset(filepath.Join("..", "..", "raw"))
	require.NoError(t, err)
	assert.Equal(t, "standpunten", d.Name)
	assert.True(t, strings.HasSuffix(d.BaseURL, "/output/releases/"), d.BaseURL)
	assert.Equal(t, "CC-BY-4.0", d.License.ID)
}

func TestLoadDatasetRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string
	}{
		{"syntax error", goodDataset + "oops = \n", "dataset.toml:40:8: TOML syntax error"},
		{"typo key", strings.Replace(goodDataset, "homepage =", "hompage =", 1), `dataset.toml:3:1: unknown key "hompage" (did you mean "homepage"?)`},
		{"typo nested key", strings.Replace(goodDataset, "email =", "emial =", 1), `dataset.toml:25:1: unknown key "contact.emial" (did you mean "email"?)`},
		{"missing title", strings.Replace(goodDataset, "en = \"Title\"\n", "", 1), `dataset.toml: missing required key "title.en"`},
		{"missing publisher", strings.Replace(goodDataset, "[publisher]\nname = \"Uitgever\"\nuri = \"https://example.org/publisher\"\n", "", 1), `dataset.toml: missing required key "publisher.name"`},
		{"missing theme", goodDataset[:strings.Index(goodDataset, "[[theme]]")], `dataset.toml: missing required key "[[theme]]"`},
		{"no contact channel", strings.Replace(goodDataset, "email = \"data@example.org\"\n", "", 1), `contact needs url or email`},
		{"bad url", strings.Replace(goodDataset, `"https://example.org/publisher"`, `"example.org/publisher"`, 1), `dataset.toml:17:1: publisher.uri: "example.org/publisher" is not an absolute http(s) URI`},
		{"bad scheme", strings.Replace(goodDataset, `homepage = "https://example.org/"`, `homepage = "ftp://example.org/"`, 1), `dataset.toml:3:1: homepage: "ftp://example.org/" is not an absolute http(s) URI`},
		{"bad list url", strings.Replace(goodDataset, `"http://publications.europa.eu/resource/authority/language/NLD"`, `"NLD"`, 1), `dataset.toml:4:1: languages: "NLD" is not an absolute http(s) URI`},
		{"base url without slash", strings.Replace(goodDataset, `"https://example.org/releases/"`, `"https://example.org/releases"`, 1), `dataset.toml:2:1: base_url "https://example.org/releases" does not end with "/"`},
		{"bad email", strings.Replace(goodDataset, "data@example.org", "data at example", 1), `dataset.toml:25:1: contact.email "data at example" is not an email address`},
		{"bad name", strings.Replace(goodDataset, `name = "standpunten"`, `name = "Standpunten"`, 1), `dataset.toml:1:1: name "Standpunten" is not a lower-case name`},
		{"theme without label", strings.Replace(goodDataset, "label_en = \"Government and public sector\"\n", "", 1), `dataset.toml:37:1: theme "http://publications.europa.eu/resource/authority/data-theme/GOVE" needs label_nl and label_en`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadDataset(writeDataset(t, tc.body))
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrConfig), "not classified as config error: %v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestLoadDatasetMissingFile(t *testing.T) {
	_, err := LoadDataset(t.TempDir())
	require.Error(t, err)
	assert.True(t, errors.Is(err, model.ErrConfig))
	assert.Contains(t, err.Error(), "dataset.toml: cannot read")
}

// TestLoadDatasetEmail: the contact address may be bare or a mailto: URI and is stored bare, its
// domain in lower case; anything but one plain address is an error at the line that gives it.
func TestLoadDatasetEmail(t *testing.T) {
	with := func(email string) string {
		return strings.Replace(goodDataset, `email = "data@example.org"`, `email = "`+email+`"`, 1)
	}
	for _, tc := range []struct{ in, want string }{
		{"data@example.org", "data@example.org"},
		{"mailto:data@example.org", "data@example.org"},
		{"MailTo:Data.Desk@Example.ORG", "Data.Desk@example.org"},
		{"o'brien+open-data@sub.example.nl", "o'brien+open-data@sub.example.nl"},
	} {
		t.Run("accept "+tc.in, func(t *testing.T) {
			d, err := LoadDataset(writeDataset(t, with(tc.in)))
			require.NoError(t, err)
			assert.Equal(t, tc.want, d.Contact.Email)
			assert.Equal(t, "mailto:"+tc.want, d.Contact.Mailto())
		})
	}
	for _, in := range []string{
		"data at example",
		"Helpdesk <data@example.org>",
		"data@example.org, info@example.org",
		"mailto:data@example.org?subject=standpunten",
		"mailto:data%40x@example.org",
		"mailto:",
		"mailto:mailto:data@example.org",
		"data@localhost",
		"data@example..org",
		"data@-example.org",
		"data#1@example.org",
		"da ta@example.org",
		" data@example.org",
		"data@example.org ",
		"http://example.org/contact",
	} {
		t.Run("reject "+in, func(t *testing.T) {
			_, err := LoadDataset(writeDataset(t, with(in)))
			require.Error(t, err)
			assert.True(t, errors.Is(err, model.ErrConfig), "not classified as config error: %v", err)
			assert.Contains(t, err.Error(), fmt.Sprintf("dataset.toml:25:1: contact.email %q is not an email address", in))
		})
	}
}

func TestContactWithoutEmail(t *testing.T) {
	body := strings.Replace(goodDataset, "email = \"data@example.org\"\n", "url = \"https://example.org/contact\"\n", 1)
	d, err := LoadDataset(writeDataset(t, body))
	require.NoError(t, err)
	assert.Empty(t, d.Contact.Email)
	assert.Empty(t, d.Contact.Mailto(), "no address, no mailto: URI")
}

func TestOutputURL(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"https://raw.githubusercontent.com/standpunten/standpunten/main/output/releases/", "https://raw.githubusercontent.com/standpunten/standpunten/main/output/index.html"},
		{"https://example.org/releases/", "https://example.org/index.html"},
		{"https://example.org/data/standpunten/releases/", "https://example.org/data/standpunten/index.html"},
		{"https://example.org/", ""}, // releases at the host's root: no folder above them
	} {
		d := &Dataset{BaseURL: tc.base}
		assert.Equal(t, tc.want, d.OutputURL("index.html"), tc.base)
	}
}

// FuzzNormalizeEmail: no input panics; an accepted address comes out bare, once normalised stays as
// it is (also from its mailto: form), and is safe to put after "mailto:" in an IRI.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"data@example.org", "mailto:data@example.org", "MAILTO:A.B@Example.ORG",
		"Name <a@b.org>", "a@b", "mailto:a@b.org?x=1", "\"a b\"@example.org", "a@[127.0.0.1]", "ä@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := normalizeEmail(s)
		if err != nil {
			return
		}
		require.Equal(t, 1, strings.Count(out, "@"), "%q -> %q", s, out)
		require.False(t, strings.HasPrefix(strings.ToLower(out), "mailto:"), "%q -> %q", s, out)
		require.False(t, strings.ContainsAny(out, " <>\"{}|\\^`?#%,;:[]"), "%q -> %q", s, out)
		again, err := normalizeEmail(out)
		require.NoError(t, err, "%q -> %q", s, out)
		require.Equal(t, out, again)
		viaURI, err := normalizeEmail("mailto:" + out)
		require.NoError(t, err)
		require.Equal(t, out, viaURI)
	})
}
