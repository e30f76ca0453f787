package projection

// Random-projection trees (Dasgupta & Freund) seed NN-descent with
// plausible neighbours: points that land in the same leaf of a tree are
// likely to be close. Each node is split by the hyperplane that bisects two
// random points of the node, as pynndescent does for Euclidean data.
//
// High-dimensional data (D >= 128) is split in its projection on an
// approximate top-48 principal subspace (see subspaceBound). A hyperplane
// there is a hyperplane in the original space, so the trees remain
// random-projection trees, but their splits read a 13 MB copy of MNIST that
// stays in cache instead of streaming all 220 MB once per tree level (12
// trees took ~3 s of CPU, now ~1 s including the projection).

// rpLeaves is one tree's leaves: leaf l holds rows perm[bounds[l]:bounds[l+1]].
type rpLeaves struct {
	perm   []int32
	bounds []int32
}

// rpScratch is buildRPTree's working space.
type rpScratch struct {
	hp, margins []float32
	side        []bool
	scratch     []int32
}

// grow makes room for a tree over n rows of d values.
func (sc *rpScratch) grow(n, d int) {
	if len(sc.hp) != d {
		sc.hp = make([]float32, d)
	}
	if len(sc.margins) < n {
		sc.margins = make([]float32, n)
		sc.side = make([]bool, 0, n)
		sc.scratch = make([]int32, 0, n)
	}
}

// buildRPTree splits the rows of m until every leaf holds at most leafSize
// rows. norms are the rows' squared norms. All random choices are hashes of
// (seed, tree, counter), so a tree depends only on its arguments.
//
// sc, if not nil, is scratch space reused across calls (one per goroutine).
func buildRPTree(m *Matrix, norms []float32, seed uint64, tree, leafSize int, sc *rpScratch) rpLeaves {
	const eps = 1e-8
	perm := make([]int32, m.N)
	for i := range perm {
		perm[i] = int32(i)
	}
	t := rpLeaves{perm: perm, bounds: []int32{0}}
	if sc == nil {
		sc = new(rpScratch)
	}
	sc.grow(m.N, m.D)
	hp, side, margins, scratch := sc.hp, sc.side[:0], sc.margins, sc.scratch[:0]
	var counter uint64
	rnd := func() uint64 {
		counter++
		return knnHash(seed, uint64(tree)+1<<40, counter)
	}
	// Depth-first with an explicit stack of [lo, hi) nodes; the right
	// child is pushed first so leaves come out left to right.
	stack := [][2]int{{0, m.N}}
	for len(stack) > 0 {
		node := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		lo, hi := node[0], node[1]
		n := hi - lo
		if n <= leafSize {
			t.bounds = append(t.bounds, int32(hi))
			continue
		}
		a := lo + int(rnd()%uint64(n))
		b := lo + int(rnd()%uint64(n-1))
		if b >= a {
			b++
		}
		pa, pb := int(perm[a]), int(perm[b])
		xa, xb := m.Row(pa), m.Row(pb)
		for j := range hp {
			hp[j] = xa[j] - xb[j]
		}
		// The bisecting hyperplane hp.x + offset = 0 passes through
		// (xa+xb)/2: offset = -(|xa|^2 - |xb|^2)/2.
		offset := -(norms[pa] - norms[pb]) / 2
		side = side[:0]
		nleft := 0
		// One gathered batch: the node's rows are scattered over the
		// sketch, and the kernel prefetches them.
		dotGather(hp, m, perm[lo:hi], margins)
		for j := range perm[lo:hi] {
			margin := margins[j] + offset
			left := margin > 0
			if margin > -eps && margin < eps {
				left = rnd()&1 == 0
			}
			side = append(side, left)
			nleft += btoi(left)
		}
		if nleft == 0 || nleft == n {
			// Degenerate split (e.g. duplicate points): halve at random.
			nleft = 0
			for j := range side {
				side[j] = rnd()&1 == 0
				nleft += btoi(side[j])
			}
			if nleft == 0 || nleft == n {
				for j := range side {
					side[j] = j < n/2
				}
				nleft = n / 2
			}
		}
		// Stable partition: left rows first.
		scratch = scratch[:0]
		w := lo
		for j, p := range perm[lo:hi] {
			if side[j] {
				perm[w] = p
				w++
			} else {
				scratch = append(scratch, p)
			}
		}
		copy(perm[w:hi], scratch)
		stack = append(stack, [2]int{lo + nleft, hi}, [2]int{lo, lo + nleft})
	}
	return t
}
