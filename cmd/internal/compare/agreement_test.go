package compare

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteNeighbors is LayoutNeighbors' rule written out directly: every pair's
// squared distance in float32, sorted by (distance, row), non-finite rows
// skipped, on the raw coordinates.
func bruteNeighbors(pos []float32, k int) []int32 {
	n := len(pos) / 2
	finite := func(i int) bool {
		x, y := float64(pos[2*i]), float64(pos[2*i+1])
		return !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0)
	}
	out := make([]int32, 0, n*k)
	type cand struct {
		d float32
		j int32
	}
	for i := range n {
		var cs []cand
		for j := range n {
			if j == i || !finite(i) || !finite(j) {
				continue
			}
			dx, dy := pos[2*j]-pos[2*i], pos[2*j+1]-pos[2*i+1]
			cs = append(cs, cand{dx*dx + dy*dy, int32(j)})
		}
		slices.SortFunc(cs, func(a, b cand) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.j, b.j)) })
		for s := range k {
			if s < len(cs) {
				out = append(out, cs[s].j)
			} else {
				out = append(out, -1)
			}
		}
	}
	return out
}

// bruteAgreement counts shared neighbours with a set per row.
func bruteAgreement(na, nb []int32, k int) ([]float32, float64) {
	n := len(na) / k
	agree := make([]float32, n)
	sum := 0.0
	for i := range n {
		in := map[int32]bool{}
		for _, j := range na[i*k : (i+1)*k] {
			if j >= 0 {
				in[j] = true
			}
		}
		c := 0
		for _, j := range nb[i*k : (i+1)*k] {
			if in[j] {
				c++
				delete(in, j)
			}
		}
		agree[i] = float32(c) / float32(k)
		sum += float64(c) / float64(k)
	}
	return agree, sum / float64(n)
}

func uniformLayout(rng *rand.Rand, n int) []float32 {
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = rng.Float32()
	}
	return pos
}

// latticeLayout puts n rows on a small integer grid, several per node:
// distances are exact small integers, full of ties and duplicates, so only
// the tie rule (by row) decides the neighbours.
func latticeLayout(rng *rand.Rand, n int) []float32 {
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = float32(rng.IntN(8))
	}
	return pos
}

// clusteredLayout draws n rows around ten centres of very different spread.
func clusteredLayout(rng *rand.Rand, n int) []float32 {
	pos := make([]float32, 2*n)
	for i := range n {
		c := float64(i % 10)
		s := math.Pow(10, c/3-2)
		pos[2*i] = float32(10*math.Cos(c) + s*rng.NormFloat64())
		pos[2*i+1] = float32(10*math.Sin(c) + s*rng.NormFloat64())
	}
	return pos
}

// TestLayoutNeighborsBruteForce checks the exact neighbours, ties included,
// against a direct O(N^2) ranking.
func TestLayoutNeighborsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	layouts := map[string][]float32{
		"uniform":   uniformLayout(rng, 300),
		"lattice":   latticeLayout(rng, 400),
		"clustered": clusteredLayout(rng, 350),
	}
	for name, pos := range layouts {
		for _, k := range []int{1, 4, 15} {
			got, err := LayoutNeighbors(pos, k, 3)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteNeighbors(pos, k); !slices.Equal(got, want) {
				t.Errorf("%s, k=%d: neighbours differ from brute force", name, k)
			}
		}
	}
}

// TestAgreementBruteForce compares Agreement with a direct computation on
// layouts that agree in part (b is a noisy copy of a), ties included.
func TestAgreementBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 9))
	for _, tc := range []struct {
		name string
		a    []float32
		k    int
	}{
		{"uniform", uniformLayout(rng, 300), 15},
		{"lattice", latticeLayout(rng, 300), 7},
		{"clustered", clusteredLayout(rng, 400), 0},
	} {
		n := len(tc.a) / 2
		b := make([]float32, len(tc.a))
		for i := range b {
			b[i] = tc.a[i] + float32(0.05*rng.NormFloat64())
		}
		b[2*(n-1)] = float32(math.NaN()) // one row lost in b
		k := cmp.Or(tc.k, DefaultK)
		wantAgree, wantMean := bruteAgreement(bruteNeighbors(tc.a, k), bruteNeighbors(b, k), k)
		agree, mean, err := Agreement(tc.a, b, tc.k, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(agree, wantAgree) {
			t.Errorf("%s: agreement differs from brute force", tc.name)
		}
		if math.Abs(mean-wantMean) > 1e-12 {
			t.Errorf("%s: mean = %v, want %v", tc.name, mean, wantMean)
		}
		if mean < 0.1 || mean > 0.95 {
			t.Errorf("%s: mean %v: the noisy copy should agree in part", tc.name, mean)
		}
	}
}

