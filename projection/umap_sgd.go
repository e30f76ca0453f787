package projection

import (
	"context"
	"math"
	"math/bits"
)

// umapEdge is one directed edge of the fuzzy graph with its sampling
// schedule (umap-learn's epochs_per_sample, epoch_of_next_sample and
// epoch_of_next_negative_sample), packed for a linear sweep per epoch. The
// edge's head is implicit: edges are stored row by row as in the CSR graph.
type umapEdge struct {
	tail    int32
	every   float32 // epochs between samples: wmax / w
	next    float32 // epoch of the next attractive sample
	nextNeg float32 // epoch of the next negative samples
}

// umapOptimizer holds the state of umap-learn's optimize_layout_euclidean.
type umapOptimizer struct {
	n       int
	rowPtr  []int
	edges   []umapEdge
	pos     []float32 // N x 2 interleaved; head and tail embedding at once
	a, b    float32
	gamma   float32 // repulsion strength
	negRate float32 // negative samples per positive sample
	chunks  []int   // row boundaries of the workers' shares of edges
	rngs    []umapRNG
}

// newUMAPOptimizer schedules the edges of g as umap-learn's
// make_epochs_per_sample: an edge of weight w is sampled every wmax/w
// epochs, and negative samples are drawn negRate times as often.
func newUMAPOptimizer(g *CSR, pos []float32, a, b, gamma float64, negRate int, seed uint64, workers int) *umapOptimizer {
	o := &umapOptimizer{
		n: g.N, rowPtr: g.RowPtr, pos: pos,
		a: float32(a), b: float32(b), gamma: float32(gamma), negRate: float32(negRate),
		edges: make([]umapEdge, g.NNZ()),
	}
	var wmax float32
	for _, v := range g.Val {
		wmax = max(wmax, v)
	}
	for p, v := range g.Val {
		e := &o.edges[p]
		e.tail = g.Col[p]
		// n_samples = n_epochs * w/wmax; epochs_per_sample = n_epochs / n_samples.
		e.every = -1
		if v > 0 {
			e.every = float32(float64(wmax) / float64(v))
		}
		e.next = e.every
		e.nextNeg = e.every / o.negRate
	}
	// Split rows into contiguous shares with about equal numbers of edges.
	workers = max(1, min(workers, g.N))
	o.chunks = make([]int, workers+1)
	r := 0
	for w := 1; w < workers; w++ {
		target := w * g.NNZ() / workers
		for r < g.N && g.RowPtr[r] < target {
			r++
		}
		o.chunks[w] = r
	}
	o.chunks[workers] = g.N
	o.rngs = make([]umapRNG, workers)
	for w := range o.rngs {
		o.rngs[w] = umapRNG(knnHash(seed, 0x756d6170, uint64(w)))
	}
	return o
}

