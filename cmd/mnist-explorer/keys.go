package main

import (
	"math"
	"strconv"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
)

// key handles one key press or repeat; it reports whether the camera moved.
func (a *app) key(p keyPress, cx, cy float64) bool {
	k, shift := p.key, p.mods&glfw.ModShift != 0
	if a.find.active {
		a.findKey(k)
		return false
	}
	if a.legendKeys(k, p.mods) { // the legend's filter box; class keys of unlabelled data (legend.go)
		return false
	}
	if a.tune.open {
		switch {
		case k == glfw.KeyEscape || k == glfw.KeyT:
			a.tune.open = false
		case a.tune.key(k):
			a.tune.open = false
			a.addVariant(a.tune.variant())
		}
		return false
	}
	if a.rev != nil && (a.sel.suspOn || p.mods&glfw.ModControl != 0) {
		start := time.Now()
		if ok, err := a.rev.key(k, p.mods, a.ds.ClassName); ok {
			if trace {
				a.keyAt = start
			}
			a.reviewed(err)
			return false
		}
	}
	step := panStep * float64(min(a.cam.Width, a.cam.Height))
	switch {
	case p.repeat && isCameraKey(k):
		return false // held keys move continuously (heldKeys)
	case k == glfw.KeyEscape && a.help:
		a.help = false
	case k == glfw.KeyEscape && a.sel.suspOn:
		a.toggleSuspects()
	case k == glfw.KeyEscape && a.bl.open:
		a.bl.open = false
	case k == glfw.KeyEscape && a.bl.viewing():
		a.viewPair(-1, -1)
	case k == glfw.KeyC:
		a.toggleBlend()
	case k == glfw.KeyT:
		a.tune.open, a.help = true, false
	case k == glfw.KeyV && shift:
		a.chooseMostDifferent()
	case k == glfw.KeyV:
		a.toggleAgreement()
	case k == glfw.KeyU && shift:
		a.cycleOpacity()
	case k == glfw.KeyU:
		a.cycleSpriteMode()
	case k == glfw.KeyB && shift:
		a.swapPanes()
	case k == glfw.KeyB:
		a.toggleSplit()
	case k == glfw.KeyJ:
		a.split.linked = !a.split.linked
		a.txt.toast("split view: cameras %s (J)", map[bool]string{true: "linked", false: "independent"}[a.split.linked])
	case k == glfw.KeyM:
		a.addVariant(umapVariant(pipeline.UMAPTuning{MinDist: 0.8}))
	case k == glfw.KeyO:
		a.bl.edges = !a.bl.edges
		a.sel.dirty = true
	case k == glfw.KeyN && a.bl.viewing():
		dir := 1
		if shift {
			dir = -1
		}
		if row := a.bl.step(dir); row >= 0 {
			a.flyToRow(row)
			a.panel = true
		}
	case k == glfw.KeyEscape && a.chosen.Count() > 0:
		a.clearChosen()
	case k == glfw.KeyE && shift:
		a.exportCorrections()
	case k == glfw.KeyE:
		a.exportChosen()
	case k == glfw.KeyG:
		a.growChosen()
	case k == glfw.KeyD && shift:
		a.sel.dimClasses = !a.sel.dimClasses
		a.sel.dirty = true
	case k == glfw.KeyS && shift:
		a.sel.hideRest = !a.sel.hideRest
		a.sel.dirty = true
	case k == glfw.KeyQ || k == glfw.KeyEscape:
		a.win.SetShouldClose(true)
	case k == glfw.KeyR || k == glfw.KeyHome:
		a.scene.resetView()
	case k == glfw.KeyEqual || k == glfw.KeyKPAdd:
		zx, zy := a.zoomCentre(cx, cy)
		a.cam.ZoomAbout(zx, zy, zoomStep)
		return true
	case k == glfw.KeyMinus || k == glfw.KeyKPSubtract:
		zx, zy := a.zoomCentre(cx, cy)
		a.cam.ZoomAbout(zx, zy, 1/zoomStep)
		return true
	case k == glfw.KeyLeft || (k == glfw.KeyA && !shift):
		a.cam.PanPixels(step, 0)
		return true
	case k == glfw.KeyRight || (k == glfw.KeyD && !shift):
		a.cam.PanPixels(-step, 0)
		return true
	case k == glfw.KeyUp || (k == glfw.KeyW && !shift):
		a.cam.PanPixels(0, step)
		return true
	case k == glfw.KeyDown || (k == glfw.KeyS && !shift):
		a.cam.PanPixels(0, -step)
		return true
	case k == glfw.KeyLeftBracket:
		a.scene.spriteMu = math.Max(a.scene.spriteMu/1.25, 0.1)
	case k == glfw.KeyRightBracket:
		a.scene.spriteMu = math.Min(a.scene.spriteMu*1.25, 20)
	case k >= glfw.Key0 && k <= glfw.Key9 && shift:
		a.toggleClass(int(k - glfw.Key0))
	case k >= glfw.KeyKP0 && k <= glfw.KeyKP9:
		a.toggleClass(int(k - glfw.KeyKP0))
	case k >= glfw.Key1 && k <= glfw.Key9:
		a.switchTo(int(k - glfw.Key1)) // 1-3 built-in layouts, 4-9 layout files
	case k == glfw.KeyA && shift:
		a.showAll()
	case k == glfw.KeyTab || k == glfw.KeyI:
		a.panel = !a.panel
	case k == glfw.KeyH || k == glfw.KeyF1:
		a.help = !a.help
	case k == glfw.KeyL:
		a.toggleSuspects()
	case k == glfw.KeyN:
		dir := 1
		if shift {
			dir = -1
		}
		a.nextSuspect(dir)
	case k == glfw.KeySlash || k == glfw.KeyKPDivide:
		a.find.active, a.find.buf = true, a.find.buf[:0]
		a.help = false
	case k == glfw.KeyP:
		a.screenshotToPictures()
	}
	return false
}

// isCameraKey reports whether k pans or zooms.
func isCameraKey(k glfw.Key) bool {
	switch k {
	case glfw.KeyEqual, glfw.KeyKPAdd, glfw.KeyMinus, glfw.KeyKPSubtract,
		glfw.KeyLeft, glfw.KeyRight, glfw.KeyUp, glfw.KeyDown, glfw.KeyA, glfw.KeyD, glfw.KeyW, glfw.KeyS:
		return true
	}
	return false
}

// findKey handles a key while the find prompt is open.
func (a *app) findKey(k glfw.Key) {
	switch k {
	case glfw.KeyEnter, glfw.KeyKPEnter:
		a.find.active = false
		if row, err := strconv.Atoi(string(a.find.buf)); err == nil && row < a.ds.Len() {
			a.flyToRow(row)
			a.panel = true
		} else {
			a.txt.toast("no row %q (0..%d)", a.find.buf, a.ds.Len()-1)
		}
	case glfw.KeyEscape:
		a.find.active = false
	case glfw.KeyBackspace:
		if len(a.find.buf) > 0 {
			a.find.buf = a.find.buf[:len(a.find.buf)-1]
		}
	}
}
