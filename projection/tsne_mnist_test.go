package projection_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// TestTSNEMNISTQuality lays out the first 3,000 MNIST digits and checks two
// quality figures against thresholds derived from published runs:
//
//   - knn_acc10 (share of each point's 10 nearest layout neighbours with its
//     label): Rtsne reaches 0.9514 and sklearn 0.9451 on 10,000 rows. With
//     3,000 rows each class has a third of the samples, and kNN accuracy in
//     pixel space itself drops from about 0.95 to 0.93; we require 0.92.
//   - trust15 (trustworthiness with 15 neighbours against pixel space):
//     Rtsne 0.9736 and sklearn 0.9722 on 10,000 rows; it barely depends on
//     N at this size, and we require 0.965.
func TestTSNEMNISTQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("MNIST t-SNE in -short mode")
	}
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Skipf("no MNIST: %v", err)
	}
	ds = ds.Head(3000)
	data := projection.Materialize(ds)
	r, err := projection.TSNE(context.Background(), data, projection.TSNESettings{Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lab := make([]int, ds.Len())
	for i, l := range ds.Labels {
		lab[i] = int(l)
	}
	acc := layoutAccuracy(r.Layout, lab, 10)
	trust := trustworthiness(data, r.Layout, 15)
	t.Logf("3000 MNIST rows: knn_acc10 %.4f trust15 %.4f KL %.4f; %+v", acc, trust, r.KL, r.Stats)
	if acc < 0.92 {
		t.Errorf("knn_acc10 %.4f < 0.92", acc)
	}
	if trust < 0.965 {
		t.Errorf("trust15 %.4f < 0.965", trust)
	}
}

// sqDists returns the squared distances from row i to every row of m.
func sqDists(m *projection.Matrix, i int, out []float64) {
	a := m.Row(i)
	for j := 0; j < m.N; j++ {
		b := m.Row(j)
		s := 0.0
		for c := range a {
			d := float64(a[c] - b[c])
			s += d * d
		}
		out[j] = s
	}
}

// neighbourOrder returns the indices of all points but i, nearest first.
func neighbourOrder(d []float64, i int) []int {
	idx := make([]int, 0, len(d)-1)
	for j := range d {
		if j != i {
			idx = append(idx, j)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case d[a] < d[b]:
			return -1
		case d[a] > d[b]:
			return 1
		}
		return 0
	})
	return idx
}

func layoutAccuracy(layout []float32, lab []int, k int) float64 {
	m := &projection.Matrix{N: len(layout) / 2, D: 2, Data: layout}
	d := make([]float64, m.N)
	hit := 0
	for i := 0; i < m.N; i++ {
		sqDists(m, i, d)
		for _, j := range neighbourOrder(d, i)[:k] {
			if lab[j] == lab[i] {
				hit++
			}
		}
	}
	return float64(hit) / float64(m.N*k)
}

// trustworthiness is Venna and Kaski's measure with k neighbours:
// 1 - 2/(Nk(2N-3k-1)) * sum over layout neighbours that are not data
// neighbours of (data rank - k).
func trustworthiness(data *projection.Matrix, layout []float32, k int) float64 {
	n := data.N
	lm := &projection.Matrix{N: n, D: 2, Data: layout}
	d := make([]float64, n)
	rank := make([]int, n)
	pen := 0.0
	for i := 0; i < n; i++ {
		sqDists(data, i, d)
		for r, j := range neighbourOrder(d, i) {
			rank[j] = r + 1
		}
		sqDists(lm, i, d)
		for _, j := range neighbourOrder(d, i)[:k] {
			if rank[j] > k {
				pen += float64(rank[j] - k)
			}
		}
	}
	nk := float64(n)
	return 1 - 2/(nk*float64(k)*(2*nk-3*float64(k)-1))*pen
}

var _ = math.Inf
