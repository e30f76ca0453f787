package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// Colours of the interface (straight alpha).
var (
	background = [3]float32{0.07, 0.075, 0.09}
	colText    = [4]float32{0.92, 0.93, 0.95, 1}
	colDim     = [4]float32{0.6, 0.62, 0.66, 1}
	colFaint   = [4]float32{0.4, 0.42, 0.46, 1}
	colPanel   = [4]float32{0.11, 0.12, 0.145, 0.94}
	colButton  = [4]float32{0.18, 0.19, 0.23, 0.94}
	colActive  = [4]float32{0.30, 0.47, 0.70, 0.95}
	colBar     = [4]float32{0.95, 0.65, 0.25, 1}
	colSelect  = [4]float32{1, 0.85, 0.2, 1}
	colWarn    = [4]float32{1, 0.55, 0.35, 1}
	colBlack   = [4]float32{0, 0, 0, 1}
)

func paletteColor(l uint8, alpha float32) [4]float32 {
	c := render.ClassColour(l)
	return [4]float32{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, alpha}
}

// gfx holds the renderers; it is the only part of the app that draws.
type gfx struct {
	sprites     *render.SpriteRenderer
	views       []*render.SpriteRenderer // views of sprites (the split view's second pane)
	images      *render.ImageRenderer
	shapes      *render.ShapeRenderer
	text, small *render.TextRenderer
	scale       float64 // framebuffer pixels per UI unit (HiDPI)
	quads       []render.ImageQuad
}

// Delete releases the renderers.
func (g *gfx) Delete() {
	for _, v := range g.views { // before the renderer they share with
		v.Delete()
	}
	for _, d := range []interface{ Delete() }{g.text, g.small, g.shapes, g.images, g.sprites} {
		d.Delete() // safe on a nil renderer
	}
}

// metrics returns the HUD's sizes for a w x h viewport.
func (g *gfx) metrics(w, h int) hudMetrics {
	return hudMetrics{w: float64(w), h: float64(h), scale: g.scale, line: g.text.LineHeight(), small: g.small.LineHeight()}
}

// hudFrame is what one frame of the HUD reads: the laid-out elements, the
// strings, and the state they show. The draw step changes none of it.
type hudFrame struct {
	cam         *render.Camera
	lay         *hudLayout
	txt         *hudText
	layouts     []*layoutEntry
	current     int
	placeholder int // -1 for none
	sel         *selection
	labels      []uint8
	graph       *taskStatus[[]int32] // nil when no graph job runs
	cv          *chosenView
	blend       *blend
	tune        *tuner
	findBuf     []byte
	leg         *legend
	orig        *originalView
	drawTime    time.Duration
	now         time.Time
}

