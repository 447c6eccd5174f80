package registry

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// genSources writes a raw folder with parties.toml, elections.toml, one tiny text and a sources.toml
// of n documents that all name that text (the loader resolves each path, it does not read the text).
// Every fifth document is a programme text with markup, lines and furniture, every seventh has a
// [document.drop] table and a multi-line title, so the file has the shapes the real one has.
// last, when not empty, replaces the last entry's election value. It returns the folder.
func genSources(tb testing.TB, n int, last string) string {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("# generated\n")
	for i := range n {
		fmt.Fprintf(&b, "\n[[document]]\nid = \"doc-%d\"\nfile = \"a.txt\"\n", i)
		election := "TK2023"
		if i == n-1 && last != "" {
			election = last
		}
		switch {
		case i%5 == 0:
			fmt.Fprintf(&b, "format = \"programme-text\"\nelection = %q\ntopic = \"t\"\nlanguage = \"nl\"\nparty = \"volt\"\n", election)
			b.WriteString("markup = \"markdown\"\nlines = [1, 2]\nfurniture = ['^Pagina [0-9]+$']\n")
		case i%7 == 0:
			fmt.Fprintf(&b, "format = \"party-summaries\"\ntitle = \"\"\"\nEen titel\n[[document]]\nid = \"nep\"\n\"\"\"\nelection = %q\ntopic = \"t\"\nlanguage = \"nl\"\n", election)
			b.WriteString("\n[document.drop]\nnavigation = [\"Menu\", \"Zoeken\"]\n")
		default:
			fmt.Fprintf(&b, "format = \"party-summaries\"\nelection = %q\ntopic = \"t\"\nlanguage = \"nl\"\n", election)
		}
	}
	for name, body := range map[string]string{"parties.toml": parties, "elections.toml": elections,
		"sources.toml": b.String(), "a.txt": "Volt wil.\n"} {
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			dir := genSources(b, n, "")
			b.ResetTimer()
			for b.Loop() {
				if _, err := Load(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLoadAtScale loads scaleEntries entries (100,000; fewer under -race) with an error in the last one, indented, and wants its exact
// line and column: positions are found in one pass, not one search of the file per entry.
func TestLoadAtScale(t *testing.T) {
	dir := genSources(t, scaleEntries, "TK2027")
	path := filepath.Join(dir, SourcesFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(b)
	k := strings.LastIndex(text, "\nelection = \"TK2027\"") + 1
	require.Positive(t, k)
	text = text[:k] + "\t " + text[k:]
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	line := strings.Count(text[:k], "\n") + 1

	_, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("sources.toml:%d:3: unknown election \"TK2027\"", line))
	assert.Greater(t, line, 7*scaleEntries, "the generated file is as long as intended")
}
