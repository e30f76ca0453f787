package main

import (
	"context"
	"math"
	"sort"
	"sync"

	"github.com/mnist-explorer/mnist-explorer/projection"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// inspectK is the number of exact pixel-space neighbours the panel shows.
const inspectK = 10

// selection holds what the user points at and what is known about it:
// hover and selection, the selected row's exact neighbours, hidden
// classes, suspicious labels, and the per-sprite flags they produce.
type selection struct {
	hover   int // sprite under the cursor, -1 for none
	row     int // selected sprite, -1 for none
	pending int // row to select once a layout is shown (--select), -1 for none

	pick *render.PickIndex

	// Exact neighbours of row, computed in the background.
	mu      sync.Mutex
	nbRow   int // the row nb belongs to; -1 while none
	nb      []int32
	nbDist  []float32
	nbReady bool
	cancel  context.CancelFunc

	hidden   [256]bool // classes hidden by the user
	nHidden  int       // sprites hidden
	flags    []uint8   // per-sprite render flags, uploaded when dirty
	dirty    bool
	suspects []int32 // rows whose pixel neighbours mostly carry another label, sorted
	suspect  []bool  // per row
	nbStatus jobStatus
	suspOn   bool // suspicious view (L)
	suspAt   int  // index into suspects of the last N/Shift+N jump
}

func newSelection(n int) selection {
	return selection{
		hover: -1, row: -1, pending: -1, nbRow: -1, suspAt: -1,
		pick:  render.NewPickIndex(nil),
		flags: make([]uint8, n),
	}
}

// settled reports whether a requested selection has been applied and its
// neighbours are known (screenshots wait for it).
func (s *selection) settled() bool {
	if s.pending >= 0 {
		return false
	}
	if s.row < 0 {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nbReady && s.nbRow == s.row
}

// neighbors returns the selected row's neighbours if they are ready.
func (s *selection) neighbors() ([]int32, []float32, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.nbReady || s.nbRow != s.row {
		return nil, nil, false
	}
	return s.nb, s.nbDist, true
}

// selectRow selects row (or clears the selection for -1) and starts the
// exact neighbour query in the background.
func (a *app) selectRow(row int) {
	s := &a.sel
	if row == s.row {
		return
	}
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	s.row = row
	s.dirty = true
	a.hud.dirty = true
	if row < 0 {
		return
	}
	ctx, cancel := context.WithCancel(a.ctx)
	s.cancel = cancel
	data, n := a.env.data, a.ds.Len()
	go func() {
		m := data()
		idx, dist := projection.ExactQuery(m, m.Row(row), min(inspectK, n-1), row)
		if ctx.Err() != nil {
			return
		}
		s.mu.Lock()
		s.nbRow, s.nb, s.nbDist, s.nbReady = row, idx, dist, true
		s.mu.Unlock()
	}()
}

// flyToRow selects row and flies the camera to it, zooming in until its
// sprite is comfortably large.
func (a *app) flyToRow(row int) {
	if row < 0 || row >= a.ds.Len() || a.trans.to == nil {
		return
	}
	a.selectRow(row)
	if a.sel.hidden[a.ds.Labels[row]] {
		a.sel.hidden[a.ds.Labels[row]] = false
		a.sel.dirty = true
	}
	x, y := float64(a.trans.to[2*row]), float64(a.trans.to[2*row+1])
	zoom := math.Max(a.cam.Zoom, 64*a.uiScale/a.spriteSize())
	a.follow = false
	a.flyTo(x, y, zoom, flightSeconds)
}

// update applies a pending selection and refreshes the flags.
func (s *selection) update(a *app) {
	if s.pending >= 0 && a.trans.to != nil && a.views[a.current].status.final {
		row := s.pending
		s.pending = -1
		a.flyToRow(row)
	}
	if s.dirty {
		s.dirty = false
		s.nHidden = 0
		for i, l := range a.ds.Labels {
			var f uint8
			switch {
			case s.hidden[l]:
				f = render.FlagHidden
				s.nHidden++
			case s.suspOn && s.suspect != nil && s.suspect[i]:
				f = render.FlagHighlighted
			case s.suspOn && s.suspect != nil:
				f = render.FlagDimmed
			}
			s.flags[i] = f
		}
		a.sprites.SetFlags(s.flags)
		if s.hover >= 0 && s.flags[s.hover]&render.FlagHidden != 0 {
			s.hover = -1
		}
		if s.row >= 0 && s.flags[s.row]&render.FlagHidden != 0 {
			a.selectRow(-1)
		}
	}
}

// updateHover picks the sprite under the cursor (framebuffer pixels).
func (a *app) updateHover(sx, sy float64) {
	s := &a.sel
	if a.trans.to == nil {
		s.hover = -1
		return
	}
	x, y := a.cam.ScreenToWorld(sx, sy)
	half := a.spriteSize() / 2
	i := s.pick.Topmost(x, y, half, s.flags)
	if i < 0 {
		// Tiny sprites: accept the nearest one within a few pixels.
		i, _ = s.pick.Nearest(x, y, 6*a.uiScale/a.cam.Zoom, s.flags)
	}
	s.hover = i
}

// toggleClass hides or shows label l.
func (a *app) toggleClass(l int) {
	if l < 0 || l >= len(a.sel.hidden) {
		return
	}
	a.sel.hidden[l] = !a.sel.hidden[l]
	a.sel.dirty, a.hud.dirty = true, true
}

// showAll shows every class.
func (a *app) showAll() {
	a.sel.hidden = [256]bool{}
	a.sel.dirty, a.hud.dirty = true, true
}

// findSuspects marks the rows most of whose k pixel-space neighbours (knn,
// row-major N x k indices) carry another label.
func (s *selection) findSuspects(knn []float32, labels []uint8) {
	n := len(labels)
	k := len(knn) / max(n, 1)
	s.suspect = make([]bool, n)
	s.suspects = s.suspects[:0]
	for i := 0; i < n; i++ {
		same := 0
		for _, j := range knn[i*k : (i+1)*k] {
			if j >= 0 && int(j) < n && labels[int(j)] == labels[i] {
				same++
			}
		}
		if 2*same < k {
			s.suspect[i] = true
			s.suspects = append(s.suspects, int32(i))
		}
	}
	if s.suspects == nil {
		s.suspects = []int32{}
	}
	s.dirty = true
}

// nextSuspect flies to the next (dir 1) or previous (dir -1) suspicious
// row that is not hidden.
func (a *app) nextSuspect(dir int) {
	s := &a.sel
	if len(s.suspects) == 0 {
		return
	}
	if !s.suspOn {
		s.suspOn, s.dirty = true, true
	}
	// at is the position the step starts from: the selected row's place in
	// the sorted list (between two entries when it is not suspicious).
	at := s.suspAt
	if s.row >= 0 {
		at = sort.Search(len(s.suspects), func(i int) bool { return int(s.suspects[i]) >= s.row })
		member := at < len(s.suspects) && int(s.suspects[at]) == s.row
		if !member && dir > 0 {
			at--
		}
	} else if at < 0 && dir < 0 {
		at = 0
	}
	for range s.suspects {
		at = (at + dir + len(s.suspects)) % len(s.suspects)
		if row := int(s.suspects[at]); !s.hidden[a.ds.Labels[row]] {
			s.suspAt = at
			a.flyToRow(row)
			return
		}
	}
}
