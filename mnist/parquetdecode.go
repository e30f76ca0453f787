package mnist

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
)

// parquetThumbs returns the dataset's images fitted into cells, from the
// thumbnail cache when it holds them (cached is then true), else decoded
// and stored there. The cell is chosen (see Options.Cell) from the largest
// of the first probeImages images of each file.
func parquetThumbs(ctx context.Context, root string, shards []parquetShard, files []*parquetio.File, pc *parquetColumns, n int, o Options) (t *thumbs, cached bool, err error) {
	return cachedThumbs(ctx, root, parquetThumbKey(root, shards, pc, o), n, o, func() (*thumbs, error) {
		if o.Cell > MaxImageSide {
			return nil, fmt.Errorf("mnist: cell of %d pixels: the most is %d", o.Cell, MaxImageSide)
		}
		maxSide, grey, err := probeParquet(files, pc, o)
		if err != nil {
			return nil, err
		}
		cell, err := imageCell(root, n, maxSide, grey, o)
		if err != nil {
			return nil, err
		}
		s, sctx := newCellSink(ctx, root, n, cell, o)
		defer s.cancel()
		return s.finish(decodeParquet(sctx, files, pc, s, n, o))
	})
}

// probeParquet returns the largest side among the first probeImages
// images of each file, and whether they are all grey (see probeImage);
// nothing is read when o.Cell is set.
func probeParquet(files []*parquetio.File, pc *parquetColumns, o Options) (maxSide int, grey bool, err error) {
	grey = true
	if o.Cell > 0 {
		return 0, grey, nil
	}
	for _, f := range files {
		if len(f.RowGroups()) == 0 {
			continue
		}
		err := f.ReadColumn(0, leafOf(f, pc.imageLeaf), func(i int, v parquet.Value) error {
			if i >= probeImages {
				return errEnough
			}
			b := v.ByteArray()
			if w, h, g, ok := probeImage(f.Path, b, int64(len(b)), o.maxPixels()); ok {
				maxSide, grey = max(maxSide, w, h), grey && g
			}
			return nil
		})
		if err != nil && err != errEnough {
			return 0, false, fmt.Errorf("mnist: %w", err)
		}
	}
	return maxSide, grey, nil
}

// parquetThumbKey identifies a Parquet dataset's thumbnails for the cache:
// its files (path from root, size, modification time) and image column,
// with what thumbKey adds.
func parquetThumbKey(root string, shards []parquetShard, pc *parquetColumns, o Options) [32]byte {
	files := make([]imageFile, len(shards))
	for i, s := range shards {
		rel, err := filepath.Rel(root, s.path)
		if err != nil || rel == "." {
			rel = filepath.Base(s.path)
		}
		files[i] = imageFile{rel: "parquet\x00" + filepath.ToSlash(rel) + "\x00" + strings.Join(pc.imageLeaf, "."), size: -1}
		if st, err := os.Stat(s.path); err == nil {
			files[i].size, files[i].mtime = st.Size(), st.ModTime()
		}
	}
	return thumbKey(files, o)
}

// cellBatch is images handed to a decoding worker: the image bytes of rows
// first, first+1, ... (nil for a null cell).
type cellBatch struct {
	first int
	path  string
	cells [][]byte
}

// decodeParquet reads the image column of files row group by row group,
// page by page, in batches decoded into s by o's workers, telling
// o.Progress as they finish. At most a batch per worker waits, so memory
// holds a few pages' worth of image bytes, whatever the files' size.
func decodeParquet(ctx context.Context, files []*parquetio.File, pc *parquetColumns, s *cellSink, n int, o Options) error {
	workers := o.workers()
	jobs := make(chan cellBatch, workers)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			decode := s.decoder()
			for b := range jobs {
				for j, c := range b.cells {
					switch {
					case ctx.Err() != nil:
					case c == nil:
						s.skip(b.first+j, permanent("no image in column %s (null)", pc.image))
					case len(c) == 0:
						s.skip(b.first+j, permanent("empty image bytes in column %s", pc.image))
					default:
						decode(b.first+j, b.path, c)
					}
				}
				mu.Lock()
				done += len(b.cells)
				o.progress(done, n)
				mu.Unlock()
			}
		})
	}
	var batch cellBatch
	size := 0
	send := func() error {
		if len(batch.cells) == 0 {
			return nil
		}
		select {
		case jobs <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
		batch, size = cellBatch{}, 0
		return nil
	}
	fileOf, base := 0, 0
	err := forRows(ctx, files, pc.imageLeaf, func(i int, v parquet.Value) error {
		for i-base >= int(files[fileOf].NumRows()) {
			base += int(files[fileOf].NumRows())
			fileOf++
		}
		if len(batch.cells) > 0 && batch.path != files[fileOf].Path {
			if err := send(); err != nil {
				return err
			}
		}
		if len(batch.cells) == 0 {
			batch = cellBatch{first: i, path: files[fileOf].Path}
		}
		var c []byte
		if !v.IsNull() {
			c = bytes.Clone(v.ByteArray())
			if c == nil {
				c = []byte{}
			}
		}
		batch.cells = append(batch.cells, c)
		if size += len(c); len(batch.cells) == batchImages || size >= batchBytes {
			return send()
		}
		return nil
	})
	if err == nil {
		err = send()
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("mnist: %w", err)
	}
	return ctx.Err()
}
