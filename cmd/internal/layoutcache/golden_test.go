package layoutcache

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
)

// TestLayoutFormatUnchanged pins the layout entries' file names and bytes:
// layouts cached by an earlier build keep their paths and stay readable.
// A change here orphans every user's cache; bump Version on purpose instead.
func TestLayoutFormatUnchanged(t *testing.T) {
	c := &Cache{Dir: "d"}
	k := key()
	if got, want := c.Path(k), filepath.Join("d", "umap-37bdbacdeb4728f28edf28e6.layout"); got != want {
		t.Errorf("Path = %s, want %s", got, want)
	}
	sum := sha256.Sum256(Encode(k, []float32{1, 2, 3, 4, -5, 6.5}))
	if got, want := hex.EncodeToString(sum[:]), "3d840c66a05661386fe62b3137f8d70985e2fb69ea0b4d104e645bf627d5ac4e"; got != want {
		t.Errorf("Encode's bytes hash to %s, want %s", got, want)
	}
}
