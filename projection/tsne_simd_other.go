//go:build !amd64

package projection

// tsneSIMD is false off amd64: the portable Go kernels run.
const tsneSIMD = false

func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64) { return l.sumGo(xi, yi) }

func attractAVX2(pos []float64, cols []int32, vals []float32, xi, yi float64) (fx, fy float64) {
	n := len(cols) &^ 3
	return attractGo(pos, cols[:n], vals[:n], xi, yi)
}
