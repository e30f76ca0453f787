package projection

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"
)

// pcaDense finds the top k components by forming the D x D covariance and
// decomposing it densely. Each worker accumulates the blocks b with
// b % workers == w; the sums are added in worker order, so the result
// depends on workers but not on scheduling.
func pcaDense(ctx context.Context, src Source, k, workers, block int) (*pcaAxes, error) {
	n, d := src.Dims()
	nblocks := (n + block - 1) / block

	// Per-worker sums and upper-triangular cross products.
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
	ax := &pcaAxes{mean: mean, comps: make([][]float64, k), variance: make([]float64, k)}
	for _, v := range vals {
		ax.total += math.Max(v, 0)
	}
	for c := range k {
		col := d - 1 - c
		ax.variance[c] = math.Max(vals[col], 0)
		ax.comps[c] = mat.Col(nil, col, &vecs)
	}
	return ax, nil
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
