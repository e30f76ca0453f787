package main

import (
	"fmt"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/review"
	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// reviewer is the review queue of suspicious labels (L): one item per
// suspicious row with the label its neighbours vote for, the decisions
// made (each written to the review file as it is made) and the labels they
// give.
type reviewer struct {
	c      *review.Corrections
	q      *review.Queue
	saved  string  // the review file; "" when decisions are kept in memory only
	labels []uint8 // the current labels: the original ones with relabels applied
	last   string  // what the last key did, for the review card
}

// newReviewer opens the review of ds's suspects: from path ("" = the
// default review file of the dataset), resuming at the first row without a
// decision. When the file cannot be used, the review runs in memory and
// warn says why.
func newReviewer(ds *mnist.Dataset, hash [32]byte, sus *suspects, path string) (r *reviewer, warn string, err error) {
	d := review.Dataset{Hash: hash, Labels: ds.Labels, Classes: ds.NumClasses()}
	if path == "" {
		if path, err = review.DefaultPath(ds.Name(), hash); err != nil {
			warn = err.Error()
		}
	}
	r = &reviewer{}
	if path != "" {
		if r.c, err = review.Open(path, d); err == nil {
			r.saved = r.c.Path()
		} else {
			warn = err.Error()
		}
	}
	if r.c == nil {
		r.c = review.New(d)
	}
	suggested := make([]uint8, len(sus.rows))
	for i, row := range sus.rows {
		suggested[i] = judge(ds.Labels, int(row), sus.neighbors(int(row))).majority
	}
	if r.q, err = review.NewQueue(r.c, sus.rows, suggested); err != nil {
		r.c.Close()
		return nil, "", err
	}
	r.labels = r.c.Labels(nil)
	return r, warn, nil
}

// current returns the row under review, or -1 when the queue is done.
func (r *reviewer) current() int {
	if it, ok := r.q.Current(); ok {
		return int(it.Row)
	}
	return -1
}

// key applies a review key; it reports whether the key was a review key,
// and returns an error when a decision could not be saved.
func (r *reviewer) key(k glfw.Key, mods glfw.ModifierKey, name func(uint8) string) (bool, error) {
	it, have := r.q.Current()
	shift, ctrl := mods&glfw.ModShift != 0, mods&glfw.ModControl != 0
	var err error
	switch {
	case ctrl && k == glfw.KeyZ && !shift:
		var ok bool
		if ok, err = r.q.Undo(); ok {
			r.last = "undone"
		}
	case ctrl && (k == glfw.KeyY || (k == glfw.KeyZ && shift)):
		var ok bool
		if ok, err = r.q.Redo(); ok {
			r.last = "redone"
		}
	case !have || ctrl:
		return false, nil
	case k == glfw.KeyK:
		err = r.q.Keep()
		r.last = fmt.Sprintf("row %d: kept %s", it.Row, name(it.Original))
	case k == glfw.KeyEnter || k == glfw.KeyKPEnter:
		err = r.q.Accept()
		r.last = fmt.Sprintf("row %d: %s → %s", it.Row, name(it.Original), name(it.Suggested))
	case k == glfw.KeyX:
		err = r.q.Flag()
		r.last = fmt.Sprintf("row %d: flagged unusable", it.Row)
	case digitOf(k) >= 0 && digitOf(k) < r.c.Classes():
		l := uint8(digitOf(k))
		err = r.q.Relabel(l)
		r.last = fmt.Sprintf("row %d: %s → %s", it.Row, name(it.Original), name(l))
	case k == glfw.KeyN && shift:
		r.q.Prev()
	case k == glfw.KeyN:
		r.q.Skip()
	default:
		return false, nil
	}
	r.labels = r.c.Labels(r.labels)
	return true, err
}

// digitOf returns the digit of a digit key (top row or keypad), or -1.
func digitOf(k glfw.Key) int {
	switch {
	case k >= glfw.Key0 && k <= glfw.Key9:
		return int(k - glfw.Key0)
	case k >= glfw.KeyKP0 && k <= glfw.KeyKP9:
		return int(k - glfw.KeyKP0)
	}
	return -1
}

// note returns what the panel adds to row's label: its original label
// when relabelled, or that it was flagged.
func (r *reviewer) note(row int, name func(uint8) string) string {
	if r == nil || row < 0 {
		return ""
	}
	switch d := r.c.Decision(row); d.Kind {
	case review.Relabelled:
		return fmt.Sprintf(" (was %s)", name(r.c.Original(row)))
	case review.Flagged:
		return " · flagged unusable"
	case review.Kept:
		return " · kept"
	}
	return ""
}

// card returns the review card's two lines: where the review stands and
// what the keys do.
func (r *reviewer) card(name func(uint8) string) (string, string) {
	p := r.q.Progress()
	it, ok := r.q.Current()
	if !ok {
		return fmt.Sprintf("Review done · %s · Ctrl+Z undo · L leaves", p), r.last
	}
	head := fmt.Sprintf("Review · %s · row %s labelled %s, its neighbours say %s",
		p, groupDigits(int(it.Row)), name(it.Original), name(it.Suggested))
	keys := fmt.Sprintf("K keep %s · Enter accept %s · 0–9 relabel · X unusable · N skip · Ctrl+Z undo · L leaves",
		name(it.Original), name(it.Suggested))
	if r.last != "" {
		keys = r.last + " · " + keys
	}
	return head, keys
}
