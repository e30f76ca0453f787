package projection

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

var testCtx = context.Background()

// bruteKNN is a test-local exact kNN (Euclidean, self excluded).
func bruteKNN(m *Matrix, k int) *KNN {
	g := NewKNN(m.N, k)
	type nd struct {
		j int
		d float64
	}
	for i := 0; i < m.N; i++ {
		all := make([]nd, 0, m.N-1)
		for j := 0; j < m.N; j++ {
			if j == i {
				continue
			}
			var s float64
			for c := 0; c < m.D; c++ {
				d := float64(m.Data[i*m.D+c] - m.Data[j*m.D+c])
				s += d * d
			}
			all = append(all, nd{j, s})
		}
		// Selection of the k smallest, in order.
		for s := 0; s < k; s++ {
			best := s
			for t := s + 1; t < len(all); t++ {
				if all[t].d < all[best].d {
					best = t
				}
			}
			all[s], all[best] = all[best], all[s]
			g.Index[i*k+s] = int32(all[s].j)
			g.Dist[i*k+s] = float32(math.Sqrt(all[s].d))
		}
	}
	return g
}

// blobs returns n points in d dimensions drawn around c cluster centres,
// and each point's cluster.
func blobs(n, d, c int, spread float64, seed uint64) (*Matrix, []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	centres := make([]float64, c*d)
	for i := range centres {
		centres[i] = rng.NormFloat64()
	}
	m := NewMatrix(n, d)
	lab := make([]int, n)
	for i := 0; i < n; i++ {
		lab[i] = i % c
		for j := 0; j < d; j++ {
			m.Data[i*d+j] = float32(centres[lab[i]*d+j] + spread*rng.NormFloat64())
		}
	}
	return m, lab
}

func TestPerplexitySearch(t *testing.T) {
	for _, scale := range []float64{1e-3, 1, 1e3} {
		m, _ := blobs(400, 10, 4, 0.5, 7)
		for i := range m.Data {
			m.Data[i] *= float32(scale)
		}
		g := bruteKNN(m, 90)
		for _, perp := range []float64{5, 30} {
			d2 := make([]float64, g.K)
			worst := 0.0
			for i := 0; i < m.N; i++ {
				_, dist := g.Neighbors(i)
				for j, d := range dist {
					d2[j] = float64(d) * float64(d)
				}
				condRow(d2, math.Log(perp))
				var h, sum float64
				for _, p := range d2 {
					sum += p
					if p > 0 {
						h -= p * math.Log(p)
					}
				}
				worst = max(worst, math.Abs(h-math.Log(perp)))
				if math.Abs(sum-1) > 1e-12 {
					t.Fatalf("row %d sums to %v", i, sum)
				}
			}
			if worst > perplexityTol {
				t.Errorf("scale %g perplexity %g: entropy off by %g", scale, perp, worst)
			}
		}
	}
}

func TestTSNEAffinitiesSymmetric(t *testing.T) {
	m, _ := blobs(300, 8, 3, 0.4, 1)
	g := bruteKNN(m, 30)
	p, err := TSNEAffinities(testCtx, g, TSNESettings{Perplexity: 10, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	at := make(map[[2]int32]float32)
	for i := 0; i < p.N; i++ {
		cols, vals := p.Row(i)
		for c, j := range cols {
			if int(j) == i {
				t.Fatalf("diagonal entry in row %d", i)
			}
			if c > 0 && cols[c-1] >= j {
				t.Fatalf("row %d columns not ascending", i)
			}
			at[[2]int32{int32(i), j}] = vals[c]
			sum += float64(vals[c])
		}
	}
	for ij, v := range at {
		if w := at[[2]int32{ij[1], ij[0]}]; w != v {
			t.Fatalf("P[%d,%d] = %v but P[%d,%d] = %v", ij[0], ij[1], v, ij[1], ij[0], w)
		}
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Errorf("P sums to %v", sum)
	}
	// Identical results for 1 and 3 workers.
	q, _ := TSNEAffinities(testCtx, g, TSNESettings{Perplexity: 10, Workers: 1})
	for e := range p.Val {
		if p.Val[e] != q.Val[e] || p.Col[e] != q.Col[e] {
			t.Fatal("affinities depend on workers")
		}
	}
}

// exactKL is KL(P||Q) summed over all pairs, O(N^2).
func exactKL(p *CSR, pos []float64) float64 {
	n := p.N
	z := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				dx, dy := pos[2*i]-pos[2*j], pos[2*i+1]-pos[2*j+1]
				z += 1 / (1 + dx*dx + dy*dy)
			}
		}
	}
	kl := 0.0
	for i := 0; i < n; i++ {
		cols, vals := p.Row(i)
		for c, j := range cols {
			dx, dy := pos[2*i]-pos[2*int(j)], pos[2*i+1]-pos[2*int(j)+1]
			q := 1 / (1 + dx*dx + dy*dy) / z
			v := float64(vals[c])
			kl += v * math.Log(v/q)
		}
	}
	return kl
}

