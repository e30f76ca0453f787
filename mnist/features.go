package mnist

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
)

// ReadFeatures reads a model's features for a dataset of n rows: a .npy
// of shape N x D (N = n, row i describing the dataset's row i) of float32
// or float64, or a .parquet file of N rows with a list column of D numbers
// (see readParquetFeatures). It returns the N*D values row after row as float32, and D.
// The header is checked against the file and the default memory budget
// (DefaultMaxBytes: 4 bytes a value) before anything is allocated; a row
// count other than n, another shape or dtype, or a NaN or infinite value
// (an error naming its row and column) is refused.
func ReadFeatures(path string, n int) (data []float32, d int, err error) {
	if strings.EqualFold(filepath.Ext(path), parquetExt) {
		return readParquetFeatures(path, n)
	}
	f, size, err := openArrayFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	a, err := readNPY(f, path, size)
	if err != nil {
		return nil, 0, err
	}
	if len(a.shape) != 2 || a.kind != 'f' {
		return nil, 0, fmt.Errorf("mnist: %s: features of shape %s and dtype %s: want N x D float32 or float64", path, a.shapeString(), a.dtype)
	}
	if a.shape[0] != n {
		return nil, 0, fmt.Errorf("mnist: %s: %d rows of features for a dataset of %d rows: the features must be row-aligned with the images", path, a.shape[0], n)
	}
	d = a.shape[1]
	if budget, from := (Options{}).budget(); int64(n)*int64(d)*4 > budget {
		return nil, 0, fmt.Errorf("mnist: %s: %d x %d features need %s, over the budget of %s (%s)", path, n, d, mib(int64(n)*int64(d)*4), mib(budget), from)
	}
	data = make([]float32, n*d)
	row := make([]float64, d)
	for i := range n {
		if err := a.readFloats(row, nil); err != nil {
			return nil, 0, err
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return nil, 0, fmt.Errorf("mnist: %s: row %d, column %d is %v: features must be finite", path, i, j, v)
			}
			data[i*d+j] = float32(v)
		}
	}
	return data, d, nil
}
