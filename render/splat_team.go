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
// started once and kept, so a frame allocates nothing once the tile lists
// have grown to the scene. A frame is two phases: each worker sorts an
// equal share of the sprites, in order, into per-tile lists of its own
// (binning); then the workers take tiles one at a time and draw each
// tile's sprites from every worker's lists in worker order, which is
// sprite order, so every pixel blends its sprites in the order GL would.
type splatWorkers struct {
	once  sync.Once
	jobs  []chan struct{}
	wg    sync.WaitGroup
	f     *splatFrame
	phase int // splatBin or splatDraw
	next  atomic.Int32

	tilesX, tiles int
	lists         [][]splatEntry // worker w's sprites over tile t: lists[w*tiles+t]
}

// splatEntry is a sprite in a tile's list: its index and its centre in
// window pixels, so that drawing a tile reads no positions (a million
// sprites' positions do not fit the cache).
type splatEntry struct {
	i    int32
	x, y float32
}

// The phases of a frame.
const (
	splatBin = iota
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
	if n := len(t.jobs) * t.tiles; len(t.lists) < n {
		t.lists = append(t.lists, make([][]splatEntry, n-len(t.lists))...)
	}
	for _, phase := range [...]int{splatBin, splatDraw} {
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
	f := t.f
	if t.phase == splatBin {
		n := len(f.sprites.flags)
		t.bin(w, n*w/len(t.jobs), n*(w+1)/len(t.jobs))
		return
	}
	for {
		tile := int(t.next.Add(1)) - 1
		if tile >= t.tiles {
			return
		}
		t.drawTile(tile)
	}
}

// bin appends the visible sprites lo..hi-1 to worker w's lists of the
// tiles they cover (inside the frame's clip box).
func (t *splatWorkers) bin(w, lo, hi int) {
	f := t.f
	lists := t.lists[w*t.tiles : (w+1)*t.tiles]
	for i := range lists {
		lists[i] = lists[i][:0]
	}
	c := f.clip
	for i, fl := range f.sprites.flags[lo:hi] {
		if fl&FlagHidden != 0 {
			continue
		}
		i += lo
		x, y := f.centre(i)
		g := f.geometry(x, y, fl)
		x0, x1 := max(g.px0, c[0]), min(g.px1, c[2])
		y0, y1 := max(g.py0, c[1]), min(g.py1, c[3])
		if x0 >= x1 || y0 >= y1 {
			continue
		}
		for ty := y0 / splatTile; ty <= (y1-1)/splatTile; ty++ {
			for tx := x0 / splatTile; tx <= (x1-1)/splatTile; tx++ {
				k := ty*t.tilesX + tx
				lists[k] = append(lists[k], splatEntry{int32(i), x, y})
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
		for _, e := range t.lists[w*t.tiles+k] {
			fl := flags[e.i]
			g := f.geometry(e.x, e.y, fl)
			f.drawSprite(int(e.i), fl, &g, r)
		}
	}
}
