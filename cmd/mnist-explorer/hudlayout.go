package main

// Geometry, in units of the UI scale.
const (
	uiMargin     = 12
	uiPad        = 10
	legendWidth  = 200
	buttonWidth  = 104
	buttonGap    = 4
	buttonMax    = 240 // a button's widest
	panelWidth   = 340
	digitScale   = 8
	thumbsPerRow = 5
	helpWidth    = 600
	findWidth    = 260
	reviewWidth  = 900
	tuneWidth    = 560
)

// uiKind says what a HUD element does when clicked.
type uiKind int

const (
	uiBox uiKind = iota // a background that only swallows clicks
	uiLegendRow
	uiShowAll
	uiSuspects
	uiLayoutButton
	uiThumb
	uiChosenThumb // a thumbnail in the selection panel; arg is its row
	uiShield      // swallows clicks over something drawn on its own (status line, review card)
	uiMixCell     // a cell of the blend matrix; arg is a*C+b
	uiMixPair     // a listed pair of the blend panel; arg is its rank
)

// rect is a screen rectangle in framebuffer pixels (origin top-left).
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) contains(x, y float64) bool { return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1 }

func (r rect) empty() bool { return r.x1 <= r.x0 || r.y1 <= r.y0 }

// uiElem is a clickable rectangle of the HUD: arg is the class, layout or
// row it acts on.
type uiElem struct {
	kind uiKind
	arg  int
	rect
}

// hudMetrics are the sizes the HUD is laid out with.
type hudMetrics struct {
	w, h  float64 // viewport, framebuffer pixels
	scale float64 // framebuffer pixels per UI unit (HiDPI)
	line  float64 // line height of the main text
	small float64 // line height of the small text
}

// hudContent is what the HUD shows, as far as its geometry depends on it.
type hudContent struct {
	classes    int        // legend rows
	legend     legendView // which classes the legend lists, its scroll and filter box (hudlegend.go)
	layouts    int        // switcher buttons
	buttonText []float64  // each button's text width (framebuffer pixels); buttons widen to fit
	suspects   bool       // the suspicious-labels row is shown
	panel      bool       // the inspector panel is open
	thumbs     []int32    // neighbour rows the panel shows
	imgW, imgH int        // image size; the panel's enlarged image keeps its aspect
	help, find bool       // the help overlay, the find prompt
	review     bool       // the card above the status line (review, or a class pair viewed)
	blend      int        // classes in the blend panel (0: closed)
	blendPairs int        // pairs it lists
	tune       int        // rows of the tuning panel (0: closed)
	chosen     int        // rows chosen (the selection panel shows when > 0)
	chosenRows []int32    // the chosen rows from the first grid row shown on
}

// hudLayout is the HUD's geometry for one frame: every clickable element
// (topmost last) and the rectangles the draw step fills. It is computed by
// layoutHUD alone; drawing and hit-testing only read it.
type hudLayout struct {
	elems    []uiElem
	legend   rect       // the legend box
	lg       legendGeom // the legend's filter box, scroll bar and room (hudlegend.go)
	rowH     float64
	shown    int // legend rows that fit
	buttonH  float64
	panel    rect // the inspector panel; empty when closed
	digit    rect // the panel's enlarged image
	thumbTop float64
	status   rect    // the status line
	free     rect    // the map area the HUD leaves free: layouts are framed here
	mapArea  rect    // free as if the inspector panel were closed (the split view's panes divide it)
	help     rect    // the help overlay; empty when closed
	find     rect    // the find prompt; empty when closed
	review   rect    // the review card above the status line; empty when not reviewing
	chosen   rect    // the selection panel below the legend; empty when nothing is chosen
	bars     rect    // its per-label bar chart
	tune     rect    // the tuning panel; empty when closed
	blend    rect    // the blend panel; empty when closed
	matrix   rect    // its matrix
	cell     float64 // the side of a matrix cell
	// chosenFit is how many thumbnails the selection grid shows at once
	// (chosenGridCols a row).
	chosenFit int
}

