package projection

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// spectralDenseMax is the largest graph (or component) whose Laplacian
// eigenvectors are found by a dense eigensolver instead of Lanczos.
const spectralDenseMax = 400

// spectralSettings configures spectralLayout.
type spectralSettings struct {
	Dim      int     // embedding dimension
	Data     *Matrix // the input rows, for component centroids; may be nil
	Seed     uint64
	Workers  int
	DenseMax int // spectralDenseMax if zero
}

// spectralLayout returns the spectral embedding of the symmetric graph g
// (N x Dim, row-major, float64), as umap-learn's spectral_layout: the
// eigenvectors of the normalised Laplacian I - D^-1/2 A D^-1/2 for its
// smallest eigenvalues after the trivial one. A disconnected graph is laid
// out as umap-learn's multi_component_layout: component positions from the
// centroids (or corners of a cross for up to 2 Dim components), each
// component's own spectral embedding scaled to half the distance to the
// nearest other one. ok is false if the eigensolver failed; the caller then
// falls back to a random layout, as umap-learn does.
func spectralLayout(ctx context.Context, g *CSR, s spectralSettings) (emb []float64, ok bool, err error) {
	if s.DenseMax == 0 {
		s.DenseMax = spectralDenseMax
	}
	labels, nc := components(g)
	if nc == 1 {
		emb, err = laplacianEigenmap(ctx, g, s)
		if err != nil {
			if ctx.Err() != nil {
				return nil, false, err
			}
			return nil, false, nil
		}
		return emb, true, nil
	}
	return multiComponentLayout(ctx, g, labels, nc, s)
}

// components labels the connected components of g (0, 1, ... in order of
// each component's first vertex) and returns their number.
func components(g *CSR) ([]int32, int) {
	labels := make([]int32, g.N)
	for i := range labels {
		labels[i] = -1
	}
	var stack []int32
	nc := 0
	for s := 0; s < g.N; s++ {
		if labels[s] >= 0 {
			continue
		}
		labels[s] = int32(nc)
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cols, _ := g.Row(int(v))
			for _, u := range cols {
				if labels[u] < 0 {
					labels[u] = int32(nc)
					stack = append(stack, u)
				}
			}
		}
		nc++
	}
	return labels, nc
}

