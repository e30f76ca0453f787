package mnist

import (
	"context"
	"errors"
	"fmt"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
)

// KindParquet is the kind of a Parquet dataset: see Open.
const KindParquet = "parquet"

// Bounds of the Parquet reader's work in flight: images are handed to the
// decoding workers in batches of up to batchImages images or batchBytes
// bytes, at most one batch per worker waiting.
const (
	batchImages = 64
	batchBytes  = 1 << 20
	// probeImages is how many images at the start of each file are probed
	// for their size (see openParquet).
	probeImages = 64
	// maxMetaText is the longest metadata text kept, in bytes.
	maxMetaText = 1000
)

// errEnough stops a column read early.
var errEnough = errors.New("enough")

// openParquet reads a Parquet dataset, one file or a folder of shards:
// see Open.
func openParquet(ctx context.Context, path string, o Options) (*Dataset, error) {
	if o.Labels != "" {
		return nil, fmt.Errorf("mnist: %s: a Parquet dataset has its own label column (choose it with --label-col); a labels file (%s) is for folders and arrays", path, o.Labels)
	}
	shards, _, err := findShards(path)
	if err != nil {
		return nil, err
	}
	if len(shards) == 0 {
		return nil, fmt.Errorf("mnist: %s: no %s files in it", path, parquetExt)
	}
	files := make([]*parquetio.File, len(shards))
	defer func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}()
	var n int64
	for i, s := range shards {
		if files[i], err = parquetio.Open(s.path); err != nil {
			return nil, fmt.Errorf("mnist: %w", err)
		}
		n += files[i].NumRows()
	}
	pc, err := chooseColumns(files[0], o)
	if err != nil {
		return nil, err
	}
	for _, f := range files[1:] {
		if err := pc.same(f); err != nil {
			return nil, err
		}
	}
	switch {
	case n == 0:
		return nil, fmt.Errorf("mnist: %s: no rows", path)
	case n > MaxItems:
		return nil, fmt.Errorf("mnist: %s: %d rows, more than the %d a dataset may hold", path, n, MaxItems)
	}
	rows, err := readParquetRows(ctx, files, pc, int(n))
	if err != nil {
		return nil, err
	}
	t, cached, err := parquetThumbs(ctx, path, shards, files, pc, int(n), o)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Dir: path, Kind: KindParquet, Width: t.cell, Height: t.cell, Channels: t.channels, Pixels: t.pixels, FromCache: cached, maxPixels: o.maxPixels()}
	origin := &parquetOrigin{leaf: pc.imageLeaf, maxPixels: o.maxPixels()}
	kept := make([]int, 0, t.rows())
	base := 0
	for k, s := range shards {
		d.Files = append(d.Files, s.path)
		origin.shards = append(origin.shards, s.path)
		origin.starts = append(origin.starts, base)
		rowsIn := int(files[k].NumRows())
		for r := range rowsIn {
			i := base + r
			if t.reasons[i] != "" {
				d.Skipped = append(d.Skipped, Skip{s.path, fmt.Sprintf("row %d: %s", r, t.reasons[i])})
				continue
			}
			kept = append(kept, i)
			if !s.test {
				d.NumTrain++
			}
		}
		base += rowsIn
	}
	origin.src = make([]int32, len(kept))
	for j, i := range kept {
		origin.src[j] = int32(i)
	}
	d.origin = origin
	if d.Labels, d.Classes, d.Unlabelled, err = rows.labels(kept, pc); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	if len(pc.meta) > 0 {
		d.Columns = pc.meta
		d.Meta = make([][]string, len(kept))
		for j, i := range kept {
			d.Meta[j] = rows.meta[i]
		}
	}
	return d, nil
}
