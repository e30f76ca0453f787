package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// job computes one layout in a background goroutine. It publishes its
// progress, its latest snapshot and its result into a mailbox that the GL
// loop polls once per frame without blocking; it never touches GL.
type job struct {
	method string
	cancel context.CancelFunc

	mu       sync.Mutex
	progress projection.Progress
	snap     []float32 // latest positions, replaced (not mutated) by the job
	seq      int       // bumped on each new snap
	done     bool
	final    bool // snap is the finished layout
	fromDisk bool // the result came from the cache
	err      error
	elapsed  time.Duration
}

// jobStatus is a copy of a job's state, taken under its lock.
type jobStatus struct {
	progress projection.Progress
	snap     []float32
	seq      int
	done     bool
	final    bool
	fromDisk bool
	err      error
	elapsed  time.Duration
}

// status returns a copy of the job's mailbox.
func (j *job) status() jobStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobStatus{j.progress, j.snap, j.seq, j.done, j.final, j.fromDisk, j.err, j.elapsed}
}

// jobEnv is what every job needs to know about the run.
type jobEnv struct {
	ds    *mnist.Dataset
	data  func() *projection.Matrix // ds as float32 in [0, 1], built once on first use
	opts  pipeline.Options
	cache *layoutcache.Cache // nil disables caching
	hash  func() [32]byte    // dataset content hash, computed once on first use
	logf  func(format string, args ...any)
	files map[string]string // layouts read from files (--layout-file): name -> path
}

// startJob starts computing method in the background.
func startJob(parent context.Context, env *jobEnv, method string) *job {
	ctx, cancel := context.WithCancel(parent)
	j := &job{method: method, cancel: cancel}
	go j.run(ctx, env)
	return j
}

func (j *job) run(ctx context.Context, env *jobEnv) {
	start := time.Now()
	finish := func(layout []float32, fromDisk bool, err error) {
		j.mu.Lock()
		defer j.mu.Unlock()
		j.done, j.err, j.fromDisk, j.elapsed = true, err, fromDisk, time.Since(start)
		if err == nil {
			j.snap, j.final = layout, true
			j.seq++
		}
	}
	defer func() {
		if r := recover(); r != nil {
			finish(nil, false, fmt.Errorf("%s crashed: %v", pipeline.Title(j.method), r))
		}
	}()

	if os.Getenv("MNIST_EXPLORER_FAULT") == j.method {
		panic("injected fault (MNIST_EXPLORER_FAULT) in " + j.method)
	}
	if path, ok := env.files[j.method]; ok {
		layout, err := readLayoutFile(path, env.ds.Len())
		finish(layout, false, err)
		return
	}
	var key layoutcache.Key
	var err error
	useCache := env.cache != nil && j.method != "pca"
	if useCache {
		key = pipeline.CacheKey(env.hash(), env.ds.Len(), j.method, env.opts)
		if j.method == neighborsJob {
			key.Cols = suspectK
		}
		layout, err := env.cache.Get(key)
		switch {
		case err == nil:
			finish(layout, true, nil)
			return
		case errors.Is(err, layoutcache.ErrInvalid):
			env.logf("ignoring cached layout (%v); recomputing", err)
		case !errors.Is(err, layoutcache.ErrMiss):
			env.logf("layout cache: %v", err)
		}
	}

	hooks := &projection.Hooks{
		Progress: func(p projection.Progress) {
			j.mu.Lock()
			j.progress = p
			j.mu.Unlock()
		},
		Snapshot: func(pos []float32, step int) {
			cp := append([]float32(nil), pos...)
			j.mu.Lock()
			j.snap = cp
			j.seq++
			j.mu.Unlock()
		},
		SnapshotEvery: 5,
	}
	var out []float32
	if j.method == neighborsJob {
		out, err = computeNeighbors(ctx, env, hooks)
	} else {
		var res *pipeline.Result
		var data *projection.Matrix
		if j.method != "pca" { // PCA streams the uint8 pixels: no float copy before the first frame
			data = env.data()
		}
		if res, err = pipeline.Compute(ctx, j.method, env.ds, data, env.opts, hooks); err == nil {
			out = res.Layout
		}
	}
	if err != nil {
		finish(nil, false, err)
		return
	}
	if useCache {
		if err := env.cache.Put(key, out); err != nil {
			env.logf("layout cache: %v", err)
		}
	}
	finish(out, false, nil)
}

// onceHash returns a function that hashes ds on first call and then
// returns the same value; it is safe for concurrent use.
func onceHash(ds *mnist.Dataset) func() [32]byte {
	return sync.OnceValue(ds.Hash)
}

// neighborsJob is the job name of the pixel-space neighbour graph behind
// the suspicious-label view (not a layout).
const neighborsJob = "knn10"

// suspectK is the number of pixel-space neighbours that vote on a label.
const suspectK = 10

// computeNeighbors finds each row's suspectK nearest neighbours in pixel
// space (NN-descent; exact for small N) and returns their indices as
// float32 (exact below 2^24 rows), the cache's value type.
func computeNeighbors(ctx context.Context, env *jobEnv, h *projection.Hooks) ([]float32, error) {
	g, err := projection.NearestNeighbors(ctx, env.data(), suspectK, projection.KNNSettings{Seed: env.opts.Seed}, h)
	if err != nil {
		return nil, err
	}
	out := make([]float32, len(g.Index))
	for i, v := range g.Index {
		out[i] = float32(v)
	}
	return out, nil
}

// readLayoutFile reads a layout computed elsewhere, which must have one
// row per dataset row.
func readLayoutFile(path string, n int) ([]float32, error) {
	return projection.ReadLayoutFile(path, n)
}
