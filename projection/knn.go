package projection

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// KNNSettings configures NearestNeighbors. The zero value means the
// documented defaults.
type KNNSettings struct {
	// Method is "exact" (blocked brute force), "nndescent" (random-projection
	// forest + NN-descent), "forest" (random-projection forest +
	// neighbour-of-neighbour rounds, see RefineFan) or "" for automatic:
	// exact when N <= ExactBelow, else "forest" when k > ForestAbove and
	// "nndescent" otherwise.
	//
	// NN-descent's joins update both points of a pair, which makes the
	// most of each distance where distances are dear (UMAP's 14-NN on
	// 784-d pixels); its bookkeeping grows with k^2, and at t-SNE's 90-NN
	// on 100 PCA dimensions a forest and three rounds find 99.4% of the
	// exact neighbours in a sixth of its time (BENCHMARKS.md).
	Method string
	// ForestAbove is the largest k for which the automatic method is
	// NN-descent; zero means 32.
	ForestAbove int
	// ExactBelow is the largest N for which the automatic method is exact;
	// zero means 4096.
	ExactBelow int
	// Seed seeds every random choice (tree splits, candidate sampling).
	// Results depend only on Seed, the data and the settings: see
	// NearestNeighbors for what Workers may change.
	Seed uint64
	// Workers is the number of goroutines; zero means GOMAXPROCS (see the
	// package documentation for the bounds).
	Workers int

	// NTrees is the number of random-projection trees that seed the graph;
	// zero means min(32, 4+round(N^0.25/2)) (12 trees at N = 70,000) for
	// NN-descent and 8 for "forest"; a negative value means none (random
	// initial neighbours).
	NTrees int
	// LeafSize is the largest leaf of a random-projection tree; zero means
	// max(24, k+1).
	LeafSize int
	// MaxIters bounds the NN-descent iterations (the neighbour-of-neighbour
	// rounds for "forest"); zero means max(5, round(log2 N)) (3 rounds for
	// "forest"), and a negative value means none (the forest's graph as it
	// is).
	MaxIters int
	// RefineFan is how many of a point's nearest neighbours lend their
	// lists to it in a "forest" round; zero means 24 (on MNIST's 90-NN, 12
	// finds 97.8% of the exact neighbours, 24 finds 99.2%). The first
	// round computes up to RefineFan*k distances per point, later ones
	// only those of pairs not tried before.
	RefineFan int
	// MaxCandidates is the most new (and old) candidates per point joined
	// in one NN-descent iteration; zero means 40.
	MaxCandidates int
	// Delta stops NN-descent (or the rounds) early when an iteration
	// changes fewer than Delta*N*k graph entries; zero means 0.001,
	// negative means never.
	Delta float64
}

// withDefaults returns s with its zero fields set for n points and k
// neighbours: the automatic Method resolved, and every documented default.
// Negative NTrees and Delta keep their meaning (none, never).
func (s KNNSettings) withDefaults(n, k int) KNNSettings {
	s.Workers = workerCount(s.Workers)
	if s.ExactBelow <= 0 {
		s.ExactBelow = 4096
	}
	if s.ForestAbove <= 0 {
		s.ForestAbove = 32
	}
	if s.Method == "" {
		switch {
		case n <= s.ExactBelow:
			s.Method = "exact"
		case k > s.ForestAbove:
			s.Method = "forest"
		default:
			s.Method = "nndescent"
		}
	}
	forest := s.Method == "forest"
	if s.NTrees == 0 {
		s.NTrees = min(32, 4+int(math.Round(math.Pow(float64(n), 0.25)/2)))
		if forest {
			s.NTrees = 8
		}
	}
	if s.RefineFan <= 0 {
		s.RefineFan = 24
	}
	if s.LeafSize <= 0 {
		s.LeafSize = max(24, k+1)
	}
	if s.MaxIters == 0 {
		s.MaxIters = max(5, int(math.Round(math.Log2(float64(n)))))
		if forest {
			s.MaxIters = 3
		}
	}
	if s.MaxCandidates <= 0 {
		s.MaxCandidates = 40
	}
	if s.Delta == 0 {
		s.Delta = 0.001
	}
	return s
}

