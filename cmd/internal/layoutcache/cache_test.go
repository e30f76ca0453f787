package layoutcache

import (
	"crypto/sha256"
	"errors"
	"math"
	"os"
	"sync"
	"testing"
)

func key() Key {
	return Key{Dataset: [32]byte{1, 2, 3}, Method: "umap", Settings: "nn=15 seed=1", N: 3}
}

func TestRoundTripAndMiss(t *testing.T) {
	c := &Cache{Dir: t.TempDir() + "/sub"}
	if _, err := c.Get(key()); err != ErrMiss {
		t.Fatalf("empty cache: %v", err)
	}
	layout := []float32{1, 2, 3, 4, -5, 6.5}
	if err := c.Put(key(), layout); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(key())
	if err != nil || len(got) != 6 || got[5] != 6.5 {
		t.Fatalf("got %v, %v", got, err)
	}
	other := key()
	other.Settings = "nn=30 seed=1"
	if c.Path(other) == c.Path(key()) {
		t.Error("different settings share a file")
	}
	if _, err := c.Get(other); err != ErrMiss {
		t.Errorf("other settings: %v", err)
	}
}

// Damaged, stale and foreign entries of both kinds are ErrInvalid.
func TestDamagedEntriesAreInvalid(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	k, gk := key(), graphKey()
	good := Encode(k, []float32{1, 2, 3, 4, 5, 6})
	goodGraph := EncodeGraph(gk, []int32{1, 2, 0, 2, 1, 0})
	foreign, foreignGraph := k, gk
	foreign.Dataset[0], foreignGraph.Dataset[0] = 9, 9
	getLayout := func() error { _, err := c.Get(k); return err }
	getGraph := func() error { _, err := c.GetGraph(gk); return err }
	cases := map[string]struct {
		data []byte
		get  func() error
	}{
		"truncated":          {good[:len(good)-5], getLayout},
		"empty":              {[]byte{}, getLayout},
		"bit flip":           {flip(good, 60), getLayout},
		"flip in sum":        {flip(good, len(good)-1), getLayout},
		"foreign data":       {Encode(foreign, []float32{1, 2, 3, 4, 5, 6}), getLayout},
		"wrong rows":         {Encode(k, []float32{1, 2}), getLayout},
		"graph truncated":    {goodGraph[:len(goodGraph)-5], getGraph},
		"graph bit flip":     {flip(goodGraph, 60), getGraph},
		"graph foreign data": {EncodeGraph(foreignGraph, []int32{1, 2, 0, 2, 1, 0}), getGraph},
		"graph wrong rows":   {EncodeGraph(gk, []int32{1, 2}), getGraph},
		"index too big":      {EncodeGraph(gk, []int32{1, 2, 0, 3, 1, 0}), getGraph},
		"index negative":     {EncodeGraph(gk, []int32{1, 2, 0, -2, 1, 0}), getGraph},
	}
	for name, tc := range cases {
		for _, path := range []string{c.Path(k), c.GraphPath(gk)} {
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := tc.get(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestColumnsAreChecked(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	k := key()
	k.Cols = 3
	if err := c.Put(k, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(k); err != nil || len(got) != 9 {
		t.Fatalf("got %v, %v", got, err)
	}
	two := k
	two.Cols = 0
	if _, err := Decode(Encode(k, make([]float32, 9)), two); err == nil {
		t.Error("3-column entry accepted as a 2-column layout")
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x10
	return c
}

// Concurrent writers and readers never see a torn entry.
func TestConcurrentWriters(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	k := key()
	k.N = 5000
	a, b := make([]float32, 10000), make([]float32, 10000)
	for i := range b {
		b[i] = float32(i)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				l := a
				if (i+w)%2 == 1 {
					l = b
				}
				if err := c.Put(k, l); err != nil {
					t.Error(err)
				}
				if _, err := c.Get(k); err != nil && err != ErrMiss {
					t.Errorf("read during writes: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	if _, err := c.Get(k); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(c.Dir)
	if len(left) != 1 {
		t.Errorf("%d files left, want 1 (no temporaries)", len(left))
	}
}

func FuzzDecode(f *testing.F) {
	k := key()
	f.Add(Encode(k, []float32{1, 2, 3, 4, 5, 6}))
	f.Add([]byte{})
	f.Add([]byte(magic))
	// Entries with valid checksums that must still be refused: another row
	// count, dataset, method or version, non-finite values, a cut body.
	f.Add(Encode(k, []float32{1, 2}))
	other := k
	other.Dataset[31] = 1
	f.Add(Encode(other, []float32{1, 2, 3, 4, 5, 6}))
	other = k
	other.Method = "tsne"
	f.Add(Encode(other, []float32{1, 2, 3, 4, 5, 6}))
	inf := float32(math.Inf(1))
	f.Add(Encode(k, []float32{1, 2, inf, 4, 5, 6}))
	v2 := Encode(k, []float32{1, 2, 3, 4, 5, 6})
	v2[len(magic)] = 2
	f.Add(seal(v2[:len(v2)-sha256.Size]))
	cut := Encode(k, []float32{1, 2, 3, 4, 5, 6})
	f.Add(seal(cut[:len(cut)-sha256.Size-4]))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Decode(data, k)
		if err == nil && len(l) != 2*k.N {
			t.Fatalf("accepted %d values", len(l))
		}
	})
}

// seal appends the checksum to an entry's body, so that seeds reach the
// parser behind it.
func seal(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(append([]byte(nil), body...), sum[:]...)
}
