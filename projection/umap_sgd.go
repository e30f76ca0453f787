package projection

import (
	"context"
	"math"
	"runtime"
	"slices"
	"time"
)

// umapEdge is one directed edge of the fuzzy graph with its sampling
// schedule (umap-learn's epochs_per_sample and epoch_of_next_negative_sample;
// epoch_of_next_sample is kept apart, in umapOptimizer.next, for the scan
// that lists the edges due in an epoch). Edges are stored row by row as in
// the CSR graph.
type umapEdge struct {
	head, tail int32
	every      float32 // epochs between samples: wmax / w
	nextNeg    float32 // epoch of the next negative samples
}

// umapOptimizer holds the state of umap-learn's optimize_layout_euclidean.
type umapOptimizer struct {
	n        int
	edges    []umapEdge
	next     []float32 // epoch of each edge's next attractive sample; +Inf for never
	pos      []float32 // N x 2 interleaved; head and tail embedding at once
	a, b     float32
	gamma    float32   // repulsion strength
	negRate  float32   // negative samples per positive sample
	chunks   []int     // edge boundaries of the workers' shares (whole rows)
	mids     []int     // edge boundary of each share's two lanes (whole rows)
	due      [][]int32 // each worker's list of the edges due in this epoch
	dueN     []int     // the length of each worker's list in the last epoch
	rngs     []umapRNG
	lanes    bool           // epochs run in sgdLanes lanes (epochLanes)
	batches  []sgdBatch     // each worker's prepared steps (epochLanes)
	pipe     []sgdBatch     // the batches epochPipelined passes round
	laneRNGs []sgdLaneRNG   // each worker's lane generators (epochLanes)
	att      umapForceTable // attractive gradient coefficient by squared distance
	rep      umapForceTable // repulsive gradient coefficient by squared distance
}

// newUMAPOptimizer schedules the edges of g as umap-learn's
// make_epochs_per_sample: an edge of weight w is sampled every wmax/w
// epochs, and negative samples are drawn negRate times as often.
func newUMAPOptimizer(g *CSR, pos []float32, a, b, gamma float64, negRate int, seed uint64, workers int) *umapOptimizer {
	o := &umapOptimizer{
		n: g.N, pos: pos,
		a: float32(a), b: float32(b), gamma: float32(gamma), negRate: float32(negRate),
		edges: makeHuge[umapEdge](g.NNZ()),
		next:  makeHuge[float32](g.NNZ()),
	}
	var wmax float32
	for _, v := range g.Val {
		wmax = max(wmax, v)
	}
	for i := 0; i < g.N; i++ {
		for p := g.RowPtr[i]; p < g.RowPtr[i+1]; p++ {
			e := &o.edges[p]
			e.head, e.tail = int32(i), g.Col[p]
			// n_samples = n_epochs * w/wmax; epochs_per_sample = n_epochs / n_samples.
			e.every = -1
			o.next[p] = inf32
			if v := g.Val[p]; v > 0 {
				e.every = float32(float64(wmax) / float64(v))
				o.next[p] = e.every
			}
			e.nextNeg = e.every / o.negRate
		}
	}
	// Split rows into contiguous shares with about equal numbers of edges,
	// and each share into two lanes likewise.
	workers = max(1, min(workers, g.N))
	o.chunks = make([]int, workers+1)
	o.mids = make([]int, workers)
	rowEdge := func(target int) int { // first row boundary at or after edge target
		r, _ := slices.BinarySearch(g.RowPtr, target)
		return g.RowPtr[r]
	}
	for w := 1; w < workers; w++ {
		o.chunks[w] = rowEdge(w * g.NNZ() / workers)
	}
	o.chunks[workers] = g.NNZ()
	o.due = make([][]int32, workers)
	o.dueN = make([]int, workers)
	for w := range o.mids {
		o.mids[w] = rowEdge((o.chunks[w] + o.chunks[w+1]) / 2)
		o.due[w] = makeHuge[int32](o.chunks[w+1] - o.chunks[w])
	}
	af, bf, gf := float64(o.a), float64(o.b), float64(o.gamma)
	o.att = newUMAPForceTable(func(d2 float64) float64 {
		return -2 * af * bf * math.Pow(d2, bf-1) / (af*math.Pow(d2, bf) + 1)
	})
	o.rep = newUMAPForceTable(func(d2 float64) float64 {
		return 2 * gf * bf / ((0.001 + d2) * (af*math.Pow(d2, bf) + 1))
	})
	o.rngs = make([]umapRNG, workers)
	o.laneRNGs = make([]sgdLaneRNG, workers)
	for w := range o.rngs {
		o.rngs[w] = newUMAPRNG(seed, uint64(w))
		o.laneRNGs[w] = newSGDLaneRNG(seed, w)
	}
	o.batches = make([]sgdBatch, workers)
	o.pipe = make([]sgdBatch, 3)
	o.lanes = sgdUseLanes
	return o
}

