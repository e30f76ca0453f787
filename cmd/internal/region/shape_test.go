package region

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// bruteInside is an independent even-odd test: W. R. Franklin's PNPOLY
// ray cast over every edge, with no preparation.
func bruteInside(poly []float64, x, y float64) bool {
	n := len(poly) / 2
	in := false
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		xi, yi, xj, yj := poly[2*i], poly[2*i+1], poly[2*j], poly[2*j+1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}

// star is a concave star with k points centred on (cx, cy).
func star(k int, cx, cy, rOut, rIn float64) Polygon {
	var p Polygon
	for i := 0; i < 2*k; i++ {
		r := rOut
		if i%2 == 1 {
			r = rIn
		}
		a := math.Pi * float64(i) / float64(k)
		p = append(p, cx+r*math.Cos(a), cy+r*math.Sin(a))
	}
	return p
}

// figureEight is a lemniscate: one self-intersection at its centre.
func figureEight(n int) Polygon {
	var p Polygon
	for i := 0; i < n; i++ {
		t := 2 * math.Pi * float64(i) / float64(n)
		p = append(p, 0.5+0.4*math.Sin(t), 0.5+0.3*math.Sin(t)*math.Cos(t))
	}
	return p
}

// spiral winds out three turns and closes with one long edge back to its
// start, crossing every turn: a lasso drawn round and round.
func spiral(n int) Polygon {
	var p Polygon
	for i := 0; i < n; i++ {
		t := 6 * math.Pi * float64(i) / float64(n)
		r := 0.05 + 0.4*float64(i)/float64(n)
		p = append(p, 0.5+r*math.Cos(t), 0.5+r*math.Sin(t))
	}
	return p
}

// randomPolygon has n vertices anywhere in the unit square: its edges
// cross each other many times.
func randomPolygon(rng *rand.Rand, n int) Polygon {
	p := make(Polygon, 2*n)
	for i := range p {
		p[i] = rng.Float64()
	}
	return p
}

// randomConcave is a simple (star-shaped) polygon with random radii.
func randomConcave(rng *rand.Rand, n int) Polygon {
	var p Polygon
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		r := 0.1 + 0.35*rng.Float64()
		p = append(p, 0.5+r*math.Cos(a), 0.5+r*math.Sin(a))
	}
	return p
}

// randomPoints covers a little more than the unit square, with a few
// non-finite points.
func randomPoints(rng *rand.Rand, n int) []float32 {
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = float32(1.2*rng.Float64() - 0.1)
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for i, v := range []float32{nan, inf, -inf, nan} {
		pos[2*(i*97)+i%2] = v
	}
	return pos
}

func TestSelectMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]Polygon{
		"star":          star(7, 0.5, 0.5, 0.45, 0.15),
		"figure-eight":  figureEight(64),
		"spiral":        spiral(200),
		"concave-50":    randomConcave(rng, 50),
		"random-50-a":   randomPolygon(rng, 50),
		"random-50-b":   randomPolygon(rng, 50),
		"random-50-c":   randomPolygon(rng, 50),
		"triangle-tiny": {0.3, 0.3, 0.30001, 0.3, 0.3, 0.30002},
	}
	n := 40000 // three blocks, the last one partial
	if testing.Short() {
		n = 17000
	}
	pos := randomPoints(rng, n)
	for name, poly := range shapes {
		want := 0
		s := NewSet(n)
		got := Select(s, pos, poly, Replace)
		for i := 0; i < n; i++ {
			x, y := float64(pos[2*i]), float64(pos[2*i+1])
			in := finite(x, y) && bruteInside(poly, x, y)
			if in {
				want++
			}
			if s.Contains(i) != in || poly.Contains(x, y) != in {
				t.Fatalf("%s: row %d at (%v, %v): Select %v, Contains %v, brute force %v",
					name, i, x, y, s.Contains(i), poly.Contains(x, y), in)
			}
		}
		if got != want || s.Count() != want {
			t.Errorf("%s: Select says %d inside, set counts %d, brute force %d", name, got, s.Count(), want)
		}
		if name != "triangle-tiny" && (want < n/100 || want > n*9/10) {
			t.Errorf("%s: %d of %d inside: the test shape does not test much", name, want, n)
		}
	}
}

