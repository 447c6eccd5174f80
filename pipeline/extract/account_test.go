package extract

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/pipeline/model"
)

// TestAccountOverlap: a passage that runs into another one fails with the first byte they share
// and the stretch of the passage that holds it (up to dropped furniture or its end).
func TestAccountOverlap(t *testing.T) {
	text := "abc def ghi\n"
	tx := &Text{File: "f.txt", Raw: []byte(text), S: text}
	units := []model.Unit{{Kind: model.KindParagraph, Start: 0, End: 5}, {Kind: model.KindBullet, Start: 4, End: 11}}
	_, err := Account(tx, &model.Extracted{Units: units})
	require.Error(t, err)
	assert.Equal(t, "f.txt:1:5: bullet span 4..11 overlaps another span", err.Error())

	dropped := []model.Span{{Start: 7, End: 8, Class: model.ClassDropped, Label: ReasonPageNumber}}
	_, err = Account(tx, &model.Extracted{Units: units, Spans: dropped})
	require.Error(t, err)
	assert.Equal(t, "f.txt:1:5: bullet span 4..7 overlaps another span", err.Error())

	// Apart, with the furniture inside the second passage, every byte is accounted for.
	units[1].Start = 5
	acc, err := Account(tx, &model.Extracted{Units: units, Spans: dropped})
	require.NoError(t, err)
	assert.Equal(t, map[model.Class]int64{model.ClassPassage: 5 + 5, model.ClassDropped: 1, model.ClassWhitespace: 1, model.ClassStructure: 0}, acc.Classes)
}

// FuzzAccountScans holds the word-at-a-time scans (Account's, and breakCandidate of the line
// splitters) to byte-by-byte loops, at every start offset (so every alignment of the words).
func FuzzAccountScans(f *testing.F) {
	f.Add("Hoofdstuk 1 Een veilig digitaal land, ook voor wie niet online is.", []byte{1, 1, 1, 0, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 0})
	f.Add("é’ ab\ncd", []byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0})
	f.Add("", []byte{})
	f.Add("een regel\r\nnog een\rderde\u2028vierde “met” aanhalingstekens\u2029 en\nzo verder, tot het einde", []byte{1})
	f.Fuzz(func(t *testing.T, s string, classOf []byte) {
		for k := range classOf {
			classOf[k] %= 5
		}
		for from := 0; from <= len(classOf); from++ {
			c := classOf[from:]
			n := 0
			for n < len(c) && c[n] == 0 {
				n++
			}
			require.Equal(t, n, unmarked(c), "unmarked from %d", from)
			if from <= len(s) && len(s)-from <= len(c) {
				n = 0
				for n < len(s)-from && s[from+n] < utf8.RuneSelf && c[n] != 0 {
					n++
				}
				require.Equal(t, n, accountedASCII(s[from:], c), "accountedASCII from %d", from)
			}
			if from <= len(s) {
				n = from
				for n < len(s) && !breakFirst[s[n]] {
					n++
				}
				require.Equal(t, n, breakCandidate(s, from), "breakCandidate from %d", from)
				require.Equal(t, n, breakCandidate([]byte(s), from), "breakCandidate of bytes from %d", from)
			}
			b := append([]byte(nil), c...)
			fill(b, 3)
			require.True(t, bytes.Equal(bytes.Repeat([]byte{3}, len(c)), b), "fill from %d", from)
		}
	})
}
