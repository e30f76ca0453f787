package main

import (
	"encoding/json"
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
//	move-to-row R          move the cursor onto row R's sprite as drawn now
//	move-to-thumb K        move the cursor onto the panel's K-th neighbour thumbnail
//	click                  press and release the left button
//	key NAME [shift]       press and release a key (a, tab, slash, enter, 1, ...)
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
		"wait-seconds": 1, "move": 2, "move-to-row": 1, "move-to-thumb": 1, "click": 0, "key": -1, "type": -1,
		"hold": 1, "screenshot": 1, "state": 1, "layout": 1, "quit": 0}
	want, ok := args[f[0]]
	switch {
	case !ok:
		return fmt.Errorf("unknown step %q", f[0])
	case want >= 0 && len(f)-1 != want:
		return fmt.Errorf("%s takes %d arguments", f[0], want)
	case want < 0 && len(f) < 2:
		return fmt.Errorf("%s needs an argument", f[0])
	case f[0] == "key":
		if _, ok := keyNames[strings.ToLower(f[1])]; !ok {
			return fmt.Errorf("unknown key %q", f[1])
		}
	}
	for _, a := range f[1:] {
		if f[0] == "move" || f[0] == "move-to-row" || f[0] == "move-to-thumb" || f[0] == "wait-frames" || f[0] == "wait-seconds" || f[0] == "hold" {
			if _, err := strconv.ParseFloat(a, 64); err != nil {
				return fmt.Errorf("%s: %q is not a number", f[0], a)
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

// step runs the script's current step; it returns an error to stop.
func (s *script) step(a *app, now time.Time) error {
	if s.at >= len(s.steps) {
		a.quit = true
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
	in := a.in
	toWindow := 1.0
	if a.cam.Width > 0 && in.winW > 0 {
		toWindow = float64(in.winW) / float64(a.cam.Width)
	}
	switch f[0] {
	case "wait-layout":
		if err := a.views[a.current].status.err; err != nil {
			return err
		}
		done = a.views[a.current].status.final && !a.trans.active && !a.fly.active && a.sel.pending < 0
	case "wait-neighbors":
		done = a.sel.settled() && !a.fly.active
	case "wait-suspects":
		a.startNeighbors()
		done = a.sel.suspects != nil
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
		in.cursorMoved(x, y)
	case "move-to-row":
		r, _ := strconv.Atoi(f[1])
		if r < 0 || r >= a.ds.Len() || a.trans.to == nil {
			return fmt.Errorf("script: move-to-row %d: no such row or no layout yet", r)
		}
		sx, sy := a.cam.WorldToScreen(a.posOf(r))
		in.cursorMoved(sx*toWindow, sy*toWindow)
	case "move-to-thumb":
		k, _ := strconv.Atoi(f[1])
		a.hud.layout(a)
		found := false
		for _, e := range a.hud.elems {
			if e.kind == uiThumb && k == 0 {
				in.cursorMoved((e.x0+e.x1)/2*toWindow, (e.y0+e.y1)/2*toWindow)
				found = true
				break
			} else if e.kind == uiThumb {
				k--
			}
		}
		if !found {
			return fmt.Errorf("script: move-to-thumb %s: no such thumbnail", f[1])
		}
	case "click":
		in.mouseButton(glfw.MouseButtonLeft, glfw.Press)
		in.mouseButton(glfw.MouseButtonLeft, glfw.Release)
	case "key":
		var mods glfw.ModifierKey
		if len(f) > 2 && f[2] == "shift" {
			mods = glfw.ModShift
		}
		k := keyNames[strings.ToLower(f[1])]
		in.keyEvent(k, glfw.Press, mods)
		in.keyEvent(k, glfw.Release, mods)
	case "type":
		for _, r := range strings.Join(f[1:], " ") {
			in.typed(r)
		}
	case "hold":
		a.hold, _ = strconv.ParseFloat(f[1], 64)
	case "screenshot":
		// Draw the frame as it stands now, then read it back.
		a.update(now)
		a.draw()
		if err := a.saveScreenshot(f[1]); err != nil {
			return err
		}
		fmt.Printf("saved %s\n", f[1])
	case "state":
		if err := a.writeState(f[1]); err != nil {
			return err
		}
	case "layout":
		if a.trans.to == nil {
			return fmt.Errorf("script: layout %s: no layout shown yet", f[1])
		}
		if err := atomicfile.Write(f[1], func(w io.Writer) error { return projection.WriteLayout(w, projection.LayoutFormatOf(f[1]), a.trans.to) }); err != nil {
			return err
		}
	case "quit":
		a.quit = true
	}
	if done {
		s.at++
		s.since = time.Time{}
	}
	return nil
}

// appState is what `state FILE` writes: enough for a test to check what
// the app shows without trusting its pixels alone.
type appState struct {
	Layout      string            `json:"layout"`
	Layouts     []string          `json:"layouts"`
	Classes     []string          `json:"classes"`
	Selected    int               `json:"selected"`
	Hover       int               `json:"hover"`
	Neighbors   []int32           `json:"neighbors"`
	Distances   []float32         `json:"distances"`
	Panel       bool              `json:"panel"`
	Camera      [3]float64        `json:"camera"` // centre x, centre y, zoom
	Viewport    [2]int            `json:"viewport"`
	SpriteSize  float64           `json:"sprite_size"`
	CursorWorld [2]float64        `json:"cursor_world"`
	DigitRect   [4]float64        `json:"digit_rect"`
	Thumbs      []thumbState      `json:"thumbs"`
	Hidden      []int             `json:"hidden_classes"`
	Visible     int               `json:"visible"`
	Suspects    int               `json:"suspects"` // -1 while unknown
	SuspectsOn  bool              `json:"suspects_on"`
	Errors      map[string]string `json:"errors"` // failed background jobs
}

type thumbState struct {
	Row  int        `json:"row"`
	Rect [4]float64 `json:"rect"`
}

func (a *app) writeState(path string) error {
	scale := 1.0
	if a.in.winW > 0 {
		scale = float64(a.cam.Width) / float64(a.in.winW)
	}
	cx, cy := a.cam.ScreenToWorld(a.in.cursorX*scale, a.in.cursorY*scale)
	st := appState{
		Layout: a.views[a.current].method, Selected: a.sel.row, Hover: a.sel.hover, Panel: a.hud.panel,
		Camera: [3]float64{a.cam.CenterX, a.cam.CenterY, a.cam.Zoom}, Viewport: [2]int{a.cam.Width, a.cam.Height},
		SpriteSize: a.spriteSize(), CursorWorld: [2]float64{cx, cy},
		Visible: a.ds.Len() - a.sel.nHidden, Suspects: -1, SuspectsOn: a.sel.suspOn,
		Hidden: []int{}, Thumbs: []thumbState{}, Classes: a.hud.classNames,
	}
	st.Errors = map[string]string{}
	for _, v := range a.views {
		st.Layouts = append(st.Layouts, v.method)
		if v.status.err != nil {
			st.Errors[v.method] = v.status.err.Error()
		}
	}
	if a.sel.suspects != nil {
		st.Suspects = len(a.sel.suspects)
	}
	if nb, d, ok := a.sel.neighbors(); ok {
		st.Neighbors, st.Distances = nb, d
	}
	x0, y0, x1, y1 := a.hud.digitRect(a)
	st.DigitRect = [4]float64{x0, y0, x1, y1}
	a.hud.layout(a)
	for _, e := range a.hud.elems {
		if e.kind == uiThumb {
			side := e.x1 - e.x0 - 6*a.uiScale
			st.Thumbs = append(st.Thumbs, thumbState{e.arg, [4]float64{e.x0, e.y0, e.x0 + side, e.y0 + side}})
		}
	}
	for l, h := range a.sel.hidden {
		if h {
			st.Hidden = append(st.Hidden, l)
		}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
