package mnist

import (
	"bufio"
	"context"
	"image"
	"image/color"
	"slices"
	"sync"
	"sync/atomic"
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
	var next atomic.Int64
	done := make(chan struct{}, 256)
	var wg sync.WaitGroup
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			work := newWork()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				work(i)
				done <- struct{}{}
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	count := 0
	for range done {
		count++
		if step != nil {
			step(count)
		}
	}
	if count < n {
		return ctx.Err()
	}
	return nil
}

// probe reads the headers of files and returns the largest side among
// those that will decode under o's pixel cap, and whether every header
// declares a grey image. Files whose header cannot be read are left to the
// decoding, which reports them.
func probe(ctx context.Context, files []imageFile, o Options) (maxSide int, grey bool, err error) {
	sides := make([]int32, len(files))
	colour := make([]bool, len(files))
	err = forEach(ctx, len(files), o.workers(), func() func(int) {
		return func(i int) {
			w, h, g, ok := probeImage(files[i].path, o.maxPixels())
			if ok {
				sides[i], colour[i] = int32(max(w, h)), !g
			}
		}
	}, nil)
	return int(slices.Max(append(sides, 0))), !slices.Contains(colour, true), err
}

// probeImage returns an image file's size from its header and whether its
// colour model is grey; ok is false when the header cannot be read or
// claims more than maxPixels.
func probeImage(path string, maxPixels int64) (w, h int, grey, ok bool) {
	f, err := openRegular(path)
	if err != nil {
		return 0, 0, false, false
	}
	defer f.Close()
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	cfg, _, err := image.DecodeConfig(bufio.NewReaderSize(f, 4<<10))
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
// files' order whatever the number of workers.
func decodeThumbs(ctx context.Context, root string, files []imageFile, cell int, o Options) (*thumbs, error) {
	n, cs := len(files), cell*cell
	grey := make([]uint8, n*cs)
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
		fit := newFitter(cell)
		return func(i int) {
			img, orient, err := decodeImage(files[i].path, o.maxPixels(), gate)
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
