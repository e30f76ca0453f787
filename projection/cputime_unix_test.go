//go:build unix

package projection

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time so far. Benchmarks report
// it per op ("cpu-ms/op") beside wall time, which on a shared machine says
// more than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
