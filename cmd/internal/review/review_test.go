package review

import (
	"errors"
	"maps"
	"slices"
	"testing"
	"time"
)

// dataset is 50 rows of labels 0..9 (row % 10), 10 classes.
func dataset() Dataset {
	l := make([]uint8, 50)
	for i := range l {
		l[i] = uint8(i % 10)
	}
	return Dataset{Hash: [32]byte{7, 1, 2}, Labels: l, Classes: 10}
}

// tick makes c's clock deterministic: operation k happens k seconds after
// a fixed start, in this process or another.
func tick(c *Corrections) *Corrections {
	c.Clock = func() time.Time { return time.Unix(1_700_000_000, 0).Add(time.Duration(c.ops) * time.Second) }
	return c
}

// scriptStep performs step i of a fixed script of decisions, undos and
// redos. Every step changes something, so step i is the journal's record i.
func scriptStep(c *Corrections, i int) error {
	u, r := c.History()
	switch m := i % 10; {
	case (m == 3 || m == 4 || m == 8) && u > 0:
		_, _, err := c.Undo()
		return err
	case (m == 5 || m == 9) && r > 0:
		_, _, err := c.Redo()
		return err
	}
	row := (i * 37) % c.Rows()
	relabel := Decision{Kind: Relabelled, Label: uint8((int(c.Original(row)) + 1 + i%9) % c.Classes())}
	for k := 0; ; k++ {
		d := []Decision{{Kind: Kept}, relabel, {Kind: Flagged}}[(i+k)%3]
		if c.Decision(row) != d {
			return c.Set(row, d)
		}
	}
}

// runScript performs steps from..to-1 of the script.
func runScript(t testing.TB, c *Corrections, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		if err := scriptStep(c, i); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
}

// sameState fails unless a and b hold the same decisions, times and
// history.
func sameState(t testing.TB, a, b *Corrections) {
	t.Helper()
	if !maps.Equal(a.dec, b.dec) || a.counts != b.counts || a.ops != b.ops ||
		!slices.Equal(a.undo, b.undo) || !slices.Equal(a.redo, b.redo) {
		t.Fatalf("states differ:\n%d decisions %+v, %d undo, %d redo, %d ops\n%d decisions %+v, %d undo, %d redo, %d ops",
			len(a.dec), a.counts, len(a.undo), len(a.redo), a.ops, len(b.dec), b.counts, len(b.undo), len(b.redo), b.ops)
	}
}

func TestDecisionsAndChanges(t *testing.T) {
	c := tick(New(dataset()))
	set := func(row int, d Decision) {
		t.Helper()
		if err := c.Set(row, d); err != nil {
			t.Fatal(err)
		}
	}
	set(3, Decision{Kind: Relabelled, Label: 5}) // op 0
	set(1, Decision{Kind: Flagged})              // op 1
	set(3, Decision{Kind: Kept})                 // op 2: revisit and change
	set(4, Decision{Kind: Relabelled, Label: 4}) // op 3: to its own label: a keep
	set(12, Decision{Kind: Relabelled, Label: 9})
	if got := c.Label(3); got != 3 {
		t.Errorf("kept row 3: label %d, want 3", got)
	}
	if got := c.Decision(4); got != (Decision{Kind: Kept}) {
		t.Errorf("relabel to its own label: %v, want keep", got)
	}
	if got, want := c.Counts(), (Counts{Reviewed: 4, Kept: 2, Relabelled: 1, Flagged: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	rows := func() (rs []int32) {
		for _, ch := range c.Changes() {
			rs = append(rs, ch.Row)
		}
		return rs
	}
	if got := rows(); !slices.Equal(got, []int32{1, 3, 4, 12}) {
		t.Errorf("changes in order of rows %v, want [1 3 4 12]", got)
	}
	// Undoing row 12 and row 4, then row 3's keep, brings back the relabel
	// with its first time and place.
	for range 3 {
		if _, ok, err := c.Undo(); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	ch := c.Changes()
	if len(ch) != 2 || ch[0].Row != 3 || ch[0].Decision != (Decision{Kind: Relabelled, Label: 5}) ||
		!ch[0].Time.Equal(time.Unix(1_700_000_000, 0)) || ch[0].Original != 3 || ch[1].Row != 1 {
		t.Errorf("after undo: %+v", ch)
	}
	labels := c.Labels(make([]uint8, 0, 64))
	want := slices.Clone(dataset().Labels)
	want[3] = 5
	if !slices.Equal(labels, want) || cap(labels) != 64 {
		t.Errorf("labels %v (cap %d), want %v in the given slice", labels, cap(labels), want)
	}
	if got := c.Flagged(); !slices.Equal(got, []int32{1}) {
		t.Errorf("flagged %v, want [1]", got)
	}
	if dataset().Labels[3] != 3 || c.Original(3) != 3 {
		t.Error("original labels changed")
	}
}

func TestSetRefuses(t *testing.T) {
	c := New(dataset())
	for _, tc := range []struct {
		row int
		d   Decision
	}{{-1, Decision{Kind: Kept}}, {50, Decision{Kind: Kept}}, {0, Decision{Kind: Relabelled, Label: 10}}, {0, Decision{Kind: 9}}} {
		if err := c.Set(tc.row, tc.d); err == nil {
			t.Errorf("Set(%d, %v) accepted", tc.row, tc.d)
		}
	}
	if err := c.Set(0, Decision{Kind: Relabelled, Label: 10}); !errors.Is(err, ErrClass) {
		t.Errorf("relabel to class 10 of 10: %v, want ErrClass", err)
	}
	if u, _ := c.History(); u != 0 || c.Counts().Reviewed != 0 {
		t.Error("a refused decision changed something")
	}
	// A decision equal to the current one records nothing.
	c.Set(2, Decision{Kind: Flagged})
	c.Set(2, Decision{Kind: Flagged})
	c.Set(3, Decision{Kind: Kept, Label: 7}) // the label of a keep is ignored
	c.Set(3, Decision{Kind: Kept})
	if u, _ := c.History(); u != 2 {
		t.Errorf("%d undo steps, want 2", u)
	}
	// Undecided clears, undoably.
	c.Set(2, Decision{})
	if c.Decision(2).Kind != Undecided || c.Counts().Flagged != 0 {
		t.Error("not cleared")
	}
	c.Undo()
	if c.Decision(2).Kind != Flagged {
		t.Error("clear not undone")
	}
}

func TestClassesDefault(t *testing.T) {
	c := New(Dataset{Labels: []uint8{0, 3, 1}})
	if c.Classes() != 4 {
		t.Errorf("classes %d, want 4", c.Classes())
	}
	if err := c.Set(0, Decision{Kind: Relabelled, Label: 4}); !errors.Is(err, ErrClass) {
		t.Errorf("relabel to 4: %v", err)
	}
}

func TestDecisionString(t *testing.T) {
	for d, want := range map[Decision]string{{}: "undecided", {Kind: Kept}: "keep", {Kind: Relabelled, Label: 3}: "relabel to 3", {Kind: Flagged}: "flag"} {
		if got := d.String(); got != want {
			t.Errorf("%#v: %q, want %q", d, got, want)
		}
	}
}
