package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
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
)

func paletteColor(l uint8, alpha float32) [4]float32 {
	c := render.Palette[int(l)%len(render.Palette)]
	return [4]float32{float32(c.R) / 255, float32(c.G) / 255, float32(c.B) / 255, alpha}
}

// uiKind says what a HUD element does when clicked.
type uiKind int

const (
	uiBox uiKind = iota // a background that only swallows clicks
	uiLegendRow
	uiShowAll
	uiSuspects
	uiLayoutButton
	uiThumb
)

// uiElem is a clickable rectangle of the HUD in framebuffer pixels.
type uiElem struct {
	kind           uiKind
	arg            int
	x0, y0, x1, y1 float64
}

func (e *uiElem) contains(x, y float64) bool {
	return x >= e.x0 && x < e.x1 && y >= e.y0 && y < e.y1
}

// hud is the interface drawn over the map: legend, layout switcher, status
// line, inspector panel, help, find prompt and messages. Its strings are
// rebuilt only when what they say changes; a still frame allocates nothing.
type hud struct {
	elems []uiElem // this frame's clickable elements, topmost last

	panel, help         bool
	pressing, pressOnUI bool
	dirty               bool
	titleKey            titleState
	titleSet            bool

	msg      string
	msgUntil time.Time

	classNames  []string
	classCounts []string
	counts      []int
	suspText    string

	panelRow   int // row the panel strings describe (-2: none built)
	panelNbOK  bool
	panelTitle string
	panelSub   string
	panelNb    string
	panelSusp  string
	nbText     [inspectK]string
	nbRows     [inspectK]int32

	buf   []byte // scratch for per-frame numbers
	thumb []render.ImageQuad
	help2 [][2]string // keysHelp split into key and description columns
}

func (h *hud) init(a *app) {
	n := a.ds.NumClasses()
	h.counts = make([]int, n)
	for _, l := range a.ds.Labels {
		h.counts[l]++
	}
	for l := 0; l < n; l++ {
		h.classNames = append(h.classNames, a.ds.ClassName(uint8(l)))
		h.classCounts = append(h.classCounts, groupDigits(h.counts[l]))
	}
	h.elems = make([]uiElem, 0, 64+n)
	h.buf = make([]byte, 0, 256)
	h.thumb = make([]render.ImageQuad, 0, inspectK+1)
	h.panelRow = -2
	for _, line := range strings.Split(strings.TrimRight(keysHelp, "\n"), "\n") {
		key, desc, _ := strings.Cut(strings.TrimSpace(line), "  ")
		h.help2 = append(h.help2, [2]string{key, strings.TrimSpace(desc)})
	}
}

// toast shows a message at the bottom right for a few seconds.
func (h *hud) toast(format string, args ...any) {
	h.msg = fmt.Sprintf(format, args...)
	h.msgUntil = time.Now().Add(5 * time.Second)
}

// hit returns the topmost element at (x, y), or nil.
func (h *hud) hit(x, y float64) *uiElem {
	for i := len(h.elems) - 1; i >= 0; i-- {
		if h.elems[i].contains(x, y) {
			return &h.elems[i]
		}
	}
	return nil
}

// Geometry, in units of the UI scale.
const (
	uiMargin     = 12
	uiPad        = 10
	legendWidth  = 200
	buttonWidth  = 104
	panelWidth   = 340
	digitScale   = 8
	thumbsPerRow = 5
)

