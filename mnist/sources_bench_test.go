package mnist

import (
	"os"
	"testing"
)

// Package-level sink, so the compiler keeps what is measured.
var benchSink *Dataset

// openBench opens dir b.N times with o, reporting images a second.
func openBench(b *testing.B, dir string, o Options) {
	b.Helper()
	for b.Loop() {
		d, err := Open(dir, o)
		if err != nil {
			b.Fatal(err)
		}
		benchSink = d
	}
	b.ReportMetric(float64(benchSink.Len())*float64(b.N)/b.Elapsed().Seconds(), "images/s")
}

// openCachedBench opens dir once to fill a fresh thumbnail cache, then
// measures opening it from the cache.
func openCachedBench(b *testing.B, dir string) {
	o := Options{CacheDir: b.TempDir()}
	if _, err := Open(dir, o); err != nil {
		b.Fatal(err)
	}
	openBench(b, dir, o)
	if !benchSink.FromCache {
		b.Fatal("not from the cache")
	}
}

// BenchmarkOpenFolder opens a folder of MNIST digits as PNG files: 2,000
// decoded every time (no cache), and 10,000 from the thumbnail cache (the
// second start of the app).
func BenchmarkOpenFolder(b *testing.B) {
	src := realMNIST(b)
	small, large := b.TempDir(), b.TempDir()
	writeMNISTFolder(b, small, src, 2000)
	writeMNISTFolder(b, large, src, 10000)
	b.Run("decode-2000", func(b *testing.B) { openBench(b, small, Options{NoCache: true}) })
	b.Run("cached-10000", func(b *testing.B) { openCachedBench(b, large) })
	b.Run("decode-10000", func(b *testing.B) { openBench(b, large, Options{NoCache: true}) })
}

// Environment of the 70,000-file comparison (.ci/bench-folder.sh): the
// folder TestWriteMNISTFolder writes, and BenchmarkOpenMNISTFolder opens.
const benchFolderEnv = "MNIST_BENCH_FOLDER"

// TestWriteMNISTFolder writes all 70,000 MNIST digits as PNG files in
// class folders under $MNIST_BENCH_FOLDER, for .ci/bench-folder.sh; it is
// skipped when that is not set.
func TestWriteMNISTFolder(t *testing.T) {
	dir := os.Getenv(benchFolderEnv)
	if dir == "" {
		t.Skip("set " + benchFolderEnv + " to write the benchmark folder")
	}
	src := realMNIST(t)
	writeMNISTFolder(t, dir, src, src.Len())
}

// BenchmarkOpenMNISTFolder opens the folder at $MNIST_BENCH_FOLDER (see
// TestWriteMNISTFolder): decoding every file on all cores and on one,
// then from the thumbnail cache. Run it with -benchtime 1x.
func BenchmarkOpenMNISTFolder(b *testing.B) {
	dir := os.Getenv(benchFolderEnv)
	if dir == "" {
		b.Skip("set " + benchFolderEnv + " to the folder TestWriteMNISTFolder wrote")
	}
	b.Run("decode", func(b *testing.B) { openBench(b, dir, Options{NoCache: true}) })
	b.Run("decode-1-worker", func(b *testing.B) { openBench(b, dir, Options{NoCache: true, Workers: 1}) })
	b.Run("cached", func(b *testing.B) { openCachedBench(b, dir) })
}