// TestAgreementIdentical checks that a layout agrees fully with itself, and
// with scaled, rotated, translated and mirrored copies of itself. (The copies
// are stored in float32, so a translation far larger than the layout's
// tightest cluster would round nearby points together and change ties; these
// stay within a few times the layout's extent.)
func TestAgreementIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2))
	a := clusteredLayout(rng, 500)
	copies := map[string]func(x, y float64) (float64, float64){
		"same":       func(x, y float64) (float64, float64) { return x, y },
		"rotated":    func(x, y float64) (float64, float64) { return 0.6*x - 0.8*y, 0.8*x + 0.6*y },
		"scaled":     func(x, y float64) (float64, float64) { return 37.5 * x, 37.5 * y },
		"translated": func(x, y float64) (float64, float64) { return x + 3.25, y - 2.5 },
		"all three": func(x, y float64) (float64, float64) {
			c, s := math.Cos(2.1), math.Sin(2.1)
			return 1e3*(c*x-s*y) + 500, 1e3*(s*x+c*y) - 700
		},
		"mirrored": func(x, y float64) (float64, float64) { return -x, y },
	}
	for name, f := range copies {
		b := make([]float32, len(a))
		for i := 0; i < len(a); i += 2 {
			x, y := f(float64(a[i]), float64(a[i+1]))
			b[i], b[i+1] = float32(x), float32(y)
		}
		agree, mean, err := Agreement(a, b, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range agree {
			if v != 1 {
				t.Errorf("%s: row %d agreement %v, want 1", name, i, v)
				break
			}
		}
		if mean != 1 {
			t.Errorf("%s: mean %v, want 1", name, mean)
		}
	}
}

// TestAgreementRandom checks that two unrelated layouts agree about as much
// as chance: each row's k neighbours in b are k of the N-1 others, so the
// expected share of a's k among them is k/(N-1).
func TestAgreementRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 4))
	const n, k = 3000, 15
	a, b := uniformLayout(rng, n), clusteredLayout(rng, n)
	rng.Shuffle(n, func(i, j int) {
		b[2*i], b[2*j] = b[2*j], b[2*i]
		b[2*i+1], b[2*j+1] = b[2*j+1], b[2*i+1]
	})
	_, mean, err := Agreement(a, b, k, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Each row's shared count is about hypergeometric: mean k^2/(N-1) =
	// 0.075, variance about the same, so the mean of N = 3000 of them has a
	// standard deviation near 0.005 shared neighbours, 3.3e-4 in agreement;
	// the bound is 6 of those, leaving room for the rows' weak dependence.
	want := float64(k) / (n - 1)
	if math.Abs(mean-want) > 6*3.3e-4 {
		t.Errorf("mean agreement of unrelated layouts = %.5f, want %.5f ± %.5f", mean, want, 6*3.3e-4)
	}
}

// TestLayoutNeighborsScale checks that coordinates far outside float32's
// comfortable range (squares that overflow or underflow) give the same
// neighbours as the same layout near 1.
func TestLayoutNeighborsScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 6))
	pos := clusteredLayout(rng, 300)
	want := bruteNeighbors(pos, 10)
	for _, scale := range []float64{0x1p100, 0x1p-100, 3e30, 7e-31} {
		p := make([]float32, len(pos))
		for i, v := range pos {
			p[i] = float32(float64(v) * scale)
		}
		got, err := LayoutNeighbors(p, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("scale %g: neighbours differ from those at scale 1", scale)
		}
	}
}

