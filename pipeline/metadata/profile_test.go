package metadata

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// profileDir holds the official Frictionless profiles, read in place from ../shared.
const profileDir = "../../../shared/vocab/frictionless"

// The path patterns of the Frictionless profiles use look-ahead, which Go's regexp (RE2) lacks.
// pathRegexp implements each of them as written; every other pattern goes to Go's regexp.
const (
	// v1: not empty, not starting with '.', '/' or '~', and no "..".
	pathPatternV1 = `^(?=^[^./~])(^((?!\.{2}).)*$).*$`
	// v2: an http(s)/ftp(s) URL, or a path not starting with '.', '/', '~' or "file:" and holding no
	// "/../", backslash or "://".
	pathPatternV2 = `^((?=[^./~])(?!file:)((?!\/\.\.\/)(?!\\)(?!:\/\/).)*|(http|ftp)s?:\/\/.*)$`
)

type pathRegexp struct{ pattern string }

func (p pathRegexp) MatchString(s string) bool {
	if strings.Contains(s, "\n") {
		return false // '.' does not match a line end
	}
	if p.pattern == pathPatternV2 {
		if regexp.MustCompile(`^(http|ftp)s?://`).MatchString(s) {
			return true
		}
		return s != "" && !strings.ContainsAny(s[:1], "./~") && !strings.HasPrefix(s, "file:") &&
			!strings.Contains(s, "/../") && !strings.Contains(s, "\\") && !strings.Contains(s, "://")
	}
	return s != "" && !strings.ContainsAny(s[:1], "./~") && !strings.Contains(s, "..")
}

func (p pathRegexp) String() string { return p.pattern }

// compileRegexp is Go's regexp plus the look-ahead patterns the profiles use.
func compileRegexp(s string) (jsonschema.Regexp, error) {
	if s == pathPatternV1 || s == pathPatternV2 {
		return pathRegexp{s}, nil
	}
	return regexp.Compile(s)
}

// loadProfile compiles datapackage.json of a Frictionless profile version, or skips the test.
func loadProfile(t *testing.T, version string) *jsonschema.Schema {
	t.Helper()
	profile := filepath.Join(profileDir, version, "datapackage.json")
	if _, err := os.Stat(profile); err != nil {
		missing(t, "official Frictionless profile not found at %s (the shared/ folder is absent): %v", profile, err)
	}
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(compileRegexp)
	sch, err := c.Compile(profile)
	require.NoError(t, err)
	return sch
}

// validateDescriptor validates JSON bytes against a profile and returns the sorted failures ("" = valid).
func validateDescriptor(t *testing.T, sch *jsonschema.Schema, b []byte) string {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
	require.NoError(t, err)
	if err := sch.Validate(doc); err != nil {
		return sortedLeaves(err)
	}
	return ""
}

// sortedLeaves flattens a validation error into sorted lines: the library's order is not stable.
func sortedLeaves(err error) string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return err.Error()
	}
	var lines []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			lines = append(lines, fmt.Sprintf("  /%s: %s", strings.Join(e.InstanceLocation, "/"), e.Error()))
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestPathRegexp(t *testing.T) {
	for _, tc := range []struct {
		s      string
		v1, v2 bool
	}{
		{"csv/passages.csv", true, true},
		{"https://example.org/x", true, true},
		{"", false, false},
		{"./x", false, false},
		{"/etc/passwd", false, false},
		{"~/x", false, false},
		{"a/../b", false, false},
		{"a..b", false, true},
		{".hidden", false, false},
		{"file:///etc/passwd", true, false},
		{"a\\b", true, false},
	} {
		require.Equal(t, tc.v1, pathRegexp{pathPatternV1}.MatchString(tc.s), "v1 %q", tc.s)
		require.Equal(t, tc.v2, pathRegexp{pathPatternV2}.MatchString(tc.s), "v2 %q", tc.s)
	}
}
