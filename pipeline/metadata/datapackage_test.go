package metadata

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/schemas"
)

// TestDataPackageOfBuild describes a real build and checks the result against the official
// Frictionless profiles (v1 must pass; v2 too, since it costs nothing) and the team's contract.
func TestDataPackageOfBuild(t *testing.T) {
	r := buildRelease(t)
	b, err := DataPackage(r)
	require.NoError(t, err)

	for _, version := range []string{"1.0", "2.0"} {
		t.Run("profile "+version, func(t *testing.T) {
			sch := loadProfile(t, version)
			if errs := validateDescriptor(t, sch, b); errs != "" {
				t.Errorf("datapackage.json does not validate against the Frictionless %s profile:\n%s", version, errs)
			}
		})
	}

	t.Run("contract", func(t *testing.T) {
		var dp struct {
			Name      string `json:"name"`
			Created   string `json:"created"`
			Resources []struct {
				Name      string          `json:"name"`
				Path      string          `json:"path"`
				Profile   string          `json:"profile"`
				Format    string          `json:"format"`
				Mediatype string          `json:"mediatype"`
				Encoding  *string         `json:"encoding"`
				Bytes     int64           `json:"bytes"`
				Hash      string          `json:"hash"`
				Rows      *int64          `json:"rows"`
				Schema    json.RawMessage `json:"schema"`
			} `json:"resources"`
			Sources []map[string]any `json:"sources"`
		}
		require.NoError(t, json.Unmarshal(b, &dp))
		assert.Equal(t, "standpunten", dp.Name)
		assert.Equal(t, "2025-11-01T00:00:00Z", dp.Created)
		require.Len(t, dp.Resources, len(schemas.Order)*3)
		assert.Len(t, dp.Sources, len(r.Sources))
		names := map[string]bool{}
		for _, res := range dp.Resources {
			names[res.Name] = true
		}
		want := map[string]struct{ name, profile, media, enc string }{
			"csv":     {"%s", "tabular-data-resource", "text/csv", "utf-8"},
			"parquet": {"%s-parquet", "data-resource", "application/vnd.apache.parquet", ""},
			"json":    {"%s-json", "data-resource", "application/json", "utf-8"},
		}
		for _, res := range dp.Resources {
			w, ok := want[res.Format]
			require.True(t, ok, "format %q", res.Format)
			var sch schemas.Table
			require.NoError(t, json.Unmarshal(res.Schema, &sch))
			assert.Equal(t, strings.Replace(w.name, "%s", sch.Name, 1), res.Name)
			assert.Equal(t, res.Format+"/"+sch.Name+"."+res.Format, res.Path)
			assert.Equal(t, w.profile, res.Profile, res.Name)
			assert.Equal(t, w.media, res.Mediatype, res.Name)
			if w.enc == "" {
				assert.Nil(t, res.Encoding, "%s: no encoding for a binary format", res.Name)
			} else if assert.NotNil(t, res.Encoding, res.Name) {
				assert.Equal(t, w.enc, *res.Encoding)
			}
			assert.Regexp(t, `^sha256:[0-9a-f]{64}$`, res.Hash)
			assert.Positive(t, res.Bytes)
			if assert.NotNil(t, res.Rows, res.Name) {
				assert.Positive(t, *res.Rows, res.Name)
			}
			// The schema is the file in schemas/ as it is: every key, same values.
			raw, err := schemas.Raw(sch.Name)
			require.NoError(t, err)
			assert.JSONEq(t, string(raw), string(res.Schema), res.Name)
			// Foreign keys name the CSV resource, which must exist.
			for _, fk := range sch.ForeignKeys {
				if fk.Reference.Resource != "" {
					assert.True(t, names[fk.Reference.Resource], "%s: foreign key to missing resource %q", res.Name, fk.Reference.Resource)
				}
			}
		}
	})
}

