package projection

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// errNoConvergence is returned by lanczosLargest when the wanted Ritz pairs
// have not converged within the allowed operator applications.
var errNoConvergence = errors.New("projection: Lanczos eigensolver did not converge")

// lanczosSettings configures lanczosLargest.
type lanczosSettings struct {
	NEV       int                         // number of wanted eigenpairs (largest algebraic)
	NCV       int                         // basis size (Lanczos vectors kept between restarts)
	Tol       func(theta float64) float64 // residual norm at which a Ritz pair has converged
	MaxMatVec int                         // most operator applications before giving up
	Deflate   [][]float64                 // orthonormal vectors the search space stays orthogonal to
	V0        []float64                   // starting vector; nil or one in span(Deflate) means random
	Seed      uint64                      // seeds the random starting vector if one is needed
	Workers   int                         // goroutines for the vector updates; <= 0 means 1
}

// lanczosLargest returns the NEV largest eigenvalues (descending) and their
// unit eigenvectors of the symmetric operator op on R^n, restricted to the
// orthogonal complement of s.Deflate, by thick-restart Lanczos (Wu and
// Simon) with full reorthogonalisation: each new vector has the three-term
// recurrence's components removed, then one classical Gram-Schmidt pass
// against the whole basis (a second one if the first removed much: the
// DGKS test). Convergence is checked every few steps; when the basis is
// full, the NCV/2 best Ritz vectors and the residual direction are kept.
// op must not retain its arguments. The result is deterministic for given
// inputs, whatever s.Workers. When s.MaxMatVec applications have not
// sufficed, it returns the current Ritz pairs with errNoConvergence.
func lanczosLargest(ctx context.Context, op func(dst, src []float64), n int, s lanczosSettings) ([]float64, [][]float64, error) {
	nev := s.NEV
	m := min(max(s.NCV, 2*nev+1), n-len(s.Deflate))
	// A basis as large as the whole space finds every eigenpair at once:
	// nev may then equal m.
	if full := m == n-len(s.Deflate); nev <= 0 || m < nev || m == nev && !full {
		return nil, nil, errors.New("projection: Lanczos basis too small for the wanted eigenpairs")
	}
	keep := max(nev+1, m/2) // Ritz vectors kept at a restart
	if keep >= m {
		keep = m - 1
	}
	V := make([][]float64, m)
	for i := range V {
		V[i] = make([]float64, n)
	}
	w := make([]float64, n)
	h := make([]float64, m)
	H := make([]float64, m*m) // projected matrix V^T op V, row-major
	workers := max(s.Workers, 1)
	fresh := func(v []float64, basis [][]float64, stream uint64) bool {
		rng := rand.New(rand.NewPCG(s.Seed, stream))
		for i := range v {
			v[i] = rng.Float64() - 0.5
		}
		return lzOrthonormalise(v, basis, s.Deflate, workers)
	}

	copy(V[0], s.V0)
	if s.V0 == nil || !lzOrthonormalise(V[0], nil, s.Deflate, workers) {
		if !fresh(V[0], nil, 0x6c616e637a6f73) {
			return nil, nil, errNoConvergence
		}
	}

	var eig mat.EigenSym
	var Y mat.Dense
	start, matvecs := 0, 0
	for {
		for j := start; j < m; j++ {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			op(w, V[j])
			matvecs++
			// The recurrence: w -= alpha v_j + sum of the known couplings
			// (to v_{j-1}, or to all kept Ritz vectors right after a restart).
			alpha := lzDot(V[j], w)
			lzAxpy(w, -alpha, V[j])
			H[j*m+j] = alpha
			for i := range j {
				if c := H[i*m+j]; c != 0 {
					lzAxpy(w, -c, V[i])
				}
			}
			// Full reorthogonalisation.
			before := lzNorm(w)
			for i := range h[:j+1] {
				h[i] = 0
			}
			lzProject(w, s.Deflate, nil, workers)
			lzProject(w, V[:j+1], h, workers)
			beta := lzNorm(w)
			if beta < 0.7071*before {
				lzProject(w, s.Deflate, nil, workers)
				lzProject(w, V[:j+1], h, workers)
				beta = lzNorm(w)
			}
			for i := 0; i <= j; i++ {
				H[i*m+j] += h[i]
				H[j*m+i] = H[i*m+j]
			}
			k := j + 1 // basis size
			if k == m || (k-start)%8 == 0 && k > nev {
				vals, vecs, done, err := lzCheck(&eig, &Y, H, m, k, beta, V, s, workers, matvecs >= s.MaxMatVec)
				if err != nil {
					return nil, nil, err
				}
				if done {
					return vals, vecs, nil
				}
				if matvecs >= s.MaxMatVec {
					return vals, vecs, errNoConvergence
				}
			}
			if k < m {
				if beta > 1e-12*before {
					lzScale(V[k], w, 1/beta)
				} else if !fresh(V[k], V[:k], uint64(matvecs)) { // invariant subspace
					return nil, nil, errNoConvergence
				}
				H[j*m+k], H[k*m+j] = beta, beta
				if beta <= 1e-12*before {
					H[j*m+k], H[k*m+j] = 0, 0
				}
				continue
			}

			// Thick restart: keep the best Ritz vectors and the residual.
			theta, order := lzRitzValues(&eig, &Y, H, m, m)
			kept := lzRitz(V, &Y, order[:keep], n, workers)
			for i := range H {
				H[i] = 0
			}
			for i, c := range order[:keep] {
				copy(V[i], kept[i])
				H[i*m+i] = theta[c]
				H[i*m+keep] = beta * Y.At(m-1, c)
				H[keep*m+i] = H[i*m+keep]
			}
			if beta > 1e-12*before {
				lzScale(V[keep], w, 1/beta)
			} else if !fresh(V[keep], V[:keep], uint64(matvecs)) {
				return nil, nil, errNoConvergence
			}
			start = keep
		}
	}
}

