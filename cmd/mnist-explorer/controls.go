package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// Keyboard camera control: a tap moves one step; a key held longer than
// keyRepeatDelay then moves continuously.
const (
	zoomStep       = 1.25 // one tap of + or -
	zoomPerSecond  = 3.0  // while held
	panStep        = 0.1  // one tap of an arrow, as a fraction of the smaller viewport side
	panPerSecond   = 700  // framebuffer pixels per second while held (times the UI scale)
	keyRepeatDelay = 0.3  // seconds a key is held before it moves continuously
)

// findPrompt is the "/" row finder.
type findPrompt struct {
	active bool
	buf    []byte
}

// handleInput applies this frame's input to the camera and the app.
func (a *app) handleInput(now time.Time) {
	in := a.in
	toFB := 1.0
	if in.winW > 0 {
		toFB = float64(a.cam.Width) / float64(in.winW) // window -> framebuffer pixels (HiDPI)
	}
	cx, cy := in.cursorX*toFB, in.cursorY*toFB
	a.layoutHUD()
	overUI := a.lay.hit(cx, cy) != nil
	if in.hasCursor && !overUI && !in.down[glfw.MouseButtonLeft] {
		a.focusPaneAt(cx) // keys, clicks and the switcher act on the pane under the cursor
	}
	before := *a.cam
	defer a.linkCameras(before)

	moved := false
	for _, p := range in.pressed {
		moved = a.key(p, cx, cy) || moved
	}
	a.leg.typed(in.chars) // the legend's filter box (legend.go)
	if a.find.active {
		for _, r := range in.chars {
			if r >= '0' && r <= '9' && len(a.find.buf) < 9 {
				a.find.buf = append(a.find.buf, byte(r))
			}
		}
	}
	// Mouse: a press remembers whether it started on the UI, so a drag that
	// starts on the panel does not pan the map; with Shift or Ctrl it starts
	// a lasso or a box instead of a pan.
	left := in.down[glfw.MouseButtonLeft]
	if left && !a.pressing {
		a.pressing = true
		a.pressOnUI = a.lay.hit(in.pressX*toFB, in.pressY*toFB) != nil
		if m, ok := marqueeFor(in.pressMods); ok && !a.pressOnUI && a.scene.shown() != nil {
			a.mq = m
			a.mq.start(a.cam, in.pressX*toFB, in.pressY*toFB)
		}
	}
	if !left {
		a.pressing = false
	}
	marqueeDone := false
	switch {
	case a.mq.active && left:
		a.mq.drag(a.cam, cx, cy)
	case a.mq.active:
		a.mq.active, marqueeDone = false, true
		if in.dragged {
			a.choose(a.mq.shape(), a.mq.op)
		}
	}
	if !a.pressOnUI && !a.mq.active && !marqueeDone {
		if dx, dy := in.dragDelta(); dx != 0 || dy != 0 {
			a.cam.PanPixels(dx*toFB, dy*toFB)
			moved = true
		}
	}
	switch {
	case in.scroll != 0 && !overUI:
		a.cam.ZoomAbout(cx, cy, math.Pow(1.15, in.scroll))
		moved = true
	case in.scroll != 0 && a.lay.chosen.contains(cx, cy):
		a.scrollChosen(-int(math.Round(in.scroll)))
	case in.scroll != 0 && a.lay.legend.contains(cx, cy):
		a.leg.scroll(-legendScrollRows * int(math.Round(in.scroll)))
	}
	if !a.find.active && !a.leg.typing {
		moved = a.heldKeys(now, cx, cy) || moved
	}
	if moved {
		a.scene.userMoved()
	}

	if in.clicked[glfw.MouseButtonLeft] && !marqueeDone {
		if el := a.lay.hit(cx, cy); el != nil {
			a.clickUI(el)
		} else {
			a.updateHover(cx, cy)
			a.selectRow(a.sel.hover)
			if a.sel.hover >= 0 {
				a.panel = true
			}
		}
		a.pressOnUI = false
	}
	if overUI || left {
		if !left {
			a.sel.hover = -1
		}
	} else if in.moved || moved || a.scene.animating() {
		a.updateHover(cx, cy)
	}
}