// TestProfileCatchesBrokenDescriptor proves the profile check can fail.
func TestProfileCatchesBrokenDescriptor(t *testing.T) {
	sch := loadProfile(t, "1.0")
	b, err := DataPackage(fixedRelease(t))
	require.NoError(t, err)
	broken := strings.Replace(string(b), `"name": "standpunten"`, `"name": "Standpunten Data"`, 1)
	broken = strings.Replace(broken, `"path": "csv/parties.csv"`, `"path": "../csv/parties.csv"`, 1)
	errs := validateDescriptor(t, sch, []byte(broken))
	assert.Contains(t, errs, "/name:")
	assert.Contains(t, errs, "/resources/0/path")
}

// TestDeterministic: the order of the input lists does not change a byte of the output.
func TestDeterministic(t *testing.T) {
	r := fixedRelease(t)
	dp1, err := DataPackage(r)
	require.NoError(t, err)
	dc1, err := DCAT(r)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5; i++ {
		rng.Shuffle(len(r.Files), func(a, b int) { r.Files[a], r.Files[b] = r.Files[b], r.Files[a] })
		rng.Shuffle(len(r.Sources), func(a, b int) { r.Sources[a], r.Sources[b] = r.Sources[b], r.Sources[a] })
		dp2, err := DataPackage(r)
		require.NoError(t, err)
		dc2, err := DCAT(r)
		require.NoError(t, err)
		require.Equal(t, string(dp1), string(dp2))
		require.Equal(t, string(dc1), string(dc2))
	}
	assert.True(t, strings.HasSuffix(string(dp1), "}\n"))
	assert.NotContains(t, string(dp1), `\u003c`, "HTML escaping must be off")
}

func TestReleaseRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(r *Release)
		want   string
	}{
		{"no dataset", func(r *Release) { r.Dataset = nil }, "no dataset metadata"},
		{"v prefix", func(r *Release) { r.Version = "v1.2.0" }, `version "v1.2.0" is not SemVer`},
		{"no date", func(r *Release) { r.Date = model.Date{} }, "release date"},
		{"bad date", func(r *Release) { r.Date = model.Date{Year: 2025, Month: 2, Day: 30} }, "2025-02-30 is not a valid date"},
		{"issued after date", func(r *Release) { r.Issued = model.Date{Year: 2026, Month: 1, Day: 1} }, "is after the release date"},
		{"no files", func(r *Release) { r.Files = nil }, "has no files"},
		{"unknown format", func(r *Release) { r.Files[0].Format = "xlsx" }, `unknown format "xlsx"`},
		{"unknown table", func(r *Release) { r.Files[0].Table = "votes" }, `unknown table "votes"`},
		{"absolute path", func(r *Release) { r.Files[0].Path = "/tmp/x.json" }, "must be relative"},
		{"escaping path", func(r *Release) { r.Files[0].Path = "json/../../x.json" }, `must not contain ".."`},
		{"bad hash", func(r *Release) { r.Files[0].SHA256 = "ABC" }, "is not 64 lower-case hex digits"},
		{"negative size", func(r *Release) { r.Files[0].Bytes = -1 }, "negative size"},
		{"duplicate file", func(r *Release) { r.Files = append(r.Files, r.Files[0]) }, "listed twice"},
		{"source without title", func(r *Release) { r.Sources[0].Title = "" }, "needs an id and a title"},
		{"duplicate source", func(r *Release) { r.Sources = append(r.Sources, r.Sources[0]) }, "listed twice"},
		{"bad source hash", func(r *Release) { r.Sources[0].SHA256 = "" }, "is not 64 lower-case hex digits"},
		{"history missing", func(r *Release) { r.Versions = nil }, "release 1.2.0 is not the first (the first was on 2025-10-30), but Versions does not list the releases before it"},
		{"history empty", func(r *Release) { r.Versions = []VersionRef{} }, "but Versions does not list the releases before it"},
		{"versions without this release", func(r *Release) { r.Versions = r.Versions[:2] }, "versions end with 1.1.0 of 2025-11-01, not with this release, 1.2.0 of 2025-11-03"},
		{"versions with another date", func(r *Release) { r.Versions[2].Date.Day = 4 }, "not with this release"},
		{"versions out of order", func(r *Release) { r.Versions[0], r.Versions[1] = r.Versions[1], r.Versions[0] }, "1.0.0 is listed after 1.1.0"},
		{"version twice", func(r *Release) { r.Versions[1].Version = "1.0.0" }, "1.0.0 is listed after 1.0.0"},
		{"version numbers compared as numbers", func(r *Release) { r.Versions[0].Version = "1.10.0" }, "1.1.0 is listed after 1.10.0"},
		{"version dated before the one before", func(r *Release) { r.Versions[1].Date = model.Date{Year: 2025, Month: 10, Day: 1} }, "1.1.0 of 2025-10-01 is dated before the release before it"},
		{"bad version", func(r *Release) { r.Versions[0].Version = "v1.0.0" }, `versions: "v1.0.0" is not SemVer`},
		{"bad version date", func(r *Release) { r.Versions[0].Date = model.Date{} }, "versions: date of 1.0.0"},
		{"issued not the first version", func(r *Release) { r.Issued = model.Date{Year: 2025, Month: 10, Day: 31} }, "first release date 2025-10-31 is not that of the first of Versions, 1.0.0 of 2025-10-30"},
		{"temporal end before start", func(r *Release) { r.Temporal.End = model.Date{Year: 2016, Month: 1, Day: 1} }, "the temporal coverage starts on 2017-03-15, after its end 2016-01-01"},
		{"temporal without end", func(r *Release) { r.Temporal.End = model.Date{} }, "end of the temporal coverage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, render := range []func(*Release) ([]byte, error){DataPackage, DCAT} {
				r := fixedRelease(t)
				tc.change(r)
				_, err := render(r)
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.want)
			}
		})
	}
}

