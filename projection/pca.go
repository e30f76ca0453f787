package projection

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// PCASettings configures PCA. The zero value is ready to use.
type PCASettings struct {
	// Workers is the number of goroutines; zero means runtime.GOMAXPROCS(0).
	// Results are identical for a given Workers value.
	Workers int
	// BlockRows is the number of rows streamed at a time; zero means 2048.
	// Memory beyond the output stays near Workers*BlockRows*D float32s.
	BlockRows int
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

// PCA projects the rows of src on their first k principal components.
//
// It streams src in blocks and never holds a float copy of it: the
// covariance is accumulated block by block in float64 (skipping zeros in
// sparse blocks, as MNIST's mostly-blank images are), decomposed with
// gonum's dense symmetric eigensolver, and the rows are projected in a
// second streaming pass. It honours ctx between blocks.
func PCA(ctx context.Context, src Source, k int, s PCASettings) (*PCAResult, error) {
	n, d := src.Dims()
	if n < 2 || d < 1 {
		return nil, fmt.Errorf("projection: PCA needs at least 2 rows and 1 column, got %dx%d", n, d)
	}
	if k < 1 || k > d {
		return nil, fmt.Errorf("projection: PCA to %d components of %d-dimensional data", k, d)
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	block := s.BlockRows
	if block <= 0 {
		block = 2048
	}
	nblocks := (n + block - 1) / block
	workers = min(workers, nblocks)

	// Pass 1: per-worker sums and upper-triangular cross products.
	type acc struct {
		sum []float64
		xtx []float64 // d x d, upper triangle used
	}
	accs := make([]acc, workers)
	err := forBlocks(ctx, workers, nblocks, func(w int) func(b int) {
		a := &accs[w]
		a.sum = make([]float64, d)
		a.xtx = make([]float64, d*d)
		buf := make([]float32, block*d)
		tmp := make([]float32, d*d)
		nz := make([]int32, d)
		return func(b int) {
			lo, hi := b*block, min((b+1)*block, n)
			x := buf[:(hi-lo)*d]
			src.Rows(x, lo, hi)
			accumulateCross(a.sum, a.xtx, tmp, x, hi-lo, d, nz)
		}
	})
	if err != nil {
		return nil, err
	}
	mean := make([]float64, d)
	cov := mat.NewSymDense(d, nil)
	for w := range accs {
		for j, v := range accs[w].sum {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			var v float64
			for w := range accs {
				v += accs[w].xtx[i*d+j]
			}
			cov.SetSym(i, j, (v-float64(n)*mean[i]*mean[j])/float64(n-1))
		}
	}
	accs = nil

	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return nil, fmt.Errorf("projection: PCA: eigendecomposition of the %dx%d covariance failed", d, d)
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	res := &PCAResult{
		Components: NewMatrix(k, d),
		Mean:       mean,
		Variance:   make([]float64, k),
	}
	for _, v := range vals {
		res.TotalVariance += math.Max(v, 0)
	}
	for c := 0; c < k; c++ {
		col := d - 1 - c
		res.Variance[c] = math.Max(vals[col], 0)
		row := res.Components.Row(c)
		big := 0.0
		for j := 0; j < d; j++ {
			v := vecs.At(j, col)
			if math.Abs(v) > math.Abs(big) {
				big = v
			}
			row[j] = float32(v)
		}
		if big < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
	}

	// Pass 2: scores = (X - mean) W^T, computed as X W^T - mean W^T.
	res.Scores = NewMatrix(n, k)
	offset := make([]float32, k)
	for c := 0; c < k; c++ {
		var v float64
		for j, w := range res.Components.Row(c) {
			v += mean[j] * float64(w)
		}
		offset[c] = float32(v)
	}
	comp := blas32.General{Rows: k, Cols: d, Stride: d, Data: res.Components.Data}
	err = forBlocks(ctx, workers, nblocks, func(int) func(b int) {
		buf := make([]float32, block*d)
		return func(b int) {
			lo, hi := b*block, min((b+1)*block, n)
			x := buf[:(hi-lo)*d]
			src.Rows(x, lo, hi)
			out := res.Scores.Data[lo*k : hi*k]
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
	return res, nil
}

// accumulateCross adds the column sums of the rows x (rows x d) to sum and
// their cross products to the upper triangle of xtx. Sparse rows are
// handled by their non-zeros; dense blocks by a float32 SYRK per block.
func accumulateCross(sum, xtx []float64, tmp, x []float32, rows, d int, nz []int32) {
	zeros := 0
	for _, v := range x {
		if v == 0 {
			zeros++
		}
	}
	for i := 0; i < rows; i++ {
		for j, v := range x[i*d : (i+1)*d] {
			sum[j] += float64(v)
		}
	}
	if float64(zeros) < 0.7*float64(len(x)) {
		clear(tmp)
		blas32.Syrk(blas.Trans, 1, blas32.General{Rows: rows, Cols: d, Stride: d, Data: x},
			0, blas32.Symmetric{Uplo: blas.Upper, N: d, Stride: d, Data: tmp})
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				xtx[i*d+j] += float64(tmp[i*d+j])
			}
		}
		return
	}
	for i := 0; i < rows; i++ {
		row := x[i*d : (i+1)*d]
		idx := nz[:0]
		for j, v := range row {
			if v != 0 {
				idx = append(idx, int32(j))
			}
		}
		for a, ja := range idx {
			va := float64(row[ja])
			dst := xtx[int(ja)*d:]
			for _, jb := range idx[a:] {
				dst[jb] += va * float64(row[jb])
			}
		}
	}
}
