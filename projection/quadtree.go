package projection

import (
	"math"
)

// Quadtree for the Barnes-Hut repulsive forces of t-SNE.
//
// The tree lives in flat arrays that are reused from one build to the next,
// so rebuilding it every iteration allocates nothing once the buffers have
// grown. Points are sorted by their Morton (Z-order) code on a 2^qtDepth
// grid; every cell of the tree is then a contiguous run of sorted points,
// the tree is built top-down by splitting runs, and nodes are stored in
// depth-first preorder with a "next" index that skips a subtree. A walk is
// a loop over that array with no stack and no recursion, and one walk
// serves a whole group of neighbouring points (see repulse).
//
// Leaves hold up to qtLeafSize points (more only at the depth cap, which is
// where duplicate or near-duplicate points end up, so a tree over duplicates
// is finite). A leaf that is too close to summarise is summed exactly, point
// by point, so the depth cap costs speed, never accuracy.

const (
	qtDepth    = 16  // grid bits per axis: Morton codes are 32 bits
	qtLeafSize = 8   // points per leaf above the depth cap
	qtChunk    = 256 // points per unit of parallel work (about)
	// qtGroupSize is the largest subtree whose points share one walk.
	qtGroupSize = 32
)

// qtNode is one cell of the quadtree.
type qtNode struct {
	cx, cy float64 // centre of mass
	// mxx, mxy, myy are the second moments of the points about (cx, cy):
	// sum (x-cx)^2, sum (x-cx)(y-cy), sum (y-cy)^2.
	mxx, mxy, myy float64
	r2            float64 // summary allowed when squared distance to (cx,cy) > r2
	n             float64 // number of points in the cell
	lo, hi        int32   // the cell's points are sorted positions [lo, hi)
	next          int32   // preorder index of the node after this subtree
	leaf          bool
}

// quadTree holds the reusable buffers of a Barnes-Hut quadtree.
type quadTree struct {
	theta float64
	nodes []qtNode
	order []int32   // order[s] is the original index of sorted point s
	codes []uint32  // Morton codes, sorted
	sx    []float64 // sorted positions, x
	sy    []float64 // sorted positions, y
	tmpC  []uint32
	tmpO  []int32
	count []int32
	hw    float64 // half-width of the root cell

	groups []int32   // preorder indices of the group roots
	chunks []int32   // chunk c is groups[chunks[c]:chunks[c+1]]
	zpart  []float64 // per chunk share of Z
	lists  []*qtList // per worker interaction lists
}

func newQuadTree(n int, theta float64) *quadTree {
	return &quadTree{
		theta: theta,
		order: make([]int32, n),
		codes: make([]uint32, n),
		sx:    make([]float64, n),
		sy:    make([]float64, n),
		tmpC:  make([]uint32, n),
		tmpO:  make([]int32, n),
		count: make([]int32, 1<<11),
		nodes: make([]qtNode, 0, n/2+16),
	}
}

// qtSpread16 interleaves the low 16 bits of v with zeros.
func qtSpread16(v uint32) uint32 {
	v &= 0xffff
	v = (v | v<<8) & 0x00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f
	v = (v | v<<2) & 0x33333333
	v = (v | v<<1) & 0x55555555
	return v
}

// build rebuilds the tree over pos (interleaved x, y; len 2N).
func (t *quadTree) build(pos []float64) {
	n := len(pos) / 2
	if n == 0 {
		t.nodes = t.nodes[:0]
		return
	}
	minx, miny := math.Inf(1), math.Inf(1)
	maxx, maxy := math.Inf(-1), math.Inf(-1)
	for i := 0; i < n; i++ {
		x, y := pos[2*i], pos[2*i+1]
		minx = min(minx, x)
		maxx = max(maxx, x)
		miny = min(miny, y)
		maxy = max(maxy, y)
	}
	side := max(maxx-minx, maxy-miny)
	side = side*(1+1e-9) + 1e-12*(1+math.Abs(minx)+math.Abs(miny)) + math.SmallestNonzeroFloat64
	t.hw = side / 2
	scale := float64(1<<qtDepth) / side
	const top = 1<<qtDepth - 1
	for i := 0; i < n; i++ {
		gx := int64((pos[2*i] - minx) * scale)
		gy := int64((pos[2*i+1] - miny) * scale)
		gx = min(max(gx, 0), top)
		gy = min(max(gy, 0), top)
		t.codes[i] = qtSpread16(uint32(gx)) | qtSpread16(uint32(gy))<<1
		t.order[i] = int32(i)
	}
	t.radixSort(n)
	for s, i := range t.order[:n] {
		t.sx[s] = pos[2*i]
		t.sy[s] = pos[2*i+1]
	}
	t.nodes = t.nodes[:0]
	t.buildNode(0, n, 0, t.hw)
}

