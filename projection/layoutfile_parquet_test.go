package projection

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// testLayout returns an n x 2 layout whose every row differs.
func testLayout(n int) []float32 {
	l := make([]float32, 2*n)
	for i := range n {
		l[2*i], l[2*i+1] = float32(i)*0.5-7.25, float32(i*i%97)+0.25 // no zeros: parquet-go writes a zero into an optional column as null
	}
	return l
}

// writeRowsFile writes rows to a Parquet file under t's temporary folder,
// with schema when not nil.
func writeRowsFile[T any](t *testing.T, name string, rows []T, schema *parquet.Schema) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var opts []parquet.WriterOption
	if schema != nil {
		opts = append(opts, schema)
	}
	w := parquet.NewGenericWriter[T](f, opts...)
	// Two row groups, so that joins cross them.
	half := len(rows) / 2
	for _, part := range [][]T{rows[:half], rows[half:]} {
		if _, err := w.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// Parquet layouts written here read back exactly, with their labels and
// split, whether written with row information or by WriteLayout.
func TestParquetLayoutRoundTrip(t *testing.T) {
	const n = 1000
	want := testLayout(n)
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(i % 10)
	}
	dir := t.TempDir()
	var b bytes.Buffer
	if err := WriteLayoutParquet(&b, want, LayoutRowInfo{Labels: labels, NumTrain: 600}); err != nil {
		t.Fatal(err)
	}
	withInfo := filepath.Join(dir, "a.parquet")
	os.WriteFile(withInfo, b.Bytes(), 0o644)
	b.Reset()
	if err := WriteLayout(&b, LayoutParquet, want); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "b.parquet")
	os.WriteFile(plain, b.Bytes(), 0o644)
	for _, p := range []string{withInfo, plain} {
		got, err := ReadLayoutFile(p, n)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%s: read back differs (%v)", p, err)
		}
	}
	// The columns are what the issue asks for, and the split and labels
	// are the dataset's.
	f, err := os.Open(withInfo)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rows, err := parquet.Read[layoutRow](f, st.Size())
	if err != nil || len(rows) != n {
		t.Fatalf("%d rows: %v", len(rows), err)
	}
	pf, _ := parquet.OpenFile(f, st.Size())
	var names []string
	for _, c := range pf.Root().Columns() {
		names = append(names, c.Name())
	}
	if !slices.Equal(names, []string{"row", "split", "label", "x", "y"}) {
		t.Errorf("columns %v", names)
	}
	if r := rows[599]; r.Row != 599 || r.Split != "train" || r.Label != 9 || r.X != want[2*599] {
		t.Errorf("row 599: %+v", r)
	}
	if r := rows[600]; r.Split != "test" || r.Label != 0 {
		t.Errorf("row 600: %+v", r)
	}
	if err := WriteLayoutParquet(&b, want, LayoutRowInfo{Labels: labels[:5]}); err == nil {
		t.Error("labels of the wrong length written")
	}
}

// Rows in any order with an id column give the same position to every
// dataset row as the ordered file, in each shape a cluster writes: x, y
// and row (as mnist-layout writes); cuDF's "0", "1" with Dask's index
// column; Spark RAPIDS ML's embedding list column (optional floats in a
// three-level list, as Spark writes array<float>) beside an id.
func TestParquetLayoutJoinsByID(t *testing.T) {
	const n = 500
	want := testLayout(n)
	order := rand.New(rand.NewPCG(1, 2)).Perm(n)

	type xyRow struct {
		X   float64 `parquet:"x"`
		Y   float64 `parquet:"y"`
		Row int64   `parquet:"row"`
	}
	type cudfRow struct {
		Index int64   `parquet:"__null_dask_index__"`
		C0    float32 `parquet:"0"`
		C1    float32 `parquet:"1"`
	}
	type sparkRow struct {
		ID        *int64    `parquet:"id,optional"`
		Label     *int32    `parquet:"label,optional"`
		Embedding []float32 `parquet:"embedding,optional,list"`
	}
	var xy []xyRow
	var cudf []cudfRow
	var spark []sparkRow
	for _, i := range order {
		x, y := want[2*i], want[2*i+1]
		xy = append(xy, xyRow{float64(x), float64(y), int64(i)})
		cudf = append(cudf, cudfRow{int64(i), x, y})
		id, l := int64(i), int32(i%10)
		spark = append(spark, sparkRow{&id, &l, []float32{x, y}})
	}
	sparkSchema := parquet.NewSchema("spark_schema", parquet.Group{
		"id":        parquet.Optional(parquet.Int(64)),
		"label":     parquet.Optional(parquet.Int(32)),
		"embedding": parquet.Optional(parquet.List(parquet.Optional(parquet.Leaf(parquet.FloatType)))),
	})
	files := map[string]string{
		"x, y, row":       writeRowsFile(t, "xy.parquet", xy, nil),
		"cuDF 0, 1":       writeRowsFile(t, "cudf.parquet", cudf, nil),
		"Spark embedding": writeRowsFile(t, "spark.parquet", spark, sparkSchema),
	}
	for name, p := range files {
		got, err := ReadLayoutFile(p, n)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: positions differ from the ordered layout", name)
		}
	}
	// Named columns: the same, and the positions in file order without
	// the id.
	got, err := ReadLayoutFileColumns(files["x, y, row"], n, LayoutColumns{X: "x", Y: "y", ID: "row"})
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("named x,y,row: %v", err)
	}
	got, err = ReadLayoutFileColumns(files["Spark embedding"], n, LayoutColumns{X: "embedding", Y: "id"})
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("named embedding,id: %v", err)
	}
}

