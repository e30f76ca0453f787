package projection

import (
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/dsp/fourier"
)

// FFT-accelerated interpolation of t-SNE's repulsive forces (Linderman et
// al., "Fast interpolation-based t-SNE for improved visualization of
// single-cell RNA-seq data", Nature Methods 2019; FIt-SNE).
//
// The layout is covered by a square grid of boxes, each holding p x p
// equispaced interpolation nodes. A kernel K(y_i - y_j) summed over all
// pairs is approximated by interpolating it in both arguments with the
// Lagrange polynomials of each point's box:
//
//	sum_j K(y_i - y_j) ~ sum_a L_a(y_i) sum_b K(n_a - n_b) w_b,  w_b = sum_j L_b(y_j)
//
// The charges w are spread from the points to the nodes, the middle sum is
// a convolution on a regular grid (done by real 2-D FFTs of the grid padded
// to twice its size), and the result is gathered back at each point.
//
// FIt-SNE convolves four charges (1, x, y, x^2+y^2) with the squared
// Cauchy kernel and forms the forces as x_i*phi_1 - phi_2, which cancels
// badly once coordinates are large. Here every point's charge is 1, and w
// is convolved with the two odd kernels
//
//	Dx(d) = d_x / (1+|d|^2)^2,  Dy(d) = d_y / (1+|d|^2)^2
//
// whose sums are the repulsive forces themselves, and Z = sum_{i!=j} q_ij
// comes from the Cauchy kernel by Parseval (sum_a w_a (K*w)_a is a dot
// product of spectra), with no inverse transform. One forward and two
// inverse transforms per iteration, against FIt-SNE's eight. A point's
// interpolated force on itself vanishes exactly (an odd kernel's
// interpolated matrix is antisymmetric); its interpolated q_ii, off by up
// to a few percent, is computed per point and taken out of Z (selfTerm).
//
// The grid's boxes are FIt-SNE's unit boxes (as many per axis as the
// layout is wide, at least fftMinBoxes) until there are maxBoxes of them;
// beyond that the boxes widen instead, so an iteration never costs more
// than the maxBoxes grid, however far the layout expands (FIt-SNE's own
// grid grows with the layout, and its time per iteration tenfold). The
// interpolation error grows with the box width (measured in
// tsne_fft_test.go). Box counts come from a short list of sizes the FFT
// factors well, and widths from a ladder of powers of 2^(1/8), so the
// kernels' spectra are recomputed only when one of them changes rung. The
// "auto" gradient (tsneObjective) hands a layout wider than maxBoxes unit
// boxes to Barnes-Hut instead (fits).

const (
	// fftNodes is the number of interpolation nodes per box and axis
	// (FIt-SNE's default).
	fftNodes = 3
	// fftMaxBoxes is the default largest number of boxes per axis: the
	// grid has at most fftMaxBoxes*fftNodes nodes per axis, and its FFTs
	// twice as many.
	fftMaxBoxes = 128
	// fftMinBoxes is the smallest number of boxes per axis.
	fftMinBoxes = 16
	// fftWidthRungs is the number of rungs of the box-width ladder per
	// doubling.
	fftWidthRungs = 8
	// fftMinWidth is the smallest box width: layouts narrower than
	// fftMinBoxes*fftMinWidth (all points nearly equal) use it.
	fftMinWidth = 1.0 / (1 << 30)
	// fftMaxWidth is the widest box the "auto" gradient accepts: FIt-SNE's
	// unit boxes, whose error fftBound states.
	fftMaxWidth = 1.0
	// fftPointChunk is the number of points per unit of parallel work.
	fftPointChunk = 2048
)