// layout computes this frame's element rectangles.
func (h *hud) layout(a *app) {
	s := a.uiScale
	lh := a.text.LineHeight()
	m := uiMargin * s
	h.elems = h.elems[:0]

	// Legend, top left.
	rowH := lh * 1.3
	x0, y := m, m
	x1 := x0 + legendWidth*s
	top := y
	y += uiPad*s + rowH // header
	for l := range h.classNames {
		if y+rowH > float64(a.cam.Height)-4*rowH {
			break
		}
		h.elems = append(h.elems, uiElem{uiLegendRow, l, x0, y, x1, y + rowH})
		y += rowH
	}
	y += rowH * 0.3
	h.elems = append(h.elems, uiElem{uiShowAll, 0, x0, y, x1, y + rowH})
	y += rowH
	if a.sel.suspects != nil {
		h.elems = append(h.elems, uiElem{uiSuspects, 0, x0, y, x1, y + rowH})
		y += rowH
	}
	h.elems = append(h.elems, uiElem{uiBox, 0, x0, top, x1, y + uiPad*s})
	// Move the box first so rows win hit tests.
	last := len(h.elems) - 1
	box := h.elems[last]
	copy(h.elems[1:], h.elems[:last])
	h.elems[0] = box

	// Layout switcher, top centre.
	bw, bh := buttonWidth*s, lh+12*s
	bx := float64(a.cam.Width)/2 - float64(len(a.views))*bw/2
	for i := range a.views {
		h.elems = append(h.elems, uiElem{uiLayoutButton, i, bx + float64(i)*bw, m, bx + float64(i+1)*bw - 4*s, m + bh})
	}

	// Inspector panel, right.
	if h.panel {
		px0 := float64(a.cam.Width) - m - panelWidth*s
		h.elems = append(h.elems, uiElem{uiBox, 0, px0, m, float64(a.cam.Width) - m, float64(a.cam.Height) - m - 2*lh})
		if nb, _, ok := a.sel.neighbors(); ok {
			tw := (panelWidth*s - 2*uiPad*s) / thumbsPerRow
			ty := h.thumbTop(a)
			for i, r := range nb {
				cx := px0 + uiPad*s + float64(i%thumbsPerRow)*tw
				cy := ty + float64(i/thumbsPerRow)*(tw+2*a.small.LineHeight())
				h.elems = append(h.elems, uiElem{uiThumb, int(r), cx, cy, cx + tw, cy + tw + 2*a.small.LineHeight()})
			}
		}
	}
}

// digitRect returns the panel's enlarged digit square.
func (h *hud) digitRect(a *app) (x0, y0, x1, y1 float64) {
	s := a.uiScale
	px0 := float64(a.cam.Width) - uiMargin*s - panelWidth*s
	side := float64(a.ds.Width*digitScale) * s
	if w := panelWidth*s - 2*uiPad*s; side > w {
		side = w
	}
	x0 = px0 + (panelWidth*s-side)/2
	y0 = uiMargin*s + uiPad*s + 2.4*a.text.LineHeight()
	return x0, y0, x0 + side, y0 + side*float64(a.ds.Height)/float64(a.ds.Width)
}

func (h *hud) thumbTop(a *app) float64 {
	_, _, _, y1 := h.digitRect(a)
	return y1 + 2.6*a.text.LineHeight()
}

// refresh rebuilds the strings that describe the selection.
func (h *hud) refresh(a *app) {
	row := a.sel.row
	nb, dist, ok := a.sel.neighbors()
	if !h.dirty && row == h.panelRow && ok == h.panelNbOK {
		return
	}
	h.dirty = false
	h.panelRow, h.panelNbOK = row, ok
	if a.sel.suspects != nil {
		state := "off"
		if a.sel.suspOn {
			state = "on"
		}
		h.suspText = fmt.Sprintf("Suspicious (L): %s · %s", groupDigits(len(a.sel.suspects)), state)
	}
	if row < 0 {
		h.panelTitle, h.panelSub, h.panelNb, h.panelSusp = "Nothing selected", "Click a digit to inspect it.", "", ""
		return
	}
	lbl := a.ds.Labels[row]
	h.panelTitle = fmt.Sprintf("Row %s · label %s", groupDigits(row), a.ds.ClassName(lbl))
	h.panelSub = fmt.Sprintf("%s split · %d×%d pixels", a.ds.Split(row), a.ds.Width, a.ds.Height)
	h.panelNb, h.panelSusp = "Nearest in pixel space: computing…", ""
	if !ok {
		return
	}
	same := 0
	votes := make([]int, len(h.classNames))
	for i, r := range nb {
		l := a.ds.Labels[r]
		if l == lbl {
			same++
		}
		if int(l) < len(votes) {
			votes[l]++
		}
		h.nbRows[i] = r
		h.nbText[i] = fmt.Sprintf("%s  %.2f", a.ds.ClassName(l), dist[i])
	}
	h.panelNb = fmt.Sprintf("%d nearest in pixel space: %d share label %s", len(nb), same, a.ds.ClassName(lbl))
	if 2*same < len(nb) {
		best := 0
		for l, v := range votes {
			if v > votes[best] {
				best = l
			}
		}
		h.panelSusp = fmt.Sprintf("Suspicious: %d of %d neighbours are %s", votes[best], len(nb), a.ds.ClassName(uint8(best)))
	}
}

