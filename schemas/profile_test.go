package schemas

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
)

// profileDir holds the official Frictionless profiles, read in place from ../shared.
const profileDir = "../../shared/vocab/frictionless/1.0"

// TestSchemasMatchOfficialProfile validates every schema file against the official Table Schema
// v1 profile, so frictionless-py and other v1 readers accept them.
func TestSchemasMatchOfficialProfile(t *testing.T) {
	profile := filepath.Join(profileDir, "tableschema.json")
	needProfile(t, profile)
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(profile)
	require.NoError(t, err)
	for _, name := range Order {
		t.Run(name, func(t *testing.T) {
			b, err := Raw(name)
			require.NoError(t, err)
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
			require.NoError(t, err)
			if err := sch.Validate(doc); err != nil {
				t.Errorf("schemas/%s.json does not validate against %s:\n%s", name, profile, sortedLeaves(err))
			}
		})
	}
}

// TestProfileCatchesBrokenSchema proves the profile test can fail: a field without a name and
// with an unknown type must be rejected.
func TestProfileCatchesBrokenSchema(t *testing.T) {
	profile := filepath.Join(profileDir, "tableschema.json")
	needProfile(t, profile)
	sch, err := jsonschema.NewCompiler().Compile(profile)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"fields":[{"type":"list"}],"primaryKey":"x"}`), &doc))
	require.Error(t, sch.Validate(doc))
}

// needProfile skips the test when the official profile is absent (no ../shared beside the
// clone), or fails it where CI demands every conformance test (STANDPUNTEN_CONFORMANCE=require).
func needProfile(t *testing.T, profile string) {
	t.Helper()
	if _, err := os.Stat(profile); err != nil {
		if os.Getenv("STANDPUNTEN_CONFORMANCE") == "require" {
			t.Fatalf("official profile not found at %s: %v", profile, err)
		}
		t.Skipf("official profile not found at %s (the shared/ folder is absent): %v", profile, err)
	}
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