// fftRepulsion holds the buffers of the FFT interpolation, allocated once;
// repulse allocates nothing. Its phases run on a workTeam, each over fixed
// units of work (points, grid rows or columns) whose results do not
// depend on which worker does them, so the forces and Z are bit-identical
// for every number of workers.
type fftRepulsion struct {
	maxBoxes, p int // largest number of boxes per axis, nodes per box and axis
	boxes       int // boxes per axis of the current grid
	m, size     int // nodes per axis, FFT length (2m), of the current grid
	team        *workTeam
	next        atomic.Int64 // the next unit of work of the current phase

	// Current grid: box width and lower-left corner. The kernel spectra
	// are for width kernW and kernBoxes boxes (0: none yet).
	width, x0, y0, kernW float64
	kernBoxes            int

	tk    []float64 // node positions in a box, in [0,1]
	denom []float64 // Lagrange denominators

	// Per worker FFTs and row buffers.
	rfft   []*fourier.FFT
	cfft   []*fourier.CmplxFFT
	rowIn  [][]float64
	rowOut [][]complex128

	// Spectra are stored by column of the half spectrum: column c (0..m)
	// is spec[c*size : (c+1)*size], the transform along y.
	grid       []float64    // charges, m x m, row-major (row = y)
	spec       []complex128 // spectrum of grid
	outX, outY []complex128 // products with the force kernels
	// The kernels' spectra: that of the Cauchy kernel (even in x and y)
	// is real, those of Dx and Dy (odd in one axis, even in the other)
	// imaginary; only those parts are kept.
	kern1        []float64 // spectrum of 1/(1+d^2)
	kernX, kernY []float64 // spectra of Dx, Dy over i
	gx, gy       []float64 // forces at the nodes, m x m
	zcol         []float64 // per column share of Z
	// selfK is 1/(1+d^2) at node offsets (dx, dy) in [-(p-1), p-1]^2
	// (row-major, 2p-1 per row); selfPart holds, per chunk of points, the
	// sum of their interpolated self interactions, which Z leaves out.
	selfK    []float64
	selfPart []float64

	// Per point: box and interpolation weights; points grouped by box.
	pos, rep []float64
	cell     []int32
	wx, wy   []float64 // p weights per point
	byBox    []int32   // point indices grouped by box (row-major boxes)
	boxStart []int32   // byBox[boxStart[b]:boxStart[b+1]] are box b's

	// The phases, as method values made once (so that handing them to
	// the team allocates nothing).
	phPlace, phSpread, phRows, phCols, phInvRows, phGather, phKernRows, phKernCols func(w int)
}

// newFFTRepulsion returns the buffers for n points and the given number of
// workers (already clamped by workerCount).
func newFFTRepulsion(n, workers int) *fftRepulsion {
	return newFFTRepulsionGrid(n, workers, fftMaxBoxes, fftNodes)
}

// newFFTRepulsionGrid is newFFTRepulsion with a chosen grid: the largest
// number of boxes per axis (one of fftBoxCounts) and the number of
// interpolation nodes per box and axis.
func newFFTRepulsionGrid(n, workers, maxBoxes, p int) *fftRepulsion {
	m := maxBoxes * p
	size := 2 * m
	half := m + 1
	f := &fftRepulsion{
		maxBoxes: maxBoxes, p: p,
		team:     newWorkTeam(workers),
		tk:       make([]float64, p),
		denom:    make([]float64, p),
		grid:     make([]float64, m*m),
		spec:     make([]complex128, half*size),
		outX:     make([]complex128, half*size),
		outY:     make([]complex128, half*size),
		kern1:    make([]float64, half*size),
		kernX:    make([]float64, half*size),
		kernY:    make([]float64, half*size),
		gx:       make([]float64, m*m),
		gy:       make([]float64, m*m),
		zcol:     make([]float64, half),
		selfK:    make([]float64, (2*p-1)*(2*p-1)),
		selfPart: make([]float64, (n+fftPointChunk-1)/fftPointChunk),
		cell:     make([]int32, n),
		wx:       make([]float64, n*p),
		wy:       make([]float64, n*p),
		byBox:    make([]int32, n),
		boxStart: make([]int32, maxBoxes*maxBoxes+1),
	}
	for k := range f.tk {
		f.tk[k] = (float64(k) + 0.5) / float64(p)
	}
	for k := range f.denom {
		d := 1.0
		for j := range f.tk {
			if j != k {
				d *= f.tk[k] - f.tk[j]
			}
		}
		f.denom[k] = d
	}
	for range workers {
		f.rfft = append(f.rfft, fourier.NewFFT(size))
		f.cfft = append(f.cfft, fourier.NewCmplxFFT(size))
		f.rowIn = append(f.rowIn, make([]float64, size))
		f.rowOut = append(f.rowOut, make([]complex128, half))
	}
	f.phPlace, f.phSpread = f.place, f.spread
	f.phRows, f.phCols, f.phInvRows, f.phGather = f.rows, f.cols, f.invRows, f.gather
	f.phKernRows, f.phKernCols = f.kernRows, f.kernCols
	return f
}