// lzRitzValues factorises the leading k x k block of H and returns its
// eigenvalues with the order of the columns of Y from the largest down.
func lzRitzValues(eig *mat.EigenSym, Y *mat.Dense, H []float64, m, k int) ([]float64, []int) {
	hk := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			hk.SetSym(i, j, H[i*m+j])
		}
	}
	if !eig.Factorize(hk, true) {
		return nil, nil
	}
	theta := eig.Values(nil) // ascending
	Y.Reset()
	eig.VectorsTo(Y)
	order := make([]int, k)
	for i := range order {
		order[i] = k - 1 - i
	}
	sort.SliceStable(order, func(a, b int) bool { return theta[order[a]] > theta[order[b]] })
	return theta, order
}

// lzCheck computes the Ritz pairs of a basis of size k and reports whether
// the wanted ones have converged: the residual of Ritz pair c is
// beta |Y[k-1, c]|. The Ritz vectors are returned when they have converged
// or last is set.
func lzCheck(eig *mat.EigenSym, Y *mat.Dense, H []float64, m, k int, beta float64, V [][]float64, s lanczosSettings, workers int, last bool) ([]float64, [][]float64, bool, error) {
	theta, order := lzRitzValues(eig, Y, H, m, k)
	if theta == nil {
		return nil, nil, false, errNoConvergence
	}
	done := true
	for _, c := range order[:s.NEV] {
		if res := math.Abs(beta * Y.At(k-1, c)); res > s.Tol(theta[c]) {
			done = false
		}
	}
	vals := make([]float64, s.NEV)
	for i, c := range order[:s.NEV] {
		vals[i] = theta[c]
	}
	var vecs [][]float64
	if done || last {
		vecs = lzRitz(V[:k], Y, order[:s.NEV], len(V[0]), workers)
	}
	return vals, vecs, done, nil
}

// lzRitz returns the Ritz vectors V * Y[:, c] for the columns c in cols,
// a block of rows at a time so that V is read once.
func lzRitz(V [][]float64, Y *mat.Dense, cols []int, n, workers int) [][]float64 {
	out := make([][]float64, len(cols))
	for k := range out {
		out[k] = make([]float64, n)
	}
	const block = 512
	blocks := (n + block - 1) / block
	parallelRanges(blocks, workers, func(_, blo, bhi int) {
		for b := blo; b < bhi; b++ {
			lo, hi := b*block, min((b+1)*block, n)
			for j, v := range V {
				vb := v[lo:hi]
				for k, c := range cols {
					y := Y.At(j, c)
					dst := out[k][lo:hi]
					for i, x := range vb {
						dst[i] += y * x
					}
				}
			}
		}
	})
	return out
}

func lzDot(x, y []float64) float64 {
	var s float64
	y = y[:len(x)]
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func lzAxpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// lzBlock is the block length of the vector kernels; partial sums are
// formed per block and added in block order, so results do not depend on
// the number of workers.
const lzBlock = 4096

// lzProject removes from w its components along the orthonormal vectors
// basis (classical Gram-Schmidt), adding the coefficients to h if non-nil.
func lzProject(w []float64, basis [][]float64, h []float64, workers int) {
	nb := len(basis)
	if nb == 0 {
		return
	}
	blocks := (len(w) + lzBlock - 1) / lzBlock
	part := make([]float64, blocks*nb)
	parallelRanges(blocks, workers, func(_, blo, bhi int) {
		for b := blo; b < bhi; b++ {
			lo, hi := b*lzBlock, min((b+1)*lzBlock, len(w))
			ww := w[lo:hi]
			for k, v := range basis {
				var s float64
				for i, x := range v[lo:hi] {
					s += x * ww[i]
				}
				part[b*nb+k] = s
			}
		}
	})
	c := make([]float64, nb)
	for b := 0; b < blocks; b++ {
		for k := range c {
			c[k] += part[b*nb+k]
		}
	}
	parallelRanges(blocks, workers, func(_, blo, bhi int) {
		lo, hi := blo*lzBlock, min(bhi*lzBlock, len(w))
		ww := w[lo:hi]
		for k, v := range basis {
			ck := c[k]
			for i, x := range v[lo:hi] {
				ww[i] -= ck * x
			}
		}
	})
	if h != nil {
		for k := range c {
			h[k] += c[k]
		}
	}
}

// lzOrthonormalise makes v orthogonal to basis and deflate and of unit
// norm; it reports false if little of v is left.
func lzOrthonormalise(v []float64, basis, deflate [][]float64, workers int) bool {
	n0 := lzNorm(v)
	if n0 == 0 || math.IsNaN(n0) {
		return false
	}
	for range 2 {
		lzProject(v, deflate, nil, workers)
		lzProject(v, basis, nil, workers)
	}
	nv := lzNorm(v)
	if nv <= 1e-8*n0 {
		return false
	}
	lzScale(v, v, 1/nv)
	return true
}

func lzNorm(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s)
}

func lzScale(dst, x []float64, a float64) {
	for i, v := range x {
		dst[i] = a * v
	}
}
