package mnist

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// hfImage and hfRow are a row as Hugging Face's datasets writes an image
// classification dataset: the image a structure of its file's bytes and
// path, the label a ClassLabel (int64) named in the file's metadata.
type hfImage struct {
	Bytes []byte  `parquet:"bytes,optional"`
	Path  *string `parquet:"path,optional"`
}

type hfRow struct {
	Image *hfImage `parquet:"image,optional"`
	Label int64    `parquet:"label"`
}

// plainRow is a row of a dataset written by hand: PNG bytes in a binary
// column, the label as text, and two more columns.
type plainRow struct {
	PNG   []byte  `parquet:"png"`
	Class string  `parquet:"class"`
	Note  string  `parquet:"note"`
	Score float64 `parquet:"score"`
}

// hfMeta is the "huggingface" metadata of MNIST-like data with three
// classes.
const hfMeta = `{"info": {"features": {"image": {"_type": "Image"}, "label": {"names": ["zero", "one", "two"], "_type": "ClassLabel"}}}}`

// writeParquet writes rows to path in row groups of rowGroup rows.
func writeParquet[T any](t testing.TB, path string, rows []T, rowGroup int, opts ...parquet.WriterOption) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := parquet.NewGenericWriter[T](f, opts...)
	for lo := 0; lo < len(rows); lo += rowGroup {
		if _, err := w.Write(rows[lo:min(lo+rowGroup, len(rows))]); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// pngOf encodes img as PNG.
func pngOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mnistImage returns row i of d as an image.
func mnistImage(d *Dataset, i int) *image.Gray {
	return &image.Gray{Pix: d.Image(i), Stride: d.Width, Rect: image.Rect(0, 0, d.Width, d.Height)}
}

// writeHFShards writes MNIST rows [0, nTrain) as train shards and
// [nTrain, nTrain+nTest) as one test shard under dir/data, Hugging Face
// style, labels mod 3 (classes "zero", "one", "two"), in row groups of
// 50 rows or more; with fewer than 1,000 test rows, row 7 of the test
// shard has no image bytes and row 3 garbage bytes.
func writeHFShards(t testing.TB, dir string, src *Dataset, nTrain, nTest int) {
	t.Helper()
	data := filepath.Join(dir, "data")
	os.MkdirAll(data, 0o755)
	rows := func(lo, hi int) []hfRow {
		var out []hfRow
		for i := lo; i < hi; i++ {
			p := strconv.Itoa(i) + ".png"
			out = append(out, hfRow{Image: &hfImage{Bytes: pngOf(t, mnistImage(src, i)), Path: &p}, Label: int64(src.Labels[i] % 3)})
		}
		return out
	}
	meta := parquet.KeyValueMetadata("huggingface", hfMeta)
	half := nTrain / 2
	group := max(50, nTrain/60)
	writeParquet(t, filepath.Join(data, "train-00000-of-00002.parquet"), rows(0, half), group, meta)
	writeParquet(t, filepath.Join(data, "train-00001-of-00002.parquet"), rows(half, nTrain), group, meta)
	test := rows(nTrain, nTrain+nTest)
	if nTest < 1000 { // the small test's bad cells
		test[7].Image.Bytes = nil
		test[3].Image.Bytes = []byte("\x89PNG\r\n\x1a\nnot really a PNG")
	}
	writeParquet(t, filepath.Join(data, "test-00000-of-00001.parquet"), test, max(40, nTest/10), meta)
}

// A Hugging Face-style dataset in shards (a structure of image bytes and
// path, ClassLabel names in the metadata, train and test files) opens with
// MNIST's pixels, the labels and class names written, the train shards
// first, the test shard's rows as the test split; a null image and a
// garbage one are skipped and reported with the file and row; the
// thumbnail cache serves a second open; Original reads a row back.
func TestParquetHuggingFace(t *testing.T) {
	src := realMNIST(t)
	const nTrain, nTest = 300, 100
	dir := t.TempDir()
	writeHFShards(t, dir, src, nTrain, nTest)
	cache := t.TempDir()
	for _, warm := range []bool{false, true} {
		d, err := Open(dir, Options{CacheDir: cache, Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		if d.Kind != KindParquet || d.FromCache != warm {
			t.Fatalf("kind %q, from cache %v, want parquet, %v", d.Kind, d.FromCache, warm)
		}
		if d.Len() != nTrain+nTest-2 || d.NumTrain != nTrain || d.Width != 28 || d.NumChannels() != 1 {
			t.Fatalf("%d rows (%d train) of %dx%d x%d", d.Len(), d.NumTrain, d.Width, d.Height, d.NumChannels())
		}
		if !slices.Equal(d.Classes, []string{"zero", "one", "two"}) || d.Unlabelled {
			t.Fatalf("classes %q", d.Classes)
		}
		if len(d.Skipped) != 2 || !strings.Contains(d.Skipped[0].String(), "test-00000-of-00001.parquet: row 3: ") ||
			!strings.Contains(d.Skipped[1].String(), "test-00000-of-00001.parquet: row 7: no image in column image (null)") {
			t.Fatalf("skipped %v", d.Skipped)
		}
		for i := range d.Len() {
			r := i // the MNIST row
			if i >= nTrain+3 {
				r++
			}
			if i >= nTrain+6 {
				r++
			}
			if d.Labels[i] != src.Labels[r]%3 || !bytes.Equal(d.Image(i), src.Image(r)) {
				t.Fatalf("row %d: label %d, pixels equal %v; want MNIST row %d", i, d.Labels[i], bytes.Equal(d.Image(i), src.Image(r)), r)
			}
		}
		for _, i := range []int{0, nTrain - 1, nTrain + 5, d.Len() - 1} {
			img, err := d.Original(i)
			if err != nil {
				t.Fatal(err)
			}
			if g, ok := img.(*image.Gray); !ok || !bytes.Equal(g.Pix, d.Image(i)) {
				t.Errorf("Original(%d) is not the row's image", i)
			}
		}
	}
	// A single shard opens alone, all training rows.
	d, err := Open(filepath.Join(dir, "data", "train-00001-of-00002.parquet"), Options{NoCache: true})
	if err != nil || d.Len() != nTrain/2 || d.NumTrain != nTrain/2 || !bytes.Equal(d.Image(0), src.Image(nTrain/2)) {
		t.Fatalf("one shard: %v", err)
	}
}

// A plain binary column of PNG bytes with text labels opens with classes
// sorted by name; further columns become metadata; the columns can be
// named, and a wrong name is an error listing the columns there are.
func TestParquetPlainColumns(t *testing.T) {
	names := []string{"cat", "dog", "bird"}
	var rows []plainRow
	for i := range 30 {
		rows = append(rows, plainRow{PNG: pngOf(t, greyImage(10, 10, uint8(8*i))), Class: names[i%3], Note: "n" + strconv.Itoa(i), Score: float64(i) / 4})
	}
	path := filepath.Join(t.TempDir(), "pets.parquet")
	writeParquet(t, path, rows, 7)
	d, err := Open(path, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 30 || d.NumTrain != 30 || !slices.Equal(d.Classes, []string{"bird", "cat", "dog"}) {
		t.Fatalf("%d rows, %d train, classes %q", d.Len(), d.NumTrain, d.Classes)
	}
	if !slices.Equal(d.Columns, []string{"note", "score"}) {
		t.Fatalf("columns %q", d.Columns)
	}
	for i := range 30 {
		c := d.Width / 2
		if d.ClassName(d.Labels[i]) != names[i%3] || d.Image(i)[c*d.Width+c] != uint8(8*i) ||
			!slices.Equal(d.Meta[i], []string{"n" + strconv.Itoa(i), strconv.FormatFloat(float64(i)/4, 'g', -1, 64)}) {
			t.Fatalf("row %d: class %q, meta %q", i, d.ClassName(d.Labels[i]), d.Meta[i])
		}
	}
	// Named columns: the note as the label.
	d, err = Open(path, Options{NoCache: true, ImageColumn: "PNG", LabelColumn: "note"})
	if err != nil || d.NumClasses() != 30 || !slices.Equal(d.Columns, []string{"class", "score"}) {
		t.Fatalf("named columns: %v", err)
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{NoCache: true, LabelColumn: "nope"}, `no column "nope"; its columns: png (binary), class (string), note (string), score (double)`},
		{Options{NoCache: true, LabelColumn: "score"}, `column "score" cannot hold labels`},
		{Options{NoCache: true, ImageColumn: "note"}, `column "note" cannot hold images`},
		{Options{NoCache: true, Labels: "x.csv"}, "has its own label column"},
	} {
		if _, err := Open(path, c.opt); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%+v: err = %v, want %q naming the file", c.opt, err, c.want)
		}
	}
}

// Two binary columns, or two label-like columns, are ambiguous: the error
// says which flag chooses; without a label-like column the data is
// unlabelled.
func TestParquetAmbiguousColumns(t *testing.T) {
	type twoImages struct {
		A     []byte `parquet:"a"`
		B     []byte `parquet:"b"`
		Label int32  `parquet:"label"`
		Class string `parquet:"class"`
	}
	img := pngOf(t, greyImage(4, 4, 9))
	path := filepath.Join(t.TempDir(), "two.parquet")
	writeParquet(t, path, []twoImages{{img, img, 1, "x"}, {img, img, 2, "y"}}, 10)
	if _, err := Open(path, Options{NoCache: true}); err == nil || !strings.Contains(err.Error(), "several columns could hold the images (a, b): choose one with --image-col") {
		t.Errorf("two image columns: %v", err)
	}
	if _, err := Open(path, Options{NoCache: true, ImageColumn: "a"}); err == nil || !strings.Contains(err.Error(), "several columns could hold the labels (label, class): choose one with --label-col") {
		t.Errorf("two label columns: %v", err)
	}
	d, err := Open(path, Options{NoCache: true, ImageColumn: "a", LabelColumn: "label"})
	if err != nil || !slices.Equal(d.Classes, []string{"0", "1", "2"}) || d.Labels[1] != 2 {
		t.Fatalf("chosen: %v", err)
	}
	type unlabelled struct {
		Image []byte `parquet:"image"`
		Digit int32  `parquet:"digit"`
	}
	path = filepath.Join(t.TempDir(), "u.parquet")
	writeParquet(t, path, []unlabelled{{img, 3}, {img, 4}}, 10)
	d, err = Open(path, Options{NoCache: true})
	if err != nil || !d.Unlabelled || !slices.Equal(d.Columns, []string{"digit"}) {
		t.Fatalf("unlabelled: %v", err)
	}
}

// Features from a Parquet list column read row by row into an N x D
// matrix; ragged rows, a row count other than the dataset's and a file
// without one list column are errors naming the file.
func TestParquetFeatures(t *testing.T) {
	type featRow struct {
		ID        int64     `parquet:"id"`
		Embedding []float32 `parquet:"embedding,list"`
	}
	var rows []featRow
	for i := range 40 {
		rows = append(rows, featRow{int64(i), []float32{float32(i), -float32(i), 0.5}})
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "f.parquet")
	writeParquet(t, path, rows, 15)
	data, d, err := ReadFeatures(path, 40)
	if err != nil || d != 3 || len(data) != 120 || data[3*17] != 17 || data[3*17+1] != -17 || data[3*39+2] != 0.5 {
		t.Fatalf("d = %d, %d values: %v", d, len(data), err)
	}
	if _, _, err := ReadFeatures(path, 41); err == nil || !strings.Contains(err.Error(), "40 rows of features for a dataset of 41 rows") {
		t.Errorf("row count: %v", err)
	}
	rows[20].Embedding = rows[20].Embedding[:2]
	ragged := filepath.Join(dir, "ragged.parquet")
	writeParquet(t, ragged, rows, 15)
	if _, _, err := ReadFeatures(ragged, 40); err == nil || !strings.Contains(err.Error(), ragged+": row 20: 2 features in column embedding, row 0 has 3") {
		t.Errorf("ragged: %v", err)
	}
	type noList struct {
		A float32 `parquet:"a"`
	}
	flat := filepath.Join(dir, "flat.parquet")
	writeParquet(t, flat, []noList{{1}, {2}}, 10)
	if _, _, err := ReadFeatures(flat, 2); err == nil || !strings.Contains(err.Error(), flat+": want one list column of numbers") {
		t.Errorf("no list: %v", err)
	}
}