// close stops the worker goroutines.
func (f *fftRepulsion) close() { f.team.close() }

// run runs phase fn on the team with the unit counter reset.
func (f *fftRepulsion) run(fn func(w int)) {
	f.next.Store(0)
	f.team.run(fn)
}

// take returns the next unit of work below n, or -1 when none is left.
func (f *fftRepulsion) take(n int) int {
	u := int(f.next.Add(1) - 1)
	if u >= n {
		return -1
	}
	return u
}

// repulse computes for every point i the unnormalised repulsive force
// sum_j q_ij^2 (y_i - y_j), with q_ij = 1/(1+|y_i-y_j|^2), into rep
// (interleaved, the order of pos), and returns Z = sum_{i != j} q_ij, both
// by interpolation on the grid. pos and rep have length 2N for the N given
// to newFFTRepulsion.
func (f *fftRepulsion) repulse(rep, pos []float64) float64 {
	n := len(pos) / 2
	if n == 0 {
		return 0
	}
	f.setGrid(pos)
	f.pos, f.rep = pos, rep
	f.run(f.phPlace)
	f.groupByBox(n)
	f.run(f.phSpread)
	f.run(f.phRows)
	f.run(f.phCols)
	f.run(f.phInvRows)
	f.run(f.phGather)
	f.pos, f.rep = nil, nil
	z := 0.0
	for _, v := range f.zcol {
		z += v
	}
	self := 0.0
	for _, v := range f.selfPart[:(n+fftPointChunk-1)/fftPointChunk] {
		self += v
	}
	return z/float64(f.size*f.size) - self
}

// fftBoxCounts are the numbers of boxes per axis a grid may have: FFT
// lengths 6*boxes factor into 2, 3, 4 and 5.
var fftBoxCounts = []int{16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512}

// fits reports whether the grid can cover the layout in pos with boxes at
// most fftMaxWidth wide.
func (f *fftRepulsion) fits(pos []float64) bool {
	ext, _, _, _, _ := f.extent(pos)
	return ext <= float64(f.maxBoxes)*fftMaxWidth
}

// extent returns the layout's width along its wider axis, with a margin so
// that no point lies on the grid's edge, and its lower-left corner.
func (f *fftRepulsion) extent(pos []float64) (ext, minx, miny, maxx, maxy float64) {
	minx, miny = math.Inf(1), math.Inf(1)
	maxx, maxy = math.Inf(-1), math.Inf(-1)
	for i := 0; i < len(pos); i += 2 {
		x, y := pos[i], pos[i+1]
		minx, maxx = min(minx, x), max(maxx, x)
		miny, maxy = min(miny, y), max(maxy, y)
	}
	ext = max(maxx-minx, maxy-miny)*(1+1e-6) + 1e-9*(math.Abs(minx)+math.Abs(miny))
	return ext, minx, miny, maxx, maxy
}

// setGrid chooses the number of boxes (one unit box per unit of the
// layout's extent, between fftMinBoxes and maxBoxes, rounded up to a
// count in fftBoxCounts) and the box width (the smallest rung of the
// ladder whose grid covers the layout), places the grid on the layout's
// centre, and recomputes the kernel spectra when the grid changed.
func (f *fftRepulsion) setGrid(pos []float64) {
	ext, minx, miny, maxx, maxy := f.extent(pos)
	boxes := f.maxBoxes
	for _, b := range fftBoxCounts {
		if b >= fftMinBoxes && float64(b) >= ext {
			boxes = min(b, f.maxBoxes)
			break
		}
	}
	if boxes != f.boxes {
		f.setBoxes(boxes)
	}
	need := ext / float64(boxes)
	w := fftMinWidth
	if need > w {
		w = math.Exp2(math.Ceil(math.Log2(need)*fftWidthRungs) / fftWidthRungs)
		for w < need { // guard against rounding in Log2/Exp2
			w *= math.Exp2(1.0 / fftWidthRungs)
		}
	}
	f.width = w
	side := w * float64(f.boxes)
	f.x0 = (minx+maxx)/2 - side/2
	f.y0 = (miny+maxy)/2 - side/2
	if w != f.kernW || boxes != f.kernBoxes {
		f.run(f.phKernRows)
		f.run(f.phKernCols)
		f.kernW, f.kernBoxes = w, boxes
		h, r := w/float64(f.p), 2*f.p-1
		for i := range f.selfK {
			dx, dy := float64(i%r-(f.p-1))*h, float64(i/r-(f.p-1))*h
			f.selfK[i] = 1 / (1 + dx*dx + dy*dy)
		}
	}
}

