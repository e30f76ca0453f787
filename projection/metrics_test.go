package projection_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// clusteredLayout returns n 2-D points in a few tight clusters, some
// duplicates and one far outlier.
func clusteredLayout(n int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	pos := make([]float32, 2*n)
	for i := range n {
		c := float32(i % 5)
		pos[2*i] = c*10 + float32(rng.NormFloat64())
		pos[2*i+1] = c*c + float32(rng.NormFloat64())*0.1
	}
	if n >= 20 {
		copy(pos[20:40], pos[0:20]) // duplicates
	}
	pos[2*(n-1)] = 1e6
	return pos
}

func TestLayout2DKNNMatchesBruteForce(t *testing.T) {
	for _, n := range []int{9, 50, 2000} {
		pos := clusteredLayout(n, uint64(n))
		k := min(7, n-1)
		g := projection.Layout2DKNN(pos, k, projection.KNNSettings{Workers: 3})
		for i := range n {
			type nd struct {
				d float64
				j int32
			}
			var all []nd
			for j := range n {
				if j != i {
					dx, dy := float64(pos[2*j])-float64(pos[2*i]), float64(pos[2*j+1])-float64(pos[2*i+1])
					all = append(all, nd{dx*dx + dy*dy, int32(j)})
				}
			}
			sort.Slice(all, func(a, b int) bool {
				return all[a].d < all[b].d || all[a].d == all[b].d && all[a].j < all[b].j
			})
			idx, dist := g.Neighbors(i)
			for r := range k {
				if idx[r] != all[r].j || dist[r] != float32(math.Sqrt(all[r].d)) {
					t.Fatalf("n=%d point %d rank %d: got (%d, %g), want (%d, %g)", n, i, r, idx[r], dist[r], all[r].j, math.Sqrt(all[r].d))
				}
			}
		}
		g1 := projection.Layout2DKNN(pos, k, projection.KNNSettings{Workers: 1})
		if !slices.Equal(g.Index, g1.Index) {
			t.Errorf("n=%d: 1 and 3 workers differ", n)
		}
	}
}

// naiveTrust is sklearn's trustworthiness in float64 with full sorts.
func naiveTrust(x *projection.Matrix, y []float32, k int) float64 {
	n := x.N
	d := func(i, j int) float64 {
		var s float64
		for c := range x.D {
			v := float64(x.Data[i*x.D+c]) - float64(x.Data[j*x.D+c])
			s += v * v
		}
		return s
	}
	var sum float64
	for i := range n {
		order := make([]int, 0, n-1)
		for j := range n {
			if j != i {
				order = append(order, j)
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return d(i, order[a]) < d(i, order[b]) })
		rank := make([]int, n)
		for r, j := range order {
			rank[j] = r + 1
		}
		emb := slices.Clone(order)
		dy := func(j int) float64 {
			a, b := float64(y[2*j]-y[2*i]), float64(y[2*j+1]-y[2*i+1])
			return a*a + b*b
		}
		sort.SliceStable(emb, func(a, b int) bool { return dy(emb[a]) < dy(emb[b]) })
		for _, j := range emb[:k] {
			if rank[j] > k {
				sum += float64(rank[j] - k)
			}
		}
	}
	fn, fk := float64(n), float64(k)
	return 1 - sum*2/(fn*fk*(2*fn-3*fk-1))
}

