package projection

// Internal tests of UMAP's building blocks: the curve fit, smooth kNN
// distances, the fuzzy graph, the sparse type, fast pow, Lanczos and the
// spectral initialisation (against dense gonum eigensolvers).

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestFitUMAPCurve(t *testing.T) {
	for _, c := range []struct{ spread, minDist, a, b, tol float64 }{
		{1, 0.1, 1.5769, 0.8951, 1e-3}, // umap-learn: 1.5769434604035, 0.8950608780665
		{1, 0.001, 1.9290, 0.7915, 2e-3},
		{1, 0.5, 0.5830, 1.3341, 2e-3},
	} {
		a, b := FitUMAPCurve(c.spread, c.minDist)
		if math.Abs(a-c.a) > c.tol*c.a*10 || math.Abs(b-c.b) > c.tol*c.b*10 {
			t.Errorf("FitUMAPCurve(%g, %g) = %.4f, %.4f; want %.4f, %.4f", c.spread, c.minDist, a, b, c.a, c.b)
		}
	}
	a, b := FitUMAPCurve(1, 0.1)
	if math.Abs(a-1.5769434604035) > 2e-4 || math.Abs(b-0.8950608780665) > 2e-4 {
		t.Errorf("FitUMAPCurve(1, 0.1) = %.6f, %.6f; want 1.576943, 0.895061", a, b)
	}
}

// umapTestBlobs returns n points in d dimensions around c well-separated centres.
func umapTestBlobs(n, d, c int, sep float64, seed uint64) *Matrix {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := NewMatrix(n, d)
	for i := 0; i < n; i++ {
		for k := 0; k < d; k++ {
			x := rng.NormFloat64()
			if k == i%c {
				x += sep
			}
			m.Data[i*d+k] = float32(x)
		}
	}
	return m
}

// umapTestKNN is a test-local exact kNN (self excluded).
func umapTestKNN(m *Matrix, k int) *KNN {
	g := NewKNN(m.N, k)
	type nd struct {
		j int32
		d float32
	}
	row := make([]nd, 0, m.N)
	for i := 0; i < m.N; i++ {
		row = row[:0]
		for j := 0; j < m.N; j++ {
			if j != i {
				var d2 float64
				for c, x := range m.Row(i) {
					d := float64(x - m.Row(j)[c])
					d2 += d * d
				}
				row = append(row, nd{int32(j), float32(math.Sqrt(d2))})
			}
		}
		sort.Slice(row, func(a, b int) bool { return row[a].d < row[b].d || row[a].d == row[b].d && row[a].j < row[b].j })
		idx, dist := g.Neighbors(i)
		for c := 0; c < k && c < len(row); c++ {
			idx[c], dist[c] = row[c].j, row[c].d
		}
	}
	return g
}

func TestSmoothKNNDist(t *testing.T) {
	m := umapTestBlobs(600, 10, 3, 4, 1)
	g := umapTestKNN(m, 20)
	for _, nn := range []int{5, 15, 21} {
		cols, nnEff := umapNeighbors(g, nn)
		sigma, rho := smoothKNNDist(g, cols, nnEff, 2)
		target := math.Log2(float64(nnEff))
		for i := 0; i < g.N; i++ {
			_, d := g.Neighbors(i)
			if rho[i] != d[0] {
				t.Fatalf("nn=%d: rho[%d] = %g, want nearest distance %g", nn, i, rho[i], d[0])
			}
			var sum float64
			for _, x := range d[:cols] {
				sum += math.Exp(-math.Max(float64(x-rho[i]), 0) / float64(sigma[i]))
			}
			// sigma is stored in float32, which moves the sum by ~1e-7 relative.
			if math.Abs(sum-target) > 1e-5+4e-7*target {
				t.Fatalf("nn=%d: row %d sums to %.8f, want log2(%d) = %.8f", nn, i, sum, nnEff, target)
			}
		}
	}
}

