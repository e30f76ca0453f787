// Package projection computes 2-D layouts of high-dimensional data: PCA,
// k-nearest-neighbour graphs (exact and NN-descent), UMAP and Barnes-Hut
// t-SNE, and the quality metrics used to compare them.
//
// The package knows nothing of where the data comes from (no datasets, no
// files of any image format) nor of how layouts are drawn (no GL). Inputs are
// dense row-major float32 matrices (Matrix) or anything that can stream rows
// in blocks (Source); layouts are N x 2 float32 positions stored
// interleaved (x0, y0, x1, y1, ...).
//
// Long-running algorithms take a context for cancellation and a Hooks value
// for progress reports and snapshots of the layout while it forms.
package projection
