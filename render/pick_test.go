package render

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// bruteTopmost is Topmost by checking every point.
func bruteTopmost(pos []float32, x, y, half float64, flags []uint8) int {
	best := -1
	if !isFinite(x) || !isFinite(y) {
		return -1
	}
	for i := 0; i < len(pos)/2; i++ {
		px, py := float64(pos[2*i]), float64(pos[2*i+1])
		if !isFinite(px) || !isFinite(py) || flags != nil && flags[i]&FlagHidden != 0 {
			continue
		}
		if math.Abs(px-x) <= half && math.Abs(py-y) <= half {
			best = i
		}
	}
	return best
}

// bruteNearest is Nearest by checking every point.
func bruteNearest(pos []float32, x, y, maxDist float64, flags []uint8) (int, float64) {
	best, bestD2 := -1, math.Inf(1)
	if !isFinite(x) || !isFinite(y) {
		return -1, math.Inf(1)
	}
	for i := 0; i < len(pos)/2; i++ {
		px, py := float64(pos[2*i]), float64(pos[2*i+1])
		if !isFinite(px) || !isFinite(py) || flags != nil && flags[i]&FlagHidden != 0 {
			continue
		}
		d2 := (px-x)*(px-x) + (py-y)*(py-y)
		if d2 <= maxDist*maxDist && d2 <= bestD2 {
			best, bestD2 = i, d2
		}
	}
	if best < 0 {
		return -1, math.Inf(1)
	}
	return best, math.Sqrt(bestD2)
}

// clusteredLayout returns n points in ten Gaussian blobs of different
// spreads, like a UMAP layout of MNIST, on a grid of step quant (0 for
// none) so that exact duplicates occur.
func clusteredLayout(rng *rand.Rand, n int, quant float64) []float32 {
	pos := make([]float32, 2*n)
	for i := 0; i < n; i++ {
		k := float64(rng.IntN(10))
		cx, cy := 10*math.Cos(k), 10*math.Sin(k)
		s := 0.5 + k/5
		x, y := cx+s*rng.NormFloat64(), cy+s*rng.NormFloat64()
		if quant > 0 {
			x, y = math.Round(x/quant)*quant, math.Round(y/quant)*quant
		}
		pos[2*i], pos[2*i+1] = float32(x), float32(y)
	}
	return pos
}

func TestPickIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	layouts := map[string][]float32{
		"empty":      {},
		"one":        {3, 4},
		"same point": {1, 1, 1, 1, 1, 1, 1, 1},
		"vertical":   {0, 0, 0, 1, 0, 2, 0, 3, 0, 3},
		"non-finite": {0, 0, nan, 1, 1, inf, 2, 2, 0.5, 0.5},
		"uniform":    nil,
		"clustered":  clusteredLayout(rng, 3000, 0),
		"duplicates": clusteredLayout(rng, 3000, 0.25),
	}
	u := make([]float32, 2*2000)
	for i := range u {
		u[i] = rng.Float32()*200 - 100
	}
	layouts["uniform"] = u
	p := new(PickIndex) // reused across layouts: Build must reset it fully
	for name, pos := range layouts {
		p.Build(pos)
		n := len(pos) / 2
		if p.Len() != n {
			t.Fatalf("%s: Len %d, want %d", name, p.Len(), n)
		}
		// Hide about a third of the points, or all but about 1%.
		hidden, most := make([]uint8, n), make([]uint8, n)
		for i := range hidden {
			if rng.IntN(3) == 0 {
				hidden[i] = FlagHidden | FlagDimmed
			} else if rng.IntN(2) == 0 {
				hidden[i] = FlagHighlighted
			}
			if rng.IntN(100) != 0 {
				most[i] = FlagHidden
			}
		}
		for q := 0; q < 1000; q++ {
			x, y := rng.Float64()*50-25, rng.Float64()*50-25
			if q%3 == 0 && n > 0 { // on or near a point
				i := rng.IntN(n)
				x, y = float64(pos[2*i])+rng.Float64()*0.1, float64(pos[2*i+1])
			}
			half := []float64{0, 0.05, 0.3, 1, 4, 40, math.Inf(1)}[q%7]
			for _, flags := range [][]uint8{nil, hidden, most} {
				got, want := p.Topmost(x, y, half, flags), bruteTopmost(pos, x, y, half, flags)
				if got != want {
					t.Fatalf("%s: Topmost(%g, %g, %g, hidden=%v) = %d, want %d", name, x, y, half, flags != nil, got, want)
				}
				maxDist := []float64{0.2, 2, 30, math.Inf(1)}[q%4]
				gi, gd := p.Nearest(x, y, maxDist, flags)
				wi, wd := bruteNearest(pos, x, y, maxDist, flags)
				if gi != wi || gd != wd && !(math.IsInf(gd, 1) && math.IsInf(wd, 1)) {
					t.Fatalf("%s: Nearest(%g, %g, %g, hidden=%v) = %d %g, want %d %g", name, x, y, maxDist, flags != nil, gi, gd, wi, wd)
				}
			}
		}
	}
}

