// Package testraw gives tests a scratch copy of the project's raw folder. Tests that build and
// release many times (the release machinery, the CLI) work on the five seed texts and a few of the
// programme chapters, so that the race-detector runs in CI stay short; the build's own tests still
// read every text.
package testraw

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Copy copies the raw folder src to a temporary folder and keeps in its sources.toml every
// [[document]] entry except those of programme texts beyond the first keep of them. It returns the
// copy's path.
func Copy(t testing.TB, src string, keep int) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "raw")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dst, "sources.toml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(b), "[[document]]")
	out := parts[0]
	kept := 0
	for _, p := range parts[1:] {
		if strings.Contains(p, `format = "programme-text"`) {
			if kept >= keep {
				continue
			}
			kept++
		}
		out += "[[document]]" + p
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}