// NearestNeighbors returns the k nearest neighbours (Euclidean) of every row
// of m, excluding the row itself, by the method s.Method selects. Progress is
// reported on h with Stage "knn". Cancelling ctx stops the work between
// blocks of rows or iterations and returns ctx.Err().
//
// Reproducibility: both methods are deterministic for a given Seed and
// settings, and the result does not depend on Workers (1 and 8 workers give
// bit-identical graphs): work is cut into blocks whose boundaries do not
// depend on the number of workers, every random choice is a hash of (Seed,
// iteration, point), workers only read the graph while proposing updates,
// and updates are applied in one fixed order, each point's list by the
// worker that owns it. Workers = 1 runs the blocks one after another on one
// goroutine (gonum's Sgemm, used once to project high-dimensional data for
// the trees, may still use several; its result does not depend on how
// many).
//
// Distances are Euclidean, in float32. The exact search ranks through
// |x|^2+|y|^2-2x.y (relative error ~1e-5 for all but near-duplicates, which
// are recomputed directly); NN-descent and the forest compute differences
// directly, in gathered batches that prefetch their random rows (see
// sqDistGather). Where every value lies on a grid of at most 256 levels
// (pixels v/255) and D >= 64, NN-descent searches a byte copy of the rows
// instead, renumbered into the first random-projection tree's leaf order,
// with exact integer distances (see quantRows): the same neighbours and
// distances as the float32 rows up to rounding, at a quarter of the memory
// traffic (MNIST: 0.59x the CPU time of the float32 search at equal
// recall; BENCHMARKS.md, "UMAP's neighbour search (issue 15, session 4)").
// The copy (N*D bytes) is mapped outside the Go heap and released when the
// search ends.
//
// On MNIST (70,000 x 784, k = 14) UMAP's NN-descent finds 99.2% of the
// exact neighbours; on its 100 PCA dimensions, k = 90, the forest finds
// 99.4% in a sixth of NN-descent's CPU time (BENCHMARKS.md, "Faster
// neighbours").
func NearestNeighbors(ctx context.Context, m *Matrix, k int, s KNNSettings, h *Hooks) (*KNN, error) {
	if err := checkKNNArgs(m, k); err != nil {
		return nil, err
	}
	s = s.withDefaults(m.N, k)
	switch s.Method {
	case "exact":
		return exactKNN(ctx, m, k, s.Workers, h)
	case "nndescent", "forest":
		return nnDescent(ctx, m, k, s, h)
	}
	return nil, fmt.Errorf("projection: unknown kNN method %q", s.Method)
}

func checkKNNArgs(m *Matrix, k int) error {
	switch {
	case m == nil:
		return errors.New("projection: kNN of a nil matrix")
	case len(m.Data) != m.N*m.D:
		return fmt.Errorf("projection: matrix data has %d values, want %dx%d", len(m.Data), m.N, m.D)
	case k <= 0:
		return fmt.Errorf("projection: kNN needs k > 0, got %d", k)
	case k >= m.N:
		return fmt.Errorf("projection: kNN needs k < N, got k=%d, N=%d", k, m.N)
	case k > math.MaxInt32:
		return fmt.Errorf("projection: k=%d too large", k)
	}
	return nil
}

// KNNRecall returns the mean, over rows, of the fraction of a row's exact
// neighbours that the approximate graph also lists: |A_i ∩ E_i| / k with
// k = min(approx.K, exact.K), comparing the first k of each row. Both graphs
// must cover the same N points. Padding (-1) never counts as a match.
func KNNRecall(approx, exact *KNN) float64 {
	if approx.N != exact.N {
		panic(fmt.Sprintf("projection: KNNRecall of graphs over %d and %d points", approx.N, exact.N))
	}
	rows := make([]int, exact.N)
	for i := range rows {
		rows[i] = i
	}
	return KNNRecallRows(approx, exact, rows)
}

