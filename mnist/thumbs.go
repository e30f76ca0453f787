package mnist

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// thumbs are a folder's image files fitted into cells: what the thumbnail
// cache stores.
type thumbs struct {
	cell, channels int
	reasons        []string // per file: why it was skipped, "" when it decoded
	pixels         []uint8  // the decoded files' cells in file order, cell*cell*channels each
	transient      bool     // some reason may change without its file changing: not cached
}

// rows returns the number of decoded files.
func (t *thumbs) rows() int {
	n := 0
	for _, r := range t.reasons {
		if r == "" {
			n++
		}
	}
	return n
}

// forEach calls work(i) for every i in [0, n) on up to workers goroutines,
// each with its own work function from newWork (so each may keep its own
// buffers). step, when not nil, is called on the calling goroutine after
// each item with the number done so far. It returns ctx's error if ctx is
// cancelled before every item is done.
func forEach(ctx context.Context, n, workers int, newWork func() func(i int), step func(done int)) error {
	var next, finished atomic.Int64
	var done chan struct{}
	if step != nil {
		done = make(chan struct{}, 256)
	}
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			work, count := newWork(), int64(0)
			defer func() { finished.Add(count) }()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(i)
				count++
				if done != nil {
					done <- struct{}{}
				}
			}
		})
	}
	if done == nil { // no one to tell: no hand-over per item
		wg.Wait()
	} else {
		go func() { wg.Wait(); close(done) }()
		count := 0
		for range done {
			count++
			step(count)
		}
	}
	if finished.Load() < int64(n) {
		return ctx.Err()
	}
	return nil
}

// Files of up to keepFileMax bytes are read whole by the probe and kept
// for the decoding, up to keepTotalMax bytes in all, so that a folder of
// small images is opened once, not twice. Each probing goroutine reads
// them into slabs, one allocation for many files: the first of
// keepSlabMin bytes, each next twice the last up to keepSlabMax (in huge
// pages where the kernel allows: fewer page faults).
const (
	keepFileMax  = 64 << 10
	keepTotalMax = 128 << 20
	keepSlabMin  = 1 << 20
	keepSlabMax  = 8 << 20
)

// probed is what the probe learnt of a folder's files.
type probed struct {
	maxSide int      // the largest side among the files that will decode
	grey    bool     // whether every header declares a grey image
	kept    [][]byte // per file: its content when the probe read it whole, else nil
}

// probe opens every one of files once: it sets each file's size and
// modification time from the fstat of the open file (-1 when it cannot be
// read: the decoding says why), which the thumbnail cache's key takes, and
// reads its header: see probed.
func probe(ctx context.Context, files []imageFile, o Options) (*probed, error) {
	sides := make([]int32, len(files))
	colour := make([]bool, len(files))
	kept := make([][]byte, len(files))
	var total atomic.Int64
	var mu sync.Mutex
	var dirs []*dirCache // the goroutines' folders, released at the end
	defer func() {
		for _, d := range dirs {
			d.close()
		}
	}()
	err := forEach(ctx, len(files), o.workers(), func() func(int) {
		dir := &dirCache{}
		mu.Lock()
		dirs = append(dirs, dir)
		mu.Unlock()
		var buf, slab []byte // slab: what is left of this goroutine's slab
		size := keepSlabMin / 2
		return func(i int) {
			into := buf
			keep := total.Load() < keepTotalMax
			if keep {
				if cap(slab) < keepFileMax {
					size = min(2*size, keepSlabMax)
					slab = make([]byte, 0, size)
					adviseHuge(slab[:size])
				}
				into = slab
			}
			data, st, err := readHeadIn(dir, files[i].path, into, keepFileMax)
			if err != nil {
				files[i].size, files[i].mtime = -1, time.Time{}
				return
			}
			files[i].size, files[i].mtime = st.size, st.mtime
			if keep && st.size == int64(len(data)) && total.Add(st.size) <= keepTotalMax {
				kept[i] = data[:len(data):len(data)] // read into the slab (cap(slab) >= keepFileMax)
				slab = slab[len(data):len(data)]
			} else if !keep {
				buf = data[:0]
			}
			if w, h, g, ok := probeImage(files[i].path, data, st.size, o.maxPixels()); ok {
				sides[i], colour[i] = int32(max(w, h)), !g
			}
		}
	}, nil)
	return &probed{maxSide: int(slices.Max(append(sides, 0))), grey: !slices.Contains(colour, true), kept: kept}, err
}

