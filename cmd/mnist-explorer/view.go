package main

import (
	"math"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// Look and feel of the map.
const (
	transitionSeconds = 0.7
	flightSeconds     = 0.6
	defaultSpriteSize = 2.2 // sprite side in units of the layout's mean point spacing
	fitMargin         = 0.04
)

// view is one layout as the app knows it: its job and its latest positions.
type view struct {
	method string
	job    *job
	seq    int       // last snapshot sequence taken
	pos    []float32 // latest positions (nil before the first snapshot); never mutated
	bounds [4]float64
	status jobStatus
}

// transition animates the sprites from one position set to another; both
// live in GPU buffers and the vertex shader mixes them, so a frame of a
// transition uploads nothing.
type transition struct {
	active   bool
	start    time.Time
	from, to []float32 // CPU copies of what the GPU mixes (for lines and picking)
	fromSize float64
	mix      float64 // eased mix of the frame being drawn
}

// flight animates the camera to a target centre and zoom.
type flight struct {
	active        bool
	start         time.Time
	dur           float64 // seconds
	from          render.Camera
	toX, toY, toZ float64
}

// poll drains the jobs' mailboxes; new positions of the shown layout are
// uploaded (one buffer update per snapshot, never per frame).
func (a *app) poll() error {
	for i, v := range a.views {
		if v.job == nil {
			continue
		}
		st := v.job.status()
		a.logJob(pipeline.Title(v.method), v.status, st)
		v.status = st
		if st.seq == v.seq || st.snap == nil {
			continue
		}
		v.seq, v.pos = st.seq, st.snap
		v.bounds = bounds(v.pos)
		switch {
		case i == a.current:
			a.showCurrent()
		case a.trans.to == nil:
			// Nothing on screen yet and the chosen layout has no snapshot:
			// show this one meanwhile; the chosen one animates in from it.
			a.placeholder = i
			a.sprites.SetPositions(v.pos)
			a.trans.from, a.trans.to, a.trans.mix = v.pos, v.pos, 1
			a.sel.pick.Build(v.pos)
			a.fitCamera(a.cam, v.bounds)
		}
		if st.final && i == a.current {
			a.startNeighbors()
		}
	}
	if a.neighbors != nil {
		st := a.neighbors.status()
		a.logJob("neighbour graph", a.sel.nbStatus, st)
		a.sel.nbStatus = st
		if st.final && a.sel.suspects == nil {
			a.sel.findSuspects(st.snap, a.ds.Labels)
			a.hud.dirty = true
		}
	}
	if a.cfg.screenshot != "" && a.scr == nil {
		// --screenshot waits for this layout: its failure ends the run.
		if err := a.views[a.current].status.err; err != nil {
			return err
		}
	}
	return nil
}

// logJob logs a job's failure or completion once.
func (a *app) logJob(name string, old, st jobStatus) {
	if st.err != nil && old.err == nil {
		a.logf("%s failed: %v", name, st.err)
		a.hud.toast("%s failed: %v", name, st.err)
	}
	if st.done && !old.done && st.err == nil {
		how := "computed"
		if st.fromDisk {
			how = "loaded from cache"
		}
		a.logf("%s %s in %.1fs", name, how, st.elapsed.Seconds())
	}
}

// startNeighbors starts the pixel-space neighbour graph once a layout is
// final, so it does not compete with the first layout for the cores.
func (a *app) startNeighbors() {
	if a.neighbors == nil && !a.cfg.timings { // --timings measures the frame loop alone
		a.neighbors = startJob(a.ctx, a.env, neighborsJob)
	}
}

// showCurrent uploads the current view's positions: the first ones appear
// directly; later ones replace the target of a running transition.
func (a *app) showCurrent() {
	v := a.views[a.current]
	if v.pos == nil {
		return
	}
	if a.placeholder >= 0 {
		// The first snapshot of the chosen layout replaces a stand-in:
		// animate from it.
		ph := a.views[a.placeholder]
		a.placeholder = -1
		a.trans = transition{active: true, start: time.Now(), from: a.trans.to, to: v.pos, fromSize: a.spriteSizeOf(ph)}
		a.sprites.SetPositionsFrom(a.trans.from)
		a.sprites.SetPositionsTo(v.pos)
		a.sprites.SetMix(0)
		if a.follow {
			target := *a.cam
			a.fitCamera(&target, v.bounds)
			a.flyTo(target.CenterX, target.CenterY, target.Zoom, transitionSeconds)
		}
	} else if a.trans.active {
		a.sprites.SetPositionsTo(v.pos)
		a.trans.to = v.pos
	} else {
		a.sprites.SetPositions(v.pos)
		a.trans.from, a.trans.to, a.trans.mix = v.pos, v.pos, 1
	}
	a.sel.pick.Build(v.pos)
	if a.follow && !a.trans.active && !a.fly.active {
		a.fit()
	}
}

// switchTo starts an animated transition to view i.
func (a *app) switchTo(i int) {
	if i == a.current || i < 0 || i >= len(a.views) {
		return
	}
	a.startView(i)
	from, to := a.views[a.current], a.views[i]
	shown := a.displayed()
	a.current = i
	a.hud.dirty = true
	if to.pos == nil {
		// It animates in when its first snapshot arrives; meanwhile the
		// layout on screen stays as a stand-in.
		if shown != nil && a.placeholder < 0 {
			a.placeholder = a.viewIndex(from.method)
		}
		return
	}
	if shown == nil {
		a.showCurrent()
		return
	}
	if a.placeholder >= 0 {
		from = a.views[a.placeholder]
		a.placeholder = -1
	}
	a.trans = transition{active: true, start: time.Now(), from: shown, to: to.pos, fromSize: a.spriteSizeOf(from)}
	a.sprites.SetPositionsFrom(shown)
	a.sprites.SetPositionsTo(to.pos)
	a.sprites.SetMix(0)
	a.sel.pick.Build(to.pos)
	if a.follow {
		target := *a.cam
		a.fitCamera(&target, to.bounds)
		a.flyTo(target.CenterX, target.CenterY, target.Zoom, transitionSeconds)
	} else if s := a.sel.row; s >= 0 {
		// Keep the selection in view: follow it to its new place.
		a.flyTo(float64(to.pos[2*s]), float64(to.pos[2*s+1]), a.cam.Zoom*a.spriteSizeOf(from)/a.spriteSizeOf(to), transitionSeconds)
	}
}

// displayed returns the positions the sprites are drawn at now: the
// target of the last transition (a transition interrupted mid-way restarts
// from its target, a small jump that is not worth a GPU read-back).
func (a *app) displayed() []float32 { return a.trans.to }

// posOf returns sprite i's position as drawn this frame.
func (a *app) posOf(i int) (float64, float64) {
	t := &a.trans
	if t.to == nil {
		return 0, 0
	}
	tx, ty := float64(t.to[2*i]), float64(t.to[2*i+1])
	if !t.active || t.from == nil {
		return tx, ty
	}
	fx, fy := float64(t.from[2*i]), float64(t.from[2*i+1])
	return fx + (tx-fx)*t.mix, fy + (ty-fy)*t.mix
}

// fit frames the current layout.
func (a *app) fit() {
	v := a.views[a.current]
	if v.pos == nil {
		return
	}
	a.fitCamera(a.cam, v.bounds)
	if a.cfg.zoom != 1 || a.cfg.focus >= 0 {
		if f := a.cfg.focus; f >= 0 && 2*f+1 < len(v.pos) {
			a.cam.CenterX, a.cam.CenterY = float64(v.pos[2*f]), float64(v.pos[2*f+1])
		}
		a.cam.Zoom *= a.cfg.zoom
	}
}

// fitCamera frames bounds b in the part of the window the HUD leaves free
// (right of the legend, between the switcher and the status line, left of
// the panel), or in the whole window when that part is too small.
func (a *app) fitCamera(c *render.Camera, b [4]float64) {
	s := a.uiScale
	w, h := float64(c.Width), float64(c.Height)
	lh := 20 * s
	if a.text != nil {
		lh = a.text.LineHeight()
	}
	left, top := (2*uiMargin+legendWidth)*s, 2*uiMargin*s+lh+12*s
	right, bottom := w-uiMargin*s, h-uiMargin*s-1.6*lh
	if a.hud.panel {
		right -= (panelWidth + uiMargin) * s
	}
	if right-left < 0.4*w || bottom-top < 0.4*h {
		left, top, right, bottom = 0, 0, w, h
	}
	pad := fitMargin * min(right-left, bottom-top)
	left, top, right, bottom = left+pad, top+pad, right-pad, bottom-pad
	dx, dy := math.Max(b[2]-b[0], 1e-9), math.Max(b[3]-b[1], 1e-9)
	c.Zoom = math.Min((right-left)/dx, (bottom-top)/dy)
	// Put the data's centre at the free area's centre.
	sx, sy := (left+right)/2, (top+bottom)/2
	c.CenterX = (b[0]+b[2])/2 - (sx-w/2)/c.Zoom
	c.CenterY = (b[1]+b[3])/2 + (sy-h/2)/c.Zoom
}

func (a *app) flyTo(x, y, zoom, seconds float64) {
	a.fly = flight{active: true, start: time.Now(), dur: seconds, from: *a.cam, toX: x, toY: y, toZ: zoom}
}

// spriteSize returns the side of a sprite in world units for this frame.
func (a *app) spriteSize() float64 {
	v := a.views[a.current]
	if a.placeholder >= 0 {
		v = a.views[a.placeholder]
	}
	s := a.spriteSizeOf(v)
	if a.trans.active {
		s = a.trans.fromSize + (s-a.trans.fromSize)*a.trans.mix
	}
	return s
}

// spriteSizeOf returns v's sprite side: a multiple of the mean spacing of
// its points over its bounding box.
func (a *app) spriteSizeOf(v *view) float64 {
	if v.pos == nil {
		return 1
	}
	b := v.bounds
	area := math.Max((b[2]-b[0])*(b[3]-b[1]), 1e-12)
	return defaultSpriteSize * a.spriteMu * math.Sqrt(area/float64(len(v.pos)/2))
}

// update advances the animations.
func (a *app) update(now time.Time) {
	if a.trans.active {
		t := now.Sub(a.trans.start).Seconds() / transitionSeconds
		if a.hold >= 0 {
			t = a.hold
		}
		if t >= 1 {
			a.trans.active, a.trans.mix = false, 1
			a.trans.from = a.trans.to
			a.sprites.SetMix(1)
		} else {
			a.trans.mix = easeInOut(t)
			a.sprites.SetMix(float32(a.trans.mix))
		}
	}
	if a.fly.active {
		f := &a.fly
		t := now.Sub(f.start).Seconds() / f.dur
		if a.hold >= 0 {
			t = a.hold
		}
		if t >= 1 {
			t, f.active = 1, false
		}
		e := easeInOut(t)
		a.cam.CenterX = lerp(f.from.CenterX, f.toX, e)
		a.cam.CenterY = lerp(f.from.CenterY, f.toY, e)
		a.cam.Zoom = math.Exp(lerp(math.Log(f.from.Zoom), math.Log(f.toZ), e))
	}
	a.sel.update(a)
}

func bounds(pos []float32) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(pos); i += 2 {
		x, y := float64(pos[i]), float64(pos[i+1])
		if math.IsNaN(x) || math.IsNaN(y) {
			continue
		}
		b[0], b[1] = math.Min(b[0], x), math.Min(b[1], y)
		b[2], b[3] = math.Max(b[2], x), math.Max(b[3], y)
	}
	if b[0] > b[2] {
		return [4]float64{-1, -1, 1, 1}
	}
	return b
}

func easeInOut(t float64) float64 { return t * t * (3 - 2*t) }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }
