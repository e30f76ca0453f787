package main

import (
	"context"
	"errors"
	"time"
)

// layoutTask is a background task that computes (or reads) one layout.
type layoutTask = task[[]float32]

// layoutEntry is one layout the app offers: a registered method or a
// --layout-file, with the task that produces its positions.
type layoutEntry struct {
	name  string // method or file name (what --layout and the state dump say)
	title string // what the status line says
	label string // what its button says: key and title, fitted
	// variant, when not nil, makes this a tuned UMAP: its settings, and
	// the layout it starts from (nil: UMAP's own initialisation).
	variant *variant
	task    *layoutTask
	// after, when not nil, is closed when the stand-in layout is done: a
	// layout that must be computed (not cached) waits for it first, so
	// that the two do not share the cores (see app.go).
	after <-chan struct{}
	// status is the task's mailbox as of the last poll.
	status taskStatus[[]float32]
	seen   int // seq of the last snapshot handed to the scene
	seenAt time.Time
}

// layoutSet runs the layout tasks: it starts one when its layout is asked
// for and cancels the ones nobody needs any more. It knows nothing of GL
// or of what is on screen; the app tells it which layouts to keep.
type layoutSet struct {
	ctx     context.Context
	entries []*layoutEntry
	// produce returns the work that yields an entry's layout.
	produce func(e *layoutEntry) work[[]float32]
	// snapGap is the least time between two snapshots of one layout handed
	// on while it forms (each costs a redraw of every sprite, which on a
	// software renderer takes cores from the computation); the final
	// layout is always handed on at once. Zero hands on every snapshot.
	snapGap time.Duration
}

// index returns the entry named name, or -1.
func (s *layoutSet) index(name string) int {
	for i, e := range s.entries {
		if e.name == name {
			return i
		}
	}
	return -1
}

// ensure starts layout i's task unless it is running or done.
func (s *layoutSet) ensure(i int) {
	if e := s.entries[i]; e.task == nil {
		e.task = startTask(s.ctx, e.name, s.produce(e))
		e.status, e.seen = taskStatus[[]float32]{}, 0
	}
}

// release cancels every task that is still computing and whose layout is
// not in keep, and forgets it, so asking for it again starts afresh. It
// returns the indices it cancelled. A finished task is kept: its result is
// what switching back shows at once.
func (s *layoutSet) release(keep ...int) []int {
	var cancelled []int
outer:
	for i, e := range s.entries {
		if e.task == nil || e.status.done {
			continue
		}
		for _, k := range keep {
			if k == i {
				continue outer
			}
		}
		if e.task.status().done { // finished since the last poll: keep it
			continue
		}
		e.task.Cancel()
		e.task, e.status, e.seen = nil, taskStatus[[]float32]{}, 0
		cancelled = append(cancelled, i)
	}
	return cancelled
}

// poll reads every task's mailbox and calls fresh for each layout with a
// snapshot it has not handed on yet (at most one per snapGap before the
// final one), and changed for each layout whose status changed in a way
// worth logging (old, new).
func (s *layoutSet) poll(now time.Time, fresh func(i int, pos []float32), changed func(e *layoutEntry, old taskStatus[[]float32])) {
	for i, e := range s.entries {
		if e.task == nil {
			continue
		}
		st := e.task.status()
		if errors.Is(st.err, context.Canceled) {
			continue
		}
		old := e.status
		e.status = st
		if changed != nil {
			changed(e, old)
		}
		early := !st.final && e.seen != 0 && now.Sub(e.seenAt) < s.snapGap
		if st.seq != e.seen && st.snap != nil && !early {
			e.seen, e.seenAt = st.seq, now
			fresh(i, st.snap)
		}
	}
}

// busy reports whether a layout task is still computing.
func (s *layoutSet) busy() bool {
	for _, e := range s.entries {
		if e.task != nil && !e.status.done {
			return true
		}
	}
	return false
}

// switchLayout chooses layout i: its task starts if needed, the scene
// animates to it (keeping row sel in view), and layouts still computing
// that are neither chosen nor on screen nor in keep (another pane's) are
// cancelled and forgotten. It
// reports whether the choice changed and which layouts it cancelled.
func switchLayout(sc *scene, ls *layoutSet, i, sel int, now time.Time, keep ...int) (changed bool, cancelled []int) {
	if i < 0 || i >= len(ls.entries) {
		return false, nil
	}
	ls.ensure(i)
	changed = sc.switchTo(i, sel, now)
	keep = append(keep, sc.current)
	if sc.placeholder >= 0 {
		keep = append(keep, sc.placeholder)
	}
	cancelled = ls.release(keep...)
	for _, c := range cancelled {
		sc.forget(c)
	}
	return changed, cancelled
}
