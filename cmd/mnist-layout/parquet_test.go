package main

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// mnist-layout --out F.parquet writes the layout that --out F.npy writes,
// and reads it back with --eval (through ReadLayoutFile, as the explorer's
// --layout-file does).
func TestOutParquetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	pq, npy := filepath.Join(dir, "l.parquet"), filepath.Join(dir, "l.npy")
	for _, out := range []string{pq, npy} {
		var stderr strings.Builder
		if code := run([]string{"--method", "pca", "--n", "700", "--quiet", "--out", out}, io.Discard, &stderr); code != 0 {
			t.Fatalf("--out %s: exit %d: %s", out, code, stderr.String())
		}
	}
	a, err := projection.ReadLayoutFile(pq, 700)
	if err != nil {
		t.Fatal(err)
	}
	b, err := projection.ReadLayoutFile(npy, 700)
	if err != nil || !slices.Equal(a, b) {
		t.Fatalf("the .parquet and .npy layouts differ (%v)", err)
	}
	var stdout, stderr strings.Builder
	if code := run([]string{"--n", "700", "--eval", pq, "--metrics"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "knn_acc10") {
		t.Fatalf("--eval %s: exit %d: %s%s", pq, code, stdout.String(), stderr.String())
	}
}
