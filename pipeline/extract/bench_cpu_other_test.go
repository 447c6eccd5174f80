//go:build !unix

package extract

import "time"

// processCPU is not measured here: the benchmarks then report wall time only.
func processCPU() (time.Duration, bool) { return 0, false }
