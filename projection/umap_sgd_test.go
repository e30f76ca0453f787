package projection

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// randomSGDGraph returns a symmetric random graph on n points: each point
// gets 1 to maxOut edges of random weight to random others, one in
// zeroEvery of them (if zeroEvery > 0) of weight zero.
func randomSGDGraph(rng *rand.Rand, n, maxOut, zeroEvery int) *CSR {
	c := &COO{N: n}
	for i := 0; i < n; i++ {
		for range 1 + rng.IntN(maxOut) {
			j := int32(rng.IntN(n))
			if int(j) == i {
				continue
			}
			w := rng.Float32()
			if zeroEvery > 0 && rng.IntN(zeroEvery) == 0 {
				w = 0
			}
			c.Row = append(c.Row, int32(i), j)
			c.Col = append(c.Col, j, int32(i))
			c.Val = append(c.Val, w, w)
		}
	}
	return c.ToCSR()
}

// TestUMAPSGDKeepsSchedule runs the optimiser on a random graph and checks
// each edge's schedule against umap-learn's loop replayed edge by edge:
// every edge is sampled in exactly the epochs where it is due and draws
// exactly umap-learn's number of negative samples there, whatever the
// lanes (two per worker, or sixteen in epochLanes) and workers the edges
// are split into. Zero weights are never sampled.
func TestUMAPSGDKeepsSchedule(t *testing.T) {
	const n, epochs = 3000, 37
	rng := rand.New(rand.NewPCG(3, 4))
	g := randomSGDGraph(rng, n, 12, 50)
	for _, tc := range []struct {
		workers int
		lanes   bool
	}{{1, false}, {2, false}, {3, false}, {1, true}, {2, true}, {3, true}} {
		workers := tc.workers
		pos := make([]float32, 2*n)
		for i := range pos {
			pos[i] = 10 * rng.Float32()
		}
		o := newUMAPOptimizer(g, pos, 1.58, 0.9, 1, 5, 9, workers)
		o.lanes = tc.lanes
		want := make([]umapEdge, len(o.edges))
		wantNext := make([]float32, len(o.next))
		copy(want, o.edges)
		copy(wantNext, o.next)
		if err := o.run(context.Background(), epochs, 1, nil); err != nil {
			t.Fatal(err)
		}
		sampled := 0
		for p := range want {
			e := &want[p]
			everyNeg := e.every / o.negRate
			for ep := float32(0); ep < epochs; ep++ {
				if wantNext[p] <= ep && e.every > 0 {
					wantNext[p] += e.every
					k := int((ep - e.nextNeg) / everyNeg)
					e.nextNeg += float32(k) * everyNeg
					sampled++
				}
			}
			if o.next[p] != wantNext[p] || o.edges[p].nextNeg != e.nextNeg {
				t.Fatalf("workers %d, lanes %v: edge %d (every %g): next sample at %g, negatives at %g; umap-learn's schedule says %g and %g",
					workers, tc.lanes, p, e.every, o.next[p], o.edges[p].nextNeg, wantNext[p], e.nextNeg)
			}
		}
		if sampled < 10*n {
			t.Fatalf("only %d samples: the test graph is too sparse to mean much", sampled)
		}
		if i := nonFinite(pos); i >= 0 {
			t.Fatalf("workers %d: point %d not finite", workers, i/2)
		}
	}
}

// TestSGDProbeKeepsTheFaster checks the SGD's choice between parallel and
// one-goroutine epochs: epochs 1-2 parallel, 3-4 on one goroutine, then
// the one with less time per sampled edge (parallel on a tie or when a
// side sampled nothing), whatever the epochs' edge counts.
func TestSGDProbeKeepsTheFaster(t *testing.T) {
	for _, tt := range []struct {
		name                   string
		par, seq               time.Duration // time of each probe epoch
		parEdges, seqEdges     int
		wantParallelAfterwards bool
	}{
		{"parallel faster", 10 * time.Millisecond, 30 * time.Millisecond, 1000, 1000, true},
		{"one goroutine faster", 30 * time.Millisecond, 10 * time.Millisecond, 1000, 1000, false},
		{"one goroutine slower in all but faster per edge", 10 * time.Millisecond, 15 * time.Millisecond, 300, 1000, false},
		{"a tie", 10 * time.Millisecond, 10 * time.Millisecond, 1000, 1000, true},
		{"nothing sampled", 10 * time.Millisecond, 1 * time.Millisecond, 0, 1000, true},
	} {
		var p sgdProbe
		var got []bool
		for n := 0; n < 8; n++ {
			par := p.choose(n)
			got = append(got, par)
			d, e := tt.seq, tt.seqEdges
			if par {
				d, e = tt.par, tt.parEdges
			}
			p.record(n, par, d, []int{e / 2, e - e/2})
		}
		want := []bool{true, true, true, false, false}
		for range 3 {
			want = append(want, tt.wantParallelAfterwards)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: epochs ran in parallel %v, want %v", tt.name, got, want)
		}
	}
}

// TestEpochPipelinedMatchesLanes: the pipelined epochs (bookkeeping on a
// second goroutine) leave positions and schedules bit for bit as the
// workers' shares run one after the other by epochLanes.
func TestEpochPipelinedMatchesLanes(t *testing.T) {
	const n, epochs = 4000, 12
	rng := rand.New(rand.NewPCG(5, 7))
	g := randomSGDGraph(rng, n, 30, 0)
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = 10 * rng.Float32()
	}
	for _, workers := range []int{1, 3} {
		a := newUMAPOptimizer(g, slices.Clone(pos), 1.58, 0.9, 1, 5, 9, workers)
		b := newUMAPOptimizer(g, slices.Clone(pos), 1.58, 0.9, 1, 5, 9, workers)
		for ep := range epochs {
			alpha := float32(1 - float64(ep)/epochs)
			for w := range a.rngs {
				a.epochLanes(w, float32(ep), alpha)
			}
			b.epochPipelined(float32(ep), alpha)
		}
		sampled := 0
		for w := range a.dueN {
			sampled += a.dueN[w]
		}
		if sampled < n {
			t.Fatalf("workers %d: %d edges sampled in the last epoch: too few to mean much", workers, sampled)
		}
		for i := range a.pos {
			if math.Float32bits(a.pos[i]) != math.Float32bits(b.pos[i]) {
				t.Fatalf("workers %d: coordinate %d of point %d: pipelined %v, one after the other %v", workers, i%2, i/2, b.pos[i], a.pos[i])
			}
		}
		if !slices.Equal(a.next, b.next) || !slices.Equal(a.edges, b.edges) || !slices.Equal(a.rngs, b.rngs) || !slices.Equal(a.laneRNGs, b.laneRNGs) {
			t.Fatalf("workers %d: schedules or generators differ", workers)
		}
	}
}