func TestCompareSemver(t *testing.T) {
	// Each version ranks below the next (the SemVer 2.0.0 specification's own example, and more).
	ordered := []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0", "10.0.0"}
	for i := range ordered {
		assert.Equal(t, 0, compareSemver(ordered[i], ordered[i]), ordered[i])
		for j := i + 1; j < len(ordered); j++ {
			assert.Equal(t, -1, compareSemver(ordered[i], ordered[j]), "%s < %s", ordered[i], ordered[j])
			assert.Equal(t, 1, compareSemver(ordered[j], ordered[i]), "%s > %s", ordered[j], ordered[i])
		}
	}
}

// TestDataPackageContact: the contact point is the descriptor's maintainer, with the address where
// raw/dataset.toml gives one (the profiles' contributor `email`), and the descriptor of the fixed
// release, which has one, is valid under both profiles.
func TestDataPackageContact(t *testing.T) {
	r := fixedRelease(t)
	b, err := DataPackage(r)
	require.NoError(t, err)
	var dp struct {
		Contributors []map[string]string `json:"contributors"`
	}
	require.NoError(t, json.Unmarshal(b, &dp))
	require.Len(t, dp.Contributors, 3)
	assert.Equal(t, map[string]string{"title": "Helpdesk", "path": "https://data.example.org/contact",
		"email": "data@example.org", "role": "maintainer"}, dp.Contributors[2])
	broken := strings.Replace(string(b), `"email": "data@example.org"`, `"email": "data at example.org"`, 1)
	for _, version := range []string{"1.0", "2.0"} {
		sch := loadProfile(t, version)
		assert.Empty(t, validateDescriptor(t, sch, b), "profile %s", version)
		// The profiles check the address, so the pass above means something.
		assert.Contains(t, validateDescriptor(t, sch, []byte(broken)), "/contributors/2/email:", "profile %s", version)
	}

	r.Dataset.Contact.Email, r.Dataset.Contact.URL = "", "https://data.example.org/contact"
	b, err = DataPackage(r)
	require.NoError(t, err)
	var without struct {
		Contributors []map[string]string `json:"contributors"`
	}
	require.NoError(t, json.Unmarshal(b, &without))
	require.Len(t, without.Contributors, 3)
	assert.NotContains(t, without.Contributors[2], "email", "no address, no email key")
}
