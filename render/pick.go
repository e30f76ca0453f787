package render

import (
	"fmt"
	"math"
)

// PickIndex answers "which sprite is under this world point" for one
// layout. It is a uniform grid over the layout's bounding box with a few
// points per cell (pickPerCell); each cell lists its points in index
// order, with their positions copied beside them so a query reads
// contiguous memory.
// Build is O(N) (a counting sort); queries visit only the cells near the
// point. It is pure Go and needs no GL.
//
// Points with a non-finite coordinate are left out and never picked.
// Visibility comes from the same flag bytes as SpriteRenderer.SetFlags: a
// point whose flags have FlagHidden is skipped; nil flags mean all are
// visible.
//
// An index may be read by many goroutines at once; Build must not run
// concurrently with anything else on the same index.
type PickIndex struct {
	n          int // points in the layout, finite or not
	minX, minY float64
	cell, inv  float64 // cell edge in world units and its inverse
	gx, gy     int     // grid columns and rows
	start      []int32 // gx*gy+1 offsets into ids and xy
	ids        []int32 // point indices grouped by cell, ascending within a cell
	xy         []float32
	scratch    []int32 // each point's cell during Build, -1 when not finite
}

// pickPerCell is the mean number of points per grid cell over the
// bounding box.
const pickPerCell = 4

// NewPickIndex builds an index over pos, N interleaved world x, y pairs.
func NewPickIndex(pos []float32) *PickIndex {
	p := new(PickIndex)
	p.Build(pos)
	return p
}

// Len returns the number of points in the indexed layout.
func (p *PickIndex) Len() int { return p.n }

// Build replaces the index's contents with layout pos (N interleaved x, y
// pairs), reusing its memory. Call it whenever the layout changes. It
// panics if len(pos) is odd.
func (p *PickIndex) Build(pos []float32) {
	if len(pos)%2 != 0 {
		panic(fmt.Sprintf("render: PickIndex.Build: %d coordinates, want pairs", len(pos)))
	}
	n := len(pos) / 2
	p.n = n
	// Bounding box of the finite points (x-x is 0 unless x is NaN or ±Inf).
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	finite := 0
	for i := 0; i < n; i++ {
		x, y := pos[2*i], pos[2*i+1]
		if x-x != 0 || y-y != 0 {
			continue
		}
		finite++
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	if finite == 0 {
		minX, minY, maxX, maxY = 0, 0, 0, 0
	}
	p.minX, p.minY = float64(minX), float64(minY)
	// About pickPerCell points per cell over the bounding box; a degenerate
	// box (a line or a point) gets one row or column.
	w, h := float64(maxX)-p.minX, float64(maxY)-p.minY
	per := float64(max(finite, 1)) / pickPerCell
	switch {
	case w > 0 && h > 0:
		p.cell = math.Sqrt(w * h / per)
	case w > 0 || h > 0:
		p.cell = math.Max(w, h) / per
	default:
		p.cell = 1
	}
	p.cell = math.Max(p.cell, math.Max(w, h)/4096) // at most 4096 cells a side
	p.inv = 1 / p.cell
	p.gx = min(int(w*p.inv)+1, 4097)
	p.gy = min(int(h*p.inv)+1, 4097)
	cells := p.gx * p.gy

	// Counting sort by cell: count, prefix sums, scatter.
	p.start = resize(p.start, cells+1)
	clear(p.start)
	p.scratch = resize(p.scratch, n)
	for i := 0; i < n; i++ {
		x, y := pos[2*i], pos[2*i+1]
		if x-x != 0 || y-y != 0 {
			p.scratch[i] = -1
			continue
		}
		c := p.cellOf(float64(x), float64(y))
		p.scratch[i] = int32(c)
		p.start[c+1]++
	}
	for c := 0; c < cells; c++ {
		p.start[c+1] += p.start[c]
	}
	p.ids = resize(p.ids, finite)
	p.xy = resize(p.xy, 2*finite)
	// Scatter in index order, so each cell's list is ascending. start[c]
	// walks forward as cell c fills and is restored after.
	for i, c := range p.scratch {
		if c < 0 {
			continue
		}
		k := p.start[c]
		p.start[c]++
		p.ids[k] = int32(i)
		p.xy[2*k], p.xy[2*k+1] = pos[2*i], pos[2*i+1]
	}
	copy(p.start[1:], p.start[:cells])
	p.start[0] = 0
}

// cellOf returns the cell holding finite point (x, y), clamped to the grid.
func (p *PickIndex) cellOf(x, y float64) int {
	cx, cy := p.col(x), p.row(y)
	return cy*p.gx + cx
}

// col returns the grid column of world x, clamped to the grid.
func (p *PickIndex) col(x float64) int { return clampCell((x-p.minX)*p.inv, p.gx) }

// row returns the grid row of world y, clamped to the grid.
func (p *PickIndex) row(y float64) int { return clampCell((y-p.minY)*p.inv, p.gy) }

// clampCell returns floor(f) clamped to [0, n-1]; infinities clamp too.
func clampCell(f float64, n int) int {
	switch {
	case !(f > 0): // negative, -Inf or NaN
		return 0
	case f >= float64(n-1):
		return n - 1
	}
	return int(f)
}

// Topmost returns the sprite drawn on top at world point (x, y) when every
// sprite is a square of half-edge half centred on its position: the
// highest index (instanced sprites are drawn in index order) among the
// visible sprites with |px-x| <= half and |py-y| <= half. It returns -1
// when there is none. flags, when not nil, must have one byte per point.
func (p *PickIndex) Topmost(x, y, half float64, flags []uint8) int {
	p.checkFlags(flags)
	if p.n == 0 || !(half >= 0) || !isFinite(x) || !isFinite(y) {
		return -1
	}
	c0, c1 := p.col(x-half), p.col(x+half)
	r0, r1 := p.row(y-half), p.row(y+half)
	if (c1-c0+1)*(r1-r0+1) > len(p.ids)/4+16 {
		// The square spans about the whole grid: one pass over every point.
		return p.topmostScan(0, len(p.ids), x, y, half, flags, -1, false)
	}
	best := -1
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			cell := r*p.gx + c
			best = p.topmostScan(int(p.start[cell]), int(p.start[cell+1]), x, y, half, flags, best, true)
		}
	}
	return best
}