// setBoxes sizes the grid for the given number of boxes per axis (at most
// maxBoxes): buffers are resliced and the FFTs re-planned, allocating
// nothing.
func (f *fftRepulsion) setBoxes(boxes int) {
	f.boxes = boxes
	f.m = boxes * f.p
	f.size = 2 * f.m
	half := f.m + 1
	f.grid, f.gx, f.gy = f.grid[:f.m*f.m], f.gx[:f.m*f.m], f.gy[:f.m*f.m]
	for _, b := range []*[]complex128{&f.spec, &f.outX, &f.outY} {
		*b = (*b)[:half*f.size]
	}
	for _, b := range []*[]float64{&f.kern1, &f.kernX, &f.kernY} {
		*b = (*b)[:half*f.size]
	}
	f.zcol = f.zcol[:half]
	f.boxStart = f.boxStart[:boxes*boxes+1]
	for w := range f.rfft {
		f.rfft[w].Reset(f.size)
		f.cfft[w].Reset(f.size)
		f.rowIn[w] = f.rowIn[w][:f.size]
		f.rowOut[w] = f.rowOut[w][:half]
	}
}

// lagrange writes the p Lagrange weights at u (in box units, [0,1]) to dst.
func (f *fftRepulsion) lagrange(dst []float64, u float64) {
	for k := range dst {
		v := 1 / f.denom[k]
		for j, t := range f.tk {
			if j != k {
				v *= u - t
			}
		}
		dst[k] = v
	}
}

// boxOf returns the box index along one axis of coordinate v (relative to
// the grid's corner) and its position within the box.
func (f *fftRepulsion) boxOf(v float64) (int, float64) {
	u := v / f.width
	b := min(max(int(u), 0), f.boxes-1)
	return b, u - float64(b)
}

// place computes each point's box and interpolation weights.
func (f *fftRepulsion) place(int) {
	n, p := len(f.pos)/2, f.p
	for {
		c := f.take((n + fftPointChunk - 1) / fftPointChunk)
		if c < 0 {
			return
		}
		for i := c * fftPointChunk; i < min(n, (c+1)*fftPointChunk); i++ {
			bx, ux := f.boxOf(f.pos[2*i] - f.x0)
			by, uy := f.boxOf(f.pos[2*i+1] - f.y0)
			f.cell[i] = int32(by*f.boxes + bx)
			f.lagrange(f.wx[i*p:(i+1)*p], ux)
			f.lagrange(f.wy[i*p:(i+1)*p], uy)
		}
	}
}

// groupByBox sorts the points by box (a counting sort, stable).
func (f *fftRepulsion) groupByBox(n int) {
	st := f.boxStart
	clear(st)
	for _, c := range f.cell[:n] {
		st[c+1]++
	}
	for b := 1; b < len(st); b++ {
		st[b] += st[b-1]
	}
	// Fill using st[b] as the next slot of box b, then shift back.
	for i, c := range f.cell[:n] {
		f.byBox[st[c]] = int32(i)
		st[c]++
	}
	copy(st[1:], st[:len(st)-1])
	st[0] = 0
}

// spread adds each point's charge to the nodes of its box, one row of
// boxes per unit of work: a node gets charges from its own box only, so
// rows of boxes never share a node.
func (f *fftRepulsion) spread(int) {
	p, m := f.p, f.m
	for {
		by := f.take(f.boxes)
		if by < 0 {
			return
		}
		clear(f.grid[by*p*m : (by+1)*p*m])
		for bx := 0; bx < f.boxes; bx++ {
			b := by*f.boxes + bx
			for _, i := range f.byBox[f.boxStart[b]:f.boxStart[b+1]] {
				wx := f.wx[int(i)*p : int(i)*p+p]
				wy := f.wy[int(i)*p : int(i)*p+p]
				for ky, vy := range wy {
					row := f.grid[(by*p+ky)*m+bx*p:]
					row = row[:p]
					for kx, vx := range wx {
						row[kx] += vy * vx
					}
				}
			}
		}
	}
}

