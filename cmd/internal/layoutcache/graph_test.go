package layoutcache

import (
	"crypto/sha256"
	"errors"
	"math"
	"os"
	"slices"
	"testing"
)

func graphKey() GraphKey {
	return GraphKey{Dataset: [32]byte{1, 2, 3}, Settings: "k=2 seed=1", N: 3, K: 2}
}

func TestGraphRoundTripAndMiss(t *testing.T) {
	c := &Cache{Dir: t.TempDir() + "/sub"}
	k := graphKey()
	if _, err := c.GetGraph(k); err != ErrMiss {
		t.Fatalf("empty cache: %v", err)
	}
	idx := []int32{1, 2, 0, 2, -1, 0}
	if err := c.PutGraph(k, idx); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetGraph(k)
	if err != nil || !slices.Equal(got, idx) {
		t.Fatalf("got %v, %v; want %v", got, err, idx)
	}
	for name, other := range map[string]GraphKey{
		"k":        {Dataset: k.Dataset, Settings: k.Settings, N: 3, K: 1},
		"settings": {Dataset: k.Dataset, Settings: "k=2 seed=2", N: 3, K: 2},
		"rows":     {Dataset: k.Dataset, Settings: k.Settings, N: 4, K: 2},
	} {
		if c.GraphPath(other) == c.GraphPath(k) {
			t.Errorf("another %s shares the file", name)
		}
		if _, err := c.GetGraph(other); err != ErrMiss {
			t.Errorf("another %s: %v, want ErrMiss", name, err)
		}
	}
}

// A graph and a layout of the same rows and settings never stand in for
// each other, even when one is copied over the other's file.
func TestGraphAndLayoutAreDistinctKinds(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	gk := graphKey()
	lk := Key{Dataset: gk.Dataset, Method: graphMethod, Settings: gk.Settings, N: gk.N, Cols: gk.K}
	if c.Path(lk) == c.GraphPath(gk) {
		t.Fatal("a layout and a graph share a file")
	}
	if err := os.WriteFile(c.GraphPath(gk), Encode(lk, []float32{1, 2, 0, 2, 1, 0}), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetGraph(gk); !errors.Is(err, ErrInvalid) {
		t.Errorf("layout entry read as a graph: %v, want ErrInvalid", err)
	}
	if err := os.WriteFile(c.Path(lk), EncodeGraph(gk, []int32{1, 2, 0, 2, 1, 0}), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(lk); !errors.Is(err, ErrInvalid) {
		t.Errorf("graph entry read as a layout: %v, want ErrInvalid", err)
	}
}

// Put refuses what Get would refuse: nothing unusable is ever written.
func TestPutRefusesUnusableValues(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	nan := float32(math.NaN())
	if err := c.Put(key(), []float32{1, 2, 3, nan, 5, 6}); err == nil {
		t.Error("a layout with a NaN was stored")
	}
	if err := c.PutGraph(graphKey(), []int32{1, 2, 0, 7, 1, 0}); err == nil {
		t.Error("a graph with an index out of range was stored")
	}
	if left, _ := os.ReadDir(c.Dir); len(left) != 0 {
		t.Errorf("%d files written", len(left))
	}
}

// FuzzDecodeGraphSealed appends the right checksum to every input, so the
// fuzzer explores the graph parser behind it. DecodeGraph must return an
// error or exactly want.N x want.K indices, each -1 or a row.
func FuzzDecodeGraphSealed(f *testing.F) {
	k := graphKey()
	for _, idx := range [][]int32{{1, 2, 0, 2, 1, 0}, {1, 2, 0, 2, -1, -1}, {1, 2, 0, 3, 1, 0}, {1, 2}, {}} {
		e := EncodeGraph(k, idx)
		f.Add(e[:len(e)-sha256.Size])
	}
	e := Encode(key(), []float32{1, 2, 3, 4, 5, 6}) // a layout, not a graph
	f.Add(e[:len(e)-sha256.Size])
	huge := EncodeGraph(k, []int32{1, 2, 0, 2, 1, 0})
	huge = huge[:len(huge)-sha256.Size]
	rowsAt := len(graphFormat.magic) + 4 + 32 + 4 + len(graphMethod) + 4 + len(k.Settings)
	copy(huge[rowsAt:], []byte{0, 0, 0, 0, 0, 0, 0, 0x20}) // 2^61 rows
	f.Add(huge)
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := sha256.Sum256(body)
		idx, err := DecodeGraph(append(body[:len(body):len(body)], sum[:]...), k)
		if err != nil {
			if idx != nil {
				t.Fatalf("error %v with %d indices", err, len(idx))
			}
			return
		}
		if len(idx) != k.N*k.K {
			t.Fatalf("accepted %d indices, want %d", len(idx), k.N*k.K)
		}
		for i, j := range idx {
			if j < -1 || int(j) >= k.N {
				t.Fatalf("accepted index %d at %d", j, i)
			}
		}
	})
}
