package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplitRects(t *testing.T) {
	free := rect{200, 50, 1200, 750}
	l, r, mid := splitRects(free, 16)
	if mid != 700 || l != (rect{200, 50, 692, 750}) || r != (rect{708, 50, 1200, 750}) {
		t.Errorf("splitRects = %v, %v, %v", l, r, mid)
	}
	if l.x1 >= mid || r.x0 <= mid {
		t.Errorf("frames %v %v straddle the divider %v", l, r, mid)
	}
}

// The split view end to end through injected events: B opens it with the
// layout shown before on the right; hovering a digit in one pane emphasises
// it in the other, inside that pane's part of the window and where that
// pane's layout puts it; a click selects it in both; the keys act on the
// pane under the cursor; Shift+B swaps the panes; J links the cameras; V
// compares the two panes' layouts; B returns to one pane.
func TestSplitViewLinksHoverAndSelection(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	st := func(name string) string { return filepath.Join(dir, name+".json") }
	steps := []string{
		"wait-layout", "key 2", "wait-layout", "key 1", "wait-layout", // PCA shown, UMAP before it
		"key b", "wait-layout",
		"move-to-row 7 left", "wait-frames 2", "state " + st("hover-left"),
		"click", "wait-neighbors", "state " + st("selected"),
		"key tab", "move-to-row 300 right", "wait-frames 2", "state " + st("hover-right"),
		"key b shift", "wait-frames 2", "state " + st("swapped"),
		"key j", "key plus", "wait-frames 2", "state " + st("linked"),
		"key v", "wait-seconds 2", "state " + st("agreement"),
		"key b", "wait-frames 2", "state " + st("single"),
	}
	code, _, errs := runApp(t, nil, "--n", "1500", "--layout", "pca", "--no-cache", "--size", "1100x700", "--script", strings.Join(steps, "; "))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// emphasisedIn returns row's emphasis in pane side, or fails.
	emphasisedIn := func(s appState, side, row int) emphasised {
		t.Helper()
		for _, e := range s.Split.Panes[side].Emph {
			if e.Row == row {
				return e
			}
		}
		t.Fatalf("row %d not emphasised in pane %d: %+v", row, side, s.Split.Panes[side].Emph)
		return emphasised{}
	}

	h := readState(t, st("hover-left"))
	if h.Split == nil || h.Split.Panes[0].Layout != "pca" || h.Split.Panes[1].Layout != "umap" {
		t.Fatalf("split after B: %+v", h.Split)
	}
	if h.Split.Active != 0 || h.Hover < 0 {
		t.Fatalf("hovering the left pane: active %d, hover %d", h.Split.Active, h.Hover)
	}
	left, right := emphasisedIn(h, 0, h.Hover), emphasisedIn(h, 1, h.Hover)
	if !left.InClip || !right.InClip {
		t.Errorf("hovered row %d drawn outside its pane: %+v %+v", h.Hover, left, right)
	}
	if c := h.Split.Panes[1].Clip; right.Screen[0] < c[0] || left.Screen[0] >= c[0] {
		t.Errorf("left pane's digit at x %.0f, right pane's at %.0f, divider at %.0f", left.Screen[0], right.Screen[0], c[0])
	}
	if d := math.Hypot(left.Screen[0]-right.Screen[0], left.Screen[1]-right.Screen[1]); d < 1 {
		t.Errorf("the two panes draw row %d at the same place: the layouts are not their own", h.Hover)
	}

	sel := readState(t, st("selected"))
	if sel.Selected != h.Hover || len(sel.Neighbors) == 0 {
		t.Fatalf("click selected %d (hovered %d), %d neighbours", sel.Selected, h.Hover, len(sel.Neighbors))
	}
	emphasisedIn(sel, 0, sel.Selected)
	emphasisedIn(sel, 1, sel.Selected)

	hr := readState(t, st("hover-right"))
	if hr.Split.Active != 1 || hr.Layout != "umap" {
		t.Errorf("cursor in the right pane: active side %d, layout %q", hr.Split.Active, hr.Layout)
	}
	if hr.Hover >= 0 && hr.Hover != hr.Selected {
		emphasisedIn(hr, 0, hr.Hover) // hovered on the right, shown on the left
	}
	emphasisedIn(hr, 0, hr.Selected) // the selection stays in both
	emphasisedIn(hr, 1, hr.Selected)

	sw := readState(t, st("swapped"))
	if sw.Split.Panes[0].Layout != "umap" || sw.Split.Panes[1].Layout != "pca" {
		t.Errorf("after Shift+B: %s | %s", sw.Split.Panes[0].Layout, sw.Split.Panes[1].Layout)
	}

	ln := readState(t, st("linked"))
	if !ln.Split.Linked {
		t.Fatalf("J did not link the cameras")
	}
	for side := 0; side < 2; side++ {
		z0, z1 := sw.Split.Panes[side].Camera[2], ln.Split.Panes[side].Camera[2]
		if math.Abs(z1/z0-zoomStep) > 1e-9 {
			t.Errorf("pane %d zoom %v -> %v, want x%v in both panes", side, z0, z1, zoomStep)
		}
	}

	ag := readState(t, st("agreement"))
	want := [2]string{ag.Split.Panes[ag.Split.Active].Layout, ag.Split.Panes[1-ag.Split.Active].Layout}
	if ag.Agreement == nil || ag.Agreement.Layouts != want {
		t.Errorf("V in the split view compares %+v, want %v", ag.Agreement, want)
	}

	one := readState(t, st("single"))
	if one.Split != nil {
		t.Errorf("B did not return to one pane: %+v", one.Split)
	}
	if one.Layout != ag.Layout {
		t.Errorf("the single view shows %q, want the active pane's %q", one.Layout, ag.Layout)
	}
}
