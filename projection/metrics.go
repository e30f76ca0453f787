package projection

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Layout quality metrics. All three compare a 2-D layout with the data it
// was computed from; higher is better and 1 is perfect.

// MetricSettings configures EvaluateLayout. The zero value means the
// documented defaults.
type MetricSettings struct {
	// SampleSize is the number of points Trust15 and Recall15 are computed
	// on; zero means 5000 (all points when N is smaller).
	SampleSize int
	// Seed selects the sample (see MetricSample).
	Seed uint64
	// Workers is the number of goroutines; zero means GOMAXPROCS (see the
	// package documentation for the bounds). No score depends on it.
	Workers int
	// Exact optionally holds ExactKNNRows(data, MetricSample(N, s), k>=15):
	// the high-dimensional neighbours of the sample, which depend only on
	// the data and the sample. Passing it skips the brute-force pass (the
	// bulk of the cost: ~20 s for 5,000 x 70,000 x 784 on two cores) when
	// several layouts of one data set are evaluated.
	Exact *KNN
}

// Metrics are layout quality scores, each in [0, 1].
type Metrics struct {
	// KNNAcc10 is the leave-one-out 10-NN classification accuracy in the
	// layout over all points (see KNNAccuracy).
	KNNAcc10 float64
	// Trust15 is the trustworthiness with k = 15 of the sample's layout
	// against the sample's data (see Trustworthiness).
	Trust15 float64
	// Recall15 is the mean overlap of each sampled point's 15 nearest
	// neighbours among all N points in the data and in the layout (see
	// NeighborRecall).
	Recall15 float64
}

// withDefaults returns s with its zero fields set.
func (s MetricSettings) withDefaults() MetricSettings {
	if s.SampleSize <= 0 {
		s.SampleSize = 5000
	}
	s.Workers = workerCount(s.Workers)
	return s
}

// MetricSample returns the sorted indices of the random sample of
// min(s.SampleSize, n) points (default 5000) that EvaluateLayout uses,
// drawn from s.Seed.
func MetricSample(n int, s MetricSettings) []int {
	size := s.withDefaults().SampleSize
	if size >= n {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return all
	}
	rng := rand.New(rand.NewPCG(s.Seed, 0x5a3f1e))
	sample := rng.Perm(n)[:size]
	slices.Sort(sample)
	return sample
}

// EvaluateLayout scores layout (N x 2, interleaved) against data (N x D)
// and labels (len N; nil skips KNNAcc10, leaving it 0). A layout with a
// non-finite coordinate is an error. Cancelling ctx returns ctx.Err()
// between stages and blocks of the brute-force pass.
func EvaluateLayout(ctx context.Context, data *Matrix, labels []uint8, layout []float32, s MetricSettings) (Metrics, error) {
	const kAcc, kTrust, kRecall = 10, 15, 15
	var res Metrics
	switch {
	case data == nil || len(data.Data) != data.N*data.D:
		return res, fmt.Errorf("projection: EvaluateLayout: bad data matrix")
	case len(layout) != 2*data.N:
		return res, fmt.Errorf("projection: EvaluateLayout: layout has %d values for %d points", len(layout), data.N)
	case labels != nil && len(labels) != data.N:
		return res, fmt.Errorf("projection: EvaluateLayout: %d labels for %d points", len(labels), data.N)
	case data.N <= 2*kTrust+1:
		return res, fmt.Errorf("projection: EvaluateLayout needs more than %d points, got %d", 2*kTrust+1, data.N)
	}
	if i := nonFinite(layout); i >= 0 {
		return res, fmt.Errorf("projection: EvaluateLayout: layout row %d is not finite (%v, %v)", i/2, layout[i&^1], layout[i|1])
	}
	s = s.withDefaults()
	workers := s.Workers
	tree := newLayoutTree(layout)
	if labels != nil {
		all := make([]int, data.N)
		for i := range all {
			all[i] = i
		}
		res.KNNAcc10 = voteAccuracy(layoutKNNRows(tree, layout, all, kAcc, workers), labels)
	}
	if err := knnCanceled(ctx); err != nil {
		return res, err
	}

	sample := MetricSample(data.N, s)
	if len(sample) > 2*kTrust+1 {
		x := NewMatrix(len(sample), data.D)
		y := make([]float32, 2*len(sample))
		for r, i := range sample {
			copy(x.Row(r), data.Row(i))
			y[2*r], y[2*r+1] = layout[2*i], layout[2*i+1]
		}
		t, err := trustworthiness(ctx, x, y, kTrust, workers)
		if err != nil {
			return res, err
		}
		res.Trust15 = t
	}

	exact := s.Exact
	if exact == nil || exact.N != len(sample) || exact.K < kRecall {
		var err error
		if exact, err = ExactKNNRows(ctx, data, sample, kRecall, KNNSettings{Workers: workers}); err != nil {
			return res, err
		}
	}
	res.Recall15 = layoutRecall(exact, tree, layout, sample, kRecall, workers)
	return res, nil
}

// KNNAccuracy returns the leave-one-out k-nearest-neighbour classification
// accuracy of a 2-D layout (pos interleaved x, y; labels len N): the
// fraction of points whose label wins the vote among their k nearest
// other points. A tie between classes goes to the tied class with the
// nearest member. Of s only Workers is used. It panics on mismatched
// lengths or k outside [1, N).
func KNNAccuracy(pos []float32, labels []uint8, k int, s MetricSettings) float64 {
	if len(labels)*2 != len(pos) {
		panic(fmt.Sprintf("projection: KNNAccuracy: %d labels for %d coordinates", len(labels), len(pos)))
	}
	return voteAccuracy(Layout2DKNN(pos, k, KNNSettings{Workers: s.Workers}), labels)
}

