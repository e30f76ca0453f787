package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// memTrace prints one line at each stage boundary of a computation (and at
// each unit of the kNN stage, whose units are trees and rounds): the time
// since the start, the resident and peak resident memory (VmRSS, VmHWM)
// and the Go heap in use, so that a run's peak can be placed in a stage.
// Reading the heap stops the world for a moment; the trace is off unless
// --mem-trace is given.
type memTrace struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	stage string
	done  int
}

func newMemTrace(w io.Writer, start time.Time) *memTrace {
	return &memTrace{w: w, start: start, done: -1}
}

// mark prints a line for the event what.
func (t *memTrace) mark(what string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, hwm := procStatusMB("VmRSS:"), procStatusMB("VmHWM:")
	fmt.Fprintf(t.w, "mem       %-16s %8.1fs  rss %6.0f MB  peak %6.0f MB  heap %6.0f MB\n",
		what, time.Since(t.start).Seconds(), rss, hwm, float64(ms.HeapAlloc)/(1<<20))
}

// update is a projection.Hooks Progress function: it marks the start and
// end of every stage and every unit of the kNN stage.
func (t *memTrace) update(p projection.Progress) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case p.Stage != t.stage:
		t.stage, t.done = p.Stage, p.Done
		t.mark(fmt.Sprintf("%s %d/%d", p.Stage, p.Done, p.Total))
	case p.Done != t.done && (p.Stage == "knn" || p.Done == p.Total):
		t.done = p.Done
		t.mark(fmt.Sprintf("%s %d/%d", p.Stage, p.Done, p.Total))
	}
}

// procStatusMB returns the value of field (e.g. "VmHWM:") of
// /proc/self/status in MB (Linux); 0 where unavailable.
func procStatusMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
