package projection

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