func TestTrustworthiness(t *testing.T) {
	const n = 400
	x := randomMatrix(n, 6, 11)
	rng := rand.New(rand.NewPCG(1, 1))
	// A layout from two of the coordinates: informative but imperfect.
	proj := make([]float32, 2*n)
	random := make([]float32, 2*n)
	for i := range n {
		proj[2*i], proj[2*i+1] = x.Row(i)[0], x.Row(i)[1]
		random[2*i], random[2*i+1] = rng.Float32(), rng.Float32()
	}
	for _, tc := range []struct {
		name string
		y    []float32
	}{{"projection", proj}, {"random", random}} {
		got := projection.Trustworthiness(x, tc.y, 10, projection.MetricSettings{Workers: 0})
		want := naiveTrust(x, tc.y, 10)
		t.Logf("%s layout: trustworthiness %.4f (naive %.4f)", tc.name, got, want)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%s: trustworthiness %g, naive %g", tc.name, got, want)
		}
	}
	if tr := projection.Trustworthiness(x, random, 10, projection.MetricSettings{Workers: 1}); tr > 0.6 {
		t.Errorf("random layout: trustworthiness %.3f, want low", tr)
	}

	// An isometric layout of 2-D data (rotated, shifted) is perfectly
	// trustworthy.
	x2 := randomMatrix(n, 2, 5)
	iso := make([]float32, 2*n)
	c, s := float32(math.Cos(0.7)), float32(math.Sin(0.7))
	for i := range n {
		a, b := x2.Row(i)[0], x2.Row(i)[1]
		iso[2*i], iso[2*i+1] = c*a-s*b+3, s*a+c*b-1
	}
	if tr := projection.Trustworthiness(x2, iso, 15, projection.MetricSettings{Workers: 2}); tr < 1-1e-4 {
		t.Errorf("isometric layout: trustworthiness %.6f, want 1", tr)
	}
	if tr := projection.Trustworthiness(x2, x2.Data, 15, projection.MetricSettings{Workers: 2}); tr != 1 {
		t.Errorf("identity layout: trustworthiness %.6f, want 1", tr)
	}
}

func TestKNNAccuracy(t *testing.T) {
	// Points on a line at 0, 1, 3, 4, 10, 11, 12 with labels chosen so the
	// votes are easy to follow.
	xs := []float32{0, 1, 3, 4, 10, 11, 12}
	labels := []uint8{0, 0, 1, 1, 2, 2, 0}
	pos := make([]float32, 2*len(xs))
	for i, x := range xs {
		pos[2*i] = x
	}
	// k=1: nearest point's label. 0->1 (0 ok), 1->0 (ok), 3->4 (ok),
	// 4->3 (ok), 10->11 (ok), 11->10 or 12 tie, index breaks: 10 (ok),
	// 12->11 (label 2, wrong).
	if got, want := projection.KNNAccuracy(pos, labels, 1, projection.MetricSettings{}), 6.0/7; math.Abs(got-want) > 1e-12 {
		t.Errorf("k=1 accuracy %g, want %g", got, want)
	}
	// k=2: point 1 (x=1) has neighbours 0 (label 0, d=1) and 3 (label 1,
	// d=2): 0 wins outright. Point 3 (x=3) has 4 (label 1, d=1) and 1
	// (label 0, d=2): a tie, the nearest class (1) wins. Point 12 has 11
	// and 10, both label 2: wrong. Point 10 has 11 (2) and 12 (0): tie,
	// nearest is 2: right. Point 0 has 1 (0) and 3 (1): tie, nearest 0.
	if got, want := projection.KNNAccuracy(pos, labels, 2, projection.MetricSettings{}), 6.0/7; math.Abs(got-want) > 1e-12 {
		t.Errorf("k=2 accuracy %g, want %g", got, want)
	}
	// Well separated clusters are classified perfectly.
	lay := clusteredLayout(500, 3)
	lab := make([]uint8, 500)
	for i := range lab {
		lab[i] = uint8(i % 5)
	}
	lab[499] = 4 // the outlier
	if acc := projection.KNNAccuracy(lay[:998], lab[:499], 10, projection.MetricSettings{}); acc != 1 {
		t.Errorf("separated clusters: accuracy %g, want 1", acc)
	}
}

