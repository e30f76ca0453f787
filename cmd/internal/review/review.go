// Package review keeps a reviewer's decisions about a dataset's labels
// (keep, relabel, flag as unusable) with their undo history, and never
// loses one.
//
// Corrections is the model: the original labels, an optional decision per
// row, the undo and redo stacks, and what follows from them (the current
// label of a row, counts, a chronological list, the corrected labels for
// exporters). Queue walks a list of suspicious rows one at a time on top of
// it: decide, move on, go back, undo. Open binds Corrections to a journal
// file, append-only and checksummed, so that every decision is on disk
// before the call that makes it returns and a kill -9 loses at most the
// decision being made; New keeps them in memory only. DefaultPath says
// where the app keeps a dataset's journal.
//
// Nothing here draws or reads input; one goroutine (the app's loop) owns a
// Corrections and its Queue, which are not safe for concurrent use.
package review

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Kind is what a reviewer decided about a row.
type Kind uint8

const (
	// Undecided means no decision: the zero value.
	Undecided Kind = iota
	// Kept means the original label was confirmed.
	Kept
	// Relabelled means the label was wrong; Decision.Label holds the right one.
	Relabelled
	// Flagged means the image is unusable (ambiguous, not a digit, cut
	// off); the row keeps its label and is listed by Flagged.
	Flagged
)

// Decision is one row's decision. The zero value is Undecided.
type Decision struct {
	Kind  Kind
	Label uint8 // the new class when Kind is Relabelled; zero otherwise
}

// String describes d: "undecided", "keep", "relabel to 3" or "flag".
func (d Decision) String() string {
	switch d.Kind {
	case Undecided:
		return "undecided"
	case Kept:
		return "keep"
	case Relabelled:
		return fmt.Sprintf("relabel to %d", d.Label)
	case Flagged:
		return "flag"
	}
	return fmt.Sprintf("kind %d", d.Kind)
}

// Dataset is what decisions are about.
type Dataset struct {
	// Hash is the dataset's content hash; a journal file is keyed to it.
	Hash [32]byte
	// Labels are the original labels, one per row; their length is the
	// row count (at most math.MaxInt32). Corrections keep this slice and
	// never write to it.
	Labels []uint8
	// Classes is the number of classes: a relabel must name a class below
	// it. Zero means one more than the largest label in Labels.
	Classes int
}

// ErrClass means a relabel named a class the dataset does not have.
var ErrClass = errors.New("review: no such class")

// Counts are the rows with each kind of decision.
type Counts struct {
	Reviewed   int // rows with any decision: Kept + Relabelled + Flagged
	Kept       int
	Relabelled int
	Flagged    int
}

// Change is one row's decision in Corrections.Changes.
type Change struct {
	Row      int32
	Original uint8
	Decision Decision // never Undecided
	Time     time.Time
}

// Corrections holds the decisions about one dataset and their undo
// history. Create it with New (memory only) or Open (journalled).
type Corrections struct {
	// Clock stamps each decision; nil means time.Now.
	Clock func() time.Time

	orig       []uint8
	classes    int
	dec        map[int32]entry
	counts     Counts
	undo, redo []step
	ops        uint64   // operations applied; orders decisions and counts changes
	j          *journal // nil when decisions are kept in memory only
	dropped    int      // bytes of a torn final record ignored at load
}

// entry is a row's decision with when it was made.
type entry struct {
	d   Decision
	seq uint64 // the operation that made it: orders Changes
	ns  int64  // Unix nanoseconds
}

// step is one undoable change of one row.
type step struct {
	row           int32
	before, after entry // Undecided entries where the row had no decision
}

// op is the kind of a record: one call that changed the decisions.
type op uint8

const (
	opSet op = iota + 1
	opUndo
	opRedo
)

// record is one operation, as journalled and replayed.
type record struct {
	op  op
	d   Decision // opSet only
	row int32
	ns  int64
}

