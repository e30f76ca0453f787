package projection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// TSNESettings configures TSNE and TSNEOptimize. The zero value means the
// documented defaults, which follow bhtsne and openTSNE.
type TSNESettings struct {
	// Perplexity is the effective number of neighbours each point's
	// Gaussian covers; zero means 30. The kNN graph has 3*Perplexity
	// neighbours; when N-1 is smaller than that, the perplexity is lowered
	// to (N-1)/3.
	Perplexity float64
	// Theta is the Barnes-Hut accuracy: a cell of half-width w whose centre
	// of mass lies at distance d from a point stands for all its points
	// when w/d < Theta (bhtsne's criterion). Zero means 0.35; a negative
	// value means 0: every pair is summed exactly, in O(N^2) time. It
	// applies to the "bh" gradient only.
	Theta float64
	// Gradient chooses how the repulsive forces are summed: "bh" is
	// Barnes-Hut (a quadtree, accuracy Theta); "fft" the FFT-accelerated
	// interpolation of FIt-SNE on a grid of bounded size, whose cost stays
	// flat as the layout expands but whose boxes, and error, grow once the
	// layout is wider than the grid's cap of unit boxes (see tsne_fft.go);
	// "auto" uses a grid of at most 64 unit boxes a side (FIt-SNE's
	// accuracy) while the layout fits it, where the grid is the cheaper,
	// and Barnes-Hut after that, iteration by iteration. Empty means "auto" from TSNEFFTMinPoints points up and
	// "bh" below, where a quadtree is quicker than the grid's fixed cost.
	Gradient string
	// NIter is the number of gradient descent iterations; zero means 1000.
	NIter int
	// EarlyExaggeration multiplies P during the first
	// EarlyExaggerationIters iterations; zero means 12.
	EarlyExaggeration float64
	// EarlyExaggerationIters is the length of the early exaggeration
	// phase, which also uses Momentum rather than FinalMomentum; zero means
	// 250 and a negative value means no such phase.
	EarlyExaggerationIters int
	// LearningRate is the gradient descent step, in both phases when set.
	// Zero means max(N/EarlyExaggeration, 200) during early exaggeration
	// (Belkina et al. 2019; N/12 by default) and max(N/4, 200) after it.
	// scikit-learn's N/12 throughout leaves 70,000 points short of
	// convergence after 1000 iterations (higher KL, lower recall15);
	// openTSNE's N after exaggeration costs trustworthiness; N/4 balanced
	// the two in a sweep on MNIST (BENCHMARKS.md). The gradient it scales
	// is that of KL(P||Q) divided by 4, as in bhtsne and openTSNE.
	LearningRate float64
	// Momentum is used during early exaggeration, FinalMomentum after it;
	// zero means 0.5 and 0.8.
	Momentum, FinalMomentum float64
	// PCADims is the dimension TSNE first reduces the data to by PCA, when
	// the data has more columns; zero means 100, negative means never.
	PCADims int
	// Seed seeds the random initialisation of TSNEOptimize when it is given
	// none, and the kNN search when KNN.Seed is zero.
	Seed uint64
	// Workers is the number of goroutines; zero means GOMAXPROCS (see the
	// package documentation for the bounds). The optimisation gives
	// bit-identical layouts for every value of
	// Workers (work is cut into blocks that do not depend on it and partial
	// sums are added in block order); Workers = 1 runs it all on the
	// calling goroutine. KNN.Workers, when zero, takes this value.
	Workers int
	// KLEvery, when positive, records KL(P||Q) every KLEvery iterations in
	// the result's Stats.KL (the final KL is always computed). It costs a
	// logarithm per non-zero of P on those iterations.
	KLEvery int
	// KNN configures the nearest-neighbour search of TSNE.
	KNN KNNSettings
}

// TSNEResult is the outcome of TSNE or TSNEOptimize.
type TSNEResult struct {
	// Layout holds the N x 2 positions, interleaved (x0, y0, x1, y1, ...).
	Layout []float32
	// KL is KL(P||Q) at the last gradient evaluation (the positions before
	// the final step), with Z from the same Barnes-Hut pass.
	KL    float64
	Stats TSNEStats
}

