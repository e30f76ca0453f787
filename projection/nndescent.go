package projection

import (
	"context"
	"slices"
	"sync/atomic"
)

// NN-descent (Dong, Moses & Li 2011) as in pynndescent: start from a graph
// seeded by random-projection trees, then repeatedly compare each point's
// candidates (its neighbours and reverse neighbours) with each other,
// keeping any pair that improves either point's list. Candidates carry a
// new/old flag so that pairs of old candidates, already compared, are not
// compared again.
//
// Parallel and reproducible: work runs in rounds over fixed blocks. In a
// round, workers take contiguous parts of the block and only read the graph,
// writing proposed updates (p, q, d) to their own buffers; then every worker
// applies, in buffer order, the updates whose target it owns. Each target
// sees the same updates in the same order whatever the number of workers,
// and every random choice is a hash, so the graph depends only on the seed.

// nnBlock is the number of points (or tree leaves' points) per round.
const nnBlock = 4096

type nnUpdate struct {
	p, q int32
	d    float32 // squared distance
}

// nnGraph is the working graph: one bounded max-heap per point over
// squared distances, with a new/old flag per entry.
type nnGraph struct {
	n, k  int
	idx   []int32
	dist  []float32
	isNew []bool
}

// push offers q as a neighbour of p at squared distance d, flagged new.
// It reports whether p's list changed.
func (g *nnGraph) push(p int, q int32, d float32) bool {
	off := p * g.k
	idx, dist := g.idx[off:off+g.k], g.dist[off:off+g.k]
	if !pairLess(d, q, dist[0], idx[0]) {
		return false
	}
	for _, x := range idx {
		if x == q {
			return false
		}
	}
	flags := g.isNew[off : off+g.k]
	idx[0], dist[0], flags[0] = q, d, true
	heapDown(idx, dist, flags, 0, g.k)
	return true
}

// has reports whether q is in p's list.
func (g *nnGraph) has(p, q int32) bool {
	return slices.Contains(g.idx[int(p)*g.k:int(p+1)*g.k], q)
}

// bound is p's current k-th squared distance.
func (g *nnGraph) bound(p int32) float32 { return g.dist[int(p)*g.k] }

type nnState struct {
	m *Matrix
	// q, when set, holds the rows as bytes in the search's own numbering
	// (see quantRows): every distance of the search comes from it, in
	// units of q.step^2, and the graph's indices are q's.
	q       *quantRows
	norms   []float32
	g       *nnGraph
	workers int
	seed    uint64
	bufs    [][]nnUpdate
	scratch []nnScratch // per worker
	// checkHas makes distances skip pairs already in both lists before
	// computing their distance: worth it where a distance costs more than
	// scanning two lists (D > 4k; UMAP's 14-NN on 784-d pixels), not for
	// t-SNE's 90-NN on 100 PCA dimensions.
	checkHas bool
}

// round splits [0, n) among the workers, lets gen(w, lo, hi, buf) propose
// updates into buf, then applies all updates; it returns the number of
// changed graph entries.
func (s *nnState) round(n int, gen func(w, lo, hi int, buf []nnUpdate) []nnUpdate) int {
	if len(s.bufs) < s.workers {
		s.bufs = make([][]nnUpdate, s.workers)
	}
	used := min(s.workers, n)
	parallelRanges(n, s.workers, func(w, lo, hi int) {
		s.bufs[w] = gen(w, lo, hi, s.bufs[w][:0])
	})
	var changes atomic.Int64
	parallelRanges(s.g.n, s.workers, func(_, lo, hi int) {
		c := 0
		lo32, hi32 := int32(lo), int32(hi)
		for _, buf := range s.bufs[:used] {
			for _, u := range buf {
				if u.p >= lo32 && u.p < hi32 && s.g.push(int(u.p), u.q, u.d) {
					c++
				}
				if u.q >= lo32 && u.q < hi32 && s.g.push(int(u.q), u.p, u.d) {
					c++
				}
			}
		}
		changes.Add(int64(c))
	})
	return int(changes.Load())
}

// dist2 is the squared distance between rows p and q.
func (s *nnState) dist2(p, q int32) float32 {
	if s.q != nil {
		var d [1]float32
		s.q.gather(p, []int32{q}, d[:])
		return d[0]
	}
	return sqDist(s.m.Row(int(p)), s.m.Row(int(q)))
}