// Points exactly on vertices and edges follow the half-open rule; with
// dyadic coordinates every computation is exact, so the brute force and
// Select must agree point for point.
func TestBoundaryRule(t *testing.T) {
	square := Polygon{0, 0, 1, 0, 1, 1, 0, 1}
	box := Box{0, 0, 1, 1}
	for _, c := range []struct {
		x, y float64
		in   bool
	}{
		{0, 0, true}, {1, 0, false}, {1, 1, false}, {0, 1, false}, // corners
		{0.5, 0, true}, {0, 0.5, true}, // bottom and left sides
		{0.5, 1, false}, {1, 0.5, false}, // top and right sides
		{0.5, 0.5, true}, {-0.5, 0.5, false}, {0.5, -0.5, false},
	} {
		if got := square.Contains(c.x, c.y); got != c.in {
			t.Errorf("square: (%v, %v) inside = %v, want %v", c.x, c.y, got, c.in)
		}
		if got := box.Contains(c.x, c.y); got != c.in {
			t.Errorf("box: (%v, %v) inside = %v, want %v", c.x, c.y, got, c.in)
		}
	}

	shapes := map[string]Polygon{
		// Concave, with slopes 0, 1, -2, -1/4, -3/2.
		"concave": {0, 0, 4, 0, 4, 2, 6, 4, 2, 6, 3, 2, 0, 4},
		"bow-tie": {0, 0, 4, 4, 4, 0, 0, 4},
		"square":  {0, 0, 4, 0, 4, 4, 0, 4},
		"diamond": {2, 0, 4, 2, 2, 4, 0, 2},
	}
	var pos []float32
	for y := -1.0; y <= 7; y += 0.25 {
		for x := -1.0; x <= 7; x += 0.25 {
			pos = append(pos, float32(x), float32(y))
		}
	}
	n := len(pos) / 2
	for name, poly := range shapes {
		s := NewSet(n)
		Select(s, pos, poly, Replace)
		for i := 0; i < n; i++ {
			x, y := float64(pos[2*i]), float64(pos[2*i+1])
			if want := bruteInside(poly, x, y); s.Contains(i) != want {
				t.Errorf("%s: (%v, %v): Select %v, brute force %v", name, x, y, s.Contains(i), want)
			}
		}
	}
	// The square's lattice points: [0, 4) x [0, 4) at step 0.25 is 16 x 16.
	s := NewSet(n)
	if got := Select(s, pos, shapes["square"], Replace); got != 256 {
		t.Errorf("square holds %d lattice points, want 256", got)
	}
	if got := Select(s, pos, Box{0, 0, 4, 4}, Replace); got != 256 {
		t.Errorf("box holds %d lattice points, want 256", got)
	}
}

// A square cut into a fan of triangles: every point of the square lies in
// exactly one triangle, including points placed exactly on the shared
// (sloped, inexact) edges, because each edge is evaluated in one
// orientation whichever polygon it belongs to.
func TestSharedEdgesSplitPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 20; trial++ {
		cx, cy := 0.2+0.6*rng.Float64(), 0.2+0.6*rng.Float64()
		ring := []float64{0, 0, rng.Float64(), 0, 1, 0, 1, rng.Float64(), 1, 1, rng.Float64(), 1, 0, 1, 0, rng.Float64()}
		var fan []Polygon
		for i := 0; i < len(ring)/2; i++ {
			j := (i + 1) % (len(ring) / 2)
			fan = append(fan, Polygon{cx, cy, ring[2*i], ring[2*i+1], ring[2*j], ring[2*j+1]})
		}
		var pts []float64
		for i := 0; i < 2000; i++ {
			pts = append(pts, rng.Float64(), rng.Float64())
		}
		for _, tri := range fan { // points on the spokes, by the edge's own formula
			m := tri.prepare()
			for _, e := range m.all {
				for k := 0; k < 50; k++ {
					y := e.ya + (e.yb-e.ya)*rng.Float64()
					pts = append(pts, e.xa+float64((y-e.ya)*e.slope), y)
				}
			}
		}
		for i := 0; i < len(pts); i += 2 {
			x, y := pts[i], pts[i+1]
			holders := 0
			for _, tri := range fan {
				if tri.Contains(x, y) {
					holders++
				}
			}
			want := 0
			if x >= 0 && x < 1 && y >= 0 && y < 1 {
				want = 1
			}
			if holders != want {
				t.Fatalf("trial %d: (%v, %v) lies in %d triangles, want %d", trial, x, y, holders, want)
			}
		}
	}
}