// TSNEStats says where a t-SNE run spent its time.
type TSNEStats struct {
	PCA, KNN, Affinity, Optimize time.Duration
	// Iters is the number of gradient descent iterations done, FFTIters
	// how many of them summed the repulsion on the FFT grid (Gradient
	// "fft" or "auto") rather than by Barnes-Hut.
	Iters, FFTIters int
	// KL holds KL(P||Q) at iterations KLEvery, 2*KLEvery, ...: KL[m] is
	// the divergence at the positions before step (m+1)*KLEvery.
	KL []float64
}

// withDefaults returns s with its zero fields set for n points: the
// documented defaults, the perplexity lowered to (N-1)/3 where needed, and
// KNN's Workers and Seed taken from s when zero. Negative Theta,
// EarlyExaggerationIters and PCADims keep their meaning (exact, none,
// never) and a zero LearningRate its meaning (one rate per phase).
func (s TSNESettings) withDefaults(n int) TSNESettings {
	if s.Perplexity == 0 {
		s.Perplexity = 30
	}
	if n > 1 && 3*s.Perplexity > float64(n-1) {
		s.Perplexity = float64(n-1) / 3
	}
	if s.Theta == 0 {
		s.Theta = 0.35
	}
	if s.NIter == 0 {
		s.NIter = 1000
	}
	if s.EarlyExaggeration == 0 {
		s.EarlyExaggeration = 12
	}
	if s.EarlyExaggerationIters == 0 {
		s.EarlyExaggerationIters = 250
	}
	if s.Momentum == 0 {
		s.Momentum = 0.5
	}
	if s.FinalMomentum == 0 {
		s.FinalMomentum = 0.8
	}
	if s.PCADims == 0 {
		s.PCADims = 100
	}
	if s.Gradient == "" {
		s.Gradient = TSNEGradientBH
		if n >= TSNEFFTMinPoints {
			s.Gradient = TSNEGradientAuto
		}
	}
	s.Workers = workerCount(s.Workers)
	if s.KNN.Workers == 0 {
		s.KNN.Workers = s.Workers
	}
	if s.KNN.Seed == 0 {
		s.KNN.Seed = s.Seed
	}
	return s
}

// check reports settings (with defaults filled in) that cannot give a
// layout: NaN or infinite values, and values out of their range.
func (s TSNESettings) check() error {
	bad := func(name string, v float64, want string) error {
		return fmt.Errorf("projection: t-SNE: %s %v: want %s", name, v, want)
	}
	switch {
	case !(s.Perplexity > 0) || math.IsInf(s.Perplexity, 0):
		return bad("perplexity", s.Perplexity, "a positive finite number")
	case math.IsNaN(s.Theta) || math.IsInf(s.Theta, 0):
		return bad("theta", s.Theta, "a finite number (negative: exact)")
	case s.NIter < 0:
		return bad("iteration count", float64(s.NIter), "a positive number")
	case !(s.EarlyExaggeration > 0) || math.IsInf(s.EarlyExaggeration, 0):
		return bad("early exaggeration", s.EarlyExaggeration, "a positive finite number")
	case !(s.LearningRate >= 0) || math.IsInf(s.LearningRate, 0):
		return bad("learning rate", s.LearningRate, "a positive finite number (0: automatic)")
	case s.Gradient != TSNEGradientBH && s.Gradient != TSNEGradientFFT && s.Gradient != TSNEGradientAuto:
		return fmt.Errorf("projection: t-SNE: gradient %q: want %q, %q, %q or empty", s.Gradient, TSNEGradientAuto, TSNEGradientFFT, TSNEGradientBH)
	case !(s.Momentum >= 0 && s.Momentum < 1):
		return bad("momentum", s.Momentum, "a number in [0, 1)")
	case !(s.FinalMomentum >= 0 && s.FinalMomentum < 1):
		return bad("final momentum", s.FinalMomentum, "a number in [0, 1)")
	}
	return nil
}

// The values of TSNESettings.Gradient.
const (
	TSNEGradientBH   = "bh"   // Barnes-Hut quadtree
	TSNEGradientFFT  = "fft"  // FFT-accelerated interpolation
	TSNEGradientAuto = "auto" // FFT while the grid is fine enough, then Barnes-Hut
)

// TSNEFFTMinPoints is the number of points from which the default gradient
// (TSNESettings.Gradient empty) is "auto".
const TSNEFFTMinPoints = 10000

