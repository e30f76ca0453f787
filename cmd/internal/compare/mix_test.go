package compare

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestConfusionHand checks a five-row graph counted by hand.
func TestConfusionHand(t *testing.T) {
	labels := []uint8{0, 0, 1, 1, 2}
	graph := []int32{
		1, 2, // row 0 (class 0): classes 0, 1
		0, -1, // row 1 (class 0): class 0, empty
		3, 0, // row 2 (class 1): classes 1, 0
		2, 4, // row 3 (class 1): classes 1, 2
		-1, -1, // row 4 (class 2): nothing
	}
	m := Confusion(labels, graph, 2, 3)
	wantCounts := []int{
		2, 1, 0,
		1, 2, 1,
		0, 0, 0,
	}
	if !slices.Equal(m.Counts, wantCounts) {
		t.Errorf("Counts = %v, want %v", m.Counts, wantCounts)
	}
	if want := []int{2, 2, 1}; !slices.Equal(m.Rows, want) {
		t.Errorf("Rows = %v, want %v", m.Rows, want)
	}
	if want := []int{3, 4, 0}; !slices.Equal(m.Slots, want) {
		t.Errorf("Slots = %v, want %v", m.Slots, want)
	}
	wantPairs := []Pair{
		{A: 0, B: 1, AB: 1, BA: 1, Score: 2.0 / 7},
		{A: 1, B: 2, AB: 1, BA: 0, Score: 1.0 / 4},
		{A: 0, B: 2, AB: 0, BA: 0, Score: 0},
	}
	if !slices.Equal(m.Pairs, wantPairs) {
		t.Errorf("Pairs = %v, want %v", m.Pairs, wantPairs)
	}
	if got := m.Share(1, 0); got != 0.25 {
		t.Errorf("Share(1, 0) = %v, want 0.25", got)
	}
	if got := m.Share(2, 0); got != 0 {
		t.Errorf("Share(2, 0) of a class with no slots = %v, want 0", got)
	}
	for _, c := range []struct {
		a, b int
		want []int32
	}{{0, 1, []int32{0, 2}}, {1, 0, []int32{0, 2}}, {1, 2, []int32{3}}, {0, 2, nil}, {1, 1, nil}} {
		if got := Boundary(labels, graph, 2, c.a, c.b); !slices.Equal(got, c.want) {
			t.Errorf("Boundary(%d, %d) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if got, want := OnBoundary(nil, labels, graph, 2), []bool{true, false, true, true, false}; !slices.Equal(got, want) {
		t.Errorf("OnBoundary = %v, want %v", got, want)
	}
}

// randomGraph returns n labels below c and an n x k graph of random rows
// (self included sometimes), about a sixth of its slots empty (-1).
func randomGraph(rng *rand.Rand, n, k, c int) ([]uint8, []int32) {
	labels := make([]uint8, n)
	for i := range labels {
		// Skewed class sizes, and class c-1 left empty.
		labels[i] = uint8(min(rng.IntN(c-1), rng.IntN(c-1)))
	}
	graph := make([]int32, n*k)
	for i := range graph {
		graph[i] = int32(rng.IntN(n))
		if rng.IntN(6) == 0 {
			graph[i] = -1
		}
	}
	return labels, graph
}

// TestConfusionBruteForce compares the counts, the ranking, the boundary
// sets and the boundary test with direct counts on random graphs.
func TestConfusionBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	for trial := range 5 {
		n, k, c := 200+50*trial, 1+2*trial, 3+trial
		labels, graph := randomGraph(rng, n, k, c)
		m := Confusion(labels, graph, k, c)

		slots := make([]int, c)
		for a := range c {
			rows := 0
			for i := range n {
				if int(labels[i]) == a {
					rows++
				}
			}
			if m.Rows[a] != rows {
				t.Errorf("trial %d: Rows[%d] = %d, want %d", trial, a, m.Rows[a], rows)
			}
			for b := range c {
				count := 0
				for i := range n {
					for s := range k {
						if j := graph[i*k+s]; int(labels[i]) == a && j != -1 && int(labels[j]) == b {
							count++
						}
					}
				}
				slots[a] += count
				if m.Count(a, b) != count {
					t.Errorf("trial %d: Count(%d, %d) = %d, want %d", trial, a, b, m.Count(a, b), count)
				}
			}
		}
		if !slices.Equal(m.Slots, slots) {
			t.Errorf("trial %d: Slots = %v, want %v", trial, m.Slots, slots)
		}

		var pairs []Pair
		for a := range c {
			for b := a + 1; b < c; b++ {
				p := Pair{A: a, B: b, AB: m.Count(a, b), BA: m.Count(b, a)}
				if slots[a]+slots[b] > 0 {
					p.Score = float64(p.AB+p.BA) / float64(slots[a]+slots[b])
				}
				pairs = append(pairs, p)
			}
		}
		sort.SliceStable(pairs, func(i, j int) bool { // stable keeps (A, B) order
			p, q := pairs[i], pairs[j]
			if p.Score != q.Score {
				return p.Score > q.Score
			}
			return p.AB+p.BA > q.AB+q.BA
		})
		if !slices.Equal(m.Pairs, pairs) {
			t.Errorf("trial %d: Pairs = %v, want %v", trial, m.Pairs, pairs)
		}

		onSome := make([]bool, n)
		for a := range c {
			for b := range c {
				var want []int32
				for i := range n {
					la := int(labels[i])
					for s := range k {
						j := graph[i*k+s]
						if a != b && j != -1 && (la == a && int(labels[j]) == b || la == b && int(labels[j]) == a) {
							want = append(want, int32(i))
							onSome[i] = true
							break
						}
					}
				}
				if got := Boundary(labels, graph, k, a, b); !slices.Equal(got, want) {
					t.Errorf("trial %d: Boundary(%d, %d) = %v, want %v", trial, a, b, got, want)
				}
			}
		}
		dst := make([]bool, 3, n+10) // reused: capacity is enough
		got := OnBoundary(dst, labels, graph, k)
		if !slices.Equal(got, onSome) {
			t.Errorf("trial %d: OnBoundary disagrees with the union of Boundary sets", trial)
		}
		if &got[0] != &dst[:1][0] {
			t.Errorf("trial %d: OnBoundary did not reuse dst", trial)
		}
	}
}

// TestConfusionPanics checks that malformed graphs are refused with a panic
// rather than miscounted.
func TestConfusionPanics(t *testing.T) {
	labels := []uint8{0, 1, 1}
	for name, f := range map[string]func(){
		"short graph":    func() { Confusion(labels, []int32{1, 2}, 1, 2) },
		"k zero":         func() { Confusion(labels, nil, 0, 2) },
		"no classes":     func() { Confusion(labels, []int32{1, 2, 0}, 1, 0) },
		"label too big":  func() { Confusion(labels, []int32{1, 2, 0}, 1, 1) },
		"neighbour ≥ N":  func() { Confusion(labels, []int32{1, 3, 0}, 1, 2) },
		"boundary ≥ N":   func() { Boundary(labels, []int32{1, 3, 0}, 1, 0, 1) },
		"on boundary ≥N": func() { OnBoundary(nil, labels, []int32{1, 3, 0}, 1) },
		"boundary shape": func() { Boundary(labels, []int32{1}, 1, 0, 1) },
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
