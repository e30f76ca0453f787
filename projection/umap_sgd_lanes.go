package projection

import "math"

// The SGD in sixteen lanes (umap_sgd.go's epoch, vectorised).
//
// A worker's due edges are cut into sixteen equal runs, and the k-th edge
// of every run forms step k: sixteen positive samples whose heads lie far
// apart in the graph, updated together as the lanes of two vectors (two,
// so that one vector's chain of dependent updates fills the other's
// waits). Each lane then draws its negative samples (as many as
// umap-learn's schedule says for its edge) and moves its head away from
// them, all lanes at once;
// a lane with fewer samples idles while the others finish. The schedule
// itself (which edges, how many negative samples) is umap-learn's exactly,
// kept by the same bookkeeping as the scalar epoch; only the order of the
// updates differs, as between umap-learn's threads. The rare lanes whose
// points coincide within a step lose one of the two updates, as hogwild
// threads do.
//
// The negative samples come from a counter-based generator per lane (a
// Weyl sequence hashed by triple32), which vector registers compute
// without 64-bit products. The force coefficients come from the same
// tables as the scalar SGD, with squared distances outside the tables'
// range clamped into it (the coefficient there moves a point by far less
// than its float32 spacing, or is clipped).
//
// sgdStepsGo is the definition; sgdStepsAVX2 (umap_sgd_amd64.s) computes
// the same values, bit for bit (TestSGDStepsAVX2MatchesGo).

// sgdLanes is the number of lanes of one step, in groups of sgdGroup.
const (
	sgdLanes = 16
	sgdGroup = 8
)

// sgdBlockSteps is how many steps a worker prepares at once: the heads,
// tails and negative-sample counts of 16 x 1024 edges (192 KB).
const sgdBlockSteps = 1024

// sgdLaneRNG holds a group's lane generators: lane l's state advances by
// inc[l] (odd) at each draw; lane l of every group draws from generator l.
type sgdLaneRNG struct {
	s, inc [sgdGroup]uint32
}

// newSGDLaneRNG returns worker w's lane generators for seed.
func newSGDLaneRNG(seed uint64, w int) sgdLaneRNG {
	r := newUMAPRNG(seed^0x5ca1ab1e0ddba11, uint64(w))
	var g sgdLaneRNG
	for l := range g.s {
		v := r.next()
		g.s[l] = uint32(v)
		g.inc[l] = uint32(v>>32) | 1
	}
	return g
}

// sgdDraw advances lane state s by inc and returns a point index in [0, n):
// the state hashed by triple32 (Wellons' three-round integer hash), times
// n, high 32 bits. The two-round lowbias32 mixes a Weyl sequence less
// well, and it showed: with it, recall15 of the MNIST layout (one worker,
// one kNN graph, seeds 1-4) averaged 0.1189, against 0.1204 with triple32
// and 0.1201 with the two-lane SGD's 64-bit generator.
func sgdDraw(s *uint32, inc, n uint32) uint32 {
	*s += inc
	x := *s
	x ^= x >> 17
	x *= 0xed5ad4bb
	x ^= x >> 11
	x *= 0xac4c1b51
	x ^= x >> 15
	x *= 0x31848bab
	x ^= x >> 14
	return uint32(uint64(x) * uint64(n) >> 32)
}

// sgdBatch is one worker's prepared steps: heads, tails and negative-sample
// counts, lane-major within a step (entry sgdLanes*k + l is lane l of step
// k).
type sgdBatch struct {
	heads, tails, nneg []int32
}

// sgdTableAt is umapForceTable.at with d2 clamped into the table (d2 >= 0).
func sgdTableAt(tab []float32, d2 float32) float32 {
	r := int32(math.Float32bits(d2)) - int32(forceLoBits)
	r = min(max(r, 0), int32(forceSpan-1))
	k := 2 * (r >> forceShift)
	frac := float32(r&forceMask) * (1.0 / (forceMask + 1))
	return tab[k] + float32(frac*tab[k+1])
}

// clip4v is clip4 in the vector kernel's order: min with 4, then max with
// -4.
func clip4v(x float32) float32 { return max(min(x, 4), -4) }

// sgdStepsGo runs len(heads)/sgdLanes steps. A step's lanes form groups
// of sgdGroup (a vector's lanes). First each group in turn: its lanes'
// attractive updates between heads[i] and tails[i] (both ends move), the
// tails written back in lane order. Then rounds of negative samples until
// every lane has drawn its nneg[i]: in each round, each group in turn,
// every lane draws from its group lane's generator in rng and, if it has
// samples left and the sample is not its head, moves its head away from
// it. Then the heads are written back in lane order. att and rep are force
// tables (umapForceTable.tab); n is the number of points.
func sgdStepsGo(pos []float32, heads, tails, nneg []int32, att, rep []float32, rng *sgdLaneRNG, n uint32, alpha float32) {
	four := 4 * alpha
	for j := 0; j+sgdLanes <= len(heads); j += sgdLanes {
		var hx, hy [sgdLanes]float32
		maxNeg := int32(0)
		for g := 0; g < sgdLanes; g += sgdGroup {
			var tx, ty [sgdGroup]float32
			for l := range sgdGroup {
				h, t := heads[j+g+l], tails[j+g+l]
				hx[g+l], hy[g+l] = pos[2*h], pos[2*h+1]
				tx[l], ty[l] = pos[2*t], pos[2*t+1]
				maxNeg = max(maxNeg, nneg[j+g+l])
			}
			for l := range sgdGroup {
				dx, dy := hx[g+l]-tx[l], hy[g+l]-ty[l]
				d2 := float32(dx*dx) + float32(dy*dy)
				gc := sgdTableAt(att, d2)
				gx := float32(clip4v(float32(gc*dx)) * alpha)
				gy := float32(clip4v(float32(gc*dy)) * alpha)
				hx[g+l] += gx
				hy[g+l] += gy
				tx[l] -= gx
				ty[l] -= gy
			}
			for l := range sgdGroup {
				t := tails[j+g+l]
				pos[2*t], pos[2*t+1] = tx[l], ty[l]
			}
		}
		for r := int32(0); r < maxNeg; r++ {
			for i := range sgdLanes {
				l := i % sgdGroup
				k := sgdDraw(&rng.s[l], rng.inc[l], n)
				dx, dy := hx[i]-pos[2*k], hy[i]-pos[2*k+1]
				d2 := float32(dx*dx) + float32(dy*dy)
				gc := sgdTableAt(rep, d2)
				ux := float32(clip4v(float32(gc*dx)) * alpha)
				uy := float32(clip4v(float32(gc*dy)) * alpha)
				if d2 == 0 {
					ux, uy = four, four
				}
				if r >= nneg[j+i] || int32(k) == heads[j+i] {
					ux, uy = 0, 0
				}
				hx[i] += ux
				hy[i] += uy
			}
		}
		for i := range sgdLanes {
			h := heads[j+i]
			pos[2*h], pos[2*h+1] = hx[i], hy[i]
		}
	}
}

