package schemas

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/frictionless"
)

// profileDir holds the official Frictionless profiles, read in place from ../shared.
const profileDir = "../../shared/vocab/frictionless/1.0"

// TestSchemasMatchOfficialProfile validates every schema file against the official Table Schema
// v1 profile, so frictionless-py and other v1 readers accept them.
func TestSchemasMatchOfficialProfile(t *testing.T) {
	profile := filepath.Join(profileDir, "tableschema.json")
	needProfile(t, profile)
	sch, err := frictionless.Compile(profile)
	require.NoError(t, err)
	for _, name := range Order {
		t.Run(name, func(t *testing.T) {
			b, err := Raw(name)
			require.NoError(t, err)
			problems, err := frictionless.Validate(sch, b)
			require.NoError(t, err)
			if len(problems) > 0 {
				t.Errorf("schemas/%s.json does not validate against %s:\n  %s", name, profile, strings.Join(problems, "\n  "))
			}
		})
	}
}

// TestProfileCatchesBrokenSchema proves the profile test can fail: a field without a name and
// with an unknown type must be rejected.
func TestProfileCatchesBrokenSchema(t *testing.T) {
	profile := filepath.Join(profileDir, "tableschema.json")
	needProfile(t, profile)
	sch, err := frictionless.Compile(profile)
	require.NoError(t, err)
	problems, err := frictionless.Validate(sch, []byte(`{"fields":[{"type":"list"}],"primaryKey":"x"}`))
	require.NoError(t, err)
	require.NotEmpty(t, problems)
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
