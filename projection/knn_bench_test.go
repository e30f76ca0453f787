package projection_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

var knnSink *projection.KNN

// BenchmarkNearestNeighbors times 15-NN graphs on MNIST heads. The full
// 70,000 rows run only with MNIST_FULL=1.
func BenchmarkNearestNeighbors(b *testing.B) {
	sizes := []int{2000, 10000}
	if os.Getenv("MNIST_FULL") != "" {
		sizes = append(sizes, 70000)
	}
	for _, method := range []string{"exact", "nndescent"} {
		for _, n := range sizes {
			if method == "exact" && n > 10000 {
				continue
			}
			b.Run(fmt.Sprintf("%s/N=%d", method, n), func(b *testing.B) {
				m, _ := mnistHead(b, n)
				s := projection.KNNSettings{Method: method, Seed: 1}
				for b.Loop() {
					g, err := projection.NearestNeighbors(context.Background(), m, 15, s, nil)
					if err != nil {
						b.Fatal(err)
					}
					knnSink = g
				}
			})
		}
	}
}

var queryIdx []int32

func BenchmarkExactQuery(b *testing.B) {
	m, _ := mnistHead(b, 70000)
	i := 0
	for b.Loop() {
		queryIdx, _ = projection.ExactQuery(m, m.Row(i), 10, i)
		i = (i + 7919) % m.N
	}
}

// TestMNISTFullKNN measures NN-descent on all 70,000 MNIST rows: wall time
// and 15-NN recall against exact neighbours of 1,000 random rows. It runs
// only with MNIST_FULL=1 (about a minute on two cores).
func TestMNISTFullKNN(t *testing.T) {
	if os.Getenv("MNIST_FULL") == "" {
		t.Skip("set MNIST_FULL=1 to run the full-MNIST kNN measurement")
	}
	m, _ := mnistHead(t, 70000)
	ctx := context.Background()
	start := time.Now()
	last := start
	h := &projection.Hooks{Progress: func(p projection.Progress) {
		now := time.Now()
		t.Logf("  progress %d/%d  +%.2fs", p.Done, p.Total, now.Sub(last).Seconds())
		last = now
	}}
	g, err := projection.NearestNeighbors(ctx, m, 15, projection.KNNSettings{Seed: 1}, h)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	rng := rand.New(rand.NewPCG(2, 3))
	rows := rng.Perm(m.N)[:1000]
	start = time.Now()
	exact, err := projection.ExactKNNRows(ctx, m, rows, 15, 0)
	if err != nil {
		t.Fatal(err)
	}
	exactTime := time.Since(start)
	r := projection.KNNRecallRows(g, exact, rows)
	t.Logf("NN-descent 15-NN on 70000x784: %.2fs, recall@15 on 1000 rows %.4f (exact for those rows: %.2fs)",
		elapsed.Seconds(), r, exactTime.Seconds())
	start = time.Now()
	for _, i := range rows[:50] {
		projection.ExactQuery(m, m.Row(i), 10, i)
	}
	t.Logf("ExactQuery 10-NN: %.2fms per query", time.Since(start).Seconds()*1000/50)
	if r < 0.95 {
		t.Errorf("recall %.4f < 0.95", r)
	}
}