// TestAgreementNonFinite checks that NaN and infinite coordinates neither
// panic nor disturb the finite rows: such a row has no neighbours, is nobody's
// neighbour, and scores 0.
func TestAgreementNonFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 8))
	const n, k = 200, 8
	a, b := uniformLayout(rng, n), uniformLayout(rng, n)
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	bad := map[int]bool{}
	for i, v := range []float32{nan, inf, -inf, nan, inf} {
		a[2*(10*i)+i%2] = v   // rows 0, 10, 20, 30, 40 in a
		b[2*(10*i+5)+i%2] = v // rows 5, 15, ... in b
		bad[10*i], bad[10*i+5] = true, true
	}
	na, err := LayoutNeighbors(a, k, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := bruteNeighbors(a, k); !slices.Equal(na, want) {
		t.Errorf("neighbours of the finite rows differ from brute force over them")
	}
	for i := 0; i < 50; i += 10 {
		for _, j := range na[i*k : (i+1)*k] {
			if j != -1 {
				t.Fatalf("non-finite row %d has neighbour %d", i, j)
			}
		}
	}
	for _, j := range na {
		if j >= 0 && j%10 == 0 && j < 50 {
			t.Fatalf("non-finite row %d listed as a neighbour", j)
		}
	}
	agree, _, err := Agreement(a, b, k, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range bad {
		if agree[i] != 0 {
			t.Errorf("row %d, non-finite in one layout, agreement %v, want 0", i, agree[i])
		}
	}

	// Almost nothing finite: fewer than k+1 rows, all padded.
	few := make([]float32, 2*n)
	for i := range few {
		few[i] = nan
	}
	few[0], few[1], few[2], few[3], few[4], few[5] = 0, 0, 1, 0, 5, 5
	g, err := LayoutNeighbors(few, k, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := bruteNeighbors(few, k); !slices.Equal(g, want) {
		t.Errorf("three finite rows: neighbours %v, want %v", g[:3*k], want[:3*k])
	}
	if _, mean, err := Agreement(few, few, k, 0); err != nil || mean != 6.0/(n*k) {
		t.Errorf("three finite rows agree with themselves: mean %v, err %v, want %v", mean, err, 6.0/(n*k))
	}
}

// TestAgreementWorkers checks that the result does not depend on workers.
func TestAgreementWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 10))
	a, b := clusteredLayout(rng, 1000), uniformLayout(rng, 1000)
	ref, refMean, err := Agreement(a, b, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 5, 1000, 5000} {
		got, mean, err := Agreement(a, b, 0, w)
		if err != nil || !slices.Equal(got, ref) || mean != refMean {
			t.Errorf("workers=%d: result differs from workers=1 (err %v)", w, err)
		}
	}
}

// TestNeighborAgreementSets checks that repeated entries count once and empty
// slots never, and that dst is reused.
func TestNeighborAgreementSets(t *testing.T) {
	na := []int32{1, 1, 0, -1 /* row 0 */, 0, 1, 0, -1 /* row 1 */}
	nb := []int32{1, 0, 0, 1 /* row 0 */, -1, -1, -5, -1 /* row 1 */}
	dst := make([]float32, 0, 8)
	agree, mean, err := NeighborAgreement(dst, na, nb, 4, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{0.5, 0}; !slices.Equal(agree, want) {
		t.Errorf("agreement = %v, want %v", agree, want)
	}
	if mean != 0.25 {
		t.Errorf("mean = %v, want 0.25", mean)
	}
	if &agree[0] != &dst[:1][0] {
		t.Errorf("dst not reused")
	}
}

// TestAgreementErrors checks that malformed input is refused with an error.
func TestAgreementErrors(t *testing.T) {
	ok := []float32{0, 0, 1, 0, 0, 1, 1, 1}
	for name, f := range map[string]func() error{
		"odd layout":    func() error { _, _, err := Agreement(ok[:7], ok[:7], 1, 0); return err },
		"lengths":       func() error { _, _, err := Agreement(ok, ok[:6], 1, 0); return err },
		"k = N":         func() error { _, _, err := Agreement(ok, ok, 4, 0); return err },
		"default k ≥ N": func() error { _, _, err := Agreement(ok, ok, 0, 0); return err },
		"negative k":    func() error { _, err := LayoutNeighbors(ok, -1, 0); return err },
		"empty":         func() error { _, err := LayoutNeighbors(nil, 1, 0); return err },
		"graph k":       func() error { _, _, err := NeighborAgreement(nil, []int32{0}, []int32{0}, 0, 0); return err },
		"graph sizes":   func() error { _, _, err := NeighborAgreement(nil, []int32{1, 0}, []int32{1}, 1, 0); return err },
		"not N x k": func() error {
			_, _, err := NeighborAgreement(nil, []int32{1, 0, 1}, []int32{1, 0, 1}, 2, 0)
			return err
		},
		"entry ≥ N": func() error { _, _, err := NeighborAgreement(nil, []int32{1, 2}, []int32{1, 0}, 1, 0); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, _, err := Agreement(ok, ok, 3, 0); err != nil {
		t.Errorf("k = N-1: %v", err)
	}
}

// TestMostDifferent checks the order (lowest first, ties by row, NaN first)
// and the clipping of n.
func TestMostDifferent(t *testing.T) {
	agree := []float32{0.5, 0.2, 1, 0.2, float32(math.NaN()), 0}
	for _, c := range []struct {
		n    int
		want []int32
	}{
		{3, []int32{4, 5, 1}},
		{5, []int32{4, 5, 1, 3, 0}},
		{100, []int32{4, 5, 1, 3, 0, 2}},
		{0, []int32{}},
		{-2, []int32{}},
	} {
		if got := MostDifferent(agree, c.n); !slices.Equal(got, c.want) {
			t.Errorf("MostDifferent(n=%d) = %v, want %v", c.n, got, c.want)
		}
	}
}