// laplacianEigenmap returns the eigenvectors of the normalised Laplacian of
// the connected graph g for its 2nd to (Dim+1)th smallest eigenvalues.
// They are the top eigenvectors of M = D^-1/2 A D^-1/2 orthogonal to the
// trivial one, D^1/2 1, which is deflated exactly.
func laplacianEigenmap(ctx context.Context, g *CSR, s spectralSettings) ([]float64, error) {
	n, dim := g.N, s.Dim
	deg := make([]float64, n)
	for i := 0; i < n; i++ {
		_, v := g.Row(i)
		for _, x := range v {
			deg[i] += float64(x)
		}
	}
	dinv := make([]float64, n)
	u0 := make([]float64, n)
	var norm float64
	for i, d := range deg {
		dinv[i] = 1 / math.Sqrt(d)
		u0[i] = math.Sqrt(d)
		norm += d
	}
	for i := range u0 {
		u0[i] /= math.Sqrt(norm)
	}
	var vecs [][]float64
	if n <= s.DenseMax {
		dense := mat.NewSymDense(n, nil)
		for i := 0; i < n; i++ {
			for p := g.RowPtr[i]; p < g.RowPtr[i+1]; p++ {
				dense.SetSym(i, int(g.Col[p]), dinv[i]*float64(g.Val[p])*dinv[g.Col[p]])
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(dense, true) {
			return nil, errNoConvergence
		}
		var ev mat.Dense
		eig.VectorsTo(&ev)
		vals := eig.Values(nil)
		// Descending eigenvalues of M; skip the trivial one (the vector
		// most parallel to u0, normally the first).
		order := make([]int, n)
		for i := range order {
			order[i] = n - 1 - i
		}
		sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
		triv, best := 0, -1.0
		for _, c := range order[:min(n, dim+1)] {
			var d float64
			for i := 0; i < n; i++ {
				d += ev.At(i, c) * u0[i]
			}
			if math.Abs(d) > best {
				triv, best = c, math.Abs(d)
			}
		}
		for _, c := range order {
			if c == triv || len(vecs) == dim {
				continue
			}
			v := make([]float64, n)
			for i := range v {
				v[i] = ev.At(i, c)
			}
			vecs = append(vecs, v)
		}
		if len(vecs) < dim {
			return nil, errNoConvergence
		}
	} else {
		workers := max(s.Workers, 1)
		// M x = D^-1/2 (A (D^-1/2 x)), with A's own float32 values: no
		// scaled copy of the matrix, and less memory to stream per product.
		scaled := make([]float64, n)
		op := func(dst, src []float64) {
			parallelRanges(n, workers, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					scaled[i] = dinv[i] * src[i]
				}
			})
			parallelRanges(n, workers, func(_, lo, hi int) {
				for i := lo; i < hi; i++ {
					var sum float64
					cols, vals := g.Row(i)
					for p, c := range cols {
						sum += float64(vals[p]) * scaled[c]
					}
					dst[i] = dinv[i] * sum
				}
			})
		}
		// umap-learn starts ARPACK from the ones vector; a seeded random
		// part is added so that no eigenvector is missed for being
		// orthogonal to it (as on a graph with a mirror symmetry).
		v0 := make([]float64, n)
		rng := rand.New(rand.NewPCG(s.Seed, 0x7630))
		for i := range v0 {
			v0[i] = 1 + rng.Float64() - 0.5
		}
		// A basis of 24 vectors cost the least time on MNIST (70,000
		// points: 180 operator applications; 64 vectors needed 168 but
		// more orthogonalisation).
		ncv := max(2*dim+3, 24)
		var err error
		_, vecs, err = lanczosLargest(ctx, op, n, lanczosSettings{
			NEV: dim,
			NCV: ncv,
			// ARPACK's test with tol 1e-4: residual <= tol*|ritz value|,
			// here for the Laplacian's eigenvalue 1 - theta.
			Tol: func(theta float64) float64 { return 1e-4 * max(math.Abs(1-theta), 1e-9) },
			// ARPACK is given 5n iterations; capped so that a failing solve
			// costs seconds, not minutes, before the random fallback.
			MaxMatVec: min(5*n, 2000),
			Deflate:   [][]float64{u0},
			V0:        v0,
			Seed:      s.Seed,
			Workers:   workers,
		})
		if err != nil {
			return nil, err
		}
	}
	emb := make([]float64, n*dim)
	for d, v := range vecs {
		for i, x := range v {
			emb[i*dim+d] = x
		}
	}
	return emb, nil
}

// multiComponentLayout is umap-learn's multi_component_layout.
func multiComponentLayout(ctx context.Context, g *CSR, labels []int32, nc int, s spectralSettings) ([]float64, bool, error) {
	dim := s.Dim
	rng := rand.New(rand.NewPCG(s.Seed, 0x636f6d70))
	meta := componentLayout(labels, nc, s, rng)
	emb := make([]float64, g.N*dim)
	members := make([][]int32, nc)
	for i, l := range labels {
		members[l] = append(members[l], int32(i))
	}
	local := make([]int32, g.N) // index within its component
	for _, ms := range members {
		for k, i := range ms {
			local[i] = int32(k)
		}
	}
	for c, ms := range members {
		// Half the distance to the nearest other component.
		dataRange := math.Inf(1)
		for o := 0; o < nc; o++ {
			var d2 float64
			for k := 0; k < dim; k++ {
				x := meta[c*dim+k] - meta[o*dim+k]
				d2 += x * x
			}
			if d2 > 0 {
				dataRange = min(dataRange, math.Sqrt(d2)/2)
			}
		}
		if math.IsInf(dataRange, 1) {
			dataRange = 1
		}
		m := len(ms)
		var sub []float64
		if m >= 2*dim && m > dim+1 {
			// The component's own graph.
			cg := &CSR{N: m, RowPtr: make([]int, m+1)}
			for k, i := range ms {
				cols, vals := g.Row(int(i))
				for p, j := range cols {
					cg.Col = append(cg.Col, local[j])
					cg.Val = append(cg.Val, vals[p])
				}
				cg.RowPtr[k+1] = len(cg.Col)
			}
			var err error
			sub, err = laplacianEigenmap(ctx, cg, s)
			if err != nil && ctx.Err() != nil {
				return nil, false, err
			}
			if err == nil {
				var mx float64
				for _, x := range sub {
					mx = max(mx, math.Abs(x))
				}
				for k := range sub {
					sub[k] *= dataRange / mx
				}
			} else {
				sub = nil
			}
		}
		for k, i := range ms {
			for d := 0; d < dim; d++ {
				var x float64
				if sub != nil {
					x = sub[k*dim+d]
				} else {
					x = dataRange * (2*rng.Float64() - 1)
				}
				emb[int(i)*dim+d] = x + meta[c*dim+d]
			}
		}
	}
	return emb, true, nil
}

