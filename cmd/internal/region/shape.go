// Package region selects the points of a 2-D layout that fall inside a
// lasso (Polygon) or a rectangle (Box), and holds selections over the rows
// of a dataset (Set): union, difference, counts per label, and growth along
// a neighbour graph.
//
// It is pure Go with no GL: the app draws the lasso, this package decides
// which rows it covers.
//
// # Which points are inside
//
// A polygon's inside is decided by the even-odd rule: a point is inside when
// a ray from it towards +x crosses the polygon's edges an odd number of
// times. Unlike the non-zero winding rule, it needs no orientation and gives
// the answer a user expects from a hand-drawn lasso whatever its shape: a
// concave lasso selects its pockets' outside as outside, and where a
// self-intersecting lasso (a figure-eight, a loop drawn twice) overlaps
// itself, the overlap toggles, so each loop selects what it encloses and a
// region wrapped twice is not selected.
//
// Points exactly on the boundary follow one half-open rule, the one a
// rasteriser uses: an edge counts as crossed at height y when
// min(y0, y1) <= y < max(y0, y1) and the point lies strictly left of it.
// For an axis-aligned rectangle this means [x0, x1) x [y0, y1): the left and
// bottom sides are inside, the right and top sides (and the corners on them)
// are outside. Every edge is evaluated in one orientation (from its lower to
// its upper end), so two polygons that share an edge split the points on it
// between them: a point on a shared edge belongs to exactly one of them.
// A Box uses the same rule, so a Box and the Polygon of its four corners
// select the same points.
//
// A polygon with fewer than 3 vertices, with all its vertices on one line
// (zero area), or with a non-finite coordinate selects nothing; so does a
// Box of zero width or height or with a non-finite bound. A point with a
// NaN or infinite coordinate is never inside anything.
package region

import (
	"math"
)

// Shape is a region of the plane that Select can test points against:
// a Polygon or a Box.
type Shape interface {
	compile() *matcher
}

// Polygon is a closed lasso: x, y pairs of vertices in world (layout)
// coordinates, the last vertex joined back to the first. It may be concave
// or cross itself; see the package comment for which points are inside.
type Polygon []float64

// Box is an axis-aligned rectangle in world coordinates holding the points
// with MinX <= x < MaxX and MinY <= y < MaxY.
type Box struct {
	MinX, MinY, MaxX, MaxY float64
}

// BoxFrom returns the Box spanned by two opposite corners in any order, as
// from the start and end of a drag.
func BoxFrom(x0, y0, x1, y1 float64) Box {
	return Box{MinX: min(x0, x1), MinY: min(y0, y1), MaxX: max(x0, x1), MaxY: max(y0, y1)}
}

// Contains reports whether (x, y) is inside b.
func (b Box) Contains(x, y float64) bool {
	return b.compile().contains(x, y)
}

// Contains reports whether (x, y) is inside p. It tests every edge; to test
// many points use Select, which prepares the edges once.
func (p Polygon) Contains(x, y float64) bool {
	m := p.prepare()
	if !m.inBounds(x, y) {
		return false
	}
	in := false
	for _, e := range m.all {
		if e.crosses(x, y) {
			in = !in
		}
	}
	return in
}

// edge is one non-horizontal polygon edge, oriented from its lower end
// (xa, ya) to its upper end at yb > ya.
type edge struct {
	xa, ya, yb float64
	slope      float64 // dx/dy
}

// crosses reports whether a ray from (x, y) towards +x crosses e under the
// half-open rule. It is the one place the rule is written.
func (e *edge) crosses(x, y float64) bool {
	// The float64 conversion forbids fusing the multiply-add, so every
	// caller rounds the same way on every architecture.
	return y >= e.ya && y < e.yb && x < e.xa+float64((y-e.ya)*e.slope)
}

// matcher is a shape prepared for testing many points: its bounding box
// and, for a polygon, its edges bucketed by horizontal bands.
type matcher struct {
	minX, minY, maxX, maxY float64
	empty                  bool // selects nothing
	box                    bool // the bounding box is the shape

	all   []edge  // every non-horizontal edge (polygon only)
	bandK float64 // bands per unit of y
	start []int32 // band b's edges are edges[start[b]:start[b+1]]
	edges []edge
}

// inBounds is the bounding-box prefilter; it is false for NaN and
// infinite coordinates because the bounds of a non-empty shape are finite.
func (m *matcher) inBounds(x, y float64) bool {
	return !m.empty && x >= m.minX && x < m.maxX && y >= m.minY && y < m.maxY
}

// band returns the band holding height y, clamped to the valid range. It is
// monotone in y, so a point's band lies between its edge's end bands.
func (m *matcher) band(y float64) int {
	b := int((y - m.minY) * m.bandK)
	return min(max(b, 0), len(m.start)-2)
}

