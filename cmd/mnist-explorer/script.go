package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// script drives the app from --script: cursor moves, clicks and keys are
// fed through the same input methods the GLFW callbacks call, one step per
// frame, with waits for background work. Tests and README screenshots use
// it. Steps are separated by ';' or new lines:
//
//	wait-layout            wait until the shown layout is final and still
//	wait-neighbors         wait until the selection's neighbours are known
//	wait-suspects          wait until suspicious labels are known
//	wait-frames N          let N frames pass
//	wait-seconds S         let S seconds pass
//	move X Y               move the cursor to window coordinates X, Y
//	move-to-row R [PANE]   move the cursor onto row R's sprite as drawn now (in the left or right pane)
//	move-to-thumb K        move the cursor onto the panel's K-th neighbour thumbnail
//	click                  press and release the left button
//	press X Y [MOD...]     move to X, Y and press the left button with modifiers (shift, ctrl, alt)
//	release                release the left button
//	key NAME [MOD...]      press and release a key (a, tab, slash, enter, 1, ...) with modifiers
//	type TEXT              type characters
//	hold F                 freeze running animations at fraction F (0..1); hold -1 releases
//	screenshot FILE        save the frame as a PNG
//	state FILE             write the app's state as JSON
//	layout FILE            write the positions shown (N x 2 .npy or .csv)
//	quit                   end the program (exit 0)
type script struct {
	steps [][]string
	at    int
	since time.Time // when the current step began
	wait  int       // frames left for wait-frames
}

// scriptStepLimit bounds how long one step may wait.
const scriptStepLimit = 20 * time.Minute

func parseScript(src string) (*script, error) {
	if strings.HasPrefix(src, "@") {
		b, err := os.ReadFile(src[1:])
		if err != nil {
			return nil, fmt.Errorf("--script: %w", err)
		}
		src = string(b)
	}
	s := &script{}
	for _, part := range strings.FieldsFunc(src, func(r rune) bool { return r == ';' || r == '\n' }) {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		if err := checkStep(f); err != nil {
			return nil, fmt.Errorf("--script: %q: %w", part, err)
		}
		s.steps = append(s.steps, f)
	}
	return s, nil
}

func checkStep(f []string) error {
	args := map[string]int{"wait-layout": 0, "wait-neighbors": 0, "wait-suspects": 0, "wait-frames": 1,
		"wait-seconds": 1, "move": 2, "move-to-row": -1, "move-to-thumb": 1, "click": 0, "key": -1, "type": -1,
		"press": -1, "release": 0, "hold": 1, "screenshot": 1, "state": 1, "layout": 1, "quit": 0}
	want, ok := args[f[0]]
	switch {
	case !ok:
		return fmt.Errorf("unknown step %q", f[0])
	case want >= 0 && len(f)-1 != want:
		return fmt.Errorf("%s takes %d arguments", f[0], want)
	case want < 0 && len(f) < 2:
		return fmt.Errorf("%s needs an argument", f[0])
	case f[0] == "press" && len(f) < 3:
		return fmt.Errorf("press needs X and Y")
	case f[0] == "move-to-row" && (len(f) > 3 || len(f) == 3 && f[2] != "left" && f[2] != "right"):
		return fmt.Errorf("move-to-row takes a row and optionally left or right")
	case f[0] == "key":
		if _, ok := keyNames[strings.ToLower(f[1])]; !ok {
			return fmt.Errorf("unknown key %q", f[1])
		}
	}
	// Leading numbers, then (press, key) modifier names.
	numbers := map[string]int{"move": 2, "press": 2, "move-to-row": 1, "move-to-thumb": 1, "wait-frames": 1, "wait-seconds": 1, "hold": 1}[f[0]]
	for _, a := range f[1 : 1+numbers] {
		if _, err := strconv.ParseFloat(a, 64); err != nil {
			return fmt.Errorf("%s: %q is not a number", f[0], a)
		}
	}
	if mods := map[string]int{"press": 3, "key": 2}[f[0]]; mods > 0 {
		for _, a := range f[mods:] {
			if _, ok := modNames[a]; !ok {
				return fmt.Errorf("%s: unknown modifier %q (want shift, ctrl or alt)", f[0], a)
			}
		}
	}
	return nil
}

var keyNames = map[string]glfw.Key{
	"tab": glfw.KeyTab, "enter": glfw.KeyEnter, "escape": glfw.KeyEscape, "slash": glfw.KeySlash,
	"backspace": glfw.KeyBackspace, "home": glfw.KeyHome, "f1": glfw.KeyF1,
	"left": glfw.KeyLeft, "right": glfw.KeyRight, "up": glfw.KeyUp, "down": glfw.KeyDown,
	"plus": glfw.KeyEqual, "minus": glfw.KeyMinus, "[": glfw.KeyLeftBracket, "]": glfw.KeyRightBracket,
}

func init() {
	for c := 'a'; c <= 'z'; c++ {
		keyNames[string(c)] = glfw.KeyA + glfw.Key(c-'a')
	}
	for c := '0'; c <= '9'; c++ {
		keyNames[string(c)] = glfw.Key0 + glfw.Key(c-'0')
	}
}

