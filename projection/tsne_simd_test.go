package projection

import (
	"math"
	"math/rand/v2"
	"testing"
)

// closeRel reports whether a and b agree to rel relative to scale.
func closeRel(a, b, scale, rel float64) bool {
	return math.Abs(a-b) <= rel*scale
}

// randomList fills l with np points and nc cells around the origin at the
// given spread; cells get non-negative moments of a plausible size.
func randomList(l *qtList, rng *rand.Rand, np, nc int, spread float64) {
	l.reset()
	for range np {
		l.addPoint(spread*rng.NormFloat64(), spread*rng.NormFloat64())
	}
	for range nc {
		w := spread * rng.Float64() / 4
		a, b := w*w*rng.Float64(), w*w*rng.Float64()
		c := math.Sqrt(a*b) * (2*rng.Float64() - 1)
		nd := qtNode{cx: spread * rng.NormFloat64(), cy: spread * rng.NormFloat64(), n: float64(1 + rng.IntN(50)), mxx: a, mxy: c, myy: b}
		l.addCell(&nd)
	}
}

// TestQTListPadKeepsSums: padding a list to a multiple of 8 entries (as
// the AVX-512 kernel needs) leaves the portable sum bit for bit unchanged.
func TestQTListPadKeepsSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var l qtList
	for np := 1; np < 10; np++ {
		for nc := 0; nc < 10; nc++ {
			randomList(&l, rng, np, nc, 20)
			xi, yi := 20*rng.NormFloat64(), 20*rng.NormFloat64()
			fx0, fy0, z0 := l.sumGo(xi, yi)
			l.pad()
			if len(l.x)%8 != 0 || len(l.cx)%8 != 0 || len(l.myy) != len(l.cx) {
				t.Fatalf("pad left %d points, %d cells", len(l.x), len(l.cx))
			}
			fx, fy, z := l.sumGo(xi, yi)
			if fx != fx0 || fy != fy0 || z != z0 {
				t.Fatalf("%d points, %d cells: padded sum (%v, %v, %v) != (%v, %v, %v)", np, nc, fx, fy, z, fx0, fy0, z0)
			}
		}
	}
}

// TestQTSumAVX2MatchesGo: the AVX2 and AVX-512 interaction-list kernels agree with the
// portable one to 1e-12 of the sum of the magnitudes of the terms, on
// random lists of every length modulo 4, coordinates from 1e-3 to 1e4
// units, and the point itself in the list (distance zero).
func TestQTSumAVX2MatchesGo(t *testing.T) {
	type kernel struct {
		name string
		sum  func(*qtList, float64, float64) (float64, float64, float64)
	}
	kernels := []kernel{{"AVX2", qtSumAVX2}}
	if tsneAVX512 {
		kernels = append(kernels, kernel{"AVX-512", qtSumAVX512})
	}
	t.Logf("kernels checked: %d (AVX-512: %v)", len(kernels), tsneAVX512)
	rng := rand.New(rand.NewPCG(3, 4))
	var l qtList
	for _, spread := range []float64{1e-3, 1, 50, 1e4} {
		for np := 0; np < 20; np++ {
			for nc := 0; nc < 20; nc++ {
				randomList(&l, rng, np, nc, spread)
				xi, yi := spread*rng.NormFloat64(), spread*rng.NormFloat64()
				if np > 0 {
					xi, yi = l.x[0], l.y[0]
				}
				l.pad()
				fx0, fy0, z0 := l.sumGo(xi, yi)
				// Scale: the same sums over absolute values.
				var ax, ay, az float64
				for e := range l.x {
					dx, dy := xi-l.x[e], yi-l.y[e]
					q := 1 / (1 + dx*dx + dy*dy)
					az += q
					ax += q * q * math.Abs(dx)
					ay += q * q * math.Abs(dy)
				}
				for e := range l.cx {
					dx, dy := xi-l.cx[e], yi-l.cy[e]
					q := 1 / (1 + dx*dx + dy*dy)
					m := l.n[e] + (l.mxx[e]+math.Abs(l.mxy[e])+l.myy[e])*(1+dx*dx+dy*dy)*q*q
					az += m * q
					ax += m * q * q * (1 + math.Abs(dx))
					ay += m * q * q * (1 + math.Abs(dy))
				}
				const rel = 1e-12
				for _, k := range kernels {
					fx, fy, z := k.sum(&l, xi, yi)
					if !closeRel(fx, fx0, ax, rel) || !closeRel(fy, fy0, ay, rel) || !closeRel(z, z0, az, rel) {
						t.Fatalf("spread %g, %d points, %d cells: %s (%v, %v, %v), Go (%v, %v, %v)", spread, np, nc, k.name, fx, fy, z, fx0, fy0, z0)
					}
				}
			}
		}
	}
}

