package region

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// blockWords is the number of 64-row words one worker handles at a time
// (16,384 rows): big enough to amortise the hand-out, small enough to
// balance a lasso that covers one end of the rows.
const blockWords = 256

// Select combines the rows whose points lie inside shape into dst by op
// (Replace, Add or Remove) and returns how many rows lie inside. pos holds
// the layout, x and y interleaved (dst.Len() x 2), in the shape's
// coordinates.
//
// Rows outside the shape's bounding box are rejected at once; a polygon's
// edges are bucketed once by horizontal band, so a point tests only the
// few edges that cross its band. Select splits the rows into blocks of
// whole 64-row words over GOMAXPROCS goroutines; each row's answer depends
// only on its own point, so the result is the same however many run.
// Beyond the shape's preparation (proportional to its vertex count) it
// allocates nothing per point. It panics if len(pos) != 2*dst.Len().
func Select(dst *Set, pos []float32, shape Shape, op Op) int {
	if len(pos) != 2*dst.n {
		panic(fmt.Sprintf("region: %d coordinates for a set of %d rows", len(pos), dst.n))
	}
	m := shape.compile()
	blocks := (len(dst.words) + blockWords - 1) / blockWords
	workers := min(runtime.GOMAXPROCS(0), blocks)
	inside := make([]int, blocks)
	var next atomic.Int64
	work := func() {
		for {
			b := int(next.Add(1) - 1)
			if b >= blocks {
				return
			}
			inside[b] = m.selectWords(dst, pos, b*blockWords, min((b+1)*blockWords, len(dst.words)), op)
		}
	}
	if workers <= 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range workers {
			wg.Go(work)
		}
		wg.Wait()
	}
	dst.recount()
	total := 0
	for _, n := range inside {
		total += n
	}
	return total
}

// selectWords tests the rows of words [w0, w1) and combines them into dst.
// Workers own disjoint words, so they never write the same memory.
func (m *matcher) selectWords(dst *Set, pos []float32, w0, w1 int, op Op) int {
	inside := 0
	for w := w0; w < w1; w++ {
		var bits uint64
		if !m.empty {
			base := w << 6
			for i := base; i < min(base+64, dst.n); i++ {
				if m.contains(float64(pos[2*i]), float64(pos[2*i+1])) {
					bits |= 1 << (i - base)
					inside++
				}
			}
		}
		dst.words[w] = op.apply(dst.words[w], bits)
	}
	return inside
}