// rows transforms each row of charges (zero-padded to size) along x and
// stores it by column of the half spectrum.
func (f *fftRepulsion) rows(w int) {
	in, out := f.rowIn[w], f.rowOut[w]
	clear(in[f.m:])
	for {
		r := f.take(f.m)
		if r < 0 {
			return
		}
		copy(in, f.grid[r*f.m:(r+1)*f.m])
		f.rfft[w].Coefficients(out, in)
		for c, v := range out {
			f.spec[c*f.size+r] = v
		}
	}
}

// cols finishes the forward transform of each column (along y; the rows
// past m are the zero padding), adds its share of Z, multiplies by the
// force kernels' spectra and transforms the products back along y.
func (f *fftRepulsion) cols(w int) {
	size, m := f.size, f.m
	ft := f.cfft[w]
	for {
		c := f.take(m + 1)
		if c < 0 {
			return
		}
		col := f.spec[c*size : (c+1)*size]
		clear(col[m:])
		ft.Coefficients(col, col)
		k1 := f.kern1[c*size : (c+1)*size]
		kx := f.kernX[c*size : (c+1)*size]
		ky := f.kernY[c*size : (c+1)*size]
		ox := f.outX[c*size : (c+1)*size]
		oy := f.outY[c*size : (c+1)*size]
		z := 0.0
		for r, v := range col {
			re, im := real(v), imag(v)
			z += (re*re + im*im) * k1[r]
			ox[r] = complex(-im*kx[r], re*kx[r]) // v * i kx
			oy[r] = complex(-im*ky[r], re*ky[r])
		}
		// The half spectrum holds columns 1..m-1 for their mirror images.
		if c != 0 && c != m {
			z *= 2
		}
		f.zcol[c] = z
		ft.Sequence(ox, ox)
		ft.Sequence(oy, oy)
	}
}

// invRows transforms each needed row of the products back along x into
// the node forces (the rows and columns past m are the convolution's wrap
// around, not needed).
func (f *fftRepulsion) invRows(w int) {
	in, out := f.rowIn[w], f.rowOut[w]
	size, m := f.size, f.m
	scale := 1 / float64(size*size)
	for {
		r := f.take(2 * m)
		if r < 0 {
			return
		}
		src, dst := f.outX, f.gx
		if r >= m {
			r -= m
			src, dst = f.outY, f.gy
		}
		for c := range out {
			out[c] = src[c*size+r]
		}
		f.rfft[w].Sequence(in, out)
		row := dst[r*m : (r+1)*m]
		for j := range row {
			row[j] = in[j] * scale
		}
	}
}

// gather interpolates the node forces at each point, and sums the points'
// interpolated self interactions.
func (f *fftRepulsion) gather(int) {
	n, p, m := len(f.pos)/2, f.p, f.m
	for {
		c := f.take((n + fftPointChunk - 1) / fftPointChunk)
		if c < 0 {
			return
		}
		self := 0.0
		for i := c * fftPointChunk; i < min(n, (c+1)*fftPointChunk); i++ {
			b := int(f.cell[i])
			by, bx := b/f.boxes, b%f.boxes
			wx := f.wx[i*p : i*p+p]
			wy := f.wy[i*p : i*p+p]
			var fx, fy float64
			for ky, vy := range wy {
				at := (by*p+ky)*m + bx*p
				rx := f.gx[at : at+p]
				ry := f.gy[at : at+p]
				var sx, sy float64
				for kx, vx := range wx {
					sx += vx * rx[kx]
					sy += vx * ry[kx]
				}
				fx += vy * sx
				fy += vy * sy
			}
			f.rep[2*i] = fx
			f.rep[2*i+1] = fy
			self += f.selfTerm(wx, wy)
		}
		f.selfPart[c] = self
	}
}

