package parquetio

import (
	"errors"
	"fmt"
	"io"
)

// Parquet's footer and page headers are Thrift structures in the compact
// protocol. The library decodes them with reflection, allocating a list's
// claimed length (up to 2^31 elements) before reading its elements, so a
// few hostile bytes could claim gigabytes. walker goes over the encoded
// structure first, without allocating: every length must fit in the bytes
// that are there (each list element takes at least one byte), nesting is
// bounded, and the memory the lists would cost once decoded is added up.

// Compact protocol types.
const (
	ctTrue   = 1
	ctFalse  = 2
	ctByte   = 3
	ctI16    = 4
	ctI32    = 5
	ctI64    = 6
	ctDouble = 7
	ctBinary = 8
	ctList   = 9
	ctSet    = 10
	ctMap    = 11
	ctStruct = 12
	ctUUID   = 13
)

// elemCost is what one list element is counted as once decoded: the size
// of the largest structure a footer list holds (format.ColumnChunk).
const elemCost = 560

// maxDepth bounds the nesting of structures (a real footer nests 6 deep).
const maxDepth = 32

// errShort is a structure that goes on past the bytes given.
var errShort = io.ErrUnexpectedEOF

type walker struct {
	b     []byte
	pos   int
	cost  int64
	depth int
}

// walkStruct checks the structure at the start of b and returns its length
// in bytes and what decoding it would allocate for its lists.
func walkStruct(b []byte) (n int, cost int64, err error) {
	w := &walker{b: b}
	if err := w.structure(); err != nil {
		return 0, 0, err
	}
	return w.pos, w.cost, nil
}

// checkFooter checks a file's footer: one structure filling meta, whose
// lists cost at most MaxFooterAlloc.
func checkFooter(meta []byte) error {
	n, cost, err := walkStruct(meta)
	switch {
	case errors.Is(err, errShort):
		return errors.New("its structure goes on past its end")
	case err != nil:
		return err
	case n != len(meta):
		return fmt.Errorf("%d bytes after its structure", len(meta)-n)
	case cost > MaxFooterAlloc:
		return fmt.Errorf("its lists claim %d MiB once decoded, more than the %d MiB allowed", cost>>20, MaxFooterAlloc>>20)
	}
	return nil
}

func (w *walker) skip(n uint64) error {
	if n > uint64(len(w.b)-w.pos) {
		return errShort
	}
	w.pos += int(n)
	return nil
}

func (w *walker) byte() (byte, error) {
	if w.pos >= len(w.b) {
		return 0, errShort
	}
	w.pos++
	return w.b[w.pos-1], nil
}

func (w *walker) uvarint() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c, err := w.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, errors.New("a varint longer than 10 bytes")
}

func (w *walker) structure() error {
	if w.depth++; w.depth > maxDepth {
		return fmt.Errorf("structures nested more than %d deep", maxDepth)
	}
	defer func() { w.depth-- }()
	for {
		h, err := w.byte()
		if err != nil {
			return err
		}
		if h == 0 {
			return nil
		}
		t := h & 0x0f
		if h>>4 == 0 { // the field id follows as a varint
			if _, err := w.uvarint(); err != nil {
				return err
			}
		}
		if t == ctTrue || t == ctFalse {
			continue // a field's boolean is in its header
		}
		if err := w.value(t); err != nil {
			return err
		}
	}
}

func (w *walker) value(t byte) error {
	switch t {
	case ctTrue, ctFalse, ctByte:
		return w.skip(1) // a boolean in a list takes a byte
	case ctI16, ctI32, ctI64:
		_, err := w.uvarint()
		return err
	case ctDouble:
		return w.skip(8)
	case ctUUID:
		return w.skip(16)
	case ctBinary:
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case ctList, ctSet:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n := uint64(h >> 4)
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		return w.elems(n, h&0x0f, 0)
	case ctMap:
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		return w.elems(n, kv>>4, kv&0x0f)
	case ctStruct:
		return w.structure()
	}
	return fmt.Errorf("unknown Thrift type %d", t)
}

// elems walks n elements of type t (pairs t, u for a map).
func (w *walker) elems(n uint64, t, u byte) error {
	if n > uint64(len(w.b)-w.pos) {
		return errShort // each element takes a byte at least
	}
	w.cost += int64(n) * elemCost
	for range n {
		if err := w.value(t); err != nil {
			return err
		}
		if u != 0 {
			if err := w.value(u); err != nil {
				return err
			}
		}
	}
	return nil
}
