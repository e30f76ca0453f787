//go:build !unix

package projection

import "time"

// cpuTime is not measured here (no getrusage): cpu-ms/op reads 0.
func cpuTime() time.Duration { return 0 }
