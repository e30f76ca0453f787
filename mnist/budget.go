package mnist

import (
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// BytesPerPixel is what the memory budget (Options.MaxBytes) counts for each
// pixel value of a dataset (each channel of a colour pixel): 1 for the value
// as loaded and 4 for the float32 copy that layouts compute on.
const BytesPerPixel = 1 + 4

// fallbackBudget is the budget where no bound on the process's memory can
// be read (systems without /proc/meminfo and no limit set).
const fallbackBudget = 4 << 30

// DefaultMaxBytes returns the default memory budget of a dataset: half of
// the smallest known bound on this process's memory, that is, of physical
// memory (/proc/meminfo), the cgroup's memory limit, the address-space and
// data limits (ulimit -v, ulimit -d) and GOMEMLIMIT. Where none of these is
// known (systems other than Linux, with no GOMEMLIMIT) it is 4 GiB. Half
// leaves the other half to the program, the layouts' own structures and the
// rest of the machine.
func DefaultMaxBytes() int64 {
	n, _ := defaultBudget()
	return n
}

// defaultBudget returns DefaultMaxBytes and where it comes from, worded for
// an error message. It is read once per process.
var defaultBudget = sync.OnceValues(func() (int64, string) {
	limit, what := memoryLimit()
	if limit <= 0 {
		return fallbackBudget, "the default where the machine's memory is unknown"
	}
	return limit / 2, "half of " + what
})

// budget returns the budget o sets and where it comes from ("" when o sets
// it).
func (o Options) budget() (int64, string) {
	if o.MaxBytes > 0 {
		return o.MaxBytes, ""
	}
	return defaultBudget()
}

// need returns the bytes the budget counts for n images of w x h pixels of
// c channels with their labels. It cannot overflow: n <= MaxItems, w, h <=
// MaxImageSide and c <= 4 keep it below 2^53.
func need(n, w, h, c int) int64 {
	return int64(n) * (BytesPerPixel*int64(w)*int64(h)*int64(c) + 1)
}

// mib formats a byte count in MiB, rounded up, the unit of --max-data-mb.
func mib(n int64) string {
	return strconv.FormatInt((n+(1<<20)-1)>>20, 10) + " MiB"
}

// checkBudget returns an error naming path when what (images of w x h,
// needing total bytes in all) is over o's budget.
func checkBudget(path string, o Options, what string, total int64) error {
	max, from := o.budget()
	if total <= max {
		return nil
	}
	if from != "" {
		from = " (" + from + ")"
	}
	return fmt.Errorf("mnist: %s: %s need %s of memory (%d bytes a pixel: the pixel and its float32 copy for layouts), over the budget of %s%s; raise it with --max-data-mb (Options.MaxBytes)",
		path, what, mib(total), BytesPerPixel, mib(max), from)
}

// memoryLimit returns the smallest known bound on the memory this process
// may use, and what that bound is; 0 when none is known.
func memoryLimit() (int64, string) {
	var best int64
	var what string
	consider := func(n int64, name string) {
		// Limits of 2^60 and more are "unlimited" written as a number.
		if n > 0 && n < 1<<60 && (best == 0 || n < best) {
			best, what = n, name
		}
	}
	consider(memTotal(), "physical memory")
	consider(readInt("/sys/fs/cgroup/memory.max"), "the cgroup's memory limit")
	consider(readInt("/sys/fs/cgroup/memory/memory.limit_in_bytes"), "the cgroup's memory limit")
	for _, l := range rlimits() {
		consider(l.n, l.name)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		consider(l, "GOMEMLIMIT")
	}
	return best, what
}

// namedLimit is a bound on the process's memory and what sets it.
type namedLimit struct {
	n    int64
	name string
}

// memTotal returns the MemTotal of /proc/meminfo in bytes, or 0.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil || kb > 1<<50 {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// readInt returns the integer held in a small file such as a cgroup's
// limit, or 0 when it cannot be read or is not a number ("max").
func readInt(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 64 {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}
