// Package projection computes 2-D layouts of high-dimensional data: PCA,
// k-nearest-neighbour graphs (exact and NN-descent), UMAP and t-SNE (its
// repulsion by Barnes-Hut or by FFT-accelerated interpolation), and the
// quality metrics used to compare them.
//
// The package knows nothing of where the data comes from (no datasets, no
// image formats) nor of how layouts are drawn (no GL). Inputs are dense
// row-major float32 matrices (Matrix) or anything that can stream rows in
// blocks (Source); layouts are N x 2 float32 positions stored interleaved
// (x0, y0, x1, y1, ...). Layout files are read with bounds checked before
// anything is allocated (ReadLayoutFile) and encoded to any io.Writer
// (WriteLayout); writing a file is the caller's business.
//
// Long-running algorithms take a context for cancellation and a Hooks value
// for progress reports and snapshots of the layout while it forms.
//
// # Settings and workers
//
// Every algorithm takes a settings struct (PCASettings, KNNSettings,
// TSNESettings, UMAPSettings, MetricSettings) whose zero value means the
// documented defaults; each fills them in with one unexported withDefaults
// method, which may be applied any number of times, and t-SNE and UMAP
// then refuse settings out of range (NaN, infinite, negative rates) with an
// error before doing any work. A function that uses only part of a
// settings struct says which fields.
//
// Every settings struct has Workers, the number of goroutines: zero (or
// negative) means runtime.GOMAXPROCS(0), and any value is clamped to
// 4*GOMAXPROCS (more only costs per-worker memory). Algorithms use fewer
// where there is less work. Which results depend on Workers is stated with
// each algorithm: none do but UMAP's parallel SGD and the dense PCA's sums.
package projection
