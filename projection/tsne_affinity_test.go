package projection

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomCond returns an n x n CSR with up to k entries a row, sorted,
// without repeats or diagonal entries: columns drawn near the row (so
// that many pairs meet their transposed partner) or anywhere, values
// positive, some tiny enough that their sum scaled comes to 0 in float32,
// some exactly 0.
func randomCond(rng *rand.Rand, n, k int) *CSR {
	c := &CSR{N: n, RowPtr: make([]int, n+1)}
	for i := 0; i < n; i++ {
		seen := map[int32]bool{}
		m := rng.IntN(k + 1)
		if i%11 == 3 {
			m = 0 // empty rows
		}
		var cols []int32
		for len(cols) < m {
			j := int32(rng.IntN(n))
			if rng.IntN(3) > 0 {
				j = int32((i + n + rng.IntN(9) - 4) % n)
			}
			if int(j) == i || seen[j] {
				if len(seen) >= n-1 {
					break
				}
				continue
			}
			seen[j] = true
			cols = append(cols, j)
		}
		slices.Sort(cols)
		for _, j := range cols {
			v := rng.Float32()
			switch rng.IntN(10) {
			case 0:
				v = 0
			case 1:
				v = 1e-44 // a denormal: (x+y)/2N rounds to 0 in float32
			}
			c.Col = append(c.Col, j)
			c.Val = append(c.Val, v)
		}
		c.RowPtr[i+1] = len(c.Col)
	}
	return c
}

// TestSymmetrizeJointMatchesSymmetrize checks t-SNE's lean symmetrisation
// against the general CSR.Symmetrize (a transpose and a merge): the same
// pattern, the same float32 values bit for bit, zeros dropped, for any
// number of workers.
func TestSymmetrizeJointMatchesSymmetrize(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ n, k int }{{1, 0}, {2, 1}, {5, 4}, {40, 6}, {300, 12}, {2000, 30}} {
		c := randomCond(rng, tc.n, tc.k)
		scale := 1 / (2 * float64(tc.n))
		want := c.Symmetrize(func(x, y float32) float32 { return float32((float64(x) + float64(y)) * scale) })
		for _, workers := range []int{1, 2, 3, 8} {
			got := symmetrizeJoint(c, scale, workers)
			if got.N != want.N || !slices.Equal(got.RowPtr, want.RowPtr) || !slices.Equal(got.Col, want.Col) || !slices.Equal(got.Val, want.Val) {
				t.Fatalf("n=%d k=%d workers=%d: differs from Symmetrize (nnz %d, want %d)", tc.n, tc.k, workers, got.NNZ(), want.NNZ())
			}
		}
		if tc.n == 2000 && (want.NNZ() <= c.NNZ() || want.NNZ() >= 2*c.NNZ()) {
			t.Errorf("test matrix too easy: nnz %d of %d", want.NNZ(), c.NNZ())
		}
	}
}

// knnLikeCond returns an n x n CSR of k entries a row, as t-SNE's
// conditional affinities: three quarters of the columns within 200 rows
// of the diagonal, the rest anywhere.
func knnLikeCond(n, k int) *CSR {
	rng := rand.New(rand.NewPCG(1, 2))
	c := &CSR{N: n, RowPtr: make([]int, n+1)}
	for i := 0; i < n; i++ {
		seen := map[int32]bool{}
		var cols []int32
		for len(cols) < k {
			j := int32(rng.IntN(n))
			if rng.IntN(4) > 0 {
				j = int32((i + n + rng.IntN(400) - 200) % n)
			}
			if int(j) != i && !seen[j] {
				seen[j] = true
				cols = append(cols, j)
			}
		}
		slices.Sort(cols)
		for _, j := range cols {
			c.Col = append(c.Col, j)
			c.Val = append(c.Val, rng.Float32())
		}
		c.RowPtr[i+1] = len(c.Col)
	}
	return c
}

// BenchmarkSymmetrizeJoint compares t-SNE's symmetrisation of 70,000 rows
// of 90 affinities with the general CSR.Symmetrize it replaced.
func BenchmarkSymmetrizeJoint(b *testing.B) {
	c := knnLikeCond(70000, 90)
	scale := 1 / (2 * float64(c.N))
	b.Run("joint", func(b *testing.B) {
		for range b.N {
			symmetrizeJoint(c, scale, workerCount(0))
		}
	})
	b.Run("Symmetrize", func(b *testing.B) {
		for range b.N {
			c.Symmetrize(func(x, y float32) float32 { return float32((float64(x) + float64(y)) * scale) })
		}
	})
}
