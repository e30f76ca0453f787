package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// classNames returns n names: "class-000", ... with every 7th a "cat-".
func classNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("class-%03d", i)
		if i%7 == 0 {
			names[i] = fmt.Sprintf("Cat-%03d", i)
		}
	}
	return names
}

// typeText feeds s to the legend as one frame's characters.
func typeText(l *legend, s string) { l.typed([]rune(s)) }

func TestLegendFilterAndScroll(t *testing.T) {
	names := classNames(300)
	l := newLegend(names, false, 9000)
	if len(l.rows) != 300 || l.header != "300 labels (F filters)" {
		t.Fatalf("%d rows, header %q", len(l.rows), l.header)
	}
	// Scrolling stays within the list for the room the layout reports.
	l.setFit(20)
	l.scroll(-5)
	if l.top != 0 {
		t.Errorf("scrolled above the first row: top %d", l.top)
	}
	l.scroll(1000)
	if l.top != 280 {
		t.Errorf("scrolled to %d, want the last page at 280", l.top)
	}
	l.setFit(50) // a taller window: the scroll follows
	if l.top != 250 {
		t.Errorf("after the room grew, top %d, want 250", l.top)
	}

	// F opens the box; the F's own character in that frame is not text.
	l.open()
	typeText(l, "f")
	if len(l.filter) != 0 || !l.typing {
		t.Fatalf("the opening key typed %q (typing %v)", string(l.filter), l.typing)
	}
	typeText(l, "cAT")
	want := 0
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "cat") {
			want++
		}
	}
	if len(l.rows) != want || want != 43 || l.top != 0 {
		t.Fatalf("filter \"cAT\": %d rows (top %d), want %d from the top", len(l.rows), l.top, want)
	}
	for _, k := range l.rows {
		if !strings.HasPrefix(names[k], "Cat-") {
			t.Errorf("class %d %q listed under \"cat\"", k, names[k])
		}
	}
	if l.header != "43 of 300 labels" || l.boxText != "Filter: cAT_" {
		t.Errorf("header %q, box %q", l.header, l.boxText)
	}
	typeText(l, "-014")
	if len(l.rows) != 1 || l.rows[0] != 14 {
		t.Errorf("filter \"cat-014\": rows %v, want [14]", l.rows)
	}
	for range 3 {
		l.key(glfw.KeyBackspace)
	}
	if string(l.filter) != "cAT-" || len(l.rows) != 43 {
		t.Errorf("after three backspaces: filter %q, %d rows", string(l.filter), len(l.rows))
	}
	// Enter keeps the filter and closes the box; Esc clears it.
	l.key(glfw.KeyEnter)
	typeText(l, "zzz")
	if l.typing || len(l.rows) != 43 || l.boxText != "Filter: cAT-" {
		t.Errorf("after Enter: typing %v, %d rows, box %q", l.typing, len(l.rows), l.boxText)
	}
	if v := l.view(); !v.box || !v.set || len(v.rows) != 43 {
		t.Errorf("view with a filter set: %+v", v)
	}
	l.open()
	l.key(glfw.KeyEscape)
	if l.typing || len(l.filter) != 0 || len(l.rows) != 300 || l.view().box {
		t.Errorf("after Esc: typing %v, filter %q, %d rows", l.typing, string(l.filter), len(l.rows))
	}
	// Nothing matches: an empty list, still a list.
	l.open()
	typeText(l, "")
	typeText(l, "dog")
	if v := l.view(); len(v.rows) != 0 || !v.set || l.header != "0 of 300 labels" {
		t.Errorf("no match: view %+v, header %q", v, l.header)
	}

	// Ten classes keep MNIST's header; unlabelled data has no legend.
	if h := newLegend(classNames(10), false, 5).header; h != "Labels (Shift+0–9)" {
		t.Errorf("ten classes: header %q", h)
	}
	u := newLegend([]string{"unlabelled"}, true, 1234)
	u.open()
	if u.typing || !u.view().off || u.header != "Unlabelled · 1,234 images" {
		t.Errorf("unlabelled: typing %v, view %+v, header %q", u.typing, u.view(), u.header)
	}
}

// legendRows returns the legend rows of l in order: the classes they show
// and their tops.
func legendRows(l *hudLayout) (classes []int, tops []float64) {
	for _, e := range l.elems {
		if e.kind == uiLegendRow {
			classes = append(classes, e.arg)
			tops = append(tops, e.y0)
		}
	}
	return classes, tops
}

