package projection

import (
	"context"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// The streaming passes of the iterative PCA (see pca_iterative.go): the
// operators, implicit and explicit, and the kernels they are made of.

// rowStream reads a Source in blocks of rows: views of a *Matrix's own
// data, or copies made by workers goroutines into one buffer.
type rowStream struct {
	src     Source
	m       *Matrix // src, when it is a *Matrix
	n, d    int
	block   int
	workers int
	buf     []float32
	t       []float64 // a block's worth of per-row values
}

func newRowStream(src Source, block, workers int) *rowStream {
	n, d := src.Dims()
	s := &rowStream{src: src, n: n, d: d, block: block, workers: workers, t: make([]float64, block)}
	if m, ok := src.(*Matrix); ok && len(m.Data) == n*d {
		s.m = m
	} else {
		s.buf = make([]float32, block*d)
	}
	return s
}

// each calls fn on every block of rows in order, x holding rows [lo, hi).
// It stops early, returning ctx.Err(), once ctx is done.
func (s *rowStream) each(ctx context.Context, fn func(x []float32, lo, hi int)) error {
	for lo := 0; lo < s.n; lo += s.block {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+s.block, s.n)
		var x []float32
		if s.m != nil {
			x = s.m.Data[lo*s.d : hi*s.d]
		} else {
			x = s.buf[:(hi-lo)*s.d]
			parallelRanges(hi-lo, s.workers, func(_, a, b int) {
				s.src.Rows(x[a*s.d:b*s.d], lo+a, lo+b)
			})
		}
		fn(x, lo, hi)
	}
	return nil
}

// covarianceOp returns v -> C v, one pass: the sum over rows of
// ((x_i - mean).v)(x_i - mean), divided by N-1.
func (s *rowStream) covarianceOp(ctx context.Context, mean []float64) func(dst, v []float64) {
	return func(dst, v []float64) {
		off := lzDot(mean, v)
		clear(dst)
		var tsum float64
		s.each(ctx, func(x []float32, lo, hi int) {
			t := s.t[:hi-lo]
			rowDots(t, x, s.d, v, off, s.workers)
			colAxpy(dst, x, s.d, t, s.workers)
			for _, ti := range t {
				tsum += ti
			}
		})
		for j := range dst {
			dst[j] = (dst[j] - mean[j]*tsum) / float64(s.n-1)
		}
	}
}

// gramOp returns u -> G u, two passes: w = Xc^T u, then (Xc w) / (N-1).
func (s *rowStream) gramOp(ctx context.Context, mean []float64) func(dst, u []float64) {
	w := make([]float64, s.d)
	return func(dst, u []float64) {
		clear(w)
		var usum float64
		s.each(ctx, func(x []float32, lo, hi int) {
			colAxpy(w, x, s.d, u[lo:hi], s.workers)
			for _, ui := range u[lo:hi] {
				usum += ui
			}
		})
		for j := range w {
			w[j] -= mean[j] * usum
		}
		off := lzDot(mean, w)
		s.each(ctx, func(x []float32, lo, hi int) {
			rowDots(dst[lo:hi], x, s.d, w, off, s.workers)
		})
		for i := range dst {
			dst[i] /= float64(s.n - 1)
		}
	}
}

// explicitCovariance forms C (D x D) in one pass of float64 rank-k updates
// of the centred blocks and returns v -> C v.
func (s *rowStream) explicitCovariance(ctx context.Context, mean []float64) (func(dst, v []float64), error) {
	d := s.d
	c := make([]float64, d*d)
	xc := make([]float64, s.block*d)
	err := s.each(ctx, func(x []float32, lo, hi int) {
		rows := hi - lo
		centre(xc, d, x, d, mean, rows, s.workers)
		blas64.Syrk(blas.Trans, 1/float64(s.n-1), blas64.General{Rows: rows, Cols: d, Stride: d, Data: xc},
			1, blas64.Symmetric{Uplo: blas.Upper, N: d, Stride: d, Data: c})
	})
	if err != nil {
		return nil, err
	}
	return symmetricOp(c, d, s.workers), nil
}

// explicitGram forms G (N x N) from tiles of columns of the centred data,
// one pass per tile, and returns u -> G u.
func (s *rowStream) explicitGram(ctx context.Context, mean []float64) (func(dst, u []float64), error) {
	n, d := s.n, s.d
	g := make([]float64, n*n)
	w := max(pcaTileCols, pcaTileValues/n)
	if s.m != nil {
		w = pcaTileCols
	}
	w = min(w, d)
	tile := make([]float64, n*w)
	for c0 := 0; c0 < d; c0 += w {
		c1 := min(c0+w, d)
		err := s.each(ctx, func(x []float32, lo, hi int) {
			centre(tile[lo*w:], w, x[c0:], d, mean[c0:c1], hi-lo, s.workers)
		})
		if err != nil {
			return nil, err
		}
		blas64.Syrk(blas.NoTrans, 1/float64(n-1), blas64.General{Rows: n, Cols: c1 - c0, Stride: w, Data: tile},
			1, blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: g})
	}
	return symmetricOp(g, n, s.workers), nil
}