func TestNeighborRecallAndEvaluate(t *testing.T) {
	ctx := context.Background()
	const n = 1500
	// 3-D data whose third coordinate is tiny: its 2-D projection keeps
	// nearly all neighbourhoods.
	data := randomMatrix(n, 3, 21)
	labels := make([]uint8, n)
	layout := make([]float32, 2*n)
	for i := range n {
		r := data.Row(i)
		r[2] *= 1e-4
		layout[2*i], layout[2*i+1] = r[0], r[1]
		labels[i] = uint8(2*int(r[0]*2) + int(r[1]*2)) // 4 quadrant classes
	}
	rows := projection.MetricSample(n, projection.MetricSettings{SampleSize: 300, Seed: 4})
	if len(rows) != 300 || !slices.IsSorted(rows) {
		t.Fatalf("MetricSample: %d rows, sorted %v", len(rows), slices.IsSorted(rows))
	}
	rec, err := projection.NeighborRecall(ctx, data, layout, rows, 15, projection.MetricSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if rec < 0.98 {
		t.Errorf("recall of a near-isometric layout %.4f", rec)
	}
	s := projection.MetricSettings{SampleSize: 500, Seed: 4}
	m, err := projection.EvaluateLayout(ctx, data, labels, layout, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("near-isometric layout: %+v", m)
	if m.KNNAcc10 < 0.95 || m.Trust15 < 0.999 || m.Recall15 < 0.98 {
		t.Errorf("near-isometric layout scored %+v", m)
	}
	// Precomputed high-dimensional neighbours give the same answer.
	s.Exact, err = projection.ExactKNNRows(ctx, data, projection.MetricSample(n, s), 20, projection.KNNSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if m2, err := projection.EvaluateLayout(ctx, data, labels, layout, s); err != nil || m2 != m {
		t.Errorf("with Exact: %+v, %v; want %+v", m2, err, m)
	}
	// A shuffled layout scores low.
	rng := rand.New(rand.NewPCG(9, 9))
	shuffled := slices.Clone(layout)
	rng.Shuffle(n, func(a, b int) {
		shuffled[2*a], shuffled[2*b] = shuffled[2*b], shuffled[2*a]
		shuffled[2*a+1], shuffled[2*b+1] = shuffled[2*b+1], shuffled[2*a+1]
	})
	bad, err := projection.EvaluateLayout(ctx, data, labels, shuffled, projection.MetricSettings{SampleSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("shuffled layout: %+v", bad)
	if bad.KNNAcc10 > 0.4 || bad.Trust15 > 0.6 || bad.Recall15 > 0.05 {
		t.Errorf("shuffled layout scored %+v", bad)
	}
	// Errors and cancellation.
	if _, err := projection.EvaluateLayout(ctx, data, labels, layout[:10], s); err == nil {
		t.Error("short layout: no error")
	}
	if _, err := projection.EvaluateLayout(ctx, data, labels[:5], layout, s); err == nil {
		t.Error("short labels: no error")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := projection.EvaluateLayout(cctx, data, labels, layout, projection.MetricSettings{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// TestLayoutFarOutlier evaluates a valid layout with one point at x = 1e20,
// whose squared distances overflow float32 (a probe found Layout2DKNN
// leaving neighbour slots at -1 there, and Trustworthiness panicking on
// them). The neighbours must be complete and exact, and the metrics run.
func TestLayoutFarOutlier(t *testing.T) {
	const n, k = 500, 15
	pos := clusteredLayout(n, 7)
	pos[0] = 1e20
	g := projection.Layout2DKNN(pos, k, projection.KNNSettings{})
	for i, j := range g.Index {
		if j < 0 {
			t.Fatalf("row %d keeps an empty neighbour slot", i/k)
		}
	}
	// Point 0's neighbours: the k nearest by exact distance.
	idx, dist := g.Neighbors(0)
	for r := 1; r < k; r++ {
		if dist[r] < dist[r-1] {
			t.Errorf("point 0's neighbours out of order: %v", dist)
		}
	}
	if math.Abs(float64(dist[0])-1e20)/1e20 > 1e-6 || idx[0] == 0 {
		t.Errorf("point 0's nearest: %d at %g", idx[0], dist[0])
	}
	data := projection.NewMatrix(n, 3)
	for i := range n {
		data.Data[3*i], data.Data[3*i+1], data.Data[3*i+2] = pos[2*i]/1e18, pos[2*i+1], float32(i%7)
	}
	labels := make([]uint8, n)
	m, err := projection.EvaluateLayout(context.Background(), data, labels, pos, projection.MetricSettings{})
	if err != nil || m.Trust15 <= 0 || m.Trust15 > 1 || m.KNNAcc10 != 1 {
		t.Errorf("metrics %+v, %v", m, err)
	}
	pos[5] = float32(math.NaN())
	if _, err := projection.EvaluateLayout(context.Background(), data, labels, pos, projection.MetricSettings{}); err == nil {
		t.Error("a NaN layout was evaluated")
	}
}
