package main

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
	"github.com/parquet-go/parquet-go"
)

// writeParquetRows writes rows to path with the given writer options.
func writeParquetRows[T any](t *testing.T, path string, rows []T, opts ...parquet.WriterOption) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := parquet.NewGenericWriter[T](f, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// digitPNG returns row i of ds as PNG bytes.
func digitPNG(t *testing.T, ds *mnist.Dataset, i int) []byte {
	var b bytes.Buffer
	img := &image.Gray{Pix: ds.Image(i), Stride: ds.Width, Rect: image.Rect(0, 0, ds.Width, ds.Height)}
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A Hugging Face-style Parquet dataset (train shards and a test shard, the
// image a structure of bytes and path, ClassLabel names in the metadata)
// opens in the app with its class names and labels; a garbage image is
// skipped and reported with its file and row. A plain binary column with
// text labels opens with --image-col and --label-col.
func TestParquetDatasetOpens(t *testing.T) {
	needDisplay(t)
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	type hfImage struct {
		Bytes []byte `parquet:"bytes,optional"`
		Path  string `parquet:"path,optional"`
	}
	type hfRow struct {
		Image hfImage `parquet:"image"`
		Label int64   `parquet:"label"`
	}
	names := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	meta := parquet.KeyValueMetadata("huggingface", `{"info":{"features":{"image":{"_type":"Image"},"label":{"_type":"ClassLabel","names":["`+strings.Join(names, `","`)+`"]}}}}`)
	dir := t.TempDir()
	rows := func(lo, hi int) []hfRow {
		var out []hfRow
		for i := lo; i < hi; i++ {
			out = append(out, hfRow{hfImage{digitPNG(t, ds, i), ""}, int64(ds.Labels[i])})
		}
		return out
	}
	writeParquetRows(t, filepath.Join(dir, "data", "train-00000-of-00002.parquet"), rows(0, 150), meta)
	writeParquetRows(t, filepath.Join(dir, "data", "train-00001-of-00002.parquet"), rows(150, 300), meta)
	test := rows(300, 400)
	test[10].Image.Bytes = []byte("garbage, not an image")
	writeParquetRows(t, filepath.Join(dir, "data", "test-00000-of-00001.parquet"), test, meta)

	state := filepath.Join(t.TempDir(), "s.json")
	code, _, errs := runApp(t, nil, "--data", dir, "--layout", "pca", "--no-cache", "--size", "800x600", "--script", "wait-layout; state "+state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if strings.Join(st.Classes, ",") != strings.Join(names, ",") || st.Visible != 399 {
		t.Errorf("classes %v, %d digits", st.Classes, st.Visible)
	}
	if !strings.Contains(errs, "test-00000-of-00001.parquet: row 10: not a PNG, JPEG") {
		t.Errorf("the garbage image was not reported: %s", errs)
	}
	want := map[int]int{}
	for i, l := range ds.Labels[:400] {
		if i != 310 {
			want[int(l)]++
		}
	}
	for l, n := range st.ClassCounts {
		if want[l] != n {
			t.Errorf("class %d: %d rows, the data has %d", l, n, want[l])
		}
	}

	type plainRow struct {
		Pixels []byte `parquet:"pixels"`
		Thumb  []byte `parquet:"thumb"`
		Digit  string `parquet:"digit"`
	}
	var plain []plainRow
	for i := range 200 {
		p := digitPNG(t, ds, i)
		plain = append(plain, plainRow{p, p, names[ds.Labels[i]]})
	}
	path := filepath.Join(t.TempDir(), "plain.parquet")
	writeParquetRows(t, path, plain)
	code, _, errs = runApp(t, nil, "--data", path, "--image-col", "pixels", "--label-col", "digit", "--layout", "pca", "--no-cache", "--size", "800x600", "--script", "wait-layout; state "+state)
	if code != 0 {
		t.Fatalf("plain: exit %d: %s", code, errs)
	}
	st = readState(t, state)
	if st.Visible != 200 || len(st.Classes) != 10 || st.Classes[0] != "eight" { // text labels sort by name
		t.Errorf("plain: classes %v, %d digits", st.Classes, st.Visible)
	}
	// Without the flags the two binary columns are ambiguous, and the
	// error says which flag to use.
	code, _, errs = runApp(t, nil, "--data", path, "--layout", "pca", "--no-cache", "--size", "800x600", "--script", "wait-layout")
	if code == 0 || !strings.Contains(errs, "choose one with --image-col") {
		t.Errorf("ambiguous: exit %d: %s", code, errs)
	}
}

// A Parquet layout file whose rows come shuffled, with their dataset row
// in an id column (as a cluster's shards write it), shows every digit where
// the ordered file puts it.
func TestParquetLayoutFileShuffled(t *testing.T) {
	needDisplay(t)
	const n = 300
	type row struct {
		ID int64   `parquet:"id"`
		X  float32 `parquet:"x"`
		Y  float32 `parquet:"y"`
	}
	var rows []row
	for _, i := range rand.New(rand.NewPCG(3, 4)).Perm(n) {
		rows = append(rows, row{int64(i), float32(i%20) + 0.5, float32(i / 20)})
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "shuffled.parquet")
	writeParquetRows(t, path, rows)
	shown := filepath.Join(dir, "shown.npy")
	code, _, errs := runApp(t, nil, "--n", "300", "--no-cache", "--layout-file", "grid="+path, "--layout", "grid",
		"--script", "wait-layout; layout "+shown)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := projection.ReadLayoutFile(shown, n)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if got[2*i] != float32(i%20)+0.5 || got[2*i+1] != float32(i/20) {
			t.Fatalf("row %d shown at (%v, %v), want (%v, %v)", i, got[2*i], got[2*i+1], float32(i%20)+0.5, float32(i/20))
		}
	}
}
