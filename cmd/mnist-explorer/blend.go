package main

import (
	"fmt"
	"strconv"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/compare"
)

// blendTop is how many of the most blended class pairs the panel lists.
const blendTop = 10

// blend answers "where do classes blend": the confusion of the neighbour
// graph (for each pair of classes, how many of one's neighbours carry the
// other's label), a panel with its matrix and its most blended pairs (C),
// the view of one pair (only its two classes, its boundary digits
// highlighted and visited with N / Shift+N) and the outline of every
// boundary digit (O).
type blend struct {
	mix    *compare.Mix // nil until the neighbour graph is known
	onEdge []bool       // rows on some class boundary
	open   bool         // the panel
	edges  bool         // every boundary digit highlighted (O)

	a, b     int     // the pair viewed; -1 for none
	boundary []int32 // its boundary rows, ascending
	at       int     // index into boundary of the last step; -1 for none

	cells []string // counts as text, C x C, so a frame allocates none
	pairs []string // the listed pairs' lines
	head  string   // the pair view's line
}

func newBlend() blend { return blend{a: -1, b: -1, at: -1} }

// know computes the confusion of graph (N x k) once it is known.
func (bl *blend) know(labels []uint8, graph []int32, k, classes int) {
	bl.mix = compare.Confusion(labels, graph, k, classes)
	bl.onEdge = compare.OnBoundary(bl.onEdge, labels, graph, k)
	bl.cells = make([]string, classes*classes)
	for i := range bl.cells {
		bl.cells[i] = strconv.Itoa(bl.mix.Counts[i])
	}
	bl.pairs = make([]string, min(blendTop, len(bl.mix.Pairs)))
}

// describe fills the panel's pair lines with class names.
func (bl *blend) describe(name func(uint8) string) {
	for i := range bl.pairs {
		p := bl.mix.Pairs[i]
		bl.pairs[i] = fmt.Sprintf("%s–%s   %s + %s neighbours", name(uint8(p.A)), name(uint8(p.B)), groupDigits(p.AB), groupDigits(p.BA))
	}
}

// view shows the pair (a, b): only its classes, its boundary digits
// highlighted. a == b or a negative leaves the pair view.
func (bl *blend) view(labels []uint8, graph []int32, k, a, b int, name func(uint8) string) {
	if a < 0 || b < 0 || a == b || bl.mix == nil {
		bl.a, bl.b, bl.boundary, bl.at = -1, -1, nil, -1
		return
	}
	bl.a, bl.b, bl.at = min(a, b), max(a, b), -1
	bl.boundary = compare.Boundary(labels, graph, k, bl.a, bl.b)
	bl.head = fmt.Sprintf("Boundary %s–%s · %s digits whose neighbours include the other class · N / Shift+N visit · Esc leaves",
		name(uint8(bl.a)), name(uint8(bl.b)), groupDigits(len(bl.boundary)))
}

// viewing reports whether a pair is viewed.
func (bl *blend) viewing() bool { return bl.a >= 0 }

// step returns the next (dir 1) or previous (dir -1) boundary row of the
// pair viewed, or -1.
func (bl *blend) step(dir int) int {
	if len(bl.boundary) == 0 {
		return -1
	}
	bl.at = (bl.at + dir + len(bl.boundary)) % len(bl.boundary)
	if bl.at < 0 {
		bl.at += len(bl.boundary)
	}
	return int(bl.boundary[bl.at])
}

// flag returns row i's flag in the blend views: with a pair viewed, the
// other classes dim and its boundary digits are highlighted; with the
// outline on, every boundary digit is. ok is false when the views say
// nothing about i.
func (bl *blend) flag(i int, l uint8) (highlight, dim, ok bool) {
	switch {
	case bl.viewing():
		if int(l) != bl.a && int(l) != bl.b {
			return false, true, true
		}
		return bl.onEdge[i] && bl.inPair(i), !(bl.onEdge[i] && bl.inPair(i)), true
	case bl.edges && bl.onEdge != nil:
		return bl.onEdge[i], !bl.onEdge[i], true
	}
	return false, false, false
}

// inPair reports whether row i is on the viewed pair's boundary.
func (bl *blend) inPair(i int) bool {
	lo, hi := 0, len(bl.boundary)
	for lo < hi {
		m := (lo + hi) / 2
		if int(bl.boundary[m]) < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(bl.boundary) && int(bl.boundary[lo]) == i
}
