package projection

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestQuantRowsGrid checks which data newQuantRows accepts as bytes and
// that the bytes it keeps, in its order, give back every value: pixels
// v/255 over the full range and over part of it (no white), a shifted and
// scaled grid, and refusals for values off any grid, NaN and infinity.
func TestQuantRowsGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, d = 50, 70
	make8 := func(top int, value func(q int) float32) *Matrix {
		m := NewMatrix(n, d)
		for i := range m.Data {
			m.Data[i] = value(rng.IntN(top + 1))
		}
		m.Data[0] = value(top) // the range is reached
		m.Data[1] = value(0)
		return m
	}
	perm := rng.Perm(n)
	perm32 := make([]int32, n)
	for i, p := range perm {
		perm32[i] = int32(p)
	}
	for _, tc := range []struct {
		name   string
		m      *Matrix
		step   float64
		accept bool
	}{
		{"pixels", make8(255, func(q int) float32 { return float32(q) * (1.0 / 255) }), 1.0 / 255, true},
		{"pixels divided", make8(255, func(q int) float32 { return float32(q) / 255 }), 1.0 / 255, true},
		{"no white", make8(200, func(q int) float32 { return float32(q) * (1.0 / 255) }), 1.0 / 255, true},
		{"shifted grid", make8(255, func(q int) float32 { return -3 + 0.5*float32(q) }), 0.5, true},
		{"257 levels", make8(256, func(q int) float32 { return float32(q) / 256 }), 0, false},
		{"off grid", make8(255, func(q int) float32 { return float32(q)/255 + 0.3/255*float32(q%2) }), 0, false},
	} {
		q := newQuantRows(tc.m, perm32, 3)
		if (q != nil) != tc.accept {
			t.Errorf("%s: accepted %v, want %v", tc.name, q != nil, tc.accept)
			continue
		}
		if q == nil {
			continue
		}
		defer q.release()
		if math.Abs(q.step-tc.step) > 1e-9*tc.step {
			t.Errorf("%s: step %g, want %g", tc.name, q.step, tc.step)
		}
		lo := tc.m.Data[1]
		for a := range n {
			i := int(q.perm[a])
			if q.inv[i] != int32(a) {
				t.Fatalf("%s: inv[%d] = %d, want %d", tc.name, i, q.inv[i], a)
			}
			for c, b := range q.row(int32(a)) {
				want := tc.m.Row(i)[c]
				if got := float64(lo) + float64(b)*q.step; math.Abs(got-float64(want)) > 1e-6*(1+math.Abs(float64(want))) {
					t.Fatalf("%s: row %d col %d: byte %d gives %g, want %g", tc.name, i, c, b, got, want)
				}
			}
		}
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		m := make8(255, func(q int) float32 { return float32(q) / 255 })
		m.Data[7] = bad
		if newQuantRows(m, perm32, 2) != nil {
			t.Errorf("accepted a matrix holding %v", bad)
		}
	}
}

// TestNNDescentBytesMatchFloat runs NN-descent on pixel-like data (bytes
// /255, with duplicate rows) as bytes and, with one value nudged off the
// grid, as float32: both are held to the exact neighbours, and the byte
// search's graph must carry exact distances, sorted, in the matrix's own
// numbering.
func TestNNDescentBytesMatchFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, d, k = 2500, 96, 10
	m := NewMatrix(n, d)
	centres := make([][]float64, 20)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = rng.Float64() * 255
		}
	}
	for i := range n {
		c := centres[rng.IntN(len(centres))]
		for j := range d {
			v := math.Round(c[j] + 40*rng.NormFloat64())
			m.Data[i*d+j] = float32(min(255, max(0, v))) * (1.0 / 255)
		}
	}
	for i := 0; i < 40; i++ { // duplicates
		copy(m.Row(n-1-i), m.Row(i))
	}
	ctx := context.Background()
	exact, err := exactKNN(ctx, m, k, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	off := &Matrix{N: n, D: d, Data: append([]float32(nil), m.Data...)}
	off.Data[5] += 0.3 / 255
	s := KNNSettings{Method: "nndescent", Seed: 3}
	for _, tc := range []struct {
		name  string
		m     *Matrix
		bytes bool
	}{{"bytes", m, true}, {"float", off, false}} {
		q := newQuantRows(tc.m, identityPerm(n), 1)
		if got := q != nil; got != tc.bytes {
			t.Fatalf("%s: searched as bytes %v, want %v", tc.name, got, tc.bytes)
		}
		if q != nil {
			q.release()
		}
		g, err := NearestNeighbors(ctx, tc.m, k, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := KNNRecall(g, exact)
		t.Logf("%s: recall %.4f", tc.name, r)
		if r < 0.97 {
			t.Errorf("%s: recall %.4f < 0.97", tc.name, r)
		}
		for i := range n {
			idx, dist := g.Neighbors(i)
			for e, j := range idx {
				if j < 0 || int(j) == i || (e > 0 && pairLess(dist[e], j, dist[e-1], idx[e-1])) {
					t.Fatalf("%s: row %d: bad or unsorted list %v %v", tc.name, i, idx, dist)
				}
				want := math.Sqrt(float64(sqDistGo(tc.m.Row(i), tc.m.Row(int(j)))))
				if math.Abs(float64(dist[e])-want) > 1e-5*(1+want) {
					t.Fatalf("%s: row %d: distance to %d is %g, want %g", tc.name, i, j, dist[e], want)
				}
			}
		}
	}
}

func identityPerm(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}