// rate returns the learning rate for n points during early exaggeration
// (early) or after it.
func (s TSNESettings) rate(n int, early bool) float64 {
	switch {
	case s.LearningRate != 0:
		return s.LearningRate
	case early:
		return max(float64(n)/s.EarlyExaggeration, 200)
	}
	return max(float64(n)/4, 200)
}

// TSNE lays out the rows of data (a *Matrix, or any Source: see
// TSNENeighbors) in 2-D by t-SNE: PCA to
// s.PCADims dimensions when data has more columns, the 3*perplexity nearest
// neighbours (NearestNeighbors with s.KNN), the affinities
// (TSNEAffinities), and TSNEOptimize from the first two principal
// components scaled to standard deviation 1e-4 (openTSNE's initialisation).
//
// Progress is reported on h in stages "pca", "knn", "affinity" and
// "optimize"; snapshots come from the optimisation. Cancelling ctx stops
// the run between blocks or iterations with an error wrapping ctx.Err().
// Settings out of range are an error before any work, and so is a run
// that diverges (see TSNEOptimize).
func TSNE(ctx context.Context, data Source, s TSNESettings, h *Hooks) (*TSNEResult, error) {
	g, err := TSNENeighbors(ctx, data, s, h)
	if err != nil || g.KNN == nil {
		if err == nil { // fewer than two points
			return &TSNEResult{Layout: make([]float32, 2*g.N)}, nil
		}
		return nil, err
	}
	return TSNEFromNeighbors(ctx, g, nil, s, h)
}

// firstColumns returns the first k columns of m, row-major (N x k).
func firstColumns(m *Matrix, k int) []float32 {
	out := make([]float32, m.N*k)
	for i := 0; i < m.N; i++ {
		copy(out[i*k:(i+1)*k], m.Data[i*m.D:i*m.D+k])
	}
	return out
}

// scaleInit scales the interleaved layout so that its x column has standard
// deviation std, reporting false when that column is constant.
func scaleInit(pos []float32, std float64) bool {
	n := len(pos) / 2
	var s, s2 float64
	for i := 0; i < n; i++ {
		s += float64(pos[2*i])
	}
	mean := s / float64(n)
	for i := 0; i < n; i++ {
		d := float64(pos[2*i]) - mean
		s2 += d * d
	}
	sd := math.Sqrt(s2 / float64(n))
	if !(sd > 0) {
		return false
	}
	f := std / sd
	for i := range pos {
		pos[i] = float32(float64(pos[i]) * f)
	}
	return true
}

// tsneRenumberEvery is how often (in iterations) the optimisation relabels
// the points in the layout's Morton order (see tsneObjective.renumber)
// during its first tsneRenumberFast iterations, where the layout changes
// fast; tsneRenumberSlow how often after them, where it settles (each
// relabelling rewrites P, about as costly as an iteration's attraction).
const (
	tsneRenumberEvery = 25
	tsneRenumberFast  = 300
	tsneRenumberSlow  = 100
)

// TSNEOptimize runs t-SNE's gradient descent from affinities p (a
// symmetric CSR matrix whose values add up to 1, as TSNEAffinities returns)
// and an initial layout init (interleaved, length 2N; nil means Gaussian
// with standard deviation 1e-4 drawn from s.Seed). Only the optimisation
// fields of s are used (Gradient, Theta, NIter, exaggeration, learning
// rate, momenta, Workers, KLEvery, Seed).
//
// Each iteration sums the repulsive forces and their normalisation Z (by
// Barnes-Hut or by FFT interpolation, per s.Gradient), the attractive
// forces over p's non-zeros,
// and takes a step with momentum and per-coordinate gains, then re-centres
// the layout. Progress is reported as stage "optimize", one unit per
// iteration; h's Snapshot is called every SnapshotEvery iterations and once
// at the end. Cancelling ctx stops between iterations. A position or KL
// that stops being finite (a learning rate far too high) ends the run with
// an error saying that t-SNE diverged: a non-finite layout is never
// returned.
func TSNEOptimize(ctx context.Context, p *CSR, init []float32, s TSNESettings, h *Hooks) (*TSNEResult, error) {
	return tsneOptimize(ctx, p, init, s, h, false)
}