// draw renders the map and the HUD.
func (a *app) draw() {
	render.Clear(a.cam.Width, a.cam.Height, background[0], background[1], background[2])
	v := a.views[a.current]
	h := &a.hud
	h.refresh(a)
	s := a.uiScale
	size := a.spriteSize()
	if v.pos != nil || a.trans.to != nil {
		a.sprites.Draw(a.cam, float32(size))
		a.drawSelection(size)
	}
	h.layout(a)

	sh, tx := a.shapes, a.text
	sh.Begin(a.cam.Width, a.cam.Height)
	tx.Begin(a.cam.Width, a.cam.Height)
	a.small.Begin(a.cam.Width, a.cam.Height)
	lh := tx.LineHeight()
	for i := range h.elems {
		e := &h.elems[i]
		switch e.kind {
		case uiBox:
			sh.Rect(e.x0, e.y0, e.x1, e.y1, colPanel)
		case uiLegendRow:
			l := e.arg
			hidden := a.sel.hidden[l]
			sw := lh * 0.7
			sy := e.y0 + (e.y1-e.y0-sw)/2
			c := paletteColor(uint8(l), 1)
			if hidden {
				sh.RectOutline(e.x0+uiPad*s, sy, e.x0+uiPad*s+sw, sy+sw, 1.5*s, c)
			} else {
				sh.Rect(e.x0+uiPad*s, sy, e.x0+uiPad*s+sw, sy+sw, c)
			}
			col := colText
			if hidden {
				col = colFaint
			}
			ty := e.y0 + (e.y1-e.y0-lh)/2
			tx.Add(e.x0+uiPad*s+sw+8*s, ty, h.classNames[l], col)
			cw := tx.Measure(h.classCounts[l])
			tx.Add(e.x1-uiPad*s-cw, ty, h.classCounts[l], colDim)
		case uiShowAll:
			tx.Add(e.x0+uiPad*s, e.y0, "Show all (Shift+A)", colDim)
		case uiSuspects:
			col := colDim
			if a.sel.suspOn {
				col = colWarn
			}
			tx.Add(e.x0+uiPad*s, e.y0, h.suspText, col)
		case uiLayoutButton:
			vv := a.views[e.arg]
			c := colButton
			if e.arg == a.current {
				c = colActive
			}
			sh.Rect(e.x0, e.y0, e.x1, e.y1, c)
			h.buf = strconv.AppendInt(h.buf[:0], int64(e.arg+1), 10)
			h.buf = append(h.buf, "  "...)
			h.buf = append(h.buf, pipeline.Title(vv.method)...)
			w := tx.MeasureBytes(h.buf)
			tx.AddBytes((e.x0+e.x1-w)/2, e.y0+6*s, h.buf, colText)
			if vv.job != nil && !vv.status.done {
				frac := progressFraction(vv.status)
				sh.Rect(e.x0, e.y1-3*s, e.x0+(e.x1-e.x0)*frac, e.y1, colBar)
			}
			if vv.status.err != nil {
				sh.Rect(e.x0, e.y1-3*s, e.x1, e.y1, colWarn)
			}
		}
	}
	lx, ly := uiMargin*s+uiPad*s, uiMargin*s+uiPad*s
	tx.Add(lx, ly, "Labels (Shift+0–9)", colDim)
	if h.panel {
		a.drawPanel()
	}
	a.drawStatus()
	if a.find.active && !h.help {
		w := 260 * s
		x0, y0 := (float64(a.cam.Width)-w)/2, float64(a.cam.Height)/2-lh
		sh.Rect(x0, y0, x0+w, y0+2*lh, colButton)
		h.buf = append(append(h.buf[:0], "Find row: "...), a.find.buf...)
		h.buf = append(h.buf, '_')
		tx.AddBytes(x0+uiPad*s, y0+lh/2, h.buf, colText)
	}
	if h.msg != "" && time.Now().Before(h.msgUntil) {
		w := tx.Measure(h.msg)
		x0, y0 := float64(a.cam.Width)-w-2*uiMargin*s, float64(a.cam.Height)-3.2*lh
		sh.Rect(x0-uiPad*s, y0-4*s, x0+w+uiPad*s, y0+lh+4*s, colButton)
		tx.Add(x0, y0, h.msg, colText)
	}
	if h.help {
		a.drawHelp()
	}
	sh.End()
	if h.panel {
		a.drawPanelImages()
	}
	tx.End()
	a.small.End()
}

