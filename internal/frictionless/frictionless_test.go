package frictionless

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// profileDir holds the official Frictionless profiles, read in place from ../shared.
const profileDir = "../../../shared/vocab/frictionless"

// needProfiles skips the test when the official profiles are absent (no ../shared beside the
// clone), or fails it where CI demands every conformance test (STANDPUNTEN_CONFORMANCE=require).
func needProfiles(t *testing.T, version string) string {
	t.Helper()
	dir := filepath.Join(profileDir, version)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("STANDPUNTEN_CONFORMANCE") == "require" {
			t.Fatalf("official Frictionless %s profiles not found at %s (STANDPUNTEN_CONFORMANCE=require): %v", version, dir, err)
		}
		t.Skipf("official Frictionless %s profiles not found at %s (the shared/ folder is absent); set STANDPUNTEN_CONFORMANCE=require to make this a failure: %v", version, dir, err)
	}
	return dir
}

// TestPathPatterns checks the hand-written matchers against what the look-ahead patterns match
// (the expectations were cross-checked with an ECMAScript engine).
func TestPathPatterns(t *testing.T) {
	for _, tc := range []struct {
		s      string
		v1, v2 bool
	}{
		{"csv/passages.csv", true, true},
		{"a", true, true},
		{"x/./y", true, true},
		{"https://example.org/x", true, true},
		{"http://example.org/a/../b", false, true},
		{"ftps://example.org/x", true, true},
		{"ftp://example.org/x", true, true},
		{"http:/x", true, true},
		{"", false, false},
		{"./x", false, false},
		{"/etc/passwd", false, false},
		{"~/x", false, false},
		{"..", false, false},
		{"a/../b", false, false},
		{"a/..", false, true},
		{"a..b", false, true},
		{".hidden", false, false},
		{"file:///etc/passwd", true, false},
		{"file:x", true, false},
		{"data/file:x", true, true},
		{"a://b", true, false},
		{"HTTP://example.org", true, false},
		{"a\\b", true, false},
		{"a\nb", false, false},
		{"a\n", false, false},
		{"a\rb", false, false},
		{"a\u2028b", false, false},
		{"https://example.org/\n", false, false},
	} {
		assert.Equal(t, tc.v1, pathPattern{PathPatternV1}.MatchString(tc.s), "v1 %q", tc.s)
		assert.Equal(t, tc.v2, pathPattern{PathPatternV2}.MatchString(tc.s), "v2 %q", tc.s)
	}
}

func TestCompileRegexp(t *testing.T) {
	for _, p := range []string{PathPatternV1, PathPatternV2} {
		re, err := CompileRegexp(p)
		require.NoError(t, err)
		assert.IsType(t, pathPattern{}, re)
		assert.Equal(t, p, re.String())
	}
	re, err := CompileRegexp(`^([-a-z0-9._/])+$`)
	require.NoError(t, err)
	assert.True(t, re.MatchString("csv/a.csv"))
	assert.False(t, re.MatchString("CSV"))
	_, err = CompileRegexp(`^(?!x).*$`) // any other look-ahead is an error, not a silent pass
	assert.Error(t, err)
}

// TestLeaves: one sorted line per leaf failure, "/location: message".
func TestLeaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"type":"object","properties":{
		"b":{"type":"string"},"a":{"type":"integer"},"c":{"type":"array","items":{"minimum":0}}}}`), 0o644))
	sch, err := Compile(path)
	require.NoError(t, err)

	got, err := Validate(sch, []byte(`{"c":[1,-1],"b":1,"a":"x"}`))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"/a: got string, want integer",
		"/b: got number, want string",
		"/c/1: minimum: got -1, want 0",
	}, got)

	got, err = Validate(sch, []byte(`{"a":1}`))
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = Validate(sch, []byte(`{"a":`))
	assert.Error(t, err)

	assert.Nil(t, Leaves(nil))
	assert.Equal(t, []string{"plain"}, Leaves(errString("plain")))
}

type errString string

func (e errString) Error() string { return string(e) }

func TestCompileMissingProfile(t *testing.T) {
	_, err := Compile(filepath.Join(t.TempDir(), "nope.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope.json")
}

// TestOfficialProfiles compiles every official profile and proves, with a descriptor that is
// valid and one that breaks the path pattern, that the Data Package profile accepts and rejects.
func TestOfficialProfiles(t *testing.T) {
	for _, version := range []string{"1.0", "2.0"} {
		t.Run(version, func(t *testing.T) {
			dir := needProfiles(t, version)
			for _, name := range []string{"datapackage.json", "dataresource.json", "tableschema.json", "tabledialect.json"} {
				_, err := Compile(filepath.Join(dir, name))
				require.NoError(t, err, name)
			}
			sch, err := Compile(filepath.Join(dir, "datapackage.json"))
			require.NoError(t, err)
			for _, tc := range []struct {
				path string
				want string // a prefix of a leaf line; "" = valid
			}{
				{"csv/parties.csv", ""},
				{"https://example.org/parties.csv", ""},
				{"../csv/parties.csv", "/resources/0/path"},
				{"/etc/passwd", "/resources/0/path"},
			} {
				doc := `{"name":"x","resources":[{"name":"parties","path":"` + tc.path + `"}]}`
				got, err := Validate(sch, []byte(doc))
				require.NoError(t, err)
				if tc.want == "" {
					assert.Empty(t, got, tc.path)
					continue
				}
				found := false
				for _, l := range got {
					found = found || strings.HasPrefix(l, tc.want)
				}
				assert.True(t, found, "%s: want a failure at %s, got %q", tc.path, tc.want, got)
			}
		})
	}
}
