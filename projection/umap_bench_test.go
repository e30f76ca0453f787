package projection_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

var umapSink *projection.UMAPResult

// BenchmarkUMAPFromKNN times the UMAP stages after the kNN (graph, spectral
// init, SGD) on the first n MNIST rows, with 200 epochs as for N > 10,000
// and each worker count. Run with
//
//	go test ./projection -run XXX -bench UMAPFromKNN -benchtime 3x
func BenchmarkUMAPFromKNN(b *testing.B) {
	for _, n := range []int{2000, 5000} {
		data, _ := umapMNIST(b, n)
		g, err := projection.ExactKNN(context.Background(), data, 14, projection.KNNSettings{})
		if err != nil {
			b.Fatal(err)
		}
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("n=%d/workers=%d", n, workers), func(b *testing.B) {
				s := projection.UMAPSettings{Seed: 1, Workers: workers, NEpochs: 200}
				for b.Loop() {
					r, err := projection.UMAPFromKNN(context.Background(), g, s, nil)
					if err != nil {
						b.Fatal(err)
					}
					umapSink = r
				}
				st := umapSink.Stats
				b.ReportMetric(float64(st.Graph.Milliseconds()), "graph-ms")
				b.ReportMetric(float64(st.Init.Milliseconds()), "init-ms")
				b.ReportMetric(float64(st.Optimize.Milliseconds()), "sgd-ms")
			})
		}
	}
}
