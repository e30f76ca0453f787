package mnist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

// maxNPYHeader is the longest NPY header accepted, in bytes. NumPy itself
// refuses headers over 10,000 bytes by default.
const maxNPYHeader = 64 << 10

// npyArray is an NPY array whose header has been read and checked against
// the bytes that follow it: the body is exactly the size its dtype and
// shape imply. Nothing is allocated for the body yet.
type npyArray struct {
	name   string      // the file, or archive:member, for messages
	dtype  string      // as the header gives it, e.g. "<f4"
	kind   byte        // 'u', 'i' or 'f'
	size   int         // bytes per element
	shape  []int       // every dimension >= 1
	offset int64       // the body's offset from the start of the NPY data
	rd     *npy.Reader // npyio's reader, positioned at the body
	body   io.Reader   // the body alone (the bytes npyio's reader reads)
}

// readNPY reads and checks the header of the NPY data in r, of which
// avail bytes are present (the file's size, or the archive member's). The
// header is parsed by npyio once it is known to be well-formed: a magic
// string, version 1 or 2, a length up to maxNPYHeader, a dictionary that
// ends in a newline with numpy's keys in numpy's order; the array must be
// in C order, of a plain numeric dtype, with a shape whose elements fit in
// avail. Errors name the array and say what was wrong.
func readNPY(r io.Reader, name string, avail int64) (a *npyArray, err error) {
	var pre [12]byte
	if _, err := io.ReadFull(r, pre[:10]); err != nil {
		return nil, fmt.Errorf("mnist: %s: not an NPY file: shorter than its header", name)
	}
	if !bytes.Equal(pre[:6], npy.Magic[:]) {
		return nil, fmt.Errorf("mnist: %s: not an NPY file (no \\x93NUMPY magic)", name)
	}
	var hlen, plen int64
	switch pre[6] {
	case 1:
		hlen, plen = int64(binary.LittleEndian.Uint16(pre[8:])), 10
	case 2:
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			return nil, fmt.Errorf("mnist: %s: truncated NPY header", name)
		}
		hlen, plen = int64(binary.LittleEndian.Uint32(pre[8:])), 12
	default:
		return nil, fmt.Errorf("mnist: %s: NPY format version %d.%d (only 1.x and 2.x are read)", name, pre[6], pre[7])
	}
	if hlen > maxNPYHeader || plen+hlen > avail {
		return nil, fmt.Errorf("mnist: %s: NPY header of %d bytes: more than the %d bytes present or the %d allowed", name, hlen, avail-plen, maxNPYHeader)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("mnist: %s: truncated NPY header", name)
	}
	if err := checkNPYDict(hdr); err != nil {
		return nil, fmt.Errorf("mnist: %s: malformed NPY header: %w", name, err)
	}
	a = &npyArray{name: name, offset: plen + hlen}
	a.body = io.LimitReader(r, avail-a.offset)
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%v", p)
			}
		}()
		a.rd, err = npy.NewReader(io.MultiReader(bytes.NewReader(pre[:plen]), bytes.NewReader(hdr), a.body))
	}()
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: malformed NPY header: %w", name, err)
	}
	h := a.rd.Header.Descr
	if h.Fortran {
		return nil, fmt.Errorf("mnist: %s: array in Fortran order; save it in C order (numpy.ascontiguousarray)", name)
	}
	if a.kind, a.size, err = parseDtype(h.Type); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", name, err)
	}
	a.dtype, a.shape = strings.Trim(h.Type, `'"`), h.Shape
	body := avail - a.offset
	limit, elems := body/int64(a.size), int64(1)
	for _, d := range a.shape {
		if d < 1 {
			return nil, fmt.Errorf("mnist: %s: shape %s has an empty or negative dimension", name, a.shapeString())
		}
		if elems > limit/int64(d) {
			elems = limit + 1 // more than the file holds, and no overflow
			continue
		}
		elems *= int64(d)
	}
	if elems > limit {
		return nil, fmt.Errorf("mnist: %s: header says shape %s of %s, more than the %d bytes after it hold (a truncated file, or a header that lies)",
			name, a.shapeString(), a.dtype, body)
	}
	a.body = io.LimitReader(a.body, elems*int64(a.size))
	return a, nil
}