// TestTSNEGradientFiniteDifference checks the exact (theta 0) gradient
// against central differences of KL(P||Q): 4*grad = dKL/dy.
func TestTSNEGradientFiniteDifference(t *testing.T) {
	m, _ := blobs(30, 5, 3, 0.5, 2)
	p, err := TSNEAffinities(testCtx, bruteKNN(m, 20), TSNESettings{Perplexity: 6, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	pos := make([]float64, 2*p.N)
	for i := range pos {
		pos[i] = 2 * rng.NormFloat64()
	}
	obj := newTSNEObjective(p, 0, 1)
	grad := make([]float64, len(pos))
	_, kl := obj.gradient(grad, pos, 1, true)
	if want := exactKL(p, pos); math.Abs(kl-want) > 1e-9*math.Abs(want) {
		t.Errorf("KL %v, exact %v", kl, want)
	}
	const h = 1e-6
	maxErr, maxG := 0.0, 0.0
	for i := range pos {
		x := pos[i]
		pos[i] = x + h
		kp := exactKL(p, pos)
		pos[i] = x - h
		km := exactKL(p, pos)
		pos[i] = x
		fd := (kp - km) / (2 * h)
		maxErr = max(maxErr, math.Abs(4*grad[i]-fd))
		maxG = max(maxG, math.Abs(fd))
	}
	if maxErr > 1e-6*maxG {
		t.Errorf("gradient differs from finite differences by %g (largest component %g)", maxErr, maxG)
	}
}

// TestTSNEOptimizeDeterministic: seeded runs repeat exactly, and the layout
// does not depend on the number of workers.
func TestTSNEOptimizeDeterministic(t *testing.T) {
	m, _ := blobs(500, 10, 5, 0.3, 3)
	p, err := TSNEAffinities(testCtx, bruteKNN(m, 30), TSNESettings{Perplexity: 10, Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	run := func(workers int) []float32 {
		r, err := TSNEOptimize(testCtx, p, nil, TSNESettings{NIter: 200, Seed: 9, Workers: workers}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Layout
	}
	a, b, c := run(1), run(1), run(2)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("single-worker runs differ at %d: %v vs %v", i, a[i], b[i])
		}
		if a[i] != c[i] {
			t.Fatalf("1 and 2 workers differ at %d: %v vs %v", i, a[i], c[i])
		}
	}
}

// TestTSNESeparatesBlobs runs the whole pipeline (PCA from 80 to 50
// dimensions, kNN, affinities, optimisation) on well separated blobs and
// checks that each point's nearest layout neighbours share its blob.
func TestTSNESeparatesBlobs(t *testing.T) {
	m, lab := blobs(800, 80, 6, 0.15, 5)
	var stages []string
	snaps := 0
	h := &Hooks{
		Progress: func(p Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		},
		Snapshot:      func(pos []float32, step int) { snaps++ },
		SnapshotEvery: 100,
	}
	r, err := TSNE(testCtx, m, TSNESettings{NIter: 500, KLEvery: 100}, h)
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Iters != 500 || len(r.Stats.KL) != 5 || snaps != 5 {
		t.Errorf("iters %d, KL trace %v, %d snapshots", r.Stats.Iters, r.Stats.KL, snaps)
	}
	want := []string{"pca", "knn", "affinity", "optimize"}
	if len(stages) != len(want) {
		t.Errorf("stages %v, want %v", stages, want)
	} else {
		for i := range want {
			if stages[i] != want[i] {
				t.Errorf("stages %v, want %v", stages, want)
			}
		}
	}
	if acc := layoutKNNAccuracy(r.Layout, lab, 10); acc < 0.99 {
		t.Errorf("10-NN label accuracy %.4f in the layout", acc)
	}
	t.Logf("KL %.4f (trace %v), stats %+v", r.KL, r.Stats.KL, r.Stats)
}

// layoutKNNAccuracy is the fraction of each point's k nearest layout
// neighbours that share its label.
func layoutKNNAccuracy(pos []float32, lab []int, k int) float64 {
	m := &Matrix{N: len(pos) / 2, D: 2, Data: pos}
	g := bruteKNN(m, k)
	hit := 0
	for i := 0; i < m.N; i++ {
		idx, _ := g.Neighbors(i)
		for _, j := range idx {
			if lab[j] == lab[i] {
				hit++
			}
		}
	}
	return float64(hit) / float64(m.N*k)
}

func TestTSNECancelAndErrors(t *testing.T) {
	m, _ := blobs(200, 5, 2, 0.5, 6)
	p, _ := TSNEAffinities(testCtx, bruteKNN(m, 20), TSNESettings{Perplexity: 5, Workers: 1})
	ctx, cancel := context.WithCancel(testCtx)
	n := 0
	h := &Hooks{Progress: func(pr Progress) {
		if n++; n == 10 {
			cancel()
		}
	}}
	if _, err := TSNEOptimize(ctx, p, nil, TSNESettings{}, h); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
	if _, err := TSNEOptimize(testCtx, p, make([]float32, 3), TSNESettings{}, nil); err == nil {
		t.Error("wrong init length accepted")
	}
	if _, err := TSNE(testCtx, &Matrix{N: 2, D: 2, Data: []float32{1}}, TSNESettings{}, nil); err == nil {
		t.Error("malformed matrix accepted")
	}
	r, err := TSNE(testCtx, &Matrix{N: 1, D: 3, Data: []float32{1, 2, 3}}, TSNESettings{}, nil)
	if err != nil || len(r.Layout) != 2 {
		t.Errorf("one point: %v, %v", r, err)
	}
	// Few points: the perplexity is lowered to (N-1)/3.
	small, _ := blobs(12, 4, 2, 0.5, 8)
	if r, err := TSNE(testCtx, small, TSNESettings{NIter: 50}, nil); err != nil || len(r.Layout) != 24 {
		t.Errorf("12 points: %v", err)
	}
}

func TestTSNELearningRate(t *testing.T) {
	cases := []struct {
		n          int
		set        float64
		early, end float64
	}{
		{70000, 0, 70000.0 / 12, 70000.0 / 4}, // zero: one rate per phase
		{1200, 0, 200, 300},                   // floor of 200 while exaggerated
		{600, 0, 200, 200},
		{70000, 500, 500, 500}, // a set rate holds in both phases
	}
	for _, tc := range cases {
		c := TSNESettings{LearningRate: tc.set}.withDefaults(tc.n)
		if got := c.rate(tc.n, true); math.Abs(got-tc.early) > 1e-9 {
			t.Errorf("n=%d set=%g: early rate %g, want %g", tc.n, tc.set, got, tc.early)
		}
		if got := c.rate(tc.n, false); math.Abs(got-tc.end) > 1e-9 {
			t.Errorf("n=%d set=%g: rate after exaggeration %g, want %g", tc.n, tc.set, got, tc.end)
		}
	}
}

// TestTSNERefusesBadSettings checks that settings no layout can come from
// are an error naming the setting, before any work (a probe found NaN, Inf
// and negative learning rates, and NaN theta, accepted with an all-NaN
// layout as the result).
func TestTSNERefusesBadSettings(t *testing.T) {
	m, _ := blobs(60, 5, 2, 0.5, 3)
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		s    TSNESettings
		want string
	}{
		{TSNESettings{LearningRate: nan}, "learning rate NaN"},
		{TSNESettings{LearningRate: inf}, "learning rate +Inf"},
		{TSNESettings{LearningRate: -1}, "learning rate -1"},
		{TSNESettings{Theta: nan}, "theta NaN"},
		{TSNESettings{Theta: -inf}, "theta -Inf"},
		{TSNESettings{Perplexity: -5}, "perplexity -5"},
		{TSNESettings{Perplexity: nan}, "perplexity NaN"},
		{TSNESettings{NIter: -10}, "iteration count -10"},
		{TSNESettings{EarlyExaggeration: -12}, "early exaggeration -12"},
		{TSNESettings{EarlyExaggeration: inf}, "early exaggeration +Inf"},
		{TSNESettings{Momentum: 1.5}, "momentum 1.5"},
		{TSNESettings{FinalMomentum: nan}, "final momentum NaN"},
	} {
		h := &Hooks{Progress: func(p Progress) { t.Errorf("%+v: work started (%s)", c.s, p.Stage) }}
		r, err := TSNE(testCtx, m, c.s, h)
		if err == nil || !strings.Contains(err.Error(), c.want) || r != nil {
			t.Errorf("%+v: err = %v, want one saying %q", c.s, err, c.want)
		}
	}
}

// TestTSNEDivergenceIsAnError runs with learning rates far too high: the
// positions leave float range within a few iterations, and the run must
// end with an error saying so, never with a non-finite layout.
func TestTSNEDivergenceIsAnError(t *testing.T) {
	m, _ := blobs(100, 5, 2, 0.5, 4)
	for _, rate := range []float64{1e30, 1e300} {
		r, err := TSNE(testCtx, m, TSNESettings{LearningRate: rate, NIter: 300}, nil)
		if err == nil || !strings.Contains(err.Error(), "t-SNE diverged") || r != nil {
			t.Errorf("learning rate %g: err = %v, result %v", rate, err, r != nil)
		}
	}
}

// TestSettingsDefaultsIdempotent checks the one rule for defaults: filling
// them in twice changes nothing, so any function may fill in what it is
// given, filled or not.
func TestSettingsDefaultsIdempotent(t *testing.T) {
	for _, n := range []int{10, 3000, 70000} {
		for _, s := range []TSNESettings{{}, {Theta: -1, EarlyExaggerationIters: -1, PCADims: -1, Perplexity: 50}} {
			once := s.withDefaults(n)
			if twice := once.withDefaults(n); twice != once {
				t.Errorf("t-SNE n=%d: %+v then %+v", n, once, twice)
			}
		}
		u := UMAPSettings{}.withDefaults(n)
		if u.withDefaults(n) != u {
			t.Errorf("UMAP n=%d: not idempotent", n)
		}
		k := KNNSettings{NTrees: -1, Delta: -1}.withDefaults(n, 15)
		if k.withDefaults(n, 15) != k || k.NTrees != -1 || k.Delta != -1 {
			t.Errorf("kNN n=%d: %+v", n, k)
		}
	}
}

// TestWorkerCount checks the one rule for Workers: zero or negative means
// GOMAXPROCS, and no value goes beyond 4*GOMAXPROCS (a probe's --workers
// 1000000 took 7.7 GB in per-worker buffers and goroutine stacks).
func TestWorkerCount(t *testing.T) {
	p := runtime.GOMAXPROCS(0)
	for _, c := range []struct{ in, want int }{{0, p}, {-3, p}, {1, 1}, {p, p}, {1000000, 4 * p}} {
		if got := workerCount(c.in); got != c.want {
			t.Errorf("workerCount(%d) = %d, want %d", c.in, got, c.want)
		}
	}
	if got := (TSNESettings{Workers: 1 << 30}).withDefaults(100).KNN.Workers; got != 4*p {
		t.Errorf("t-SNE's kNN workers %d", got)
	}
}
