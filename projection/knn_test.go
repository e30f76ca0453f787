package projection_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

func randomMatrix(n, d int, seed uint64) *projection.Matrix {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := projection.NewMatrix(n, d)
	for i := range m.Data {
		m.Data[i] = rng.Float32()
	}
	return m
}

var (
	mnistOnce sync.Once
	mnistData *mnist.Dataset
	mnistErr  error
)

// mnistHead returns the first n MNIST rows as a matrix with their labels.
func mnistHead(t testing.TB, n int) (*projection.Matrix, []uint8) {
	t.Helper()
	mnistOnce.Do(func() { mnistData, mnistErr = mnist.LoadDefault() })
	if mnistErr != nil {
		t.Skipf("MNIST not available: %v", mnistErr)
	}
	ds := mnistData.Head(n)
	return projection.Materialize(ds), ds.Labels
}

// naiveKNN is the textbook triple loop in float64.
func naiveKNN(m *projection.Matrix, k int) ([][]int, [][]float64) {
	idx := make([][]int, m.N)
	dist := make([][]float64, m.N)
	for i := range m.N {
		type nd struct {
			j int
			d float64
		}
		var all []nd
		for j := range m.N {
			if j == i {
				continue
			}
			var s float64
			for c := range m.D {
				x := float64(m.Data[i*m.D+c]) - float64(m.Data[j*m.D+c])
				s += x * x
			}
			all = append(all, nd{j, math.Sqrt(s)})
		}
		sort.Slice(all, func(a, b int) bool { return all[a].d < all[b].d })
		for _, x := range all[:k] {
			idx[i] = append(idx[i], x.j)
			dist[i] = append(dist[i], x.d)
		}
	}
	return idx, dist
}

// checkAgainstNaive fails unless g's distances match the naive ones and
// each index has the naive distance (allowing near-ties to swap).
func checkAgainstNaive(t *testing.T, m *projection.Matrix, g *projection.KNN, idx [][]int, dist [][]float64) {
	t.Helper()
	for i := range m.N {
		gi, gd := g.Neighbors(i)
		for r := range g.K {
			if math.Abs(float64(gd[r])-dist[i][r]) > 1e-4*(1+dist[i][r]) {
				t.Fatalf("row %d rank %d: distance %g, naive %g", i, r, gd[r], dist[i][r])
			}
			if int(gi[r]) != idx[i][r] {
				// Acceptable only for a near-tie.
				var s float64
				for c := range m.D {
					x := float64(m.Data[i*m.D+c]) - float64(m.Data[int(gi[r])*m.D+c])
					s += x * x
				}
				if math.Abs(math.Sqrt(s)-dist[i][r]) > 1e-4*(1+dist[i][r]) {
					t.Fatalf("row %d rank %d: index %d (d=%g), naive %d (d=%g)", i, r, gi[r], math.Sqrt(s), idx[i][r], dist[i][r])
				}
			}
		}
	}
}

