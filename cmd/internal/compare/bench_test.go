package compare

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var (
	sinkMean float64
	sinkMix  *Mix
)

// BenchmarkAgreement compares a clustered layout with a noisy, rotated copy
// of itself (k = 15), both layouts' exact kNN included.
func BenchmarkAgreement(b *testing.B) {
	for _, n := range []int{10_000, 70_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			a := clusteredLayout(rng, n)
			c := make([]float32, len(a))
			for i := 0; i < len(a); i += 2 {
				c[i] = -a[i+1] + float32(0.1*rng.NormFloat64())
				c[i+1] = a[i] + float32(0.1*rng.NormFloat64())
			}
			b.ReportAllocs()
			for b.Loop() {
				_, mean, err := Agreement(a, c, 0, 0)
				if err != nil {
					b.Fatal(err)
				}
				sinkMean = mean
			}
		})
	}
}

// BenchmarkConfusion counts class mixing in a random 10-NN graph over ten
// classes.
func BenchmarkConfusion(b *testing.B) {
	for _, n := range []int{70_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2, uint64(n)))
			labels, graph := randomGraph(rng, n, 10, 11) // ten classes in use
			b.ReportAllocs()
			for b.Loop() {
				sinkMix = Confusion(labels, graph, 10, 10)
			}
		})
	}
}
