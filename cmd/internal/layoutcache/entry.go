package layoutcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Both kinds of entry share one layout on disk:
//
//	magic     8 bytes, names the kind
//	version   uint32, the kind's format version
//	dataset   32 bytes, the dataset's content hash
//	method    uint32 length + bytes (at most maxString)
//	settings  uint32 length + bytes (at most maxString)
//	rows      uint64
//	cols      uint32
//	values    rows*cols 4-byte little-endian values (float32 or int32)
//	checksum  SHA-256 of everything before it
//
// All integers are little-endian.

// format is one kind of entry.
type format struct {
	magic   string // 8 bytes
	version uint32
	name    string // in messages: "layout", "neighbour graph"
}

// header is what an entry must match: everything but its values.
type header struct {
	dataset          [32]byte
	method, settings string
	n, cols          int
}

// fixedSize is the size of an entry's fields other than its two strings
// and its values.
const fixedSize = 8 + 4 + 32 + 4 + 4 + 8 + 4 + sha256.Size

// maxHeader bounds the bytes before an entry's values.
const maxHeader = fixedSize - sha256.Size + 2*maxString

// size returns the exact size of an entry matching h, or false if it
// cannot be represented (negative or overflowing counts).
func (h header) size() (int64, bool) {
	if h.n < 0 || h.cols <= 0 {
		return 0, false
	}
	values := uint64(h.n) * uint64(h.cols)
	if values/uint64(h.cols) != uint64(h.n) || values > 1<<60 {
		return 0, false
	}
	return int64(uint64(fixedSize+len(h.method)+len(h.settings)) + 4*values), true
}

// encode serialises an entry of f: h's strings and dataset, and vals as
// len(vals)/h.cols rows (h.n is not used, so that tests can write entries
// whose row count is wrong).
func encode[T float32 | int32](f format, h header, vals []T) []byte {
	var b bytes.Buffer
	b.Grow(fixedSize + len(h.method) + len(h.settings) + 4*len(vals))
	b.WriteString(f.magic)
	binary.Write(&b, binary.LittleEndian, f.version)
	b.Write(h.dataset[:])
	writeString(&b, h.method)
	writeString(&b, h.settings)
	binary.Write(&b, binary.LittleEndian, uint64(len(vals)/h.cols))
	binary.Write(&b, binary.LittleEndian, uint32(h.cols))
	binary.Write(&b, binary.LittleEndian, vals)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

func writeString(b *bytes.Buffer, s string) {
	binary.Write(b, binary.LittleEndian, uint32(len(s)))
	b.WriteString(s)
}

// decode verifies an entry of f against want and returns its values if
// check accepts them. It never trusts a length before checking it against
// the bytes present.
func decode[T float32 | int32](f format, data []byte, want header, check func([]T) error) ([]T, error) {
	if len(data) < len(f.magic)+4+32+sha256.Size {
		return nil, errors.New("too short")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errors.New("checksum mismatch")
	}
	at, err := parseHeader(f, body, want)
	if err != nil {
		return nil, err
	}
	r := body[at:]
	if uint64(len(r)) != 4*uint64(want.cols)*uint64(want.n) {
		return nil, fmt.Errorf("holds %d rows of %d in %d bytes", want.n, want.cols, len(r))
	}
	vals := make([]T, len(r)/4)
	if _, err := binary.Decode(r, binary.LittleEndian, vals); err != nil {
		return nil, err
	}
	if err := check(vals); err != nil {
		return nil, err
	}
	return vals, nil
}

// parseHeader checks the header at the start of r (which may hold only
// the header) against want and returns the header's length.
func parseHeader(f format, r []byte, want header) (int, error) {
	all := len(r)
	if len(r) < len(f.magic)+4+32 {
		return 0, errors.New("truncated")
	}
	if string(r[:len(f.magic)]) != f.magic {
		return 0, errors.New("not a " + f.name + " cache entry")
	}
	r = r[len(f.magic):]
	if v := binary.LittleEndian.Uint32(r); v != f.version {
		return 0, fmt.Errorf("format version %d, want %d", v, f.version)
	}
	r = r[4:]
	if !bytes.Equal(r[:32], want.dataset[:]) {
		return 0, errors.New("computed for another dataset")
	}
	r = r[32:]
	method, r, err := readString(r)
	if err != nil {
		return 0, err
	}
	settings, r, err := readString(r)
	if err != nil {
		return 0, err
	}
	if method != want.method || settings != want.settings {
		return 0, fmt.Errorf("computed as %s %q, want %s %q", method, settings, want.method, want.settings)
	}
	if len(r) < 12 {
		return 0, errors.New("truncated")
	}
	n, cols := binary.LittleEndian.Uint64(r), binary.LittleEndian.Uint32(r[8:])
	if n != uint64(want.n) || uint64(cols) != uint64(want.cols) {
		return 0, fmt.Errorf("holds %d rows of %d, want %d rows of %d", n, cols, want.n, want.cols)
	}
	return all - len(r) + 12, nil
}

func readString(r []byte) (string, []byte, error) {
	if len(r) < 4 {
		return "", nil, errors.New("truncated")
	}
	n := binary.LittleEndian.Uint32(r)
	if n > maxString || uint64(n) > uint64(len(r)-4) {
		return "", nil, fmt.Errorf("bad string length %d", n)
	}
	return string(r[4 : 4+n]), r[4+n:], nil
}

// read returns the bytes of the entry of f at path that should match
// want: ErrMiss if there is none, an error wrapping ErrInvalid if it is not
// a regular file or its header or size do not match want.
//
// It never blocks on or reads without bound from what sits at path: it
// refuses anything but a regular file, symbolic links included (entries are
// only ever written by renaming a regular file into place, so a link is
// foreign; the caller's Put then replaces the link itself, not its target).
// The file is opened non-blocking, so a named pipe put there between the
// check and the open cannot hang it, and checked again once open (a
// concurrent Put may rename a new entry into place in between: that one is
// read). It reads the header first (at most maxHeader bytes), compares the
// file's size with the size the header implies, and only then reads the
// rest, exactly.
func read(f format, path string, want header) ([]byte, error) {
	invalid := func(err error) error { return fmt.Errorf("%w: %s: %v", ErrInvalid, path, err) }
	lst, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrMiss
	}
	if err != nil {
		return nil, fmt.Errorf("layoutcache: %w", err)
	}
	if !lst.Mode().IsRegular() {
		return nil, invalid(fmt.Errorf("not a regular file (mode %v)", lst.Mode()))
	}
	file, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrMiss
	}
	if err != nil {
		return nil, fmt.Errorf("layoutcache: %w", err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("layoutcache: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, invalid(fmt.Errorf("replaced while being opened by a file of mode %v", st.Mode()))
	}
	size, ok := want.size()
	if !ok {
		return nil, invalid(fmt.Errorf("cannot hold %d rows of %d", want.n, want.cols))
	}
	head := make([]byte, min(st.Size(), maxHeader))
	if _, err := io.ReadFull(file, head); err != nil {
		return nil, fmt.Errorf("layoutcache: %s: %w", path, err)
	}
	if _, err := parseHeader(f, head, want); err != nil {
		return nil, invalid(err)
	}
	if st.Size() != size {
		return nil, invalid(fmt.Errorf("%d bytes, want %d for %d rows of %d", st.Size(), size, want.n, want.cols))
	}
	data := make([]byte, size)
	copy(data, head)
	if _, err := io.ReadFull(file, data[len(head):]); err != nil {
		return nil, invalid(fmt.Errorf("shorter than it was: %w", err))
	}
	return data, nil
}
