//go:build unix

package extract

import (
	"syscall"
	"time"
)

// processCPU is the user and system CPU time this process has used so far (all threads, the
// garbage collector's included). The benchmarks report it per operation beside the wall time,
// which on a shared machine says more about the load than about the code.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
