package projection

import (
	"math"
	"sync/atomic"
)

// tsneObjective evaluates the t-SNE gradient for a sparse P: attractive
// forces over P's non-zeros, repulsive forces by Barnes-Hut (or exactly when
// theta is 0). Every buffer is allocated once and reused per iteration.
//
// The gradient it returns is
//
//	g_i = exag * sum_j p_ij q~_ij (y_i - y_j) - (1/Z) sum_j q~_ij^2 (y_i - y_j)
//
// with q~_ij = 1/(1+|y_i-y_j|^2) and Z = sum_{k != l} q~_kl: the gradient of
// KL(P||Q) divided by 4, as in bhtsne (the learning rate absorbs the 4).
type tsneObjective struct {
	p       *CSR    // P in the current numbering
	own     [2]*CSR // renumbered copies of P (the caller's is never written, unless given: see adopt)
	perm    []int32 // perm[i] is the caller's index of internal point i
	inv     []int32 // scratch: inverse of a renumbering
	scratch []float64
	tree    *quadTree
	fft     *fftRepulsion // the FFT repulsion, when used instead of the tree
	// fftFine limits the FFT to grids of unit boxes at most, Barnes-Hut
	// taking over beyond ("auto"); fftIters counts the FFT evaluations,
	// fftLast says whether the last one was.
	fftFine  bool
	fftIters int
	fftLast  bool
	workers  int
	attr     []float64 // interleaved attractive forces
	pos32    []float32 // float32 copy of the positions for the attraction
	rep      []float64 // interleaved unnormalised repulsive forces
	rowBlk   []int     // row block boundaries balanced by non-zeros
	klPart   []float64 // per block sum p log q~
	pLogP    float64   // sum p log p, for the KL
	pSum     float64   // sum p (1 up to float32 rounding)
}

func newTSNEObjective(p *CSR, theta float64, workers int) *tsneObjective {
	n := p.N
	o := &tsneObjective{
		p:       p,
		tree:    newQuadTree(n, theta),
		workers: workers,
		attr:    make([]float64, 2*n),
		rep:     make([]float64, 2*n),
		perm:    make([]int32, n),
		inv:     make([]int32, n),
		scratch: make([]float64, 2*n),
	}
	for i := range o.perm {
		o.perm[i] = int32(i)
	}
	o.balance()
	for _, v := range p.Val {
		if v > 0 {
			o.pLogP += float64(v) * math.Log(float64(v))
			o.pSum += float64(v)
		}
	}
	return o
}

// adopt lets the objective use the caller's P as one of its two
// renumbering buffers, where the caller will not read it again: one copy
// of P fewer (1.2 GB at a million rows). P's Col and Val need room for the
// padding renumber adds (capacity NNZ + tsnePadRoom(N), as symmetrizeJoint
// gives); otherwise adopt does nothing.
func (o *tsneObjective) adopt() {
	p := o.p
	if o.own[0] == nil && cap(p.Col) >= len(p.Col)+tsnePadRoom(p.N) && cap(p.Val) >= len(p.Val)+tsnePadRoom(p.N) {
		o.own[0] = p
	}
}

// tsnePadRoom is the most entries renumber's padding adds to P's n rows.
func tsnePadRoom(n int) int { return 7 * n }

// useFFT makes the objective sum the repulsive forces by FFT interpolation
// (fftRepulsion) instead of Barnes-Hut; with fine set, only while a grid
// of at most fftAutoBoxes boxes a side fits the layout with boxes at most
// fftMaxWidth wide, and by Barnes-Hut when it does not. close then stops its workers.
func (o *tsneObjective) useFFT(fine bool) {
	if fine {
		o.fft = newFFTRepulsionGrid(o.p.N, o.workers, fftAutoBoxes, fftNodes)
	} else {
		o.fft = newFFTRepulsion(o.p.N, o.workers)
	}
	o.fftFine = fine
}

// close releases the FFT repulsion's workers, if any.
func (o *tsneObjective) close() {
	if o.fft != nil {
		o.fft.close()
	}
}

