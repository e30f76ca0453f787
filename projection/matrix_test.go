package projection

import (
	"slices"
	"sync/atomic"
	"testing"
)

// countingSource is a Source whose row i holds i*d+c in column c; it
// counts the rows it is asked for.
type countingSource struct {
	n, d  int
	asked atomic.Int64
}

func (s *countingSource) Dims() (int, int) { return s.n, s.d }

func (s *countingSource) Rows(dst []float32, lo, hi int) {
	s.asked.Add(int64(hi - lo))
	for i := lo; i < hi; i++ {
		for c := 0; c < s.d; c++ {
			dst[(i-lo)*s.d+c] = float32(i*s.d + c)
		}
	}
}

// TestMaterializeConcurrent: every worker count reads each row once and
// gives Materialize's matrix, for row counts around the block size.
func TestMaterializeConcurrent(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 4097, 20000} {
		want := Materialize(&countingSource{n: n, d: 3})
		for _, workers := range []int{0, 1, 2, 3, 7} {
			src := &countingSource{n: n, d: 3}
			got := MaterializeConcurrent(src, workers)
			if got.N != n || got.D != 3 || !slices.Equal(got.Data, want.Data) || src.asked.Load() != int64(n) {
				t.Fatalf("n %d, %d workers: %dx%d, %d rows read, equal %v", n, workers, got.N, got.D, src.asked.Load(), slices.Equal(got.Data, want.Data))
			}
		}
		for i, v := range want.Data {
			if v != float32(i) {
				t.Fatalf("n %d: value %d is %v", n, i, v)
			}
		}
	}
}
