package main

import (
	"strconv"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// drawPanel draws the inspector's text and shapes.
func (g *gfx) drawPanel(f *hudFrame) {
	p, tx, sh := &f.txt.panel, g.text, g.shapes
	s, lh := g.scale, tx.LineHeight()
	x := f.lay.panel.x0 + uiPad*s
	y := f.lay.panel.y0 + uiPad*s
	tx.Add(x, y, p.title, colText)
	tx.Add(x, y+lh, p.sub, colDim)
	if f.sel.row < 0 {
		tx.Add(x, y+3*lh, "Tab or I hides this panel.\nN / Shift+N visit suspicious labels.\n/ finds a row by number.", colFaint)
		return
	}
	d := f.lay.digit
	sh.Rect(d.x0, d.y0, d.x1, d.y1, colBlack)
	sh.RectOutline(d.x0-2*s, d.y0-2*s, d.x1+2*s, d.y1+2*s, 2*s, paletteColor(f.labels[f.sel.row], 1))
	ty := d.y1 + 0.5*lh
	tx.Add(x, ty, p.nb, colText)
	if p.susp != "" {
		tx.Add(x, ty+lh, p.susp, colWarn)
	}
	f.lay.thumbs(s, func(_ int, e *uiElem, img rect) {
		sh.Rect(img.x0, img.y0, img.x1, img.y1, colBlack)
		g.small.Add(img.x0, img.y1+2*s, p.thumbText(e.arg), paletteColor(f.labels[e.arg], 1))
	})
}

// drawChosen draws the selection panel's text, bars and thumbnail
// backgrounds.
func (g *gfx) drawChosen(f *hudFrame) {
	tx, sh, s, lh := g.text, g.shapes, g.scale, g.text.LineHeight()
	r, b := f.lay.chosen, f.lay.bars
	tx.Add(r.x0+uiPad*s, r.y0+uiPad*s, f.cv.head, colSelect)
	g.small.Add(r.x0+uiPad*s, r.y0+uiPad*s+lh, "E export · G grow · Esc clears", colDim)
	peak := 1
	for _, n := range f.cv.counts {
		peak = max(peak, n)
	}
	bw := (b.x1 - b.x0) / float64(max(len(f.cv.counts), 1))
	for l, n := range f.cv.counts {
		x := b.x0 + float64(l)*bw
		h := (b.y1 - b.y0) * float64(n) / float64(peak)
		sh.Rect(x+1*s, b.y1-h, x+bw-1*s, b.y1, paletteColor(uint8(l), 1))
		if bw >= 12*s {
			g.small.Add(x+bw/2-3*s, b.y1, f.labelDigit(l), colDim)
		}
	}
	for i := range f.lay.elems {
		if e := &f.lay.elems[i]; e.kind == uiChosenThumb {
			sh.Rect(e.x0, e.y0, e.x1, e.y1, colBlack)
		}
	}
}

// labelDigit returns a short name of label l for the bar chart.
func (f *hudFrame) labelDigit(l int) string {
	if l < len(digitNames) {
		return digitNames[l]
	}
	return ""
}

// digitNames are the labels 0-99 as text, so that a frame allocates none.
var digitNames = func() []string {
	out := make([]string, 100)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

// drawPanelImages draws the enlarged image and the neighbour thumbnails in
// one batch (crisp nearest-neighbour pixels).
func (g *gfx) drawPanelImages(f *hudFrame) {
	q := g.quads[:0]
	if f.sel.row >= 0 && !f.lay.panel.empty() {
		d := f.lay.digit
		q = append(q, render.ImageQuad{Sprite: f.sel.row, X0: d.x0, Y0: d.y0, X1: d.x1, Y1: d.y1})
		f.lay.thumbs(g.scale, func(_ int, e *uiElem, img rect) {
			q = append(q, render.ImageQuad{Sprite: e.arg, X0: img.x0, Y0: img.y0, X1: img.x1, Y1: img.y1, Tint: paletteColor(f.labels[e.arg], 1)})
		})
	}
	for i := range f.lay.elems {
		if e := &f.lay.elems[i]; e.kind == uiChosenThumb {
			q = append(q, render.ImageQuad{Sprite: e.arg, X0: e.x0, Y0: e.y0, X1: e.x1, Y1: e.y1, Tint: paletteColor(f.labels[e.arg], 1)})
		}
	}
	g.quads = q
	g.images.DrawImages(f.cam.Width, f.cam.Height, q)
	g.drawOriginal(f, f.orig) // the selected row at its original resolution, once loaded (original.go)
}
