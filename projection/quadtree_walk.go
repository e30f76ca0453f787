package projection

import (
	"math"
	"sync/atomic"
)

// The Barnes-Hut walk over the quadtree (quadtree.go): groups of points,
// their interaction lists and the sums over them.

// repulse computes for every point i the unnormalised repulsive force
// sum_j q_ij^2 (y_i - y_j), with q_ij = 1/(1+|y_i-y_j|^2), into rep
// (interleaved, original order), and returns Z = sum_{i != j} q_ij.
//
// Points are handled in groups: the subtrees of at most qtGroupSize points.
// For each group the tree is walked once, against the bounding box of the
// group's points: a cell is summarised when the criterion holds for every
// point of the box (its centre of mass is farther than halfwidth/theta from
// the whole box), and a leaf that fails is expanded into its points. That
// gives an interaction list (cells and single points, the group's own
// points included) that every point of the group then sums in a tight,
// branch-free loop. Each point's error is thus no larger than with a walk
// of its own, and the walks cost a group's share instead of a point's.
//
// Work is split into fixed chunks of groups that up to workers goroutines
// take in turn; each chunk writes only its own points and its own partial
// Z, and the partials are added in chunk order, so the result does not
// depend on the number of workers.
func (t *quadTree) repulse(rep []float64, workers int) float64 {
	t.makeGroups()
	nchunk := len(t.chunks) - 1
	workers = max(1, min(workers, nchunk))
	for len(t.lists) < workers {
		t.lists = append(t.lists, &qtList{})
	}
	var next atomic.Int64
	parallelWorkers(workers, func(w int) {
		l := t.lists[w]
		for {
			c := int(next.Add(1) - 1)
			if c >= nchunk {
				return
			}
			z := 0.0
			for g := t.chunks[c]; g < t.chunks[c+1]; g++ {
				z += t.repulseGroup(rep, l, t.groups[g])
			}
			t.zpart[c] = z
		}
	})
	z := 0.0
	for _, p := range t.zpart[:nchunk] {
		z += p
	}
	return z
}

// qtList is one worker's interaction list, reused across groups and
// iterations: single points (x, y) and summarised cells (centre of mass,
// count and second moments).
type qtList struct {
	x, y                     []float64
	cx, cy, n, mxx, mxy, myy []float64
}

func (l *qtList) reset() {
	l.x, l.y = l.x[:0], l.y[:0]
	l.cx, l.cy, l.n = l.cx[:0], l.cy[:0], l.n[:0]
	l.mxx, l.mxy, l.myy = l.mxx[:0], l.mxy[:0], l.myy[:0]
}

func (l *qtList) addPoint(x, y float64) {
	l.x = append(l.x, x)
	l.y = append(l.y, y)
}

func (l *qtList) addCell(nd *qtNode) {
	l.cx = append(l.cx, nd.cx)
	l.cy = append(l.cy, nd.cy)
	l.n = append(l.n, nd.n)
	l.mxx = append(l.mxx, nd.mxx)
	l.mxy = append(l.mxy, nd.mxy)
	l.myy = append(l.myy, nd.myy)
}

// qtPadFar is where pad puts its padding points: far enough that their q
// (below 1e-300) leaves every sum unchanged and q^2 is exactly zero.
const qtPadFar = 1e150

// pad appends zero-weight entries until both parts of the list have a
// multiple of 8 entries, as qtSumAVX512 needs (qtSumAVX2: 4): points at
// (qtPadFar, qtPadFar), whose q^2 underflows to zero and whose q cannot
// change a sum of ordinary terms, and empty cells (n and moments zero),
// whose terms are exactly zero.
func (l *qtList) pad() {
	for len(l.x)%8 != 0 {
		l.addPoint(qtPadFar, qtPadFar)
	}
	for len(l.cx)%8 != 0 {
		l.cx = append(l.cx, 0)
		l.cy = append(l.cy, 0)
		l.n = append(l.n, 0)
		l.mxx = append(l.mxx, 0)
		l.mxy = append(l.mxy, 0)
		l.myy = append(l.myy, 0)
	}
}

// sum returns the force on a point at (xi, yi) from every entry of the
// padded list (see sumGo), by the AVX-512 or AVX2 kernel where the CPU
// has one.
func (l *qtList) sum(xi, yi float64) (fx, fy, z float64) {
	if tsneAVX512 {
		return qtSumAVX512(l, xi, yi)
	}
	if tsneSIMD {
		return qtSumAVX2(l, xi, yi)
	}
	return l.sumGo(xi, yi)
}

