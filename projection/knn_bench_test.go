package projection_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

var knnSink *projection.KNN

// BenchmarkNearestNeighbors times 15-NN graphs on MNIST heads. The full
// 70,000 rows run only with MNIST_FULL=1.
func BenchmarkNearestNeighbors(b *testing.B) {
	sizes := []int{2000, 5000, 10000}
	if os.Getenv("MNIST_FULL") != "" {
		sizes = append(sizes, 70000)
	}
	for _, method := range []string{"exact", "nndescent"} {
		for _, n := range sizes {
			if method == "exact" && n > 5000 {
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

// TestMNISTFullKNN measures NN-descent on all 70,000 MNIST rows, and the
// forest on their 100 principal components at t-SNE's k = 90: wall time
// and recall against exact neighbours of 1,000 random rows. It runs only
// with MNIST_FULL=1 (1-2 minutes on two busy cores).
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
	exact, err := projection.ExactKNNRows(ctx, m, rows, 15, projection.KNNSettings{})
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
	start = time.Now()
	ix := projection.NewQueryIndex(m)
	t.Logf("NewQueryIndex: %v", time.Since(start))
	start = time.Now()
	for _, i := range rows[:200] {
		ix.Query(m.Row(i), 10, i)
	}
	t.Logf("QueryIndex.Query 10-NN: %.2fms per query", time.Since(start).Seconds()*1000/200)
	if r < 0.95 {
		t.Errorf("recall %.4f < 0.95", r)
	}

	// t-SNE's search: 90-NN on the 100 principal components (the
	// automatic method: the forest).
	pca, err := projection.PCA(ctx, m, 100, projection.PCASettings{})
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	g, err = projection.NearestNeighbors(ctx, pca.Scores, 90, projection.KNNSettings{Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	elapsed = time.Since(start)
	exact, err = projection.ExactKNNRows(ctx, pca.Scores, rows, 90, projection.KNNSettings{})
	if err != nil {
		t.Fatal(err)
	}
	r = projection.KNNRecallRows(g, exact, rows)
	t.Logf("forest 90-NN on 70000x100 (PCA): %.2fs, recall@90 on 1000 rows %.4f", elapsed.Seconds(), r)
	if r < 0.98 {
		t.Errorf("forest recall %.4f < 0.98", r)
	}
}

// BenchmarkLayout2DKNN times the exact 2-D 10-NN graph on clustered layouts.
func BenchmarkLayout2DKNN(b *testing.B) {
	for _, n := range []int{10000, 70000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			pos := clusteredLayout(n, 1)
			for b.Loop() {
				knnSink = projection.Layout2DKNN(pos, 10, projection.KNNSettings{})
			}
		})
	}
}

// TestMNISTFullMetrics times EvaluateLayout on the 2-D PCA layout of all
// 70,000 MNIST rows. It runs only with MNIST_FULL=1.
func TestMNISTFullMetrics(t *testing.T) {
	if os.Getenv("MNIST_FULL") == "" {
		t.Skip("set MNIST_FULL=1 to run the full-MNIST metrics measurement")
	}
	m, labels := mnistHead(t, 70000)
	ctx := context.Background()
	pca, err := projection.PCA(ctx, m, 2, projection.PCASettings{})
	if err != nil {
		t.Fatal(err)
	}
	layout := pca.Scores.Data
	start := time.Now()
	acc := projection.KNNAccuracy(layout, labels, 10, projection.MetricSettings{})
	t.Logf("KNNAccuracy (10-NN, 70000 points): %.4f in %v", acc, time.Since(start))
	start = time.Now()
	res, err := projection.EvaluateLayout(ctx, m, labels, layout, projection.MetricSettings{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("EvaluateLayout(PCA): %+v in %v", res, time.Since(start))
}

// TestMNISTFullUMAPKNN measures the neighbour search UMAP runs on all
// 70,000 MNIST pixels (UMAPSettings.Graph: k = 14, its thorough NN-descent):
// wall and process CPU time, and recall against the exact neighbours of
// 1,000 random rows. It runs only with MNIST_FULL=1; KNN_PROFILE=path
// writes a CPU profile of the search.
func TestMNISTFullUMAPKNN(t *testing.T) {
	if os.Getenv("MNIST_FULL") == "" {
		t.Skip("set MNIST_FULL=1 to run the full-MNIST UMAP kNN measurement")
	}
	m, _ := mnistHead(t, 70000)
	ctx := context.Background()
	k, s := projection.UMAPSettings{Seed: 1}.Graph(m.N)
	if p := os.Getenv("KNN_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
	}
	start, cpu := time.Now(), projection.KNNCPUTime()
	g, err := projection.NearestNeighbors(ctx, m, k, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	elapsed, cpu := time.Since(start), projection.KNNCPUTime()-cpu
	pprof.StopCPUProfile()
	rng := rand.New(rand.NewPCG(2, 3))
	rows := rng.Perm(m.N)[:1000]
	exact, err := projection.ExactKNNRows(ctx, m, rows, k, projection.KNNSettings{})
	if err != nil {
		t.Fatal(err)
	}
	r := projection.KNNRecallRows(g, exact, rows)
	t.Logf("UMAP's %d-NN on 70000x784: wall %.2fs, CPU %.2fs, recall on 1000 rows %.4f", k, elapsed.Seconds(), cpu.Seconds(), r)
	if r < 0.99 {
		t.Errorf("recall %.4f < 0.99", r)
	}
}
