package projection

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// fftBound is the tested bound on the FFT interpolation's error, by the
// box width the grid chose: relative L2 error of the repulsive force field
// and relative error of Z, against the exact O(N^2) sum. Measured on
// clustered layouts of 300 and 1,000 points (3 nodes per box): width 0.16-
// 0.18 gives 2-3e-4 (force) and 5e-6 (Z); width 0.84 gives 1.4e-2 and
// 3.4e-4; unit boxes (FIt-SNE's) 3.8-5.9e-2 and 2.3-6.3e-3; boxes twice as
// wide (a layout twice as wide as the grid's cap) 0.43-0.49 and 0.17-0.45.
// Barnes-Hut at theta 0.5 is far more accurate (bhBound); t-SNE tolerates
// the error of unit boxes, which is what FIt-SNE runs with.
var fftBound = []struct{ width, force, z float64 }{
	{0.2, 5e-4, 2e-5},
	{0.9, 3e-2, 1e-3},
	{1.0, 8e-2, 1e-2},
}

// TestFFTRepulsionAccuracy bounds the FFT interpolation's error against
// the exact sum (fftBound) at several layout sizes, and checks that it
// shrinks as the grid's cap on boxes rises.
func TestFFTRepulsionAccuracy(t *testing.T) {
	for _, n := range []int{300, 1000} {
		for _, scale := range []float64{1, 10, 30} {
			pos := clusteredLayout(n, uint64(n))
			for i := range pos {
				pos[i] *= scale / 30
			}
			want, wantZ := exactRepulsion(pos)
			prev := math.Inf(1)
			for _, maxBoxes := range []int{16, 32, 64, 128} {
				f := newFFTRepulsionGrid(n, 2, maxBoxes, fftNodes)
				got := make([]float64, len(pos))
				z := f.repulse(got, pos)
				f.close()
				ef := relL2(got, want)
				ez := math.Abs(z-wantZ) / wantZ
				t.Logf("n=%d scale %g max boxes %d: %d boxes of width %.3g, force rel L2 %.2e, Z rel %.2e", n, scale, maxBoxes, f.boxes, f.width, ef, ez)
				for _, b := range fftBound {
					if f.width <= b.width && (ef > b.force || ez > b.z) {
						t.Errorf("n=%d scale %g width %.3g: force error %.2e, Z error %.2e; bounds %g, %g", n, scale, f.width, ef, ez, b.force, b.z)
						break
					}
				}
				if ef > prev*1.01 {
					t.Errorf("n=%d scale %g: error grew from %.3g to %.3g with max boxes %d", n, scale, prev, ef, maxBoxes)
				}
				prev = ef
			}
		}
	}
}

// TestFFTRepulsionDegenerate covers inputs where a grid could break: all
// points equal (zero extent), one and two points, and two far clusters
// (a layout wider than the grid's cap, where boxes widen).
func TestFFTRepulsionDegenerate(t *testing.T) {
	check := func(name string, pos []float64, force, zb float64) {
		t.Helper()
		n := len(pos) / 2
		want, wantZ := exactRepulsion(pos)
		f := newFFTRepulsion(n, 2)
		defer f.close()
		got := make([]float64, len(pos))
		z := f.repulse(got, pos)
		if !finite64(got) || math.IsNaN(z) || math.IsInf(z, 0) {
			t.Fatalf("%s: non-finite result, Z %v", name, z)
		}
		// Absolute errors, scaled by N^2 (the count of pairs), where the
		// exact answer may be zero.
		scale := float64(n * n)
		var ef float64
		for i := range got {
			ef = max(ef, math.Abs(got[i]-want[i]))
		}
		ez := math.Abs(z - wantZ)
		t.Logf("%s: %d boxes of width %.3g, largest force error %.2e, Z %v (exact %v)", name, f.boxes, f.width, ef, z, wantZ)
		if ef > force*scale || ez > zb*scale {
			t.Errorf("%s: force error %.3g, Z error %.3g; bounds %.3g, %.3g", name, ef, ez, force*scale, zb*scale)
		}
	}
	same := make([]float64, 2*500)
	for i := range same {
		same[i] = 3.25
	}
	check("500 equal points", same, 1e-12, 1e-12)
	check("one point", []float64{7, -2}, 1e-12, 1e-12)
	check("two points 1 apart", []float64{0, 0, 0.6, 0.8}, 1e-6, 1e-6)
	check("two points 50 apart", []float64{-20, 10, 10, 50}, 1e-6, 1e-6)
	// Two clusters of 200 points each (spread about 0.15), 40 apart:
	// within the grid's cap, unit boxes, the error of fftBound.
	pos := clusteredLayout(400, 21)
	for i := 0; i < 400; i++ {
		pos[2*i] /= 30
		pos[2*i+1] /= 30
		if i%2 == 1 {
			pos[2*i] += 40
		}
	}
	want, wantZ := exactRepulsion(pos)
	f := newFFTRepulsion(400, 2)
	defer f.close()
	got := make([]float64, len(pos))
	z := f.repulse(got, pos)
	ef, ez := relL2(got, want), math.Abs(z-wantZ)/wantZ
	t.Logf("two clusters 40 apart: %d boxes of width %.3g, force rel L2 %.2e, Z rel %.2e", f.boxes, f.width, ef, ez)
	if b := fftBound[len(fftBound)-1]; !f.fits(pos) || f.width > b.width || ef > b.force || ez > b.z {
		t.Errorf("two clusters 40 apart: width %.3g, force error %.3g, Z error %.3g", f.width, ef, ez)
	}
	// 1,000 apart, the layout is wider than the grid's cap of unit boxes:
	// the boxes widen (and the clusters' inner forces are lost, which is
	// why "auto" hands such layouts to Barnes-Hut: fits says no), but the
	// result stays finite and Z positive.
	for i := 0; i < 400; i++ {
		if i%2 == 1 {
			pos[2*i] += 960
		}
	}
	z = f.repulse(got, pos)
	if f.fits(pos) || !finite64(got) || !(z > 0) || math.IsInf(z, 0) {
		t.Errorf("two clusters 1000 apart: fits %v, Z %v, forces finite %v", f.fits(pos), z, finite64(got))
	}
}

