package publish

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

func FuzzAppendQuoted(f *testing.F) {
	for _, s := range []string{"", "a", tricky, "\x00\x1f\b\f\u2028\u2029\\\"", "<script>&amp;</script>", "é’“”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		q := appendQuoted(nil, s)
		var back string
		require.NoError(t, json.Unmarshal(q, &back), "%s", q)
		require.Equal(t, s, back)
		require.Equal(t, strings.Count(s, "<"), strings.Count(string(q), "<"), "no HTML escaping")
		list := appendList(nil, []string{s, s})
		var l []string
		require.NoError(t, json.Unmarshal(list, &l))
		require.Equal(t, []string{s, s}, l)
	})
}

// FuzzTextRoundTrip writes one text through every format and reads it back.
func FuzzTextRoundTrip(f *testing.F) {
	for _, s := range []string{"", " ", "\n", "\"", ",", tricky, "\\.", "\ufeffbom", "null", "[]", "\u2028"} {
		f.Add(s)
	}
	set := loadSchemas(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := model.Score{DocumentID: "d", PartyID: "p", Score: 1, Question: s}
		if _, err := (column{kind: kindString}).cell(s); err != nil {
			t.Skip() // refused text: carriage returns, invalid UTF-8
		}
		dir := t.TempDir()
		w, err := NewWriter(dir, set, Meta{})
		require.NoError(t, err)
		tw, err := w.Table("scores")
		require.NoError(t, err)
		require.NoError(t, tw.Append(r))
		require.NoError(t, tw.Close())
		for format, read := range readers {
			got, err := read(Path(dir, format, "scores"), set["scores"])
			require.NoError(t, err, format)
			require.Equal(t, [][]any{r.Values()}, got, format)
		}
	})
}
