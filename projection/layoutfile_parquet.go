package projection

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
)

// LayoutColumns name the columns a Parquet layout file is read from. The
// zero value finds them (see ReadLayoutFileColumns).
type LayoutColumns struct {
	// X and Y are two numeric columns; or X alone names a list column of
	// two numbers a row (Spark RAPIDS ML's "embedding"), Y then "".
	X, Y string
	// ID, when set, is an integer column giving each file row's dataset
	// row: the file's rows may then come in any order.
	ID string
}

// ParseLayoutColumns reads --layout-cols: "X,Y", "X,Y,ID", "LIST" or
// "LIST,ID" (LIST a list column of two numbers a row). Which of the two
// forms "A,B" is, is decided when the file is read: A is a list column or
// not.
func ParseLayoutColumns(s string) (LayoutColumns, error) {
	f := strings.Split(s, ",")
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
		if f[i] == "" {
			return LayoutColumns{}, fmt.Errorf("projection: layout columns %q: an empty name (want X,Y[,ID] or LIST[,ID])", s)
		}
	}
	switch len(f) {
	case 1:
		return LayoutColumns{X: f[0]}, nil
	case 2:
		return LayoutColumns{X: f[0], Y: f[1]}, nil
	case 3:
		return LayoutColumns{X: f[0], Y: f[1], ID: f[2]}, nil
	}
	return LayoutColumns{}, fmt.Errorf("projection: layout columns %q: want X,Y[,ID] or LIST[,ID]", s)
}

// Column names found when LayoutColumns leaves them out, in order of
// preference (compared without case).
var (
	xyNames   = [][2]string{{"x", "y"}, {"0", "1"}}
	listNames = []string{"embedding", "embeddings", "umap", "tsne", "layout", "xy"}
	idNames   = []string{"row", "id", "index", "__index_level_0__", "__null_dask_index__"}
)

// parquetLayout is what a Parquet layout file is read from.
type parquetLayout struct {
	x, y, list, id *parquet.Column
}

// findLayoutColumns resolves cols in f: named columns must be there and be
// numbers; unnamed ones are found: x and y (or "0" and "1", as cuDF writes
// a two-column embedding), else a list column named embedding, umap, ...
// (or the only list of numbers), and an id column named row, id, index or
// pandas' and Dask's index columns.
func findLayoutColumns(f *parquetio.File, cols LayoutColumns) (*parquetLayout, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf(format+"; its columns: %s", append(args, f.Describe())...)
	}
	pl := &parquetLayout{}
	number := func(name, what string) (*parquet.Column, error) {
		c := f.Top(name)
		if c == nil {
			return nil, fail("no %s column %q", what, name)
		}
		if !parquetio.IsNumber(c) || c.Repeated() {
			return nil, fail("column %q is %s, not numbers", c.Name(), parquetio.TypeName(c))
		}
		return c, nil
	}
	var err error
	if cols.X != "" {
		if c := f.Top(cols.X); c != nil && parquetio.NumberList(c) != nil && cols.ID == "" {
			pl.list, cols.ID = parquetio.NumberList(c), cols.Y
		} else if cols.Y == "" {
			return nil, fail("column %q is not a list of numbers (name x and y: X,Y)", cols.X)
		} else if pl.x, err = number(cols.X, "x"); err == nil {
			pl.y, err = number(cols.Y, "y")
		}
		if err != nil {
			return nil, err
		}
	} else {
		for _, xy := range xyNames {
			if f.Top(xy[0]) != nil && f.Top(xy[1]) != nil {
				if pl.x, err = number(xy[0], "x"); err == nil {
					pl.y, err = number(xy[1], "y")
				}
				if err != nil {
					return nil, err
				}
				break
			}
		}
		if pl.x == nil {
			list := f.FindNumberList(listNames)
			if list == nil {
				return nil, fail("no x and y columns, nor one list column of two numbers a row (Spark RAPIDS ML's embedding); name them with --layout-cols X,Y[,ID] or LIST[,ID]")
			}
			pl.list = parquetio.NumberList(list)
		}
	}
	if cols.ID == "" {
		for _, name := range idNames {
			if c := f.Top(name); c != nil && parquetio.IsNumber(c) {
				cols.ID = c.Name()
				break
			}
		}
	}
	if cols.ID != "" {
		c := f.Top(cols.ID)
		if c == nil {
			return nil, fail("no id column %q", cols.ID)
		}
		if k := c.Type().Kind(); !c.Leaf() || c.Repeated() || (k != parquet.Int32 && k != parquet.Int64) {
			return nil, fail("id column %q is %s: want integers (each file row's dataset row)", c.Name(), parquetio.TypeName(c))
		}
		pl.id = c
	}
	return pl, nil
}

