package build

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
	"github.com/standpunten/standpunten/pipeline/publish"
)

// TestAccountingFileBytes: written one document at a time, accounting.json has the bytes that
// publish.WriteJSON gives the whole list, for no document, one and several (with empty and nil
// maps and lists, characters JSON would escape for HTML, and text that is not ASCII).
func TestAccountingFileBytes(t *testing.T) {
	docs := []model.Accounting{
		{DocumentID: "a-doc", RawPath: "raw/a.txt", Bytes: 10, Classes: map[model.Class]int64{"passage": 7, "structure": 3},
			Labels: map[string]int64{"heading": 3}, Dropped: []model.DroppedSpan{{Start: 1, End: 2, Line: 1, Reason: "running_header"}},
			Quality: &model.Quality{PassagesByKind: map[model.Kind]int{model.KindTheme: 2}, DroppedBytes: map[string]int64{}, Flags: map[string]int{"fragment": 1}, Headings: 1}},
		{DocumentID: "b-doc", RawPath: "raw/b <&> ë “x”.txt", Classes: map[model.Class]int64{}, Dropped: []model.DroppedSpan{}},
		{DocumentID: "c-doc"},
	}
	for n := 0; n <= len(docs); n++ {
		dir := t.TempDir()
		a, err := newAccountingFile(dir)
		require.NoError(t, err)
		for _, d := range docs[:n] {
			require.NoError(t, add(a, d))
		}
		require.NoError(t, a.commit())
		got, err := os.ReadFile(filepath.Join(dir, publish.AccountingFile))
		require.NoError(t, err)
		var list []model.Accounting // nil for none, as the build's list was
		list = append(list, docs[:n]...)
		want, err := publish.EncodeJSON(map[string]any{"documents": list})
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%d documents", n)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Len(t, entries, 1, "only accounting.json is left")
		info, err := os.Stat(filepath.Join(dir, publish.AccountingFile))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
	}
}

// TestAccountingFileOrder: a document that does not come after the one before is refused, and an
// aborted file leaves nothing behind.
func TestAccountingFileOrder(t *testing.T) {
	for _, ids := range [][]string{{"b", "a"}, {"a", "a"}} {
		dir := t.TempDir()
		a, err := newAccountingFile(dir)
		require.NoError(t, err)
		require.NoError(t, add(a, model.Accounting{DocumentID: ids[0]}))
		err = add(a, model.Accounting{DocumentID: ids[1]})
		require.Error(t, err)
		assert.Contains(t, err.Error(), `document "`+ids[1]+`" came after "`+ids[0]+`"`)
		a.abort()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, entries, "abort removes the unfinished file")
		a.abort() // a second abort does nothing
	}
}

// add encodes a document's accounting as its worker does and writes it.
func add(a *accountingFile, acc model.Accounting) error {
	e, err := encodeAccounting(acc)
	if err != nil {
		return err
	}
	return a.addEntry(e)
}
