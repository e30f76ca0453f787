package projection

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// DefaultPCAMemoryBudget is the memory PCA may use beyond its input and its
// result when PCASettings.MemoryBudget is zero: 2 GiB.
const DefaultPCAMemoryBudget = 2 << 30

// pcaDenseMaxDim is the largest dimension D whose D x D covariance PCA
// forms and decomposes densely; beyond it PCA is matrix-free. (gonum's
// dense eigensolver takes ~2 s at D = 784 and ~60 s at D = 2,100.)
const pcaDenseMaxDim = 1024

// pcaBlockValues bounds the values in one streamed block of rows.
const pcaBlockValues = 1 << 22

// PCASettings configures PCA. The zero value is ready to use.
type PCASettings struct {
	// Workers is the number of goroutines; zero means GOMAXPROCS (see the
	// package documentation for the bounds). The dense method's result is
	// identical for a given number of workers, the matrix-free method's for
	// any number.
	Workers int
	// BlockRows is the number of rows streamed at a time; zero means 2048.
	// It is lowered so that a block holds at most 4M values.
	BlockRows int
	// MemoryBudget is the most bytes PCA may allocate beyond its input
	// (the output included); zero means DefaultPCAMemoryBudget. PCA
	// estimates what it will need before allocating anything and returns
	// an error stating both figures when the need is larger.
	MemoryBudget int64
}

// withDefaults returns s with its zero fields set for an n x d input.
func (s PCASettings) withDefaults(n, d int) PCASettings {
	s.Workers = workerCount(s.Workers)
	if s.BlockRows <= 0 {
		s.BlockRows = 2048
	}
	s.BlockRows = max(1, min(s.BlockRows, pcaBlockValues/d, n))
	if s.MemoryBudget <= 0 {
		s.MemoryBudget = DefaultPCAMemoryBudget
	}
	return s
}

// PCAResult holds a principal component analysis.
type PCAResult struct {
	// Scores holds the centred data projected on the components, N x k.
	// For k = 2 its Data is a layout (x, y interleaved).
	Scores *Matrix
	// Components holds the principal axes as rows, k x D, unit length,
	// each signed so that its largest-magnitude entry is positive.
	Components *Matrix
	Mean       []float64 // column means, length D
	// Variance holds the variance along each component (eigenvalues of
	// the covariance, descending); TotalVariance is the covariance trace.
	Variance      []float64
	TotalVariance float64
}

// pcaAxes is what a PCA method finds: the top components (unit vectors of
// length D, descending variance) and the statistics that go with them.
type pcaAxes struct {
	mean     []float64
	comps    [][]float64
	variance []float64
	total    float64
}

// PCA projects the rows of src on their first k principal components.
//
// It streams src in blocks and never holds a float copy of it. Two methods,
// chosen by the dimension D:
//
//   - D <= 1024 (MNIST's 784 among them): the covariance is accumulated block
//     by block in float64 (skipping zeros in sparse blocks, as MNIST's
//     mostly-blank images are) and decomposed with gonum's dense symmetric
//     eigensolver;
//   - larger D: the top components are found by Lanczos iteration on the
//     covariance (D <= N) or on the N x N Gram matrix of the centred rows
//     (D > N), whichever is smaller (side M). That M x M matrix is formed
//     in float64 when it fits the budget and is cheap enough for k (a few
//     thousand rows of large images); otherwise PCA is matrix-free, each
//     step one or two streaming passes of products X^T (X v) over the
//     centred data, in O(M k) memory plus a block. A D x D matrix is never
//     formed for D > M, nor an N x D one.
//
// Before allocating, PCA estimates the memory the chosen method needs and
// refuses with an error when it exceeds s.MemoryBudget. The rows are
// projected in a last streaming pass. It honours ctx between blocks.
func PCA(ctx context.Context, src Source, k int, s PCASettings) (*PCAResult, error) {
	return pca(ctx, src, k, s, pcaAuto)
}

// pcaMethod is one of PCA's methods; pcaAuto chooses as PCA says (the
// others are forced by tests).
type pcaMethod int

const (
	pcaAuto pcaMethod = iota
	pcaDenseMethod
	pcaExplicit
	pcaImplicit
)

