package projection

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// pcaReference computes PCA scores with gonum's stat.PC (SVD-based).
func pcaReference(m *Matrix, k int) (scores *mat.Dense, vars []float64) {
	x := mat.NewDense(m.N, m.D, nil)
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.D; j++ {
			x.Set(i, j, float64(m.Data[i*m.D+j]))
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		panic("stat.PC failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars = pc.VarsTo(nil)[:k]
	var centred mat.Dense
	centred.CloneFrom(x)
	for j := 0; j < m.D; j++ {
		col := mat.Col(nil, j, x)
		mu := stat.Mean(col, nil)
		for i := 0; i < m.N; i++ {
			centred.Set(i, j, col[i]-mu)
		}
	}
	scores = mat.NewDense(m.N, k, nil)
	scores.Mul(&centred, vecs.Slice(0, m.D, 0, k))
	return scores, vars
}

func randomPCAData(n, d int, sparsity float64, seed uint64) *Matrix {
	rng := rand.New(rand.NewPCG(seed, 1))
	m := NewMatrix(n, d)
	for i := 0; i < n; i++ {
		// Correlated columns so the spectrum has a clear order.
		a, b := rng.NormFloat64()*3, rng.NormFloat64()
		for j := 0; j < d; j++ {
			if rng.Float64() < sparsity {
				continue
			}
			m.Data[i*d+j] = float32(a*math.Sin(float64(j)) + b*math.Cos(float64(3*j)) + 0.1*rng.NormFloat64() + 1)
		}
	}
	return m
}

func TestPCAMatchesGonumStatPC(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sparsity float64
		block    int
	}{{"dense", 0, 16}, {"sparse", 0.85, 7}} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomPCAData(300, 20, tc.sparsity, 3)
			res, err := PCA(context.Background(), m, 3, PCASettings{BlockRows: tc.block, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			ref, vars := pcaReference(m, 3)
			for c := 0; c < 3; c++ {
				if math.Abs(res.Variance[c]-vars[c]) > 1e-4*vars[0] {
					t.Errorf("variance %d = %v, want %v", c, res.Variance[c], vars[c])
				}
				// Components agree up to sign.
				sign := 1.0
				if float64(res.Scores.Data[c])*ref.At(0, c) < 0 {
					sign = -1
				}
				for i := 0; i < m.N; i++ {
					got, want := float64(res.Scores.Data[i*3+c]), sign*ref.At(i, c)
					if math.Abs(got-want) > 1e-3*math.Sqrt(vars[0]) {
						t.Fatalf("score[%d][%d] = %v, want %v", i, c, got, want)
					}
				}
			}
		})
	}
}

func TestPCADeterministicAndSigned(t *testing.T) {
	m := randomPCAData(500, 12, 0.5, 9)
	a, err := PCA(context.Background(), m, 2, PCASettings{Workers: 2, BlockRows: 50})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PCA(context.Background(), m, 2, PCASettings{Workers: 2, BlockRows: 50})
	for i := range a.Scores.Data {
		if a.Scores.Data[i] != b.Scores.Data[i] {
			t.Fatalf("runs differ at %d", i)
		}
	}
	for c := 0; c < 2; c++ {
		row, big := a.Components.Row(c), float32(0)
		for _, v := range row {
			if pcaTestAbs(v) > pcaTestAbs(big) {
				big = v
			}
		}
		if big <= 0 {
			t.Errorf("component %d's largest entry %v is not positive", c, big)
		}
	}
}

