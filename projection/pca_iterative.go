package projection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// PCA beyond the dense method: Lanczos iteration for the top eigenpairs of
// the covariance C = Xc^T Xc/(N-1) (a D x D operator) when D <= N, or of the
// Gram matrix G = Xc Xc^T/(N-1) (N x N) when D > N, where Xc is the centred
// data. Both have the same non-zero eigenvalues, and G's eigenvectors u
// give C's as Xc^T u. The operator of side M = min(N, D) is applied either
//
//   - explicitly: the M x M matrix is formed in one streaming pass (or a few,
//     for G, a tile of columns at a time) with float64 rank-k updates, then
//     each application is an in-memory product; or
//   - implicitly: each application streams the data once (C) or twice (G),
//     O(N D) operations and no matrix at all.
//
// Explicit costs ~M/2 multiply-adds per data value once, at rank-k update
// speed; implicit costs ~2 per value per application, memory-bound, and
// Lanczos needs some 20 + 10k applications for k components. Explicit is
// used when it is cheaper by that rough model and M x M fits the budget.
// (At 2,000 x 40,000 on two cores: k = 2 takes ~2 s implicit and ~40 s
// explicit; k = 100 about 4 minutes implicit and 80 s explicit.)
// Every sum is split among workers by rows or by columns in a way that does
// not depend on their number, so the result is the same for any Workers.

// pcaSeed seeds the Lanczos starting vector and the completion vectors.
const pcaSeed = 0x70636121

// pcaTileValues bounds the float64 tile of columns the explicit Gram
// method copies per pass over a streamed Source; over a *Matrix, whose
// passes cost nothing but the copy, tiles are pcaTileCols wide (the width
// at which gonum's Dsyrk runs fastest).
const (
	pcaTileValues = 1 << 24
	pcaTileCols   = 256
)

// pcaExplicitCheaper reports whether forming the M x M operator is expected
// to cost less than applying it implicitly for k components.
func pcaExplicitCheaper(m, k int) bool {
	const speedup = 2 // gonum's Dsyrk multiply-adds per streamed value's time
	return m/2 <= speedup*2*(20+10*k)
}

// pcaIterative returns the top k principal axes of src by Lanczos on the
// explicit or implicit operator (see above).
func pcaIterative(ctx context.Context, src Source, k, workers, block int, explicit bool) (*pcaAxes, error) {
	n, d := src.Dims()
	st := newRowStream(src, block, workers)
	ax := &pcaAxes{mean: make([]float64, d), variance: make([]float64, k)}

	// Pass 1: column means and the covariance trace.
	sq := make([]float64, d)
	if err := st.each(ctx, func(x []float32, _, _ int) { colMoments(ax.mean, sq, x, d, workers) }); err != nil {
		return nil, err
	}
	for j := range ax.mean {
		ax.mean[j] /= float64(n)
		ax.total += max(sq[j]-float64(n)*ax.mean[j]*ax.mean[j], 0) / float64(n-1)
	}
	sq = nil

	gram := d > n
	dim := d
	var deflate [][]float64
	if gram {
		// G's rows sum to zero: the ones vector is a null vector to skip.
		dim = n
		ones := make([]float64, n)
		for i := range ones {
			ones[i] = 1 / math.Sqrt(float64(n))
		}
		deflate = [][]float64{ones}
	}
	r := min(k, dim-len(deflate)) // pairs Lanczos can find; the rest have variance 0
	if !(ax.total > 0) {
		r = 0
	}
	if r > 0 {
		var op func(dst, v []float64)
		var err error
		switch {
		case explicit && gram:
			op, err = st.explicitGram(ctx, ax.mean)
		case explicit:
			op, err = st.explicitCovariance(ctx, ax.mean)
		case gram:
			op = st.gramOp(ctx, ax.mean)
		default:
			op = st.covarianceOp(ctx, ax.mean)
		}
		if err != nil {
			return nil, err
		}
		ncv := pcaNCV(dim, r)
		vals, vecs, err := lanczosLargest(ctx, op, dim, lanczosSettings{
			NEV: r,
			NCV: ncv,
			// The operator is exact to float64 rounding. A residual of
			// 1e-6 of the eigenvalue puts each axis within 1e-6 lambda/gap
			// radians of the true one; where eigenvalues crowd (noise),
			// the axes are uncertain but the subspace they span is not.
			Tol: func(theta float64) float64 { return 1e-6*math.Abs(theta) + 1e-10*ax.total },
			// Beyond this, the unconverged Ritz vectors still span a good
			// subspace: they are used as they are.
			MaxMatVec: 1000 + 20*ncv,
			Deflate:   deflate,
			Seed:      pcaSeed,
			Workers:   workers,
		})
		if err != nil && !(errors.Is(err, errNoConvergence) && vecs != nil) {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("projection: PCA of %dx%d data: %w", n, d, err)
		}
		for c, v := range vals {
			ax.variance[c] = max(v, 0)
		}
		if gram {
			if vecs, err = st.gramAxes(ctx, ax.mean, vecs); err != nil {
				return nil, err
			}
		}
		ax.comps = vecs
	}
	// Axes beyond the data's rank: any orthonormal completion.
	for c := r; c < k; c++ {
		v := make([]float64, d)
		for stream := uint64(c); ; stream += uint64(k) {
			rng := rand.New(rand.NewPCG(pcaSeed, stream))
			for j := range v {
				v[j] = rng.NormFloat64()
			}
			if lzOrthonormalise(v, ax.comps, nil, workers) {
				break
			}
		}
		ax.comps = append(ax.comps, v)
	}
	return ax, nil
}

// pcaNCV is the Lanczos basis size for r eigenpairs of a dim-dimensional
// operator.
func pcaNCV(dim, r int) int {
	return min(dim, max(2*r+1, r+24))
}

// pcaMemoryIterative estimates the bytes pcaIterative and the output need:
// the Lanczos basis, the Ritz vectors kept at a restart and returned, the
// projected matrices, one block of rows (float32 and, for explicit,
// float64), D-vectors, and for explicit the M x M matrix and a column tile.
func pcaMemoryIterative(n, d, k, workers, block int, explicit bool) int64 {
	dim := int64(min(n, d))
	ncv := int64(pcaNCV(int(dim), k))
	need := (ncv+ncv/2+int64(k)+2)*dim*8 + 3*ncv*ncv*8 +
		4*int64(block)*int64(d) + 8*int64(block) + 4*8*int64(d)
	if explicit {
		need += 8*dim*dim + 8*int64(block)*int64(d)
		if d > n {
			need += 8 * min(int64(n)*int64(d), max(pcaTileValues, pcaTileCols*int64(n)))
		}
	}
	return need + pcaOutputBytes(n, d, k, workers, block)
}
