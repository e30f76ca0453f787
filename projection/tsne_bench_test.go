package projection

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// loopCPU runs body b.N times (b.Loop) and reports CPU milliseconds per op.
func loopCPU(b *testing.B, body func()) {
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		body()
		n++
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

var benchSinkZ float64

// benchLayout is a layout shaped like a converged t-SNE of N points: ten
// blobs whose size grows with sqrt(N) (as openTSNE's learning rate N/12
// makes it), plus a sprinkle of outliers.
func benchLayout(n int, seed uint64) []float64 {
	pos := clusteredLayout(n, seed)
	f := 1.0
	for s := 1000; s < n; s *= 4 {
		f *= 2
	}
	for i := range pos {
		pos[i] *= f
	}
	return pos
}

// randomAffinities returns a symmetric CSR with k random neighbours per
// point among the 3k nearest in index order after sorting points along a
// space-filling order, so that the attractive pass touches memory roughly
// like a real kNN graph would.
func randomAffinities(n, k int, seed uint64) *CSR {
	rng := rand.New(rand.NewPCG(seed, 2))
	g := NewKNN(n, k)
	for i := 0; i < n; i++ {
		for s := 0; s < k; s++ {
			j := i + 1 + rng.IntN(3*k)
			if j >= n {
				j -= n
			}
			g.Index[i*k+s] = int32(j)
			g.Dist[i*k+s] = float32(1 + rng.Float64())
		}
	}
	// Drop repeats within a row.
	for i := 0; i < n; i++ {
		row := g.Index[i*k : (i+1)*k]
		for a := range row {
			for b := 0; b < a; b++ {
				if row[a] == row[b] {
					row[a] = -1
					break
				}
			}
		}
	}
	p, err := TSNEAffinities(testCtx, g, TSNESettings{Perplexity: float64(k) / 3})
	if err != nil {
		panic(err)
	}
	return p
}

// BenchmarkTSNERepulsion is one Barnes-Hut pass (tree build plus forces).
func BenchmarkTSNERepulsion(b *testing.B) {
	for _, n := range []int{10000, 70000} {
		pos := benchLayout(n, 1)
		tr := newQuadTree(n, 0.5)
		rep := make([]float64, 2*n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			loopCPU(b, func() {
				tr.build(pos)
				benchSinkZ = tr.repulse(rep, 0)
			})
		})
	}
}

// BenchmarkTSNEBuild is the quadtree build alone.
func BenchmarkTSNEBuild(b *testing.B) {
	n := 70000
	pos := benchLayout(n, 1)
	tr := newQuadTree(n, 0.5)
	loopCPU(b, func() { tr.build(pos) })
}

// BenchmarkTSNEIteration is one whole gradient evaluation and step with
// 90 neighbours per point.
func BenchmarkTSNEIteration(b *testing.B) {
	for _, n := range []int{10000, 70000} {
		pos := benchLayout(n, 1)
		p := randomAffinities(n, 90, 1)
		obj := newTSNEObjective(p, 0.5, workerCount(0))
		opt := newTSNEOptimizer(n)
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			loopCPU(b, func() {
				benchSinkZ, _ = obj.gradient(opt.grad, pos, 1, false)
				opt.step(pos, 0, 0.8) // zero step: keep the layout fixed
			})
		})
	}
}

// BenchmarkTSNEAttract is one attractive pass (70,000 points, 128
// non-zeros of P per row, neighbours within a few thousand indices as after
// the Morton renumbering); "cached" runs the same number of edges over a
// P small enough to stay in cache, so the ratio of the two shows how much
// of the pass waits on memory.
func BenchmarkTSNEAttract(b *testing.B) {
	for _, c := range []struct {
		name    string
		n, reps int
	}{{"streamed", 70000, 1}, {"cached", 3500, 20}} {
		rng := rand.New(rand.NewPCG(7, 8))
		pos := benchLayout(c.n, 1)
		p := &CSR{N: c.n, RowPtr: make([]int, c.n+1)}
		for i := 0; i < c.n; i++ {
			for range 128 { // a multiple of 8, as renumber pads rows
				j := i + rng.IntN(4001) - 2000
				j = min(max(j, 0), c.n-1)
				p.Col = append(p.Col, int32(j))
				p.Val = append(p.Val, float32(rng.Float64()*1e-6))
			}
			p.RowPtr[i+1] = len(p.Col)
		}
		obj := newTSNEObjective(p, 0.5, workerCount(0))
		b.Run(c.name, func(b *testing.B) {
			loopCPU(b, func() {
				for range c.reps {
					obj.attract(pos, false)
				}
			})
		})
	}
}
