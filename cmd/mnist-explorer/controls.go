package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// findPrompt is the "/" row finder.
type findPrompt struct {
	active bool
	buf    []byte
}

// handleInput applies this frame's input to the camera and the app.
func (a *app) handleInput(now time.Time) {
	in := a.in
	scale := 1.0
	if in.winW > 0 {
		scale = float64(a.cam.Width) / float64(in.winW) // window -> framebuffer pixels (HiDPI)
	}
	cx, cy := in.cursorX*scale, in.cursorY*scale
	a.hud.layout(a)
	overUI := a.hud.hit(cx, cy) != nil

	for _, p := range in.pressed {
		a.key(p.key, p.mods)
	}
	if a.find.active {
		for _, r := range in.chars {
			if r >= '0' && r <= '9' && len(a.find.buf) < 9 {
				a.find.buf = append(a.find.buf, byte(r))
			}
		}
	}

	dt := math.Min(a.frameTime.Seconds(), 0.1)
	moved := false
	if !a.hud.pressOnUI {
		if dx, dy := in.dragDelta(); dx != 0 || dy != 0 {
			a.cam.PanPixels(dx*scale, dy*scale)
			moved = true
		}
	}
	if in.scroll != 0 && !overUI {
		a.cam.ZoomAbout(cx, cy, math.Pow(1.15, in.scroll))
		moved = true
	}
	if !a.find.active {
		pan := 700 * dt * scale
		keyPan := func(dx, dy float64, k1, k2 glfw.Key) {
			if in.held[k1] || (in.held[k2] && !in.held[glfw.KeyLeftShift] && !in.held[glfw.KeyRightShift]) {
				a.cam.PanPixels(dx, dy)
				moved = true
			}
		}
		keyPan(pan, 0, glfw.KeyLeft, glfw.KeyA)
		keyPan(-pan, 0, glfw.KeyRight, glfw.KeyD)
		keyPan(0, pan, glfw.KeyUp, glfw.KeyW)
		keyPan(0, -pan, glfw.KeyDown, glfw.KeyS)
		mx, my := float64(a.cam.Width)/2, float64(a.cam.Height)/2
		if in.held[glfw.KeyEqual] || in.held[glfw.KeyKPAdd] {
			a.cam.ZoomAbout(mx, my, math.Pow(3, dt))
			moved = true
		}
		if in.held[glfw.KeyMinus] || in.held[glfw.KeyKPSubtract] {
			a.cam.ZoomAbout(mx, my, math.Pow(3, -dt))
			moved = true
		}
	}
	if moved {
		a.follow = false
		a.fly.active = false
	}

	// Mouse: a press remembers whether it started on the UI, so a drag that
	// starts on the panel does not pan the map.
	if in.down[glfw.MouseButtonLeft] && !a.hud.pressing {
		a.hud.pressing = true
		a.hud.pressOnUI = a.hud.hit(in.pressX*scale, in.pressY*scale) != nil
	}
	if !in.down[glfw.MouseButtonLeft] {
		a.hud.pressing = false
	}
	if in.clicked[glfw.MouseButtonLeft] {
		if el := a.hud.hit(cx, cy); el != nil {
			a.clickUI(el)
		} else {
			a.updateHover(cx, cy)
			a.selectRow(a.sel.hover)
			if a.sel.hover >= 0 {
				a.hud.panel = true
			}
		}
		a.hud.pressOnUI = false
	}
	if overUI || in.down[glfw.MouseButtonLeft] {
		if !in.down[glfw.MouseButtonLeft] {
			a.sel.hover = -1
		}
	} else if in.moved || moved || a.trans.active || a.fly.active {
		a.updateHover(cx, cy)
	}
}

// key handles one key press.
func (a *app) key(k glfw.Key, mods glfw.ModifierKey) {
	shift := mods&glfw.ModShift != 0
	if a.find.active {
		switch k {
		case glfw.KeyEnter, glfw.KeyKPEnter:
			a.find.active = false
			if row, err := strconv.Atoi(string(a.find.buf)); err == nil && row < a.ds.Len() {
				a.flyToRow(row)
				a.hud.panel = true
			} else {
				a.hud.toast("no row %q (0..%d)", a.find.buf, a.ds.Len()-1)
			}
		case glfw.KeyEscape:
			a.find.active = false
		case glfw.KeyBackspace:
			if len(a.find.buf) > 0 {
				a.find.buf = a.find.buf[:len(a.find.buf)-1]
			}
		}
		return
	}
	switch {
	case k == glfw.KeyEscape && a.hud.help:
		a.hud.help = false
	case k == glfw.KeyQ || k == glfw.KeyEscape:
		a.win.SetShouldClose(true)
	case k == glfw.KeyR || k == glfw.KeyHome:
		a.follow = true
		a.fly.active = false
		a.fit()
	case k == glfw.KeyLeftBracket:
		a.spriteMu = math.Max(a.spriteMu/1.25, 0.1)
	case k == glfw.KeyRightBracket:
		a.spriteMu = math.Min(a.spriteMu*1.25, 20)
	case k >= glfw.Key0 && k <= glfw.Key9 && shift:
		a.toggleClass(int(k - glfw.Key0))
	case k >= glfw.KeyKP0 && k <= glfw.KeyKP9:
		a.toggleClass(int(k - glfw.KeyKP0))
	case k >= glfw.Key1 && k <= glfw.Key9:
		a.switchTo(int(k - glfw.Key1)) // 1-3 built-in layouts, 4-9 layout files
	case k == glfw.KeyA && shift:
		a.showAll()
	case k == glfw.KeyTab || k == glfw.KeyI:
		a.hud.panel = !a.hud.panel
	case k == glfw.KeyH || k == glfw.KeyF1:
		a.hud.help = !a.hud.help
	case k == glfw.KeyL:
		a.sel.suspOn = !a.sel.suspOn
		a.sel.dirty, a.hud.dirty = true, true
		if a.sel.suspects == nil {
			a.hud.toast("suspicious labels: the neighbour graph is still being computed")
		}
	case k == glfw.KeyN:
		dir := 1
		if shift {
			dir = -1
		}
		a.nextSuspect(dir)
		a.hud.panel = true
	case k == glfw.KeySlash || k == glfw.KeyKPDivide:
		a.find.active, a.find.buf = true, a.find.buf[:0]
		a.hud.help = false
	case k == glfw.KeyP:
		path := screenshotPath(time.Now())
		if err := a.saveScreenshot(path); err != nil {
			a.hud.toast("screenshot failed: %v", err)
		} else {
			a.hud.toast("saved screenshot %s", path)
			a.logf("saved screenshot %s", path)
		}
	}
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
	case uiSuspects:
		a.sel.suspOn = !a.sel.suspOn
		a.sel.dirty, a.hud.dirty = true, true
	}
}

// screenshotPath returns where P saves: the user's Pictures folder when it
// exists, else the working directory.
func screenshotPath(t time.Time) string {
	name := fmt.Sprintf("mnist-explorer-%s.png", t.Format("20060102-150405.000"))
	dir := os.Getenv("XDG_PICTURES_DIR")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, "Pictures")
		}
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = "."
	}
	if abs, err := filepath.Abs(filepath.Join(dir, name)); err == nil {
		return abs
	}
	return name
}
