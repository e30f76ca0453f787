package projection

import (
	"context"
	"runtime"
	"sync"
)

// workersPerCPU bounds every Workers setting: more goroutines than this
// many per CPU (GOMAXPROCS) add no speed, only per-worker memory.
const workersPerCPU = 4

// workerCount is the one rule for a Workers setting: zero or negative means
// runtime.GOMAXPROCS(0); any value is clamped to [1, 4*GOMAXPROCS]. Each
// Settings type's withDefaults applies it; algorithms then use fewer where
// there is less work than workers.
func workerCount(w int) int {
	p := runtime.GOMAXPROCS(0)
	if w <= 0 {
		return p
	}
	return min(w, workersPerCPU*p)
}

// The parallel loops of the package. Each divides work in a way that depends
// only on its arguments, never on scheduling, so results that sum per worker
// or per block are reproducible.

// parallelRanges splits [0, n) into at most workers contiguous chunks and
// runs fn(w, lo, hi) for chunk w, chunk 0 on the calling goroutine and the
// others on their own, returning when all are done. Chunk boundaries depend
// only on n and workers.
func parallelRanges(n, workers int, fn func(w, lo, hi int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w, w*n/workers, (w+1)*n/workers)
		}()
	}
	fn(0, 0, n/workers)
	wg.Wait()
}

// parallelWorkers runs fn(w) for w in [0, workers) on as many goroutines (the
// caller's included) and waits for them all.
func parallelWorkers(workers int, fn func(w int)) {
	workers = max(1, workers)
	parallelRanges(workers, workers, func(w, _, _ int) { fn(w) })
}

// forBlocks runs nblocks blocks on workers goroutines, block b on worker
// b % workers so that each worker's share (and so any per-worker sum) is
// fixed. setup(w) runs on worker w before its blocks and returns the block
// function. It stops early, returning ctx.Err(), once ctx is done.
func forBlocks(ctx context.Context, workers, nblocks int, setup func(w int) func(b int)) error {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			run := setup(w)
			for b := w; b < nblocks; b += workers {
				if ctx.Err() != nil {
					return
				}
				run(b)
			}
		}(w)
	}
	wg.Wait()
	return ctx.Err()
}