// drawHUD draws legend, switcher, panel, status line, find prompt, toast
// and help, in that order, in three batches (shapes, images, text).
func (g *gfx) drawHUD(f *hudFrame) {
	w, h := f.cam.Width, f.cam.Height
	sh, tx := g.shapes, g.text
	sh.Begin(w, h)
	tx.Begin(w, h)
	g.small.Begin(w, h)
	s, lh := g.scale, tx.LineHeight()
	for i := range f.lay.elems {
		e := &f.lay.elems[i]
		switch e.kind {
		case uiBox:
			sh.Rect(e.x0, e.y0, e.x1, e.y1, colPanel)
		case uiLegendRow:
			g.legendRow(f, e)
		case uiShowAll:
			tx.Add(e.x0+uiPad*s, e.y0, "Show all (Shift+A)", colDim)
		case uiSuspects:
			col := colDim
			if f.sel.suspOn {
				col = colWarn
			}
			tx.Add(e.x0+uiPad*s, e.y0, f.txt.suspText, col)
		case uiLayoutButton:
			g.layoutButton(f, e)
		}
	}
	g.drawLegend(f)
	if !f.lay.panel.empty() {
		g.drawPanel(f)
	}
	if !f.lay.chosen.empty() {
		g.drawChosen(f)
	}
	g.drawStatus(f)
	if r := f.lay.find; !r.empty() {
		sh.Rect(r.x0, r.y0, r.x1, r.y1, colButton)
		f.txt.buf = append(append(f.txt.buf[:0], "Find row: "...), f.findBuf...)
		f.txt.buf = append(f.txt.buf, '_')
		tx.AddBytes(r.x0+uiPad*s, r.y0+lh/2, f.txt.buf, colText)
	}
	if f.txt.toastShown(f.now) {
		mw := tx.Measure(f.txt.msg)
		bottom := f.lay.status.y0
		if !f.lay.review.empty() {
			bottom = f.lay.review.y0
		}
		x0, y0 := float64(w)-mw-2*uiMargin*s, bottom-uiMargin*s-lh
		sh.Rect(x0-uiPad*s, y0-4*s, x0+mw+uiPad*s, y0+lh+4*s, colButton)
		tx.Add(x0, y0, f.txt.msg, colText)
	}
	if r := f.lay.review; !r.empty() {
		sh.Rect(r.x0, r.y0, r.x1, r.y1, colPanel)
		sh.RectOutline(r.x0, r.y0, r.x1, r.y1, 1.5*s, colWarn)
		tx.Add(r.x0+uiPad*s, r.y0+uiPad*s, f.txt.review[0], colWarn)
		tx.Add(r.x0+uiPad*s, r.y0+uiPad*s+lh, f.txt.review[1], colText)
	}
	if !f.lay.blend.empty() {
		g.drawBlend(f)
	}
	if r := f.lay.tune; !r.empty() {
		sh.RectOutline(r.x0, r.y0, r.x1, r.y1, 1.5*s, colActive)
		x, y := r.x0+uiPad*s, r.y0+uiPad*s
		tx.Add(x, y, f.tune.title, colText)
		for i, line := range f.tune.lines {
			col := colDim
			if i == f.tune.row {
				col = colSelect
			}
			tx.Add(x+12*s, y+float64(i+1)*lh+lh/2, line, col)
		}
		tx.Add(x, r.y1-uiPad*s-lh, "Tab: next method · ↑↓ choose · ←→ change · Enter computes · Esc closes", colFaint)
	}
	if !f.lay.help.empty() {
		g.drawHelp(f.lay.help)
	}
	sh.End()
	if !f.lay.panel.empty() || !f.lay.chosen.empty() {
		g.drawPanelImages(f)
	}
	tx.End()
	g.small.End()
}

func (g *gfx) legendRow(f *hudFrame, e *uiElem) {
	sh, tx, s, lh := g.shapes, g.text, g.scale, g.text.LineHeight()
	l := e.arg
	hidden := f.sel.hidden[l]
	sw := lh * 0.7
	sy := e.y0 + (e.y1-e.y0-sw)/2
	c := paletteColor(uint8(l), 1)
	col := colText
	if hidden {
		sh.RectOutline(e.x0+uiPad*s, sy, e.x0+uiPad*s+sw, sy+sw, 1.5*s, c)
		col = colFaint
	} else {
		sh.Rect(e.x0+uiPad*s, sy, e.x0+uiPad*s+sw, sy+sw, c)
	}
	ty := e.y0 + (e.y1-e.y0-lh)/2
	tx.Add(e.x0+uiPad*s+sw+8*s, ty, f.txt.classNames[l], col)
	cw := tx.Measure(f.txt.classCounts[l])
	tx.Add(e.x1-uiPad*s-cw, ty, f.txt.classCounts[l], colDim)
}

func (g *gfx) layoutButton(f *hudFrame, e *uiElem) {
	sh, tx, s := g.shapes, g.text, g.scale
	le := f.layouts[e.arg]
	c := colButton
	if e.arg == f.current {
		c = colActive
	}
	sh.Rect(e.x0, e.y0, e.x1, e.y1, c)
	tw := tx.Measure(le.label)
	tx.Add((e.x0+e.x1-tw)/2, e.y0+6*s, le.label, colText)
	if le.task != nil && !le.status.done {
		sh.Rect(e.x0, e.y1-3*s, e.x0+(e.x1-e.x0)*le.status.fraction(), e.y1, colBar)
	}
	if le.status.err != nil {
		sh.Rect(e.x0, e.y1-3*s, e.x1, e.y1, colWarn)
	}
}