// KNNRecallRows is KNNRecall where exact holds neighbours for a subset of the
// points only: exact's row r belongs to point rows[r] of approx (as returned
// by ExactKNNRows).
func KNNRecallRows(approx, exact *KNN, rows []int) float64 {
	if exact.N != len(rows) {
		panic(fmt.Sprintf("projection: KNNRecallRows: %d exact rows for %d points", exact.N, len(rows)))
	}
	k := min(approx.K, exact.K)
	if k == 0 || len(rows) == 0 {
		return 0
	}
	var hits int
	for r, i := range rows {
		a, _ := approx.Neighbors(i)
		e, _ := exact.Neighbors(r)
		for _, x := range e[:k] {
			if x < 0 {
				continue
			}
			for _, y := range a[:k] {
				if x == y {
					hits++
					break
				}
			}
		}
	}
	return float64(hits) / float64(k*len(rows))
}

// knnHash mixes its arguments into 64 well-spread bits (splitmix64
// finaliser); it drives every random choice, so results do not depend on
// which goroutine makes them.
func knnHash(a, b, c uint64) uint64 {
	x := a*0x9e3779b97f4a7c15 ^ (b+0x632be59bd9b4e019)*0xbf58476d1ce4e5b9 ^ (c+0x8cb92ba72f3d8dd7)*0x94d049bb133111eb
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Bounded max-heaps of (distance, index) pairs stored in two parallel
// slices of length k: the root (slot 0) is the farthest neighbour kept.
// Pairs compare by distance, then index, so results never depend on the
// order in which equal distances arrive.

// heapDist is the type of the distances in a heap: float32, or float64
// where float32 squares could overflow (2-D layouts).
type heapDist interface{ ~float32 | ~float64 }

func pairLess[F heapDist](d1 F, i1 int32, d2 F, i2 int32) bool {
	return d1 < d2 || (d1 == d2 && i1 < i2)
}

// heapPush offers (j, d); it replaces the root if (d, j) is nearer. It does
// not check for duplicates.
func heapPush[F heapDist](idx []int32, dist []F, j int32, d F) bool {
	if !pairLess(d, j, dist[0], idx[0]) {
		return false
	}
	idx[0], dist[0] = j, d
	heapDown(idx, dist, nil, 0, len(idx))
	return true
}

// heapDown restores the max-heap below slot i among the first n slots,
// moving flags along if non-nil.
func heapDown[F heapDist](idx []int32, dist []F, flags []bool, i, n int) {
	for {
		c := 2*i + 1
		if c >= n {
			return
		}
		if c+1 < n && pairLess(dist[c], idx[c], dist[c+1], idx[c+1]) {
			c++
		}
		if !pairLess(dist[i], idx[i], dist[c], idx[c]) {
			return
		}
		idx[i], idx[c] = idx[c], idx[i]
		dist[i], dist[c] = dist[c], dist[i]
		if flags != nil {
			flags[i], flags[c] = flags[c], flags[i]
		}
		i = c
	}
}

// heapSortRows turns a heap into ascending order in place (flags may be nil).
func heapSortRows[F heapDist](idx []int32, dist []F, flags []bool) {
	for n := len(idx) - 1; n > 0; n-- {
		idx[0], idx[n] = idx[n], idx[0]
		dist[0], dist[n] = dist[n], dist[0]
		if flags != nil {
			flags[0], flags[n] = flags[n], flags[0]
		}
		heapDown(idx, dist, flags, 0, n)
	}
}

// heapify builds a max-heap from arbitrary rows.
func heapify[F heapDist](idx []int32, dist []F) {
	for i := len(idx)/2 - 1; i >= 0; i-- {
		heapDown(idx, dist, nil, i, len(idx))
	}
}

// knnCanceled reports ctx's error without blocking.
func knnCanceled(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	default:
		return nil
	}
}
