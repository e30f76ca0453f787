package render

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// splatTile is the side of the square tiles, in pixels, a CPU draft is
// drawn in: 16 KiB of pixels, which stay in the core's cache while every
// sprite over the tile is blended into it. Sprites come in dataset order,
// scattered over the picture; drawn straight, nearly every blend of a
// million dots missed the cache.
const splatTile = 64

// splatWorkers draws CPU drafts: one goroutine per core (at most 8),
// started once and kept, so a frame allocates nothing once the buffers
// have grown to the scene. A frame is three phases: each worker counts
// how many of an equal share of the sprites fall on each tile; then it
// sorts them, in order, into its own per-tile runs (a counting sort);
// then the workers take tiles one at a time and draw each tile's sprites
// from every worker's runs in worker order, which is sprite order, so
// every pixel blends its sprites in the order GL would.
type splatWorkers struct {
	once  sync.Once
	jobs  []chan struct{}
	wg    sync.WaitGroup
	f     *splatFrame
	phase int // splatCount, splatBin or splatDraw
	next  atomic.Int32

	tilesX, tiles int
	bins          []splatBins // one a worker
}

// splatBins is one worker's sprites sorted by tile: tile t's are
// entries[start[t]:start[t+1]], in sprite order.
type splatBins struct {
	start   []int32 // tiles+1 offsets into entries (counts during the count phase)
	entries []splatEntry
	xy      []float32 // the share's centres, from the count phase for the binning
}

// splatEntry is a sprite in a tile's run: its index and its centre in
// window pixels, so that drawing a tile reads no positions (a million
// sprites' positions do not fit the cache).
type splatEntry struct {
	i    int32
	x, y float32
}

// The phases of a frame.
const (
	splatCount = iota
	splatBin
	splatDraw
)

var splatTeam splatWorkers

// start starts the workers, once.
func (t *splatWorkers) start() {
	t.once.Do(func() {
		t.jobs = make([]chan struct{}, min(max(runtime.NumCPU(), 1), 8))
		for w := range t.jobs {
			ch := make(chan struct{})
			t.jobs[w] = ch
			go func() {
				for range ch {
					t.work(w)
					t.wg.Done()
				}
			}()
		}
	})
}

// run draws frame f and returns when it is drawn.
func (t *splatWorkers) run(f *splatFrame) {
	t.start()
	t.f = f
	t.tilesX = (f.w + splatTile - 1) / splatTile
	t.tiles = t.tilesX * ((f.h + splatTile - 1) / splatTile)
	if len(t.bins) < len(t.jobs) {
		t.bins = make([]splatBins, len(t.jobs))
	}
	for _, phase := range [...]int{splatCount, splatBin, splatDraw} {
		t.phase = phase
		t.next.Store(0)
		t.wg.Add(len(t.jobs))
		for _, ch := range t.jobs {
			ch <- struct{}{}
		}
		t.wg.Wait()
	}
	t.f = nil
}

// work does worker w's part of the current phase.
func (t *splatWorkers) work(w int) {
	if t.phase == splatDraw {
		for {
			tile := int(t.next.Add(1)) - 1
			if tile >= t.tiles {
				return
			}
			t.drawTile(tile)
		}
	}
	n := len(t.f.sprites.flags)
	b := &t.bins[w]
	lo, hi := n*w/len(t.jobs), n*(w+1)/len(t.jobs)
	if t.phase == splatBin {
		t.bin(b, lo, hi, false)
		return
	}
	if cap(b.xy) < 2*(hi-lo) {
		b.xy = make([]float32, 2*(hi-lo))
	}
	b.xy = b.xy[:2*(hi-lo)]
	if cap(b.start) < t.tiles+1 {
		b.start = make([]int32, t.tiles+1)
	}
	b.start = b.start[:t.tiles+1]
	clear(b.start)
	t.bin(b, lo, hi, true)
	// Tile k's count is in start[k+1]: summed, start[k] is where tile k's
	// run begins, and start[tiles] the total.
	for k := 1; k < len(b.start); k++ {
		b.start[k] += b.start[k-1]
	}
	sum := b.start[t.tiles]
	if int(sum) > cap(b.entries) {
		b.entries = make([]splatEntry, sum+sum/4) // room to grow as the view moves
	}
	b.entries = b.entries[:sum]
}

// bin goes over the visible sprites lo..hi-1 and the tiles each covers
// (inside the frame's clip box): if count, computing their centres into
// b.xy and counting them into b.start[tile+1]; else writing them, centres
// from b.xy, into their tiles' runs, advancing b.start[tile] (which then
// ends at the next tile's start; drawTile takes the run before it).
func (t *splatWorkers) bin(b *splatBins, lo, hi int, count bool) {
	f := t.f
	c := f.clip
	// Pixel coordinates clamped inside the clip box (its last pixel's
	// centre being c[2]-0.5, a coordinate there lies in pixel c[2]-1).
	cx0, cx1 := float32(c[0]), float32(c[2])-0.5
	cy0, cy1 := float32(c[1]), float32(c[3])-0.5
	half := f.edge / 2
	for i, fl := range f.sprites.flags[lo:hi] {
		if fl&FlagHidden != 0 {
			continue
		}
		var x, y float32
		if count {
			x, y = f.centre(i + lo)
			b.xy[2*i], b.xy[2*i+1] = x, y
		} else {
			x, y = b.xy[2*i], b.xy[2*i+1]
		}
		i += lo
		// The tiles of the pixels it may cover: those whose centres are
		// inside its square or next to it (a superset: drawTile draws
		// exactly), without geometry's exact edges.
		half := half
		if fl&FlagHighlighted != 0 {
			half *= 1.6
		}
		x0, x1 := min(max(x-half-0.5, cx0), cx1), min(max(x+half-0.5, cx0), cx1)
		y0, y1 := min(max(y-half-0.5, cy0), cy1), min(max(y+half-0.5, cy0), cy1)
		if !(x0 < x1 && y0 < y1) { // off the clip box, or NaN
			continue
		}
		for ty := int(y0) / splatTile; ty <= int(y1)/splatTile; ty++ {
			for tx := int(x0) / splatTile; tx <= int(x1)/splatTile; tx++ {
				k := ty*t.tilesX + tx
				if count {
					b.start[k+1]++
					continue
				}
				b.entries[b.start[k]] = splatEntry{int32(i), x, y}
				b.start[k]++
			}
		}
	}
}

// drawTile clears tile k of the picture and draws its sprites into it.
func (t *splatWorkers) drawTile(k int) {
	f := t.f
	x0, y0 := k%t.tilesX*splatTile, k/t.tilesX*splatTile
	x1, y1 := min(x0+splatTile, f.w), min(y0+splatTile, f.h)
	for y := y0; y < y1; y++ {
		clear(f.pix[y*f.w+x0 : y*f.w+x1])
	}
	r := [4]int{max(x0, f.clip[0]), max(y0, f.clip[1]), min(x1, f.clip[2]), min(y1, f.clip[3])}
	flags := f.sprites.flags
	for w := range t.jobs {
		b := &t.bins[w]
		// After binning, start[k] is where tile k's run ends and the run
		// begins where tile k-1's ended.
		from := int32(0)
		if k > 0 {
			from = b.start[k-1]
		}
		for _, e := range b.entries[from:b.start[k]] {
			fl := flags[e.i]
			g := f.geometry(e.x, e.y, fl)
			f.drawSprite(int(e.i), fl, &g, r)
		}
	}
}
