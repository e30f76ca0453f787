package main

import (
	"math"
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// Look and feel of the map.
const (
	transitionSeconds = 0.7
	flightSeconds     = 0.6
	defaultSpriteSize = 2.2 // sprite side in units of the layout's mean point spacing
	fitMargin         = 0.04
)

// positionSink receives the positions the sprites are drawn at: the sprite
// renderer in the app, a recorder in tests. It holds two position sets,
// "from" and "to", and draws them mixed by SetMix, so a transition uploads
// nothing per frame.
type positionSink interface {
	SetPositions(pos []float32) // from = to = pos, mix 1
	SetPositionsFrom(pos []float32)
	SetPositionsTo(pos []float32)
	SetMix(t float32)
}

// scene owns what is on screen: the positions of every layout known so
// far, which one is chosen (current), which one stands in while the chosen
// one has no positions yet (placeholder), the animated transition between
// them, and the camera with its fly-to animation. It uploads positions
// through its sink and knows nothing of GL, jobs or the HUD; the app feeds
// it snapshots and user actions and reads back what to draw.
//
// Invariants: shown() is nil until the first snapshot of any layout
// arrives; while placeholder >= 0, current has no positions and
// placeholder's are on screen.
type scene struct {
	sink positionSink
	cam  *render.Camera
	// frame fits world bounds into the part of the window the HUD leaves
	// free; nil fits them into the whole viewport.
	frame func(c *render.Camera, b [4]float64)

	layouts     []placed
	current     int // the chosen layout
	placeholder int // layout on screen while current has none; -1 for none
	trans       transition
	fly         flight
	shownSeq    int // bumped whenever shown() changes (the pick index follows it)

	follow   bool    // keep fitting the layout while it forms, until the user moves the view
	spriteMu float64 // user scale of the sprite size
	fixedPx  float64 // when > 0, sprites keep this side in framebuffer pixels at every zoom
	hold     float64 // scripted: freeze animations at this fraction; -1 runs them
	// The initial view, relative to the fitted one (--zoom, --focus); R
	// returns to it.
	zoom  float64
	focus int
}

// placed is one layout's latest positions (N x 2, never mutated) and their
// bounding box.
type placed struct {
	pos    []float32
	bounds [4]float64
}

// transition animates the sprites from one position set to another.
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

// newScene returns a scene of n layouts with current chosen and nothing
// shown yet.
func newScene(sink positionSink, cam *render.Camera, n, current int) *scene {
	return &scene{sink: sink, cam: cam, layouts: make([]placed, n), current: current,
		placeholder: -1, follow: true, spriteMu: 1, hold: -1, zoom: 1, focus: -1}
}

// shown returns the positions the sprites are drawn at once any running
// transition ends, or nil before the first snapshot.
func (s *scene) shown() []float32 { return s.trans.to }

// has reports whether layout i has positions.
func (s *scene) has(i int) bool { return s.layouts[i].pos != nil }

// animating reports whether a transition or a camera flight is running.
func (s *scene) animating() bool { return s.trans.active || s.fly.active }

// receive takes a new snapshot (or the final positions) of layout i.
func (s *scene) receive(i int, pos []float32, now time.Time) {
	l := &s.layouts[i]
	l.pos, l.bounds = pos, bounds(pos)
	switch {
	case i == s.current:
		s.showCurrent(now)
	case s.trans.to == nil:
		// Nothing on screen yet and the chosen layout has no positions:
		// show this one meanwhile; the chosen one animates in from it.
		s.placeholder = i
		s.setStill(pos)
		s.fitCamera(s.cam, l.bounds)
	case i == s.placeholder && !s.trans.active:
		s.setStill(pos) // the stand-in is still forming
	}
}

// setStill shows pos without animation.
func (s *scene) setStill(pos []float32) {
	s.sink.SetPositions(pos)
	s.trans = transition{from: pos, to: pos, mix: 1}
	s.shownSeq++
}

// showCurrent shows the current layout's latest positions: the first ones
// animate in from a stand-in, later ones replace the target of a running
// transition or the positions on screen.
func (s *scene) showCurrent(now time.Time) {
	l := s.layouts[s.current]
	switch {
	case l.pos == nil:
		return
	case s.placeholder >= 0:
		size := s.spriteSize()
		s.placeholder = -1
		s.animate(l.pos, size, now)
	case s.trans.active:
		s.sink.SetPositionsTo(l.pos)
		s.trans.to = l.pos
		s.shownSeq++
	default:
		s.setStill(l.pos)
	}
	if s.follow && !s.animating() {
		s.fit()
	}
}

// switchTo chooses layout i and animates to it; sel (or -1) is the
// selected row, kept in view when the user has moved the camera. It
// reports whether the choice changed. A layout with no positions yet is
// chosen at once and animates in when its first snapshot arrives; the
// layout on screen stays meanwhile as a stand-in.
func (s *scene) switchTo(i, sel int, now time.Time) bool {
	if i == s.current || i < 0 || i >= len(s.layouts) {
		return false
	}
	prev := s.current
	s.current = i
	if s.layouts[i].pos == nil {
		if s.trans.to != nil && s.placeholder < 0 {
			s.placeholder = prev
		}
		return true
	}
	if s.trans.to == nil {
		s.showCurrent(now)
		return true
	}
	oldSize := s.spriteSize()
	s.placeholder = -1
	s.animate(s.layouts[i].pos, oldSize, now)
	if !s.follow && sel >= 0 {
		// Keep the selection in view: follow it to its new place, at the
		// same size on screen.
		to := s.layouts[i].pos
		s.flyTo(float64(to[2*sel]), float64(to[2*sel+1]), s.cam.Zoom*oldSize/s.spriteSizeOf(i), transitionSeconds, now)
	}
	return true
}

// animate starts a transition from what is drawn now, with sprites of
// fromSize, to pos (a transition interrupted mid-way continues from where
// the sprites are), and flies the camera to frame pos while the view
// follows the layout.
func (s *scene) animate(pos []float32, fromSize float64, now time.Time) {
	from := s.trans.to
	if s.trans.active {
		from = s.drawnNow()
	}
	s.trans = transition{active: true, start: now, from: from, to: pos, fromSize: fromSize}
	s.sink.SetPositionsFrom(from)
	s.sink.SetPositionsTo(pos)
	s.sink.SetMix(0)
	s.shownSeq++
	if s.follow {
		target := *s.cam
		s.fitCamera(&target, bounds(pos))
		s.flyTo(target.CenterX, target.CenterY, target.Zoom, transitionSeconds, now)
	}
}

// drawnNow returns a copy of the positions as drawn this frame.
func (s *scene) drawnNow() []float32 {
	out := make([]float32, len(s.trans.to))
	for i := 0; i+1 < len(out); i += 2 {
		x, y := s.posOf(i / 2)
		out[i], out[i+1] = float32(x), float32(y)
	}
	return out
}

// forget drops layout i's positions (its job was cancelled); the layouts
// on screen are never forgotten.
func (s *scene) forget(i int) {
	if i != s.current && i != s.placeholder {
		s.layouts[i] = placed{}
	}
}

// update advances the transition and the camera flight to now.
func (s *scene) update(now time.Time) {
	if t := &s.trans; t.active {
		f := s.progress(now, t.start, transitionSeconds)
		if f >= 1 {
			t.active, t.mix, t.from = false, 1, t.to
		} else {
			t.mix = easeInOut(f)
		}
		s.sink.SetMix(float32(t.mix))
	}
	if f := &s.fly; f.active {
		p := s.progress(now, f.start, f.dur)
		if p >= 1 {
			p, f.active = 1, false
		}
		e := easeInOut(p)
		s.cam.CenterX = lerp(f.from.CenterX, f.toX, e)
		s.cam.CenterY = lerp(f.from.CenterY, f.toY, e)
		s.cam.Zoom = math.Exp(lerp(math.Log(f.from.Zoom), math.Log(f.toZ), e))
	}
}

// progress returns the fraction of an animation of dur seconds begun at
// start, or the held fraction while a script holds animations.
func (s *scene) progress(now, start time.Time, dur float64) float64 {
	if s.hold >= 0 {
		return s.hold
	}
	return now.Sub(start).Seconds() / dur
}

// posOf returns sprite i's position as drawn this frame.
func (s *scene) posOf(i int) (float64, float64) {
	t := &s.trans
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

// flyTo starts a camera flight to centre (x, y) at zoom.
func (s *scene) flyTo(x, y, zoom, seconds float64, now time.Time) {
	s.fly = flight{active: true, start: now, dur: seconds, from: *s.cam, toX: x, toY: y, toZ: zoom}
}

// focusRow flies to row, zooming in until its sprite is at least minPx
// framebuffer pixels wide; the view stops following the layout.
func (s *scene) focusRow(row int, minPx float64, now time.Time) {
	to := s.shown()
	if to == nil || row < 0 || 2*row+1 >= len(to) {
		return
	}
	zoom := math.Max(s.cam.Zoom, minPx/s.spriteSize())
	s.follow = false
	s.flyTo(float64(to[2*row]), float64(to[2*row+1]), zoom, flightSeconds, now)
}

// userMoved records that the user moved the camera: flights stop and the
// view no longer follows the layout.
func (s *scene) userMoved() { s.follow, s.fly.active = false, false }

// resetView fits the layout again and follows it (R, Home).
func (s *scene) resetView() {
	s.follow, s.fly.active = true, false
	s.fit()
}

// fit frames the current layout, then applies the initial view's zoom and
// focus.
func (s *scene) fit() {
	l := s.layouts[s.current]
	if l.pos == nil {
		return
	}
	s.fitCamera(s.cam, l.bounds)
	if f := s.focus; f >= 0 && 2*f+1 < len(l.pos) {
		s.cam.CenterX, s.cam.CenterY = float64(l.pos[2*f]), float64(l.pos[2*f+1])
	}
	s.cam.Zoom *= s.zoom
}

func (s *scene) fitCamera(c *render.Camera, b [4]float64) {
	if s.frame != nil {
		s.frame(c, b)
		return
	}
	c.FitRect(b, [4]float64{0, 0, float64(c.Width), float64(c.Height)}, fitMargin)
}

// spriteSize returns the side of a sprite in world units for this frame:
// a multiple of the layout's point spacing (sprites grow as the view
// zooms in), or fixedPx on screen.
func (s *scene) spriteSize() float64 {
	if s.fixedPx > 0 && s.cam.Zoom > 0 {
		return s.fixedPx * s.spriteMu / s.cam.Zoom
	}
	i := s.current
	if s.placeholder >= 0 {
		i = s.placeholder
	}
	size := s.spriteSizeOf(i)
	if s.trans.active {
		size = s.trans.fromSize + (size-s.trans.fromSize)*s.trans.mix
	}
	return size
}

// spriteSizeOf returns layout i's sprite side: a multiple of the mean
// spacing of its points over its bounding box.
func (s *scene) spriteSizeOf(i int) float64 {
	l := s.layouts[i]
	if l.pos == nil {
		return 1
	}
	b := l.bounds
	area := math.Max((b[2]-b[0])*(b[3]-b[1]), 1e-12)
	return defaultSpriteSize * s.spriteMu * math.Sqrt(area/float64(len(l.pos)/2))
}