// balance cuts the rows into blocks of about equal work (non-zeros plus a
// little per row) for the attractive pass.
func (o *tsneObjective) balance() {
	p, n := o.p, o.p.N
	nblk := max(1, min(n, 64))
	total := len(p.Col) + 8*n
	o.rowBlk = append(o.rowBlk[:0], 0)
	acc := 0
	for i := 0; i < n; i++ {
		acc += p.RowPtr[i+1] - p.RowPtr[i] + 8
		if acc*nblk >= total*len(o.rowBlk) && i+1 < n {
			o.rowBlk = append(o.rowBlk, i+1)
		}
	}
	o.rowBlk = append(o.rowBlk, n)
	if len(o.klPart) < len(o.rowBlk)-1 {
		o.klPart = make([]float64, len(o.rowBlk)-1)
	}
}

// renumber relabels the points in the Morton order of the last tree build,
// so that points near each other in the layout, which are most of P's
// pairs, are near each other in memory: the attractive pass then reads
// positions from cache, and the next tree build finds its points almost
// sorted. The layouts in pos and the optimizer's state are permuted in
// place; output goes back to the caller's numbering through o.perm.
func (o *tsneObjective) renumber(pos []float64, opt *tsneOptimizer) {
	if o.fftLast {
		o.tree.build(pos) // only for its Morton order
	}
	order := o.tree.order
	n := len(order)
	for s, i := range order {
		o.inv[i] = int32(s)
	}
	for _, v := range [][]float64{pos, opt.update, opt.gains} {
		copy(o.scratch, v)
		for s, i := range order {
			v[2*s] = o.scratch[2*i]
			v[2*s+1] = o.scratch[2*i+1]
		}
	}
	old := o.perm
	np := o.own[0]
	if np == o.p {
		np = o.own[1]
	}
	src := o.p
	if np == nil {
		size := len(src.Col) + tsnePadRoom(n)
		np = &CSR{N: n, RowPtr: make([]int, n+1), Col: make([]int32, size), Val: make([]float32, size)}
		if o.own[0] == nil {
			o.own[0] = np
		} else {
			o.own[1] = np
		}
	}
	np.Col, np.Val = np.Col[:cap(np.Col)], np.Val[:cap(np.Val)]
	at := 0
	for s, i := range order {
		np.RowPtr[s] = at
		for e := src.RowPtr[i]; e < src.RowPtr[i+1]; e++ {
			if src.Val[e] == 0 {
				continue // padding (or a zero affinity: no force, no KL)
			}
			np.Col[at] = o.inv[src.Col[e]]
			np.Val[at] = src.Val[e]
			at++
		}
		// Pad the row to a multiple of 8 with zero affinities to the
		// point itself, so the AVX2 kernel needs no scalar tail.
		for (at-np.RowPtr[s])%8 != 0 {
			np.Col[at] = int32(s)
			np.Val[at] = 0
			at++
		}
	}
	np.RowPtr[n] = at
	np.Col, np.Val = np.Col[:at], np.Val[:at]
	o.p = np
	// perm' [s] = perm[order[s]]: reuse inv as the destination.
	for s, i := range order {
		o.inv[s] = old[i]
	}
	o.perm, o.inv = o.inv, old
	o.balance()
}

// unpermute writes pos (internal numbering) into dst in the caller's.
func (o *tsneObjective) unpermute(dst []float32, pos []float64) {
	for i, c := range o.perm {
		dst[2*c] = float32(pos[2*i])
		dst[2*c+1] = float32(pos[2*i+1])
	}
}

// gradient writes the gradient at pos into grad (both interleaved, len 2N)
// and returns Z. If wantKL is set it also returns KL(P||Q) at pos, using
// the unexaggerated P and the (approximate) Z of this evaluation.
func (o *tsneObjective) gradient(grad, pos []float64, exag float64, wantKL bool) (z, kl float64) {
	o.fftLast = o.fft != nil && (!o.fftFine || o.fft.fits(pos))
	if o.fftLast {
		z = o.fft.repulse(o.rep, pos)
		o.fftIters++
	} else {
		o.tree.build(pos)
		z = o.tree.repulse(o.rep, o.workers)
	}
	o.attract(pos, wantKL)
	invZ := 1 / z
	for i := range grad {
		grad[i] = exag*o.attr[i] - invZ*o.rep[i]
	}
	if wantKL {
		// KL = sum p log p - sum p log q~ + (sum p) log Z.
		s := 0.0
		for _, v := range o.klPart[:len(o.rowBlk)-1] {
			s += v
		}
		kl = o.pLogP - s + o.pSum*math.Log(z)
	}
	return z, kl
}