// epochLanes is epoch (umap_sgd.go) in sgdLanes lanes: it lists worker w's
// due edges, keeps their schedule, runs them through sgdSteps block by
// block and the last len(due) mod sgdLanes edges one by one.
func (o *umapOptimizer) epochLanes(w int, n, alpha float32) {
	b := &o.batches[w]
	rest := o.prepareLanes(w, n, func() *sgdBatch { return b }, func(b *sgdBatch, m int) {
		o.runSteps(w, b, m, alpha)
	})
	o.finishLanes(w, rest, n, alpha)
}

// epochPipelined runs every worker's share of epoch n one after the other,
// as epochLanes on each in turn would, with the bookkeeping (due lists,
// schedules, prepared steps) on a second goroutine a block or two ahead of
// the steps: the same updates in the same order, so the same layout, in
// about the time of the steps alone when a second core is free. The steps
// and the bookkeeping touch different memory (positions; edges and
// schedules), so unlike two workers' steps they do not compete for cache
// lines.
func (o *umapOptimizer) epochPipelined(n, alpha float32) {
	type job struct {
		w    int
		b    *sgdBatch // steps to run, or nil: the share's last edges
		m    int
		rest []int32
	}
	free := make(chan *sgdBatch, len(o.pipe))
	for i := range o.pipe {
		free <- &o.pipe[i]
	}
	jobs := make(chan job, len(o.pipe)+1)
	go func() {
		for w := range o.rngs {
			rest := o.prepareLanes(w, n, func() *sgdBatch { return <-free }, func(b *sgdBatch, m int) {
				jobs <- job{w: w, b: b, m: m}
			})
			jobs <- job{w: w, rest: rest}
		}
		close(jobs)
	}()
	for j := range jobs {
		if j.b == nil {
			o.finishLanes(j.w, j.rest, n, alpha)
			continue
		}
		o.runSteps(j.w, j.b, j.m, alpha)
		free <- j.b
	}
}

// prepareLanes lists worker w's edges due in epoch n, keeps their schedule
// and fills batches (taken from get) with their steps block by block,
// handing each to ready with its number of entries. It returns the last
// len(due) mod sgdLanes edges, for finishLanes.
func (o *umapOptimizer) prepareLanes(w int, n float32, get func() *sgdBatch, ready func(b *sgdBatch, m int)) []int32 {
	lo, hi := o.chunks[w], o.chunks[w+1]
	due := o.dueEdges(o.due[w], lo, hi, n)
	o.dueN[w] = len(due)
	per := len(due) / sgdLanes
	for s0 := 0; s0 < per; s0 += sgdBlockSteps {
		s1 := min(per, s0+sgdBlockSteps)
		b := get()
		if b.heads == nil {
			size := sgdLanes * sgdBlockSteps
			b.heads, b.tails, b.nneg = make([]int32, size), make([]int32, size), make([]int32, size)
		}
		for l := 0; l < sgdLanes; l++ {
			for j, p := range due[l*per+s0 : l*per+s1] {
				e := &o.edges[p]
				k := sgdLanes*j + l
				b.heads[k], b.tails[k] = e.head, e.tail
				ne, every := o.negatives(e, n)
				b.nneg[k] = int32(ne)
				o.next[p] += e.every
				e.nextNeg += float32(ne) * every
			}
		}
		ready(b, sgdLanes*(s1-s0))
	}
	return due[sgdLanes*per:]
}

// runSteps runs the first m entries of b as worker w's steps.
func (o *umapOptimizer) runSteps(w int, b *sgdBatch, m int, alpha float32) {
	sgdSteps(o.pos, b.heads[:m], b.tails[:m], b.nneg[:m], o.att.tab, o.rep.tab, &o.laneRNGs[w], uint32(o.n), alpha)
}

// finishLanes samples worker w's remaining edges of epoch n one by one.
func (o *umapOptimizer) finishLanes(w int, rest []int32, n, alpha float32) {
	rng := o.rngs[w]
	for _, p := range rest {
		o.sample(p, n, alpha, &rng)
	}
	o.rngs[w] = rng
}

// sgdUseLanes says whether new optimisers run their epochs in sgdLanes lanes
// (epochLanes) rather than two (epoch): where the vector kernel exists.
var sgdUseLanes = sgdAVX2