// New returns Corrections for d with no decisions, kept in memory only.
// It panics if d.Classes is negative or above 256, or d has more than
// math.MaxInt32 rows.
func New(d Dataset) *Corrections {
	classes := d.Classes
	if classes == 0 {
		for _, l := range d.Labels {
			classes = max(classes, int(l)+1)
		}
	}
	if classes < 0 || classes > 256 || int64(len(d.Labels)) > 1<<31-1 {
		panic(fmt.Sprintf("review: %d classes over %d rows", d.Classes, len(d.Labels)))
	}
	return &Corrections{orig: d.Labels, classes: classes, dec: map[int32]entry{}}
}

// Rows is the number of rows.
func (c *Corrections) Rows() int { return len(c.orig) }

// Classes is the number of classes a relabel may name.
func (c *Corrections) Classes() int { return c.classes }

// Original is row's label in the dataset.
func (c *Corrections) Original(row int) uint8 { return c.orig[row] }

// Decision is row's decision; Undecided if it has none.
func (c *Corrections) Decision(row int) Decision { return c.dec[int32(row)].d }

// Label is row's current label: the relabel if it has one, else the
// original.
func (c *Corrections) Label(row int) uint8 {
	if d := c.Decision(row); d.Kind == Relabelled {
		return d.Label
	}
	return c.orig[row]
}

// Counts counts the decisions.
func (c *Corrections) Counts() Counts { return c.counts }

// Changes lists every row with a decision in the order the decisions were
// made (an undone decision is gone; a redone one keeps its place and time).
func (c *Corrections) Changes() []Change {
	type seqChange struct {
		seq uint64
		ch  Change
	}
	l := make([]seqChange, 0, len(c.dec))
	for row, e := range c.dec {
		l = append(l, seqChange{e.seq, Change{Row: row, Original: c.orig[row], Decision: e.d, Time: time.Unix(0, e.ns)}})
	}
	slices.SortFunc(l, func(a, b seqChange) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]Change, len(l))
	for i, s := range l {
		out[i] = s.ch
	}
	return out
}

// Labels writes the corrected labels (the originals with every relabel
// applied; flagged rows keep theirs) into dst, reallocated if it is too
// short, and returns it.
func (c *Corrections) Labels(dst []uint8) []uint8 {
	if cap(dst) < len(c.orig) {
		dst = make([]uint8, len(c.orig))
	}
	dst = dst[:len(c.orig)]
	copy(dst, c.orig)
	for row, e := range c.dec {
		if e.d.Kind == Relabelled {
			dst[row] = e.d.Label
		}
	}
	return dst
}

// Flagged returns the flagged rows in ascending order.
func (c *Corrections) Flagged() []int32 {
	var rows []int32
	for row, e := range c.dec {
		if e.d.Kind == Flagged {
			rows = append(rows, row)
		}
	}
	slices.Sort(rows)
	return rows
}

// History returns how many steps Undo and Redo can take.
func (c *Corrections) History() (undos, redos int) { return len(c.undo), len(c.redo) }

// Set records d as row's decision (Undecided clears it), stamped with
// Clock, and makes it the newest undo step; the redo stack is cleared. A
// relabel to the original label is recorded as Kept; a decision equal to
// the current one changes nothing and records nothing. With a journal the
// decision is on disk before Set returns. On any error nothing changed;
// after a failed write the journal refuses every later one (Undo and Redo
// too) until Close, after which decisions are kept in memory only.
func (c *Corrections) Set(row int, d Decision) error {
	if row < 0 || row >= len(c.orig) {
		return fmt.Errorf("review: row %d of %d", row, len(c.orig))
	}
	if d.Kind == Relabelled && int(d.Label) >= c.classes {
		return fmt.Errorf("%w: relabel of row %d to %d (%d classes)", ErrClass, row, d.Label, c.classes)
	}
	if d.Kind > Flagged {
		return fmt.Errorf("review: row %d: %v", row, d)
	}
	if d.Kind == Relabelled && d.Label == c.orig[row] {
		d = Decision{Kind: Kept}
	}
	if d.Kind != Relabelled {
		d.Label = 0
	}
	if c.dec[int32(row)].d == d {
		return nil
	}
	return c.commit(record{op: opSet, d: d, row: int32(row), ns: c.now()})
}