func TestDegenerateShapesSelectNothing(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	shapes := map[string]Shape{
		"nil":               Polygon(nil),
		"one vertex":        Polygon{0.5, 0.5},
		"two vertices":      Polygon{0, 0, 1, 1},
		"odd length":        Polygon{0, 0, 1, 1, 1},
		"same point":        Polygon{0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
		"collinear":         Polygon{0, 0, 0.5, 0.5, 1, 1},
		"back and forth":    Polygon{0.1, 0.3, 0.9, 0.7, 0.3, 0.4, 0.7, 0.6, 0.5, 0.5},
		"horizontal":        Polygon{0, 0.5, 1, 0.5, 0.3, 0.5},
		"vertical":          Polygon{0.5, 0, 0.5, 1, 0.5, 0.2},
		"NaN vertex":        Polygon{0, 0, 1, 0, nan, 1},
		"Inf vertex":        Polygon{0, 0, 1, 0, 0, inf},
		"zero-width box":    Box{0.5, 0, 0.5, 1},
		"zero-height box":   Box{0, 0.5, 1, 0.5},
		"inverted box":      Box{1, 1, 0, 0},
		"NaN box":           Box{nan, 0, 1, 1},
		"infinite box":      Box{-inf, -inf, inf, inf},
		"collinear tilted":  Polygon{0.1, 0.2, 0.4, 0.8, 0.25, 0.5, 0.3, 0.6},
		"collinear reverse": Polygon{1, 1, 0, 0, 0.5, 0.5, 0.25, 0.25},
	}
	var pos []float32
	for i := 0; i <= 100; i++ { // points on the diagonals and the mid-lines
		v := float32(i) / 100
		pos = append(pos, v, v, v, 2*v, 0.5, v, v, 0.5, 0.1+0.3*v, 0.2+0.6*v)
	}
	n := len(pos) / 2
	for name, shape := range shapes {
		s := NewSet(n)
		Select(s, pos, Box{-1, -1, 3, 3}, Replace)
		if s.Count() != n {
			t.Fatalf("the full box selects %d of %d", s.Count(), n)
		}
		if got := Select(s, pos, shape, Replace); got != 0 || s.Count() != 0 {
			t.Errorf("%s selects %d rows (set counts %d), want none", name, got, s.Count())
		}
	}
}

func TestNonFinitePointsAreNeverInside(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	pos := []float32{nan, 0, 0, nan, inf, 0, -inf, 0, 0, inf, 0, -inf, nan, nan, 0, 0}
	for name, shape := range map[string]Shape{
		"box":     Box{-1e30, -1e30, 1e30, 1e30},
		"polygon": Polygon{-1e30, -1e30, 1e30, -1e30, 0, 1e30},
	} {
		s := NewSet(len(pos) / 2)
		Select(s, pos, shape, Replace)
		if got := s.Rows(nil); len(got) != 1 || got[0] != 7 {
			t.Errorf("%s selects rows %v, want only the finite row 7", name, got)
		}
	}
}

func TestBoxSelectsAsItsPolygon(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var pos []float32
	for i := 0; i < 5000; i++ { // on a grid, so many points lie on the sides
		pos = append(pos, float32(rng.IntN(64))/32, float32(rng.IntN(64))/32)
	}
	n := len(pos) / 2
	a, b := NewSet(n), NewSet(n)
	for trial := 0; trial < 50; trial++ {
		box := BoxFrom(float64(rng.IntN(64))/32, float64(rng.IntN(64))/32,
			float64(rng.IntN(64))/32, float64(rng.IntN(64))/32)
		poly := Polygon{box.MinX, box.MinY, box.MaxX, box.MinY, box.MaxX, box.MaxY, box.MinX, box.MaxY}
		Select(a, pos, box, Replace)
		Select(b, pos, poly, Replace)
		if ra, rb := a.Rows(nil), b.Rows(nil); !slices.Equal(ra, rb) {
			t.Fatalf("%+v: box selects %d rows, its polygon %d", box, len(ra), len(rb))
		}
	}
}

// Select's ops combine the shape's rows with what was selected, and the
// answer does not depend on the number of workers.
func TestSelectOpsAndWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 3*blockWords*64 + 11
	pos := randomPoints(rng, n)
	left, right := Box{-1, -1, 0.6, 2}, star(5, 0.5, 0.5, 0.5, 0.2)
	want := make([]bool, n)
	for i := range want {
		x, y := float64(pos[2*i]), float64(pos[2*i+1])
		l, r := left.Contains(x, y), right.Contains(x, y)
		want[i] = l && !r
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first []int32
	for _, procs := range []int{1, 3, 8} {
		runtime.GOMAXPROCS(procs)
		s := NewSet(n)
		Select(s, pos, right, Add)
		Select(s, pos, left, Replace)
		Select(s, pos, right, Remove)
		for i := range want {
			if s.Contains(i) != want[i] {
				t.Fatalf("%d workers: row %d selected = %v, want %v", procs, i, s.Contains(i), want[i])
			}
		}
		rows := s.Rows(nil)
		if first == nil {
			first = rows
		} else if !slices.Equal(rows, first) {
			t.Fatalf("%d workers select other rows than 1", procs)
		}
	}
}

// A polygon of tall zig-zags touches every band with every edge; the band
// count shrinks so its entries stay within the budget, and the answers
// stay exact.
func TestBandsStayWithinBudget(t *testing.T) {
	var zig Polygon
	for i := 0; i < 2000; i++ {
		zig = append(zig, float64(i)/2000, float64(i%2))
	}
	zig = append(zig, 1, -0.5, 0, -0.5)
	m := zig.compile()
	if len(m.edges) > bandBudget*len(m.all) {
		t.Errorf("%d band entries for %d edges (budget %d per edge)", len(m.edges), len(m.all), bandBudget)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 20000; i++ {
		x, y := rng.Float64(), 1.6*rng.Float64()-0.55
		if m.contains(x, y) != bruteInside(zig, x, y) {
			t.Fatalf("(%v, %v): bands say %v, brute force %v", x, y, m.contains(x, y), bruteInside(zig, x, y))
		}
	}
}
