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
// orthogonal complement of s.Deflate, by thick-restart Lanczos (Wu and Simon)
// with full reorthogonalisation: the basis is kept orthonormal by two passes
// of classical Gram-Schmidt, and at each restart the NCV/2 best Ritz vectors
// and the residual direction are kept. op must not retain its arguments.
// The result is deterministic for given inputs, whatever s.Workers.
func lanczosLargest(ctx context.Context, op func(dst, src []float64), n int, s lanczosSettings) ([]float64, [][]float64, error) {
	nev := s.NEV
	m := min(max(s.NCV, 2*nev+1), n-len(s.Deflate))
	if nev <= 0 || m <= nev {
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
	H := mat.NewSymDense(m, nil)
	workers := max(s.Workers, 1)

	// Starting vector.
	copy(V[0], s.V0)
	if s.V0 == nil || !lzOrthonormalise(V[0], nil, s.Deflate, workers) {
		rng := rand.New(rand.NewPCG(s.Seed, 0x6c616e637a6f73))
		for i := range V[0] {
			V[0][i] = rng.Float64() - 0.5
		}
		if !lzOrthonormalise(V[0], nil, s.Deflate, workers) {
			return nil, nil, errNoConvergence
		}
	}

	var eig mat.EigenSym
	var Y mat.Dense
	start, matvecs := 0, 0
	for {
		// Extend the basis from column start to m.
		var beta float64
		for j := start; j < m; j++ {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			op(w, V[j])
			matvecs++
			lzProject(w, s.Deflate, nil, workers)
			for i := range h[:j+1] {
				h[i] = 0
			}
			lzProject(w, V[:j+1], h, workers)
			lzProject(w, V[:j+1], h, workers)
			for i := 0; i <= j; i++ {
				H.SetSym(i, j, h[i])
			}
			beta = lzNorm(w)
			if j+1 < m {
				if beta > 1e-12 {
					lzScale(V[j+1], w, 1/beta)
				} else { // invariant subspace: continue with a fresh direction
					rng := rand.New(rand.NewPCG(s.Seed, uint64(matvecs)))
					for i := range V[j+1] {
						V[j+1][i] = rng.Float64() - 0.5
					}
					if !lzOrthonormalise(V[j+1], V[:j+1], s.Deflate, workers) {
						return nil, nil, errNoConvergence
					}
				}
			}
		}

		if !eig.Factorize(H, true) {
			return nil, nil, errNoConvergence
		}
		theta := eig.Values(nil) // ascending
		eig.VectorsTo(&Y)
		order := make([]int, m)
		for i := range order {
			order[i] = m - 1 - i // descending
		}
		sort.SliceStable(order, func(a, b int) bool { return theta[order[a]] > theta[order[b]] })

		done := true
		for _, c := range order[:nev] {
			if res := math.Abs(beta * Y.At(m-1, c)); res > s.Tol(theta[c]) {
				done = false
				break
			}
		}
		if done || matvecs >= s.MaxMatVec {
			vals := make([]float64, nev)
			vecs := lzRitz(V, &Y, order[:nev], n, workers)
			for i, c := range order[:nev] {
				vals[i] = theta[c]
			}
			if !done {
				return vals, vecs, errNoConvergence
			}
			return vals, vecs, nil
		}

		// Thick restart: keep the best Ritz vectors and the residual.
		kept := lzRitz(V, &Y, order[:keep], n, workers)
		H = mat.NewSymDense(m, nil)
		for i, c := range order[:keep] {
			copy(V[i], kept[i])
			H.SetSym(i, i, theta[c])
			H.SetSym(i, keep, beta*Y.At(m-1, c))
		}
		if beta > 1e-12 {
			lzScale(V[keep], w, 1/beta)
		} else {
			rng := rand.New(rand.NewPCG(s.Seed, uint64(matvecs)))
			for i := range V[keep] {
				V[keep][i] = rng.Float64() - 0.5
			}
			if !lzOrthonormalise(V[keep], V[:keep], s.Deflate, workers) {
				return nil, nil, errNoConvergence
			}
		}
		start = keep
	}
}

// lzRitz returns the Ritz vectors V * Y[:, c] for the columns c in cols.
func lzRitz(V [][]float64, Y *mat.Dense, cols []int, n, workers int) [][]float64 {
	out := make([][]float64, len(cols))
	for k := range out {
		out[k] = make([]float64, n)
	}
	umapParallel(n, workers, func(_, lo, hi int) {
		for k, c := range cols {
			dst := out[k][lo:hi]
			for j, v := range V {
				y := Y.At(j, c)
				if y == 0 {
					continue
				}
				for i, x := range v[lo:hi] {
					dst[i] += y * x
				}
			}
		}
	})
	return out
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
	umapParallel(blocks, workers, func(_, blo, bhi int) {
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
	umapParallel(blocks, workers, func(_, blo, bhi int) {
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
