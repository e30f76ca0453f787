package main

import (
	"context"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/region"
	"github.com/mnist-explorer/mnist-explorer/projection"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// inspectK is the number of exact pixel-space neighbours the panel shows.
const inspectK = 10

// selection is what the user points at and filters: hover and selection,
// the selected row's exact neighbours, hidden classes, the suspicious view,
// and the per-sprite flags they produce.
type selection struct {
	hover   int // sprite under the cursor, -1 for none
	row     int // selected sprite, -1 for none
	pending int // row to select once a layout is shown (--select), -1 for none

	query *task[neighborQuery] // the selected row's exact neighbours

	hidden     [256]bool // classes filtered out by the user
	dimClasses bool      // filtered-out classes are dimmed, not hidden (Shift+D)
	hideRest   bool      // rows outside a non-empty chosen set are hidden, not dimmed (Shift+S)
	nHidden    int       // sprites hidden
	suspOn     bool      // suspicious view (L)
	flags      []uint8   // per-sprite render flags
	dirty      bool      // flags need recomputing and uploading
}

// neighborQuery is the result of a click's neighbour query.
type neighborQuery struct {
	row  int
	idx  []int32
	dist []float32
}

func newSelection(n int) selection {
	return selection{hover: -1, row: -1, pending: -1, flags: make([]uint8, n), dirty: true}
}

// neighbors returns the selected row's exact neighbours once known.
func (s *selection) neighbors() (nb []int32, dist []float32, ok bool) {
	if s.query == nil || s.row < 0 {
		return nil, nil, false
	}
	st := s.query.status()
	if !st.final || st.snap.row != s.row {
		return nil, nil, false
	}
	return st.snap.idx, st.snap.dist, true
}

// settled reports whether a requested selection has been applied and its
// neighbours are known (screenshots and scripts wait for it).
func (s *selection) settled() bool {
	if s.pending >= 0 {
		return false
	}
	_, _, ok := s.neighbors()
	return s.row < 0 || ok
}

// choose selects row (or clears the selection for -1): the query of the
// previous row is cancelled and one for row starts under ctx on data.
func (s *selection) choose(ctx context.Context, row int, data func() *projection.Matrix) {
	if row == s.row {
		return
	}
	if s.query != nil {
		s.query.Cancel()
		s.query = nil
	}
	s.row = row
	s.dirty = true
	if row < 0 {
		return
	}
	s.query = startTask(ctx, "neighbour query", func(ctx context.Context, _ *task[neighborQuery]) (neighborQuery, bool, error) {
		m := data()
		idx, dist := projection.ExactQuery(m, m.Row(row), min(inspectK, m.N-1), row)
		return neighborQuery{row, idx, dist}, false, ctx.Err()
	})
}

// refreshFlags recomputes the per-sprite flags when they are stale and
// reports whether they changed: filtered-out classes are hidden (or
// dimmed); while rows are chosen they are highlighted and the rest dimmed
// (or hidden); else the class-boundary views (a pair, or every boundary
// digit) decide; else, with the suspicious view on (and the suspects
// known), suspicious rows are highlighted and the rest dimmed. A hovered
// sprite that became hidden is let go.
func (s *selection) refreshFlags(labels []uint8, sus *suspects, chosen *region.Set, bl *blend) bool {
	if !s.dirty {
		return false
	}
	s.dirty = false
	s.nHidden = 0
	some := chosen != nil && chosen.Count() > 0
	rest := render.FlagDimmed
	if s.hideRest {
		rest = render.FlagHidden
	}
	for i, l := range labels {
		var f uint8
		switch {
		case s.hidden[l] && !s.dimClasses:
			f = render.FlagHidden
		case s.hidden[l]:
			f = render.FlagDimmed
		case some && chosen.Contains(i):
			f = render.FlagHighlighted
		case some:
			f = rest
		default:
			f = s.viewFlag(i, l, sus, bl)
		}
		if f == render.FlagHidden {
			s.nHidden++
		}
		s.flags[i] = f
	}
	if s.hover >= 0 && s.flags[s.hover]&render.FlagHidden != 0 {
		s.hover = -1
	}
	return true
}

// viewFlag returns row i's flag from the class-boundary views, else from
// the suspicious view: highlighted, dimmed, or none.
func (s *selection) viewFlag(i int, l uint8, sus *suspects, bl *blend) uint8 {
	if bl != nil {
		if hi, dim, ok := bl.flag(i, l); ok {
			switch {
			case hi:
				return render.FlagHighlighted
			case dim:
				return render.FlagDimmed
			}
			return 0
		}
	}
	switch {
	case s.suspOn && sus != nil && sus.is[i]:
		return render.FlagHighlighted
	case s.suspOn && sus != nil:
		return render.FlagDimmed
	}
	return 0
}

// toggleClass hides or shows class l.
func (s *selection) toggleClass(l int) {
	if l >= 0 && l < len(s.hidden) {
		s.hidden[l] = !s.hidden[l]
		s.dirty = true
	}
}

// showAll shows every class.
func (s *selection) showAll() {
	s.hidden = [256]bool{}
	s.dirty = true
}