// readParquetLayout reads an N x 2 layout from a Parquet file: see
// ReadLayoutFileColumns. Its errors leave the file to the caller to name.
func readParquetLayout(path string, lim layoutLimits, cols LayoutColumns) ([]float32, error) {
	layout, err := parquetLayoutOf(path, lim, cols)
	var pe *parquetio.Error
	if errors.As(err, &pe) && pe.Path == path {
		err = pe.Err
	}
	return layout, err
}

func parquetLayoutOf(path string, lim layoutLimits, cols LayoutColumns) ([]float32, error) {
	f, err := parquetio.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pl, err := findLayoutColumns(f, cols)
	if err != nil {
		return nil, err
	}
	n := f.NumRows()
	if n < 1 || n > maxLayoutRows {
		return nil, fmt.Errorf("%d rows (want 1..%d)", n, maxLayoutRows)
	}
	if pl.id == nil { // with ids, joinByID says which rows are missing
		if err := lim.checkRows(int(n)); err != nil {
			return nil, err
		}
	}
	out := make([]float32, 2*n)
	put := func(i, k int, x float64) error {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > math.MaxFloat32 {
			return fmt.Errorf("row %d: non-finite value %v", i, x)
		}
		out[2*i+k] = float32(x)
		return nil
	}
	if pl.list != nil {
		err = f.Rows(pl.list, func(i int, vals []float64) error {
			if len(vals) != 2 {
				return fmt.Errorf("row %d: column %s holds %d numbers, want 2 (x, y)", i, pl.list.Path()[0], len(vals))
			}
			if err := put(i, 0, vals[0]); err != nil {
				return err
			}
			return put(i, 1, vals[1])
		})
	} else {
		for k, c := range []*parquet.Column{pl.x, pl.y} {
			if err = f.Values(c, func(i int, v parquet.Value) error {
				x, ok := parquetio.Number(v)
				if !ok {
					return fmt.Errorf("row %d: column %s is null", i, c.Name())
				}
				return put(i, k, x)
			}); err != nil {
				break
			}
		}
	}
	if err != nil || pl.id == nil {
		return out, err
	}
	want := int(n)
	if lim.rows > 0 {
		want = lim.rows
	}
	return joinByID(f, pl.id, out, want)
}

