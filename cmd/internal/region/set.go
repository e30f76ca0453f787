package region

import (
	"fmt"
	"math/bits"
)

// Op says how new rows combine with a selection.
type Op uint8

const (
	// Replace makes the new rows the whole selection.
	Replace Op = iota
	// Add adds the new rows to the selection (union).
	Add
	// Remove takes the new rows out of the selection (difference).
	Remove
)

// apply combines one word of a selection with one word of new rows.
func (op Op) apply(old, new uint64) uint64 {
	switch op {
	case Replace:
		return new
	case Add:
		return old | new
	case Remove:
		return old &^ new
	}
	panic(fmt.Sprintf("region: unknown Op %d", op))
}

// Set is a selection over the rows [0, Len()) of a dataset: one bit per
// row and a count. The zero Set selects nothing over zero rows; NewSet
// makes one for N rows. A Set is not safe for concurrent use.
type Set struct {
	words []uint64
	n     int
	count int
}

// NewSet returns an empty selection over n rows.
func NewSet(n int) *Set {
	return &Set{words: make([]uint64, (n+63)/64), n: n}
}

// Len returns the number of rows the set is over.
func (s *Set) Len() int { return s.n }

// Count returns the number of selected rows.
func (s *Set) Count() int { return s.count }

// Contains reports whether row is selected; rows outside [0, Len()) are not.
func (s *Set) Contains(row int) bool {
	return row >= 0 && row < s.n && s.words[row>>6]&(1<<(row&63)) != 0
}

// SetRow selects row (on) or unselects it. It panics if row is outside
// [0, Len()).
func (s *Set) SetRow(row int, on bool) {
	if row < 0 || row >= s.n {
		panic(fmt.Sprintf("region: row %d outside a set of %d rows", row, s.n))
	}
	w, bit := &s.words[row>>6], uint64(1)<<(row&63)
	if had := *w&bit != 0; had != on {
		*w ^= bit
		if on {
			s.count++
		} else {
			s.count--
		}
	}
}

// Clear unselects every row.
func (s *Set) Clear() {
	clear(s.words)
	s.count = 0
}

// Apply combines src into s by op: Replace copies src, Add is the union,
// Remove the difference. It panics if the sets have different lengths.
func (s *Set) Apply(op Op, src *Set) {
	if src.n != s.n {
		panic(fmt.Sprintf("region: combining a set of %d rows with one of %d", src.n, s.n))
	}
	for i, w := range src.words {
		s.words[i] = op.apply(s.words[i], w)
	}
	s.recount()
}

func (s *Set) recount() {
	s.count = 0
	for _, w := range s.words {
		s.count += bits.OnesCount64(w)
	}
}

// Rows appends the selected rows in ascending order to dst[:0] and returns
// it; pass the previous result to reuse its storage.
func (s *Set) Rows(dst []int32) []int32 {
	dst = dst[:0]
	for i, w := range s.words {
		for w != 0 {
			dst = append(dst, int32(i<<6+bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
	return dst
}

// CountByLabel returns how many selected rows carry each label in
// [0, nClasses); labels[row] is row's label. Selected rows whose label is
// nClasses or more are not counted. It panics if len(labels) != Len().
func (s *Set) CountByLabel(labels []uint8, nClasses int) []int {
	if len(labels) != s.n {
		panic(fmt.Sprintf("region: %d labels for a set of %d rows", len(labels), s.n))
	}
	counts := make([]int, nClasses)
	for i, w := range s.words {
		for w != 0 {
			if l := int(labels[i<<6+bits.TrailingZeros64(w)]); l < nClasses {
				counts[l]++
			}
			w &= w - 1
		}
	}
	return counts
}

// Grow adds every neighbour of every selected row: graph holds k neighbour
// rows per row, row-major (Len() x k), as projection's kNN graph does.
// Neighbours of the rows selected on entry are added, not the neighbours of
// rows Grow adds (call it again to grow further). Entries outside
// [0, Len()), such as -1 for a missing neighbour, are skipped. It returns
// the number of rows added and panics if len(graph) != Len()*k.
func (s *Set) Grow(graph []int32, k int) int {
	if k < 0 || len(graph) != s.n*k {
		panic(fmt.Sprintf("region: neighbour graph of %d entries for %d rows x %d", len(graph), s.n, k))
	}
	before := s.count
	grown := append([]uint64(nil), s.words...)
	for i, w := range s.words {
		for w != 0 {
			row := i<<6 + bits.TrailingZeros64(w)
			for _, nb := range graph[row*k : (row+1)*k] {
				if nb >= 0 && int(nb) < s.n {
					grown[nb>>6] |= 1 << (nb & 63)
				}
			}
			w &= w - 1
		}
	}
	s.words = grown
	s.recount()
	return s.count - before
}
