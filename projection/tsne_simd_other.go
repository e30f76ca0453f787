//go:build !amd64

package projection

// tsneSIMD is false off amd64: the portable Go kernels run.
const tsneSIMD = false

func qtSumAVX2(l *qtList, xi, yi float64) (fx, fy, z float64) { return l.sumGo(xi, yi) }

func attractAVX2(pos []float32, cols []int32, vals []float32, xi, yi float64) (fx, fy float64) {
	n := len(cols) &^ 3
	return attract32Go(pos, cols[:n], vals[:n], xi, yi)
}

// attract32Go is attractGo reading the neighbours from a float32 layout.
func attract32Go(pos []float32, cols []int32, vals []float32, xi, yi float64) (fx, fy float64) {
	vals = vals[:len(cols)]
	for c, j := range cols {
		dx, dy := xi-float64(pos[2*j]), yi-float64(pos[2*j+1])
		m := float64(vals[c]) / (1 + dx*dx + dy*dy)
		fx += m * dx
		fy += m * dy
	}
	return fx, fy
}