// centre writes rows of x (row stride xs) minus mean, as float64, into dst
// (row stride ds), for the len(mean) columns of each of rows rows.
func centre(dst []float64, ds int, x []float32, xs int, mean []float64, rows, workers int) {
	parallelRanges(rows, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			out := dst[i*ds : i*ds+len(mean)]
			for j, v := range x[i*xs : i*xs+len(mean)] {
				out[j] = float64(v) - mean[j]
			}
		}
	})
}

// symmetricOp completes the lower triangle of the m x m matrix a from its
// upper one and returns v -> a v, rows split among workers.
func symmetricOp(a []float64, m, workers int) func(dst, v []float64) {
	for i := 0; i < m; i++ {
		for j := i + 1; j < m; j++ {
			a[j*m+i] = a[i*m+j]
		}
	}
	return func(dst, v []float64) {
		parallelRanges(m, workers, func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				dst[i] = blas64.Dot(blas64.Vector{N: m, Inc: 1, Data: a[i*m : (i+1)*m]}, blas64.Vector{N: m, Inc: 1, Data: v})
			}
		})
	}
}

// gramAxes turns eigenvectors u of G into the unit principal axes
// Xc^T u / |Xc^T u|, in one pass.
func (s *rowStream) gramAxes(ctx context.Context, mean []float64, us [][]float64) ([][]float64, error) {
	out := make([][]float64, len(us))
	for c := range out {
		out[c] = make([]float64, s.d)
	}
	usum := make([]float64, len(us))
	err := s.each(ctx, func(x []float32, lo, hi int) {
		for c, u := range us {
			colAxpy(out[c], x, s.d, u[lo:hi], s.workers)
			for _, ui := range u[lo:hi] {
				usum[c] += ui
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for c, v := range out {
		for j := range v {
			v[j] -= mean[j] * usum[c]
		}
		if nv := lzNorm(v); nv > 0 {
			lzScale(v, v, 1/nv)
		}
	}
	return out, nil
}

// colMoments adds the column sums of the rows x (each d long) to sum and
// their squares to sq, the columns split among workers.
func colMoments(sum, sq []float64, x []float32, d, workers int) {
	rows := len(x) / d
	parallelColumns(d, workers, func(c0, c1 int) {
		s, q := sum[c0:c1], sq[c0:c1]
		for i := range rows {
			for j, v := range x[i*d+c0 : i*d+c1] {
				f := float64(v)
				s[j] += f
				q[j] += f * f
			}
		}
	})
}

// rowDots sets t[i] = x_i.v - off for the rows x_i of x (each d long), the
// rows split among workers.
func rowDots(t []float64, x []float32, d int, v []float64, off float64, workers int) {
	v = v[:d]
	parallelRanges(len(x)/d, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			row := x[i*d : (i+1)*d]
			var s0, s1, s2, s3 float64
			j := 0
			for ; j+4 <= d; j += 4 {
				s0 += float64(row[j]) * v[j]
				s1 += float64(row[j+1]) * v[j+1]
				s2 += float64(row[j+2]) * v[j+2]
				s3 += float64(row[j+3]) * v[j+3]
			}
			for ; j < d; j++ {
				s0 += float64(row[j]) * v[j]
			}
			t[i] = (s0 + s1) + (s2 + s3) - off
		}
	})
}

// colAxpy adds sum_i t[i] x_i to dst for the rows x_i of x (each d long),
// the columns split among workers.
func colAxpy(dst []float64, x []float32, d int, t []float64, workers int) {
	rows := len(x) / d
	parallelColumns(d, workers, func(c0, c1 int) {
		out := dst[c0:c1]
		for i := range rows {
			ti := t[i]
			for j, v := range x[i*d+c0 : i*d+c1] {
				out[j] += ti * float64(v)
			}
		}
	})
}

// parallelColumns runs fn on tiles [c0, c1) of [0, d) small enough to stay
// in cache, on workers goroutines. Tile boundaries depend only on d.
func parallelColumns(d, workers int, fn func(c0, c1 int)) {
	const tile = 1024
	tiles := (d + tile - 1) / tile
	parallelRanges(tiles, workers, func(_, lo, hi int) {
		for tl := lo; tl < hi; tl++ {
			fn(tl*tile, min((tl+1)*tile, d))
		}
	})
}
