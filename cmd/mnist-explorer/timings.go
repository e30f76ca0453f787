package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// frameTiming measures start-up and then the scripted frames of
// timedPhases for --timings.
type frameTiming struct {
	sawFrame  bool // the first frame was reported
	sawDigits bool // the first frame with digits was reported
	started   bool // the timed frames have begun
	phase     int  // index in timedPhases
	frame     int  // frames of this phase measured so far
	last      time.Time
	sum, max  [len(timedPhases)]time.Duration
	mem       runtime.MemStats
}

// timedPhase is one stretch of frames --timings measures: still, or with
// the camera moved before each frame as a user's pan or zoom would.
type timedPhase struct {
	name, what string
	frames     int
	move       func(c *render.Camera, i int) // before frame i+1; nil for still frames
}

// timedPhases are measured in order, after start-up, once no background job
// runs: still frames, a pan, a zoom, and the first still frame after the
// zoom (the renderer then redraws at full quality what it drew with less
// detail while the view moved).
var timedPhases = [...]timedPhase{
	{"frame_ms", "still frames", 60, nil},
	{"pan_ms", "panned 8 px a frame, 30 frames right then 30 left", 60, func(c *render.Camera, i int) {
		c.PanPixels(float64(8-16*(i/30)), 0)
	}},
	{"zoom_ms", "zoomed 4% a frame about the centre, 30 frames in then 30 out", 60, func(c *render.Camera, i int) {
		f := 1.04
		if i >= 30 {
			f = 1 / f
		}
		c.ZoomAbout(float64(c.Width)/2, float64(c.Height)/2, f)
	}},
	{"settle_ms", "the first still frame after the zoom", 1, nil},
}

// reportTimings prints the time from process start to the first frame and
// to the first frame showing digits, then measures the frames of
// timedPhases (each frame's time is the whole loop: input, draw, swap and
// glFinish) and prints their mean and longest frame and the heap
// allocations per frame over all of them. It returns true when done.
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
	now := time.Now()
	if !t.started {
		t.started = true
		if os.Getenv("MNIST_EXPLORER_MEMPROFILE") != "" {
			runtime.MemProfileRate = 1
		}
		runtime.ReadMemStats(&t.mem)
		t.last = now
		return false
	}
	d := now.Sub(t.last)
	t.last = now
	t.sum[t.phase] += d
	t.max[t.phase] = max(t.max[t.phase], d)
	t.frame++
	if t.frame == timedPhases[t.phase].frames {
		t.phase, t.frame = t.phase+1, 0
		if t.phase == len(timedPhases) {
			a.printTimings()
			return true
		}
	}
	if move := timedPhases[t.phase].move; move != nil {
		a.scene.userMoved()
		move(a.cam, t.frame)
	}
	return false
}

// printTimings prints what reportTimings measured.
func (a *app) printTimings() {
	t := &a.timing
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if p := os.Getenv("MNIST_EXPLORER_MEMPROFILE"); p != "" {
		runtime.GC()
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	frames := 0
	for i, p := range timedPhases {
		frames += p.frames
		mean := t.sum[i].Seconds() * 1000 / float64(p.frames)
		if i == 0 {
			fmt.Printf("frame_ms       %.2f (%d sprites, mean of %d still frames)\n", mean, a.ds.Len(), p.frames)
			continue
		}
		fmt.Printf("%-14s %.2f mean, %.2f longest (%s)\n", p.name, mean, t.max[i].Seconds()*1000, p.what)
	}
	fmt.Printf("allocs_per_frame %.2f\n", float64(m.Mallocs-t.mem.Mallocs)/float64(frames))
}
