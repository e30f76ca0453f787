package main

import (
	"encoding/json"
	"os"
	"time"
)

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
	Errors      map[string]string `json:"errors"`  // failed background jobs
	Running     []string          `json:"running"` // layouts still computing
	Buttons     [][4]float64      `json:"buttons"` // the layout switcher's buttons
	// PanelSuspicious is the panel's verdict on the selected row.
	PanelSuspicious bool         `json:"panel_suspicious"`
	Review          *reviewState `json:"review,omitempty"`    // once the review queue has opened
	Blend           *blendState  `json:"blend,omitempty"`     // once the neighbour graph is known
	Agreement       *agreeState  `json:"agreement,omitempty"` // the agreement colouring, once computed
	ClassCounts     []int        `json:"class_counts"`        // rows per class, as labelled now
	SpriteMode      string       `json:"sprite_mode"`         // images, images of a fixed size, dots (U)
	Opacity         float32      `json:"opacity"`             // the sprites' opacity (Shift+U)
	Space           string       `json:"space"`               // what layouts and neighbours are computed on
	PanelNeighbors  string       `json:"panel_neighbors"`     // the panel's line about the neighbours
	Chosen          []int32      `json:"chosen"`              // rows chosen with the lasso or box
	LastExport      string       `json:"last_export"`         // the last file an export wrote
	Split           *splitState  `json:"split,omitempty"`     // the split view, when on (B)
}

// splitState is the split view as the state dump shows it.
type splitState struct {
	Linked bool        `json:"linked"`
	Active int         `json:"active"` // the side under the cursor: 0 left, 1 right
	Panes  []paneState `json:"panes"`  // left, then right
}

// paneState is one pane of the split view.
type paneState struct {
	Layout string       `json:"layout"`
	Frame  [4]float64   `json:"frame"` // where its layout is fitted
	Clip   [4]float64   `json:"clip"`  // where it draws
	Camera [3]float64   `json:"camera"`
	Emph   []emphasised `json:"emphasised"` // the hovered and selected digits as the last frame drew them here
}

// emphasised is a digit drawn emphasised in a pane.
type emphasised struct {
	Row    int        `json:"row"`
	Screen [2]float64 `json:"screen"`  // framebuffer pixels
	InClip bool       `json:"in_clip"` // inside the pane's part of the window
}

// blendState is the blend panel and pair view as the state dump shows them.
type blendState struct {
	Open      bool         `json:"open"`
	Pairs     [][2]int     `json:"pairs"`      // the listed pairs, most blended first
	PairRects [][4]float64 `json:"pair_rects"` // where they are listed (when open)
	Pair      [2]int       `json:"pair"`       // the pair viewed; -1, -1 for none
	Boundary  []int32      `json:"boundary"`   // its boundary rows
	Edges     bool         `json:"edges"`      // every boundary digit highlighted (O)
}

// agreeState is the agreement colouring as the state dump shows it.
type agreeState struct {
	Layouts [2]string `json:"layouts"` // the layout shown, the one before
	Mean    float64   `json:"mean"`
}

// reviewState is the review queue as the state dump shows it.
type reviewState struct {
	Total     int              `json:"total"`
	Reviewed  int              `json:"reviewed"`
	Current   int              `json:"current"` // row under review; -1 when done
	File      string           `json:"file"`    // "" when not saved
	Decisions map[int32]string `json:"decisions"`
	Labels    map[int32]uint8  `json:"labels"` // current label of each decided row
}

type thumbState struct {
	Row  int        `json:"row"`
	Rect [4]float64 `json:"rect"`
}

// The app as a scriptHost.

func (a *app) layoutReady() (bool, error) {
	e := a.layouts.entries[a.scene.current]
	if e.status.err != nil {
		return false, e.status.err
	}
	if a.split.on { // and the other pane's
		o := a.layouts.entries[a.split.other.scene.current]
		if o.status.err != nil {
			return false, o.status.err
		}
		if !o.status.final {
			return false, nil
		}
	}
	return a.layoutSettled() && a.sel.pending < 0, nil
}

func (a *app) neighborsReady() bool { return a.sel.settled() && !a.scene.fly.active }

func (a *app) suspectsReady() bool {
	a.startGraph()
	return a.sus != nil || (a.ds.Unlabelled && a.graphSt.final) // unlabelled data has none
}

func (a *app) rowOnScreen(r, side int) (float64, float64, bool) {
	p := &a.pane
	if side >= 0 && side != p.side {
		if !a.split.on {
			return 0, 0, false
		}
		p = &a.split.other
	}
	if r < 0 || r >= a.ds.Len() || p.scene.shown() == nil {
		return 0, 0, false
	}
	x, y := p.cam.WorldToScreen(p.scene.posOf(r))
	return x, y, true
}

func (a *app) thumbOnScreen(k int) (float64, float64, bool) {
	a.layoutHUD()
	x, y, ok := 0.0, 0.0, false
	a.lay.thumbs(a.g.scale, func(i int, e *uiElem, _ rect) {
		if i == k {
			x, y, ok = (e.x0+e.x1)/2, (e.y0+e.y1)/2, true
		}
	})
	return x, y, ok
}

func (a *app) framebufferScale() float64 {
	if a.cam.Width > 0 && a.in.winW > 0 {
		return float64(a.cam.Width) / float64(a.in.winW)
	}
	return 1
}

