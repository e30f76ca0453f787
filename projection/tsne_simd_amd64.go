package projection

import "golang.org/x/sys/cpu"

// tsneAVX512 says whether the interaction lists are summed by the
// eight-lane qtSumAVX512 rather than qtSumAVX2.
var tsneAVX512 = hasAVX2FMA && cpu.X86.HasAVX512F

// tsneSIMD says whether t-SNE's gradient uses the AVX2 + FMA kernels of
// tsne_simd_amd64.s (tests switch it off to compare with the portable Go).
var tsneSIMD = hasAVX2FMA

// qtSumAVX2 is qtList.sumGo in four lanes: every list length must be a
// multiple of 4 (qtList.pad) and the cell slices equally long.
//
//go:noescape
func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64)

// qtSumAVX512 is qtSumAVX2 in eight lanes: every list length must be a
// multiple of 8 (qtList.pad).
//
//go:noescape
func qtSumAVX512(l *qtList, xi, yi float64) (fx, fy, z float64)

// attractAVX2 returns sum_e vals[e] q_e (xi - x_j, yi - y_j) over the first
// len(cols) rounded down to a multiple of 8 edges, where j = cols[e],
// (x_j, y_j) = (pos[2j], pos[2j+1]) and q_e = 1/(1+|d|^2), all in float32:
// the layout is a float32 copy (half the memory of float64), q has 23
// bits, and a row's sum is rounded to float32 at each of its ~16 terms
// per lane, so the result is within a few 1e-6 of the float64 sum over
// the same float32 positions, relative to the sum of the terms'
// magnitudes (TestAttractAVX2MatchesGo). Every j must index a point of pos
// and len(vals) >= len(cols).
//
//go:noescape
func attractAVX2(pos []float32, cols []int32, vals []float32, xi, yi float32) (fx, fy float32)