// attract computes sum_j p_ij q~_ij (y_i - y_j) for every i into o.attr,
// and the per-block sums of p_ij log q~_ij when wantKL is set.
func (o *tsneObjective) attract(pos []float64, wantKL bool) {
	p := o.p
	nblk := len(o.rowBlk) - 1
	if tsneSIMD {
		if len(o.pos32) != len(pos) {
			o.pos32 = make([]float32, len(pos))
		}
		for k, v := range pos {
			o.pos32[k] = float32(v)
		}
	}
	var next atomic.Int64
	parallelWorkers(o.workers, func(int) {
		for {
			b := int(next.Add(1) - 1)
			if b >= nblk {
				return
			}
			kl := 0.0
			for i := o.rowBlk[b]; i < o.rowBlk[b+1]; i++ {
				xi, yi := pos[2*i], pos[2*i+1]
				cols := p.Col[p.RowPtr[i]:p.RowPtr[i+1]]
				vals := p.Val[p.RowPtr[i]:p.RowPtr[i+1]]
				var fx, fy float64
				switch {
				case wantKL:
					fx, fy, kl = attractKL(pos, cols, vals, xi, yi, kl)
				case tsneSIMD:
					ax, ay := attractAVX2(o.pos32, cols, vals, o.pos32[2*i], o.pos32[2*i+1])
					n := len(cols) &^ 7 // a tail only before the first renumbering
					fx, fy = attractGo(pos, cols[n:], vals[n:], xi, yi)
					fx += float64(ax)
					fy += float64(ay)
				default:
					fx, fy = attractGo(pos, cols, vals, xi, yi)
				}
				o.attr[2*i] = fx
				o.attr[2*i+1] = fy
			}
			o.klPart[b] = kl
		}
	})
}

// attractGo returns sum_e vals[e] q_e (xi - x_j, yi - y_j) over the edges
// e to j = cols[e], with q_e = 1/(1+|y_i - y_j|^2): one row's attraction.
func attractGo(pos []float64, cols []int32, vals []float32, xi, yi float64) (fx, fy float64) {
	vals = vals[:len(cols)]
	for c, j := range cols {
		dx, dy := xi-pos[2*j], yi-pos[2*j+1]
		m := float64(vals[c]) / (1 + dx*dx + dy*dy)
		fx += m * dx
		fy += m * dy
	}
	return fx, fy
}

// attractKL is attractGo that also adds sum_e vals[e] log q_e to kl.
func attractKL(pos []float64, cols []int32, vals []float32, xi, yi, kl float64) (fx, fy, klOut float64) {
	vals = vals[:len(cols)]
	for c, j := range cols {
		dx, dy := xi-pos[2*j], yi-pos[2*j+1]
		w := 1 / (1 + dx*dx + dy*dy)
		m := float64(vals[c]) * w
		fx += m * dx
		fy += m * dy
		kl += float64(vals[c]) * math.Log(w)
	}
	return fx, fy, kl
}

// tsneOptimizer is gradient descent with momentum and per-coordinate gains
// (Jacobs' delta-bar-delta as in bhtsne and openTSNE).
type tsneOptimizer struct {
	update []float64
	gains  []float64
	grad   []float64
}

func newTSNEOptimizer(n int) *tsneOptimizer {
	o := &tsneOptimizer{update: make([]float64, 2*n), gains: make([]float64, 2*n), grad: make([]float64, 2*n)}
	for i := range o.gains {
		o.gains[i] = 1
	}
	return o
}

// minGain is the floor of the per-coordinate gains.
const minGain = 0.01

// step applies one update to pos from the gradient in o.grad and re-centres
// pos on the origin.
func (o *tsneOptimizer) step(pos []float64, eta, momentum float64) {
	var sx, sy float64
	for i, g := range o.grad {
		u := o.update[i]
		gain := o.gains[i]
		if tsneSign(g) != tsneSign(u) {
			gain += 0.2
		} else {
			gain *= 0.8
		}
		gain = max(gain, minGain)
		o.gains[i] = gain
		u = momentum*u - eta*gain*g
		o.update[i] = u
		pos[i] += u
		if i&1 == 0 {
			sx += pos[i]
		} else {
			sy += pos[i]
		}
	}
	n := float64(len(pos) / 2)
	sx /= n
	sy /= n
	for i := 0; i < len(pos); i += 2 {
		pos[i] -= sx
		pos[i+1] -= sy
	}
}

// tsneSign returns -1, 0 or +1.
func tsneSign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