// checkNPYDict checks that an NPY header is a newline-terminated ASCII
// dictionary holding numpy's three keys in numpy's order, which npyio's
// parser assumes.
func checkNPYDict(h []byte) error {
	if len(h) == 0 || h[len(h)-1] != '\n' {
		return errors.New("does not end in a newline")
	}
	for _, c := range h {
		if c < 0x20 && c != '\n' || c > 0x7e {
			return errors.New("not printable ASCII")
		}
	}
	s := string(h)
	d, f, sh := strings.Index(s, "'descr': "), strings.Index(s, "'fortran_order': "), strings.Index(s, "'shape': ")
	end := strings.Index(s, "}")
	switch {
	case !strings.HasPrefix(strings.TrimSpace(s), "{"):
		return errors.New("not a dictionary")
	case d < 0 || f < 0 || sh < 0:
		return errors.New("want the keys 'descr', 'fortran_order' and 'shape'")
	case !(d+len("'descr': ")+2 <= f && f+len("'fortran_order': ")+2 <= sh && sh+len("'shape': ")+2 <= end):
		return errors.New("the keys are not in numpy's order (descr, fortran_order, shape)")
	case !strings.HasPrefix(strings.TrimSpace(s[sh+len("'shape': "):end]), "("):
		return errors.New("the shape is not a tuple")
	}
	return nil
}

// parseDtype returns the kind ('u', 'i' or 'f') and element size of a
// plain numeric NPY dtype such as "|u1", "<f4" or ">i8".
func parseDtype(t string) (kind byte, size int, err error) {
	t = strings.Trim(t, "'\"")
	bad := fmt.Errorf("dtype %q: want unsigned or signed integers, float32 or float64", t)
	if len(t) != 3 || !strings.ContainsRune("<>|=", rune(t[0])) || (t[0] == '|' && t[2] != '1') {
		return 0, 0, bad
	}
	size, err = strconv.Atoi(t[2:])
	switch kind = t[1]; {
	case err != nil:
		return 0, 0, bad
	case (kind == 'u' || kind == 'i') && (size == 1 || size == 2 || size == 4 || size == 8):
	case kind == 'f' && (size == 4 || size == 8):
	default:
		return 0, 0, bad
	}
	return kind, size, nil
}

// shapeString formats the shape as numpy does, e.g. "(60000, 28, 28)".
func (a *npyArray) shapeString() string {
	s := make([]string, len(a.shape))
	for i, d := range a.shape {
		s[i] = strconv.Itoa(d)
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// elems returns the number of elements.
func (a *npyArray) elems() int {
	n := 1
	for _, d := range a.shape {
		n *= d
	}
	return n
}

// readFloats reads the next len(dst) elements as float64: floats as they
// are, integers converted. npyio decodes them (byte order included); bytes
// are read straight from the body.
func (a *npyArray) readFloats(dst []float64, u8 []uint8) error {
	var err error
	switch a.dtype[1:] {
	case "u1":
		if u8 == nil {
			u8 = make([]uint8, len(dst))
		}
		if _, err = io.ReadFull(a.body, u8[:len(dst)]); err == nil {
			for i, v := range u8[:len(dst)] {
				dst[i] = float64(v)
			}
		}
	case "f8":
		err = a.rd.Read(&dst)
	case "f4":
		err = readAs[float32](a.rd, dst)
	case "i1":
		err = readAs[int8](a.rd, dst)
	case "i2":
		err = readAs[int16](a.rd, dst)
	case "u2":
		err = readAs[uint16](a.rd, dst)
	case "i4":
		err = readAs[int32](a.rd, dst)
	case "u4":
		err = readAs[uint32](a.rd, dst)
	case "i8":
		err = readAs[int64](a.rd, dst)
	case "u8":
		err = readAs[uint64](a.rd, dst)
	}
	if err != nil {
		return fmt.Errorf("mnist: %s: %w", a.name, noEOF(err))
	}
	return nil
}

// readAs reads len(dst) elements of type T with npyio and converts them.
func readAs[T int8 | int16 | int32 | int64 | uint16 | uint32 | uint64 | float32](rd *npy.Reader, dst []float64) error {
	buf := make([]T, len(dst))
	if err := rd.Read(&buf); err != nil {
		return err
	}
	for i, v := range buf {
		dst[i] = float64(v)
	}
	return nil
}