// Missing, repeated and out-of-range ids, a row-count mismatch, a list of
// three numbers and unknown or wrong columns are errors that name the file
// and what is wrong.
func TestParquetLayoutErrors(t *testing.T) {
	type xyRow struct {
		X   float32 `parquet:"x"`
		Y   float32 `parquet:"y"`
		Row int32   `parquet:"row"`
	}
	rows := func(ids ...int32) []xyRow {
		var out []xyRow
		for _, id := range ids {
			out = append(out, xyRow{float32(id), 1, id})
		}
		return out
	}
	type listRow struct {
		Embedding []float64 `parquet:"embedding,list"`
	}
	type textRow struct {
		X    string `parquet:"x"`
		Y    string `parquet:"y"`
		Name string `parquet:"name"`
	}
	cases := []struct {
		path string
		n    int
		cols LayoutColumns
		want string
	}{
		{writeRowsFile(t, "dup.parquet", rows(0, 1, 2, 2, 4, 5), nil), 6, LayoutColumns{}, "id 2 (column row) appears twice, in rows 2 and 3"},
		{writeRowsFile(t, "missing.parquet", rows(0, 1, 7, 3, 4, 5), nil), 6, LayoutColumns{}, "id 7 (column row) is outside 0..5"},
		{writeRowsFile(t, "count.parquet", rows(0, 1, 2, 3), nil), 6, LayoutColumns{}, "ids 4, 5 are missing from column row (4 rows for a dataset of 6)"},
		{writeRowsFile(t, "gaps.parquet", rows(0, 2, 4, 6, 8, 10, 12, 14), nil), 15, LayoutColumns{}, "ids 1, 3, 5, 7, 9 and 2 more are missing from column row"},
		{writeRowsFile(t, "plain.parquet", []listRow{{[]float64{1, 2}}}, nil), 3, LayoutColumns{}, "has 1 rows, the dataset 3"},
		{writeRowsFile(t, "three.parquet", []listRow{{[]float64{1, 2}}, {[]float64{1, 2, 3}}}, nil), 2, LayoutColumns{}, "row 1: column embedding holds 3 numbers, want 2"},
		{writeRowsFile(t, "text.parquet", []textRow{{"a", "b", "c"}, {"d", "e", "f"}}, nil), 2, LayoutColumns{}, `column "x" is string, not numbers; its columns: x (string), y (string), name (string)`},
		{writeRowsFile(t, "named.parquet", rows(0, 1), nil), 2, LayoutColumns{X: "u", Y: "v"}, `no x column "u"; its columns: x (float), y (float), row (int32)`},
		{writeRowsFile(t, "noid.parquet", rows(0, 1), nil), 2, LayoutColumns{X: "x", Y: "y", ID: "nope"}, `no id column "nope"`},
	}
	for _, c := range cases {
		_, err := ReadLayoutFileColumns(c.path, c.n, c.cols)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s: err = %v, want %q naming the file", filepath.Base(c.path), err, c.want)
		}
	}
	if _, err := ParseLayoutColumns("x,,y"); err == nil {
		t.Error("an empty column name parsed")
	}
	if c, err := ParseLayoutColumns(" a , b ,c"); err != nil || c != (LayoutColumns{"a", "b", "c"}) {
		t.Errorf("parsed %+v, %v", c, err)
	}
}
