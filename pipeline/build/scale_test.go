//go:build !race

// The build of a generated corpus of 10 MB runs without the race detector (make slow-test).

package build

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/standpunten/standpunten/internal/gencorpus"
)

// TestReproducibleAtScale builds a generated 10 MB corpus of every layout (tens of thousands of
// passages, several row groups per table) with one worker and with three, and wants the same
// bytes: the output depends neither on the number of workers nor on map order in the writers.
func TestReproducibleAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a 10 MB corpus twice")
	}
	raw := filepath.Join(t.TempDir(), "raw")
	st, err := gencorpus.Write(raw, gencorpus.Options{Seed: 12, Bytes: 10 << 20})
	require.NoError(t, err)
	t.Logf("corpus: %d documents, %d bytes", st.Documents, st.Bytes)
	a := filepath.Join(t.TempDir(), "out")
	_, err = Run(context.Background(), Options{RawDir: raw, OutDir: a, Workers: 1})
	require.NoError(t, err)
	b := filepath.Join(t.TempDir(), "out")
	_, err = Run(context.Background(), Options{RawDir: raw, OutDir: b, Workers: 3})
	require.NoError(t, err)
	assertSameFiles(t, a, b)
}