// joinByID puts the file's rows (xy, in file order) in the order its id
// column gives: file row i is dataset row id[i]. Every id in 0..n-1 must
// appear once; an id out of range, a repeated id and the ids missing are
// errors that name them.
func joinByID(f *parquetio.File, id *parquet.Column, xy []float32, n int) ([]float32, error) {
	at := make([]int32, n) // dataset row -> file row + 1
	err := f.Values(id, func(i int, v parquet.Value) error {
		if v.IsNull() {
			return fmt.Errorf("row %d: id column %s is null", i, id.Name())
		}
		d := v.Int64()
		if v.Kind() == parquet.Int32 {
			d = int64(v.Int32())
		}
		if d < 0 || d >= int64(n) {
			return fmt.Errorf("row %d: id %d (column %s) is outside 0..%d, the dataset's rows", i, d, id.Name(), n-1)
		}
		if at[d] != 0 {
			return fmt.Errorf("id %d (column %s) appears twice, in rows %d and %d", d, id.Name(), at[d]-1, i)
		}
		at[d] = int32(i + 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var missing []string
	count := 0
	for d, r := range at {
		if r == 0 {
			if count++; count <= 5 {
				missing = append(missing, fmt.Sprint(d))
			}
		}
	}
	if count > 0 {
		more := ""
		if count > 5 {
			more = fmt.Sprintf(" and %d more", count-5)
		}
		return nil, fmt.Errorf("ids %s%s are missing from column %s (%d rows for a dataset of %d)", strings.Join(missing, ", "), more, id.Name(), len(xy)/2, n)
	}
	out := make([]float32, 2*n)
	for d, r := range at {
		copy(out[2*d:2*d+2], xy[2*(r-1):2*r])
	}
	return out, nil
}

// LayoutRowInfo is what a Parquet layout file carries beside x and y:
// each row's label and split.
type LayoutRowInfo struct {
	Labels   []uint8 // one per row; nil writes no label column
	NumTrain int     // rows [0, NumTrain) are "train", the rest "test"; with Labels nil, no split column
}

// layoutRow is a row of a Parquet layout file as WriteLayoutParquet
// writes it.
type layoutRow struct {
	Row   int64   `parquet:"row"`
	Split string  `parquet:"split,dict"`
	Label int32   `parquet:"label"`
	X     float32 `parquet:"x"`
	Y     float32 `parquet:"y"`
}

// plainLayoutRow is a row of a Parquet layout without labels.
type plainLayoutRow struct {
	Row int64   `parquet:"row"`
	X   float32 `parquet:"x"`
	Y   float32 `parquet:"y"`
}

// parquetRowGroup is the rows written per row group.
const parquetRowGroup = 1 << 16

// WriteLayoutParquet encodes an N x 2 layout (interleaved x, y) to w as
// Parquet (Snappy-compressed): columns row (int64, the dataset row), split
// ("train" or "test") and label (int32) when info has labels, x and y
// (float). A layout of odd length, with a non-finite value or with labels
// of another length is an error. pandas, pyarrow and ReadLayoutFile read
// it.
func WriteLayoutParquet(w io.Writer, layout []float32, info LayoutRowInfo) error {
	if err := checkWritten(layout); err != nil {
		return err
	}
	n := len(layout) / 2
	if info.Labels != nil && len(info.Labels) != n {
		return fmt.Errorf("projection: %d labels for a layout of %d rows", len(info.Labels), n)
	}
	opts := []parquet.WriterOption{parquet.Compression(&parquet.Snappy), parquet.CreatedBy("mnist-explorer", "", "")}
	if info.Labels == nil {
		return writeRows(w, n, opts, func(i int) plainLayoutRow {
			return plainLayoutRow{int64(i), layout[2*i], layout[2*i+1]}
		})
	}
	return writeRows(w, n, opts, func(i int) layoutRow {
		split := "train"
		if i >= info.NumTrain {
			split = "test"
		}
		return layoutRow{int64(i), split, int32(info.Labels[i]), layout[2*i], layout[2*i+1]}
	})
}

// writeRows writes rows 0..n-1 made by row to w as Parquet.
func writeRows[T any](w io.Writer, n int, opts []parquet.WriterOption, row func(i int) T) error {
	pw := parquet.NewGenericWriter[T](w, opts...)
	buf := make([]T, 0, min(n, parquetRowGroup))
	for lo := 0; lo < n; lo += parquetRowGroup {
		buf = buf[:0]
		for i := lo; i < min(n, lo+parquetRowGroup); i++ {
			buf = append(buf, row(i))
		}
		if _, err := pw.Write(buf); err != nil {
			return fmt.Errorf("projection: %w", err)
		}
		if err := pw.Flush(); err != nil {
			return fmt.Errorf("projection: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("projection: %w", err)
	}
	return nil
}
