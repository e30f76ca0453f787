package mnist

import (
	"context"
	"fmt"
	"image"
	"io"
	"math"
	"os"
)

// imageShape is how an image array's shape reads: n images of h x w
// pixels with c values each (1 grey, 3 RGB, 4 RGBA).
type imageShape struct{ n, h, w, c int }

// channels returns the values a pixel has once loaded: 1 or 4.
func (s imageShape) channels() int {
	if s.c == 1 {
		return 1
	}
	return 4
}

// imageShapeOf reads a's shape as images: N x H x W, N x H x W x C (C = 1,
// 3 or 4) or N x D with D a square (S x S grey images). Images of more
// than maxPixels pixels are refused; their elements must be uint8 or
// float32/float64.
func imageShapeOf(a *npyArray, maxPixels int64) (imageShape, error) {
	s, d := imageShape{c: 1}, a.shape
	switch {
	case len(d) == 3:
		s.n, s.h, s.w = d[0], d[1], d[2]
	case len(d) == 4 && (d[3] == 1 || d[3] == 3 || d[3] == 4):
		s.n, s.h, s.w, s.c = d[0], d[1], d[2], d[3]
	case len(d) == 2 && d[1] > 1 && isSquare(d[1]):
		s.n, s.h = d[0], int(math.Sqrt(float64(d[1])))
		s.w = s.h
	default:
		return s, fmt.Errorf("mnist: %s: shape %s is not images: want N x H x W, N x H x W x C (C = 1, 3 or 4) or N x D with D a square", a.name, a.shapeString())
	}
	if int64(s.h)*int64(s.w) > maxPixels {
		return s, fmt.Errorf("mnist: %s: images of %dx%d pixels, more than the limit of %d (Options.MaxPixels)", a.name, s.w, s.h, maxPixels)
	}
	if s.n > MaxItems {
		return s, fmt.Errorf("mnist: %s: %d images, more than the %d a dataset may hold", a.name, s.n, MaxItems)
	}
	if a.dtype[1:] != "u1" && a.kind != 'f' {
		return s, fmt.Errorf("mnist: %s: images of dtype %s: want uint8, or float32/float64 in [0, 1]", a.name, a.dtype)
	}
	return s, nil
}

// isSquare reports whether d is the square of an integer.
func isSquare(d int) bool {
	s := int(math.Sqrt(float64(d)))
	return s*s == d
}

// rowReader reads an image array one image at a time, as uint8 values
// with 1 or 4 channels (RGB gains an opaque alpha).
type rowReader struct {
	a     *npyArray
	s     imageShape
	chunk []float64 // one row of pixels as read
	u8    []uint8
	row   int // the next image's index, for messages

	// Progress: images read before this array, and in all.
	done, total int
}

func newRowReader(a *npyArray, s imageShape) *rowReader {
	return &rowReader{a: a, s: s, chunk: make([]float64, s.w*s.c), u8: make([]uint8, s.w*s.c), total: s.n}
}

// imageLen returns the bytes of one loaded image.
func (r *rowReader) imageLen() int { return r.s.h * r.s.w * r.s.channels() }

// next reads the next image into dst (imageLen bytes). Floats must be
// finite and in [0, 1]; they become round(v*255).
func (r *rowReader) next(dst []uint8) error {
	s, ch := r.s, r.s.channels()
	for y := range s.h {
		if err := r.a.readFloats(r.chunk, r.u8); err != nil {
			return err
		}
		out := dst[y*s.w*ch : (y+1)*s.w*ch]
		for x := range s.w {
			for k := range ch {
				v := 1.0 // the alpha RGB lacks
				if k < s.c {
					v = r.chunk[x*s.c+k]
				}
				if r.a.kind == 'f' {
					if !(v >= 0 && v <= 1) {
						return fmt.Errorf("mnist: %s: image %d holds %v, outside [0, 1]: store float images in [0, 1] or as uint8 0..255", r.a.name, r.row, v)
					}
					v = math.Round(v * 255)
				}
				out[x*ch+k] = uint8(v)
			}
		}
	}
	r.row++
	return nil
}

// image returns an image's values (from next) as an image.
func (r *rowReader) image(buf []uint8) image.Image {
	rect := image.Rect(0, 0, r.s.w, r.s.h)
	if r.s.channels() == 1 {
		return &image.Gray{Pix: buf, Stride: r.s.w, Rect: rect}
	}
	return &image.NRGBA{Pix: buf, Stride: 4 * r.s.w, Rect: rect}
}