func (a *app) setHold(f float64) { a.scene.hold = f }

func (a *app) screenshot(path string) error {
	now := time.Now()
	a.update(now)
	a.draw(now)
	return a.saveScreenshot(path)
}

func (a *app) shownLayout() []float32 { return a.scene.shown() }

func (a *app) stop() { a.quit = true }

// writeState writes the app's state as JSON to path.
func (a *app) writeState(path string) error {
	cx, cy := a.cam.ScreenToWorld(a.in.cursorX*a.framebufferScale(), a.in.cursorY*a.framebufferScale())
	st := appState{
		Layout: a.layouts.entries[a.scene.current].name, Selected: a.sel.row, Hover: a.sel.hover, Panel: a.panel,
		Camera: [3]float64{a.cam.CenterX, a.cam.CenterY, a.cam.Zoom}, Viewport: [2]int{a.cam.Width, a.cam.Height},
		SpriteSize: a.scene.spriteSize(), CursorWorld: [2]float64{cx, cy},
		Visible: a.ds.Len() - a.sel.nHidden, Suspects: -1, SuspectsOn: a.sel.suspOn,
		Hidden: []int{}, Thumbs: []thumbState{}, Classes: a.txt.classNames, Errors: map[string]string{},
	}
	for _, e := range a.layouts.entries {
		st.Layouts = append(st.Layouts, e.name)
		if e.status.err != nil {
			st.Errors[e.name] = e.status.err.Error()
		}
		if running(e.task) {
			st.Running = append(st.Running, e.name)
		}
	}
	if a.sus != nil {
		st.Suspects = len(a.sus.rows)
	}
	if nb, d, ok := a.sel.neighbors(); ok {
		st.Neighbors, st.Distances = nb, d
	}
	if r := a.sel.row; r >= 0 {
		p := describeRow(a.ds, r, nil, nil, false, a.sus)
		st.PanelSuspicious = p.susp != ""
	}
	if bl := &a.bl; bl.mix != nil {
		bs := &blendState{Open: bl.open, Pair: [2]int{bl.a, bl.b}, Boundary: bl.boundary, Edges: bl.edges}
		for _, p := range bl.mix.Pairs[:len(bl.pairs)] {
			bs.Pairs = append(bs.Pairs, [2]int{p.A, p.B})
		}
		a.layoutHUD()
		for _, e := range a.lay.elems {
			if e.kind == uiMixPair {
				bs.PairRects = append(bs.PairRects, [4]float64{e.x0, e.y0, e.x1, e.y1})
			}
		}
		st.Blend = bs
	}
	if ag := &a.agree; ag.on && ag.values != nil {
		var sum float64
		for _, v := range ag.values {
			sum += float64(v)
		}
		st.Agreement = &agreeState{[2]string{a.layouts.entries[ag.a].name, a.layouts.entries[ag.b].name}, sum / float64(len(ag.values))}
	}
	st.Space, st.PanelNeighbors, st.SpriteMode = a.txt.space, a.txt.panel.nb, modeNames[a.mode]
	if st.Opacity = a.sprites.Options().Opacity; st.Opacity == 0 {
		st.Opacity = 1 // the renderer's zero value
	}
	st.ClassCounts = make([]int, len(a.txt.classNames))
	for _, l := range a.labels() {
		if int(l) < len(st.ClassCounts) {
			st.ClassCounts[l]++
		}
	}
	st.Chosen, st.LastExport = append([]int32{}, a.cv.rows...), a.lastExport
	if r := a.rev; r != nil {
		p := r.q.Progress()
		rs := &reviewState{Total: p.Total, Reviewed: p.Reviewed, Current: r.current(), File: r.saved,
			Decisions: map[int32]string{}, Labels: map[int32]uint8{}}
		for _, ch := range r.c.Changes() {
			rs.Decisions[ch.Row] = ch.Decision.String()
			rs.Labels[ch.Row] = r.labels[ch.Row]
		}
		st.Review = rs
	}
	a.layoutHUD()
	if a.split.on {
		ss := &splitState{Linked: a.split.linked, Active: a.side, Panes: make([]paneState, 2)}
		for _, p := range a.panes() {
			f, c := a.frameRect(p.side), a.clipRect(p.side)
			ps := paneState{Layout: a.layouts.entries[p.scene.current].name, Frame: [4]float64{f.x0, f.y0, f.x1, f.y1},
				Clip: [4]float64{c.x0, c.y0, c.x1, c.y1}, Camera: [3]float64{p.cam.CenterX, p.cam.CenterY, p.cam.Zoom}, Emph: []emphasised{}}
			for _, e := range p.emph {
				ps.Emph = append(ps.Emph, emphasised{e.row, [2]float64{e.x, e.y}, c.contains(e.x, e.y)})
			}
			ss.Panes[p.side] = ps
		}
		st.Split = ss
	}
	d := a.lay.digit
	st.DigitRect = [4]float64{d.x0, d.y0, d.x1, d.y1}
	a.lay.thumbs(a.g.scale, func(_ int, e *uiElem, img rect) {
		st.Thumbs = append(st.Thumbs, thumbState{e.arg, [4]float64{img.x0, img.y0, img.x1, img.y1}})
	})
	for _, e := range a.lay.elems {
		if e.kind == uiLayoutButton {
			st.Buttons = append(st.Buttons, [4]float64{e.x0, e.y0, e.x1, e.y1})
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