// run performs nEpochs epochs with the learning rate falling linearly from
// alpha0 (umap-learn's schedule: epoch n > 0 uses alpha0 (1 - (n-1)/nEpochs)).
// Between epochs it checks ctx and reports progress and snapshots.
//
// With several workers it first times sgdProbe epochs with the workers'
// shares run at once (hogwild) and sgdProbe with the same shares run one
// after the other on one goroutine, and keeps the faster way, per sampled
// edge, for the rest: the shares and their random streams are the same
// either way, only the interleaving differs. Sharing the positions costs
// more than a second core gives on some machines (on the 2-vCPU machine of
// BENCHMARKS.md one goroutine took 4.9 s for the epochs, two 7.3-8.8 s).
func (o *umapOptimizer) run(ctx context.Context, nEpochs int, alpha0 float64, h *Hooks) error {
	alpha := alpha0
	workers := len(o.rngs)
	if raceEnabled {
		workers = 1 // hogwild updates are benign races, but races all the same
	}
	parallel := workers > 1
	var probe sgdProbe
	for n := 0; n < nEpochs; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if workers > 1 {
			parallel = probe.choose(n)
		}
		start := time.Now()
		epoch := o.epoch
		if o.lanes {
			epoch = o.epochLanes
		}
		switch {
		case !parallel && o.lanes && runtime.GOMAXPROCS(0) > 1:
			o.epochPipelined(float32(n), float32(alpha))
		case !parallel:
			for w := range o.rngs {
				epoch(w, float32(n), float32(alpha))
			}
		default:
			parallelRanges(len(o.rngs), len(o.rngs), func(w, _, _ int) {
				epoch(w, float32(n), float32(alpha))
			})
		}
		if workers > 1 {
			probe.record(n, parallel, time.Since(start), o.dueN)
		}
		alpha = alpha0 * (1 - float64(n)/float64(nEpochs))
		h.progress("optimize", n+1, nEpochs)
		if n+1 < nEpochs {
			h.snapshot(o.pos, n+1, false)
		}
	}
	h.snapshot(o.pos, nEpochs, true)
	return nil
}

// sgdProbeEpochs is how many epochs the SGD times each way (parallel and
// on one goroutine) before it keeps the faster; epoch 0 samples nothing
// and is not timed.
const sgdProbeEpochs = 2

// sgdProbe times epochs 1..sgdProbeEpochs in parallel and the next
// sgdProbeEpochs on one goroutine, then chooses.
type sgdProbe struct {
	spent [2]time.Duration // one goroutine, parallel
	edges [2]int           // edges sampled in the timed epochs
}

// choose says whether epoch n runs in parallel.
func (p *sgdProbe) choose(n int) bool {
	switch {
	case n <= sgdProbeEpochs:
		return true
	case n <= 2*sgdProbeEpochs:
		return false
	}
	return p.parallelFaster()
}

// record adds epoch n's time d and sampled edges (per worker) to the probe.
func (p *sgdProbe) record(n int, parallel bool, d time.Duration, dueN []int) {
	if n < 1 || n > 2*sgdProbeEpochs {
		return
	}
	k := 0
	if parallel {
		k = 1
	}
	p.spent[k] += d
	for _, c := range dueN {
		p.edges[k] += c
	}
}