func TestFuzzyGraph(t *testing.T) {
	m := umapTestBlobs(300, 5, 2, 3, 2)
	g := umapTestKNN(m, 14)
	cols, nn := umapNeighbors(g, 15)
	sigma, rho := smoothKNNDist(g, cols, nn, 1)
	a := membershipStrengths(g, cols, sigma, rho)
	u := fuzzyUnion(a)
	dense := func(c *CSR) [][]float32 {
		out := make([][]float32, c.N)
		for i := range out {
			out[i] = make([]float32, c.N)
			cc, vv := c.Row(i)
			for p, j := range cc {
				if p > 0 && cc[p-1] >= j {
					t.Fatalf("row %d columns not ascending", i)
				}
				out[i][j] = vv[p]
			}
		}
		return out
	}
	da, du := dense(a), dense(u)
	for i := range da {
		if da[i][i] != 0 || du[i][i] != 0 {
			t.Fatalf("self loop at %d", i)
		}
		for j := range da {
			x, y := da[i][j], da[j][i]
			if want := x + y - x*y; math.Abs(float64(du[i][j]-want)) > 1e-6 {
				t.Fatalf("union[%d,%d] = %g, want %g", i, j, du[i][j], want)
			}
		}
		// The nearest neighbour has membership 1.
		idx, _ := g.Neighbors(i)
		if da[i][idx[0]] != 1 {
			t.Fatalf("row %d: nearest neighbour membership %g, want 1", i, da[i][idx[0]])
		}
	}
	p := pruneGraph(u, 500)
	var wmax float32
	for _, v := range u.Val {
		wmax = max(wmax, v)
	}
	for _, v := range p.Val {
		if v < wmax/500 {
			t.Fatalf("pruned graph keeps weight %g < %g", v, wmax/500)
		}
	}
}

func TestCOOToCSR(t *testing.T) {
	c := &COO{N: 3, Row: []int32{2, 0, 2, 0, 1}, Col: []int32{1, 2, 1, 0, 1}, Val: []float32{1, 2, 3, 4, 5}}
	a := c.ToCSR()
	want := [][]float32{{4, 0, 2}, {0, 5, 0}, {0, 4, 0}}
	for i := 0; i < 3; i++ {
		got := make([]float32, 3)
		cols, vals := a.Row(i)
		for p, j := range cols {
			got[j] = vals[p]
		}
		for j := range got {
			if got[j] != want[i][j] {
				t.Fatalf("row %d = %v, want %v", i, got, want[i])
			}
		}
	}
	at := a.Transpose()
	if cols, vals := at.Row(1); len(cols) != 2 || cols[0] != 1 || cols[1] != 2 || vals[1] != 4 {
		t.Fatalf("transpose row 1 = %v %v", cols, vals)
	}
}

func TestFastPow(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	var worst float64
	for range 200000 {
		x := float32(math.Exp(rng.Float64()*40 - 25)) // 1e-11 .. 3e4
		y := float32(rng.Float64()*2 - 0.5)
		got := float64(fastExp2(y * fastLog2(x)))
		want := math.Pow(float64(x), float64(y))
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 5e-6 {
		t.Errorf("fastExp2(y fastLog2(x)) worst relative error %.3g, want <= 5e-6", worst)
	}
}

// ringGraph is a cycle on n vertices with unit weights.
func ringGraph(n int) *CSR {
	c := &COO{N: n}
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		c.Row = append(c.Row, int32(i), int32(j))
		c.Col = append(c.Col, int32(j), int32(i))
		c.Val = append(c.Val, 1, 1)
	}
	return c.ToCSR()
}

