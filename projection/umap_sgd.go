package projection

import (
	"context"
	"math"
	"math/bits"
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
	n       int
	edges   []umapEdge
	next    []float32 // epoch of each edge's next attractive sample; +Inf for never
	pos     []float32 // N x 2 interleaved; head and tail embedding at once
	a, b    float32
	gamma   float32   // repulsion strength
	negRate float32   // negative samples per positive sample
	chunks  []int     // edge boundaries of the workers' shares (whole rows)
	mids    []int     // edge boundary of each share's two lanes (whole rows)
	due     [][]int32 // each worker's list of the edges due in this epoch
	dueN    []int     // the length of each worker's list in the last epoch
	rngs    []umapRNG
	att     umapForceTable // attractive gradient coefficient by squared distance
	rep     umapForceTable // repulsive gradient coefficient by squared distance
}

// newUMAPOptimizer schedules the edges of g as umap-learn's
// make_epochs_per_sample: an edge of weight w is sampled every wmax/w
// epochs, and negative samples are drawn negRate times as often.
func newUMAPOptimizer(g *CSR, pos []float32, a, b, gamma float64, negRate int, seed uint64, workers int) *umapOptimizer {
	o := &umapOptimizer{
		n: g.N, pos: pos,
		a: float32(a), b: float32(b), gamma: float32(gamma), negRate: float32(negRate),
		edges: make([]umapEdge, g.NNZ()),
		next:  make([]float32, g.NNZ()),
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
		o.due[w] = make([]int32, o.chunks[w+1]-o.chunks[w])
	}
	af, bf, gf := float64(o.a), float64(o.b), float64(o.gamma)
	o.att = newUMAPForceTable(func(d2 float64) float64 {
		return -2 * af * bf * math.Pow(d2, bf-1) / (af*math.Pow(d2, bf) + 1)
	})
	o.rep = newUMAPForceTable(func(d2 float64) float64 {
		return 2 * gf * bf / ((0.001 + d2) * (af*math.Pow(d2, bf) + 1))
	})
	o.rngs = make([]umapRNG, workers)
	for w := range o.rngs {
		o.rngs[w] = newUMAPRNG(seed, uint64(w))
	}
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
		if !parallel {
			for w := range o.rngs {
				o.epoch(w, float32(n), float32(alpha))
			}
		} else {
			parallelRanges(len(o.rngs), len(o.rngs), func(w, _, _ int) {
				o.epoch(w, float32(n), float32(alpha))
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
			e := &o.edges[p]
			i := int(e.head)
			x, y := o.attract(i, e, alpha)
			o.next[p] += e.every
			ne, every := o.negatives(e, n)
			for t := ne; t > 0; t-- {
				if k := int((uint64(rng.next()>>32) * nv) >> 32); k != i {
					x, y = o.repel(x, y, k, alpha)
				}
			}
			e.nextNeg += float32(ne) * every
			o.pos[2*i], o.pos[2*i+1] = x, y
		}
	}
	o.rngs[w] = rng
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

// umapForceTable tabulates a gradient coefficient f(d2) of the squared
// distance for d2 in [2^forceMinExp, 2^forceMaxExp), with 2^forceBinBits
// bins per octave, interpolated linearly in d2 within a bin. The bin and
// the position in it come straight from the float's exponent and mantissa
// bits, so a lookup costs a few integer operations and one multiply-add
// instead of a pow, a log and a division. With 64 bins per octave the
// relative error is below 2e-4 for UMAP's coefficients, which vary as
// powers of d2 between -2 and 0 (see TestUMAPForceTable).
type umapForceTable struct {
	tab []float32 // value and slope per bin, interleaved
}

const (
	forceMinExp  = -40
	forceMaxExp  = 40
	forceBinBits = 6
	forceLoBits  = uint32(127+forceMinExp) << 23
	forceSpan    = uint32(forceMaxExp-forceMinExp) << 23
	forceShift   = 23 - forceBinBits
	forceMask    = 1<<forceShift - 1
)

func newUMAPForceTable(f func(d2 float64) float64) umapForceTable {
	bins := (forceMaxExp - forceMinExp) << forceBinBits
	tab := make([]float32, 2*bins)
	node := func(k int) float64 {
		oct, j := k>>forceBinBits, k&(1<<forceBinBits-1)
		return math.Ldexp(1+float64(j)/(1<<forceBinBits), forceMinExp+oct)
	}
	for k := 0; k < bins; k++ {
		v0, v1 := f(node(k)), f(node(k+1))
		tab[2*k] = float32(v0)
		tab[2*k+1] = float32(v1 - v0)
	}
	return umapForceTable{tab: tab}
}

// at returns f(d2), or false if d2 is outside the table (zero included).
func (t *umapForceTable) at(d2 float32) (float32, bool) {
	r := math.Float32bits(d2) - forceLoBits
	if r >= forceSpan {
		return 0, false
	}
	k := 2 * (r >> forceShift)
	frac := float32(r&forceMask) * (1.0 / (forceMask + 1))
	return t.tab[k] + frac*t.tab[k+1], true
}

// clip4 clamps a gradient component to [-4, 4] (umap-learn's clip).
func clip4(x float32) float32 {
	if x > 4 {
		return 4
	}
	if x < -4 {
		return -4
	}
	return x
}

// umapRNG is a wyrand generator: one per worker, so a run with one worker
// is reproducible.
type umapRNG uint64

// newUMAPRNG returns the generator of worker w, its state a splitmix64 hash
// of (seed, w).
func newUMAPRNG(seed, w uint64) umapRNG {
	x := seed ^ (w+1)*0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return umapRNG(x ^ x>>31)
}

func (r *umapRNG) next() uint64 {
	*r += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*r), uint64(*r)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// fastLog2 and fastExp2 give x^y = fastExp2(y * fastLog2(x)) with relative
// error below 5e-6 for the moderate exponents UMAP uses, several times
// faster than math.Pow; the SGD uses them outside its force tables.

// fastLog2 returns log2(x) for finite x >= 2^-126 with absolute error below
// 3e-6: x = 2^k m with m in [sqrt(1/2), sqrt(2)) as in musl's logf, and a
// degree-6 least-squares polynomial in m-1.
func fastLog2(x float32) float32 {
	u := max(math.Float32bits(x), 0x00800000) // subnormals read as 2^-126
	k := int32(u-0x3f3504f3) >> 23
	t := math.Float32frombits(u-uint32(k<<23)) - 1
	p := t * (1.4427157640457153 + t*(-0.7211225032806396+t*(0.47932401299476624+
		t*(-0.3677044212818146+t*(0.32208916544914246+t*-0.20530098676681519)))))
	return float32(k) + p
}

// fastExp2 returns 2^y with relative error below 2e-7, flushing to 0 below
// 2^-126 and saturating at 2^127: 2^round(y) from the exponent bits times a
// degree-5 polynomial on [-1/2, 1/2].
func fastExp2(y float32) float32 {
	y = min(max(y, -126), 127)
	const shift = 12582912 // 1.5 * 2^23: adding it rounds to an integer
	r := y + shift
	f := y - (r - shift)
	n := int32(math.Float32bits(r) - 0x4b400000)
	p := 1.0000000755142242 + f*(0.6931472067162225+f*(0.24022107265229606+
		f*(0.05550327202258641+f*(0.009676041929916765+f*0.0013400436945742895))))
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// raceEnabled is set when built with -race (see umap_race.go).
var raceEnabled = false
