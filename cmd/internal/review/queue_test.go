package review

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The queue in these tests: rows 1, 3, 5, 7 (labels 1, 3, 5, 7) whose
// neighbours vote 7, 8, 5 (the row's own label) and 1.
var (
	queueRows    = []int32{1, 3, 5, 7}
	queueSuggest = []uint8{7, 8, 5, 1}
)

// state writes the queue's decisions as "k r7 f .": keep, relabel to 7,
// flag, undecided.
func state(q *Queue) string {
	s := make([]string, q.Len())
	for i := range s {
		switch d := q.Item(i).Decision; d.Kind {
		case Undecided:
			s[i] = "."
		case Kept:
			s[i] = "k"
		case Relabelled:
			s[i] = fmt.Sprintf("r%d", d.Label)
		case Flagged:
			s[i] = "f"
		}
	}
	return strings.Join(s, " ")
}

// do performs one step named as in the table: keep, accept, relabel N,
// flag, skip, next, prev, undo, redo, seek ROW, map ROW N (a relabel from
// outside the queue). A trailing "?" on undo and redo means there is
// nothing to undo or redo; a leading "!" means the step must fail.
func do(q *Queue, c *Corrections, step string) error {
	f := strings.Fields(strings.TrimPrefix(step, "!"))
	var n, m int
	if len(f) > 1 {
		fmt.Sscan(f[1], &n)
	}
	if len(f) > 2 {
		fmt.Sscan(f[2], &m)
	}
	switch f[0] {
	case "keep":
		return q.Keep()
	case "accept":
		return q.Accept()
	case "relabel":
		return q.Relabel(uint8(n))
	case "flag":
		return q.Flag()
	case "skip":
		q.Skip()
	case "next":
		q.Next()
	case "prev":
		q.Prev()
	case "seek":
		if !q.SeekRow(int32(n)) {
			return errors.New("not in the queue")
		}
	case "map":
		return c.Set(n, Decision{Kind: Relabelled, Label: uint8(m)})
	case "undo", "undo?", "redo", "redo?":
		op := q.Undo
		if f[0][:4] == "redo" {
			op = q.Redo
		}
		ok, err := op()
		if err == nil && ok == strings.HasSuffix(f[0], "?") {
			err = fmt.Errorf("ok = %v", ok)
		}
		return err
	default:
		panic("unknown step " + step)
	}
	return nil
}

