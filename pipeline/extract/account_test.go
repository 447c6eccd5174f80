package extract

import (
	"testing"

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