// drawSelection draws the lines from the selected sprite to its pixel-space
// neighbours, their markers, and the hovered and selected sprites on top.
func (a *app) drawSelection(size float64) {
	sel := &a.sel
	s := a.uiScale
	bg := [4]float32{background[0], background[1], background[2], 1}
	if sel.row >= 0 {
		if nb, _, ok := sel.neighbors(); ok {
			sh := a.shapes
			sh.Begin(a.cam.Width, a.cam.Height)
			x0, y0 := a.posOf(sel.row)
			half := size / 2 * a.cam.Zoom
			half = max(half, 5*s)
			for _, r := range nb {
				x1, y1 := a.posOf(int(r))
				c := paletteColor(a.ds.Labels[r], 0.85)
				sh.LineWorld(a.cam, x0, y0, x1, y1, 1.5*s, c)
				sx, sy := a.cam.WorldToScreen(x1, y1)
				sh.RectOutline(sx-half, sy-half, sx+half, sy+half, 1.5*s, c)
			}
			sh.End()
		}
		a.images.DrawOne(sel.row, a.cam, float32(size), render.Emphasis{Scale: 1.6, MinPx: float32(36 * s), OutlinePx: float32(2.5 * s), Outline: colSelect, Backdrop: bg})
	}
	if sel.hover >= 0 && sel.hover != sel.row {
		a.images.DrawOne(sel.hover, a.cam, float32(size), render.Emphasis{Scale: 2, MinPx: float32(44 * s), OutlinePx: float32(2 * s), Backdrop: bg})
	}
}

// drawPanel draws the inspector's text and shapes.
func (a *app) drawPanel() {
	h, tx, sm, sh := &a.hud, a.text, a.small, a.shapes
	s := a.uiScale
	lh := tx.LineHeight()
	px0 := float64(a.cam.Width) - uiMargin*s - panelWidth*s + uiPad*s
	y := uiMargin*s + uiPad*s
	tx.Add(px0, y, h.panelTitle, colText)
	tx.Add(px0, y+lh, h.panelSub, colDim)
	if a.sel.row < 0 {
		tx.Add(px0, y+3*lh, "Tab or I hides this panel.\nN / Shift+N visit suspicious labels.\n/ finds a row by number.", colFaint)
		return
	}
	x0, y0, x1, y1 := h.digitRect(a)
	sh.Rect(x0, y0, x1, y1, [4]float32{0, 0, 0, 1})
	sh.RectOutline(x0-2*s, y0-2*s, x1+2*s, y1+2*s, 2*s, paletteColor(a.ds.Labels[a.sel.row], 1))
	ty := y1 + 0.5*lh
	tx.Add(px0, ty, h.panelNb, colText)
	if h.panelSusp != "" {
		tx.Add(px0, ty+lh, h.panelSusp, colWarn)
	}
	for i := range h.elems {
		e := &h.elems[i]
		if e.kind != uiThumb {
			continue
		}
		k := h.thumbIndex(e.arg)
		if k < 0 {
			continue
		}
		side := e.x1 - e.x0 - 6*s
		sh.Rect(e.x0, e.y0, e.x0+side, e.y0+side, [4]float32{0, 0, 0, 1})
		sm.Add(e.x0, e.y0+side+2*s, h.nbText[k], paletteColor(a.ds.Labels[e.arg], 1))
	}
}

func (h *hud) thumbIndex(row int) int {
	for k, r := range h.nbRows {
		if int(r) == row {
			return k
		}
	}
	return -1
}

// drawPanelImages draws the enlarged digit and the neighbour thumbnails in
// one batch (crisp nearest-neighbour pixels).
func (a *app) drawPanelImages() {
	h := &a.hud
	if a.sel.row < 0 {
		return
	}
	q := h.thumb[:0]
	x0, y0, x1, y1 := h.digitRect(a)
	q = append(q, render.ImageQuad{Sprite: a.sel.row, X0: x0, Y0: y0, X1: x1, Y1: y1})
	s := a.uiScale
	for i := range h.elems {
		e := &h.elems[i]
		if e.kind == uiThumb {
			side := e.x1 - e.x0 - 6*s
			q = append(q, render.ImageQuad{Sprite: e.arg, X0: e.x0, Y0: e.y0, X1: e.x0 + side, Y1: e.y0 + side, Tint: paletteColor(a.ds.Labels[e.arg], 1)})
		}
	}
	h.thumb = q
	a.images.DrawImages(a.cam.Width, a.cam.Height, q)
}