// joinMany proposes the pairs (p, q) for q in qs that would improve
// either list, computing their distances in one gathered batch. With
// checkHas, pairs already in each other's lists are dropped without a
// distance (a scan of two short lists costs far less than a 784-d one);
// without, such pairs are proposed and push drops them.
//
// (Pruning with subspaceBound's lower bounds, which serves exact search so
// well, was tried here: on MNIST it skipped under 5% of the pairs, since
// candidate pairs are already near the lists' k-th distances.)
func (s *nnState) joinMany(p int32, qs []int32, sc *nnScratch, buf []nnUpdate) []nnUpdate {
	qs, d := s.distances(p, qs, sc)
	bp := s.g.bound(p)
	for i, q := range qs {
		if d[i] <= bp || d[i] <= s.g.bound(q) {
			buf = append(buf, nnUpdate{p, q, d[i]})
		}
	}
	return buf
}

// distances returns the points of qs worth a distance from p (all of them,
// or with checkHas those not already in both lists) and their squared
// distances to p, in scratch space.
func (s *nnState) distances(p int32, qs []int32, sc *nnScratch) ([]int32, []float32) {
	if s.checkHas {
		keep := sc.qs[:0]
		for _, q := range qs {
			if !s.g.has(p, q) || !s.g.has(q, p) {
				keep = append(keep, q)
			}
		}
		sc.qs, qs = keep, keep
	}
	if cap(sc.d) < len(qs) {
		sc.d = make([]float32, len(qs), 2*len(qs))
	}
	d := sc.d[:len(qs)]
	if s.q != nil {
		s.q.gather(p, qs, d)
	} else {
		sqDistGather(s.m.Row(int(p)), s.m, qs, d)
	}
	return qs, d
}

// nnDescent runs NN-descent with set, whose defaults are filled in.
func nnDescent(ctx context.Context, m *Matrix, k int, set KNNSettings, h *Hooks) (*KNN, error) {
	n := m.N
	nTrees := max(set.NTrees, 0)
	iters := max(set.MaxIters, 0)
	total := nTrees + iters
	workers := set.Workers
	s := &nnState{m: m, workers: workers, seed: set.Seed, checkHas: m.D > 4*k}
	s.scratch = make([]nnScratch, workers)
	g := &nnGraph{n: n, k: k, idx: makeHuge[int32](n * k), dist: makeHuge[float32](n * k), isNew: makeHuge[bool](n * k)}
	for i := range g.idx {
		g.idx[i], g.dist[i] = -1, inf32
	}
	s.g = g
	h.progress("knn", 0, total)

	trees := s.buildForest(ctx, set)
	if err := knnCanceled(ctx); err != nil {
		return nil, err
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	if len(trees) > 0 {
		// Iterations visit points in the first tree's leaf order:
		// consecutive points then share most candidates, so their rows
		// stay in cache.
		order = trees[0].perm
	}
	if set.Method == "nndescent" && m.D >= quantMinDims {
		if s.q = newQuantRows(m, slices.Clone(order), workers); s.q != nil {
			defer s.q.release() // every goroutine using it has ended
			// A byte distance costs less than the list scans that
			// would skip it (measured on MNIST: 10% less CPU without).
			s.checkHas = false
			// Search in the copy's numbering, where the leaf order is
			// the identity.
			for _, t := range trees {
				for a, i := range t.perm {
					t.perm[a] = s.q.inv[i]
				}
			}
		}
	}
	if err := s.joinLeaves(ctx, trees, h, total); err != nil {
		return nil, err
	}
	s.fillRandom()
	var step func(i int) (int, error)
	if set.Method == "forest" {
		step = func(int) (int, error) { return s.refine(ctx, order, set.RefineFan) }
	} else {
		it := &nnIteration{
			revStart: make([]int32, n+1),
			rev:      makeHuge[uint32](n * k),
			order:    order,
			maxCand:  set.MaxCandidates,
		}
		step = func(i int) (int, error) { return s.iterate(ctx, it, i) }
	}
	for i := range iters {
		changes, err := step(i)
		if err != nil {
			return nil, err
		}
		h.progress("knn", nTrees+i+1, total)
		if set.Delta > 0 && float64(changes) <= set.Delta*float64(n*k) {
			break
		}
	}

	if s.q != nil {
		out := s.q.finish(g, workers)
		h.progress("knn", total, total)
		return out, nil
	}
	// Final distances for the kept neighbours, nearest first.
	out := &KNN{N: n, K: k, Index: g.idx, Dist: g.dist}
	if s.norms == nil {
		s.norms = rowSqNorms(m, workers)
	}
	parallelRanges(n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			finishRow(out, i, m.Row(i), s.norms[i], m, s.norms)
		}
	})
	h.progress("knn", total, total)
	return out, nil
}

