// Package layoutcache stores computed layouts, and the neighbour graphs
// behind the app's label checks, on disk so that a second start of the app
// shows them at once.
//
// An entry is one file per (kind, dataset content hash, method, settings),
// written atomically (temporary file, then rename), so concurrent writers
// never leave a torn file: the last rename wins with a complete entry. Each
// file carries its kind and format version, the dataset hash, the method
// and settings it was computed with, and a SHA-256 checksum of everything
// before it. There are two kinds: layouts (Key, Get, Put: float32 values,
// all finite) and neighbour graphs (GraphKey, GetGraph, PutGraph: int32
// row indices), each with its own magic and version.
//
// An entry that is stale, foreign or damaged is reported as ErrInvalid and
// the caller recomputes. Reading is bounded by what the caller expects:
// anything at an entry's path that is not a regular file (a named pipe, a
// device, a directory, a symbolic link, even one to a valid entry) is
// invalid without being opened for a blocking read, and a file whose size
// differs from the size its header and the key imply is invalid before its
// values are read.
package layoutcache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
)

// Version is the on-disk format version of layouts; entries of other
// versions are ignored.
const Version = 2

const magic = "MNXLAYT\x00"

var layoutFormat = format{magic: magic, version: Version, name: "layout"}

// maxString bounds the method and settings strings in an entry.
const maxString = 4096

// ErrMiss means no entry exists for the key.
var ErrMiss = errors.New("layoutcache: no entry")

// ErrInvalid means an entry exists but is damaged, stale or foreign.
var ErrInvalid = errors.New("layoutcache: invalid entry")

// Key identifies a cached layout.
type Key struct {
	Dataset  [32]byte // content hash of the dataset
	Method   string   // "umap", "tsne", ...
	Settings string   // canonical description of every setting that changes the result
	N        int      // number of rows
	Cols     int      // values per row; zero means 2 (a layout)
}

func (k Key) cols() int {
	if k.Cols <= 0 {
		return 2
	}
	return k.Cols
}

func (k Key) header() header {
	return header{dataset: k.Dataset, method: k.Method, settings: k.Settings, n: k.N, cols: k.cols()}
}

// Cache is a directory of entries. Its methods may be called concurrently,
// from several goroutines or processes.
type Cache struct {
	Dir string
}

// Default returns the cache in the user's cache directory
// (os.UserCacheDir()/mnist-explorer/layouts).
func Default() (*Cache, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("layoutcache: %w", err)
	}
	return &Cache{Dir: filepath.Join(base, "mnist-explorer", "layouts")}, nil
}

// Path returns the file that holds k's entry.
func (c *Cache) Path(k Key) string {
	h := sha256.New()
	fmt.Fprintf(h, "v%d\x00%x\x00%s\x00%s\x00%d\x00%d", Version, k.Dataset, k.Method, k.Settings, k.N, k.cols())
	return filepath.Join(c.Dir, k.Method+"-"+hex.EncodeToString(h.Sum(nil)[:12])+".layout")
}

// Get returns the cached layout for k: ErrMiss if there is none, an error
// wrapping ErrInvalid if the entry cannot be trusted (including anything at
// its path that is not a regular file: see the package comment).
func (c *Cache) Get(k Key) ([]float32, error) {
	return load(layoutFormat, c.Path(k), k.header(), func(data []byte) ([]float32, error) { return Decode(data, k) })
}

// Put stores layout (N x Cols values, all finite) under k atomically.
func (c *Cache) Put(k Key, layout []float32) error {
	if err := CheckFinite(layout, k.cols()); err != nil {
		return fmt.Errorf("layoutcache: not storing %s layout: %w", k.Method, err)
	}
	return c.store(c.Path(k), Encode(k, layout))
}

// store writes an entry's bytes to path atomically.
func (c *Cache) store(path string, data []byte) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("layoutcache: %w", err)
	}
	return atomicfile.WriteBytes(path, data)
}

// load reads the entry of f at path and decodes it with dec.
func load[T any](f format, path string, want header, dec func([]byte) ([]T, error)) ([]T, error) {
	data, err := read(f, path, want)
	if err != nil {
		return nil, err
	}
	vals, err := dec(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	return vals, nil
}

// Encode serialises an entry.
func Encode(k Key, layout []float32) []byte {
	return encode(layoutFormat, k.header(), layout)
}

// Decode parses and verifies an entry against want. It never trusts a
// length before checking it against the bytes present.
func Decode(data []byte, want Key) ([]float32, error) {
	return decode(layoutFormat, data, want.header(), func(l []float32) error { return CheckFinite(l, want.cols()) })
}

// CheckFinite returns an error naming the first row (of cols values) of
// layout that holds a NaN or an infinity, and nil if there is none.
func CheckFinite(layout []float32, cols int) error {
	for i, v := range layout {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("row %d is not finite", i/max(cols, 1))
		}
	}
	return nil
}
