package parquetio

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pierrec/lz4/v4"
)

// checkCompressed checks that the compressed data of the page whose header
// is h (size bytes at pos) decompresses to exactly the header's
// uncompressed size, which the library trusts: it allocates that size
// before decompressing, its LZ4 decoder doubles its buffer until a corrupt
// block fits (for ever), and its gzip, Brotli and Zstandard decoders read
// to the end of what a bomb expands to. Uncompressed data must be its
// stated size. A Snappy block states its length at its start, which is
// read alone (and Snappy expands at most 64 bytes for a 3-byte copy, so
// the length may be at most 24 times the data); data in the other codecs
// is decompressed here once, through a bounded reader (the cost of the
// check).
func (f *File) checkCompressed(codec format.CompressionCodec, h *format.PageHeader, pos, size int64) error {
	raw := int64(h.UncompressedPageSize)
	if v := h.DataPageHeaderV2; v.Valid { // levels come first, never compressed
		levels := int64(v.V.RepetitionLevelsByteLength) + int64(v.V.DefinitionLevelsByteLength)
		if levels > size || levels > raw {
			return fmt.Errorf("its levels claim %d bytes of a page of %d", levels, size)
		}
		pos, size, raw = pos+levels, size-levels, raw-levels
		if v.V.IsCompressed.Valid && !v.V.IsCompressed.V {
			codec = format.Uncompressed
		}
	}
	if codec == format.Uncompressed || size == 0 {
		if raw != size {
			return fmt.Errorf("%d bytes of data, its header says %d once uncompressed", size, raw)
		}
		return nil
	}
	if codec == format.Snappy {
		var head [10]byte
		b := head[:min(size, 10)]
		if _, err := f.f.ReadAt(b, pos); err != nil {
			return err
		}
		n, err := snappy.DecodedLen(b)
		if err != nil {
			return fmt.Errorf("corrupt Snappy data: %w", err)
		}
		if int64(n) != raw || raw > 24*size+64 {
			return fmt.Errorf("its %d bytes of Snappy data claim %d bytes once decompressed, its header says %d", size, n, raw)
		}
		return nil
	}
	data := make([]byte, size)
	if _, err := f.f.ReadAt(data, pos); err != nil {
		return err
	}
	var r io.Reader
	var err error
	switch codec {
	case format.Gzip:
		r, err = gzip.NewReader(bytes.NewReader(data))
	case format.Brotli:
		r = brotli.NewReader(bytes.NewReader(data))
	case format.Zstd:
		var z *zstd.Decoder
		z, err = zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(max(raw, 8<<20))+1), zstd.WithDecoderLowmem(true))
		if err == nil {
			defer z.Close()
			r = z
		}
	case format.Lz4Raw:
		n, err := lz4.UncompressBlock(data, make([]byte, raw))
		if err != nil || int64(n) != raw {
			return fmt.Errorf("corrupt LZ4 data, or other than its header's %d bytes (%v)", raw, err)
		}
		return nil
	default:
		return fmt.Errorf("compression %s is not supported", codec)
	}
	if err != nil {
		return fmt.Errorf("corrupt %s data: %w", codec, err)
	}
	n, err := io.Copy(io.Discard, io.LimitReader(r, raw+1))
	if err != nil {
		return fmt.Errorf("corrupt %s data: %w", codec, err)
	}
	if n != raw {
		return fmt.Errorf("its %s data decompresses to %d bytes (stopped after one more than its header's %d)", codec, n, raw)
	}
	return nil
}
