package region

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

var sinkCount int

// benchLasso is a 64-vertex wavy loop over the unit square enclosing 20%
// of its area, concave where the wave dips.
func benchLasso() Polygon {
	const k, wave = 64, 0.15
	r0 := math.Sqrt(0.2 / (math.Pi * (1 + wave*wave/2)))
	var p Polygon
	for i := 0; i < k; i++ {
		a := 2 * math.Pi * float64(i) / k
		r := r0 * (1 + wave*math.Sin(5*a))
		p = append(p, 0.5+r*math.Cos(a), 0.5+r*math.Sin(a))
	}
	return p
}

// BenchmarkSelect selects with a 64-vertex lasso over uniform points in
// the unit square (about 20% inside), replacing the selection each time.
func BenchmarkSelect(b *testing.B) {
	lasso := benchLasso()
	for _, n := range []int{70_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			pos := make([]float32, 2*n)
			for i := range pos {
				pos[i] = rng.Float32()
			}
			s := NewSet(n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkCount = Select(s, pos, lasso, Replace)
			}
			b.ReportMetric(float64(sinkCount)/float64(n), "inside/op")
		})
	}
}