// drawStatus draws the status line: layout, visible points, frame time and
// background work with a progress bar.
func (a *app) drawStatus() {
	h, tx, sh := &a.hud, a.text, a.shapes
	s := a.uiScale
	lh := tx.LineHeight()
	x, y := uiMargin*s, float64(a.cam.Height)-uiMargin*s-lh
	v := a.views[a.current]
	b := h.buf[:0]
	b = append(b, pipeline.Title(v.method)...)
	if a.placeholder >= 0 {
		b = append(b, " (starting; "...)
		b = append(b, pipeline.Title(a.views[a.placeholder].method)...)
		b = append(b, " shown meanwhile)"...)
	}
	b = append(b, " · "...)
	b = appendGrouped(b, a.ds.Len()-a.sel.nHidden)
	b = append(b, " of "...)
	b = appendGrouped(b, a.ds.Len())
	b = append(b, " shown · "...)
	b = strconv.AppendFloat(b, a.drawTime.Seconds()*1000, 'f', 1, 64)
	b = append(b, " ms to draw · H for help"...)
	h.buf = b
	sh.Rect(0, y-6*s, float64(a.cam.Width), float64(a.cam.Height), colPanel)
	w := tx.AddBytes(x, y, b, colDim)
	x += w + 16*s
	for _, vv := range a.views {
		if vv.job == nil || vv.status.done {
			continue
		}
		x = a.drawProgress(x, y, pipeline.Title(vv.method), vv.status)
	}
	if j := a.neighbors; j != nil && !a.sel.nbStatus.done {
		a.drawProgress(x, y, "neighbours", a.sel.nbStatus)
	}
}

// drawProgress draws "name stage [bar]" at (x, y) and returns the next x;
// a stage named like the job ("PCA pca") is left out.
func (a *app) drawProgress(x, y float64, name string, st jobStatus) float64 {
	h, tx, sh := &a.hud, a.text, a.shapes
	s := a.uiScale
	lh := tx.LineHeight()
	b := append(h.buf[:0], name...)
	if st.progress.Stage != "" && !strings.EqualFold(st.progress.Stage, name) {
		b = append(b, ' ')
		b = append(b, st.progress.Stage...)
	}
	h.buf = b
	x += tx.AddBytes(x, y, b, colText) + 8*s
	bw := 120 * s
	sh.Rect(x, y+lh*0.3, x+bw, y+lh*0.7, colButton)
	sh.Rect(x, y+lh*0.3, x+bw*progressFraction(st), y+lh*0.7, colBar)
	return x + bw + 16*s
}

func progressFraction(st jobStatus) float64 {
	if st.progress.Total <= 0 {
		return 0
	}
	return min(1, float64(st.progress.Done)/float64(st.progress.Total))
}

// drawHelp draws the help overlay.
func (a *app) drawHelp() {
	tx, sh := a.text, a.shapes
	s := a.uiScale
	lh := tx.LineHeight()
	rows := a.hud.help2
	w, hgt := 600*s, float64(len(rows)+1)*lh+2*uiPad*s
	x0, y0 := (float64(a.cam.Width)-w)/2, (float64(a.cam.Height)-hgt)/2
	sh.Rect(x0, y0, x0+w, y0+hgt, [4]float32{0.09, 0.1, 0.12, 0.97})
	sh.RectOutline(x0, y0, x0+w, y0+hgt, 1.5*s, colActive)
	y := y0 + uiPad*s
	for i, r := range rows {
		if i == 0 {
			tx.Add(x0+2*uiPad*s, y, r[0], colText) // the title
		} else {
			tx.Add(x0+2*uiPad*s, y, r[0], colWarn)
			tx.Add(x0+2*uiPad*s+200*s, y, r[1], colText)
		}
		y += lh
		if i == 0 {
			y += lh / 2
		}
	}
}

// appendGrouped appends n with thousands separators.
func appendGrouped(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	if n < 1000 {
		return strconv.AppendInt(b, int64(n), 10)
	}
	b = appendGrouped(b, n/1000)
	r := n % 1000
	b = append(b, ',', byte('0'+r/100), byte('0'+r/10%10), byte('0'+r%10))
	return b
}

func groupDigits(n int) string { return string(appendGrouped(nil, n)) }
