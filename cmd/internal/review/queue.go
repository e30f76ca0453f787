package review

import (
	"fmt"
	"slices"
	"strconv"
)

// Queue walks a list of rows to review, one current item at a time, over
// Corrections. A decision moves on to the next undecided item (forward,
// then from the start, so skipped items come back); once every item has a
// decision the queue is done. Items already decided can be revisited
// (Prev, Next, SeekRow) and changed. Undo goes back to the item it
// reverts; Redo re-applies and moves on as the decision did.
type Queue struct {
	c       *Corrections
	rows    []int32
	suggest []uint8
	pos     int // the current item; len(rows) when done

	counted  uint64 // c.ops when reviewed was counted; ^0 for never
	reviewed int
}

// Item is one row in the queue.
type Item struct {
	Index     int      // position in the queue
	Row       int32    // the dataset row
	Original  uint8    // the dataset's label
	Suggested uint8    // the label the row's neighbours vote for
	Decision  Decision // Undecided until the row is reviewed
	Label     uint8    // the current label: Original or the relabel
}

// Progress is how far a review is.
type Progress struct {
	Reviewed int // items with a decision
	Total    int // items in the queue
}

// String says "214 of 2,093 reviewed".
func (p Progress) String() string {
	return thousands(p.Reviewed) + " of " + thousands(p.Total) + " reviewed"
}

// NewQueue returns a queue over rows (ascending, distinct, rows of c) with
// the label suggested for each, at the first item without a decision (see
// Resume).
func NewQueue(c *Corrections, rows []int32, suggested []uint8) (*Queue, error) {
	if len(suggested) != len(rows) {
		return nil, fmt.Errorf("review: %d suggestions for %d rows", len(suggested), len(rows))
	}
	for i, r := range rows {
		if r < 0 || int(r) >= c.Rows() || i > 0 && r <= rows[i-1] {
			return nil, fmt.Errorf("review: queue row %d at %d: not ascending within %d rows", r, i, c.Rows())
		}
		if int(suggested[i]) >= c.Classes() {
			return nil, fmt.Errorf("%w: suggestion %d for row %d (%d classes)", ErrClass, suggested[i], r, c.Classes())
		}
	}
	q := &Queue{c: c, rows: rows, suggest: suggested, counted: ^uint64(0)}
	q.Resume()
	return q, nil
}

// Len is the number of items.
func (q *Queue) Len() int { return len(q.rows) }

// Pos is the current item's index; Len when the queue is done.
func (q *Queue) Pos() int { return q.pos }

// Item returns item i (0 <= i < Len).
func (q *Queue) Item(i int) Item {
	row := int(q.rows[i])
	return Item{Index: i, Row: q.rows[i], Original: q.c.Original(row), Suggested: q.suggest[i],
		Decision: q.c.Decision(row), Label: q.c.Label(row)}
}

// Current returns the item under review; ok is false when the queue is done.
func (q *Queue) Current() (it Item, ok bool) {
	if q.pos >= len(q.rows) {
		return Item{}, false
	}
	return q.Item(q.pos), true
}

// Keep confirms the current item's label and moves on. Keep, Accept,
// Relabel and Flag do nothing when the queue is done; on an error nothing
// changed and the queue stays where it is.
func (q *Queue) Keep() error { return q.decide(Decision{Kind: Kept}) }

// Accept relabels the current item to its suggested label and moves on.
func (q *Queue) Accept() error {
	if q.pos >= len(q.rows) {
		return nil
	}
	return q.decide(Decision{Kind: Relabelled, Label: q.suggest[q.pos]})
}

// Relabel gives the current item the label l and moves on; l must be a
// class of the dataset (ErrClass otherwise).
func (q *Queue) Relabel(l uint8) error { return q.decide(Decision{Kind: Relabelled, Label: l}) }

// Flag marks the current item unusable and moves on.
func (q *Queue) Flag() error { return q.decide(Decision{Kind: Flagged}) }

func (q *Queue) decide(d Decision) error {
	if q.pos >= len(q.rows) {
		return nil
	}
	if err := q.c.Set(int(q.rows[q.pos]), d); err != nil {
		return err
	}
	q.pos = q.nextUndecided(q.pos + 1)
	return nil
}

// Skip moves to the next undecided item without deciding, coming back to
// the start after the end; it stays when the current item is the only
// undecided one.
func (q *Queue) Skip() { q.pos = q.nextUndecided(q.pos + 1) }

// Next moves to the next item, decided or not; after the last the queue is
// done.
func (q *Queue) Next() { q.pos = min(q.pos+1, len(q.rows)) }

// Prev moves to the previous item, decided or not; from done to the last.
func (q *Queue) Prev() { q.pos = max(q.pos-1, 0) }

// SeekRow makes row's item current; false (and no move) if row is not in
// the queue.
func (q *Queue) SeekRow(row int32) bool {
	i, ok := slices.BinarySearch(q.rows, row)
	if ok {
		q.pos = i
	}
	return ok
}

// Resume moves to the first item without a decision, or done if there is
// none: where a review loaded from a journal continues.
func (q *Queue) Resume() { q.pos = q.nextUndecided(0) }

// Undo reverts the last decision (Corrections.Undo) and makes its item
// current; ok is false when there was nothing to undo. A reverted decision
// about a row outside the queue leaves the queue where it is.
func (q *Queue) Undo() (ok bool, err error) {
	row, ok, err := q.c.Undo()
	if ok {
		q.SeekRow(int32(row))
	}
	return ok, err
}

// Redo re-applies the last undone decision and moves on from its item as
// the decision did; ok is false when there was nothing to redo.
func (q *Queue) Redo() (ok bool, err error) {
	row, ok, err := q.c.Redo()
	if ok && q.SeekRow(int32(row)) {
		q.pos = q.nextUndecided(q.pos + 1)
	}
	return ok, err
}

// Progress counts the items with a decision. It costs O(Len) after a
// change and nothing otherwise.
func (q *Queue) Progress() Progress {
	if q.counted != q.c.ops {
		q.reviewed = 0
		for _, r := range q.rows {
			if q.c.Decision(int(r)).Kind != Undecided {
				q.reviewed++
			}
		}
		q.counted = q.c.ops
	}
	return Progress{Reviewed: q.reviewed, Total: len(q.rows)}
}

// nextUndecided is the first undecided item at from or after it, else
// from the start; len(rows) if every item is decided.
func (q *Queue) nextUndecided(from int) int {
	n := len(q.rows)
	if from >= n {
		from = 0
	}
	for k := range n {
		i := (from + k) % n
		if q.c.Decision(int(q.rows[i])).Kind == Undecided {
			return i
		}
	}
	return n
}

// thousands formats n with commas: 2093 -> "2,093".
func thousands(n int) string {
	s := strconv.Itoa(n)
	start := 1
	if n < 0 {
		start = 2
	}
	for i := len(s) - 3; i >= start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