func TestQueueTransitions(t *testing.T) {
	type pre struct {
		row int
		d   Decision
	}
	type step struct {
		do    string
		pos   int    // Pos after the step; 4 is done
		state string // decisions after the step
	}
	cases := []struct {
		name  string
		pre   []pre // decisions made before the queue is built
		start int
		steps []step
	}{
		{name: "keep moves on", steps: []step{{"keep", 1, "k . . ."}, {"keep", 2, "k k . ."}}},
		{name: "accept relabels to the suggestion", steps: []step{{"accept", 1, "r7 . . ."}}},
		{name: "accept of the row's own label keeps", steps: []step{{"seek 5", 2, ". . . ."}, {"accept", 3, ". . k ."}}},
		{name: "relabel", steps: []step{{"relabel 4", 1, "r4 . . ."}, {"relabel 3", 2, "r4 k . ."}}},
		{name: "relabel to a missing class", steps: []step{{"!relabel 10", 0, ". . . ."}}},
		{name: "flag", steps: []step{{"flag", 1, "f . . ."}}},
		{name: "done", steps: []step{
			{"keep", 1, "k . . ."}, {"flag", 2, "k f . ."}, {"accept", 3, "k f k ."}, {"relabel 0", 4, "k f k r0"},
			{"keep", 4, "k f k r0"}, {"accept", 4, "k f k r0"}, {"next", 4, "k f k r0"}, {"skip", 4, "k f k r0"},
			{"prev", 3, "k f k r0"}}},
		{name: "undo goes back to the item", steps: []step{
			{"keep", 1, "k . . ."}, {"flag", 2, "k f . ."}, {"next", 3, "k f . ."},
			{"undo", 1, "k . . ."}, {"undo", 0, ". . . ."}}},
		{name: "undo past the start does nothing", steps: []step{
			{"undo?", 0, ". . . ."}, {"keep", 1, "k . . ."}, {"undo", 0, ". . . ."}, {"undo?", 0, ". . . ."},
			{"next", 1, ". . . ."}, {"undo?", 1, ". . . ."}}},
		{name: "redo moves on as the decision did", steps: []step{
			{"keep", 1, "k . . ."}, {"flag", 2, "k f . ."}, {"undo", 1, "k . . ."}, {"undo", 0, ". . . ."},
			{"redo", 1, "k . . ."}, {"redo", 2, "k f . ."}, {"redo?", 2, "k f . ."}}},
		{name: "a decision after undo clears redo", steps: []step{
			{"keep", 1, "k . . ."}, {"undo", 0, ". . . ."}, {"relabel 3", 1, "r3 . . ."}, {"redo?", 1, "r3 . . ."},
			{"undo", 0, ". . . ."}, {"undo?", 0, ". . . ."}}},
		{name: "resume at the first undecided",
			pre:   []pre{{1, Decision{Kind: Kept}}, {3, Decision{Kind: Flagged}}, {0, Decision{Kind: Flagged}}, {7, Decision{Kind: Relabelled, Label: 2}}},
			start: 2,
			steps: []step{{"keep", 4, "k f k r2"}, {"undo", 2, "k f . r2"}, {"undo", 3, "k f . ."}, {"undo", 3, "k f . ."}, {"undo", 1, "k . . ."}}},
		{name: "resume when all are decided",
			pre:   []pre{{1, Decision{Kind: Kept}}, {3, Decision{Kind: Kept}}, {5, Decision{Kind: Kept}}, {7, Decision{Kind: Kept}}},
			start: 4,
			steps: []step{{"keep", 4, "k k k k"}, {"prev", 3, "k k k k"}, {"flag", 4, "k k k f"}}},
		{name: "revisit and change", steps: []step{
			{"keep", 1, "k . . ."}, {"keep", 2, "k k . ."}, {"prev", 1, "k k . ."}, {"prev", 0, "k k . ."},
			{"relabel 2", 2, "r2 k . ."}, {"undo", 0, "k k . ."}, {"redo", 2, "r2 k . ."},
			{"seek 3", 1, "r2 k . ."}, {"flag", 2, "r2 f . ."}, {"undo", 1, "r2 k . ."}, {"undo", 0, "k k . ."}}},
		{name: "skipped items come back", steps: []step{
			{"skip", 1, ". . . ."}, {"keep", 2, ". k . ."}, {"keep", 3, ". k k ."}, {"keep", 0, ". k k k"},
			{"skip", 0, ". k k k"}, {"keep", 4, "k k k k"}}},
		{name: "skip from a decided item", steps: []step{
			{"keep", 1, "k . . ."}, {"prev", 0, "k . . ."}, {"skip", 1, "k . . ."}}},
		{name: "next and prev", steps: []step{
			{"prev", 0, ". . . ."}, {"next", 1, ". . . ."}, {"next", 2, ". . . ."}, {"next", 3, ". . . ."},
			{"next", 4, ". . . ."}, {"next", 4, ". . . ."}, {"prev", 3, ". . . ."}, {"!seek 2", 3, ". . . ."}}},
		{name: "undo of a decision outside the queue stays", steps: []step{
			{"next", 1, ". . . ."}, {"map 0 5", 1, ". . . ."}, {"undo", 1, ". . . ."}, {"undo?", 1, ". . . ."}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := New(dataset())
			for _, p := range tc.pre {
				if err := c.Set(p.row, p.d); err != nil {
					t.Fatal(err)
				}
			}
			q, err := NewQueue(c, queueRows, queueSuggest)
			if err != nil {
				t.Fatal(err)
			}
			if q.Pos() != tc.start {
				t.Fatalf("starts at %d, want %d", q.Pos(), tc.start)
			}
			for i, s := range tc.steps {
				err := do(q, c, s.do)
				if fail := strings.HasPrefix(s.do, "!"); (err != nil) != fail {
					t.Fatalf("step %d %q: error %v", i, s.do, err)
				}
				if q.Pos() != s.pos || state(q) != s.state {
					t.Fatalf("step %d %q: at %d with %q, want %d with %q", i, s.do, q.Pos(), state(q), s.pos, s.state)
				}
				it, ok := q.Current()
				if ok != (s.pos < q.Len()) || ok && (it.Index != s.pos || it.Row != queueRows[s.pos]) {
					t.Fatalf("step %d %q: current %+v, %v", i, s.do, it, ok)
				}
			}
		})
	}
}

func TestQueueItemAndProgress(t *testing.T) {
	c := New(dataset())
	q, err := NewQueue(c, queueRows, queueSuggest)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Progress(); got != (Progress{0, 4}) {
		t.Errorf("progress %+v", got)
	}
	q.Accept()
	c.Set(0, Decision{Kind: Flagged}) // outside the queue: not counted
	if got := q.Progress(); got != (Progress{1, 4}) {
		t.Errorf("progress %+v, want 1 of 4", got)
	}
	want := Item{Index: 0, Row: 1, Original: 1, Suggested: 7, Decision: Decision{Kind: Relabelled, Label: 7}, Label: 7}
	if got := q.Item(0); got != want {
		t.Errorf("item %+v, want %+v", got, want)
	}
	c.Undo()
	q.Undo()
	if got := q.Progress(); got != (Progress{0, 4}) {
		t.Errorf("progress after undo %+v, want 0 of 4", got)
	}
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 2093: "2,093", 1234567: "1,234,567", 100000: "100,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := (Progress{214, 2093}).String(); got != "214 of 2,093 reviewed" {
		t.Errorf("progress reads %q", got)
	}
}

func TestNewQueueRefuses(t *testing.T) {
	c := New(dataset())
	for name, tc := range map[string]struct {
		rows    []int32
		suggest []uint8
	}{
		"unsorted":      {[]int32{3, 1}, []uint8{0, 0}},
		"duplicate":     {[]int32{3, 3}, []uint8{0, 0}},
		"out of range":  {[]int32{50}, []uint8{0}},
		"negative":      {[]int32{-1}, []uint8{0}},
		"short":         {[]int32{1, 2}, []uint8{0}},
		"missing class": {[]int32{1}, []uint8{10}},
	} {
		if _, err := NewQueue(c, tc.rows, tc.suggest); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	q, err := NewQueue(c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Current(); ok || q.Keep() != nil || q.Progress().String() != "0 of 0 reviewed" {
		t.Error("empty queue is not done")
	}
	q.Skip()
	q.Next()
	q.Prev()
	if q.Pos() != 0 {
		t.Errorf("empty queue at %d", q.Pos())
	}
}
