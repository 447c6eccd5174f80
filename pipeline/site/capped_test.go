//go:build !race

// The pages at their real limits hold megabytes of passages: too slow under the race detector.

package site

import "testing"

// TestCappedAtPageLimits is TestCapped with pageLimits, over 16,000 generated passages (about
// 10 MB of them as the browser's JSON): in 60 documents, whose lists are cut, and in 630 (210 an
// election, 210 with scores), whose charts are cut.
func TestCappedAtPageLimits(t *testing.T) {
	checkCapped(t, generated{passages: 16_000, docs: 60, parties: 8}, pageLimits, cuts{lists: true})
	checkCapped(t, generated{passages: 16_000, docs: 630, parties: 8}, pageLimits, cuts{docs: true})
}
