package main

import (
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// input records what GLFW's callbacks report. Callbacks only write into
// it; the loop reads a per-frame snapshot through the methods, after which
// endFrame clears the per-frame parts. Tests drive the app by calling the
// same record methods the callbacks call.
type input struct {
	// Cursor in window coordinates (screen pixels, origin top-left).
	cursorX, cursorY float64
	prevX, prevY     float64
	pressX, pressY   float64          // where the last button press happened
	pressMods        glfw.ModifierKey // the modifiers held at that press
	down             [glfw.MouseButtonLast + 1]bool
	clicked          [glfw.MouseButtonLast + 1]bool // pressed then released without a drag this frame
	dragged          bool                           // the cursor moved while a button was held since press
	scroll           float64
	held             map[glfw.Key]bool
	heldSince        map[glfw.Key]time.Time // when each held key went down
	winW, winH       int                    // window size in screen coordinates (not framebuffer pixels)
	pressed          []keyPress             // key presses and repeats this frame, in order
	chars            []rune                 // text typed this frame (for the find prompt)
	moved            bool                   // the cursor moved this frame
	hasCursor        bool                   // the cursor is over the window
}

type keyPress struct {
	key    glfw.Key
	mods   glfw.ModifierKey
	repeat bool // the system's key repeat, not a new press
}

func newInput() *input {
	return &input{held: make(map[glfw.Key]bool, 32), heldSince: make(map[glfw.Key]time.Time, 32), pressed: make([]keyPress, 0, 16), chars: make([]rune, 0, 16)}
}

// attach installs the callbacks on w.
func (in *input) attach(w *glfw.Window) {
	w.SetCursorEnterCallback(func(_ *glfw.Window, entered bool) { in.cursorEntered(entered) })
	w.SetCursorPosCallback(func(_ *glfw.Window, x, y float64) { in.cursorMoved(x, y) })
	w.SetMouseButtonCallback(func(_ *glfw.Window, b glfw.MouseButton, a glfw.Action, m glfw.ModifierKey) {
		in.mouseButton(b, a, m)
	})
	w.SetSizeCallback(func(_ *glfw.Window, width, height int) { in.winW, in.winH = width, height })
	w.SetScrollCallback(func(_ *glfw.Window, _, dy float64) { in.scrolled(dy) })
	w.SetCharCallback(func(_ *glfw.Window, r rune) { in.typed(r) })
	w.SetKeyCallback(func(_ *glfw.Window, k glfw.Key, _ int, a glfw.Action, m glfw.ModifierKey) { in.keyEvent(k, a, m) })
}

func (in *input) cursorMoved(x, y float64) {
	const dragSlop = 3 // pixels before a press becomes a drag
	in.cursorX, in.cursorY = x, y
	in.moved = true
	for _, d := range in.down {
		if d && !in.dragged {
			dx, dy := x-in.pressX, y-in.pressY
			in.dragged = dx*dx+dy*dy > dragSlop*dragSlop
		}
	}
}

func (in *input) cursorEntered(inside bool) { in.hasCursor = inside }

func (in *input) mouseButton(b glfw.MouseButton, a glfw.Action, m glfw.ModifierKey) {
	if b < 0 || int(b) >= len(in.down) {
		return
	}
	switch a {
	case glfw.Press:
		in.down[b] = true
		in.dragged = false
		in.pressX, in.pressY = in.cursorX, in.cursorY
		in.pressMods = m
	case glfw.Release:
		if in.down[b] && !in.dragged {
			in.clicked[b] = true
		}
		in.down[b] = false
	}
}

func (in *input) scrolled(dy float64) { in.scroll += dy }

func (in *input) typed(r rune) {
	if len(in.chars) < cap(in.chars) {
		in.chars = append(in.chars, r)
	}
}

func (in *input) keyEvent(k glfw.Key, a glfw.Action, m glfw.ModifierKey) {
	switch a {
	case glfw.Press, glfw.Repeat:
		if !in.held[k] {
			in.heldSince[k] = time.Now()
		}
		in.held[k] = true
		if len(in.pressed) < cap(in.pressed) {
			in.pressed = append(in.pressed, keyPress{k, m, a == glfw.Repeat})
		}
	case glfw.Release:
		in.held[k] = false
	}
}

// active reports whether a key or mouse button is held, which needs
// continuous frames (keyboard panning, dragging).
func (in *input) active() bool {
	for _, d := range in.down {
		if d {
			return true
		}
	}
	for _, h := range in.held {
		if h {
			return true
		}
	}
	return false
}

// heldFor returns how long key k has been held at now, in seconds; 0 when
// it is up.
func (in *input) heldFor(k glfw.Key, now time.Time) float64 {
	if !in.held[k] {
		return 0
	}
	return now.Sub(in.heldSince[k]).Seconds()
}

// dragDelta returns how far the cursor moved this frame while the left
// button was held (window pixels).
func (in *input) dragDelta() (dx, dy float64) {
	if !in.down[glfw.MouseButtonLeft] {
		return 0, 0
	}
	return in.cursorX - in.prevX, in.cursorY - in.prevY
}

// endFrame clears the per-frame events.
func (in *input) endFrame() {
	in.prevX, in.prevY = in.cursorX, in.cursorY
	in.scroll = 0
	in.pressed = in.pressed[:0]
	in.chars = in.chars[:0]
	in.moved = false
	clear(in.clicked[:])
}