// componentLayout places nc components in Dim dimensions as umap-learn:
// for up to 2 Dim components at ±unit vectors; beyond that by a spectral
// embedding of the affinities exp(-d^2) between component centroids
// (scikit-learn's SpectralEmbedding, dense), or at random without data.
func componentLayout(labels []int32, nc int, s spectralSettings, rng *rand.Rand) []float64 {
	dim := s.Dim
	meta := make([]float64, nc*dim)
	if nc <= 2*dim {
		k := (nc + 1) / 2
		for c := 0; c < nc; c++ {
			if c < k {
				meta[c*dim+c] = 1
			} else {
				meta[c*dim+c-k] = -1
			}
		}
		return meta
	}
	if s.Data == nil || s.Data.N != len(labels) {
		for i := range meta {
			meta[i] = 10 * rng.Float64()
		}
		return meta
	}
	// Centroids.
	d := s.Data.D
	cent := make([]float64, nc*d)
	count := make([]float64, nc)
	for i, l := range labels {
		row := s.Data.Row(i)
		for k, x := range row {
			cent[int(l)*d+k] += float64(x)
		}
		count[l]++
	}
	for c := 0; c < nc; c++ {
		for k := 0; k < d; k++ {
			cent[c*d+k] /= count[c]
		}
	}
	// Affinity without self loops (the Laplacian ignores the diagonal).
	w := mat.NewSymDense(nc, nil)
	deg := make([]float64, nc)
	for a := 0; a < nc; a++ {
		for b := a + 1; b < nc; b++ {
			var d2 float64
			for k := 0; k < d; k++ {
				x := cent[a*d+k] - cent[b*d+k]
				d2 += x * x
			}
			v := math.Exp(-d2)
			w.SetSym(a, b, v)
			deg[a] += v
			deg[b] += v
		}
	}
	dd := make([]float64, nc)
	for a := range dd {
		dd[a] = math.Sqrt(deg[a])
		if dd[a] == 0 {
			dd[a] = 1
		}
	}
	lap := mat.NewSymDense(nc, nil)
	for a := 0; a < nc; a++ {
		lap.SetSym(a, a, 1)
		for b := a + 1; b < nc; b++ {
			lap.SetSym(a, b, -w.At(a, b)/(dd[a]*dd[b]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(lap, true) {
		for i := range meta {
			meta[i] = 10 * rng.Float64()
		}
		return meta
	}
	var ev mat.Dense
	eig.VectorsTo(&ev) // ascending eigenvalues: skip the first
	var mx float64 = math.Inf(-1)
	for k := 0; k < dim; k++ {
		// Deterministic sign: the largest-magnitude entry positive.
		var big, sign float64 = -1, 1
		for a := 0; a < nc; a++ {
			if v := ev.At(a, k+1); math.Abs(v) > big {
				big, sign = math.Abs(v), math.Copysign(1, v)
			}
		}
		for a := 0; a < nc; a++ {
			x := sign * ev.At(a, k+1) / dd[a]
			meta[a*dim+k] = x
			mx = max(mx, x)
		}
	}
	if mx > 0 {
		for i := range meta {
			meta[i] /= mx
		}
	}
	return meta
}
