package projection

// tsneSIMD says whether t-SNE's gradient uses the AVX2 + FMA kernels of
// tsne_simd_amd64.s (tests switch it off to compare with the portable Go).
var tsneSIMD = hasAVX2FMA

// qtSumAVX2 is qtList.sumGo in four lanes: every list length must be a
// multiple of 4 (qtList.pad) and the cell slices equally long.
//
//go:noescape
func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64)

// attractAVX2 returns sum_e vals[e] q_e (xi - x_j, yi - y_j) over the first
// len(cols) rounded down to a multiple of 4 edges, where j = cols[e],
// (x_j, y_j) = (pos[2j], pos[2j+1]) read from a float32 copy of the layout
// (half the memory of float64, so it stays in a core's cache; the row's own
// xi, yi and all arithmetic are float64) and q_e = 1/(1+|d|^2). Every j
// must index a point of pos and len(vals) >= len(cols).
//
//go:noescape
func attractAVX2(pos []float32, cols []int32, vals []float32, xi, yi float64) (fx, fy float64)
