package metadata

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/publish"
)

// Where the SHACL tool and the official shapes are, relative to this package.
const (
	shaclTool = "../../tools/shacl"
	vocabDir  = "../../../shared/vocab"
)

// conformanceEnv, set to "require", turns the skips below into failures (CI sets it after
// `npm ci --prefix tools/shacl`).
const conformanceEnv = "STANDPUNTEN_CONFORMANCE"

// missing skips the test with a message saying what is absent, or fails it under
// STANDPUNTEN_CONFORMANCE=require.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv(conformanceEnv) == "require" {
		t.Fatalf(format+" ("+conformanceEnv+"=require)", args...)
	}
	t.Skipf(format+"; set "+conformanceEnv+"=require to make this a failure", args...)
}

// needTool skips the test (or fails it under STANDPUNTEN_CONFORMANCE=require) when node, the
// installed SHACL tool or the shared shapes are missing. It returns the node binary.
func needTool(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not installed, so dcat.jsonld cannot be checked against the SHACL shapes")
	}
	if _, err := os.Stat(filepath.Join(shaclTool, "node_modules", "rdf-validate-shacl")); err != nil {
		missing(t, "%s/node_modules is missing: run `npm ci --prefix tools/shacl` to check dcat.jsonld against the SHACL shapes", shaclTool)
	}
	for _, f := range []string{"dcat-ap-3.0.1/dcat-ap-SHACL.ttl", "dcat-ap-nl-3.0/dcat-ap-nl-SHACL.ttl"} {
		if _, err := os.Stat(filepath.Join(vocabDir, f)); err != nil {
			missing(t, "official SHACL shapes not found at %s (the shared/ folder is absent)", filepath.Join(vocabDir, f))
		}
	}
	return node
}

// shaclResult is what validate.mjs reported: exit status, the counts of its count line (results by
// severity, focus nodes validated by class), stdout and stderr.
type shaclResult struct {
	code                       int
	violations, warnings, info int
	datasets, distributions    int
	out, stderr                string
}

var countLine = regexp.MustCompile(`(?m)^.*: (\d+) violation\(s\), (\d+) warning\(s\), (\d+) info\(s\) against \d+ shape file\(s\); focus nodes validated: (\d+) dcat:Dataset, (\d+) dcat:Distribution$`)

// validateSHACL runs tools/shacl/validate.mjs on data with a profile.
func validateSHACL(t *testing.T, node string, data []byte, profile string) shaclResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "dcat.jsonld")
	require.NoError(t, os.WriteFile(file, data, 0o644))
	cmd := exec.Command(node, filepath.Join(shaclTool, "validate.mjs"), "--vocab", vocabDir, "--profile", profile, file)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := shaclResult{out: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("running validate.mjs: %v", err)
	}
	require.NotEqual(t, 2, res.code, "validate.mjs could not run:\n%s", stderr.String())
	m := countLine.FindStringSubmatch(res.out)
	require.NotNil(t, m, "no count line in the output of validate.mjs:\n%s\n%s", res.out, stderr.String())
	res.violations, _ = strconv.Atoi(m[1])
	res.warnings, _ = strconv.Atoi(m[2])
	res.info, _ = strconv.Atoi(m[3])
	res.datasets, _ = strconv.Atoi(m[4])
	res.distributions, _ = strconv.Atoi(m[5])
	return res
}

var profiles = []string{"dcat-ap-3", "dcat-ap-nl-3"}

