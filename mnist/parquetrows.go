package mnist

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
)

// parquetRows are what a Parquet dataset's rows say beside their images,
// indexed by row over all its files.
type parquetRows struct {
	ints  []int64    // integer labels, -1 for none
	texts []string   // text labels, "" for none
	meta  [][]string // per row, one text per metadata column
}

// leafOf returns the leaf column of f at path (from the root).
func leafOf(f *parquetio.File, path []string) *parquet.Column {
	c := f.Root()
	for _, p := range path {
		if c = c.Column(p); c == nil {
			return nil
		}
	}
	return c
}

// forRows reads the leaf column at path of files in order, calling fn
// with each value's row over all the files (see parquetio.File.Values),
// until ctx is cancelled.
func forRows(ctx context.Context, files []*parquetio.File, path []string, fn func(row int, v parquet.Value) error) error {
	base := 0
	for _, f := range files {
		err := f.Values(leafOf(f, path), func(row int, v parquet.Value) error {
			if row%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			return fn(base+row, v)
		})
		if err != nil {
			return err
		}
		base += int(f.NumRows())
	}
	return nil
}

// readParquetRows reads the label and metadata columns pc chose.
func readParquetRows(ctx context.Context, files []*parquetio.File, pc *parquetColumns, n int) (*parquetRows, error) {
	rows := &parquetRows{}
	var err error
	switch {
	case pc.label != "" && pc.labelText:
		rows.texts = make([]string, n)
		err = forRows(ctx, files, []string{pc.label}, func(i int, v parquet.Value) error {
			if !v.IsNull() {
				rows.texts[i] = clipName(strings.TrimSpace(string(v.ByteArray())))
			}
			return nil
		})
	case pc.label != "":
		rows.ints = make([]int64, n)
		err = forRows(ctx, files, []string{pc.label}, func(i int, v parquet.Value) error {
			l := int64(-1)
			if !v.IsNull() {
				l = v.Int64()
				if v.Kind() == parquet.Int32 {
					l = int64(v.Int32())
				}
			}
			if l > 255 {
				return fmt.Errorf("row %d: label %d in column %s: labels must be integers 0..255 (or -1 for none)", i, l, pc.label)
			}
			rows.ints[i] = max(l, -1)
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	if len(pc.meta) > 0 {
		rows.meta = make([][]string, n)
		for i := range rows.meta {
			rows.meta[i] = make([]string, len(pc.meta))
		}
	}
	for k, name := range pc.meta {
		err := forRows(ctx, files, []string{name}, func(i int, v parquet.Value) error {
			rows.meta[i][k] = valueText(v)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("mnist: %w", err)
		}
	}
	return rows, nil
}

// valueText writes a scalar value as text ("" for null).
func valueText(v parquet.Value) string {
	if v.IsNull() {
		return ""
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.FormatBool(v.Boolean())
	case parquet.Int32:
		return strconv.FormatInt(int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Float:
		return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.FormatFloat(v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		b := v.ByteArray()
		if len(b) > maxMetaText {
			b = b[:maxMetaText]
			for len(b) > 0 && !utf8.Valid(b) {
				b = b[:len(b)-1]
			}
		}
		return string(b)
	}
	return v.String()
}

// labels returns the labels and class names of the rows kept: text labels
// name classes sorted by name; integer labels name classes by the Hugging
// Face ClassLabel names when the file has them, else "0".."max". Rows
// without a label (null, or -1 as Hugging Face writes it) are in the
// class UnlabelledClass, after the others; with no label at all the
// dataset is unlabelled.
func (r *parquetRows) labels(kept []int, pc *parquetColumns) ([]uint8, []string, bool, error) {
	if r.texts != nil {
		names := make([]string, len(kept))
		for j, i := range kept {
			names[j] = r.texts[i]
		}
		return classify(names)
	}
	labels := make([]uint8, len(kept))
	if r.ints == nil {
		return labels, []string{UnlabelledClass}, true, nil
	}
	top, none := int64(-1), false
	for _, i := range kept {
		top = max(top, r.ints[i])
		none = none || r.ints[i] < 0
	}
	if top < 0 {
		return labels, []string{UnlabelledClass}, true, nil
	}
	classes := pc.names[:min(len(pc.names), maxClasses):min(len(pc.names), maxClasses)]
	for int64(len(classes)) <= top {
		classes = append(classes, strconv.Itoa(len(classes)))
	}
	unl := len(classes)
	if none {
		if unl >= maxClasses {
			return nil, nil, false, fmt.Errorf("%d classes and unlabelled rows, more than the %d a dataset can hold", unl, maxClasses)
		}
		classes = append(classes, UnlabelledClass)
	}
	for j, i := range kept {
		if l := r.ints[i]; l >= 0 {
			labels[j] = uint8(l)
		} else {
			labels[j] = uint8(unl)
		}
	}
	return labels, classes, false, nil
}
