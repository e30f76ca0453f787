package main

// legendView is what the legend's layout needs to know: the classes it
// lists and the first one shown, whether the filter box shows, and
// whether there is no legend. The zero value lists every one of
// hudContent.classes from the first.
type legendView struct {
	rows []int // the classes listed, by label; used when set
	set  bool  // rows is the list (else 0..classes-1)
	top  int   // index in the list of the first row shown
	box  bool  // the filter box shows (open, or a filter is set)
	off  bool  // unlabelled data: the header alone
}

// listed returns the number of classes listed and the class at index i.
func (v legendView) listed(classes int) int {
	if v.set {
		return len(v.rows)
	}
	return classes
}

func (v legendView) class(i int) int {
	if v.set {
		return v.rows[i]
	}
	return i
}

// legendGeom is the legend's geometry beyond its rows.
type legendGeom struct {
	filter     rect // the filter box; empty when it does not show
	bar, thumb rect // the scroll bar's track and thumb; empty when every listed row shows
	fit        int  // rows there is room for
	listed     int  // classes listed
}

// layoutLegend lays the legend out, top left: a header, the filter box
// when it shows, one row per listed class from the first shown down as far
// as room allows (leaving room for the status line), a scroll bar when not
// all fit, "show all" and the suspicious-labels switch. Unlabelled data
// gets the header alone. The legend's box is the first element, so its
// rows win hit tests.
func (l *hudLayout) layoutLegend(m hudMetrics, c hudContent) {
	s := m.scale
	mg, pad := uiMargin*s, uiPad*s
	x0, x1 := mg, mg+legendWidth*s
	y := mg + pad + l.rowH
	v := c.legend
	start := len(l.elems)
	if v.off {
		l.legend = rect{x0, mg, x1, y + pad}
	} else {
		if v.box {
			l.lg.filter = rect{x0 + pad/2, y, x1 - pad/2, y + l.rowH}
			y += l.rowH * 1.2
		}
		n := v.listed(c.classes)
		l.lg.listed = n
		first := y
		for y+l.rowH <= m.h-4*l.rowH && l.lg.fit < n {
			y += l.rowH
			l.lg.fit++
		}
		// At least one row, so a short window still lists something.
		if l.lg.fit == 0 && n > 0 {
			l.lg.fit, y = 1, y+l.rowH
		}
		top := max(0, min(v.top, n-l.lg.fit))
		for k := 0; k < l.lg.fit; k++ {
			ry := first + float64(k)*l.rowH
			l.elems = append(l.elems, uiElem{uiLegendRow, v.class(top + k), rect{x0, ry, x1, ry + l.rowH}})
			l.shown++
		}
		if l.lg.fit < n {
			w := 3 * s
			l.lg.bar = rect{x1 - w - 2*s, first, x1 - 2*s, y}
			h := y - first
			t0 := first + h*float64(top)/float64(n)
			l.lg.thumb = rect{l.lg.bar.x0, t0, l.lg.bar.x1, t0 + max(h*float64(l.lg.fit)/float64(n), 4*s)}
		}
		y += l.rowH * 0.3
		l.elems = append(l.elems, uiElem{uiShowAll, 0, rect{x0, y, x1, y + l.rowH}})
		y += l.rowH
		if c.suspects {
			l.elems = append(l.elems, uiElem{uiSuspects, 0, rect{x0, y, x1, y + l.rowH}})
			y += l.rowH
		}
		l.legend = rect{x0, mg, x1, y + pad}
	}
	l.elems = append(l.elems, uiElem{})
	copy(l.elems[start+1:], l.elems[start:len(l.elems)-1])
	l.elems[start] = uiElem{uiBox, 0, l.legend}
}

// drawLegend draws what the legend has beyond its rows: the header, the
// filter box and the scroll bar.
func (g *gfx) drawLegend(f *hudFrame) {
	sh, tx, s := g.shapes, g.text, g.scale
	lg := &f.lay.lg
	tx.Add(f.lay.legend.x0+uiPad*s, f.lay.legend.y0+uiPad*s, f.leg.header, colDim)
	if r := lg.filter; !r.empty() {
		col := colButton
		if f.leg.typing {
			col = colActive
		}
		sh.Rect(r.x0, r.y0, r.x1, r.y1, col)
		tx.Add(r.x0+uiPad*s/2, r.y0+(r.y1-r.y0-tx.LineHeight())/2, f.leg.boxText, colText)
	}
	if r := lg.bar; !r.empty() {
		sh.Rect(r.x0, r.y0, r.x1, r.y1, colButton)
		t := lg.thumb
		sh.Rect(t.x0, t.y0, t.x1, t.y1, colDim)
	}
}
