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

// appendQuotedByRune is appendQuoted as it was first written, rune by rune: the reference the
// byte-table version must agree with, on any bytes.
func appendQuotedByRune(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	done := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == '\u2028' || r == '\u2029' {
				dst = append(append(dst, s[done:i]...), `\u202`...)
				dst = append(dst, hex[r&0xf])
				done = i + size
			}
			i += size
			continue
		}
		if b >= 0x20 && b != '"' && b != '\\' {
			i++
			continue
		}
		dst = append(dst, s[done:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
		}
		i++
		done = i
	}
	return append(append(dst, s[done:]...), '"')
}

// FuzzAppendQuotedAgrees: appendQuoted writes the bytes the rune-by-rune reference writes, for
// valid UTF-8 and for any other bytes.
func FuzzAppendQuotedAgrees(f *testing.F) {
	for _, s := range []string{"", "a", tricky, "\x00\x1f\b\f\u2028\u2029\\\"", "é’“”", "\u2028", "x\u2029", "\xe2", "\xe2\x80",
		"\xe2\x80\xa8", "\xe2\x80\xaa", "\xe2\x82\xac", "\xf0\xe2\x80\xa9", "\xe1\xe2\x80\xa8y", "\xff\u2028",
		"Een lange tekst met \"quotes\", een \\ en “typografische” aanhalingstekens\u2028een regel\tmet een tab\x1f en\x7f verder."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		require.Equal(t, string(appendQuotedByRune(nil, s)), string(appendQuoted(nil, s)), "%q", s)
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
