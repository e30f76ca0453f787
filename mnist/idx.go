package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"

	"github.com/mnist-explorer/mnist-explorer/internal/parquetio"
)

// IDX type codes and limits.
const (
	idxUbyte = 0x08

	// MaxImageSide is the largest image width or height accepted. Larger
	// headers are treated as corrupt rather than trusted.
	MaxImageSide = 1024
	// MaxItems is the largest item count a header may claim.
	MaxItems = 1 << 28
)

// maxInflate bounds how many bytes a gzip file of n bytes can expand to:
// deflate encodes at best 258 bytes in two bits, 1032:1.
const maxInflate = 1032

// idxFile is an open IDX file of unsigned bytes whose header has been read
// and checked, and whose claimed body fits in the file: raw files are
// checked exactly against their size, gzip files against the most their
// size can inflate to. Nothing is allocated for the body yet.
type idxFile struct {
	path string
	r    io.Reader // positioned at the body
	c    io.Closer // closes every layer
	dims []int     // dims[0] is the item count; the rest is one item's shape
}

// openIDX opens path, transparently un-gzipping it when it starts with the
// gzip magic bytes, and reads its header of ndims dimensions. Only regular
// files are opened (openRegular): a named pipe in a dataset directory would
// otherwise block the loader forever, and a device could feed it without
// end. Errors carry the package prefix and name path.
func openIDX(path string, ndims int) (*idxFile, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mnist: %w", err)
	}
	br := bufio.NewReaderSize(f, 64<<10)
	x := &idxFile{path: path, r: br, c: f}
	room := st.Size() - int64(4+4*ndims) // the most body bytes the file holds
	magic, err := br.Peek(2)
	gzipped := err == nil && magic[0] == 0x1f && magic[1] == 0x8b
	if gzipped {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("mnist: %s: bad gzip stream: %w", path, noEOF(err))
		}
		x.r, x.c = zr, closers{zr, f}
		room = maxInflate * min(st.Size(), math.MaxInt64/maxInflate)
	}
	if x.dims, err = readHeader(x.r, ndims); err != nil {
		x.c.Close()
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	if body := int64(x.items()) * int64(x.itemSize()); body > room {
		x.c.Close()
		if gzipped {
			return nil, fmt.Errorf("mnist: %s: truncated data: header says %s (%d bytes), more than a %d-byte gzip file can hold",
				path, x.describe(), body, st.Size())
		}
		return nil, fmt.Errorf("mnist: %s: truncated data: header says %s, the data ends after %d",
			path, x.describe(), max(room, 0)/int64(x.itemSize()))
	}
	return x, nil
}

// items returns the number of items the header claims.
func (x *idxFile) items() int { return x.dims[0] }

// itemSize returns the bytes of one item.
func (x *idxFile) itemSize() int {
	s := 1
	for _, d := range x.dims[1:] {
		s *= d
	}
	return s
}

// describe says what the header claims, e.g. "5 images of 28x28".
func (x *idxFile) describe() string {
	if len(x.dims) == 3 {
		return fmt.Sprintf("%d images of %dx%d", x.dims[0], x.dims[2], x.dims[1])
	}
	return fmt.Sprintf("%d labels", x.dims[0])
}

// readBody reads the whole body into dst, which must hold exactly
// items()*itemSize() bytes, and verifies a gzip stream to its end. A
// stream shorter than its header claims is a "truncated data" error saying
// where the data ends.
func (x *idxFile) readBody(dst []byte) error {
	got, err := io.ReadFull(x.r, dst)
	if err != nil {
		return fmt.Errorf("mnist: %s: truncated data: header says %s, the data ends after %d: %w",
			x.path, x.describe(), got/x.itemSize(), noEOF(err))
	}
	if err := checkEnd(x.r); err != nil {
		return fmt.Errorf("mnist: %s: %w", x.path, err)
	}
	return nil
}

// Close closes the file.
func (x *idxFile) Close() error { return x.c.Close() }

