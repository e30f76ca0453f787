package mnist

import (
	"bytes"
	"context"
	"fmt"
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

// decodeThumbs decodes files into cells of side cell on o's workers (see
// cellSink). Files that cannot be used are given their reason; the
// result's rows keep the files' order whatever the number of workers.
// kept, when not nil, holds the content of files already read (see
// probe); each is dropped once decoded.
func decodeThumbs(ctx context.Context, root string, files []imageFile, kept [][]byte, cell int, o Options) (*thumbs, error) {
	n := len(files)
	s, ctx := newCellSink(ctx, root, n, cell, o)
	defer s.cancel()
	err := forEach(ctx, n, o.workers(), func() func(int) {
		decode := s.decoder()
		return func(i int) {
			var whole []byte
			if kept != nil {
				whole, kept[i] = kept[i], nil
			}
			decode(i, files[i].path, whole)
		}
	}, func(done int) { o.progress(done, n) })
	return s.finish(err)
}

// imageCell returns the cell n images of root are decoded into, the
// largest of them of side maxSide, grey or not (see chooseCell), when
// they fit o's budget as grey cells (colour cells are checked when the
// first colour image is met).
func imageCell(root string, n, maxSide int, grey bool, o Options) (int, error) {
	channels := 4
	if grey {
		channels = 1
	}
	cell := chooseCell(n, maxSide, channels, o)
	what := fmt.Sprintf("%d images in cells of %dx%d", n, cell, cell)
	if err := checkBudget(root, o, what, need(n, cell, cell, 1)); err != nil {
		return 0, err
	}
	return cell, nil
}

// cellSink receives the n images of a dataset, decoded and fitted into
// cells of side cell, in any order and from any number of goroutines
// (each with its own decoder). The cells are grey (one byte a pixel)
// while every image is opaque grey; the first other image makes them
// RGBA, straight alpha (checked against the budget before that is
// allocated, which only then is an error that cancels the sink's
// context).
type cellSink struct {
	root      string
	o         Options
	cell      int
	grey      []uint8
	kinds     []uint8 // per image: sinkSkipped, sinkGrey or sinkColour
	rects     []image.Rectangle
	t         *thumbs
	gate      *pixelGate
	cancel    context.CancelFunc
	transient atomic.Bool

	mu     sync.Mutex
	colour []uint8
	fatal  error
}

// What became of each image in a cellSink.
const (
	sinkSkipped = iota
	sinkGrey
	sinkColour
)

// newCellSink returns a sink for n images of root and the context its
// decoding runs under (cancelled when the budget refuses colour cells).
func newCellSink(ctx context.Context, root string, n, cell int, o Options) (*cellSink, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	grey := make([]uint8, n*cell*cell)
	adviseHuge(grey) // written through once, file by file
	return &cellSink{
		root: root, o: o, cell: cell, cancel: cancel,
		grey:  grey,
		kinds: make([]uint8, n),
		rects: make([]image.Rectangle, n),
		t:     &thumbs{cell: cell, channels: 1, reasons: make([]string, n)},
		gate:  newPixelGate(2 * o.maxPixels()),
	}, ctx
}

// colourCells returns the RGBA cells, allocating them at the first call
// when the budget allows; nil when it does not.
func (s *cellSink) colourCells() []uint8 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.colour == nil && s.fatal == nil {
		n := len(s.kinds)
		if s.fatal = checkBudget(s.root, s.o, "its colour images as RGBA", need(n, s.cell, s.cell, 4)); s.fatal == nil {
			s.colour = make([]uint8, n*s.cell*s.cell*4)
		} else {
			s.cancel()
		}
	}
	return s.colour
}

// decoder returns a function that decodes image i from path (or from
// whole, the file's content, when not nil) into its cell, or records why
// it could not. Each goroutine needs its own.
func (s *cellSink) decoder() func(i int, path string, whole []byte) {
	fit, dec, cs := newFitter(s.cell), &imageDecoder{}, s.cell*s.cell
	return func(i int, path string, whole []byte) {
		if whole != nil { // a plain grey PNG as large as the cell: straight in
			if r, ok := dec.png.intoGreyCell(whole, s.cell, s.o.maxPixels(), s.grey[i*cs:(i+1)*cs]); ok {
				s.kinds[i], s.rects[i] = sinkGrey, r
				return
			}
		}
		img, orient, err := dec.decode(path, whole, s.o.maxPixels(), s.gate)
		if err != nil {
			s.skip(i, err)
			return
		}
		r := fit.fit(img, orient)
		if fit.isGrey(r) {
			fit.storeGrey(s.grey[i*cs : (i+1)*cs])
			s.kinds[i], s.rects[i] = sinkGrey, r
		} else if c := s.colourCells(); c != nil {
			fit.storeColour(c[i*cs*4 : (i+1)*cs*4])
			s.kinds[i] = sinkColour
		}
	}
}

// skip records why image i could not be used.
func (s *cellSink) skip(i int, err error) {
	fe, _ := err.(*fileError)
	s.t.reasons[i] = err.Error()
	if fe == nil || fe.transient {
		s.transient.Store(true)
	}
}

// finish returns the decoded cells in image order, the skipped images
// left out; err is the decoding's own error, returned unless the budget
// refused colour cells.
func (s *cellSink) finish(err error) (*thumbs, error) {
	if s.fatal != nil {
		return nil, s.fatal
	}
	if err != nil {
		return nil, err
	}
	t, cs, n := s.t, s.cell*s.cell, len(s.kinds)
	t.transient = s.transient.Load()
	buf, size := s.grey, cs
	if s.colour != nil {
		t.channels, buf, size = 4, s.colour, 4*cs
		for i, k := range s.kinds {
			if k == sinkGrey {
				greyToColour(s.colour[i*size:(i+1)*size], s.grey[i*cs:(i+1)*cs], s.rects[i], s.cell)
			}
		}
	}
	j := 0
	for i, k := range s.kinds {
		if k == sinkSkipped {
			continue
		}
		if j != i {
			copy(buf[j*size:(j+1)*size], buf[i*size:(i+1)*size])
		}
		j++
	}
	t.pixels = buf[:j*size]
	if j < n-n/8 { // give back what the skipped images took
		t.pixels = slices.Clone(t.pixels)
	}
	return t, nil
}