// drawStatus draws the status line: layout, visible points, draw time and
// background work with progress bars.
func (g *gfx) drawStatus(f *hudFrame) {
	tx, sh, s := g.text, g.shapes, g.scale
	r := f.lay.status
	x, y := uiMargin*s, r.y0+6*s
	b := append(f.txt.buf[:0], f.layouts[f.current].title...)
	if f.placeholder >= 0 {
		b = append(b, " (starting; "...)
		b = append(b, f.layouts[f.placeholder].title...)
		b = append(b, " shown meanwhile)"...)
	}
	b = append(b, " · "...)
	b = appendGrouped(b, len(f.labels)-f.sel.nHidden)
	b = append(b, " of "...)
	b = appendGrouped(b, len(f.labels))
	b = append(b, " shown · "...)
	b = strconv.AppendFloat(b, f.drawTime.Seconds()*1000, 'f', 1, 64)
	b = append(b, " ms to draw · H for help"...)
	f.txt.buf = b
	sh.Rect(r.x0, r.y0, r.x1, r.y1, colPanel)
	x += tx.AddBytes(x, y, b, colDim) + 16*s
	for _, le := range f.layouts {
		if le.task != nil && !le.status.done {
			x = g.drawProgress(f, x, y, le.title, le.status.progress.Stage, le.status.fraction())
		}
	}
	if gs := f.graph; gs != nil && !gs.done {
		g.drawProgress(f, x, y, "neighbours", gs.progress.Stage, gs.fraction())
	}
}

// drawProgress draws "name stage [bar]" at (x, y) and returns the next x;
// a stage named like the job ("PCA pca") is left out.
func (g *gfx) drawProgress(f *hudFrame, x, y float64, name, stage string, frac float64) float64 {
	tx, sh, s, lh := g.text, g.shapes, g.scale, g.text.LineHeight()
	b := append(f.txt.buf[:0], name...)
	if stage != "" && !strings.EqualFold(stage, name) {
		b = append(b, ' ')
		b = append(b, stage...)
	}
	f.txt.buf = b
	x += tx.AddBytes(x, y, b, colText) + 8*s
	bw := 120 * s
	sh.Rect(x, y+lh*0.3, x+bw, y+lh*0.7, colButton)
	sh.Rect(x, y+lh*0.3, x+bw*frac, y+lh*0.7, colBar)
	return x + bw + 16*s
}

// drawHelp draws the help overlay into r.
func (g *gfx) drawHelp(r rect) {
	tx, sh, s, lh := g.text, g.shapes, g.scale, g.text.LineHeight()
	sh.Rect(r.x0, r.y0, r.x1, r.y1, [4]float32{0.09, 0.1, 0.12, 0.97})
	sh.RectOutline(r.x0, r.y0, r.x1, r.y1, 1.5*s, colActive)
	y := r.y0 + uiPad*s
	for i, row := range helpRows {
		if i == 0 {
			tx.Add(r.x0+2*uiPad*s, y, row[0], colText) // the title
			y += lh / 2
		} else {
			tx.Add(r.x0+2*uiPad*s, y, row[0], colWarn)
			tx.Add(r.x0+2*uiPad*s+200*s, y, row[1], colText)
		}
		y += lh
	}
}

// drawSelection draws, in pane p, the lines from the selected sprite to its
// pixel-space neighbours, their markers, and the hovered and selected
// sprites on top (the selection is shared: both panes of the split view
// show it).
func (g *gfx) drawSelection(p *pane, sel *selection, labels []uint8, size float64) {
	cam, sc := p.cam, p.scene
	s := g.scale
	bg := [4]float32{background[0], background[1], background[2], 1}
	if sel.row >= 0 {
		if nb, _, ok := sel.neighbors(); ok {
			sh := g.shapes
			sh.Begin(cam.Width, cam.Height)
			x0, y0 := sc.posOf(sel.row)
			half := max(size/2*cam.Zoom, 5*s)
			for _, r := range nb {
				x1, y1 := sc.posOf(int(r))
				c := paletteColor(labels[r], 0.85)
				sh.LineWorld(cam, x0, y0, x1, y1, 1.5*s, c)
				sx, sy := cam.WorldToScreen(x1, y1)
				sh.RectOutline(sx-half, sy-half, sx+half, sy+half, 1.5*s, c)
			}
			sh.End()
		}
		g.images.DrawOneIn(p.sprites, sel.row, cam, float32(size), render.Emphasis{Scale: 1.6, MinPx: float32(36 * s), OutlinePx: float32(2.5 * s), Outline: colSelect, Backdrop: bg})
		p.emphasise(sel.row)
	}
	if sel.hover >= 0 && sel.hover != sel.row {
		g.images.DrawOneIn(p.sprites, sel.hover, cam, float32(size), render.Emphasis{Scale: 2, MinPx: float32(44 * s), OutlinePx: float32(2 * s), Backdrop: bg})
		p.emphasise(sel.hover)
	}
}