func TestLegendLayout(t *testing.T) {
	m := hudMetrics{w: 1280, h: 800, scale: 1, line: 18, small: 15}
	rowH := m.line * 1.3
	names := classNames(300)

	// Ten classes: rows one under the other from below the header, no
	// scroll bar, no filter box, the box first so the rows win hit tests.
	ten := layoutHUD(m, hudContent{classes: 10, layouts: 3}, nil)
	cls, tops := legendRows(&ten)
	if len(cls) != 10 || !ten.lg.bar.empty() || !ten.lg.filter.empty() {
		t.Fatalf("ten classes: rows %v, bar %v, filter %v", cls, ten.lg.bar, ten.lg.filter)
	}
	for k := range cls {
		if cls[k] != k || tops[k] != uiMargin+uiPad+rowH+float64(k)*rowH {
			t.Errorf("row %d shows class %d at y %v", k, cls[k], tops[k])
		}
	}
	if ten.elems[0].kind != uiBox || ten.elems[0].rect != ten.legend {
		t.Errorf("first element %+v, want the legend's box %v", ten.elems[0], ten.legend)
	}
	if e := ten.hit(ten.legend.x0+20, tops[3]+2); e == nil || e.kind != uiLegendRow || e.arg != 3 {
		t.Errorf("a click on the fourth row hits %+v", e)
	}

	// 300 classes scrolled: the rows that fit, from the first shown; the
	// scroll bar's thumb sits where the shown rows are in the list.
	l := newLegend(names, false, 0)
	l.setFit(1)
	l.scroll(120)
	lay := layoutHUD(m, hudContent{classes: 300, layouts: 3, legend: l.view()}, nil)
	cls, tops = legendRows(&lay)
	fit := lay.lg.fit
	if fit < 10 || len(cls) != fit || lay.shown != fit {
		t.Fatalf("300 classes: %d rows laid out, fit %d, shown %d", len(cls), fit, lay.shown)
	}
	// The rows fit above the room kept for the status line, and one more
	// would not.
	if bottom := tops[len(tops)-1] + rowH; bottom > m.h-4*rowH || bottom+rowH <= m.h-4*rowH {
		t.Errorf("last row ends at %v; the limit is %v", bottom, m.h-4*rowH)
	}
	for k, c := range cls {
		if c != 120+k {
			t.Fatalf("row %d shows class %d, want %d", k, c, 120+k)
		}
	}
	bar, thumb := lay.lg.bar, lay.lg.thumb
	if bar.empty() || !inside(thumb, bar) || !inside(bar, lay.legend) {
		t.Fatalf("bar %v, thumb %v, legend %v", bar, thumb, lay.legend)
	}
	h := bar.y1 - bar.y0
	if wantY := bar.y0 + h*120/300; abs(thumb.y0-wantY) > 1e-9 || abs((thumb.y1-thumb.y0)-h*float64(fit)/300) > 1e-9 {
		t.Errorf("thumb %v, want from %v, %v high", thumb, wantY, h*float64(fit)/300)
	}
	// A top beyond the last page shows the last page.
	past := l.view()
	past.top = 299
	lay = layoutHUD(m, hudContent{classes: 300, layouts: 3, legend: past}, nil)
	if cls, _ = legendRows(&lay); cls[0] != 300-fit || cls[len(cls)-1] != 299 {
		t.Errorf("top past the end shows classes %d..%d, want %d..299", cls[0], cls[len(cls)-1], 300-fit)
	}

	// The filter box: a row under the header, the filtered classes below it.
	l.open()
	typeText(l, "")
	typeText(l, "cat")
	lay = layoutHUD(m, hudContent{classes: 300, layouts: 3, legend: l.view()}, nil)
	cls, tops = legendRows(&lay)
	f := lay.lg.filter
	if f.empty() || !inside(f, lay.legend) || tops[0] < f.y1 {
		t.Fatalf("filter box %v, first row at %v, legend %v", f, tops[0], lay.legend)
	}
	if len(cls) != min(43, lay.lg.fit) || cls[0] != 0 || cls[1] != 7 {
		t.Errorf("filtered rows %v", cls)
	}

	// Unlabelled: a header alone; no rows, no "show all", no suspicious switch.
	u := newLegend([]string{"unlabelled"}, true, 50)
	lay = layoutHUD(m, hudContent{classes: 1, layouts: 3, suspects: true, legend: u.view()}, nil)
	for _, e := range lay.elems {
		if e.kind == uiLegendRow || e.kind == uiShowAll || e.kind == uiSuspects {
			t.Errorf("unlabelled legend has a %v element", e.kind)
		}
	}
	if hgt := lay.legend.y1 - lay.legend.y0; hgt > 2*uiPad+rowH+1e-9 {
		t.Errorf("unlabelled legend is %v high, want the header alone", hgt)
	}
}

func abs(x float64) float64 { return max(x, -x) }
