package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// hudText is the HUD's model: every string it draws, rebuilt only when
// what it says changes, so that a still frame allocates nothing.
type hudText struct {
	classNames  []string
	classCounts []string
	suspText    string
	panel       panelText
	panelKey    panelKey

	review     [2]string // the review card's lines
	space      string    // what neighbours are computed on: "pixels 28×28", "features 512-d"
	blendTitle string

	msg      string // toast, bottom right
	msgUntil time.Time

	buf []byte // scratch for per-frame numbers
}

// panelText is what the inspector panel says about one row.
type panelText struct {
	title, sub string
	nb         string // about the neighbours
	susp       string // the verdict, when suspicious
	nbText     [inspectK]string
	nbRows     [inspectK]int32
}

// panelKey is what the panel's strings depend on.
type panelKey struct {
	row            int
	nbOK, judged   bool
	dirty          bool
	suspects, susp int
}

// newHUDText builds the legend's strings for ds.
func newHUDText(ds *mnist.Dataset) *hudText {
	n := ds.NumClasses()
	counts := make([]int, n)
	for _, l := range ds.Labels {
		counts[l]++
	}
	h := &hudText{buf: make([]byte, 0, 256), panelKey: panelKey{row: -2}}
	for l := 0; l < n; l++ {
		h.classNames = append(h.classNames, ds.ClassName(uint8(l)))
		h.classCounts = append(h.classCounts, groupDigits(counts[l]))
	}
	return h
}

// fitNames shortens the class names that are wider than w (as measure
// finds them) so that each fits its legend row.
func (h *hudText) fitNames(w float64, measure func(string) float64) {
	for i, n := range h.classNames {
		h.classNames[i] = fitText(n, w, measure)
	}
}

// fitText returns s, or its longest prefix that fits in w with an ellipsis
// appended.
func fitText(s string, w float64, measure func(string) float64) string {
	if measure(s) <= w {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix r[:lo]+"…" that fits
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if measure(string(r[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// toast shows a message at the bottom right for a few seconds.
func (h *hudText) toast(format string, args ...any) {
	h.msg = fmt.Sprintf(format, args...)
	h.msgUntil = time.Now().Add(5 * time.Second)
}

// toastShown reports whether a toast is on screen at now.
func (h *hudText) toastShown(now time.Time) bool { return h.msg != "" && now.Before(h.msgUntil) }

// invalidate makes the next refresh rebuild the panel's strings.
func (h *hudText) invalidate() { h.panelKey.dirty = true }

// refresh rebuilds the suspicious-view line and the panel's strings when
// what they describe changed: the selected row, its exact neighbours
// (nb, dist; ok once known) and the suspects (nil while unknown); the
// review (may be nil) adds a relabel or flag after the label.
func (h *hudText) refresh(ds *mnist.Dataset, row int, nb []int32, dist []float32, ok bool, sus *suspects, suspOn bool, rev *reviewer) {
	key := panelKey{row: row, nbOK: ok, judged: sus != nil}
	if sus != nil {
		key.suspects = len(sus.rows)
		if suspOn {
			key.susp = 1
		}
	}
	if key == h.panelKey {
		return
	}
	h.panelKey = key
	if sus != nil {
		state := "off"
		if suspOn {
			state = "on"
		}
		h.suspText = fmt.Sprintf("Suspicious (L): %s · %s", groupDigits(len(sus.rows)), state)
	}
	h.panel = describeRow(ds, row, nb, dist, ok, sus)
	h.panel.nb = strings.Replace(h.panel.nb, "pixel space", h.space, 1)
	h.panel.title += rev.note(row, ds.ClassName) // built here, not every frame
}

// describeRow returns what the panel says about row: its label and split,
// its exact neighbours (once ok) and, once the neighbour graph is known,
// the suspicious-label verdict on the same neighbours the map's
// suspicious view judges it by.
func describeRow(ds *mnist.Dataset, row int, nb []int32, dist []float32, ok bool, sus *suspects) panelText {
	var p panelText
	if row < 0 {
		p.title, p.sub = "Nothing selected", "Click a digit to inspect it."
		return p
	}
	lbl := ds.Labels[row]
	p.title = fmt.Sprintf("Row %s · label %s", groupDigits(row), ds.ClassName(lbl))
	p.sub = fmt.Sprintf("%s split · %d×%d pixels", ds.Split(row), ds.Width, ds.Height)
	p.nb = "Nearest in pixel space: computing…"
	if sus != nil {
		if v := judge(ds.Labels, row, sus.neighbors(row)); v.suspect {
			p.susp = fmt.Sprintf("Suspicious: %d/%d share its label, %d are %s", v.same, v.k, v.votes, ds.ClassName(v.majority))
		}
	}
	if !ok {
		return p
	}
	same := 0
	for i, r := range nb {
		l := ds.Labels[r]
		if l == lbl {
			same++
		}
		p.nbRows[i] = r
		p.nbText[i] = fmt.Sprintf("%s  %.2f", ds.ClassName(l), dist[i])
	}
	p.nb = fmt.Sprintf("%d nearest in pixel space: %d share label %s", len(nb), same, ds.ClassName(lbl))
	return p
}

// thumbText returns the caption of neighbour row r, or "".
func (p *panelText) thumbText(r int) string {
	for k, x := range p.nbRows {
		if int(x) == r {
			return p.nbText[k]
		}
	}
	return ""
}

// helpRows are keysHelp's lines split into key and description columns;
// the first is the title.
var helpRows = func() [][2]string {
	var rows [][2]string
	for _, line := range strings.Split(strings.TrimRight(keysHelp, "\n"), "\n") {
		key, desc, _ := strings.Cut(strings.TrimSpace(line), "  ")
		rows = append(rows, [2]string{key, strings.TrimSpace(desc)})
	}
	return rows
}()

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
