//go:build !amd64

package projection

// tsneSIMD is false off amd64: the portable Go kernels run.
const tsneSIMD = false

// tsneAVX512 is false off amd64.
const tsneAVX512 = false

func qtSumAVX512(l *qtList, xi, yi float64) (fx, fy, z float64) { return l.sumGo(xi, yi) }

func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64) { return l.sumGo(xi, yi) }

func attractAVX2(pos []float32, cols []int32, vals []float32, xi, yi float32) (fx, fy float32) {
	n := len(cols) &^ 7
	vals = vals[:n]
	for c, j := range cols[:n] {
		dx, dy := xi-pos[2*j], yi-pos[2*j+1]
		m := vals[c] / (1 + dx*dx + dy*dy)
		fx += m * dx
		fy += m * dy
	}
	return fx, fy
}