// TestFFTRepulsionWorkersIdentical: the result does not depend on the
// number of workers, bit for bit.
func TestFFTRepulsionWorkersIdentical(t *testing.T) {
	pos := clusteredLayout(3000, 11)
	var ref []float64
	var refZ float64
	for _, w := range []int{1, 2, 3, 8} {
		f := newFFTRepulsion(3000, w)
		got := make([]float64, len(pos))
		z := f.repulse(got, pos)
		f.close()
		if ref == nil {
			ref, refZ = got, z
			continue
		}
		if z != refZ {
			t.Errorf("Z %v with 1 worker, %v with %d", refZ, z, w)
		}
		for i := range got {
			if got[i] != ref[i] {
				t.Fatalf("force %d: %v with 1 worker, %v with %d", i, ref[i], got[i], w)
			}
		}
	}
}

// TestFFTRepulsionBoundedGrid expands a layout a thousandfold, as t-SNE's
// does, and checks that the grid never passes its cap, that the kernels'
// spectra are recomputed only when the grid changes rung (a few dozen
// times, not every step) and that a step allocates nothing.
func TestFFTRepulsionBoundedGrid(t *testing.T) {
	const n = 2000
	base := clusteredLayout(n, 4)
	pos := make([]float64, len(base))
	rep := make([]float64, len(base))
	f := newFFTRepulsionGrid(n, 2, 64, fftNodes)
	defer f.close()
	recomputed := 0
	scale := 0.01
	for step := 0; step < 700; step++ {
		for i := range pos {
			pos[i] = base[i] * scale
		}
		w0, b0 := f.kernW, f.kernBoxes
		f.repulse(rep, pos)
		if f.kernW != w0 || f.kernBoxes != b0 {
			recomputed++
		}
		if f.boxes > 64 || f.m > 64*fftNodes {
			t.Fatalf("step %d: %d boxes, cap 64", step, f.boxes)
		}
		scale *= 1.01
	}
	// 1.01^700 is a factor of about 1,060: ten doublings, eight rungs each.
	if recomputed > 100 {
		t.Errorf("kernels recomputed %d times in 700 steps", recomputed)
	}
	t.Logf("kernels recomputed %d times; final grid %d boxes of width %.3g", recomputed, f.boxes, f.width)
	allocs := testing.AllocsPerRun(20, func() {
		for i := range pos {
			pos[i] *= 1.003 // crosses rungs now and then
		}
		f.repulse(rep, pos)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per repulsion", allocs)
	}
}

// TestTSNESeparatesBlobsFFT is TestTSNESeparatesBlobs with the FFT
// gradient.
func TestTSNESeparatesBlobsFFT(t *testing.T) {
	m, lab := blobs(800, 80, 6, 0.15, 5)
	r, err := TSNE(testCtx, m, TSNESettings{NIter: 500, Gradient: TSNEGradientFFT}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc := layoutKNNAccuracy(r.Layout, lab, 10); acc < 0.99 {
		t.Errorf("10-NN label accuracy %.4f in the layout", acc)
	}
	t.Logf("KL %.4f", r.KL)
}

// TestTSNEOptimizeDeterministicFFT: seeded runs with the FFT gradient
// repeat exactly, for any number of workers.
func TestTSNEOptimizeDeterministicFFT(t *testing.T) {
	m, _ := blobs(500, 10, 5, 0.3, 3)
	p, err := TSNEAffinities(testCtx, bruteKNN(m, 30), TSNESettings{Perplexity: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{TSNEGradientFFT, TSNEGradientAuto} {
		run := func(workers int) []float32 {
			r, err := TSNEOptimize(testCtx, p, nil, TSNESettings{NIter: 200, Seed: 9, Workers: workers, Gradient: g}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Stats.FFTIters == 0 || (g == TSNEGradientFFT && r.Stats.FFTIters != 200) {
				t.Errorf("%s: %d of 200 iterations on the FFT grid", g, r.Stats.FFTIters)
			}
			return r.Layout
		}
		a, b, c := run(1), run(1), run(3)
		for i := range a {
			if a[i] != b[i] || a[i] != c[i] {
				t.Fatalf("%s: runs differ at %d: %v, %v (1 worker), %v (3 workers)", g, i, a[i], b[i], c[i])
			}
		}
	}
}

// TestTSNEGradientSetting: the automatic choice by N, and a bad value
// refused before any work.
func TestTSNEGradientSetting(t *testing.T) {
	for _, c := range []struct {
		n    int
		set  string
		want string
	}{
		{500, "", TSNEGradientBH}, {TSNEFFTMinPoints - 1, "", TSNEGradientBH},
		{TSNEFFTMinPoints, "", TSNEGradientAuto}, {70000, "", TSNEGradientAuto},
		{70000, TSNEGradientBH, TSNEGradientBH}, {500, TSNEGradientFFT, TSNEGradientFFT},
	} {
		if got := (TSNESettings{Gradient: c.set}).withDefaults(c.n).Gradient; got != c.want {
			t.Errorf("n=%d Gradient %q: %q, want %q", c.n, c.set, got, c.want)
		}
	}
	m, _ := blobs(60, 5, 2, 0.5, 3)
	if _, err := TSNE(testCtx, m, TSNESettings{Gradient: "fast"}, nil); err == nil || !strings.Contains(err.Error(), `gradient "fast"`) {
		t.Errorf("Gradient \"fast\": %v", err)
	}
}

// BenchmarkTSNERepulsionFFT is one FFT interpolation pass, on the layouts
// of BenchmarkTSNERepulsion.
func BenchmarkTSNERepulsionFFT(b *testing.B) {
	for _, n := range []int{10000, 70000} {
		pos := benchLayout(n, 1)
		f := newFFTRepulsion(n, workerCount(0))
		rep := make([]float64, 2*n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			loopCPU(b, func() { benchSinkZ = f.repulse(rep, pos) })
		})
		f.close()
	}
}

// BenchmarkTSNERepulsionExtent compares the FFT grid with Barnes-Hut
// (theta 0.35, the default) at 70,000 points on layouts of growing extent,
// points in Morton order as the optimisation keeps them: the grid's cost
// follows its box count (unit boxes up to the cap), Barnes-Hut's the
// layout's shape.
func BenchmarkTSNERepulsionExtent(b *testing.B) {
	const n = 70000
	raw := benchLayout(n, 1) // about 640 units wide
	for _, ext := range []float64{30, 60, 120, 240} {
		scaled := make([]float64, 2*n)
		for i := range raw {
			scaled[i] = raw[i] * ext / 640
		}
		tr := newQuadTree(n, 0.35)
		tr.build(scaled)
		pos := make([]float64, 2*n)
		for s, i := range tr.order {
			pos[2*s], pos[2*s+1] = scaled[2*i], scaled[2*i+1]
		}
		rep := make([]float64, 2*n)
		f := newFFTRepulsion(n, workerCount(0))
		f.repulse(rep, pos)
		b.Run(fmt.Sprintf("fft/ext=%g/boxes=%d", ext, f.boxes), func(b *testing.B) {
			loopCPU(b, func() { benchSinkZ = f.repulse(rep, pos) })
		})
		f.close()
		b.Run(fmt.Sprintf("bh/ext=%g", ext), func(b *testing.B) {
			loopCPU(b, func() {
				tr.build(pos)
				benchSinkZ = tr.repulse(rep, workerCount(0))
			})
		})
	}
}
