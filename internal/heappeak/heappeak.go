// Package heappeak generates table rows on the fly and measures the peak heap while they are
// read, for the tests and benchmarks that show a stage's memory stays bounded over many rows
// (pipeline/codebook, pipeline/site). It is for tests only.
package heappeak

import (
	"iter"
	"runtime"
	"testing"
)

// Peak samples the heap while rows are read: the heap allocated (live and not yet collected
// garbage) at every sample, and the live heap (after a collection) at every 16th.
type Peak struct {
	n         int
	max, live uint64
}

// Sample reads the heap once (and collects first at every 16th call).
func (h *Peak) Sample() {
	var ms runtime.MemStats
	if h.n%16 == 0 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		h.live = max(h.live, ms.HeapAlloc)
	} else {
		runtime.ReadMemStats(&ms)
	}
	h.n++
	h.max = max(h.max, ms.HeapAlloc)
}

// SampleLive reads the heap after a collection, whatever the count: the live heap at the end.
func (h *Peak) SampleLive() {
	h.n = 0
	h.Sample()
}

// Report gives the peaks in MB above base (the heap before the run) and reports them as the
// benchmark's metrics peak-heap-MB and peak-live-MB.
func (h *Peak) Report(b *testing.B, base uint64) (peak, live float64) {
	above := func(x uint64) float64 { return float64(x-min(x, base)) / 1e6 }
	peak, live = above(h.max), above(h.live)
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(live, "peak-live-MB")
	return peak, live
}

// Rows yields n rows made by row(i) on the fly (no slice of all rows exists), calling probe
// before every every-th row when every > 0: a generated table for a publish.Tables whose heap a
// benchmark samples while it is read.
func Rows(n int, row func(i int) []any, every int, probe func()) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for i := range n {
			if every > 0 && i%every == 0 {
				probe()
			}
			if !yield(row(i), nil) {
				return
			}
		}
	}
}