func TestPCAErrorsAndCancel(t *testing.T) {
	m := randomPCAData(10, 4, 0, 1)
	if _, err := PCA(context.Background(), m, 5, PCASettings{}); err == nil {
		t.Error("k > D accepted")
	}
	if _, err := PCA(context.Background(), NewMatrix(1, 4), 1, PCASettings{}); err == nil {
		t.Error("1 row accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PCA(ctx, m, 2, PCASettings{}); err != context.Canceled {
		t.Errorf("cancelled PCA returned %v", err)
	}
}

func pcaTestAbs(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// spectrumData returns n x d rows x_i = mean + sum_r a_ir s_r b_r + noise
// with orthogonal-ish patterns b_r and scales s_r = 2^-r: a spectrum with
// clear gaps between its first components.
func spectrumData(n, d, rank int, seed uint64) *Matrix {
	rng := rand.New(rand.NewPCG(seed, 2))
	m := NewMatrix(n, d)
	for i := 0; i < n; i++ {
		row := m.Row(i)
		for j := range row {
			row[j] = 0.5 + 0.01*float32(rng.NormFloat64())
		}
		for r := 0; r < rank; r++ {
			a := rng.NormFloat64() * math.Pow(2, -float64(r))
			for j := range row {
				row[j] += float32(a * math.Cos(float64((r+1)*j)*0.37+float64(r)))
			}
		}
	}
	return m
}

// hiddenSource hides a *Matrix behind the Source interface, so that PCA
// copies blocks instead of viewing the matrix.
type hiddenSource struct{ m *Matrix }

func (h hiddenSource) Dims() (int, int)               { return h.m.Dims() }
func (h hiddenSource) Rows(dst []float32, lo, hi int) { h.m.Rows(dst, lo, hi) }

// TestPCAIterativeMatchesDense compares the matrix-free method with the
// dense covariance on data where both apply: on the covariance (D <= N) and
// the Gram side (D > N), with the data viewed in place and streamed.
func TestPCAIterativeMatchesDense(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n, d, k int
		hidden  bool
	}{
		{"covariance", 400, 60, 5, false},
		{"gram", 90, 700, 6, false},
		{"gram streamed", 90, 700, 6, true},
		{"one component", 500, 120, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := spectrumData(tc.n, tc.d, 8, 5)
			var src Source = m
			if tc.hidden {
				src = hiddenSource{m}
			}
			s := PCASettings{Workers: 3, BlockRows: 37}
			want, err := pca(context.Background(), m, tc.k, s, pcaDenseMethod)
			if err != nil {
				t.Fatal(err)
			}
			for _, method := range []pcaMethod{pcaExplicit, pcaImplicit} {
				got, err := pca(context.Background(), src, tc.k, s, method)
				if err != nil {
					t.Fatal(err)
				}
				comparePCA(t, got, want, tc.k)
			}
		})
	}
}

// comparePCA fails t unless got and want agree within the accuracy of the
// dense method's float32 products.
func comparePCA(t *testing.T, got, want *PCAResult, k int) {
	t.Helper()
	if math.Abs(got.TotalVariance-want.TotalVariance) > 1e-6*want.TotalVariance {
		t.Errorf("total variance %v, dense %v", got.TotalVariance, want.TotalVariance)
	}
	for c := 0; c < k; c++ {
		if math.Abs(got.Variance[c]-want.Variance[c]) > 1e-6*want.Variance[0] {
			t.Errorf("variance %d = %v, dense %v", c, got.Variance[c], want.Variance[c])
		}
		for j, v := range got.Components.Row(c) {
			if w := want.Components.Row(c)[j]; math.Abs(float64(v-w)) > 1e-4 {
				t.Fatalf("component %d [%d] = %v, dense %v", c, j, v, w)
			}
		}
	}
	tol := 1e-3 * math.Sqrt(want.Variance[0])
	for i, v := range got.Scores.Data {
		if w := want.Scores.Data[i]; math.Abs(float64(v-w)) > tol {
			t.Fatalf("score %d = %v, dense %v", i, v, w)
		}
	}
}

