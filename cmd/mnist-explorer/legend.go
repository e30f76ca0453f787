package main

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// legendScrollRows is how many rows one notch of the mouse wheel scrolls
// the legend.
const legendScrollRows = 3

// legendFilterMax is the longest filter kept, in runes.
const legendFilterMax = 40

// legend is the class list's model: which classes it lists, how far it is
// scrolled and the filter typed into it. F opens the filter box; typed
// characters narrow the list to the classes whose names contain the text
// (case ignored); Backspace deletes one; Enter closes the box keeping the
// filter; Esc clears the filter and closes it. The mouse wheel over the
// legend scrolls it. A dataset without labels has no legend (off), and no
// class features: no suspicious labels, no blend panel.
type legend struct {
	names  []string // every class's name, by label (lower case, for matching)
	off    bool     // unlabelled data
	filter []rune
	typing bool  // the filter box is open and takes the keys
	fresh  bool  // the box opened this frame: the opening key's character is not text
	rows   []int // the classes listed, by label: all, or those matching the filter
	top    int   // index in rows of the first row shown
	fit    int   // rows the last layout had room for

	// The strings it draws, rebuilt when they change (a still frame
	// allocates nothing).
	header  string // "Labels (Shift+0–9)", "12 of 300 labels", "Unlabelled · 900 images"
	boxText string // "Filter: cat_"
	images  int    // rows of the dataset, for the unlabelled header
}

// newLegend returns the legend of classes named names over a dataset of
// images rows; unlabelled turns it off.
func newLegend(names []string, unlabelled bool, images int) *legend {
	l := &legend{off: unlabelled, images: images}
	for _, n := range names {
		l.names = append(l.names, strings.ToLower(n))
	}
	l.refilter()
	return l
}

// datasetLegend returns the legend of ds's classes.
func datasetLegend(ds *mnist.Dataset) *legend {
	names := make([]string, ds.NumClasses())
	for l := range names {
		names[l] = ds.ClassName(uint8(l))
	}
	return newLegend(names, ds.Unlabelled, ds.Len())
}

// refilter recomputes the listed classes after the filter changed and goes
// back to the top of the list.
func (l *legend) refilter() {
	l.rows, l.top = l.rows[:0], 0
	f := strings.ToLower(string(l.filter))
	for k, n := range l.names {
		if strings.Contains(n, f) {
			l.rows = append(l.rows, k)
		}
	}
	l.texts()
}

// texts rebuilds the header and the filter box's text.
func (l *legend) texts() {
	switch n := len(l.names); {
	case l.off:
		l.header = "Unlabelled · " + groupDigits(l.images) + " images"
	case len(l.filter) > 0:
		l.header = fmt.Sprintf("%d of %d labels", len(l.rows), n)
	case n <= 10:
		l.header = "Labels (Shift+0–9)"
	default:
		l.header = groupDigits(n) + " labels (F filters)"
	}
	l.boxText = "Filter: " + string(l.filter)
	if l.typing {
		l.boxText += "_"
	}
}

// open opens the filter box (the F key).
func (l *legend) open() {
	if l.off {
		return
	}
	l.typing, l.fresh = true, true
	l.texts()
}

// typed adds this frame's characters to the filter while the box is open,
// except in the frame that opened it (they are the F of the opening key).
func (l *legend) typed(chars []rune) {
	if !l.typing {
		return
	}
	if l.fresh {
		l.fresh = false
		return
	}
	changed := false
	for _, r := range chars {
		if unicode.IsPrint(r) && len(l.filter) < legendFilterMax {
			l.filter = append(l.filter, r)
			changed = true
		}
	}
	if changed {
		l.refilter()
	}
}

// key handles a key while the filter box is open: Backspace, Enter, Esc.
// Every other key only types (see typed).
func (l *legend) key(k glfw.Key) {
	switch k {
	case glfw.KeyBackspace:
		if n := len(l.filter); n > 0 {
			l.filter = l.filter[:n-1]
			l.refilter()
		}
	case glfw.KeyEnter, glfw.KeyKPEnter:
		l.typing = false
		l.texts()
	case glfw.KeyEscape:
		l.typing, l.filter = false, l.filter[:0]
		l.refilter()
	}
}

// scroll moves the list by rows (positive: down), within its ends.
func (l *legend) scroll(rows int) {
	l.top += rows
	l.clamp()
}

// setFit records how many rows the layout had room for and keeps the
// scroll within the list.
func (l *legend) setFit(fit int) {
	l.fit = fit
	l.clamp()
}

func (l *legend) clamp() {
	l.top = max(0, min(l.top, len(l.rows)-l.fit))
}

// view is what the HUD's layout needs to know of the legend.
func (l *legend) view() legendView {
	return legendView{rows: l.rows, set: true, top: l.top, box: l.typing || len(l.filter) > 0, off: l.off}
}

// classKey reports whether k (with shift) starts a feature that compares
// classes: suspicious labels (L, N) and the blend panel (C).
func classKey(k glfw.Key) bool {
	return k == glfw.KeyL || k == glfw.KeyN || k == glfw.KeyC
}

// legendKeys handles what the legend takes from a key press: every key
// while the filter box is open, F to open it, and, for unlabelled data,
// the keys of class features (which it refuses with a note). It reports
// whether it took the key.
func (a *app) legendKeys(k glfw.Key, mods glfw.ModifierKey) bool {
	switch {
	case a.leg.typing:
		a.leg.key(k)
	case a.leg.off && classKey(k):
		a.txt.toast("unlabelled data: no classes to compare")
	case k == glfw.KeyF && mods == 0 && !a.leg.off:
		a.leg.open()
		a.help = false
	default:
		return false
	}
	return true
}
