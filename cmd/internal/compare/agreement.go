package compare

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// DefaultK is the neighbourhood size that Agreement and LayoutNeighbors use
// when k is zero.
const DefaultK = 15

// Neighbour rule of LayoutNeighbors (and so of Agreement): a row's neighbours
// are the other rows ranked by squared Euclidean distance computed in float32
// as dx*dx + dy*dy, ties broken by the lower row index, nearest first. Before
// the search each layout is multiplied by a power of two that brings its
// largest finite |coordinate| into [0.5, 1): that is exact, so the ranking is
// the one computed on the raw coordinates whenever those neither overflow nor
// underflow float32, and it keeps layouts with coordinates near 1e30 or 1e-30
// working. A row with a non-finite coordinate (NaN or ±Inf) counts as
// infinitely far from everything: it has no neighbours and is nobody's
// neighbour.

// LayoutNeighbors returns the exact k nearest neighbours of every row of a
// 2-D layout (pos holds x0, y0, x1, y1, ...) by the rule above, as an N x k
// row-major graph, nearest first; slots that cannot be filled (rows with a
// non-finite coordinate, or every row when fewer than k+1 are finite) hold
// -1. k = 0 means DefaultK; it must be below N. It builds a k-d tree
// (projection.Layout2DKNN, up to GOMAXPROCS goroutines) and queries it on
// workers goroutines (0 means GOMAXPROCS); the result does not depend on
// workers or GOMAXPROCS.
func LayoutNeighbors(pos []float32, k, workers int) ([]int32, error) {
	n, k, err := checkLayout(pos, k)
	if err != nil {
		return nil, err
	}
	return layoutNeighbors(pos, n, k, workers), nil
}

func checkLayout(pos []float32, k int) (n, kk int, err error) {
	if len(pos)%2 != 0 {
		return 0, 0, fmt.Errorf("compare: 2-D layout has odd length %d", len(pos))
	}
	n = len(pos) / 2
	if k == 0 {
		k = DefaultK
	}
	if k < 0 || k >= n {
		return 0, 0, fmt.Errorf("compare: %d neighbours of %d rows: need 0 < k < N", k, n)
	}
	return n, k, nil
}

func layoutNeighbors(pos []float32, n, k, workers int) []int32 {
	out := make([]int32, n*k)
	for i := range out {
		out[i] = -1
	}
	// Keep the finite rows, scaled by a power of two (exact; see above).
	var finite []int32
	maxAbs := 0.0
	for i := range n {
		x, y := float64(pos[2*i]), float64(pos[2*i+1])
		if !math.IsInf(x, 0) && !math.IsNaN(x) && !math.IsInf(y, 0) && !math.IsNaN(y) {
			finite = append(finite, int32(i))
			maxAbs = max(maxAbs, math.Abs(x), math.Abs(y))
		}
	}
	if len(finite) < 2 {
		return out
	}
	scale := 1.0
	if maxAbs > 0 {
		_, e := math.Frexp(maxAbs)
		scale = math.Ldexp(1, -e)
	}
	buf := make([]float32, 2*len(finite))
	for r, i := range finite {
		buf[2*r] = float32(float64(pos[2*i]) * scale)
		buf[2*r+1] = float32(float64(pos[2*i+1]) * scale)
	}
	kk := min(k, len(finite)-1)
	g := projection.Layout2DKNN(buf, kk, projection.KNNSettings{Workers: workers})
	for r, i := range finite {
		dst := out[int(i)*k : int(i)*k+kk]
		for j, nb := range g.Index[r*kk : (r+1)*kk] {
			if nb >= 0 { // always, as the scaled distances are finite
				dst[j] = finite[nb]
			}
		}
	}
	return out
}

