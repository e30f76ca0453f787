package parquetio

import (
	"errors"
	"fmt"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// maxHeaderBytes is the largest page header read (statistics included).
const maxHeaderBytes = 16 << 20

// checkChunk goes over the page headers of column col in row group g
// before the library reads them: each header must be a sound structure,
// its page inside the chunk, no larger than MaxPageBytes compressed or
// not, with at most MaxPageValues values, and the data pages' values must
// add up to what the chunk claims. Compressed data is checked too (see
// checkCompressed).
func (f *File) checkChunk(g, col int) error {
	md := &f.Metadata().RowGroups[g].Columns[col].MetaData
	pos := md.DataPageOffset
	if md.DictionaryPageOffset > 0 {
		pos = min(pos, md.DictionaryPageOffset)
	}
	end := pos + md.TotalCompressedSize
	var values int64
	var buf []byte
	for page := 0; pos < end; page++ {
		h, n, err := f.pageHeader(pos, end, &buf)
		if err != nil {
			return fmt.Errorf("page %d (at byte %d): header: %w", page, pos, err)
		}
		pos += int64(n)
		size, raw := int64(h.CompressedPageSize), int64(h.UncompressedPageSize)
		var count int64
		switch {
		case h.DataPageHeader.Valid:
			count = int64(h.DataPageHeader.V.NumValues)
		case h.DataPageHeaderV2.Valid:
			count = int64(h.DataPageHeaderV2.V.NumValues)
		case h.DictionaryPageHeader.Valid:
			count = int64(h.DictionaryPageHeader.V.NumValues)
		}
		switch {
		case size < 0 || size > end-pos:
			return fmt.Errorf("page %d (at byte %d) claims %d bytes, past the end of its column chunk (%d bytes left)", page, pos, size, end-pos)
		case size > MaxPageBytes || raw < 0 || raw > MaxPageBytes:
			return fmt.Errorf("page %d (at byte %d) claims %d bytes (%d uncompressed), more than the %d MiB a page may hold", page, pos, size, raw, MaxPageBytes>>20)
		case count < 0 || count > MaxPageValues:
			return fmt.Errorf("page %d (at byte %d) claims %d values, more than the %d a page may hold", page, pos, count, MaxPageValues)
		}
		if !h.DictionaryPageHeader.Valid {
			values += count
		}
		if err := f.checkCompressed(md.Codec, h, pos, size); err != nil {
			return fmt.Errorf("page %d (at byte %d): %w", page, pos, err)
		}
		pos += size
	}
	if values != md.NumValues {
		return fmt.Errorf("its pages hold %d values, its chunk claims %d", values, md.NumValues)
	}
	return nil
}

// pageHeader reads and checks the page header at pos (before end), reading
// more of the file while the header goes on past what was read.
func (f *File) pageHeader(pos, end int64, buf *[]byte) (*format.PageHeader, int, error) {
	for w := int64(256); ; w *= 16 {
		w = min(w, end-pos, maxHeaderBytes)
		if int64(cap(*buf)) < w {
			*buf = make([]byte, w)
		}
		b := (*buf)[:w]
		if _, err := f.f.ReadAt(b, pos); err != nil {
			return nil, 0, err
		}
		n, cost, err := walkStruct(b)
		if errors.Is(err, errShort) && w < min(end-pos, maxHeaderBytes) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		if cost > MaxPageBytes {
			return nil, 0, fmt.Errorf("its lists claim %d MiB once decoded", cost>>20)
		}
		h := new(format.PageHeader)
		var proto thrift.CompactProtocol
		if err := Protect(func() error { return thrift.NewDecoder(proto.NewReaderFromBytes(b[:n])).Decode(h) }); err != nil {
			return nil, 0, err
		}
		return h, n, nil
	}
}