// openRegular opens path for reading if it is a regular file. Errors from
// the file system are returned as they are (so errors.Is(err,
// fs.ErrNotExist) still works); other kinds of file are refused with an
// error naming path.
func openRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	return os.Open(path)
}

// notRegular is the error for path, of mode m, which is not a regular file.
func notRegular(path string, m fs.FileMode) error {
	return fmt.Errorf("%s: not a regular file (%s)", path, fileKind(m))
}

// fileKind names the type of a file that is not a regular file.
func fileKind(m fs.FileMode) string { return parquetio.FileKind(m) }

type closers []io.Closer

// Close closes every layer, outermost first, and returns the first error.
func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// readHeader reads and validates an IDX header of unsigned bytes with
// wantDims dimensions and returns them: the item count, then one item's
// shape.
func readHeader(r io.Reader, wantDims int) ([]int, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("truncated header: %w", noEOF(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, fmt.Errorf("wrong magic number %#08x: not an IDX file", binary.BigEndian.Uint32(magic[:]))
	}
	if magic[2] != idxUbyte {
		return nil, fmt.Errorf("unsupported IDX element type %#02x (only unsigned bytes, 0x08)", magic[2])
	}
	if int(magic[3]) != wantDims {
		return nil, fmt.Errorf("wrong magic number %#08x: %d dimensions, want %d", binary.BigEndian.Uint32(magic[:]), magic[3], wantDims)
	}
	buf := make([]byte, 4*wantDims)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("truncated header: %w", noEOF(err))
	}
	dims := make([]int, wantDims)
	for i := range dims {
		dims[i] = int(binary.BigEndian.Uint32(buf[4*i:]))
	}
	if dims[0] == 0 {
		return nil, errors.New("header says 0 items")
	}
	if dims[0] > MaxItems {
		return nil, fmt.Errorf("absurd header: %d items (limit %d)", dims[0], MaxItems)
	}
	for _, d := range dims[1:] {
		if d == 0 || d > MaxImageSide {
			return nil, fmt.Errorf("absurd image size %dx%d (each side must be 1..%d)", dims[2], dims[1], MaxImageSide)
		}
	}
	return dims, nil
}

// checkEnd reads a gzip source to its end, so that the stream's trailer
// (CRC-32 and length) is verified: a file cut inside the trailer or with a
// damaged checksum would otherwise load as if whole. Raw sources need no
// check. Data after the body is ignored, as it is in raw files.
func checkEnd(r io.Reader) error {
	zr, ok := r.(*gzip.Reader)
	if !ok {
		return nil
	}
	_, err := io.Copy(io.Discard, zr)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("truncated gzip stream: %w", err)
	default:
		return fmt.Errorf("bad gzip stream: %w", err)
	}
}

// noEOF turns the EOF errors of a short read into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ReadImages reads an IDX file of images (magic 0x00000803), gzip or raw.
// It returns the pixels of all images, concatenated row-major, and the
// image count and size. The images must fit in the default memory budget
// (DefaultMaxBytes; LoadWith takes another); the pixels are allocated once,
// at their exact size, after the header has been checked against the file.
func ReadImages(path string) (pixels []uint8, n, width, height int, err error) {
	x, err := openIDX(path, 3)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer x.Close()
	n, height, width = x.dims[0], x.dims[1], x.dims[2]
	if err := checkBudget(path, Options{}, x.describe(), need(n, width, height, 1)); err != nil {
		return nil, 0, 0, 0, err
	}
	pixels = make([]uint8, n*width*height)
	if err := x.readBody(pixels); err != nil {
		return nil, 0, 0, 0, err
	}
	return pixels, n, width, height, nil
}

// ReadLabels reads an IDX file of labels (magic 0x00000801), gzip or raw.
// The labels are allocated once, after the header has been checked against
// the file.
func ReadLabels(path string) ([]uint8, error) {
	x, err := openIDX(path, 1)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	labels := make([]uint8, x.items())
	if err := x.readBody(labels); err != nil {
		return nil, err
	}
	return labels, nil
}
