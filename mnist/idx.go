package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// IDX type codes and limits.
const (
	idxUbyte = 0x08

	// MaxImageSide is the largest image width or height accepted. Larger
	// headers are treated as corrupt rather than trusted.
	MaxImageSide = 1024
	// MaxItems is the largest item count a header may claim.
	MaxItems = 1 << 28

	chunkSize = 1 << 20 // bytes read per step, so headers never size an allocation
)

// idxHeader is the parsed header of an IDX file of unsigned bytes.
type idxHeader struct {
	dims []int // dims[0] is the item count; the rest is one item's shape
}

// openIDX opens path, transparently un-gzipping it when it starts with the
// gzip magic bytes. The returned closer closes every layer. Only regular
// files are opened (openRegular): a named pipe in a dataset directory would
// otherwise block the loader forever, and a device could feed it without end.
func openIDX(path string) (io.Reader, io.Closer, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: bad gzip stream: %w", path, noEOF(err))
		}
		return zr, closers{zr, f}, nil
	}
	return br, f, nil
}

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
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, fileKind(st.Mode()))
	}
	return os.Open(path)
}

// fileKind names the type of a file that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

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
// wantDims dimensions.
func readHeader(r io.Reader, wantDims int) (idxHeader, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return idxHeader{}, fmt.Errorf("truncated header: %w", noEOF(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return idxHeader{}, fmt.Errorf("wrong magic number %#08x: not an IDX file", binary.BigEndian.Uint32(magic[:]))
	}
	if magic[2] != idxUbyte {
		return idxHeader{}, fmt.Errorf("unsupported IDX element type %#02x (only unsigned bytes, 0x08)", magic[2])
	}
	if int(magic[3]) != wantDims {
		return idxHeader{}, fmt.Errorf("wrong magic number %#08x: %d dimensions, want %d", binary.BigEndian.Uint32(magic[:]), magic[3], wantDims)
	}
	buf := make([]byte, 4*wantDims)
	if _, err := io.ReadFull(r, buf); err != nil {
		return idxHeader{}, fmt.Errorf("truncated header: %w", noEOF(err))
	}
	h := idxHeader{dims: make([]int, wantDims)}
	for i := range h.dims {
		h.dims[i] = int(binary.BigEndian.Uint32(buf[4*i:]))
	}
	if h.dims[0] == 0 {
		return h, errors.New("header says 0 items")
	}
	if h.dims[0] > MaxItems {
		return h, fmt.Errorf("absurd header: %d items (limit %d)", h.dims[0], MaxItems)
	}
	for _, d := range h.dims[1:] {
		if d == 0 || d > MaxImageSide {
			return h, fmt.Errorf("absurd image size %dx%d (each side must be 1..%d)", h.dims[1], h.dims[2], MaxImageSide)
		}
	}
	return h, nil
}

// readBody reads exactly want bytes in bounded chunks, so that a header
// claiming more data than the file holds fails as truncated without having
// reserved memory for the claim.
func readBody(r io.Reader, want int) ([]byte, error) {
	out := make([]byte, 0, min(want, chunkSize))
	for len(out) < want {
		n := min(want-len(out), chunkSize)
		if cap(out)-len(out) < n {
			grown := make([]byte, len(out), min(want, max(2*cap(out), len(out)+n)))
			copy(grown, out)
			out = grown
		}
		got, err := io.ReadFull(r, out[len(out):len(out)+n])
		out = out[:len(out)+got]
		if err != nil {
			return out, noEOF(err)
		}
	}
	return out, nil
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
// image count and size.
func ReadImages(path string) (pixels []uint8, n, width, height int, err error) {
	r, c, err := openIDX(path)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("mnist: %w", err)
	}
	defer c.Close()
	h, err := readHeader(r, 3)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("mnist: %s: %w", path, err)
	}
	n, height, width = h.dims[0], h.dims[1], h.dims[2]
	size := width * height
	pixels, err = readBody(r, n*size)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("mnist: %s: truncated data: header says %d images of %dx%d, the data ends after %d: %w",
			path, n, width, height, len(pixels)/size, err)
	}
	if err := checkEnd(r); err != nil {
		return nil, 0, 0, 0, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return pixels, n, width, height, nil
}

// ReadLabels reads an IDX file of labels (magic 0x00000801), gzip or raw.
func ReadLabels(path string) ([]uint8, error) {
	r, c, err := openIDX(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer c.Close()
	h, err := readHeader(r, 1)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	labels, err := readBody(r, h.dims[0])
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: truncated data: header says %d labels, the data ends after %d: %w",
			path, h.dims[0], len(labels), err)
	}
	if err := checkEnd(r); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	return labels, nil
}