// parallelFaster reports whether the parallel epochs took less time per
// sampled edge than those on one goroutine (parallel when either sampled
// nothing).
func (p *sgdProbe) parallelFaster() bool {
	if p.edges[0] == 0 || p.edges[1] == 0 {
		return true
	}
	return float64(p.spent[1])/float64(p.edges[1]) <= float64(p.spent[0])/float64(p.edges[0])
}

// dueEdges lists the edges in [lo, hi) due for sampling in epoch n into
// due, in order, and returns the list. An edge's schedule changes only
// when it is sampled, so listing them all before sampling any picks the
// same edges as checking each in turn, without a branch per edge.
func (o *umapOptimizer) dueEdges(due []int32, lo, hi int, n float32) []int32 {
	c := 0
	next := o.next[lo:hi]
	due = due[:len(next)]
	for i, t := range next {
		due[c] = int32(lo + i)
		d := 0
		if t <= n {
			d = 1
		}
		c += d
	}
	return due[:c]
}

// epoch runs one epoch of umap-learn's _optimize_layout_euclidean_single_epoch
// over worker w's share of the edges. Workers share the positions without
// locks (hogwild), as umap-learn's parallel mode does.
//
// Each sample's update depends on the previous one through the head's
// position, a chain of dependent floating-point operations that leaves
// most of the core idle. So a worker walks two halves of its rows as two
// lanes in lockstep, their negative samples interleaved in one loop: two
// independent chains, as two of umap-learn's threads would run, but in a
// fixed order, so one worker stays reproducible.
func (o *umapOptimizer) epoch(w int, n, alpha float32) {
	lo, hi := o.chunks[w], o.chunks[w+1]
	due := o.dueEdges(o.due[w], lo, hi, n)
	o.dueN[w] = len(due)
	split, _ := slices.BinarySearch(due, int32(o.mids[w]))
	laneA, laneB := due[:split], due[split:]
	rng := o.rngs[w]
	nv := uint64(o.n)
	m := min(len(laneA), len(laneB))
	for j := 0; j < m; j++ {
		ea, eb := &o.edges[laneA[j]], &o.edges[laneB[j]]
		ia, ib := int(ea.head), int(eb.head)
		ax, ay := o.attract(ia, ea, alpha)
		bx, by := o.attract(ib, eb, alpha)
		o.next[laneA[j]] += ea.every
		o.next[laneB[j]] += eb.every
		na, everyA := o.negatives(ea, n)
		nb, everyB := o.negatives(eb, n)
		pos := o.pos
		for t := min(na, nb); t > 0; t-- {
			ka := int((uint64(rng.next()>>32) * nv) >> 32)
			kb := int((uint64(rng.next()>>32) * nv) >> 32)
			// repel for both lanes, written out so that it is inlined.
			dxa, dya := ax-pos[2*ka], ay-pos[2*ka+1]
			dxb, dyb := bx-pos[2*kb], by-pos[2*kb+1]
			ga, oka := o.rep.at(dxa*dxa + dya*dya)
			gb, okb := o.rep.at(dxb*dxb + dyb*dyb)
			if !oka || !okb || ka == ia || kb == ib {
				if ka != ia { // umap-learn skips a sample of the point itself
					ax, ay = o.repel(ax, ay, ka, alpha)
				}
				if kb != ib {
					bx, by = o.repel(bx, by, kb, alpha)
				}
				continue
			}
			ax += clip4(ga*dxa) * alpha
			ay += clip4(ga*dya) * alpha
			bx += clip4(gb*dxb) * alpha
			by += clip4(gb*dyb) * alpha
		}
		for t := na - min(na, nb); t > 0; t-- {
			if k := int((uint64(rng.next()>>32) * nv) >> 32); k != ia {
				ax, ay = o.repel(ax, ay, k, alpha)
			}
		}
		for t := nb - min(na, nb); t > 0; t-- {
			if k := int((uint64(rng.next()>>32) * nv) >> 32); k != ib {
				bx, by = o.repel(bx, by, k, alpha)
			}
		}
		ea.nextNeg += float32(na) * everyA
		eb.nextNeg += float32(nb) * everyB
		pos[2*ia], pos[2*ia+1] = ax, ay
		pos[2*ib], pos[2*ib+1] = bx, by
	}
	// One lane is done: finish the other alone.
	for _, lane := range [][]int32{laneA[m:], laneB[m:]} {
		for _, p := range lane {
			o.sample(p, n, alpha, &rng)
		}
	}
	o.rngs[w] = rng
}