// denseLaplacianVectors returns the eigenvalues (ascending) and
// eigenvectors of the normalised Laplacian of g, by gonum.
func denseLaplacianVectors(g *CSR) ([]float64, *mat.Dense) {
	n := g.N
	deg := make([]float64, n)
	for i := 0; i < n; i++ {
		_, v := g.Row(i)
		for _, x := range v {
			deg[i] += float64(x)
		}
	}
	l := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		l.SetSym(i, i, 1)
		cols, vals := g.Row(i)
		for p, j := range cols {
			l.SetSym(i, int(j), -float64(vals[p])/math.Sqrt(deg[i]*deg[j]))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(l, true) {
		panic("EigenSym failed")
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	return eig.Values(nil), &v
}

// subspaceError returns 1 - the smallest singular value of Q^T E, where Q
// holds the exact eigenvectors cols [lo, hi) and E the computed embedding
// columns (normalised): 0 when E spans the exact subspace.
func subspaceError(t *testing.T, ev *mat.Dense, lo, hi int, emb []float64, dim int) float64 {
	n, _ := ev.Dims()
	e := mat.NewDense(n, dim, nil)
	for d := 0; d < dim; d++ {
		var s float64
		for i := 0; i < n; i++ {
			s += emb[i*dim+d] * emb[i*dim+d]
		}
		for i := 0; i < n; i++ {
			e.Set(i, d, emb[i*dim+d]/math.Sqrt(s))
		}
	}
	var qe mat.Dense
	qe.Mul(ev.Slice(0, n, lo, hi).T(), e)
	var svd mat.SVD
	if !svd.Factorize(&qe, mat.SVDNone) {
		t.Fatal("SVD failed")
	}
	vals := svd.Values(nil)
	return 1 - vals[len(vals)-1]
}

func TestSpectralRing(t *testing.T) {
	// The ring's normalised Laplacian has eigenvalues 1 - cos(2 pi k/n),
	// each twice for 0 < k < n/2: the first non-trivial pair spans
	// cos(2 pi i/n), sin(2 pi i/n), a circle. A degenerate pair defeats
	// single-vector Krylov methods (ARPACK too), so this checks the dense
	// path used for small graphs and components.
	const n = 300
	g := ringGraph(n)
	emb, ok, err := spectralLayout(context.Background(), g, spectralSettings{Dim: 2, Seed: 1, Workers: 2})
	if err != nil || !ok {
		t.Fatalf("spectralLayout: ok=%v err=%v", ok, err)
	}
	var r0 float64
	for i := 0; i < n; i++ {
		r := math.Hypot(emb[2*i], emb[2*i+1])
		if i == 0 {
			r0 = r
		}
		if math.Abs(r-r0) > 1e-9*r0 {
			t.Fatalf("point %d at radius %g, point 0 at %g", i, r, r0)
		}
	}
}

func TestSpectralPath(t *testing.T) {
	// On a path 0-1-...-(n-1) the random walk's eigenfunctions are
	// cos(pi k i/(n-1)) with eigenvalues cos(pi k/(n-1)), so the normalised
	// Laplacian's eigenvectors are D^1/2 cos(pi k i/(n-1)): distinct, with
	// tiny gaps near 0 (a hard case for Lanczos).
	const n = 500
	c := &COO{N: n}
	for i := 0; i+1 < n; i++ {
		c.Row = append(c.Row, int32(i), int32(i+1))
		c.Col = append(c.Col, int32(i+1), int32(i))
		c.Val = append(c.Val, 1, 1)
	}
	g := c.ToCSR()
	emb, ok, err := spectralLayout(context.Background(), g, spectralSettings{Dim: 2, Seed: 1, Workers: 2, DenseMax: 1})
	if err != nil || !ok {
		t.Fatalf("spectralLayout: ok=%v err=%v", ok, err)
	}
	for k := 1; k <= 2; k++ {
		var dot, ne, nw float64
		for i := 0; i < n; i++ {
			w := math.Cos(math.Pi * float64(k*i) / (n - 1))
			if i > 0 && i < n-1 {
				w *= math.Sqrt2
			}
			e := emb[2*i+k-1]
			dot += w * e
			ne += e * e
			nw += w * w
		}
		if cos := math.Abs(dot) / math.Sqrt(ne*nw); cos < 1-1e-6 {
			t.Errorf("eigenvector %d: |cos| with the exact one %.9f", k+1, cos)
		}
	}
}

func TestSpectralKNNGraph(t *testing.T) {
	// A UMAP graph of 600 points in 3 noisy clusters; compare the Lanczos
	// eigenvectors with gonum's dense ones.
	m := umapTestBlobs(600, 8, 3, 2.5, 4)
	g := umapTestKNN(m, 14)
	cols, nn := umapNeighbors(g, 15)
	sigma, rho := smoothKNNDist(g, cols, nn, 2)
	graph := pruneGraph(fuzzyUnion(membershipStrengths(g, cols, sigma, rho)), 500)
	if _, nc := components(graph); nc != 1 {
		t.Fatalf("test graph has %d components", nc)
	}
	vals, ev := denseLaplacianVectors(graph)
	t.Logf("smallest Laplacian eigenvalues: %.5g", vals[:5])
	emb, ok, err := spectralLayout(context.Background(), graph, spectralSettings{Dim: 2, Seed: 1, Workers: 2, DenseMax: 1})
	if err != nil || !ok {
		t.Fatalf("spectralLayout: ok=%v err=%v", ok, err)
	}
	for d := 0; d < 2; d++ {
		col := make([]float64, graph.N)
		for i := range col {
			col[i] = emb[2*i+d]
		}
		if e := subspaceError(t, ev, 1+d, 2+d, col, 1); e > 1e-4 {
			t.Errorf("eigenvector %d: error %.3g against dense", d+2, e)
		}
	}
}

func TestSpectralComponents(t *testing.T) {
	// Two rings: each laid out as a circle around its own centre, the
	// centres at (1, 0) and (-1, 0) as umap-learn's multi_component_layout.
	a, b := ringGraph(300), ringGraph(200)
	c := &COO{N: 500}
	for _, part := range []struct {
		g   *CSR
		off int32
	}{{a, 0}, {b, 300}} {
		for i := 0; i < part.g.N; i++ {
			cols, vals := part.g.Row(i)
			for p, j := range cols {
				c.Row = append(c.Row, int32(i)+part.off)
				c.Col = append(c.Col, j+part.off)
				c.Val = append(c.Val, vals[p])
			}
		}
	}
	g := c.ToCSR()
	if _, nc := components(g); nc != 2 {
		t.Fatalf("%d components, want 2", nc)
	}
	emb, ok, err := spectralLayout(context.Background(), g, spectralSettings{Dim: 2, Seed: 1, Workers: 1})
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	for _, part := range []struct {
		lo, hi int
		cx     float64
	}{{0, 300, 1}, {300, 500, -1}} {
		var mx, r0 float64
		for i := part.lo; i < part.hi; i++ {
			dx, dy := emb[2*i]-part.cx, emb[2*i+1]
			mx = max(mx, math.Abs(dx), math.Abs(dy))
			r := math.Hypot(dx, dy)
			if i == part.lo {
				r0 = r
			}
			if math.Abs(r-r0) > 1e-6*r0 {
				t.Fatalf("point %d at distance %g from its centre, point %d at %g", i, r, part.lo, r0)
			}
		}
		if math.Abs(mx-1) > 1e-9 {
			t.Errorf("component at %g: max |coordinate| %g, want 1 (half the centre distance)", part.cx, mx)
		}
	}
}

func TestUMAPForceTable(t *testing.T) {
	a, b := FitUMAPCurve(1, 0.1)
	for _, c := range []struct {
		name string
		f    func(d2 float64) float64
	}{
		{"attractive", func(d2 float64) float64 { return -2 * a * b * math.Pow(d2, b-1) / (a*math.Pow(d2, b) + 1) }},
		{"repulsive", func(d2 float64) float64 { return 2 * b / ((0.001 + d2) * (a*math.Pow(d2, b) + 1)) }},
	} {
		tab := newUMAPForceTable(c.f)
		rng := rand.New(rand.NewPCG(5, 5))
		var worst float64
		for range 200000 {
			d2 := float32(math.Exp2(rng.Float64()*70 - 35))
			got, ok := tab.at(d2)
			if !ok {
				t.Fatalf("%s: %g outside the table", c.name, d2)
			}
			want := c.f(float64(d2))
			worst = max(worst, math.Abs(float64(got)-want)/math.Abs(want))
		}
		t.Logf("%s: worst relative error %.3g", c.name, worst)
		if worst > 2e-4 {
			t.Errorf("%s: worst relative error %.3g > 2e-4", c.name, worst)
		}
		if _, ok := tab.at(float32(math.Exp2(41))); ok {
			t.Errorf("%s: 2^41 inside the table", c.name)
		}
		if _, ok := tab.at(float32(math.Exp2(-41))); ok {
			t.Errorf("%s: 2^-41 inside the table", c.name)
		}
	}
}

func TestLanczosNoConvergence(t *testing.T) {
	// A hard spectrum and a tiny budget: the solver must give up cleanly.
	g := ringGraph(2000)
	op := func(dst, src []float64) { g.MulVec(dst, src) }
	_, _, err := lanczosLargest(context.Background(), op, g.N, lanczosSettings{
		NEV: 2, NCV: 10, MaxMatVec: 30, Seed: 1,
		Tol: func(float64) float64 { return 1e-12 },
	})
	if err != errNoConvergence {
		t.Fatalf("err = %v, want errNoConvergence", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := lanczosLargest(ctx, op, g.N, lanczosSettings{NEV: 2, NCV: 10, MaxMatVec: 30, Tol: func(float64) float64 { return 1e-12 }}); err != context.Canceled {
		t.Fatalf("cancelled: err = %v", err)
	}
}
