package compare

import (
	"cmp"
	"fmt"
	"slices"
)

// Mix is how the classes of a labelled dataset blend in a neighbour graph.
// Its sizes are O(C^2): at 100 classes Counts holds 10,000 values and Pairs
// 4,950.
type Mix struct {
	// C is the number of classes and K the neighbour slots per row.
	C, K int
	// Counts is C x C, row-major: Counts[a*C+b] is how many neighbour slots
	// of rows labelled a hold a row labelled b. It is directed: a row of
	// class a with a neighbour of class b adds to Counts[a][b] only. The
	// diagonal counts neighbours of the same class.
	Counts []int
	// Rows[a] is the number of rows labelled a.
	Rows []int
	// Slots[a] is the number of filled neighbour slots of rows labelled a,
	// the sum of row a of Counts: K*Rows[a] less the empty slots.
	Slots []int
	// Pairs holds every unordered pair of classes, most blended first:
	// by Score, then by AB+BA, both descending, then by (A, B) ascending.
	Pairs []Pair
}

// Pair is one unordered pair of classes in Mix.Pairs.
type Pair struct {
	// A < B are the two classes.
	A, B int
	// AB is Counts[A][B], the neighbour slots of A's rows that hold a B,
	// and BA is Counts[B][A].
	AB, BA int
	// Score is the blending score (AB+BA) / (Slots[A]+Slots[B]): the share
	// of the two classes' neighbour slots that point across to the other
	// class. It is symmetric, in [0, 1], and does not favour large classes
	// the way raw counts do; 0 when neither class has a filled slot.
	Score float64
}

// Count returns Counts[a][b]: the neighbour slots of class a's rows that hold
// a row of class b.
func (m *Mix) Count(a, b int) int { return m.Counts[a*m.C+b] }

// Share returns Count(a, b) / Slots[a], the fraction of class a's neighbours
// that carry label b (row-normalised, for heat colouring a matrix whose
// classes differ in size); 0 when class a has no filled slot.
func (m *Mix) Share(a, b int) float64 {
	if m.Slots[a] == 0 {
		return 0
	}
	return float64(m.Count(a, b)) / float64(m.Slots[a])
}

// Confusion counts, for every ordered pair of classes (a, b), how many of the
// neighbours of class a's rows carry label b. labels holds one label per row,
// each below nClasses; graph is N x k row-major (N = len(labels)), holding
// each row's neighbours, negative for an empty slot. It panics if the shapes
// disagree, a label is out of range or a neighbour index is not below N:
// those are programmer mistakes, since graph and labels come from the same
// dataset. It runs in O(N*k + C^2 log C) on the calling goroutine.
func Confusion(labels []uint8, graph []int32, k, nClasses int) *Mix {
	checkGraph(labels, graph, k)
	if nClasses < 1 {
		panic(fmt.Sprintf("compare: confusion needs at least one class, got %d", nClasses))
	}
	c := nClasses
	m := &Mix{C: c, K: k, Counts: make([]int, c*c), Rows: make([]int, c), Slots: make([]int, c)}
	for i, l := range labels {
		a := int(l)
		if a >= c {
			panic(fmt.Sprintf("compare: row %d has label %d, want < %d classes", i, a, c))
		}
		m.Rows[a]++
		row := m.Counts[a*c : (a+1)*c]
		for _, j := range graph[i*k : (i+1)*k] {
			if j < 0 {
				continue
			}
			b := int(labels[checkNeighbor(j, len(labels))])
			if b >= c {
				panic(fmt.Sprintf("compare: row %d has label %d, want < %d classes", j, b, c))
			}
			row[b]++
			m.Slots[a]++
		}
	}
	m.Pairs = make([]Pair, 0, c*(c-1)/2)
	for a := 0; a < c; a++ {
		for b := a + 1; b < c; b++ {
			p := Pair{A: a, B: b, AB: m.Count(a, b), BA: m.Count(b, a)}
			if s := m.Slots[a] + m.Slots[b]; s > 0 {
				p.Score = float64(p.AB+p.BA) / float64(s)
			}
			m.Pairs = append(m.Pairs, p)
		}
	}
	slices.SortFunc(m.Pairs, func(p, q Pair) int {
		return cmp.Or(
			cmp.Compare(q.Score, p.Score),
			cmp.Compare(q.AB+q.BA, p.AB+p.BA),
			cmp.Compare(p.A, q.A),
			cmp.Compare(p.B, q.B))
	})
	return m
}

// Boundary returns, ascending, the rows on the boundary between classes a and
// b: rows labelled a with a neighbour labelled b, and rows labelled b with a
// neighbour labelled a. A class has no boundary with itself: a == b gives
// nil. The arguments are as for Confusion, and it panics as Confusion does
// on a malformed graph.
func Boundary(labels []uint8, graph []int32, k, a, b int) []int32 {
	checkGraph(labels, graph, k)
	if a == b {
		return nil
	}
	var rows []int32
	for i, l := range labels {
		other := -1
		switch int(l) {
		case a:
			other = b
		case b:
			other = a
		default:
			continue
		}
		for _, j := range graph[i*k : (i+1)*k] {
			if j >= 0 && int(labels[checkNeighbor(j, len(labels))]) == other {
				rows = append(rows, int32(i))
				break
			}
		}
	}
	return rows
}

// OnBoundary sets dst[i] to whether row i lies on some class boundary: one of
// its neighbours carries another label (so it is in Boundary for some pair).
// It reuses dst when its capacity allows, grows it otherwise, and returns it
// with length N. The arguments are as for Confusion, and it panics as
// Confusion does on a malformed graph.
func OnBoundary(dst []bool, labels []uint8, graph []int32, k int) []bool {
	checkGraph(labels, graph, k)
	dst = slices.Grow(dst[:0], len(labels))[:len(labels)]
	for i, l := range labels {
		dst[i] = false
		for _, j := range graph[i*k : (i+1)*k] {
			if j >= 0 && labels[checkNeighbor(j, len(labels))] != l {
				dst[i] = true
				break
			}
		}
	}
	return dst
}

// checkGraph panics unless graph is len(labels) x k with k >= 1.
func checkGraph(labels []uint8, graph []int32, k int) {
	if k < 1 {
		panic(fmt.Sprintf("compare: neighbour graph needs k >= 1, got %d", k))
	}
	if len(graph) != len(labels)*k {
		panic(fmt.Sprintf("compare: neighbour graph has %d slots, want %d rows x k=%d", len(graph), len(labels), k))
	}
}

// checkNeighbor returns neighbour index j, panicking unless j < n.
func checkNeighbor(j int32, n int) int32 {
	if int(j) >= n {
		panic(fmt.Sprintf("compare: neighbour %d out of range for %d rows", j, n))
	}
	return j
}
