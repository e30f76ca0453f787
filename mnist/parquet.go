package mnist

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
	"github.com/parquet-go/parquet-go"
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
