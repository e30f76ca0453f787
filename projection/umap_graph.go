package projection

import (
	"math"
	"slices"
)

// Constants of umap-learn's smooth_knn_dist.
const (
	smoothKTolerance = 1e-5 // |sum - log2 k| at which the search for sigma stops
	minKDistScale    = 1e-3 // sigma is at least this times the mean neighbour distance
	smoothKIters     = 64   // most bisection steps per point
)

// umapNeighbors returns how many columns of g the fuzzy graph uses and the
// n_neighbors it stands for: umap-learn counts the point itself as its own
// nearest neighbour, so n_neighbors = 15 means 14 others.
func umapNeighbors(g *KNN, nNeighbors int) (cols, nn int) {
	cols = min(g.K, nNeighbors-1)
	return cols, cols + 1
}

// smoothKNNDist finds, for every point i, rho[i] (the distance to its
// nearest neighbour at a positive distance: local_connectivity 1) and
// sigma[i] such that sum_j exp(-(d_ij - rho_i)/sigma_i) over its cols
// neighbours equals log2(nn) within smoothKTolerance, by bisection as
// umap-learn's smooth_knn_dist, including its floor of minKDistScale times
// the mean neighbour distance (the point itself counted at distance 0).
// Rows are independent; they are split among workers.
func smoothKNNDist(g *KNN, cols, nn, workers int) (sigma, rho []float32) {
	n := g.N
	sigma = make([]float32, n)
	rho = make([]float32, n)
	target := math.Log2(float64(nn))

	// Mean of all distances, the point itself included as a zero column.
	var total float64
	var count int
	for i := 0; i < n; i++ {
		_, d := g.Neighbors(i)
		for _, x := range d[:cols] {
			if !math.IsInf(float64(x), 1) {
				total += float64(x)
			}
		}
		count += nn
	}
	meanAll := total / float64(max(count, 1))

	parallelRanges(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			idx, d := g.Neighbors(i)
			d = d[:cols]
			var r float32
			var sum float64
			for j, x := range d {
				if idx[j] < 0 {
					continue
				}
				sum += float64(x)
				if r == 0 && x > 0 {
					r = x
				}
			}
			rho[i] = r
			lo, hi, mid := 0.0, math.Inf(1), 1.0
			for it := 0; it < smoothKIters; it++ {
				var psum float64
				for j, x := range d {
					if idx[j] < 0 {
						continue
					}
					if dd := x - r; dd > 0 {
						psum += math.Exp(-float64(dd) / mid)
					} else {
						psum++
					}
				}
				if math.Abs(psum-target) < smoothKTolerance {
					break
				}
				if psum > target {
					hi = mid
					mid = (lo + hi) / 2
				} else {
					lo = mid
					if math.IsInf(hi, 1) {
						mid *= 2
					} else {
						mid = (lo + hi) / 2
					}
				}
			}
			s := float32(mid)
			if r > 0 {
				if floor := float32(minKDistScale * sum / float64(nn)); s < floor {
					s = floor
				}
			} else if floor := float32(minKDistScale * meanAll); s < floor {
				s = floor
			}
			sigma[i] = s
		}
	})
	return sigma, rho
}

// membershipStrengths returns the directed fuzzy graph: row i holds
// exp(-(d_ij - rho_i)/sigma_i) for each of its first cols neighbours j (1 at
// or below rho_i), as umap-learn's compute_membership_strengths, with zero
// weights dropped.
func membershipStrengths(g *KNN, cols int, sigma, rho []float32) *CSR {
	n := g.N
	a := &CSR{N: n, RowPtr: make([]int, n+1), Col: makeHuge[int32](n * cols)[:0], Val: makeHuge[float32](n * cols)[:0]}
	type entry struct {
		c int32
		v float32
	}
	row := make([]entry, 0, cols)
	for i := 0; i < n; i++ {
		idx, d := g.Neighbors(i)
		row = row[:0]
		for j, c := range idx[:cols] {
			if c < 0 || int(c) == i {
				continue
			}
			var v float32 = 1
			if dd := d[j] - rho[i]; dd > 0 && sigma[i] != 0 {
				v = float32(math.Exp(-float64(dd) / float64(sigma[i])))
			}
			if v != 0 {
				row = append(row, entry{c, v})
			}
		}
		slices.SortFunc(row, func(x, y entry) int { return int(x.c) - int(y.c) })
		for k, e := range row {
			if k > 0 && e.c == row[k-1].c { // a repeated neighbour: keep one
				continue
			}
			a.Col = append(a.Col, e.c)
			a.Val = append(a.Val, e.v)
		}
		a.RowPtr[i+1] = len(a.Col)
	}
	return a
}

// fuzzyUnion returns A + A^T - A∘A^T, umap-learn's fuzzy set union with
// set_op_mix_ratio 1.
func fuzzyUnion(a *CSR) *CSR {
	return a.Symmetrize(func(x, y float32) float32 { return x + y - x*y })
}

// pruneGraph drops the edges whose weight is below max/nEpochs, which
// umap-learn removes because they would never be sampled.
func pruneGraph(a *CSR, nEpochs int) *CSR {
	var wmax float32
	for _, v := range a.Val {
		wmax = max(wmax, v)
	}
	thr := wmax / float32(nEpochs)
	return a.Filter(func(_ int, _ int32, v float32) bool { return v >= thr })
}