func TestExactKNNMatchesNaive(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ n, d, k int }{{300, 7, 10}, {150, 784, 15}, {40, 3, 39}, {1100, 5, 5}} {
		m := randomMatrix(tc.n, tc.d, uint64(tc.n*tc.d))
		idx, dist := naiveKNN(m, tc.k)
		g, err := projection.ExactKNN(ctx, m, tc.k, projection.KNNSettings{Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		checkAgainstNaive(t, m, g, idx, dist)
		g1, err := projection.ExactKNN(ctx, m, tc.k, projection.KNNSettings{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Index, g1.Index) || !slices.Equal(g.Dist, g1.Dist) {
			t.Errorf("n=%d: 1 and 3 workers differ", tc.n)
		}
		if r := projection.KNNRecall(g, g1); r != 1 {
			t.Errorf("self recall %g", r)
		}
	}
}

func TestExactRowsAndQuery(t *testing.T) {
	m := randomMatrix(500, 30, 7)
	g, err := projection.ExactKNN(context.Background(), m, 12, projection.KNNSettings{Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{0, 499, 17, 17, 250}
	gr, err := projection.ExactKNNRows(context.Background(), m, rows, 12, projection.KNNSettings{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r := projection.KNNRecallRows(g, gr, rows); r != 1 {
		t.Errorf("ExactKNNRows recall %g, want 1", r)
	}
	ix := projection.NewQueryIndex(m)
	for r, i := range rows {
		gi, gd := gr.Neighbors(r)
		for name, f := range map[string]func([]float32, int, int) ([]int32, []float32){
			"ExactQuery": func(q []float32, k, ex int) ([]int32, []float32) { return projection.ExactQuery(m, q, k, ex) },
			"QueryIndex": ix.Query,
		} {
			qi, qd := f(m.Row(i), 12, i)
			if !slices.Equal(qi, gi) {
				t.Errorf("row %d: %s %v, ExactKNNRows %v", i, name, qi, gi)
			}
			for j := range qd {
				if math.Abs(float64(qd[j]-gd[j])) > 1e-5 {
					t.Errorf("row %d: %s distances %v, want %v", i, name, qd, gd)
					break
				}
			}
		}
	}
	// Without exclusion the row itself comes first at distance 0.
	qi, qd := projection.ExactQuery(m, m.Row(3), 5, -1)
	if qi[0] != 3 || qd[0] != 0 || len(qi) != 5 {
		t.Errorf("ExactQuery(row 3, exclude -1) = %v %v", qi, qd)
	}
	// k larger than the data.
	small := randomMatrix(4, 3, 1)
	if qi, _ := projection.ExactQuery(small, small.Row(0), 10, 0); len(qi) != 3 {
		t.Errorf("ExactQuery on 4 rows excluding one returned %d", len(qi))
	}
}

// TestNNDescentRecallMNIST measures both approximate methods against exact
// neighbours on MNIST rows, at UMAP's k and t-SNE's.
func TestNNDescentRecallMNIST(t *testing.T) {
	m, _ := mnistHead(t, 3000)
	ctx := context.Background()
	exact, err := projection.ExactKNN(ctx, m, 90, projection.KNNSettings{Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method string
		k      int
		min    float64
	}{{"nndescent", 15, 0.95}, {"forest", 15, 0.9}, {"forest", 90, 0.95}, {"", 90, 0.95}} {
		s := projection.KNNSettings{Method: tc.method, Seed: 42, ExactBelow: 1000}
		g, err := projection.NearestNeighbors(ctx, m, tc.k, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := projection.KNNRecall(g, exactHead(exact, tc.k))
		t.Logf("%q %d-NN recall on 3000 MNIST rows: %.4f", tc.method, tc.k, r)
		if r < tc.min {
			t.Errorf("%q %d-NN: recall %.4f < %.2f", tc.method, tc.k, r, tc.min)
		}
		checkSorted(t, g, m)
	}
}

// exactHead returns the first k neighbours of each row of g.
func exactHead(g *projection.KNN, k int) *projection.KNN {
	h := projection.NewKNN(g.N, k)
	for i := range g.N {
		idx, dist := g.Neighbors(i)
		hi, hd := h.Neighbors(i)
		copy(hi, idx[:k])
		copy(hd, dist[:k])
	}
	return h
}

// checkSorted verifies each row is sorted, self-free, duplicate-free and
// carries exact distances.
func checkSorted(t *testing.T, g *projection.KNN, m *projection.Matrix) {
	t.Helper()
	for i := range g.N {
		idx, dist := g.Neighbors(i)
		seen := map[int32]bool{}
		for r, j := range idx {
			if j < 0 || int(j) == i || seen[j] {
				t.Fatalf("row %d: bad neighbour list %v", i, idx)
			}
			seen[j] = true
			if r > 0 && dist[r] < dist[r-1] {
				t.Fatalf("row %d: unsorted distances %v", i, dist)
			}
			var s float64
			for c := range m.D {
				x := float64(m.Data[i*m.D+c]) - float64(m.Data[int(j)*m.D+c])
				s += x * x
			}
			if math.Abs(math.Sqrt(s)-float64(dist[r])) > 1e-4*(1+math.Sqrt(s)) {
				t.Fatalf("row %d: distance to %d is %g, want %g", i, j, dist[r], math.Sqrt(s))
			}
		}
	}
}

func TestNNDescentRandomData(t *testing.T) {
	m := randomMatrix(3000, 12, 3)
	ctx := context.Background()
	exact, err := projection.ExactKNN(ctx, m, 40, projection.KNNSettings{Workers: 0})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method string
		k      int
	}{{"nndescent", 10}, {"forest", 40}} {
		g, err := projection.NearestNeighbors(ctx, m, tc.k, projection.KNNSettings{Method: tc.method, Seed: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := projection.KNNRecall(g, exactHead(exact, tc.k))
		t.Logf("%s %d-NN recall on 3000 uniform 12-d points: %.4f", tc.method, tc.k, r)
		if r < 0.95 {
			t.Errorf("%s: recall %.4f < 0.95", tc.method, r)
		}
		checkSorted(t, g, m)
	}
}

func TestNNDescentReproducible(t *testing.T) {
	// 130 columns: the trees split a Gemm projection (the D >= 128 path).
	m := randomMatrix(6000, 130, 9)
	ctx := context.Background()
	for _, method := range []string{"nndescent", "forest"} {
		run := func(workers int, seed uint64) *projection.KNN {
			g, err := projection.NearestNeighbors(ctx, m, 8, projection.KNNSettings{Method: method, Seed: seed, Workers: workers, MaxIters: 4}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		a, b, c, d, e := run(1, 5), run(1, 5), run(3, 5), run(1, 6), run(8, 5)
		if !slices.Equal(a.Index, b.Index) || !slices.Equal(a.Dist, b.Dist) {
			t.Errorf("%s: two single-worker runs with one seed differ", method)
		}
		if !slices.Equal(a.Index, c.Index) || !slices.Equal(a.Dist, c.Dist) {
			t.Errorf("%s: 1 and 3 workers differ", method)
		}
		if !slices.Equal(a.Index, e.Index) || !slices.Equal(a.Dist, e.Dist) {
			t.Errorf("%s: 1 and 8 workers differ", method)
		}
		if slices.Equal(a.Index, d.Index) {
			t.Errorf("%s: seeds 5 and 6 gave identical graphs", method)
		}
	}
}

func TestNNDescentDuplicates(t *testing.T) {
	// Many identical rows defeat every hyperplane split.
	m := projection.NewMatrix(300, 5)
	for i := 100; i < 300; i++ {
		m.Row(i)[0] = float32(i % 3)
	}
	for _, method := range []string{"nndescent", "forest"} {
		g, err := projection.NearestNeighbors(context.Background(), m, 10, projection.KNNSettings{Method: method}, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkSorted(t, g, m)
		for i := range 100 {
			if _, d := g.Neighbors(i); d[9] != 0 {
				t.Fatalf("%s row %d: duplicate rows not found, distances %v", method, i, d)
			}
		}
	}
}

func TestKNNErrors(t *testing.T) {
	ctx := context.Background()
	m := randomMatrix(10, 2, 1)
	for _, tc := range []struct {
		m *projection.Matrix
		k int
		s projection.KNNSettings
	}{
		{m, 0, projection.KNNSettings{}},
		{m, -1, projection.KNNSettings{}},
		{m, 10, projection.KNNSettings{}},
		{nil, 3, projection.KNNSettings{}},
		{m, 3, projection.KNNSettings{Method: "annoy"}},
		{&projection.Matrix{N: 5, D: 2, Data: make([]float32, 3)}, 2, projection.KNNSettings{}},
	} {
		if _, err := projection.NearestNeighbors(ctx, tc.m, tc.k, tc.s, nil); err == nil {
			t.Errorf("k=%d method=%q: no error", tc.k, tc.s.Method)
		}
	}
	if _, err := projection.ExactKNN(ctx, m, 10, projection.KNNSettings{Workers: 1}); err == nil {
		t.Error("ExactKNN k=N: no error")
	}
	if _, err := projection.ExactKNNRows(ctx, m, []int{10}, 3, projection.KNNSettings{Workers: 1}); err == nil {
		t.Error("ExactKNNRows row out of range: no error")
	}
}

func TestKNNCancel(t *testing.T) {
	m := randomMatrix(5000, 20, 2)
	for _, method := range []string{"exact", "nndescent"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := projection.NearestNeighbors(ctx, m, 10, projection.KNNSettings{Method: method}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", method, err)
		}
		// Cancel from a progress report, mid-run.
		ctx, cancel = context.WithCancel(context.Background())
		h := &projection.Hooks{Progress: func(p projection.Progress) {
			if p.Done > 0 {
				cancel()
			}
		}}
		_, err = projection.NearestNeighbors(ctx, m, 10, projection.KNNSettings{Method: method}, h)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s mid-run: err = %v, want context.Canceled", method, err)
		}
	}
}

func TestKNNProgress(t *testing.T) {
	m := randomMatrix(2000, 10, 4)
	for _, method := range []string{"exact", "nndescent"} {
		var last projection.Progress
		n := 0
		h := &projection.Hooks{Progress: func(p projection.Progress) {
			if p.Stage != "knn" {
				t.Errorf("stage %q", p.Stage)
			}
			last = p
			n++
		}}
		if _, err := projection.NearestNeighbors(context.Background(), m, 5, projection.KNNSettings{Method: method}, h); err != nil {
			t.Fatal(err)
		}
		if n < 2 || last.Done != last.Total || last.Total == 0 {
			t.Errorf("%s: %d reports, last %+v", method, n, last)
		}
	}
}

// A graph rebuilt from its indices has the distances the search found.
func TestKNNFromIndex(t *testing.T) {
	m := randomMatrix(300, 20, 7)
	g, err := projection.ExactKNN(context.Background(), m, 8, projection.KNNSettings{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := projection.KNNFromIndex(m, g.Index, 8, projection.KNNSettings{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Dist {
		if math.Abs(float64(r.Dist[i]-g.Dist[i])) > 1e-4*float64(g.Dist[i])+1e-6 || r.Index[i] != g.Index[i] {
			t.Fatalf("slot %d: %d %v, search %d %v", i, r.Index[i], r.Dist[i], g.Index[i], g.Dist[i])
		}
	}
	if _, err := projection.KNNFromIndex(m, append([]int32{300}, g.Index[1:]...), 8, projection.KNNSettings{}); err == nil {
		t.Error("an index out of range was accepted")
	}
}