// scriptHost is what a script drives and waits for; the app implements it.
// Positions are in framebuffer pixels.
type scriptHost interface {
	layoutReady() (bool, error)                      // the chosen layout is final, on screen and still; its error
	neighborsReady() bool                            // the selection's neighbours are known and the camera still
	suspectsReady() bool                             // the suspects are known (starts the graph if needed)
	rowOnScreen(r, side int) (x, y float64, ok bool) // side -1: the active pane, 0 left, 1 right
	thumbOnScreen(k int) (x, y float64, ok bool)
	framebufferScale() float64 // framebuffer pixels per window coordinate
	setHold(f float64)
	screenshot(path string) error // draws the frame as it stands and saves it
	writeState(path string) error
	shownLayout() []float32
	stop()
}

// step runs the script's current step on h, feeding input through in; it
// returns an error to stop.
func (s *script) step(h scriptHost, in *input, now time.Time) error {
	if s.at >= len(s.steps) {
		h.stop()
		return nil
	}
	if s.since.IsZero() {
		s.since = now
	}
	if now.Sub(s.since) > scriptStepLimit {
		return fmt.Errorf("script: step %q waited more than %v", strings.Join(s.steps[s.at], " "), scriptStepLimit)
	}
	f := s.steps[s.at]
	done := true
	toWindow := 1 / h.framebufferScale()
	var err error
	switch f[0] {
	case "wait-layout":
		done, err = h.layoutReady()
	case "wait-neighbors":
		done = h.neighborsReady()
	case "wait-suspects":
		done = h.suspectsReady()
	case "wait-frames":
		if s.wait == 0 {
			s.wait, _ = strconv.Atoi(f[1])
			s.wait++
		}
		s.wait--
		done = s.wait == 0
	case "wait-seconds":
		sec, _ := strconv.ParseFloat(f[1], 64)
		done = now.Sub(s.since).Seconds() >= sec
	case "move":
		x, _ := strconv.ParseFloat(f[1], 64)
		y, _ := strconv.ParseFloat(f[2], 64)
		in.cursorEntered(true)
		in.cursorMoved(x, y)
	case "move-to-row", "move-to-thumb":
		k, _ := strconv.Atoi(f[1])
		side := -1
		if len(f) == 3 {
			side = map[string]int{"left": 0, "right": 1}[f[2]]
		}
		var x, y float64
		var ok bool
		if f[0] == "move-to-thumb" {
			x, y, ok = h.thumbOnScreen(k)
		} else {
			x, y, ok = h.rowOnScreen(k, side)
		}
		if !ok {
			return fmt.Errorf("script: %s %d: no such row or thumbnail on screen", f[0], k)
		}
		in.cursorEntered(true)
		in.cursorMoved(x*toWindow, y*toWindow)
	case "click":
		in.mouseButton(glfw.MouseButtonLeft, glfw.Press, 0)
		in.mouseButton(glfw.MouseButtonLeft, glfw.Release, 0)
	case "press":
		x, _ := strconv.ParseFloat(f[1], 64)
		y, _ := strconv.ParseFloat(f[2], 64)
		in.cursorEntered(true)
		in.cursorMoved(x, y)
		in.mouseButton(glfw.MouseButtonLeft, glfw.Press, modsOf(f[3:]))
	case "release":
		in.mouseButton(glfw.MouseButtonLeft, glfw.Release, 0)
	case "key":
		mods := modsOf(f[2:])
		k := keyNames[strings.ToLower(f[1])]
		in.keyEvent(k, glfw.Press, mods)
		in.keyEvent(k, glfw.Release, mods)
	case "type":
		for _, r := range strings.Join(f[1:], " ") {
			in.typed(r)
		}
	case "hold":
		hold, _ := strconv.ParseFloat(f[1], 64)
		h.setHold(hold)
	case "screenshot":
		if err = h.screenshot(f[1]); err == nil {
			fmt.Printf("saved %s\n", f[1])
		}
	case "state":
		err = h.writeState(f[1])
	case "layout":
		if pos := h.shownLayout(); pos == nil {
			err = fmt.Errorf("script: layout %s: no layout shown yet", f[1])
		} else {
			err = atomicfile.Write(f[1], func(w io.Writer) error { return projection.WriteLayout(w, projection.LayoutFormatOf(f[1]), pos) })
		}
	case "quit":
		h.stop()
	}
	if err != nil {
		return err
	}
	if done {
		s.at++
		s.since = time.Time{}
	}
	return nil
}

// modNames are the modifiers script steps take.
var modNames = map[string]glfw.ModifierKey{"shift": glfw.ModShift, "ctrl": glfw.ModControl, "alt": glfw.ModAlt}

// modsOf returns the modifiers named in words.
func modsOf(words []string) glfw.ModifierKey {
	var m glfw.ModifierKey
	for _, w := range words {
		m |= modNames[w]
	}
	return m
}
