package projection

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSGDStepsAVX2MatchesGo: the AVX2 steps leave the positions and the
// generators bit for bit as sgdStepsGo does, on random steps over few
// points (lanes sharing heads and tails, samples of the head itself),
// coincident points (distance zero), spreads from 1e-13 to 1e19 (squared
// distances below and above the force tables, up to +Inf), negative-sample
// counts from -1 to 9, and 0 to 40 steps.
func TestSGDStepsAVX2MatchesGo(t *testing.T) {
	if !sgdAVX2 {
		t.Fatal("this CPU has no AVX2: the kernel under test cannot run")
	}
	g := newUMAPForceTable(func(d2 float64) float64 { return -2 * 1.58 * 0.9 * math.Pow(d2, -0.1) / (1.58*math.Pow(d2, 0.9) + 1) })
	r := newUMAPForceTable(func(d2 float64) float64 { return 2 * 0.9 / ((0.001 + d2) * (1.58*math.Pow(d2, 0.9) + 1)) })
	rng := rand.New(rand.NewPCG(5, 6))
	cases := 0
	for _, n := range []int{1, 2, 9, 60, 5000} {
		for _, spread := range []float64{1e-13, 1e-3, 1, 30, 1e19} {
			for _, steps := range []int{0, 1, 3, 40} {
				pos := make([]float32, 2*n)
				for i := range pos {
					pos[i] = float32(spread * rng.NormFloat64())
				}
				if n > 2 { // coincident points
					pos[2], pos[3] = pos[0], pos[1]
				}
				m := sgdLanes * steps
				heads, tails, nneg := make([]int32, m), make([]int32, m), make([]int32, m)
				for i := range heads {
					heads[i] = int32(rng.IntN(n))
					tails[i] = int32(rng.IntN(n))
					nneg[i] = int32(rng.IntN(11) - 1)
				}
				alpha := float32(0.1 + rng.Float64())
				lanes := newSGDLaneRNG(rng.Uint64(), rng.IntN(4))
				want, got := append([]float32(nil), pos...), append([]float32(nil), pos...)
				wantRNG, gotRNG := lanes, lanes
				sgdStepsGo(want, heads, tails, nneg, g.tab, r.tab, &wantRNG, uint32(n), alpha)
				sgdStepsAVX2(got, heads, tails, nneg, g.tab, r.tab, &gotRNG, uint32(n), alpha)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("n %d, spread %g, %d steps: coordinate %d of point %d is %v, sgdStepsGo says %v",
							n, spread, steps, i%2, i/2, got[i], want[i])
					}
				}
				if gotRNG != wantRNG {
					t.Fatalf("n %d, spread %g, %d steps: generators %v, sgdStepsGo leaves %v", n, spread, steps, gotRNG, wantRNG)
				}
				cases++
			}
		}
	}
	t.Logf("%d cases agree", cases)
}

// BenchmarkSGDSteps times the eight-lane steps (AVX2 and Go) on 70,000
// random points with 5 negative samples per edge, per edge (ns/edge).
// Run with
//
//	go test ./projection -run XXX -bench SGDSteps
func BenchmarkSGDSteps(b *testing.B) {
	const n, steps = 70000, 4096
	rng := rand.New(rand.NewPCG(7, 8))
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = float32(10 * rng.NormFloat64())
	}
	m := sgdLanes * steps
	heads, tails, nneg := make([]int32, m), make([]int32, m), make([]int32, m)
	for j := 0; j < steps; j++ {
		for l := 0; l < sgdLanes; l++ {
			h := int32(l*n/sgdLanes + j/20) // each lane walks its rows, ~20 edges a row
			heads[sgdLanes*j+l] = h
			tails[sgdLanes*j+l] = int32(rng.IntN(n))
			nneg[sgdLanes*j+l] = 5
		}
	}
	g := newUMAPForceTable(func(d2 float64) float64 { return -2 * 1.58 * 0.9 * math.Pow(d2, -0.1) / (1.58*math.Pow(d2, 0.9) + 1) })
	r := newUMAPForceTable(func(d2 float64) float64 { return 2 * 0.9 / ((0.001 + d2) * (1.58*math.Pow(d2, 0.9) + 1)) })
	lanes := newSGDLaneRNG(1, 0)
	for _, k := range []struct {
		name string
		run  func([]float32, []int32, []int32, []int32, []float32, []float32, *sgdLaneRNG, uint32, float32)
	}{{"AVX2", sgdStepsAVX2}, {"Go", sgdStepsGo}} {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				k.run(pos, heads, tails, nneg, g.tab, r.tab, &lanes, n, 0.01)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*m), "ns/edge")
		})
	}
}
