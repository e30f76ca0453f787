package projection

import (
	"context"
	"math"
	"math/rand/v2"
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