// Undo reverts the newest undo step and returns its row; ok is false (and
// nothing happens) when there is nothing to undo.
func (c *Corrections) Undo() (row int, ok bool, err error) {
	return c.pop(opUndo, c.undo)
}

// Redo re-applies the newest undone step and returns its row; ok is false
// (and nothing happens) when there is nothing to redo.
func (c *Corrections) Redo() (row int, ok bool, err error) {
	return c.pop(opRedo, c.redo)
}

func (c *Corrections) pop(o op, stack []step) (int, bool, error) {
	if len(stack) == 0 {
		return -1, false, nil
	}
	row := stack[len(stack)-1].row
	if err := c.commit(record{op: o, row: row, ns: c.now()}); err != nil {
		return -1, false, err
	}
	return int(row), true, nil
}

func (c *Corrections) now() int64 {
	if c.Clock != nil {
		return c.Clock().UnixNano()
	}
	return time.Now().UnixNano()
}

// commit checks r, journals it and applies it.
func (c *Corrections) commit(r record) error {
	if err := c.check(r); err != nil {
		return err
	}
	if c.j != nil {
		if err := c.j.append(r); err != nil {
			return err
		}
	}
	c.apply(r)
	return nil
}

// check says whether r can be applied now: the one rule for what a journal
// may hold, so a replayed file passes exactly what Set, Undo and Redo write.
func (c *Corrections) check(r record) error {
	if r.row < 0 || int(r.row) >= len(c.orig) {
		return fmt.Errorf("row %d of %d", r.row, len(c.orig))
	}
	switch r.op {
	case opSet:
		d := r.d
		switch {
		case d.Kind > Flagged, d.Kind != Relabelled && d.Label != 0:
			return fmt.Errorf("row %d: bad decision %v (label %d)", r.row, d, d.Label)
		case d.Kind == Relabelled && (int(d.Label) >= c.classes || d.Label == c.orig[r.row]):
			return fmt.Errorf("row %d: relabel from %d to %d (%d classes)", r.row, c.orig[r.row], d.Label, c.classes)
		case c.dec[r.row].d == d:
			return fmt.Errorf("row %d: %v changes nothing", r.row, d)
		}
	case opUndo, opRedo:
		stack := c.undo
		if r.op == opRedo {
			stack = c.redo
		}
		if r.d != (Decision{}) || len(stack) == 0 || stack[len(stack)-1].row != r.row {
			return fmt.Errorf("%s of row %d does not match the history", r.op, r.row)
		}
	default:
		return fmt.Errorf("unknown operation %d", r.op)
	}
	return nil
}

// apply performs a checked record.
func (c *Corrections) apply(r record) {
	switch r.op {
	case opSet:
		s := step{row: r.row, before: c.dec[r.row], after: entry{d: r.d, seq: c.ops, ns: r.ns}}
		c.put(s.row, s.after)
		c.undo = append(c.undo, s)
		c.redo = c.redo[:0]
	case opUndo:
		s := c.undo[len(c.undo)-1]
		c.undo = c.undo[:len(c.undo)-1]
		c.put(s.row, s.before)
		c.redo = append(c.redo, s)
	case opRedo:
		s := c.redo[len(c.redo)-1]
		c.redo = c.redo[:len(c.redo)-1]
		c.put(s.row, s.after)
		c.undo = append(c.undo, s)
	}
	c.ops++
}

// put makes e row's entry and keeps the counts.
func (c *Corrections) put(row int32, e entry) {
	c.count(c.dec[row].d.Kind, -1)
	c.count(e.d.Kind, 1)
	if e.d.Kind == Undecided {
		delete(c.dec, row)
	} else {
		c.dec[row] = e
	}
}

func (c *Corrections) count(k Kind, n int) {
	switch k {
	case Kept:
		c.counts.Kept += n
	case Relabelled:
		c.counts.Relabelled += n
	case Flagged:
		c.counts.Flagged += n
	default:
		return
	}
	c.counts.Reviewed += n
}

func (o op) String() string {
	switch o {
	case opSet:
		return "set"
	case opUndo:
		return "undo"
	case opRedo:
		return "redo"
	}
	return fmt.Sprintf("op %d", uint8(o))
}