// contains tests one point using the bands.
func (m *matcher) contains(x, y float64) bool {
	if !m.inBounds(x, y) {
		return false
	}
	if m.box {
		return true
	}
	b := m.band(y)
	in := false
	for i := m.start[b]; i < m.start[b+1]; i++ {
		if m.edges[i].crosses(x, y) {
			in = !in
		}
	}
	return in
}

func (b Box) compile() *matcher {
	m := &matcher{minX: b.MinX, minY: b.MinY, maxX: b.MaxX, maxY: b.MaxY, box: true}
	m.empty = !finite(b.MinX, b.MinY, b.MaxX, b.MaxY) || !(b.MinX < b.MaxX && b.MinY < b.MaxY)
	return m
}

// maxBands bounds the bands of one polygon; bandBudget bounds the band
// entries per edge, so a polygon of tall zig-zags cannot use E x bands memory.
const (
	maxBands   = 1 << 12
	bandBudget = 16
)

func (p Polygon) compile() *matcher {
	m := p.prepare()
	if !m.empty {
		m.bucket()
	}
	return m
}

// prepare finds p's bounds and edges, without the bands.
func (p Polygon) prepare() *matcher {
	m := &matcher{empty: true}
	n := len(p) / 2
	if n < 3 || !finite(p[:2*n]...) {
		return m
	}
	m.minX, m.minY, m.maxX, m.maxY = p[0], p[1], p[0], p[1]
	for i := 1; i < n; i++ {
		m.minX, m.maxX = min(m.minX, p[2*i]), max(m.maxX, p[2*i])
		m.minY, m.maxY = min(m.minY, p[2*i+1]), max(m.maxY, p[2*i+1])
	}
	if collinear(p[:2*n], m) {
		return m
	}
	m.empty = false
	m.all = make([]edge, 0, n)
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		x0, y0, x1, y1 := p[2*i], p[2*i+1], p[2*j], p[2*j+1]
		if y0 == y1 {
			continue // a horizontal edge is never crossed
		}
		if y0 > y1 {
			x0, y0, x1, y1 = x1, y1, x0, y0
		}
		m.all = append(m.all, edge{xa: x0, ya: y0, yb: y1, slope: (x1 - x0) / (y1 - y0)})
	}
	return m
}

// bucket files every edge under each horizontal band its y-range touches,
// halving the band count until the entries fit the budget.
func (m *matcher) bucket() {
	bands := min(max(len(m.all), 1), maxBands)
	for {
		m.bandK = float64(bands) / (m.maxY - m.minY)
		if math.IsInf(m.bandK, 0) { // a span too small to divide
			bands, m.bandK = 1, 0
		}
		m.start = make([]int32, bands+1)
		total := 0
		for i := range m.all {
			total += m.band(m.all[i].yb) - m.band(m.all[i].ya) + 1
		}
		if total <= bandBudget*len(m.all) || bands == 1 {
			break
		}
		bands /= 2
	}
	for i := range m.all {
		for b := m.band(m.all[i].ya); b <= m.band(m.all[i].yb); b++ {
			m.start[b+1]++
		}
	}
	for b := 1; b < len(m.start); b++ {
		m.start[b] += m.start[b-1]
	}
	m.edges = make([]edge, m.start[len(m.start)-1])
	next := append([]int32(nil), m.start[:len(m.start)-1]...)
	for i := range m.all {
		for b := m.band(m.all[i].ya); b <= m.band(m.all[i].yb); b++ {
			m.edges[next[b]] = m.all[i]
			next[b]++
		}
	}
}

// collinear reports whether every vertex lies on the line through the two
// vertices farthest apart along the wider side of the bounding box, within
// a tolerance relative to the box's size: such a polygon has no area.
func collinear(p []float64, m *matcher) bool {
	w, h := m.maxX-m.minX, m.maxY-m.minY
	if w == 0 || h == 0 {
		return true
	}
	// The vertices at the extremes of the wider axis span the line.
	axis := 0
	if h > w {
		axis = 1
	}
	lo, hi := 0, 0
	for i := 0; i < len(p)/2; i++ {
		if p[2*i+axis] < p[2*lo+axis] {
			lo = i
		}
		if p[2*i+axis] > p[2*hi+axis] {
			hi = i
		}
	}
	ax, ay := p[2*lo], p[2*lo+1]
	dx, dy := p[2*hi]-ax, p[2*hi+1]-ay
	tol := 1e-12 * (w*w + h*h)
	for i := 0; i < len(p)/2; i++ {
		if math.Abs(dx*(p[2*i+1]-ay)-dy*(p[2*i]-ax)) > tol {
			return false
		}
	}
	return true
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