// radixSort sorts codes[:n] (with order) by three stable 11-bit passes.
func (t *quadTree) radixSort(n int) {
	src, dst := t.codes[:n], t.tmpC[:n]
	srcO, dstO := t.order[:n], t.tmpO[:n]
	for shift := uint(0); shift < 32; shift += 11 {
		cnt := t.count
		clear(cnt)
		for _, c := range src {
			cnt[(c>>shift)&0x7ff]++
		}
		var sum int32
		for b, c := range cnt {
			cnt[b] = sum
			sum += c
		}
		for k, c := range src {
			b := (c >> shift) & 0x7ff
			dst[cnt[b]] = c
			dstO[cnt[b]] = srcO[k]
			cnt[b]++
		}
		src, dst = dst, src
		srcO, dstO = dstO, srcO
	}
	// Three passes leave the result in the temporaries: swap the buffers.
	t.codes, t.tmpC = t.tmpC, t.codes
	t.order, t.tmpO = t.tmpO, t.order
}

// buildNode appends the node for sorted points [lo, hi) at the given depth,
// with cell half-width hw, and its subtree; it returns the node's index.
func (t *quadTree) buildNode(lo, hi, depth int, hw float64) int {
	idx := len(t.nodes)
	t.nodes = append(t.nodes, qtNode{lo: int32(lo), hi: int32(hi), n: float64(hi - lo)})
	r2 := math.Inf(1)
	if t.theta > 0 {
		r := hw / t.theta
		r2 = r * r
	}
	var sx, sy float64
	leaf := hi-lo <= qtLeafSize || depth == qtDepth
	var first, last int // child node indices, for the moments
	if leaf {
		for s := lo; s < hi; s++ {
			sx += t.sx[s]
			sy += t.sy[s]
		}
	} else {
		first = len(t.nodes)
		shift := uint(2 * (qtDepth - 1 - depth))
		s := lo
		for q := uint32(0); q < 4 && s < hi; q++ {
			// Children are contiguous runs: find where quadrant q ends.
			a, b := s, hi
			for a < b {
				m := int(uint(a+b) >> 1)
				if (t.codes[m]>>shift)&3 <= q {
					a = m + 1
				} else {
					b = m
				}
			}
			if a > s {
				c := t.buildNode(s, a, depth+1, hw/2)
				nd := &t.nodes[c]
				sx += nd.cx * nd.n
				sy += nd.cy * nd.n
			}
			s = a
		}
		last = len(t.nodes)
	}
	nd := &t.nodes[idx]
	cx, cy := sx/nd.n, sy/nd.n
	// Central second moments: from the points for a leaf, from the
	// children by the parallel axis theorem otherwise (no cancellation).
	var mxx, mxy, myy float64
	if leaf {
		for s := lo; s < hi; s++ {
			dx, dy := t.sx[s]-cx, t.sy[s]-cy
			mxx += dx * dx
			mxy += dx * dy
			myy += dy * dy
		}
	} else {
		for c := first; c < last; c = int(t.nodes[c].next) {
			ch := &t.nodes[c]
			dx, dy := ch.cx-cx, ch.cy-cy
			mxx += ch.mxx + ch.n*dx*dx
			mxy += ch.mxy + ch.n*dx*dy
			myy += ch.myy + ch.n*dy*dy
		}
	}
	nd.cx, nd.cy = cx, cy
	nd.mxx, nd.mxy, nd.myy = mxx, mxy, myy
	nd.r2 = r2
	nd.leaf = leaf
	nd.next = int32(len(t.nodes))
	return idx
}