// voteAccuracy is the fraction of rows of g (rows sorted nearest first)
// whose majority label equals their own.
func voteAccuracy(g *KNN, labels []uint8) float64 {
	if g.N == 0 {
		return 0
	}
	correct := 0
	var count [256]int32
	for i := range g.N {
		idx, _ := g.Neighbors(i)
		best, bestCount := -1, int32(0)
		for _, j := range idx {
			if j >= 0 {
				count[labels[j]]++
			}
		}
		// Scanning nearest first, a class only replaces the leader with
		// strictly more votes: ties go to the class met first.
		for _, j := range idx {
			if j < 0 {
				continue
			}
			if c := count[labels[j]]; c > bestCount {
				best, bestCount = int(labels[j]), c
			}
		}
		for _, j := range idx {
			if j >= 0 {
				count[labels[j]] = 0
			}
		}
		if best == int(labels[i]) {
			correct++
		}
	}
	return float64(correct) / float64(g.N)
}

// Trustworthiness returns the trustworthiness (Venna & Kaski) of the 2-D
// layout y (interleaved, len 2N) of the rows of x with k neighbours, as
// sklearn.manifold.trustworthiness computes it:
//
//	T = 1 - 2/(N k (2N - 3k - 1)) * sum_i sum_{j in U_i} (r(i,j) - k)
//
// where U_i are the k nearest layout neighbours of i that are not among its
// k nearest in x, and r(i,j) is j's rank (1 = nearest) among i's neighbours
// in x, ties broken by index. It costs N^2 D (brute force in x), so use a
// sample of a few thousand rows. Of s only Workers is used. It panics
// unless len(y) = 2N and 0 < k < N/2.
func Trustworthiness(x *Matrix, y []float32, k int, s MetricSettings) float64 {
	t, _ := trustworthiness(context.Background(), x, y, k, s.withDefaults().Workers)
	return t
}

// trustworthiness is Trustworthiness on workers goroutines, cancellable.
func trustworthiness(ctx context.Context, x *Matrix, y []float32, k int, workers int) (float64, error) {
	n := x.N
	if len(y) != 2*n {
		panic(fmt.Sprintf("projection: Trustworthiness: layout has %d values for %d rows", len(y), n))
	}
	if k <= 0 || 2*k >= n {
		panic(fmt.Sprintf("projection: Trustworthiness needs 0 < k < N/2, got k=%d, N=%d", k, n))
	}
	emb := Layout2DKNN(y, k, KNNSettings{Workers: workers})
	norms := rowSqNorms(x, workers)
	const block = 32
	nblocks := (n + block - 1) / block
	penalty := make([]float64, nblocks)
	parallelRanges(nblocks, workers, func(_, b0, b1 int) {
		dist := make([]float32, block*n)
		th := make([]float32, k)
		ti := make([]int32, k)
		rank := make([]int, k)
		for b := b0; b < b1; b++ {
			if knnCanceled(ctx) != nil {
				return
			}
			lo, hi := b*block, min((b+1)*block, n)
			sqDistBlock(dist, x, norms, x, norms, lo, hi, 0, n)
			for i := lo; i < hi; i++ {
				row := dist[(i-lo)*n : (i-lo+1)*n]
				// Thresholds: the squared x-distances of i's layout
				// neighbours, sorted ascending by (distance, index).
				idx, _ := emb.Neighbors(i)
				copy(ti, idx)
				for j, e := range ti {
					th[j] = row[e]
				}
				heapify(ti, th)
				heapSortRows(ti, th, nil)
				// rank[j] counts the points before neighbour j.
				clear(rank)
				for l, d := range row {
					if l == i || !pairLess(d, int32(l), th[k-1], ti[k-1]) {
						continue
					}
					j := 0
					for !pairLess(d, int32(l), th[j], ti[j]) {
						j++
					}
					rank[j]++
				}
				// Prefix sums give the rank of each neighbour (1-based).
				r := 1
				for j := range k {
					r += rank[j]
					if r > k {
						penalty[b] += float64(r - k)
					}
				}
			}
		}
	})
	if err := knnCanceled(ctx); err != nil {
		return 0, err
	}
	var sum float64
	for _, p := range penalty {
		sum += p
	}
	fn, fk := float64(n), float64(k)
	return 1 - sum*2/(fn*fk*(2*fn-3*fk-1)), nil
}

// NeighborRecall returns, averaged over the points in rows, the fraction of
// each point's k nearest neighbours among all N rows of data that are also
// among its k nearest among all N points of the 2-D layout. The data
// neighbours are found by brute force (len(rows) x N x D). Of s only
// Workers is used.
func NeighborRecall(ctx context.Context, data *Matrix, layout []float32, rows []int, k int, s MetricSettings) (float64, error) {
	if len(layout) != 2*data.N {
		return 0, fmt.Errorf("projection: NeighborRecall: layout has %d values for %d points", len(layout), data.N)
	}
	workers := s.withDefaults().Workers
	exact, err := ExactKNNRows(ctx, data, rows, k, KNNSettings{Workers: workers})
	if err != nil {
		return 0, err
	}
	return layoutRecall(exact, newLayoutTree(layout), layout, rows, k, workers), nil
}

// nonFinite returns the index of the first NaN or infinite value of v, or
// -1 if there is none.
func nonFinite(v []float32) int {
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return i
		}
	}
	return -1
}

// layoutRecall compares exact (row r belongs to point rows[r]) with the
// layout's k nearest neighbours of the same points.
func layoutRecall(exact *KNN, tree *layoutTree, layout []float32, rows []int, k, workers int) float64 {
	return KNNRecall(layoutKNNRows(tree, layout, rows, k, workers), exact)
}