// layoutHUD lays the HUD out for m and c, reusing elems' storage.
func layoutHUD(m hudMetrics, c hudContent, elems []uiElem) hudLayout {
	s := m.scale
	mg, pad := uiMargin*s, uiPad*s
	l := hudLayout{elems: elems[:0], rowH: m.line * 1.3}

	// Legend, top left (hudlegend.go).
	l.layoutLegend(m, c)

	// Inspector panel, right.
	right := m.w - mg
	if c.panel {
		l.panel = rect{m.w - mg - panelWidth*s, mg, m.w - mg, m.h - mg - 2*m.line}
		right = l.panel.x0 - mg
		l.digit, l.thumbTop = panelImage(m, c, l.panel)
	}

	// Layout switcher, top centre between the legend and the panel; rows of
	// buttons wrap so that every layout stays reachable.
	l.buttonH = m.line + 12*s
	left := l.legend.x1 + mg
	width := func(i int) float64 { // a button's width with its gap
		w := buttonWidth * s
		if i < len(c.buttonText) {
			w = min(max(w, c.buttonText[i]+(12+buttonGap)*s), buttonMax*s)
		}
		return w
	}
	rows := 0
	for i := 0; i < c.layouts; rows++ {
		// As many buttons as fit in this row (at least one).
		n, rowW := 0, 0.0
		for i+n < c.layouts && (n == 0 || rowW+width(i+n) <= right-left+buttonGap*s) {
			rowW += width(i + n)
			n++
		}
		bx := (m.w - rowW) / 2
		if bx < left || bx+rowW > right {
			bx = left + (right-left-rowW)/2
		}
		by := mg + float64(rows)*(l.buttonH+buttonGap*s)
		for k := 0; k < n; k++ {
			w := width(i + k)
			l.elems = append(l.elems, uiElem{uiLayoutButton, i + k, rect{bx, by, bx + w - buttonGap*s, by + l.buttonH}})
			bx += w
		}
		i += n
	}
	switcherBottom := mg + float64(rows)*(l.buttonH+buttonGap*s)

	if c.panel {
		l.elems = append(l.elems, uiElem{uiBox, 0, l.panel})
		tw := (panelWidth*s - 2*pad) / thumbsPerRow
		for i, r := range c.thumbs {
			cx := l.panel.x0 + pad + float64(i%thumbsPerRow)*tw
			cy := l.thumbTop + float64(i/thumbsPerRow)*(tw+2*m.small)
			l.elems = append(l.elems, uiElem{uiThumb, int(r), rect{cx, cy, cx + tw, cy + tw + 2*m.small}})
		}
	}

	l.status = rect{0, m.h - mg - m.line - 6*s, m.w, m.h}
	bottom := l.status.y0 - mg
	if c.review {
		w := min(reviewWidth*s, m.w-2*mg)
		l.review = rect{(m.w - w) / 2, bottom - 2*m.line - 2*pad, (m.w + w) / 2, bottom}
		bottom = l.review.y0 - mg
	}
	// The status line and the review card swallow clicks and hovering.
	l.elems = append(l.elems, uiElem{uiShield, 0, l.status})
	if c.review {
		l.elems = append(l.elems, uiElem{uiShield, 0, l.review})
	}
	if c.chosen > 0 {
		l.layoutChosen(m, c, bottom)
	}
	l.free = rect{l.legend.x1 + mg, switcherBottom + mg, right, bottom}
	l.mapArea = rect{l.free.x0, l.free.y0, m.w - mg, bottom}
	if l.free.x1-l.free.x0 < 0.4*m.w || l.free.y1-l.free.y0 < 0.4*m.h {
		l.free = rect{0, 0, m.w, m.h}
		l.mapArea = l.free
	}
	if c.blend > 0 {
		l.layoutBlend(m, c)
	}
	if c.tune > 0 {
		w, h := tuneWidth*s, float64(c.tune+3)*m.line+2*pad
		l.tune = rect{(m.w - w) / 2, (m.h - h) / 2, (m.w + w) / 2, (m.h + h) / 2}
		l.elems = append(l.elems, uiElem{uiBox, 0, l.tune})
	}
	if c.help {
		w, h := helpWidth*s, float64(len(helpRows)+1)*m.line+2*pad
		l.help = rect{(m.w - w) / 2, (m.h - h) / 2, (m.w + w) / 2, (m.h + h) / 2}
	}
	if c.find && !c.help {
		w := findWidth * s
		l.find = rect{(m.w - w) / 2, m.h/2 - m.line, (m.w + w) / 2, m.h/2 + m.line}
	}
	return l
}