// zoomCentre returns the point keyboard zoom keeps still: the cursor when
// it is inside the viewport, else the viewport's centre.
func (a *app) zoomCentre(cx, cy float64) (float64, float64) {
	if a.in.hasCursor && cx >= 0 && cy >= 0 && cx < float64(a.cam.Width) && cy < float64(a.cam.Height) {
		return cx, cy
	}
	return float64(a.cam.Width) / 2, float64(a.cam.Height) / 2
}

// heldKeys moves the camera continuously while a zoom or pan key has been
// held longer than keyRepeatDelay; it reports whether it moved.
func (a *app) heldKeys(now time.Time, cx, cy float64) bool {
	in := a.in
	dt := math.Min(a.frameTime.Seconds(), 0.1)
	held := func(keys ...glfw.Key) bool {
		for _, k := range keys {
			if in.heldFor(k, now) > keyRepeatDelay {
				return true
			}
		}
		return false
	}
	moved := false
	pan := panPerSecond * dt * a.g.scale
	shift := in.held[glfw.KeyLeftShift] || in.held[glfw.KeyRightShift]
	for _, p := range [...]struct {
		dx, dy float64
		arrow  glfw.Key
		wasd   glfw.Key
	}{{pan, 0, glfw.KeyLeft, glfw.KeyA}, {-pan, 0, glfw.KeyRight, glfw.KeyD}, {0, pan, glfw.KeyUp, glfw.KeyW}, {0, -pan, glfw.KeyDown, glfw.KeyS}} {
		if held(p.arrow) || (!shift && held(p.wasd)) {
			a.cam.PanPixels(p.dx, p.dy)
			moved = true
		}
	}
	zx, zy := a.zoomCentre(cx, cy)
	if held(glfw.KeyEqual, glfw.KeyKPAdd) {
		a.cam.ZoomAbout(zx, zy, math.Pow(zoomPerSecond, dt))
		moved = true
	}
	if held(glfw.KeyMinus, glfw.KeyKPSubtract) {
		a.cam.ZoomAbout(zx, zy, math.Pow(zoomPerSecond, -dt))
		moved = true
	}
	return moved
}

// clickUI acts on a click on a HUD element.
func (a *app) clickUI(el *uiElem) {
	switch el.kind {
	case uiLegendRow:
		a.toggleClass(el.arg)
	case uiShowAll:
		a.showAll()
	case uiLayoutButton:
		a.switchTo(el.arg)
	case uiThumb:
		a.flyToRow(el.arg)
	case uiChosenThumb:
		a.flyToRow(el.arg)
		a.panel = true
	case uiMixCell:
		a.viewPair(el.arg/a.bl.mix.C, el.arg%a.bl.mix.C)
	case uiMixPair:
		p := a.bl.mix.Pairs[el.arg]
		a.viewPair(p.A, p.B)
	case uiSuspects:
		a.toggleSuspects()
	}
}

// screenshotToPictures saves the frame (P) and says where.
func (a *app) screenshotToPictures() {
	path := screenshotPath(time.Now())
	if err := a.saveScreenshot(path); err != nil {
		a.txt.toast("screenshot failed: %v", err)
		return
	}
	a.txt.toast("saved screenshot %s", path)
	a.logf("saved screenshot %s", path)
}

// screenshotPath returns where P saves: the user's Pictures folder when it
// exists, else the working directory.
func screenshotPath(t time.Time) string {
	name := fmt.Sprintf("mnist-explorer-%s.png", t.Format("20060102-150405.000"))
	p := filepath.Join(userDir("XDG_PICTURES_DIR", "Pictures"), name)
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// userDir returns the user's folder named by the environment variable env
// (XDG user dirs), else ~/fallback, when it exists; else the working
// directory.
func userDir(env, fallback string) string {
	dir := os.Getenv(env)
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, fallback)
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "."
	}
	return dir
}