// selfTerm returns a point's interpolated interaction with itself under
// the Cauchy kernel, sum_{a,b} L_a L_b K(n_a - n_b) over its box's nodes:
// with the kernel depending only on the node offset, it is
// sum_{dx,dy} K(dx, dy) Cx(dx) Cy(dy), where Cx and Cy are the
// autocorrelations of the point's weights along each axis. Z leaves it
// out, as the exact sum leaves out q_ii = 1 (the interpolated value is off
// by up to a few percent, which would add up to N times that).
func (f *fftRepulsion) selfTerm(wx, wy []float64) float64 {
	const maxP = 8
	p := len(wx)
	r := 2*p - 1
	var cx, cy [2*maxP - 1]float64
	for a := range p {
		for b := range p {
			cx[a-b+p-1] += wx[a] * wx[b]
			cy[a-b+p-1] += wy[a] * wy[b]
		}
	}
	s := 0.0
	for dy := range r {
		row := f.selfK[dy*r : (dy+1)*r]
		t := 0.0
		for dx, k := range row {
			t += k * cx[dx]
		}
		s += t * cy[dy]
	}
	return s
}

// offset returns the signed node offset of index k of the padded grid
// (circulant embedding: 0..m-1, then -(m-1)..-1; k == m is unused) and
// whether it is used.
func (f *fftRepulsion) offset(k int) (int, bool) {
	switch {
	case k < f.m:
		return k, true
	case k > f.m:
		return k - f.size, true
	}
	return 0, false
}

// kernRows evaluates the three kernels on each row of the padded grid
// (node spacing width/p) and transforms it along x, into spec, outX and
// outY (free outside repulse's own phases) as scratch.
func (f *fftRepulsion) kernRows(w int) {
	in, out := f.rowIn[w], f.rowOut[w]
	h := f.width / float64(f.p)
	for {
		r := f.take(3 * f.size)
		if r < 0 {
			return
		}
		kind := r / f.size
		r %= f.size
		oy, okY := f.offset(r)
		dy := float64(oy) * h
		for c := range in {
			ox, okX := f.offset(c)
			if !okX || !okY {
				in[c] = 0
				continue
			}
			dx := float64(ox) * h
			q := 1 / (1 + dx*dx + dy*dy)
			switch kind {
			case 0:
				in[c] = q
			case 1:
				in[c] = dx * q * q
			default:
				in[c] = dy * q * q
			}
		}
		dst := [...][]complex128{f.spec, f.outX, f.outY}[kind]
		f.rfft[w].Coefficients(out, in)
		for c, v := range out {
			dst[c*f.size+r] = v
		}
	}
}

// kernCols finishes the kernels' transforms along y and keeps their real
// (Cauchy) or imaginary (Dx, Dy) parts.
func (f *fftRepulsion) kernCols(w int) {
	half := f.m + 1
	for {
		u := f.take(3 * half)
		if u < 0 {
			return
		}
		kind, c := u/half, u%half
		src := [...][]complex128{f.spec, f.outX, f.outY}[kind]
		col := src[c*f.size : (c+1)*f.size]
		f.cfft[w].Coefficients(col, col)
		dst := [...][]float64{f.kern1, f.kernX, f.kernY}[kind][c*f.size : (c+1)*f.size]
		for r, v := range col {
			if kind == 0 {
				dst[r] = real(v)
			} else {
				dst[r] = imag(v)
			}
		}
	}
}

// workTeam is a fixed set of goroutines that run one function at a time on
// every worker: run(fn) calls fn(w) for w in [0, workers), fn(0) on the
// caller's goroutine, and returns when all are done. Unlike
// parallelWorkers it starts no goroutine per call, so a phase costs no
// allocation; close stops the goroutines.
type workTeam struct {
	wake []chan func(w int)
	done chan struct{}
}

func newWorkTeam(workers int) *workTeam {
	t := &workTeam{done: make(chan struct{}, max(workers, 1))}
	for w := 1; w < workers; w++ {
		c := make(chan func(int), 1)
		t.wake = append(t.wake, c)
		go func() {
			for fn := range c {
				fn(w)
				t.done <- struct{}{}
			}
		}()
	}
	return t
}

func (t *workTeam) run(fn func(w int)) {
	for _, c := range t.wake {
		c <- fn
	}
	fn(0)
	for range t.wake {
		<-t.done
	}
}

func (t *workTeam) close() {
	for _, c := range t.wake {
		close(c)
	}
	t.wake = nil
}
