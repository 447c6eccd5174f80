//go:build !race

// The pages at their real limits hold megabytes of passages: too slow under the race detector.

package site

import "testing"

// TestCappedAtPageLimits is TestCapped with pageLimits, over 16,000 generated passages (about
// 10 MB of them as the browser's JSON).
func TestCappedAtPageLimits(t *testing.T) {
	checkCapped(t, generated{passages: 16_000, docs: 60, parties: 8}, pageLimits)
}
