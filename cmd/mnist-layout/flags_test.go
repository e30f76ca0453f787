package main

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// TestTSNEFlags checks that each t-SNE override reaches the algorithm: the
// same flags give the same layout twice (t-SNE is deterministic), and each
// override gives a different one.
func TestTSNEFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("five t-SNE runs; the full (non-short) test run has them")
	}
	dir := t.TempDir()
	layout := func(name string, extra ...string) []float32 {
		t.Helper()
		out := filepath.Join(dir, name+".npy")
		args := append([]string{"--method", "tsne", "--n", "300", "--quiet", "--out", out}, extra...)
		var stderr strings.Builder
		if code := run(args, io.Discard, &stderr); code != 0 {
			t.Fatalf("mnist-layout %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		l, err := projection.ReadLayoutFile(out, 300)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	base := layout("default")
	if again := layout("again"); !slices.Equal(base, again) {
		t.Fatal("two runs with the same flags differ")
	}
	for _, c := range [][]string{
		{"--tsne-theta", "-1"},
		{"--tsne-learning-rate", "50"},
		{"--tsne-pca-dims", "10"},
	} {
		if l := layout(strings.TrimPrefix(c[0], "--"), c...); slices.Equal(base, l) {
			t.Errorf("%s %s left the layout unchanged", c[0], c[1])
		}
	}
	var stderr strings.Builder
	if code := run([]string{"--tsne-theta", "x"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), "tsne-theta") {
		t.Errorf("a bad --tsne-theta: exit %d, %q; want 2 and the flag named", code, stderr.String())
	}
}
