package projection

import "math"

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
