package projection

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestBoundedSearchMatchesBruteForce checks the pruned exact search against
// the brute-force one, on low-rank data (where the bound prunes hard) and
// on isotropic data (where it barely prunes).
func TestBoundedSearchMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name       string
		rank       int
		noise      float64
		duplicates bool
	}{{"low-rank", 12, 0.05, false}, {"isotropic", 0, 1, false}, {"duplicates", 8, 0.01, true}} {
		const n, d, k = 3000, 160, 10
		m := NewMatrix(n, d)
		basis := make([]float64, max(tc.rank, 1)*d)
		for i := range basis {
			basis[i] = rng.NormFloat64()
		}
		for i := range n {
			row := m.Row(i)
			for r := range tc.rank {
				z := rng.NormFloat64()
				for c := range row {
					row[c] += float32(z * basis[r*d+c])
				}
			}
			for c := range row {
				row[c] += float32(tc.noise * rng.NormFloat64())
			}
		}
		if tc.duplicates {
			for i := 0; i < 200; i++ {
				copy(m.Row(i+1000), m.Row(i))
			}
		}
		ctx := context.Background()
		norms := rowSqNorms(m, 2)
		want, err := exactSearch(ctx, m, norms, m, norms, nil, k, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := exactSearchBound(ctx, m, norms, m, norms, nil, k, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		// QueryIndex with the bound against the plain scan.
		ix := &QueryIndex{m: m, norms: norms, bound: newSubspaceBound(m, boundDims, 7, 2)}
		for i := 0; i < n; i += 97 {
			for _, ex := range []int{i, -1} {
				qi, qd := ix.Query(m.Row(i), k, ex)
				ei, ed := ExactQuery(m, m.Row(i), k, ex)
				for r := range k {
					if qd[r] != ed[r] || qi[r] != ei[r] {
						t.Fatalf("%s: QueryIndex(row %d, exclude %d) = %v %v, ExactQuery %v %v", tc.name, i, ex, qi, qd, ei, ed)
					}
				}
			}
		}
		for i := range n {
			gi, gd := got.Neighbors(i)
			wi, wd := want.Neighbors(i)
			for r := range k {
				if math.Abs(float64(gd[r]-wd[r])) > 1e-4*(1+float64(wd[r])) {
					t.Fatalf("%s: row %d rank %d: distance %g, brute force %g", tc.name, i, r, gd[r], wd[r])
				}
				if gi[r] != wi[r] && math.Abs(float64(gd[r]-wd[r])) > 1e-6*(1+float64(wd[r])) {
					t.Fatalf("%s: row %d rank %d: index %d, brute force %d", tc.name, i, r, gi[r], wi[r])
				}
			}
		}
	}
}