func pca(ctx context.Context, src Source, k int, s PCASettings, method pcaMethod) (*PCAResult, error) {
	n, d := src.Dims()
	if n < 2 || d < 1 {
		return nil, fmt.Errorf("projection: PCA needs at least 2 rows and 1 column, got %dx%d", n, d)
	}
	if k < 1 || k > d {
		return nil, fmt.Errorf("projection: PCA to %d components of %d-dimensional data", k, d)
	}
	s = s.withDefaults(n, d)
	nblocks := (n + s.BlockRows - 1) / s.BlockRows
	workers := min(s.Workers, nblocks)

	need := func(m pcaMethod) int64 {
		if m == pcaDenseMethod {
			return pcaMemoryDense(n, d, k, workers, s.BlockRows)
		}
		return pcaMemoryIterative(n, d, k, workers, s.BlockRows, m == pcaExplicit)
	}
	if method == pcaAuto {
		method = pcaImplicit
		for _, m := range []pcaMethod{pcaDenseMethod, pcaExplicit} {
			suits := d <= pcaDenseMaxDim
			if m == pcaExplicit {
				suits = pcaExplicitCheaper(min(n, d), k)
			}
			if suits && need(m) <= s.MemoryBudget {
				method = m
				break
			}
		}
	}
	if need := need(method); need > s.MemoryBudget {
		return nil, fmt.Errorf("projection: PCA of %dx%d data to %d components needs about %s of memory, over the budget of %s (PCASettings.MemoryBudget)",
			n, d, k, formatBytes(need), formatBytes(s.MemoryBudget))
	}

	var ax *pcaAxes
	var err error
	if method == pcaDenseMethod {
		ax, err = pcaDense(ctx, src, k, workers, s.BlockRows)
	} else {
		ax, err = pcaIterative(ctx, src, k, workers, s.BlockRows, method == pcaExplicit)
	}
	if err != nil {
		return nil, err
	}
	res := &PCAResult{
		Components:    NewMatrix(k, d),
		Mean:          ax.mean,
		Variance:      ax.variance,
		TotalVariance: ax.total,
	}
	for c, v := range ax.comps {
		row := res.Components.Row(c)
		big := 0.0
		for j, x := range v {
			if math.Abs(x) > math.Abs(big) {
				big = x
			}
			row[j] = float32(x)
		}
		if big < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
	}
	if res.Scores, err = pcaScores(ctx, src, res.Components, ax.mean, workers, s.BlockRows); err != nil {
		return nil, err
	}
	for i, v := range res.Scores.Data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("projection: PCA: non-finite score in row %d (is the input finite?)", i/k)
		}
	}
	return res, nil
}

// pcaScores returns (X - mean) W^T for the components W (k x D), computed
// block by block as X W^T - mean W^T.
func pcaScores(ctx context.Context, src Source, comps *Matrix, mean []float64, workers, block int) (*Matrix, error) {
	n, d := src.Dims()
	k := comps.N
	nblocks := (n + block - 1) / block
	scores := NewMatrix(n, k)
	offset := make([]float32, k)
	for c := 0; c < k; c++ {
		var v float64
		for j, w := range comps.Row(c) {
			v += mean[j] * float64(w)
		}
		offset[c] = float32(v)
	}
	comp := blas32.General{Rows: k, Cols: d, Stride: d, Data: comps.Data}
	err := forBlocks(ctx, workers, nblocks, func(int) func(b int) {
		buf := make([]float32, block*d)
		return func(b int) {
			lo, hi := b*block, min((b+1)*block, n)
			x := buf[:(hi-lo)*d]
			src.Rows(x, lo, hi)
			out := scores.Data[lo*k : hi*k]
			blas32.Gemm(blas.NoTrans, blas.Trans, 1,
				blas32.General{Rows: hi - lo, Cols: d, Stride: d, Data: x}, comp,
				0, blas32.General{Rows: hi - lo, Cols: k, Stride: k, Data: out})
			for i := 0; i < hi-lo; i++ {
				for c := 0; c < k; c++ {
					out[i*k+c] -= offset[c]
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return scores, nil
}

// pcaOutputBytes is the memory of PCA's result and its final pass: scores,
// components (float32 and float64), mean and one block per worker.
func pcaOutputBytes(n, d, k, workers, block int) int64 {
	n64, d64, k64 := int64(n), int64(d), int64(k)
	return 4*n64*k64 + 12*k64*d64 + 8*d64 + 4*int64(workers)*int64(block)*d64
}

// pcaMemoryDense estimates the bytes pcaDense and the output need: per
// worker a float64 sum and cross-product matrix, a float32 product and a
// block; then the covariance, the eigensolver's copy, work and vectors.
func pcaMemoryDense(n, d, k, workers, block int) int64 {
	d64 := int64(d)
	perWorker := 8*d64 + 12*d64*d64 + 4*int64(block)*d64 + 4*d64
	return int64(workers)*perWorker + 40*d64*d64 + pcaOutputBytes(n, d, k, workers, block)
}

// formatBytes writes a byte count for people (binary units).
func formatBytes(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	v, u := float64(b)/unit, 0
	for v >= unit && u < 4 {
		v /= unit
		u++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[u])
}