// TestPCAIterativeSameForAnyWorkers checks the matrix-free method's claim
// that the number of workers does not change a bit of the result.
func TestPCAIterativeSameForAnyWorkers(t *testing.T) {
	m := spectrumData(50, 3000, 6, 8)
	a, err := PCA(context.Background(), m, 3, PCASettings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := PCA(context.Background(), hiddenSource{m}, 3, PCASettings{Workers: 3, BlockRows: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Scores.Data, b.Scores.Data) || !slices.Equal(a.Components.Data, b.Components.Data) {
		t.Error("1 worker and 3 workers (other blocks) give different results")
	}
}

// TestPCABeyondRank asks for more components than the data's rank (12
// rows of 2,500 columns: rank 11 once centred). The extra axes have zero
// variance and zero scores, and all axes are orthonormal.
func TestPCABeyondRank(t *testing.T) {
	m := spectrumData(12, 2500, 20, 3)
	const k = 15
	r, err := PCA(context.Background(), m, k, PCASettings{})
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < k; c++ {
		if c >= 11 && r.Variance[c] > 1e-9*r.TotalVariance {
			t.Errorf("variance %d = %v beyond the rank", c, r.Variance[c])
		}
		for c2 := 0; c2 <= c; c2++ {
			var dot float64
			for j, v := range r.Components.Row(c) {
				dot += float64(v) * float64(r.Components.Row(c2)[j])
			}
			if want := btof(c == c2); math.Abs(dot-want) > 1e-5 {
				t.Errorf("component %d . %d = %v, want %v", c, c2, dot, want)
			}
		}
	}
	var sum float64
	for _, v := range r.Variance {
		sum += v
	}
	if math.Abs(sum-r.TotalVariance) > 1e-6*r.TotalVariance {
		t.Errorf("variances add up to %v of %v", sum, r.TotalVariance)
	}
	for i := 0; i < m.N; i++ {
		for c := 11; c < k; c++ {
			if v := r.Scores.Data[i*k+c]; math.Abs(float64(v)) > 1e-3 {
				t.Fatalf("score[%d][%d] = %v beyond the rank", i, c, v)
			}
		}
	}
}

// TestPCARefusesOverBudget checks that a run needing more than the budget
// is refused, before allocating, with both figures in the error.
func TestPCARefusesOverBudget(t *testing.T) {
	m := spectrumData(10, 20, 2, 1)
	_, err := PCA(context.Background(), m, 2, PCASettings{MemoryBudget: 1000})
	if err == nil || !strings.Contains(err.Error(), "over the budget of 1000 B") || !strings.Contains(err.Error(), "needs about") {
		t.Errorf("err = %v, want a refusal stating the need and the budget", err)
	}
	// A million columns at 100 components: a D x D covariance would take
	// 8 TB; the matrix-free estimate fits the default budget.
	if need := pcaMemoryIterative(2000, 1<<20, 100, 8, 4, false); need > DefaultPCAMemoryBudget {
		t.Errorf("2000 x 2^20 to 100 components: estimate %s", formatBytes(need))
	}
}

func btof(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// largeImageData returns n synthetic "images" of d pixels in [0, 1]: a few
// smooth patterns mixed per row, plus noise. It is cheap to make at
// 2,000 x 40,000.
func largeImageData(n, d int) *Matrix {
	const rank = 6
	pat := make([][]float32, rank)
	for r := range pat {
		pat[r] = make([]float32, d)
		for j := range pat[r] {
			pat[r][j] = float32(math.Cos(float64((r+1)*j) * 0.001 * float64(r+1)))
		}
	}
	m := NewMatrix(n, d)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < n; i++ {
		row := m.Row(i)
		var a [rank]float32
		for r := range a {
			a[r] = float32(rng.NormFloat64()) * 0.08 / float32(r+1)
		}
		h := uint32(i)*2654435761 + 1
		for j := range row {
			h ^= h << 13
			h ^= h >> 17
			h ^= h << 5
			v := 0.5 + 0.02*(float32(h&0xffff)/65536-0.5)
			for r := range a {
				v += a[r] * pat[r][j]
			}
			row[j] = v
		}
	}
	return m
}

// BenchmarkPCALargeImages is PCA at the size a probe found out of memory:
// 2,000 images of 200x200 pixels, to 2 components (the PCA layout) and to
// 100 (t-SNE's first step). Data generation is not timed.
func BenchmarkPCALargeImages(b *testing.B) {
	m := largeImageData(2000, 40000)
	for _, k := range []int{2, 100} {
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			for b.Loop() {
				r, err := PCA(context.Background(), m, k, PCASettings{})
				if err != nil {
					b.Fatal(err)
				}
				pcaSink = r
			}
		})
	}
}

var pcaSink *PCAResult