// sample samples edge p alone in epoch n: its attractive update, its
// negative samples drawn from rng, and its schedule.
func (o *umapOptimizer) sample(p int32, n, alpha float32, rng *umapRNG) {
	e := &o.edges[p]
	i := int(e.head)
	x, y := o.attract(i, e, alpha)
	o.next[p] += e.every
	ne, every := o.negatives(e, n)
	nv := uint64(o.n)
	for t := ne; t > 0; t-- {
		if k := int((uint64(rng.next()>>32) * nv) >> 32); k != i {
			x, y = o.repel(x, y, k, alpha)
		}
	}
	e.nextNeg += float32(ne) * every
	o.pos[2*i], o.pos[2*i+1] = x, y
}

// attract applies the attractive update along edge e from head i (both
// ends move) and returns the head's new
// position, which the caller writes back.
func (o *umapOptimizer) attract(i int, e *umapEdge, alpha float32) (float32, float32) {
	k := int(e.tail)
	pos := o.pos
	cx, cy := pos[2*i], pos[2*i+1]
	ox, oy := pos[2*k], pos[2*k+1]
	dx, dy := cx-ox, cy-oy
	if d2 := dx*dx + dy*dy; d2 > 0 {
		gc, ok := o.att.at(d2)
		if !ok {
			gc = o.attSlow(d2)
		}
		gx := clip4(gc*dx) * alpha
		gy := clip4(gc*dy) * alpha
		pos[2*k], pos[2*k+1] = ox-gx, oy-gy
		return cx + gx, cy + gy
	}
	return cx, cy
}

// negatives returns the number of negative samples edge e is due in epoch n
// and the epochs between them.
func (o *umapOptimizer) negatives(e *umapEdge, n float32) (int, float32) {
	every := e.every / o.negRate
	return int((n - e.nextNeg) / every), every
}

// repel applies the repulsive update of a head at (cx, cy) from point k
// and returns the head's new position. A sample at distance 0 pushes by
// 4 alpha along both axes, as umap-learn.
func (o *umapOptimizer) repel(cx, cy float32, k int, alpha float32) (float32, float32) {
	dx, dy := cx-o.pos[2*k], cy-o.pos[2*k+1]
	d2 := dx*dx + dy*dy
	gc, ok := o.rep.at(d2)
	if !ok {
		if d2 <= 0 {
			return cx + 4*alpha, cy + 4*alpha
		}
		gc = o.repSlow(d2)
	}
	return cx + clip4(gc*dx)*alpha, cy + clip4(gc*dy)*alpha
}

// attSlow is the attractive coefficient -2ab d2^(b-1) / (1 + a d2^b) for
// d2 outside the table.
func (o *umapOptimizer) attSlow(d2 float32) float32 {
	pb1 := fastExp2((o.b - 1) * fastLog2(d2)) // d2^(b-1)
	return -2 * o.a * o.b * pb1 / (o.a*pb1*d2 + 1)
}

// repSlow is the repulsive coefficient 2 gamma b / ((0.001 + d2)(1 + a
// d2^b)) for d2 > 0 outside the table.
func (o *umapOptimizer) repSlow(d2 float32) float32 {
	return 2 * o.gamma * o.b / ((0.001 + d2) * (o.a*fastExp2(o.b*fastLog2(d2)) + 1))
}

// raceEnabled is set when built with -race (see umap_race.go).
var raceEnabled = false