// probeImage returns an image file's size from its header, read from
// head (the first bytes of a file of size bytes), and whether its colour
// model is grey; ok is false when the header cannot be read or claims
// more than maxPixels. Only when the header goes on beyond head (a JPEG's
// large EXIF block, a TIFF's directory at its end) is the file read whole.
func probeImage(path string, head []byte, size, maxPixels int64) (w, h int, grey, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	if w, h, ctype, ok := pngHeader(head); ok {
		return w, h, ctype == 0, int64(w)*int64(h) <= maxPixels
	}
	cfg, _, err := image.DecodeConfig(peeker{bytes.NewReader(head), head})
	if err != nil && size > int64(len(head)) {
		if head, _, err = readHead(path, nil, inMemory); err == nil {
			cfg, _, err = image.DecodeConfig(peeker{bytes.NewReader(head), head})
		}
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return 0, 0, false, false
	}
	grey = cfg.ColorModel == color.GrayModel || cfg.ColorModel == color.Gray16Model
	return cfg.Width, cfg.Height, grey, true
}

// decodeThumbs decodes files into cells of side cell on o's workers. The
// cells are grey (one byte a pixel) while every image is opaque grey; the
// first other image makes them RGBA, straight alpha (checked against o's
// budget before that is allocated, which only then is an error). Files
// that cannot be used are given their reason; the result's rows keep the
// files' order whatever the number of workers. kept, when not nil, holds
// the content of files already read (see probe); each is dropped once
// decoded.
func decodeThumbs(ctx context.Context, root string, files []imageFile, kept [][]byte, cell int, o Options) (*thumbs, error) {
	n, cs := len(files), cell*cell
	grey := make([]uint8, n*cs)
	adviseHuge(grey)
	const (
		skipped = iota
		isGrey
		isColour
	)
	kinds := make([]uint8, n)
	rects := make([]image.Rectangle, n)
	t := &thumbs{cell: cell, channels: 1, reasons: make([]string, n)}
	var (
		mu        sync.Mutex
		colour    []uint8
		fatal     error
		transient atomic.Bool
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	colourCells := func() []uint8 {
		mu.Lock()
		defer mu.Unlock()
		if colour == nil && fatal == nil {
			what := "its colour images as RGBA"
			if fatal = checkBudget(root, o, what, need(n, cell, cell, 4)); fatal == nil {
				colour = make([]uint8, n*cs*4)
			} else {
				cancel()
			}
		}
		return colour
	}
	gate := newPixelGate(2 * o.maxPixels())
	err := forEach(ctx, n, o.workers(), func() func(int) {
		fit, dec := newFitter(cell), &imageDecoder{}
		return func(i int) {
			var whole []byte
			if kept != nil {
				whole, kept[i] = kept[i], nil
			}
			if whole != nil { // a plain grey PNG as large as the cell: straight in
				if r, ok := dec.png.intoGreyCell(whole, cell, o.maxPixels(), grey[i*cs:(i+1)*cs]); ok {
					kinds[i], rects[i] = isGrey, r
					return
				}
			}
			img, orient, err := dec.decode(files[i].path, whole, o.maxPixels(), gate)
			if err != nil {
				fe, _ := err.(*fileError)
				t.reasons[i] = err.Error()
				if fe == nil || fe.transient {
					transient.Store(true)
				}
				return
			}
			r := fit.fit(img, orient)
			if fit.isGrey(r) {
				fit.storeGrey(grey[i*cs : (i+1)*cs])
				kinds[i], rects[i] = isGrey, r
			} else if c := colourCells(); c != nil {
				fit.storeColour(c[i*cs*4 : (i+1)*cs*4])
				kinds[i] = isColour
			}
		}
	}, func(done int) { o.progress(done, n) })
	if fatal != nil {
		return nil, fatal
	}
	if err != nil {
		return nil, err
	}
	t.transient = transient.Load()
	buf, size := grey, cs
	if colour != nil {
		t.channels, buf, size = 4, colour, 4*cs
		for i, k := range kinds {
			if k == isGrey {
				greyToColour(colour[i*size:(i+1)*size], grey[i*cs:(i+1)*cs], rects[i], cell)
			}
		}
	}
	j := 0
	for i, k := range kinds {
		if k == skipped {
			continue
		}
		if j != i {
			copy(buf[j*size:(j+1)*size], buf[i*size:(i+1)*size])
		}
		j++
	}
	t.pixels = buf[:j*size]
	if j < n-n/8 { // give back what the skipped files took
		t.pixels = slices.Clone(t.pixels)
	}
	return t, nil
}
