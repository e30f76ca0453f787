package region

import (
	"slices"
	"testing"
)

// setOf returns a set over n rows holding rows.
func setOf(n int, rows ...int) *Set {
	s := NewSet(n)
	for _, r := range rows {
		s.SetRow(r, true)
	}
	return s
}

func TestSetOps(t *testing.T) {
	const n = 130 // three words, the last one partial
	for _, c := range []struct {
		name      string
		have, src []int
		op        Op
		want      []int32
	}{
		{"replace", []int{1, 2, 64}, []int{3, 129}, Replace, []int32{3, 129}},
		{"replace with nothing", []int{1, 2}, nil, Replace, nil},
		{"add", []int{1, 2, 64}, []int{2, 3, 129}, Add, []int32{1, 2, 3, 64, 129}},
		{"add to nothing", nil, []int{0, 63, 64}, Add, []int32{0, 63, 64}},
		{"remove", []int{1, 2, 64, 128}, []int{2, 3, 128}, Remove, []int32{1, 64}},
		{"remove everything", []int{5, 70}, []int{5, 70, 71}, Remove, nil},
	} {
		s := setOf(n, c.have...)
		s.Apply(c.op, setOf(n, c.src...))
		got := s.Rows(nil)
		if !slices.Equal(got, c.want) || s.Count() != len(c.want) {
			t.Errorf("%s: rows %v (count %d), want %v", c.name, got, s.Count(), c.want)
		}
		for r := -1; r <= n; r++ {
			if s.Contains(r) != slices.Contains(c.want, int32(r)) {
				t.Errorf("%s: Contains(%d) = %v", c.name, r, s.Contains(r))
			}
		}
	}

	s := setOf(n, 0, 5, 129)
	s.SetRow(5, true) // again: no double count
	s.SetRow(6, false)
	if s.Count() != 3 {
		t.Errorf("count %d after repeated SetRow, want 3", s.Count())
	}
	s.SetRow(5, false)
	if got := s.Rows(make([]int32, 7)); !slices.Equal(got, []int32{0, 129}) || s.Count() != 2 {
		t.Errorf("after unselecting 5: rows %v, count %d", got, s.Count())
	}
	s.Clear()
	if s.Count() != 0 || len(s.Rows(nil)) != 0 || s.Len() != n {
		t.Errorf("after Clear: count %d, rows %v, len %d", s.Count(), s.Rows(nil), s.Len())
	}
}

func TestSetPanicsOnMisuse(t *testing.T) {
	for name, f := range map[string]func(){
		"row out of range":  func() { NewSet(10).SetRow(10, true) },
		"negative row":      func() { NewSet(10).SetRow(-1, true) },
		"different lengths": func() { NewSet(10).Apply(Add, NewSet(11)) },
		"short layout":      func() { Select(NewSet(10), make([]float32, 18), Box{0, 0, 1, 1}, Replace) },
		"short labels":      func() { NewSet(10).CountByLabel(make([]uint8, 9), 10) },
		"short graph":       func() { NewSet(10).Grow(make([]int32, 29), 3) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestCountByLabel(t *testing.T) {
	labels := []uint8{0, 1, 1, 2, 9, 1, 0, 3}
	s := setOf(len(labels), 1, 2, 3, 4, 7)
	if got, want := s.CountByLabel(labels, 4), []int{0, 2, 1, 1}; !slices.Equal(got, want) {
		t.Errorf("counts %v, want %v (label 9 is beyond 4 classes)", got, want)
	}
}

func TestGrow(t *testing.T) {
	// Row r's neighbours (k = 2); -1 and 99 are missing/invalid entries.
	graph := []int32{
		1, 2, // 0
		0, 3, // 1
		4, -1, // 2
		5, 99, // 3
		0, 0, // 4
		6, 6, // 5
		5, 5, // 6
	}
	s := setOf(7, 0)
	if added := s.Grow(graph, 2); added != 2 || !slices.Equal(s.Rows(nil), []int32{0, 1, 2}) {
		t.Fatalf("first step added %d: %v, want 2: [0 1 2]", added, s.Rows(nil))
	}
	// One step only: 1's neighbour 3 and 2's neighbour 4 join, not 3's neighbour 5.
	if added := s.Grow(graph, 2); added != 2 || !slices.Equal(s.Rows(nil), []int32{0, 1, 2, 3, 4}) {
		t.Fatalf("second step added %d: %v, want 2: [0 1 2 3 4]", added, s.Rows(nil))
	}
	if added := s.Grow(graph, 2); added != 1 || s.Count() != 6 || !s.Contains(5) {
		t.Fatalf("third step added %d: %v", added, s.Rows(nil))
	}
	empty := NewSet(7)
	if added := empty.Grow(graph, 2); added != 0 || empty.Count() != 0 {
		t.Errorf("an empty selection grew by %d", added)
	}
}
