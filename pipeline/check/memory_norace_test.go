//go:build !race

// Heap figures under the race detector say little about the program's own (its allocations
// carry extra state): make slow-test runs this test without it.

package check

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMemoryDoesNotGrowWithPassages: ten times the passages (of the same size, in documents of
// the same size) must not hold ten times the memory. What may grow with the rows is the
// checker's set of passage ids (tens of bytes a row) and the documents; the passages themselves
// (about 600 bytes of text each, three copies) must not stay. Both sizes are past the Parquet
// reader's record batch, which is in memory whatever the size.
func TestMemoryDoesNotGrowWithPassages(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two synthetic folders of 10,000 and 100,000 passages")
	}
	const perDoc, text = 100, 600
	small, smallSrc := synthetic(t, 100, perDoc, text)
	large, largeSrc := synthetic(t, 1000, perDoc, text)
	a := peakHeap(t, small, smallSrc)
	b := peakHeap(t, large, largeSrc)
	perRow := (float64(b) - float64(a)) / float64((1000-100)*perDoc)
	t.Logf("peak live heap: %d passages %.1f MB, %d passages %.1f MB: %.0f bytes per added passage",
		100*perDoc, float64(a)/1e6, 1000*perDoc, float64(b)/1e6, perRow)
	// Kept, the passages would add about 1,200 bytes each. The peak also moves with where the
	// samples fall against the Parquet reader's record batches (8,192 rows, some 10 MB decoded),
	// which at 90,000 more passages is up to about 130 bytes a passage: hence the margin.
	assert.Less(t, perRow, 300.0, "the check holds passages it has done with")
}