// chosenGridCols is the number of thumbnails per row of the selection grid.
const chosenGridCols = 5

// layoutChosen lays the selection panel out below the legend, down to
// bottom: a header, a bar chart of the labels, and as many rows of
// thumbnails as fit.
func (l *hudLayout) layoutChosen(m hudMetrics, c hudContent, bottom float64) {
	s := m.scale
	mg, pad := uiMargin*s, uiPad*s
	l.chosen = rect{l.legend.x0, l.legend.y1 + mg, l.legend.x1, bottom}
	if l.chosen.y1-l.chosen.y0 < 3*m.line {
		l.chosen.y1 = l.chosen.y0 + 3*m.line
	}
	l.elems = append(l.elems, uiElem{uiBox, 0, l.chosen})
	top := l.chosen.y0 + pad + 2*m.line
	l.bars = rect{l.chosen.x0 + pad, top, l.chosen.x1 - pad, top + 40*s}
	grid := l.bars.y1 + m.small + pad
	cell := (l.chosen.x1 - l.chosen.x0 - 2*pad) / chosenGridCols
	rows := max(0, int((l.chosen.y1-pad-grid)/cell))
	l.chosenFit = rows * chosenGridCols
	for i, r := range c.chosenRows[:min(len(c.chosenRows), l.chosenFit)] {
		x := l.chosen.x0 + pad + float64(i%chosenGridCols)*cell
		y := grid + float64(i/chosenGridCols)*cell
		l.elems = append(l.elems, uiElem{uiChosenThumb, int(r), rect{x, y, x + cell - 2*s, y + cell - 2*s}})
	}
}

// panelImage returns the panel's enlarged image (at digitScale, at most
// the panel's inner width) and the top of the thumbnails below it.
func panelImage(m hudMetrics, c hudContent, p rect) (rect, float64) {
	s := m.scale
	inner := panelWidth*s - 2*uiPad*s
	iw, ih := float64(max(c.imgW, 1)), float64(max(c.imgH, 1))
	w := min(iw*digitScale*s, inner)
	h := w * ih / iw
	if h > inner { // a tall image: limit its height as well
		w, h = w*inner/h, inner
	}
	x0 := p.x0 + (panelWidth*s-w)/2
	y0 := p.y0 + uiPad*s + 2.4*m.line
	d := rect{x0, y0, x0 + w, y0 + h}
	return d, d.y1 + 2.6*m.line
}

// hit returns the topmost element at (x, y), or nil.
func (l *hudLayout) hit(x, y float64) *uiElem {
	for i := len(l.elems) - 1; i >= 0; i-- {
		if l.elems[i].contains(x, y) {
			return &l.elems[i]
		}
	}
	return nil
}

// thumbs calls f for each neighbour thumbnail in order, with its image
// square (the element less the caption below it).
func (l *hudLayout) thumbs(scale float64, f func(k int, e *uiElem, img rect)) {
	k := 0
	for i := range l.elems {
		e := &l.elems[i]
		if e.kind != uiThumb {
			continue
		}
		side := e.x1 - e.x0 - 6*scale
		f(k, e, rect{e.x0, e.y0, e.x0 + side, e.y0 + side})
		k++
	}
}
