package mnist

import "testing"

// BenchmarkOpenMNISTParquet compares, in one run, MNIST's 70,000 digits
// read from its IDX files (gzip, as GoMNIST ships them) and from Parquet
// as Hugging Face publishes it (PNG bytes in an image struct, ClassLabel
// labels; a train shard of 60,000 rows and a test shard of 10,000, in row
// groups of 1,000): decoding every PNG, and from the thumbnail cache. Run
// it with -benchtime 1x or 3x (writing the Parquet files first takes a
// while).
func BenchmarkOpenMNISTParquet(b *testing.B) {
	src := realMNIST(b)
	dir := b.TempDir()
	writeHFShards(b, dir, src, 60000, 10000)
	idx, err := DefaultDir()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("idx", func(b *testing.B) { openBench(b, idx, Options{}) })
	b.Run("parquet-decode", func(b *testing.B) { openBench(b, dir, Options{NoCache: true}) })
	b.Run("parquet-cached", func(b *testing.B) { openCachedBench(b, dir) })
}
