package main

// The "which classes blend" panel (C): a heat matrix of the neighbour
// graph's confusion and the most blended pairs, laid out (pure) and drawn.

// Geometry of the blend panel, in units of the UI scale.
const (
	blendMatrix  = 360 // the matrix's side at most
	blendCellMax = 36
	blendList    = 330 // the list of pairs' width
)

// layoutBlend lays the blend panel out in the middle of the window:
// classes x classes cells (arg a*C+b) and the listed pairs (arg index).
func (l *hudLayout) layoutBlend(m hudMetrics, c hudContent) {
	s := m.scale
	pad := uiPad * s
	n := c.blend
	cell := min(blendMatrix*s/float64(n), blendCellMax*s)
	side := cell * float64(n)
	w := pad + 2*m.small + side + 2*pad + blendList*s + pad
	h := pad + 1.5*m.line + side + m.small + pad
	h = max(h, pad+1.5*m.line+float64(c.blendPairs+1)*m.line+pad)
	x0, y0 := (m.w-w)/2, (m.h-h)/2
	l.blend = rect{x0, y0, x0 + w, y0 + h}
	l.elems = append(l.elems, uiElem{uiBox, 0, l.blend})
	l.matrix = rect{x0 + pad + 2*m.small, y0 + pad + 1.5*m.line, 0, 0}
	l.matrix.x1, l.matrix.y1 = l.matrix.x0+side, l.matrix.y0+side
	l.cell = cell
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			x, y := l.matrix.x0+float64(b)*cell, l.matrix.y0+float64(a)*cell
			l.elems = append(l.elems, uiElem{uiMixCell, a*n + b, rect{x, y, x + cell, y + cell}})
		}
	}
	lx := l.matrix.x1 + 2*pad
	for i := 0; i < c.blendPairs; i++ {
		y := l.matrix.y0 + float64(i+1)*m.line
		l.elems = append(l.elems, uiElem{uiMixPair, i, rect{lx, y, l.blend.x1 - pad, y + m.line}})
	}
}

// drawBlend draws the blend panel: title, heat cells (the share of class
// a's neighbours that are b, relative to the largest off-diagonal share),
// axis labels and the list of pairs.
func (g *gfx) drawBlend(f *hudFrame) {
	bl, sh, tx, s := f.blend, g.shapes, g.text, g.scale
	r, mx := f.lay.blend, f.lay.matrix
	tx.Add(r.x0+uiPad*s, r.y0+uiPad*s, f.txt.blendTitle, colText)
	n := bl.mix.C
	peak := 1e-9
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			if a != b {
				peak = max(peak, bl.mix.Share(a, b))
			}
		}
	}
	big := f.lay.cell >= 26*s
	for i := range f.lay.elems {
		e := &f.lay.elems[i]
		switch e.kind {
		case uiMixCell:
			a, b := e.arg/n, e.arg%n
			c := heat(bl.mix.Share(a, b) / peak)
			if a == b {
				c = colButton
			}
			sh.Rect(e.x0, e.y0, e.x1-1, e.y1-1, c)
			if big && a != b {
				g.small.Add(e.x0+2*s, e.y0+(e.y1-e.y0-g.small.LineHeight())/2, bl.cells[e.arg], colText)
			}
		case uiMixPair:
			col := colText
			if p := bl.mix.Pairs[e.arg]; p.A == bl.a && p.B == bl.b {
				col = colSelect
			}
			tx.Add(e.x0, e.y0, bl.pairs[e.arg], col)
		}
	}
	if n <= 20 {
		for l := 0; l < n; l++ {
			d := f.labelDigit(l)
			g.small.Add(mx.x0-1.6*g.small.LineHeight(), mx.y0+(float64(l)+0.2)*f.lay.cell, d, paletteColor(uint8(l), 1))
			g.small.Add(mx.x0+(float64(l)+0.3)*f.lay.cell, mx.y1, d, paletteColor(uint8(l), 1))
		}
	}
	tx.Add(mx.x1+2*uiPad*s, mx.y0, "Most blended pairs (click one)", colDim)
}

// heat maps t in [0, 1] to a dark-to-warm colour.
func heat(t float64) [4]float32 {
	t = min(max(t, 0), 1)
	lo, hi := colPanel, [4]float32{1, 0.62, 0.2, 1}
	var c [4]float32
	for i := range c {
		c[i] = lo[i] + (hi[i]-lo[i])*float32(t)
	}
	c[3] = 1
	return c
}