func TestPickIndexTopmostIsHighestIndex(t *testing.T) {
	// Three overlapping unit squares; the last drawn wins where they overlap.
	p := NewPickIndex([]float32{0, 0, 0.5, 0, 0.25, 0.5})
	for _, tt := range []struct {
		x, y  float64
		flags []uint8
		want  int
	}{
		{0.25, 0.1, nil, 2},
		{-0.4, -0.4, nil, 0},
		{0.9, -0.4, nil, 1},
		{0.25, 0.1, []uint8{0, 0, FlagHidden}, 1},
		{0.25, 0.1, []uint8{0, FlagHidden, FlagHidden}, 0},
		{0.25, 0.1, []uint8{FlagHidden, FlagHidden, FlagHidden}, -1},
		{3, 3, nil, -1},
		{math.NaN(), 0, nil, -1},
	} {
		if got := p.Topmost(tt.x, tt.y, 0.5, tt.flags); got != tt.want {
			t.Errorf("Topmost(%g, %g, flags %v) = %d, want %d", tt.x, tt.y, tt.flags, got, tt.want)
		}
	}
	if i, d := p.Nearest(3, 0, 1, nil); i != -1 || !math.IsInf(d, 1) {
		t.Errorf("Nearest beyond maxDist = %d %g, want -1 +Inf", i, d)
	}
	if i, d := p.Nearest(3, 0, 3, nil); i != 1 || d != 2.5 {
		t.Errorf("Nearest = %d %g, want 1 2.5", i, d)
	}
}

func TestPickIndexBuildIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	pos := clusteredLayout(rng, 70000, 0)
	p := NewPickIndex(pos) // warm the memory
	best := time.Hour
	for range 3 { // the best of three, against a busy machine
		start := time.Now()
		p.Build(pos)
		best = min(best, time.Since(start))
	}
	if best > 50*time.Millisecond {
		t.Errorf("Build at 70,000 points took %v, want a few ms", best)
	}
	if a := testing.AllocsPerRun(5, func() { p.Build(pos) }); a != 0 {
		t.Errorf("rebuilding allocates %v times, want 0", a)
	}
	if a := testing.AllocsPerRun(100, func() { p.Topmost(1, 1, 0.3, nil); p.Nearest(1, 1, 5, nil) }); a != 0 {
		t.Errorf("queries allocate %v times, want 0", a)
	}
}

// Sinks for benchmark results.
var (
	sinkPick int
	sinkDist float64
)

// BenchmarkPickIndex times Build and queries on clustered layouts at
// MNIST's size and at a million points. Queries are at random points of
// the layout's area, half is the app's default sprite half-size (1.1 mean
// spacings) and a third of the points are hidden.
func BenchmarkPickIndex(b *testing.B) {
	for _, n := range []int{70000, 1000000} {
		rng := rand.New(rand.NewPCG(3, 4))
		pos := clusteredLayout(rng, n, 0)
		p := NewPickIndex(pos)
		flags := make([]uint8, n)
		for i := range flags {
			if i%3 == 0 {
				flags[i] = FlagHidden
			}
		}
		spacing := math.Sqrt(40 * 40 / float64(n))
		half := 1.1 * spacing
		qs := make([][2]float64, 1024)
		for i := range qs {
			qs[i] = [2]float64{rng.Float64()*40 - 20, rng.Float64()*40 - 20}
		}
		b.Run(fmt.Sprintf("n=%d/build", n), func(b *testing.B) {
			for b.Loop() {
				p.Build(pos)
			}
		})
		b.Run(fmt.Sprintf("n=%d/topmost", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				sinkPick = p.Topmost(q[0], q[1], half, flags)
				i++
			}
		})
		b.Run(fmt.Sprintf("n=%d/nearest", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				sinkPick, sinkDist = p.Nearest(q[0], q[1], 10*spacing, flags)
				i++
			}
		})
		b.Run(fmt.Sprintf("n=%d/nearest-unbounded", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				sinkPick, sinkDist = p.Nearest(q[0], q[1], math.Inf(1), flags)
				i++
			}
		})
	}
}
