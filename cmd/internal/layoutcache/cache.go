// Package layoutcache stores computed layouts on disk so that a second start
// of the app shows them at once.
//
// An entry is one file per (dataset content hash, method, settings),
// written atomically (temporary file, then rename), so concurrent writers
// never leave a torn file: the last rename wins with a complete entry. Each
// file carries a format version, the dataset hash, the method and settings
// it was computed with, and a SHA-256 checksum of everything before it. An
// entry that is stale, foreign or damaged is reported as ErrInvalid and the
// caller recomputes.
package layoutcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
)

// Version is the on-disk format version; entries of other versions are ignored.
const Version = 2

const magic = "MNXLAYT\x00"

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

// Cache is a directory of layout entries.
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
// wrapping ErrInvalid if the entry cannot be trusted.
func (c *Cache) Get(k Key) ([]float32, error) {
	path := c.Path(k)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrMiss
	}
	if err != nil {
		return nil, fmt.Errorf("layoutcache: %w", err)
	}
	layout, err := Decode(data, k)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, path, err)
	}
	return layout, nil
}

// Put stores layout (N x Cols values) under k atomically.
func (c *Cache) Put(k Key, layout []float32) error {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("layoutcache: %w", err)
	}
	return atomicfile.WriteBytes(c.Path(k), Encode(k, layout))
}

// Encode serialises an entry.
func Encode(k Key, layout []float32) []byte {
	var b bytes.Buffer
	b.WriteString(magic)
	binary.Write(&b, binary.LittleEndian, uint32(Version))
	b.Write(k.Dataset[:])
	writeString(&b, k.Method)
	writeString(&b, k.Settings)
	binary.Write(&b, binary.LittleEndian, uint64(len(layout)/k.cols()))
	binary.Write(&b, binary.LittleEndian, uint32(k.cols()))
	binary.Write(&b, binary.LittleEndian, layout)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	binary.Write(b, binary.LittleEndian, uint32(len(s)))
	b.WriteString(s)
}

// Decode parses and verifies an entry against want. It never trusts a
// length before checking it against the bytes present.
func Decode(data []byte, want Key) ([]float32, error) {
	if len(data) < len(magic)+4+32+sha256.Size {
		return nil, errors.New("too short")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch")
	}
	r := body
	if string(r[:len(magic)]) != magic {
		return nil, errors.New("not a layout cache entry")
	}
	r = r[len(magic):]
	if v := binary.LittleEndian.Uint32(r); v != Version {
		return nil, fmt.Errorf("format version %d, want %d", v, Version)
	}
	r = r[4:]
	if !bytes.Equal(r[:32], want.Dataset[:]) {
		return nil, errors.New("computed for another dataset")
	}
	r = r[32:]
	method, r, err := readString(r)
	if err != nil {
		return nil, err
	}
	settings, r, err := readString(r)
	if err != nil {
		return nil, err
	}
	if method != want.Method || settings != want.Settings {
		return nil, fmt.Errorf("computed as %s %q, want %s %q", method, settings, want.Method, want.Settings)
	}
	if len(r) < 12 {
		return nil, errors.New("truncated")
	}
	n, cols := binary.LittleEndian.Uint64(r), binary.LittleEndian.Uint32(r[8:])
	r = r[12:]
	if n != uint64(want.N) || int(cols) != want.cols() || uint64(len(r)) != 4*uint64(cols)*n {
		return nil, fmt.Errorf("holds %d rows of %d in %d bytes, want %d rows of %d", n, cols, len(r), want.N, want.cols())
	}
	layout := make([]float32, uint64(cols)*n)
	for i := range layout {
		v := math.Float32frombits(binary.LittleEndian.Uint32(r[4*i:]))
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("row %d is not finite", i/int(cols))
		}
		layout[i] = v
	}
	return layout, nil
}

func readString(r []byte) (string, []byte, error) {
	if len(r) < 4 {
		return "", nil, errors.New("truncated")
	}
	n := binary.LittleEndian.Uint32(r)
	if n > maxString || uint64(n) > uint64(len(r)-4) {
		return "", nil, fmt.Errorf("bad string length %d", n)
	}
	return string(r[4 : 4+n]), r[4+n:], nil
}