// countTyped counts the nodes of a dcat.jsonld's @graph whose @type is (or includes) typ.
func countTyped(t *testing.T, b []byte, typ string) int {
	t.Helper()
	var doc struct {
		Graph []map[string]any `json:"@graph"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	n := 0
	for _, node := range doc.Graph {
		switch v := node["@type"].(type) {
		case string:
			if v == typ {
				n++
			}
		case []any:
			for _, x := range v {
				if x == typ {
					n++
					break
				}
			}
		}
	}
	return n
}

// TestDCATConformsToSHACL checks dcat.jsonld of a real build against DCAT-AP 3.0.1 and DCAT-AP-NL 3.0:
// no violations allowed. Warnings from the recommended (aanbevolen) shapes are logged, not failed.
func TestDCATConformsToSHACL(t *testing.T) {
	node := needTool(t)
	for name, r := range map[string]*Release{"build": buildRelease(t), "golden": fixedRelease(t)} {
		b, err := DCAT(r)
		require.NoError(t, err)
		datasets, distributions := countTyped(t, b, "dcat:Dataset"), countTyped(t, b, "dcat:Distribution")
		require.Equal(t, 1+len(r.versions()), datasets, "dcat:Dataset nodes in dcat.jsonld: the stable one and one per release")
		require.Equal(t, 1, countTyped(t, b, "dcat:Catalog"), "dcat:Catalog nodes in dcat.jsonld")
		require.Positive(t, distributions, "dcat:Distribution nodes in dcat.jsonld")
		for _, profile := range profiles {
			t.Run(name+"/"+profile, func(t *testing.T) {
				res := validateSHACL(t, node, b, profile)
				assert.Equal(t, 0, res.code, "exit status")
				// Every dataset and distribution was a focus node, so the pass means something.
				assert.Equal(t, datasets, res.datasets, "dcat:Dataset focus nodes validated")
				assert.Equal(t, distributions, res.distributions, "dcat:Distribution focus nodes validated")
				if res.violations > 0 {
					t.Errorf("dcat.jsonld has %d violation(s) of %s:\n%s", res.violations, profile, res.out)
				}
				if res.warnings+res.info > 0 {
					t.Logf("%s: %d warning(s), %d info(s) (recommended properties)", profile, res.warnings, res.info)
				}
			})
		}
	}
}

// TestSHACLCatchesViolations proves the check can fail: a dataset without publisher and a
// distribution without licence must be reported by both profiles.
func TestSHACLCatchesViolations(t *testing.T) {
	node := needTool(t)
	b, err := DCAT(fixedRelease(t))
	require.NoError(t, err)
	var doc struct {
		Context any              `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	var droppedLicense, droppedPublisher bool
	for _, n := range doc.Graph {
		switch n["@type"] {
		case "dcat:Dataset":
			delete(n, "dct:publisher")
			droppedPublisher = true
		case "dcat:Distribution":
			if !droppedLicense {
				delete(n, "dct:license")
				droppedLicense = true
			}
		}
	}
	require.True(t, droppedLicense && droppedPublisher)
	broken, err := publish.EncodeJSON(map[string]any{"@context": doc.Context, "@graph": doc.Graph})
	require.NoError(t, err)

	for _, tc := range []struct {
		profile string
		want    []string
	}{
		// DCAT-AP 3 makes neither property mandatory, so a distribution's missing licence is no
		// violation there; an unknown property value type is. Use a bad byte size instead.
		{"dcat-ap-3", []string{"dcat:byteSize"}},
		{"dcat-ap-nl-3", []string{"dct:publisher", "dct:license"}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			data := broken
			if tc.profile == "dcat-ap-3" {
				data = bytes.Replace(broken, []byte(`"@type": "xsd:nonNegativeInteger"`), []byte(`"@type": "xsd:string"`), 1)
			}
			res := validateSHACL(t, node, data, tc.profile)
			assert.Equal(t, 1, res.code, "exit status with violations")
			assert.Positive(t, res.violations, res.out)
			for _, w := range tc.want {
				assert.Contains(t, res.out, "path:         "+w, "expected a violation on %s:\n%s", w, res.out)
			}
		})
	}
}