// TestAttractAVX2MatchesGo: the float32 AVX2 attraction kernel plus the
// float64 tail agrees with attractGo over the same float32 positions to
// 2e-5 of the sum of the terms' magnitudes, on rows of every length from 0
// to 40, neighbours anywhere in the layout (the first and last point
// included) and the point itself among them, at scales from 1e-3 to 1e4.
func TestAttractAVX2MatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 1000
	for _, spread := range []float64{1e-3, 1, 50, 1e4} {
		// The kernel reads float32 positions: compare on a layout that
		// float32 holds exactly.
		pos := make([]float64, 2*n)
		pos32 := make([]float32, 2*n)
		for k := range pos {
			pos32[k] = float32(spread * rng.NormFloat64())
			pos[k] = float64(pos32[k])
		}
		for length := 0; length <= 40; length++ {
			i := rng.IntN(n)
			cols := make([]int32, length)
			vals := make([]float32, length)
			for e := range cols {
				cols[e] = int32(rng.IntN(n))
				vals[e] = float32(rng.Float64() * 1e-5)
			}
			if length > 2 {
				cols[0], cols[1], cols[2] = int32(i), 0, n-1
			}
			xi, yi := pos[2*i], pos[2*i+1]
			fx0, fy0 := attractGo(pos, cols, vals, xi, yi)
			m := length &^ 7
			ax, ay := attractAVX2(pos32, cols, vals, pos32[2*i], pos32[2*i+1])
			fx, fy := attractGo(pos, cols[m:], vals[m:], xi, yi)
			fx += float64(ax)
			fy += float64(ay)
			var sx, sy float64
			for e, j := range cols {
				dx, dy := xi-pos[2*j], yi-pos[2*j+1]
				w := float64(vals[e]) / (1 + dx*dx + dy*dy)
				sx += w * math.Abs(dx)
				sy += w * math.Abs(dy)
			}
			if !closeRel(fx, fx0, sx, 2e-5) || !closeRel(fy, fy0, sy, 2e-5) {
				t.Fatalf("spread %g, row of %d: AVX2 (%v, %v), Go (%v, %v)", spread, length, fx, fy, fx0, fy0)
			}
		}
	}
}

// TestTSNEGradientSIMDAndRenumbered: the gradient as iterations compute it
// (attraction in float32 SIMD lanes, P's rows padded by the Morton
// renumbering) matches the float64 gradient of the KL iterations (itself
// checked against finite differences) to 1e-5 of the largest component,
// before and after the points are renumbered.
func TestTSNEGradientSIMDAndRenumbered(t *testing.T) {
	m, _ := blobs(400, 10, 4, 0.5, 5)
	p, err := TSNEAffinities(testCtx, bruteKNN(m, 30), TSNESettings{Perplexity: 10, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(6, 6))
	pos := make([]float64, 2*p.N)
	for i := range pos {
		pos[i] = 10 * rng.NormFloat64()
	}
	obj := newTSNEObjective(p, 0, 2)
	want := make([]float64, len(pos))
	obj.gradient(want, pos, 12, true)
	scale := 0.0
	for _, g := range want {
		scale = max(scale, math.Abs(g))
	}
	check := func(when string) {
		got := make([]float64, len(pos))
		obj.gradient(got, pos, 12, false)
		for i, c := range obj.perm {
			for a := range 2 {
				if d := math.Abs(got[2*i+a] - want[2*int(c)+a]); d > 1e-5*scale {
					t.Fatalf("%s: gradient of point %d differs by %g (largest component %g)", when, c, d, scale)
				}
			}
		}
	}
	check("before renumbering")
	obj.renumber(pos, newTSNEOptimizer(p.N))
	for i := 0; i < p.N; i++ {
		c := obj.perm[i]
		if n := p.RowPtr[c+1] - p.RowPtr[c]; obj.p.RowPtr[i+1]-obj.p.RowPtr[i] < n {
			t.Fatalf("renumbered row %d lost non-zeros", i)
		}
		if (obj.p.RowPtr[i+1]-obj.p.RowPtr[i])%8 != 0 {
			t.Fatalf("renumbered row %d has %d entries, not a multiple of 8", i, obj.p.RowPtr[i+1]-obj.p.RowPtr[i])
		}
	}
	check("after renumbering")
}