// tsneOptimize is TSNEOptimize; with ownP the caller hands p over: it will
// not read p again, and the optimisation may write it (tsneObjective.adopt).
func tsneOptimize(ctx context.Context, p *CSR, init []float32, s TSNESettings, h *Hooks, ownP bool) (*TSNEResult, error) {
	if p == nil || len(p.RowPtr) != p.N+1 || p.RowPtr[p.N] != len(p.Col) || len(p.Col) != len(p.Val) {
		return nil, errors.New("projection: t-SNE of malformed affinities")
	}
	n := p.N
	if init != nil && len(init) != 2*n {
		return nil, fmt.Errorf("projection: t-SNE initial layout has %d values, want %d", len(init), 2*n)
	}
	s = s.withDefaults(n)
	if err := s.check(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	pos := make([]float64, 2*n)
	if init != nil {
		for i, v := range init {
			pos[i] = float64(v)
		}
	} else {
		rng := rand.New(rand.NewPCG(s.Seed, 0x7473_6e65))
		for i := range pos {
			pos[i] = 1e-4 * rng.NormFloat64()
		}
	}
	res := &TSNEResult{Layout: make([]float32, 2*n)}
	if n < 2 {
		copyLayout(res.Layout, pos)
		return res, nil
	}
	obj := newTSNEObjective(p, max(s.Theta, 0), s.Workers)
	if ownP {
		obj.adopt()
	}
	p = nil // obj holds it while it needs it
	if s.Gradient != TSNEGradientBH {
		obj.useFFT(s.Gradient == TSNEGradientAuto)
		defer obj.close()
	}
	opt := newTSNEOptimizer(n)
	snapEvery := 0
	if h != nil && h.Snapshot != nil {
		snapEvery = h.SnapshotEvery
		if snapEvery <= 0 {
			snapEvery = 10
		}
	}
	h.progress("optimize", 0, s.NIter)
	for it := 0; it < s.NIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("projection: t-SNE: %w", err)
		}
		early := it < s.EarlyExaggerationIters
		exag, mom := 1.0, s.FinalMomentum
		if early {
			exag, mom = s.EarlyExaggeration, s.Momentum
		}
		eta := s.rate(n, early)
		klDue := s.KLEvery > 0 && (it+1)%s.KLEvery == 0
		last := it == s.NIter-1
		_, kl := obj.gradient(opt.grad, pos, exag, klDue || last)
		if klDue {
			res.Stats.KL = append(res.Stats.KL, kl)
		}
		if last {
			res.KL = kl
		}
		opt.step(pos, eta, mom)
		if !finite64(pos) || math.IsNaN(kl) || math.IsInf(kl, 0) {
			return nil, tsneDiverged(it+1, s)
		}
		if it%tsneRenumberEvery == 0 && (it < tsneRenumberFast || it%tsneRenumberSlow == 0) {
			obj.renumber(pos, opt)
		}
		res.Stats.Iters = it + 1
		h.progress("optimize", it+1, s.NIter)
		if snapEvery > 0 && !last && (it+1)%snapEvery == 0 {
			obj.unpermute(res.Layout, pos)
			h.snapshot(res.Layout, it+1, true)
		}
	}
	obj.unpermute(res.Layout, pos)
	if nonFinite(res.Layout) >= 0 { // beyond float32's range
		return nil, tsneDiverged(res.Stats.Iters, s)
	}
	h.snapshot(res.Layout, res.Stats.Iters, true)
	res.Stats.FFTIters = obj.fftIters
	res.Stats.Optimize = time.Since(t0)
	return res, nil
}

// tsneDiverged is the error of a run whose positions or KL stopped being
// finite after iteration it.
func tsneDiverged(it int, s TSNESettings) error {
	rate := "automatic"
	if s.LearningRate != 0 {
		rate = strconv.FormatFloat(s.LearningRate, 'g', -1, 64)
	}
	return fmt.Errorf("projection: t-SNE diverged at iteration %d (positions no longer finite; learning rate %s): lower the learning rate", it, rate)
}

// finite64 reports whether every value of v is finite.
func finite64(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}

func copyLayout(dst []float32, src []float64) {
	for i, v := range src {
		dst[i] = float32(v)
	}
}
