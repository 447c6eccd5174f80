package metadata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/frictionless"
)

// profileDir holds the official Frictionless profiles, read in place from ../shared.
const profileDir = "../../../shared/vocab/frictionless"

// loadProfile compiles datapackage.json of a Frictionless profile version, or skips the test.
func loadProfile(t *testing.T, version string) *jsonschema.Schema {
	t.Helper()
	profile := filepath.Join(profileDir, version, "datapackage.json")
	if _, err := os.Stat(profile); err != nil {
		missing(t, "official Frictionless profile not found at %s (the shared/ folder is absent): %v", profile, err)
	}
	sch, err := frictionless.Compile(profile)
	require.NoError(t, err)
	return sch
}

// validateDescriptor validates JSON bytes against a profile and returns the sorted failures ("" = valid).
func validateDescriptor(t *testing.T, sch *jsonschema.Schema, b []byte) string {
	t.Helper()
	problems, err := frictionless.Validate(sch, b)
	require.NoError(t, err)
	if len(problems) == 0 {
		return ""
	}
	return "  " + strings.Join(problems, "\n  ")
}
