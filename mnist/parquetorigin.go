package mnist

import (
	"bytes"
	"fmt"
	"image"
	"slices"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
)

// parquetOrigin finds a row's image bytes again in a Parquet dataset's
// files.
type parquetOrigin struct {
	shards    []string
	starts    []int   // each shard's first row, over all shards
	src       []int32 // per dataset row: its row over all shards
	leaf      []string
	maxPixels int64
}

func (p *parquetOrigin) original(row int) (image.Image, error) {
	g := int(p.src[row])
	k, found := slices.BinarySearch(p.starts, g)
	if !found {
		k--
	}
	path, r := p.shards[k], g-p.starts[k]
	f, err := parquetio.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	leaf := leafOf(f, p.leaf)
	if leaf == nil {
		return nil, fmt.Errorf("mnist: %s: changed since it was loaded", path)
	}
	var data []byte
	for gi, rg := range f.Metadata().RowGroups {
		if r >= int(rg.NumRows) {
			r -= int(rg.NumRows)
			continue
		}
		err := f.ReadColumn(gi, leaf, func(i int, v parquet.Value) error {
			if i < r {
				return nil
			}
			data = bytes.Clone(v.ByteArray())
			return errEnough
		})
		if err != nil && err != errEnough {
			return nil, fmt.Errorf("mnist: %w", err)
		}
		break
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("mnist: %s: row %d: no image (changed since it was loaded?)", path, g-p.starts[k])
	}
	img, o, err := new(imageDecoder).decode(path, data, p.maxPixels, nil)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: row %d: %w", path, g-p.starts[k], err)
	}
	return oriented(img, o), nil
}
