package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// Need is the input a method reads.
type Need int

const (
	// NeedsPixels: the dataset itself, streamed as float32 rows from its
	// uint8 pixels (a projection.Source), so no float copy of it is made.
	NeedsPixels Need = iota
	// NeedsMatrix: the dataset as one float32 matrix in [0, 1]
	// (Input.Matrix), built once and shared read-only by every job.
	NeedsMatrix
)

// Method is a layout method: what it is called, what it needs and how it
// is computed and cached. The registry (All, Lookup) holds every method;
// a Method is read-only once registered.
type Method struct {
	Name  string // flag value and cache name, e.g. "umap"
	Title string // display name, e.g. "UMAP"
	// Cacheable reports whether results go into the layout cache; false
	// where computing is about as quick as reading an entry.
	Cacheable bool
	Needs     Need // the input Run is given
	// Settings describes every setting in o that changes the method's
	// result, for the cache key (Key). Only cacheable methods have one.
	Settings func(o Options) string
	// Run computes the layout of src: the dataset for NeedsPixels, a
	// *projection.Matrix shared read-only with other jobs for NeedsMatrix.
	// It reports progress and snapshots on h (which may be nil) and stops
	// with ctx.Err() when ctx is cancelled.
	Run func(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error)
}

// All returns the layout methods in the order the app offers them. The
// slice is a copy; the methods are shared.
func All() []*Method { return append([]*Method(nil), registry...) }

// Names returns the methods' names, in the order of All.
func Names() []string {
	names := make([]string, len(registry))
	for i, m := range registry {
		names[i] = m.Name
	}
	return names
}

// Lookup returns the method called name.
func Lookup(name string) (*Method, bool) {
	for _, m := range registry {
		if m.Name == name {
			return m, true
		}
	}
	return nil, false
}

// Compute runs m on the input it needs from in, without the cache (see
// Obtain). A panic inside the algorithm is recovered and returned as an
// error, so a failing background job cannot take the app down.
func (m *Method) Compute(ctx context.Context, in *Input, o Options, h *projection.Hooks) (*Result, error) {
	return recovered(m.Title, func() (*Result, error) {
		return m.Run(ctx, in.source(m.Needs), o, h)
	})
}

// source returns what a method that needs need reads of in: the dataset
// for NeedsPixels, the shared matrix for NeedsMatrix and for feature
// inputs (whose matrix is the data).
func (in *Input) source(need Need) projection.Source {
	if need == NeedsMatrix || in.features {
		return in.Matrix()
	}
	return in.Dataset()
}

// Key returns the cache key of m's layout of in under o.
func (m *Method) Key(in *Input, o Options) layoutcache.Key {
	return layoutKey(in.Hash(), in.Len(), m.Name, o.Seed, m.settings(o))
}

// settings returns m.Settings(o), or "" if m has none.
func (m *Method) settings(o Options) string {
	if m.Settings == nil {
		return ""
	}
	return m.Settings(o)
}

// layoutKey builds a layout's cache key; its Settings string is the one
// every earlier build wrote, so cached layouts keep their files.
func layoutKey(hash [32]byte, n int, name string, seed uint64, settings string) layoutcache.Key {
	return layoutcache.Key{
		Dataset:  hash,
		Method:   name,
		Settings: fmt.Sprintf("%s seed=%d %s", name, seed, settings),
		N:        n,
	}
}

// recovered calls f and turns a panic in it into an error naming what.
func recovered[T any](what string, f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s crashed: %v\n%s", what, r, debug.Stack())
		}
	}()
	return f()
}
