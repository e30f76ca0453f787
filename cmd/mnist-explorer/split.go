package main

import (
	"math"
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// pane is one view of the map: a scene (which layout, its transitions and
// camera flights), the camera, the sprite renderer that draws it and the
// pick index of its positions. The app embeds its active pane, the one
// under the cursor that keys, clicks and the switcher act on; in the split
// view the other lives in splitView.other. Both cameras span the whole
// window, so screen coordinates need no translation: a pane frames its
// layout in its half of the free area (see splitRects) and draws clipped
// to its side of the divider.
type pane struct {
	scene   *scene
	cam     *render.Camera
	sprites *render.SpriteRenderer // the app's renderer, or a view of it for the second pane
	pick    *render.PickIndex
	pickSeq int // scene.shownSeq the pick index was built for (see picker)
	side    int // 0: the left pane, or the only one; 1: the right pane
	// emph are the rows the last frame drew emphasised in this pane (the
	// hovered and the selected digit), with their screen positions, for the
	// state dump.
	emph []emphasis
}

// emphasis is one emphasised digit as drawn.
type emphasis struct {
	row  int
	x, y float64 // framebuffer pixels
}

// emphasise records that row was drawn emphasised in p this frame.
func (p *pane) emphasise(row int) {
	x, y := p.cam.WorldToScreen(p.scene.posOf(row))
	p.emph = append(p.emph, emphasis{row, x, y})
}

// splitView shows two layouts side by side (B): each pane has its own
// camera, or linked ones (J); hovering or selecting a digit shows it in
// both, since the selection is shared; Shift+B swaps the panes and B
// returns to one.
type splitView struct {
	on     bool
	linked bool // a pan or zoom in one pane moves the other alike
	other  pane // the pane not under the cursor; its scene is nil before the first split
}

// splitGap is the gap between the panes' frames, in UI pixels.
const splitGap = 16

// splitRects divides the map's free area into the two panes' frames (the
// rectangles their layouts are fitted into), gap apart, and returns the
// divider's x: left of it the left pane draws, right of it the right one.
func splitRects(free rect, gap float64) (left, right rect, mid float64) {
	mid = (free.x0 + free.x1) / 2
	left, right = free, free
	left.x1, right.x0 = mid-gap/2, mid+gap/2
	return left, right, mid
}

// frameRect returns the rectangle side's layout is fitted into: its half
// of the map area, less what the inspector panel covers.
func (a *app) frameRect(side int) rect {
	if !a.split.on {
		return a.lay.free
	}
	l, r, _ := splitRects(a.lay.mapArea, splitGap*a.g.scale)
	f := l
	if side == 1 {
		f = r
	}
	f.x1 = max(min(f.x1, a.lay.free.x1), f.x0+1)
	return f
}

// divider returns the x of the line between the panes: the middle of the
// map area, which the inspector panel opening or closing does not move.
func (a *app) divider() float64 {
	_, _, mid := splitRects(a.lay.mapArea, splitGap*a.g.scale)
	return mid
}

// clipRect returns the part of the window side draws into: everything in
// the single view, its side of the divider in the split view.
func (a *app) clipRect(side int) rect {
	w, h := float64(a.cam.Width), float64(a.cam.Height)
	if !a.split.on {
		return rect{0, 0, w, h}
	}
	mid := math.Round(a.divider())
	if side == 1 {
		return rect{mid, 0, w, h}
	}
	return rect{0, 0, mid, h}
}

// newFrameFunc returns the scene's frame function: fit into the frame of
// whichever side the scene's pane is on now.
func (a *app) newFrameFunc(sc *scene) func(*render.Camera, [4]float64) {
	return func(cam *render.Camera, b [4]float64) {
		a.layoutHUD()
		side := a.side
		if a.scene != sc {
			side = a.split.other.side
		}
		f := a.frameRect(side)
		cam.FitRect(b, [4]float64{f.x0, f.y0, f.x1, f.y1}, fitMargin)
	}
}

// panes returns the panes on screen, the active one first.
func (a *app) panes() []*pane {
	if a.split.on {
		return []*pane{&a.pane, &a.split.other}
	}
	return []*pane{&a.pane}
}

// scenes returns every scene that holds layouts, shown or not.
func (a *app) scenes() []*scene {
	if a.split.other.scene != nil {
		return []*scene{a.scene, a.split.other.scene}
	}
	return []*scene{a.scene}
}

// toggleSplit opens the split view (B), the layout on screen on the left
// and on the right the one shown before it (else UMAP or t-SNE), or
// returns to the single view with the active pane.
func (a *app) toggleSplit() {
	frames := a.paneFrames()
	if a.split.on {
		from := frames[a.pane.side]
		a.split.on = false
		a.pane.side = 0
		a.reframe(&a.pane, from, a.frameRect(0))
		a.layoutsChanged()
		return
	}
	o := &a.split.other
	if o.scene == nil {
		v, err := a.g.sprites.NewView()
		if err != nil {
			a.txt.toast("split view: %v", err)
			return
		}
		a.g.views = append(a.g.views, v)
		cam := *a.cam
		o.cam, o.sprites, o.pick = &cam, v, render.NewPickIndex(nil)
	}
	*o.cam = *a.cam
	o.scene = newScene(o.sprites, o.cam, len(a.layouts.entries), a.splitPartner())
	o.scene.frame = a.newFrameFunc(o.scene)
	o.scene.spriteMu, o.scene.fixedPx = a.scene.spriteMu, a.scene.fixedPx
	o.sprites.SetOptions(a.pane.sprites.Options())
	o.pickSeq = -1
	a.split.on = true
	a.pane.side, o.side = 0, 1
	a.reframe(&a.pane, frames[0], a.frameRect(0))
	now := time.Now()
	for i, l := range a.scene.layouts { // what is known so far, the chosen layout last
		if l.pos != nil && i != o.scene.current {
			o.scene.receive(i, l.pos, now)
		}
	}
	if l := a.scene.layouts[o.scene.current]; l.pos != nil {
		o.scene.receive(o.scene.current, l.pos, now)
	}
	a.layouts.ensure(o.scene.current)
	a.layoutsChanged()
}

// splitPartner returns the layout the new right pane shows: the one shown
// before the current one, else UMAP (t-SNE when UMAP is on screen).
func (a *app) splitPartner() int {
	cur := a.scene.current
	if p := a.prevLayout; p >= 0 && p != cur && p < len(a.layouts.entries) && a.layouts.entries[p].status.err == nil {
		return p
	}
	if u := a.layouts.index("umap"); u >= 0 && u != cur {
		return u
	}
	return a.layouts.index("tsne")
}

// swapPanes exchanges the panes' sides (Shift+B), each keeping its view.
func (a *app) swapPanes() {
	if !a.split.on {
		return
	}
	frames := a.paneFrames()
	o := &a.split.other
	a.pane.side, o.side = o.side, a.pane.side
	a.reframe(&a.pane, frames[1-a.pane.side], a.frameRect(a.pane.side))
	a.reframe(o, frames[1-o.side], a.frameRect(o.side))
}

// paneFrames returns the frames of the left and the right side as they
// are now.
func (a *app) paneFrames() [2]rect {
	a.layoutHUD()
	return [2]rect{a.frameRect(0), a.frameRect(1)}
}

// reframe moves pane p's camera from frame from to frame to: a pane that
// follows its layout fits it again; otherwise what was at from's centre
// comes to to's centre, zoomed so the same width of the map shows.
func (a *app) reframe(p *pane, from, to rect) {
	if p.scene.follow {
		p.scene.fit()
		return
	}
	fw, tw := from.x1-from.x0, to.x1-to.x0
	fx, fy := (from.x0+from.x1)/2, (from.y0+from.y1)/2
	tx, ty := (to.x0+to.x1)/2, (to.y0+to.y1)/2
	p.cam.PanPixels(tx-fx, ty-fy)
	if fw > 0 && tw > 0 {
		p.cam.ZoomAbout(tx, ty, tw/fw)
	}
}

// focusPaneAt makes the pane under framebuffer x the active one, unless a
// button is held (a drag stays in the pane it began in).
func (a *app) focusPaneAt(x float64) {
	if !a.split.on || a.pressing {
		return
	}
	side := 0
	if x >= a.divider() {
		side = 1
	}
	if side != a.side {
		a.pane, a.split.other = a.split.other, a.pane
		a.txt.invalidate()
		a.sel.hover = -1
	}
}

// linkCameras moves the other pane's camera as the active one moved from
// before (J): the same zoom factor and the same pan in pixels, about the
// corresponding point of the other frame.
func (a *app) linkCameras(before render.Camera) {
	o := &a.split.other
	if !a.split.on || !a.split.linked || *a.cam == before || before.Zoom <= 0 {
		return
	}
	// The active camera maps screen point s to dz*s + t (a uniform scale
	// and a shift); the other does the same about its own frame.
	dz := a.cam.Zoom / before.Zoom
	mapped := func(sx, sy float64) (float64, float64) { return a.cam.WorldToScreen(before.ScreenToWorld(sx, sy)) }
	fa, fo := a.frameRect(a.side), a.frameRect(o.side)
	dx, dy := (fo.x0+fo.x1)/2-(fa.x0+fa.x1)/2, (fo.y0+fo.y1)/2-(fa.y0+fa.y1)/2
	// The other frame's centre p sits at p - d in the active frame; it goes
	// to mapped(p - d) + d.
	px, py := (fo.x0+fo.x1)/2, (fo.y0+fo.y1)/2
	qx, qy := mapped(px-dx, py-dy)
	qx, qy = qx+dx, qy+dy
	wx, wy := o.cam.ScreenToWorld(px, py)
	o.cam.Zoom *= dz
	o.cam.CenterX = wx - (qx-float64(o.cam.Width)/2)/o.cam.Zoom
	o.cam.CenterY = wy + (qy-float64(o.cam.Height)/2)/o.cam.Zoom
	o.scene.userMoved()
}

// drawPanes draws each pane's sprites and emphasised digits, clipped to
// its side in the split view.
func (a *app) drawPanes() {
	for _, p := range a.panes() {
		p.emph = p.emph[:0]
		if p.scene.shown() == nil {
			continue
		}
		if a.split.on {
			c := a.clipRect(p.side)
			h := float64(a.cam.Height)
			render.Clip(int(c.x0), int(h-c.y1), int(c.x1-c.x0), int(c.y1-c.y0))
		}
		size := p.scene.spriteSize()
		p.sprites.Draw(p.cam, float32(size))
		a.g.drawSelection(p, &a.sel, a.labels(), size)
	}
	render.NoClip()
}

// drawSplitChrome draws the divider and each pane's title over the map,
// the active pane's (the one keys act on) highlighted and underlined.
func (a *app) drawSplitChrome() {
	if !a.split.on {
		return
	}
	s := a.g.scale
	w, h := a.cam.Width, a.cam.Height
	sh, tx := a.g.shapes, a.g.text
	sh.Begin(w, h)
	tx.Begin(w, h)
	mid := math.Round(a.divider())
	sh.Rect(mid-s, a.lay.free.y0, mid+s, a.lay.free.y1, colButton)
	lh := tx.LineHeight()
	for _, p := range a.panes() {
		f := a.frameRect(p.side)
		title := a.layouts.entries[p.scene.current].title
		tw := tx.Measure(title)
		x, y := (f.x0+f.x1)/2-tw/2, f.y0
		sh.Rect(x-uiPad*s, y, x+tw+uiPad*s, y+lh+6*s, colPanel)
		col := colDim
		if p == &a.pane {
			col = colActive
			sh.Rect(x-uiPad*s, y+lh+4*s, x+tw+uiPad*s, y+lh+6*s, colActive)
		}
		tx.Add(x, y+2*s, title, col)
	}
	sh.End()
	tx.End()
}