// nnIteration is the state NN-descent iterations share.
type nnIteration struct {
	revStart []int32  // reverse lists: rev[revStart[i]:revStart[i+1]]
	rev      []uint32 // reverse entries: point | 1<<31 if flagged new
	order    []int32  // the order points are visited in
	maxCand  int
	salt     uint64 // mixes the iteration into candidate priorities
}

// nnScratch is one worker's scratch space.
type nnScratch struct {
	nw, old []nnCand
	qs      []int32   // points to join with one point
	d       []float32 // their distances
}

// iterate runs one NN-descent iteration and returns the number of graph
// entries it changed.
func (s *nnState) iterate(ctx context.Context, it *nnIteration, iter int) (int, error) {
	g, n, k := s.g, s.g.n, s.g.k
	// Snapshot the reverse graph with its flags.
	clear(it.revStart)
	for _, j := range g.idx {
		if j >= 0 {
			it.revStart[j+1]++
		}
	}
	for i := range n {
		it.revStart[i+1] += it.revStart[i]
	}
	fill := slices.Clone(it.revStart[:n])
	for i := range n {
		for e := i * k; e < (i+1)*k; e++ {
			if j := g.idx[e]; j >= 0 {
				r := uint32(i)
				if g.isNew[e] {
					r |= 1 << 31
				}
				it.rev[fill[j]] = r
				fill[j]++
			}
		}
	}
	it.salt = s.seed ^ (uint64(iter) + 1<<42)
	changes := 0
	for b0 := 0; b0 < n; b0 += nnBlock {
		if err := knnCanceled(ctx); err != nil {
			return 0, err
		}
		block := it.order[b0:min(b0+nnBlock, n)]
		changes += s.round(len(block), func(w, lo, hi int, buf []nnUpdate) []nnUpdate {
			for _, i := range block[lo:hi] {
				buf = s.localJoin(it, &s.scratch[w], int(i), buf)
			}
			return buf
		})
	}
	return changes, nil
}

// localJoin samples point i's new and old candidates (neighbours and
// reverse neighbours), marks the sampled new neighbours old, and proposes
// every new-new and new-old pair of candidates.
func (s *nnState) localJoin(it *nnIteration, sc *nnScratch, i int, buf []nnUpdate) []nnUpdate {
	g, k := s.g, s.g.k
	prio := func(j int32) uint64 {
		a, b := uint64(i), uint64(j)
		if a > b {
			a, b = b, a
		}
		return knnHash(it.salt, a, b)
	}
	nw, old := sc.nw[:0], sc.old[:0]
	off := i * k
	for e := off; e < off+k; e++ {
		if j := g.idx[e]; j >= 0 {
			if g.isNew[e] {
				nw = append(nw, makeCand(prio(j), j))
			} else {
				old = append(old, makeCand(prio(j), j))
			}
		}
	}
	for _, r := range it.rev[it.revStart[i]:it.revStart[i+1]] {
		j := int32(r &^ (1 << 31))
		if r&(1<<31) != 0 {
			nw = append(nw, makeCand(prio(j), j))
		} else {
			old = append(old, makeCand(prio(j), j))
		}
	}
	nw = sampleCands(nw, it.maxCand)
	old = sampleCands(old, it.maxCand)
	sc.nw, sc.old = nw, old
	for e := off; e < off+k; e++ {
		if g.isNew[e] {
			for _, c := range nw {
				if c.j() == g.idx[e] {
					g.isNew[e] = false
					break
				}
			}
		}
	}
	for a, p := range nw {
		qs := sc.qs[:0]
		for _, q := range nw[a+1:] {
			qs = append(qs, q.j())
		}
		for _, q := range old {
			if q.j() != p.j() {
				qs = append(qs, q.j())
			}
		}
		sc.qs = qs
		buf = s.joinMany(p.j(), qs, sc, buf)
	}
	return buf
}

// nnCand is a candidate neighbour j with its sampling priority: the high 32
// bits of a hash above j's 32 bits, so that candidates sort by priority,
// ties by index, as plain integers.
type nnCand uint64

func makeCand(prio uint64, j int32) nnCand {
	return nnCand(prio&^0xffffffff | uint64(uint32(j)))
}

// j is the candidate's point.
func (c nnCand) j() int32 { return int32(uint32(c)) }

// sampleCands keeps the at most max distinct candidates of lowest priority
// (a random sample, since priorities are hashes), sorted by priority. A
// point's priority depends only on the pair, so its repeats sort together.
func sampleCands(c []nnCand, max int) []nnCand {
	slices.Sort(c)
	c = slices.Compact(c)
	if len(c) > max {
		c = c[:max]
	}
	return c
}
