package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// frameTiming measures start-up and still frames for --timings.
type frameTiming struct {
	sawFrame  bool // the first frame was reported
	sawDigits bool // the first frame with digits was reported
	timed     int  // still frames measured so far
	start     time.Time
	mem       runtime.MemStats
}

// timedFrames is the number of still frames --timings averages.
const timedFrames = 60

// reportTimings prints the time from process start to the first frame and
// to the first frame showing digits, then measures timedFrames more frames
// of the still view: mean frame time (draw + swap, with glFinish) and heap
// allocations per frame. It returns true when done.
func (a *app) reportTimings() bool {
	t := &a.timing
	if !t.sawFrame {
		t.sawFrame = true
		fmt.Printf("first_frame_s  %.3f\n", time.Since(processStart).Seconds())
	}
	if !a.scene.has(a.scene.current) {
		return false
	}
	if !t.sawDigits {
		t.sawDigits = true
		fmt.Printf("first_digits_s %.3f\n", time.Since(processStart).Seconds())
	}
	// Measure the frame loop alone: heap statistics are process-wide, so
	// wait until no background job is still running.
	if a.layouts.busy() {
		return false
	}
	if t.timed == 0 {
		if os.Getenv("MNIST_EXPLORER_MEMPROFILE") != "" {
			runtime.MemProfileRate = 1
		}
		runtime.ReadMemStats(&t.mem)
		t.start = time.Now()
	}
	t.timed++
	if t.timed <= timedFrames {
		return false
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if p := os.Getenv("MNIST_EXPLORER_MEMPROFILE"); p != "" {
		runtime.GC()
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	per := time.Since(t.start) / timedFrames
	fmt.Printf("frame_ms       %.2f (%d sprites, mean of %d still frames)\n", per.Seconds()*1000, a.ds.Len(), timedFrames)
	fmt.Printf("allocs_per_frame %.2f\n", float64(m.Mallocs-t.mem.Mallocs)/timedFrames)
	return true
}