// readCells reads every image of r into dst, cell x cell each, fitted
// (see fitter) on o's workers when the images are not the cell's size,
// telling o.Progress as it reads.
func readCells(ctx context.Context, r *rowReader, dst []uint8, cell int, o Options) error {
	n, size := r.s.n, cell*cell*r.s.channels()
	if r.s.h == cell && r.s.w == cell {
		for i := range n {
			if err := ctx.Err(); err != nil {
				return stopped(r.a.name, err)
			}
			if err := r.next(dst[i*size : (i+1)*size]); err != nil {
				return err
			}
			o.progress(r.done+i+1, r.total)
		}
		return nil
	}
	// One goroutine reads images in order into buffers; the workers fit
	// them into their cells.
	type job struct {
		i   int
		buf []uint8
	}
	workers := o.workers()
	jobs, free := make(chan job), make(chan []uint8, workers+1)
	for range workers + 1 {
		free <- make([]uint8, r.imageLen())
	}
	var readErr error
	go func() {
		defer close(jobs)
		for i := range n {
			buf := <-free
			if readErr = r.next(buf); readErr != nil || ctx.Err() != nil {
				return
			}
			o.progress(r.done+i+1, r.total)
			jobs <- job{i, buf}
		}
	}()
	err := forEach(ctx, workers, workers, func() func(int) {
		fit := newFitter(cell)
		return func(int) {
			for j := range jobs {
				fit.fit(r.image(j.buf), 1)
				if size == cell*cell {
					fit.storeGrey(dst[j.i*size : (j.i+1)*size])
				} else {
					fit.storeColour(dst[j.i*size : (j.i+1)*size])
				}
				free <- j.buf
			}
		}
	}, nil)
	for range jobs { // let the reader finish after a cancellation
	}
	if readErr != nil {
		return readErr
	}
	if err != nil {
		return stopped(r.a.name, err)
	}
	return nil
}

// stopped is the error of a load that ctx stopped (err is its error).
func stopped(path string, err error) error {
	return fmt.Errorf("mnist: %s: loading stopped: %w", path, err)
}

// openArrayFile opens the regular file at path for an array source.
func openArrayFile(path string) (*os.File, int64, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, 0, fmt.Errorf("mnist: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("mnist: %w", err)
	}
	return f, st.Size(), nil
}

// openNPY reads a .npy array of images: see OpenContext.
func openNPY(ctx context.Context, path string, o Options) (*Dataset, error) {
	f, size, err := openArrayFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := readNPY(f, path, size)
	if err != nil {
		return nil, err
	}
	s, err := imageShapeOf(a, o.maxPixels())
	if err != nil {
		return nil, err
	}
	d, err := newArrayDataset(path, KindNPY, s.n, max(s.h, s.w), s.channels(), o)
	if err != nil {
		return nil, err
	}
	if err := readCells(ctx, newRowReader(a, s), d.Pixels, d.Width, o); err != nil {
		return nil, err
	}
	d.NumTrain = s.n
	d.origin = &arrayOrigin{path: path, shapes: []imageShape{s}}
	if err := d.labelArray(o, nil); err != nil {
		return nil, err
	}
	return d, nil
}

// newArrayDataset allocates a dataset of n images from the array file at
// path, whose largest side is side, in cells chosen by o and checked
// against its budget.
func newArrayDataset(path, kind string, n, side, channels int, o Options) (*Dataset, error) {
	if o.Cell > MaxImageSide {
		return nil, fmt.Errorf("mnist: cell of %d pixels: the most is %d", o.Cell, MaxImageSide)
	}
	cell := chooseCell(n, side, channels, o)
	what := fmt.Sprintf("%d images in cells of %dx%d", n, cell, cell)
	if channels == 4 {
		what += " in colour"
	}
	if err := checkBudget(path, o, what, need(n, cell, cell, channels)); err != nil {
		return nil, err
	}
	return &Dataset{Dir: path, Kind: kind, Files: []string{path}, Width: cell, Height: cell, Channels: channels,
		Pixels: make([]uint8, n*cell*cell*channels)}, nil
}

// skipBody advances a's body by n bytes, seeking when it is a file.
func skipBody(a *npyArray, f io.Seeker, n int64) error {
	if f != nil {
		_, err := f.Seek(a.offset+n, io.SeekStart)
		return err
	}
	_, err := io.CopyN(io.Discard, a.body, n)
	return err
}