// topmostScan returns the highest index above best among entries [lo, hi)
// of the cell lists whose square contains (x, y), or best. oneCell says
// that [lo, hi) is one cell, whose indices ascend: scanning down, the
// first hit is the cell's highest.
func (p *PickIndex) topmostScan(lo, hi int, x, y, half float64, flags []uint8, best int, oneCell bool) int {
	for k := hi - 1; k >= lo; k-- {
		id := int(p.ids[k])
		if id <= best {
			if oneCell {
				return best
			}
			continue
		}
		if math.Abs(float64(p.xy[2*k])-x) > half || math.Abs(float64(p.xy[2*k+1])-y) > half {
			continue
		}
		if flags != nil && flags[id]&FlagHidden != 0 {
			continue
		}
		if oneCell {
			return id
		}
		best = id
	}
	return best
}

// Nearest returns the visible point closest to world point (x, y) and its
// Euclidean distance, or -1 and +Inf when no visible point lies within
// maxDist (inclusive; pass math.Inf(1) for no limit). Ties go to the
// higher index, the one drawn on top. flags, when not nil, must have one
// byte per point.
func (p *PickIndex) Nearest(x, y, maxDist float64, flags []uint8) (int, float64) {
	p.checkFlags(flags)
	best, bestD2 := -1, math.Inf(1)
	if len(p.ids) == 0 || !(maxDist >= 0) || !isFinite(x) || !isFinite(y) {
		return -1, math.Inf(1)
	}
	limit2 := maxDist * maxDist
	// Far outside the grid: nothing within maxDist.
	ox := math.Max(0, math.Max(p.minX-x, x-(p.minX+float64(p.gx)*p.cell)))
	oy := math.Max(0, math.Max(p.minY-y, y-(p.minY+float64(p.gy)*p.cell)))
	if ox*ox+oy*oy > limit2 {
		return -1, math.Inf(1)
	}
	cx, cy := p.col(x), p.row(y)
	for ring := 0; ; ring++ {
		// Every point outside the block of rings < ring is at least
		// `bound` away.
		if ring > 0 {
			bx0 := p.minX + float64(cx-ring+1)*p.cell
			bx1 := p.minX + float64(cx+ring)*p.cell
			by0 := p.minY + float64(cy-ring+1)*p.cell
			by1 := p.minY + float64(cy+ring)*p.cell
			bound := math.Max(0, math.Min(math.Min(x-bx0, bx1-x), math.Min(y-by0, by1-y)))
			if b2 := bound * bound; b2 > bestD2 || b2 > limit2 {
				break
			}
		}
		if cx-ring < 0 && cy-ring < 0 && cx+ring >= p.gx && cy+ring >= p.gy {
			break // the ring lies wholly outside the grid
		}
		for r := cy - ring; r <= cy+ring; r++ {
			if r < 0 || r >= p.gy {
				continue
			}
			step := 1
			if r != cy-ring && r != cy+ring {
				step = 2 * ring // inner rows: only the ring's two ends
			}
			for c := cx - ring; c <= cx+ring; c += max(step, 1) {
				if c < 0 || c >= p.gx {
					continue
				}
				cell := r*p.gx + c
				for k := p.start[cell]; k < p.start[cell+1]; k++ {
					dx := float64(p.xy[2*k]) - x
					dy := float64(p.xy[2*k+1]) - y
					d2 := dx*dx + dy*dy
					id := int(p.ids[k])
					if d2 > bestD2 || d2 > limit2 || d2 == bestD2 && id < best {
						continue
					}
					if flags != nil && flags[id]&FlagHidden != 0 {
						continue
					}
					best, bestD2 = id, d2
				}
			}
		}
	}
	if best < 0 {
		return -1, math.Inf(1)
	}
	return best, math.Sqrt(bestD2)
}

// checkFlags panics unless flags is nil or has one byte per point.
func (p *PickIndex) checkFlags(flags []uint8) {
	if flags != nil && len(flags) != p.n {
		panic(fmt.Sprintf("render: PickIndex: %d flags for %d points", len(flags), p.n))
	}
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func clampInt(v, lo, hi int) int { return min(max(v, lo), hi) }

// resize returns s with length n, reallocating only when its capacity is
// too small.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