// sumGo returns the force on a point at (xi, yi) from every entry of the list
// (the sum of q^2 (xi-xj, yi-yj) over the points j the entries stand for)
// and their share of Z (the sum of q), with q = 1/(1+d^2).
//
// A cell is expanded to second order about its centre of mass c: with
// d = y_i - c, u = 1+|d|^2 and M the cell's second moment matrix,
//
//	sum_j q_ij   ~ n/u   - tr(M)/u^2 + 4 d'Md/u^3
//	sum_j q_ij^2 (y_i - y_j) ~ n d/u^2 - 2(2Md + tr(M) d)/u^3 + 12 (d'Md) d/u^4
//
// (the first-order terms vanish about the centre of mass). This removes
// the bias of the plain monopole, which overestimates Z in dense regions
// where q is concave, at a few multiplications per cell.
func (l *qtList) sumGo(xi, yi float64) (fx, fy, z float64) {
	lx, ly := l.x, l.y
	ly = ly[:len(lx)]
	for e := range lx {
		dx, dy := xi-lx[e], yi-ly[e]
		q := 1 / (1 + dx*dx + dy*dy)
		z += q
		q *= q
		fx += q * dx
		fy += q * dy
	}
	cx, cy, cn := l.cx, l.cy, l.n
	m := len(cx)
	cy, cn = cy[:m], cn[:m]
	mxx, mxy, myy := l.mxx[:m], l.mxy[:m], l.myy[:m]
	for e := range cx {
		dx, dy := xi-cx[e], yi-cy[e]
		q := 1 / (1 + dx*dx + dy*dy)
		q2 := q * q
		q3 := q2 * q
		mdx := mxx[e]*dx + mxy[e]*dy
		mdy := mxy[e]*dx + myy[e]*dy
		dmd := dx*mdx + dy*mdy
		tr := mxx[e] + myy[e]
		n := cn[e]
		z += n*q - tr*q2 + 4*dmd*q3
		a := n*q2 - 2*tr*q3 + 12*dmd*q3*q
		fx += a*dx - 4*q3*mdx
		fy += a*dy - 4*q3*mdy
	}
	return fx, fy, z
}

// makeGroups lists the group roots (preorder) and cuts them into chunks of
// about qtChunk points.
func (t *quadTree) makeGroups() {
	t.groups = t.groups[:0]
	t.chunks = append(t.chunks[:0], 0)
	acc := 0
	for k := 0; k < len(t.nodes); {
		nd := &t.nodes[k]
		if nd.leaf || nd.n <= qtGroupSize {
			t.groups = append(t.groups, int32(k))
			acc += int(nd.n)
			if acc >= qtChunk {
				t.chunks = append(t.chunks, int32(len(t.groups)))
				acc = 0
			}
			k = int(nd.next)
			continue
		}
		k++
	}
	if acc > 0 {
		t.chunks = append(t.chunks, int32(len(t.groups)))
	}
	if len(t.zpart) < len(t.chunks) {
		t.zpart = make([]float64, len(t.chunks))
	}
}

// repulseGroup handles the points of group root node g and returns their
// share of Z.
func (t *quadTree) repulseGroup(rep []float64, l *qtList, g int32) float64 {
	nodes := t.nodes
	sx, sy := t.sx, t.sy
	glo, ghi := nodes[g].lo, nodes[g].hi
	bx0, by0 := math.Inf(1), math.Inf(1)
	bx1, by1 := math.Inf(-1), math.Inf(-1)
	for s := glo; s < ghi; s++ {
		bx0 = min(bx0, sx[s])
		bx1 = max(bx1, sx[s])
		by0 = min(by0, sy[s])
		by1 = max(by1, sy[s])
	}
	l.reset()
	for k := 0; k < len(nodes); {
		nd := &nodes[k]
		if nd.hi <= glo || nd.lo >= ghi {
			// Squared distance from the centre of mass to the box.
			ex := max(bx0-nd.cx, nd.cx-bx1, 0)
			ey := max(by0-nd.cy, nd.cy-by1, 0)
			if ex*ex+ey*ey > nd.r2 {
				l.addCell(nd)
				k = int(nd.next)
				continue
			}
		}
		if nd.leaf {
			for j := nd.lo; j < nd.hi; j++ {
				l.addPoint(sx[j], sy[j])
			}
			k = int(nd.next)
			continue
		}
		k++
	}
	l.pad()
	z := 0.0
	for s := glo; s < ghi; s++ {
		fx, fy, zi := l.sum(sx[s], sy[s])
		// The list holds the point itself once: q = 1, no force.
		z += zi - 1
		i := t.order[s]
		rep[2*i] = fx
		rep[2*i+1] = fy
	}
	return z
}
