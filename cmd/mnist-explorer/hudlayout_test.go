package main

import (
	"testing"
)

func TestHUDLayout(t *testing.T) {
	m := hudMetrics{w: 1280, h: 800, scale: 1, line: 18, small: 15}
	thumbs := []int32{5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	for _, tc := range []struct {
		name  string
		m     hudMetrics
		c     hudContent
		check func(t *testing.T, l *hudLayout)
	}{
		{"closed panel leaves the right side free", m, hudContent{classes: 10, layouts: 3, imgW: 28, imgH: 28},
			func(t *testing.T, l *hudLayout) {
				if !l.panel.empty() {
					t.Errorf("panel %v while closed", l.panel)
				}
				if l.free.x1 != m.w-uiMargin {
					t.Errorf("free area ends at %v, want %v", l.free.x1, m.w-uiMargin)
				}
			}},
		{"open panel: image, thumbnails inside it; free area left of it", m, hudContent{classes: 10, layouts: 3, panel: true, thumbs: thumbs, imgW: 28, imgH: 28},
			func(t *testing.T, l *hudLayout) {
				if l.panel.empty() || !inside(l.digit, l.panel) {
					t.Errorf("image %v not inside panel %v", l.digit, l.panel)
				}
				if w := l.digit.x1 - l.digit.x0; w != 28*digitScale {
					t.Errorf("image %v px wide, want %v", w, 28*digitScale)
				}
				n := 0
				l.thumbs(1, func(k int, e *uiElem, img rect) {
					if !inside(e.rect, l.panel) || !inside(img, e.rect) || int32(e.arg) != thumbs[k] {
						t.Errorf("thumb %d (row %d) at %v, image %v, panel %v", k, e.arg, e.rect, img, l.panel)
					}
					n++
				})
				if n != len(thumbs) {
					t.Errorf("%d thumbs laid out, want %d", n, len(thumbs))
				}
				if l.free.x1 > l.panel.x0 {
					t.Errorf("free area %v overlaps the panel %v", l.free, l.panel)
				}
				// A click on a thumbnail hits it, not the panel box below it.
				var first *uiElem
				l.thumbs(1, func(k int, e *uiElem, _ rect) {
					if k == 0 {
						first = e
					}
				})
				if e := l.hit((first.x0+first.x1)/2, (first.y0+first.y1)/2); e == nil || e.kind != uiThumb {
					t.Errorf("hit on the first thumbnail gives %+v", e)
				}
				if e := l.hit(l.panel.x0+2, l.panel.y1-2); e == nil || e.kind != uiBox {
					t.Errorf("hit on the panel's corner gives %+v", e)
				}
			}},
		{"a tall image keeps its aspect inside the panel", m, hudContent{classes: 2, layouts: 3, panel: true, imgW: 20, imgH: 200},
			func(t *testing.T, l *hudLayout) {
				w, h := l.digit.x1-l.digit.x0, l.digit.y1-l.digit.y0
				if !inside(l.digit, l.panel) || h > panelWidth || w*10 != h {
					t.Errorf("image %v (%vx%v) in panel %v", l.digit, w, h, l.panel)
				}
			}},
		{"legend rows win hit tests over their box", m, hudContent{classes: 10, layouts: 3},
			func(t *testing.T, l *hudLayout) {
				for _, e := range l.elems {
					if e.kind == uiLegendRow && e.arg == 3 {
						if h := l.hit(e.x0+5, (e.y0+e.y1)/2); h == nil || h.kind != uiLegendRow || h.arg != 3 {
							t.Errorf("hit on legend row 3 gives %+v", h)
						}
						return
					}
				}
				t.Error("no legend row 3")
			}},
		{"legend rows stop above the status line", hudMetrics{w: 1280, h: 400, scale: 1, line: 18, small: 15}, hudContent{classes: 40, layouts: 3},
			func(t *testing.T, l *hudLayout) {
				if l.shown >= 40 || l.shown == 0 {
					t.Errorf("%d of 40 legend rows shown in a 400 px window", l.shown)
				}
				if l.legend.y1 > l.status.y0 {
					t.Errorf("legend %v runs into the status line %v", l.legend, l.status)
				}
			}},
		{"fifteen layouts wrap and all stay reachable", m, hudContent{classes: 10, layouts: 15, panel: true, imgW: 28, imgH: 28},
			func(t *testing.T, l *hudLayout) { checkButtons(t, l, 15) }},
		{"buttons widen to their text, up to a limit, and still wrap", m, hudContent{classes: 10, layouts: 9, imgW: 28, imgH: 28,
			buttonText: []float64{40, 40, 40, 150, 600, 150, 150, 150, 150}},
			func(t *testing.T, l *hudLayout) {
				checkButtons(t, l, 9)
				for _, e := range l.elems {
					if e.kind == uiLayoutButton && (e.x1-e.x0 > buttonMax || (e.arg == 3 && e.x1-e.x0 < 150)) {
						t.Errorf("button %d is %v wide", e.arg, e.x1-e.x0)
					}
				}
			}},
		{"three layouts sit in one row at the top centre", m, hudContent{classes: 10, layouts: 3},
			func(t *testing.T, l *hudLayout) {
				rows := checkButtons(t, l, 3)
				if rows != 1 {
					t.Errorf("%d rows of buttons", rows)
				}
			}},
		{"HiDPI doubles the geometry", hudMetrics{w: 2560, h: 1600, scale: 2, line: 36, small: 30}, hudContent{classes: 10, layouts: 3, panel: true, imgW: 28, imgH: 28},
			func(t *testing.T, l *hudLayout) {
				if w := l.panel.x1 - l.panel.x0; w != 2*panelWidth {
					t.Errorf("panel %v px wide at scale 2", w)
				}
			}},
		{"a small window frames layouts in the whole window", hudMetrics{w: 500, h: 300, scale: 1, line: 18, small: 15}, hudContent{classes: 10, layouts: 3, panel: true, imgW: 28, imgH: 28},
			func(t *testing.T, l *hudLayout) {
				if l.free != (rect{0, 0, 500, 300}) {
					t.Errorf("free %v", l.free)
				}
			}},
		{"help and find are centred; find hides under help", m, hudContent{classes: 10, layouts: 3, help: true, find: true},
			func(t *testing.T, l *hudLayout) {
				if l.help.empty() || (l.help.x0+l.help.x1)/2 != m.w/2 || !l.find.empty() {
					t.Errorf("help %v find %v", l.help, l.find)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := layoutHUD(tc.m, tc.c, nil)
			for _, e := range l.elems {
				if e.empty() || e.x0 < 0 || e.y0 < 0 || e.x1 > tc.m.w || e.y1 > tc.m.h {
					t.Errorf("element %+v outside the %vx%v window", e, tc.m.w, tc.m.h)
				}
			}
			if l.free.empty() {
				t.Errorf("no free area")
			}
			tc.check(t, &l)
		})
	}
}

// checkButtons checks that there are n switcher buttons, in order, none
// overlapping another, the legend or the panel, above the free area; it
// returns the number of rows they take.
func checkButtons(t *testing.T, l *hudLayout, n int) int {
	t.Helper()
	var bs []uiElem
	for _, e := range l.elems {
		if e.kind == uiLayoutButton {
			bs = append(bs, e)
		}
	}
	if len(bs) != n {
		t.Fatalf("%d buttons, want %d", len(bs), n)
	}
	rows := map[float64]bool{}
	for i, b := range bs {
		rows[b.y0] = true
		if b.arg != i {
			t.Errorf("button %d acts on layout %d", i, b.arg)
		}
		if overlaps(b.rect, l.legend) || (!l.panel.empty() && overlaps(b.rect, l.panel)) || b.y1 > l.free.y0 {
			t.Errorf("button %d %v overlaps legend %v, panel %v or the free area %v", i, b.rect, l.legend, l.panel, l.free)
		}
		for j := range bs[:i] {
			if overlaps(b.rect, bs[j].rect) {
				t.Errorf("buttons %d and %d overlap", j, i)
			}
		}
		if h := l.hit((b.x0+b.x1)/2, (b.y0+b.y1)/2); h == nil || h.kind != uiLayoutButton || h.arg != i {
			t.Errorf("hit on button %d gives %+v", i, h)
		}
	}
	return len(rows)
}

func inside(a, b rect) bool { return a.x0 >= b.x0 && a.y0 >= b.y0 && a.x1 <= b.x1 && a.y1 <= b.y1 }

func overlaps(a, b rect) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

func TestFitText(t *testing.T) {
	measure := func(s string) float64 { return float64(len([]rune(s))) * 10 }
	for _, tc := range []struct {
		in   string
		w    float64
		want string
	}{
		{"seven", 50, "seven"},
		{"seventeen", 50, "seve…"},
		{"ünïcödé names", 60, "ünïcö…"},
		{"x", 5, "…"},
	} {
		if got := fitText(tc.in, tc.w, measure); got != tc.want {
			t.Errorf("fitText(%q, %v) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
