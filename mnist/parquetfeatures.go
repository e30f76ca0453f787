package mnist

import (
	"fmt"
	"math"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
)

// featureNames are the list columns readParquetFeatures prefers, in order
// (compared without case).
var featureNames = []string{"features", "embedding", "embeddings", "vector", "vectors"}

// readParquetFeatures reads n rows of features from a Parquet file: one
// list column of numbers (float, double or integers) of the same length D
// in every row, the column named features, embedding or vector (or the
// only list of numbers in the file). See ReadFeatures.
func readParquetFeatures(path string, n int) ([]float32, int, error) {
	f, err := parquetio.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	list := f.FindNumberList(featureNames)
	if list == nil {
		return nil, 0, fmt.Errorf("mnist: %s: want one list column of numbers (features, embedding, ...) holding each row's features; its columns: %s", path, f.Describe())
	}
	col := list.Name()
	if rows := f.NumRows(); rows != int64(n) {
		return nil, 0, fmt.Errorf("mnist: %s: %d rows of features for a dataset of %d rows: the features must be row-aligned with the images", path, rows, n)
	}
	budget, from := (Options{}).budget()
	var data []float32
	d := -1
	err = f.Rows(parquetio.NumberList(list), func(i int, vals []float64) error {
		if d < 0 {
			d = len(vals)
			if d == 0 {
				return fmt.Errorf("%s: row 0: no features in column %s", path, col)
			}
			if int64(n)*int64(d)*4 > budget {
				return fmt.Errorf("%s: %d x %d features need %s, over the budget of %s (%s)", path, n, d, mib(int64(n)*int64(d)*4), mib(budget), from)
			}
			data = make([]float32, 0, n*d)
		}
		if len(vals) != d {
			return fmt.Errorf("%s: row %d: %d features in column %s, row 0 has %d", path, i, len(vals), col, d)
		}
		for j, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return fmt.Errorf("%s: row %d, column %d is %v: features must be finite", path, i, j, v)
			}
			data = append(data, float32(v))
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("mnist: %w", err)
	}
	return data, d, nil
}