// run performs nEpochs epochs with the learning rate falling linearly from
// alpha0 (umap-learn's schedule: epoch n > 0 uses alpha0 (1 - (n-1)/nEpochs)).
// Between epochs it checks ctx and reports progress and snapshots.
func (o *umapOptimizer) run(ctx context.Context, nEpochs int, alpha0 float64, h *Hooks) error {
	alpha := alpha0
	workers := len(o.rngs)
	if raceEnabled {
		workers = 1 // hogwild updates are benign races, but races all the same
	}
	for n := 0; n < nEpochs; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if workers == 1 {
			for w := range o.rngs {
				o.epoch(w, float32(n), float32(alpha))
			}
		} else {
			umapParallel(len(o.rngs), len(o.rngs), func(w, _, _ int) {
				o.epoch(w, float32(n), float32(alpha))
			})
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

// epoch runs one epoch of umap-learn's _optimize_layout_euclidean_single_epoch
// over worker w's share of the edges. Workers share the positions without
// locks (hogwild), as umap-learn's parallel mode does.
func (o *umapOptimizer) epoch(w int, n, alpha float32) {
	pos, edges := o.pos, o.edges
	a, b, gamma := o.a, o.b, o.gamma
	nv := uint64(o.n)
	rng := o.rngs[w]
	twoAB := -2 * a * b
	twoGB := 2 * gamma * b
	for i := o.chunks[w]; i < o.chunks[w+1]; i++ {
		es := edges[o.rowPtr[i]:o.rowPtr[i+1]]
		for p := range es {
			e := &es[p]
			if e.next > n || e.every <= 0 {
				continue
			}
			// Attraction along the edge; both ends move.
			k := int(e.tail)
			cx, cy := pos[2*i], pos[2*i+1]
			ox, oy := pos[2*k], pos[2*k+1]
			dx, dy := cx-ox, cy-oy
			d2 := dx*dx + dy*dy
			if d2 > 0 {
				pb := fastPow(d2, b) // d^2b in the distance d
				gc := twoAB * pb / d2 / (a*pb + 1)
				gx := clip4(gc*dx) * alpha
				gy := clip4(gc*dy) * alpha
				cx += gx
				cy += gy
				pos[2*k] = ox - gx
				pos[2*k+1] = oy - gy
			}
			e.next += e.every

			// Repulsion from random points; only the head moves.
			every := e.every / o.negRate
			nNeg := int((n - e.nextNeg) / every)
			for range nNeg {
				k := int((uint64(rng.next()>>32) * nv) >> 32)
				if k == i {
					continue // umap-learn skips a sample of the point itself
				}
				ox, oy := pos[2*k], pos[2*k+1]
				dx, dy := cx-ox, cy-oy
				d2 := dx*dx + dy*dy
				if d2 > 0 {
					gc := twoGB / ((0.001 + d2) * (a*fastPow(d2, b) + 1))
					cx += clip4(gc*dx) * alpha
					cy += clip4(gc*dy) * alpha
				} else {
					cx += 4 * alpha
					cy += 4 * alpha
				}
			}
			e.nextNeg += float32(nNeg) * every
			pos[2*i], pos[2*i+1] = cx, cy
		}
	}
	o.rngs[w] = rng
}

// clip4 clamps a gradient component to [-4, 4] (umap-learn's clip).
func clip4(x float32) float32 {
	return min(max(x, -4), 4)
}

// umapRNG is a wyrand generator: one per worker, so a run with one worker
// is reproducible.
type umapRNG uint64

func (r *umapRNG) next() uint64 {
	*r += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(uint64(*r), uint64(*r)^0xe7037ed1a0b428db)
	return hi ^ lo
}

// fastPow returns x^y for x > 0 as exp2(y log2 x) with float32 polynomial
// approximations of log2 and exp2 (relative error about 1e-6 for the
// moderate exponents UMAP uses), several times faster than math.Pow.
func fastPow(x, y float32) float32 {
	return fastExp2(y * fastLog2(x))
}

// fastLog2 returns log2(x) for finite x > 0.
func fastLog2(x float32) float32 {
	u := math.Float32bits(x)
	if u < 0x00800000 { // subnormal
		return float32(math.Log2(float64(x)))
	}
	e := float32(int32(u>>23) - 127)
	m := math.Float32frombits(u&0x007fffff | 0x3f800000) // [1, 2)
	if m > math.Sqrt2 {
		m *= 0.5
		e++
	}
	// ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
	s := (m - 1) / (m + 1)
	s2 := s * s
	ln := 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9)))))
	return e + ln*math.Log2E
}

// fastExp2 returns 2^y, flushing to 0 below 2^-126 and saturating at 2^127.
func fastExp2(y float32) float32 {
	if y < -126 {
		return 0
	}
	if y > 127 {
		y = 127
	}
	fl := float32(math.Floor(float64(y + 0.5)))
	f := (y - fl) * math.Ln2 // |f| <= ln2/2
	p := 1 + f*(1+f*(1.0/2+f*(1.0/6+f*(1.0/24+f*(1.0/120+f*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(fl)+127)<<23)
}

// raceEnabled is set when built with -race (see umap_race.go).
var raceEnabled = false
