package main

import (
	"context"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

func TestJudge(t *testing.T) {
	labels := []uint8{0, 0, 0, 1, 1, 1}
	for _, tc := range []struct {
		row     int
		nb      []int32
		suspect bool
		same    int
		maj     uint8
	}{
		{2, []int32{3, 4}, true, 0, 1},         // a 0 among 1s
		{3, []int32{4, 0}, false, 1, 0},        // half agree: not suspicious (ties go to the label)
		{0, []int32{1, 2, 3}, false, 2, 1},     // most agree; the other label is 1
		{5, []int32{0, 1, -1, 99}, true, 0, 0}, // invalid entries are ignored
		{1, nil, false, 0, 0},                  // no neighbours: no verdict
	} {
		v := judge(labels, tc.row, tc.nb)
		if v.suspect != tc.suspect || v.same != tc.same || (v.k > 0 && v.majority != tc.maj) {
			t.Errorf("judge(row %d, %v) = %+v, want suspect %v same %d majority %d", tc.row, tc.nb, v, tc.suspect, tc.same, tc.maj)
		}
	}
}

func TestSuspectStepSkipsHiddenAndWraps(t *testing.T) {
	s := &suspects{rows: []int32{3, 7, 12}, at: -1}
	none := func(int) bool { return false }
	if r := s.step(-1, 1, none); r != 3 {
		t.Errorf("first step from nothing: %d, want 3", r)
	}
	if r := s.step(8, 1, none); r != 12 {
		t.Errorf("step after row 8: %d, want 12", r)
	}
	if r := s.step(12, 1, none); r != 3 {
		t.Errorf("step after the last: %d, want 3 (wraps)", r)
	}
	if r := s.step(3, -1, func(r int) bool { return r == 12 }); r != 7 {
		t.Errorf("step back from 3 skipping 12: %d, want 7", r)
	}
	if r := s.step(-1, 1, func(int) bool { return true }); r != -1 {
		t.Errorf("all hidden: %d, want -1", r)
	}
}

// The map's suspicious view and the inspector panel give the same verdict
// on every row: both judge the row on the neighbour graph with one rule.
func TestPanelAndSuspiciousViewAgree(t *testing.T) {
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	ds = ds.Head(2000)
	data := projection.Materialize(ds)
	// An approximate graph, as the app uses at full size (rougher here, so
	// that it differs from the click's exact neighbours on many rows).
	g, err := projection.NearestNeighbors(context.Background(), data, suspectK,
		projection.KNNSettings{Seed: 1, Method: "nndescent", NTrees: -1, MaxIters: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sus := newSuspects(ds.Labels, g.Index)
	if len(sus.rows) == 0 || len(sus.rows) > ds.Len()/3 {
		t.Fatalf("%d suspects among %d rows: the rule or the graph is off", len(sus.rows), ds.Len())
	}
	for row := 0; row < ds.Len(); row++ {
		// The panel as it reads before and after the click's exact query.
		for _, ok := range []bool{false, true} {
			var nb []int32
			var dist []float32
			if ok {
				nb, dist = projection.ExactQuery(data, data.Row(row), inspectK, row)
			}
			p := describeRow(ds, row, nb, dist, ok, sus)
			if (p.susp != "") != sus.is[row] {
				t.Fatalf("row %d: panel says %q, suspicious view says %v", row, p.susp, sus.is[row])
			}
		}
	}
}
