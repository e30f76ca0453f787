package layoutcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
)

// GraphVersion is the on-disk format version of neighbour graphs; entries
// of other versions are ignored.
const GraphVersion = 1

var graphFormat = format{magic: "MNXKNNG\x00", version: GraphVersion, name: "neighbour graph"}

// graphMethod is the method recorded in every graph entry.
const graphMethod = "knn"

// GraphKey identifies a cached neighbour graph: the K nearest neighbours
// of each of the N rows of a dataset.
type GraphKey struct {
	Dataset  [32]byte // content hash of the dataset
	Settings string   // canonical description of every setting that changes the graph
	N, K     int      // rows and neighbours per row
}

func (k GraphKey) header() header {
	return header{dataset: k.Dataset, method: graphMethod, settings: k.Settings, n: k.N, cols: k.K}
}

// GraphPath returns the file that holds k's entry.
func (c *Cache) GraphPath(k GraphKey) string {
	h := sha256.New()
	fmt.Fprintf(h, "graph v%d\x00%x\x00%s\x00%d\x00%d", GraphVersion, k.Dataset, k.Settings, k.N, k.K)
	return filepath.Join(c.Dir, fmt.Sprintf("knn%d-%s.graph", k.K, hex.EncodeToString(h.Sum(nil)[:12])))
}

// GetGraph returns the cached graph for k, N x K row indices (row-major;
// -1 marks a slot the search left empty): ErrMiss if there is none, an
// error wrapping ErrInvalid if the entry cannot be trusted.
func (c *Cache) GetGraph(k GraphKey) ([]int32, error) {
	return load(graphFormat, c.GraphPath(k), k.header(), func(data []byte) ([]int32, error) { return DecodeGraph(data, k) })
}

// PutGraph stores idx (N x K row indices, each -1 or in [0, N)) under k
// atomically.
func (c *Cache) PutGraph(k GraphKey, idx []int32) error {
	if err := CheckGraph(idx, k.N); err != nil {
		return fmt.Errorf("layoutcache: not storing neighbour graph: %w", err)
	}
	return c.store(c.GraphPath(k), EncodeGraph(k, idx))
}

// EncodeGraph serialises a graph entry.
func EncodeGraph(k GraphKey, idx []int32) []byte {
	return encode(graphFormat, k.header(), idx)
}

// DecodeGraph parses and verifies a graph entry against want. It never
// trusts a length before checking it against the bytes present.
func DecodeGraph(data []byte, want GraphKey) ([]int32, error) {
	return decode(graphFormat, data, want.header(), func(idx []int32) error { return CheckGraph(idx, want.N) })
}

// CheckGraph returns an error naming the first index of idx that is
// neither -1 (an empty slot) nor a row of an n-row dataset, and nil if
// there is none.
func CheckGraph(idx []int32, n int) error {
	for i, j := range idx {
		if j < -1 || int64(j) >= int64(n) {
			return fmt.Errorf("index %d (entry %d) is not a row of %d", j, i, n)
		}
	}
	return nil
}
