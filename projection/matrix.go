package projection

import "fmt"

// Matrix is a dense row-major N x D matrix of float32.
type Matrix struct {
	N, D int
	Data []float32 // len N*D; row i is Data[i*D:(i+1)*D]
}

// NewMatrix returns a zeroed n x d matrix.
func NewMatrix(n, d int) *Matrix {
	if n < 0 || d < 0 {
		panic(fmt.Sprintf("projection: negative matrix size %dx%d", n, d))
	}
	return &Matrix{N: n, D: d, Data: makeHuge[float32](n * d)}
}

// Row returns row i, sharing storage with m.
func (m *Matrix) Row(i int) []float32 { return m.Data[i*m.D : (i+1)*m.D : (i+1)*m.D] }

// Dims returns the number of rows and columns; with Rows it makes *Matrix a Source.
func (m *Matrix) Dims() (n, d int) { return m.N, m.D }

// Rows copies rows [lo, hi) into dst, which must hold (hi-lo)*D values.
func (m *Matrix) Rows(dst []float32, lo, hi int) { copy(dst, m.Data[lo*m.D:hi*m.D]) }

// Source is row-major data that can be read in blocks of rows as float32.
// It lets PCA stream large inputs without holding a float copy of them.
type Source interface {
	// Dims returns the number of rows and columns.
	Dims() (n, d int)
	// Rows writes rows [lo, hi) into dst, which holds (hi-lo)*d values.
	Rows(dst []float32, lo, hi int)
}

// Materialize reads all of src into a new Matrix.
func Materialize(src Source) *Matrix { return MaterializeConcurrent(src, 1) }

// MaterializeConcurrent is Materialize with blocks of rows read by workers
// goroutines at once (zero means GOMAXPROCS; see the package documentation
// for the bounds): src.Rows must be safe to call from several goroutines.
// Writing a fresh matrix is mostly the system's page faults, which then
// run on every core (70,000 MNIST rows on the 2-vCPU machine of
// BENCHMARKS.md, in UMAP runs: 0.04-0.05 s on two goroutines, 0.07-0.52 s
// on one).
func MaterializeConcurrent(src Source, workers int) *Matrix {
	n, d := src.Dims()
	m := NewMatrix(n, d)
	const block = 4096
	blocks := (n + block - 1) / block
	parallelRanges(blocks, workerCount(workers), func(_, b0, b1 int) {
		for b := b0; b < b1; b++ {
			lo, hi := b*block, min((b+1)*block, n)
			src.Rows(m.Data[lo*d:hi*d], lo, hi)
		}
	})
	return m
}