// NeighborAgreement writes into dst (reused when its capacity allows) the
// neighbourhood agreement of every row between two neighbour graphs over the
// same N rows, each N x k row-major with negative entries for empty slots:
// agreement[i] = |A(i) ∩ B(i)| / k, where A(i) and B(i) are the sets of row
// i's neighbours (a repeated entry counts once, empty slots never). It also
// returns the mean over all rows. It runs on workers goroutines (0 means
// GOMAXPROCS), each owning a contiguous block of rows; the result does not
// depend on workers. It fails if the graphs differ in size, k < 1, the size
// is not a multiple of k, or an entry is not below N.
func NeighborAgreement(dst []float32, na, nb []int32, k, workers int) ([]float32, float64, error) {
	switch {
	case k < 1:
		return nil, 0, fmt.Errorf("compare: agreement needs k >= 1, got %d", k)
	case len(na) != len(nb):
		return nil, 0, fmt.Errorf("compare: neighbour graphs of %d and %d slots", len(na), len(nb))
	case len(na)%k != 0:
		return nil, 0, fmt.Errorf("compare: neighbour graph of %d slots is not N x k=%d", len(na), k)
	}
	n := len(na) / k
	for _, g := range [][]int32{na, nb} {
		for _, j := range g {
			if int(j) >= n {
				return nil, 0, fmt.Errorf("compare: neighbour %d out of range for %d rows", j, n)
			}
		}
	}
	dst = slices.Grow(dst[:0], n)[:n]
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	totals := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*n/workers, (w+1)*n/workers
			ra, rb := make([]int32, k), make([]int32, k)
			for i := lo; i < hi; i++ {
				c := common(ra, rb, na[i*k:(i+1)*k], nb[i*k:(i+1)*k])
				dst[i] = float32(c) / float32(k)
				totals[w] += c
			}
		})
	}
	wg.Wait()
	total := 0
	for _, t := range totals {
		total += t
	}
	if n == 0 {
		return dst, 0, nil
	}
	return dst, float64(total) / (float64(n) * float64(k)), nil
}

// common returns how many distinct non-negative values a and b share, using
// ra and rb (len k) as scratch.
func common(ra, rb, a, b []int32) int {
	copy(ra, a)
	copy(rb, b)
	slices.Sort(ra)
	slices.Sort(rb)
	c := 0
	for i, j := 0, 0; i < len(ra) && j < len(rb); {
		switch {
		case ra[i] < rb[j]:
			i++
		case ra[i] > rb[j]:
			j++
		default:
			v := ra[i]
			if v >= 0 {
				c++
			}
			for i < len(ra) && ra[i] == v {
				i++
			}
			for j < len(rb) && rb[j] == v {
				j++
			}
		}
	}
	return c
}

// Agreement returns the neighbourhood agreement of every row between two 2-D
// layouts of the same rows (a and b hold x0, y0, x1, y1, ...):
// |kNN_A(i) ∩ kNN_B(i)| / k, with exact neighbours found in each layout by
// LayoutNeighbors' rule, and its mean over all rows. 1 means row i has the
// same k neighbours in both layouts; two unrelated layouts give about
// k/(N-1) on average. A row with a non-finite coordinate in either layout
// scores 0. k = 0 means DefaultK; it must be below N. workers is as for
// LayoutNeighbors, and the result does not depend on it.
//
// To compare one layout with several, compute each layout's graph once with
// LayoutNeighbors and call NeighborAgreement.
func Agreement(a, b []float32, k, workers int) ([]float32, float64, error) {
	if len(a) != len(b) {
		return nil, 0, fmt.Errorf("compare: layouts of %d and %d values", len(a), len(b))
	}
	n, k, err := checkLayout(a, k)
	if err != nil {
		return nil, 0, err
	}
	na := layoutNeighbors(a, n, k, workers)
	nb := layoutNeighbors(b, n, k, workers)
	return NeighborAgreement(nil, na, nb, k, workers)
}

// MostDifferent returns the n rows whose neighbourhoods differ most: the
// lowest agreement first, ties by ascending row, NaN before any number. n is
// clipped to [0, len(agreement)].
func MostDifferent(agreement []float32, n int) []int32 {
	n = max(0, min(n, len(agreement)))
	rows := make([]int32, len(agreement))
	for i := range rows {
		rows[i] = int32(i)
	}
	slices.SortFunc(rows, func(i, j int32) int {
		return cmp.Or(cmp.Compare(agreement[i], agreement[j]), cmp.Compare(i, j))
	})
	return slices.Clip(rows[:n])
}
