package mnist

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders registered with package image
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"strings"
	"sync"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// fileError is why one image file could not be used. transient marks a
// reason that may go away without the file changing (it could not be
// opened or read), which the thumbnail cache must not remember.
type fileError struct {
	reason    string
	transient bool
}

func (e *fileError) Error() string { return e.reason }

func permanent(format string, args ...any) *fileError {
	return &fileError{reason: fmt.Sprintf(format, args...)}
}

// formats lists what decodeImage reads, for messages.
const formats = "PNG, JPEG, GIF, BMP, TIFF or WebP"

// inMemory is the largest image file read whole before decoding; larger
// files are decoded as they are read.
const inMemory = 32 << 20

// imageDecoder decodes image files, reusing its buffers from one file to
// the next: one per decoding goroutine (its zero value is ready to use).
type imageDecoder struct {
	buf []byte // a file's bytes
	png pngInflater
}

// decode decodes the image file at path, its EXIF orientation applied.
// Its header is read first (image.DecodeConfig) and an image of more than
// maxPixels pixels refused before any pixel is allocated; gate, when not
// nil, is held for the image's pixels while it decodes. whole, when not
// nil, is the file's content, already read. A decoder's panic on a hostile
// file is caught and becomes the file's error.
func (dec *imageDecoder) decode(path string, whole []byte, maxPixels int64, gate *pixelGate) (img image.Image, orient int, err error) {
	data, size := whole, int64(len(whole))
	if whole == nil {
		var st fileStamp
		if data, st, err = readHead(path, dec.buf, inMemory); err != nil {
			return nil, 0, &fileError{reason: "not read: " + unwrapPath(err).Error(), transient: true}
		}
		dec.buf, size = data[:0], st.size
	}
	if size == 0 {
		return nil, 0, permanent("empty file (0 bytes)")
	}
	// The file's bytes, in memory, or the file itself when it is large.
	var src io.ReadSeeker = bytes.NewReader(data)
	if size > int64(len(data)) {
		f, err := openRegular(path)
		if err != nil {
			return nil, 0, &fileError{reason: "not read: " + unwrapPath(err).Error(), transient: true}
		}
		defer f.Close()
		src = f
	}
	reader := func() (io.Reader, error) {
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return nil, &fileError{reason: "not read: " + unwrapPath(err).Error(), transient: true}
		}
		if f, ok := src.(*os.File); ok {
			return bufio.NewReaderSize(f, 64<<10), nil
		}
		return peeker{src.(*bytes.Reader), data}, nil
	}
	defer func() {
		if p := recover(); p != nil {
			img, orient, err = nil, 0, permanent("the image decoder failed on this file: %v", p)
		}
	}()
	r, err := reader()
	if err != nil {
		return nil, 0, err
	}
	var cfg image.Config
	var format string
	if w, h, _, ok := pngHeader(data); ok {
		cfg.Width, cfg.Height, format = w, h, "png"
	} else if cfg, format, err = image.DecodeConfig(r); err != nil {
		return nil, 0, decodeError(err, "header")
	}
	format = strings.ToUpper(format)
	px := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, permanent("%s header claims %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if px > maxPixels {
		return nil, 0, permanent("%s header claims %dx%d pixels, more than the limit of %d (Options.MaxPixels); not decoded",
			format, cfg.Width, cfg.Height, maxPixels)
	}
	inMem := size == int64(len(data))
	orient = 1
	if format == "JPEG" {
		head := data[:min(len(data), exifScan)]
		if !inMem {
			head = make([]byte, exifScan)
			n, _ := src.(*os.File).ReadAt(head, 0)
			head = head[:n]
		}
		orient = jpegOrientation(head)
	}
	gate.acquire(px)
	defer gate.release(px)
	if format == "PNG" && inMem {
		if img, ok := dec.png.decode(data); ok {
			return img, 1, nil
		}
	}
	if r, err = reader(); err != nil {
		return nil, 0, err
	}
	img, _, err = image.Decode(r)
	if err != nil {
		return nil, 0, decodeError(err, "data")
	}
	// A GIF's first frame may be smaller than its screen, never larger.
	if b := img.Bounds(); b.Dx() > cfg.Width || b.Dy() > cfg.Height || b.Empty() {
		return nil, 0, permanent("%s decodes to %dx%d pixels but its header says %dx%d", format, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	return img, orient, nil
}

// peeker is a bytes.Reader over data that can Peek, so that package image
// reads it as it is rather than through a bufio.Reader of its own (which
// would allocate and copy).
type peeker struct {
	*bytes.Reader
	data []byte
}

// Peek returns the next n bytes without advancing.
func (p peeker) Peek(n int) ([]byte, error) {
	pos := len(p.data) - p.Len()
	if n > p.Len() {
		return p.data[pos:], io.EOF
	}
	return p.data[pos : pos+n], nil
}

// decodeError words a decoder's error about part of a file.
func decodeError(err error, part string) *fileError {
	switch {
	case errors.Is(err, image.ErrFormat):
		return permanent("not a %s image (unknown format)", formats)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected EOF"):
		return permanent("truncated: the file ends inside its %s", part)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return &fileError{reason: "not read: " + unwrapPath(err).Error(), transient: true}
	}
	return permanent("corrupt %s: %v", part, strings.TrimSpace(err.Error()))
}

// pixelGate bounds the pixels being decoded at once, so that several
// workers meeting large images together cannot exhaust memory: each
// decode holds its image's pixel count (at most the capacity) until done.
type pixelGate struct {
	mu   sync.Mutex
	cond sync.Cond
	free int64
	cap  int64
}

func newPixelGate(capacity int64) *pixelGate {
	g := &pixelGate{free: capacity, cap: capacity}
	g.cond.L = &g.mu
	return g
}

func (g *pixelGate) acquire(n int64) {
	if g == nil {
		return
	}
	n = min(n, g.cap)
	g.mu.Lock()
	for g.free < n {
		g.cond.Wait()
	}
	g.free -= n
	g.mu.Unlock()
}

func (g *pixelGate) release(n int64) {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.free += min(n, g.cap)
	g.mu.Unlock()
	g.cond.Broadcast()
}
