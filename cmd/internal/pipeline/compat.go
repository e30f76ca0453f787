package pipeline

import (
	"context"
	"fmt"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// The string-keyed API the explorer used before the registry. It is kept,
// built on the registry, until cmd/mnist-explorer moves to All, Lookup and
// Obtain; then this file goes.

// Methods lists the layout methods' names in the order the app offers them.
//
// Deprecated: use All or Names.
var Methods = Names()

// Known reports whether m names a layout method.
//
// Deprecated: use Lookup.
func Known(m string) bool {
	_, ok := Lookup(m)
	return ok
}

// Title returns a method's display name, or m itself if it names none.
//
// Deprecated: use Lookup and Method.Title.
func Title(m string) string {
	if meth, ok := Lookup(m); ok {
		return meth.Title
	}
	return m
}

// Compute runs method on ds; data, if not nil, is ds's float32 matrix.
//
// Deprecated: use Method.Compute or Obtain with an Input.
func Compute(ctx context.Context, method string, ds *mnist.Dataset, data *projection.Matrix, o Options, h *projection.Hooks) (*Result, error) {
	m, ok := Lookup(method)
	if !ok {
		return nil, fmt.Errorf("unknown layout method %q (want one of %v)", method, Names())
	}
	var src projection.Source = ds
	if data != nil {
		src = data
	}
	return recovered(m.Title, func() (*Result, error) { return m.Run(ctx, src, o, h) })
}

// CacheKey returns the cache key of method's layout of ds under o.
//
// Deprecated: use Method.Key or Obtain.
func CacheKey(hash [32]byte, n int, method string, o Options) layoutcache.Key {
	m, ok := Lookup(method)
	if !ok {
		m = &Method{Name: method}
	}
	return layoutKey(hash, n, method, o.Seed, m.settings(o))
}
