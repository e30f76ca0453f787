package projection

import (
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
// "auto" gradient (tsneObjective, on a grid of at most fftAutoBoxes) hands
// a layout wider than maxBoxes unit boxes to Barnes-Hut instead (fits).

const (
	// fftNodes is the number of interpolation nodes per box and axis
	// (FIt-SNE's default).
	fftNodes = 3
	// fftMaxBoxes is the default largest number of boxes per axis: the
	// grid has at most fftMaxBoxes*fftNodes nodes per axis, and its FFTs
	// twice as many.
	fftMaxBoxes = 128
	// fftAutoBoxes is the largest grid (boxes per axis) of the "auto"
	// gradient: beyond it Barnes-Hut (with its SIMD list sums) costs less
	// than the grid (BenchmarkTSNERepulsionExtent: 23-29 CPU-ms for the
	// tree at 70,000 points, against 16 for 64 boxes and 53-59 for 128).
	fftAutoBoxes = 64
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