// TestSHACLFailsWhenNothingMatches proves that a dcat.jsonld whose classes the shapes cannot see fails,
// rather than passing with 0 violations: a wrong dcat namespace (trailing slash instead of #), no
// @context at all, and distributions typed with another vocabulary's class.
func TestSHACLFailsWhenNothingMatches(t *testing.T) {
	node := needTool(t)
	b, err := DCAT(fixedRelease(t))
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	delete(doc, "@context")
	noContext, err := publish.EncodeJSON(doc)
	require.NoError(t, err)

	// replace replaces old in b, failing the test when old is not there, so no case tests the intact file.
	replace := func(old, new string) []byte {
		require.Contains(t, string(b), old)
		return bytes.ReplaceAll(b, []byte(old), []byte(new))
	}
	for _, tc := range []struct {
		name                    string
		data                    []byte
		datasets, distributions int
		stderr                  []string
	}{
		{"dcat namespace with trailing slash",
			replace(`"dcat": "http://www.w3.org/ns/dcat#"`, `"dcat": "http://www.w3.org/ns/dcat/"`), 0, 0,
			[]string{"nothing was checked", "no node is typed http://www.w3.org/ns/dcat#Dataset",
				"no node is typed http://www.w3.org/ns/dcat#Distribution", "http://www.w3.org/ns/dcat/Dataset"}},
		{"no @context", noContext, 0, 0,
			[]string{"nothing was checked", "no node is typed http://www.w3.org/ns/dcat#Dataset", "no @context"}},
		{"distributions not dcat:Distribution",
			replace(`"@type": "dcat:Distribution"`, `"@type": "dct:Distribution"`), countTyped(t, b, "dcat:Dataset"), 0,
			[]string{"the check is incomplete", "no node is typed http://www.w3.org/ns/dcat#Distribution",
				"http://purl.org/dc/terms/Distribution"}},
	} {
		for _, profile := range profiles {
			t.Run(tc.name+"/"+profile, func(t *testing.T) {
				res := validateSHACL(t, node, tc.data, profile)
				assert.Equal(t, 1, res.code, "exit status when a class has no focus node:\n%s%s", res.out, res.stderr)
				assert.Equal(t, tc.datasets, res.datasets, "dcat:Dataset focus nodes validated")
				assert.Equal(t, tc.distributions, res.distributions, "dcat:Distribution focus nodes validated")
				for _, w := range tc.stderr {
					assert.Contains(t, res.stderr, w)
				}
			})
		}
	}
}

// TestSHACLChecksCatalogAndVersions proves the shapes see the catalogue and the version chain: a
// catalogue without a title or contact point, a release's dataset that is no dcat:Dataset (so
// dcat:hasVersion points at something else) and a release's dataset without a publisher must fail.
func TestSHACLChecksCatalogAndVersions(t *testing.T) {
	node := needTool(t)
	b, err := DCAT(fixedRelease(t))
	require.NoError(t, err)
	var doc struct {
		Context any              `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	ds := fixedRelease(t).Dataset
	first, last := VersionURI(ds, "1.0.0"), VersionURI(ds, "1.2.0")
	var edits int
	for _, n := range doc.Graph {
		switch n["@id"] {
		case CatalogURI(ds):
			delete(n, "dct:title")
			delete(n, "dcat:contactPoint")
			edits++
		case first:
			n["@type"] = "dcat:Resource"
			edits++
		case last:
			delete(n, "dct:publisher")
			edits++
		}
	}
	require.Equal(t, 3, edits, "the catalogue and the first and last release's datasets are in the graph")
	broken, err := publish.EncodeJSON(map[string]any{"@context": doc.Context, "@graph": doc.Graph})
	require.NoError(t, err)

	for _, tc := range []struct {
		profile string
		want    [][2]string // focus node, path
	}{
		{"dcat-ap-3", [][2]string{{CatalogURI(ds), "dct:title"}, {ds.URI(), "dcat:hasVersion"}}},
		{"dcat-ap-nl-3", [][2]string{{CatalogURI(ds), "dct:title"}, {CatalogURI(ds), "dcat:contactPoint"},
			{ds.URI(), "dcat:hasVersion"}, {last, "dct:publisher"}}},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			res := validateSHACL(t, node, broken, tc.profile)
			assert.Equal(t, 1, res.code, "exit status with violations")
			for _, w := range tc.want {
				assert.Contains(t, res.out, "focus node:   <"+w[0]+">\n  path:         "+w[1], "expected a violation on %s of %s:\n%s", w[1], w[0], res.out)
			}
		})
	}
}
