// Package parquetio opens Parquet files that come from users, through
// github.com/parquet-go/parquet-go, without trusting them: what the file
// claims (its footer's length, the structures in its footer, the row count,
// each column chunk's place and size, each page's sizes and its compressed
// data) is checked against the file and stated limits before the library
// allocates for it, and a panic inside the library becomes an error naming
// the file. It reads leaf columns value by value, page by page, so that a
// reader never holds more than a page of a column at once.
//
// The dataset reader (package mnist) and the layout reader (package
// projection) share it; it knows nothing of either.
package parquetio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Limits of what a Parquet file may claim. A claim beyond one is refused
// with an error before anything is allocated for it.
const (
	// MaxRows is the most rows a file may hold (the datasets' own limit).
	MaxRows = 1 << 28
	// MaxFooterAlloc bounds what decoding a footer may allocate: every
	// list in the footer counts its claimed length times the size of the
	// largest structure a footer list holds (a column chunk, 560 bytes).
	// 1 GiB is about 1.9 million column chunks.
	MaxFooterAlloc = 1 << 30
	// MaxPageBytes is the largest page accepted, compressed or not: 256 MiB.
	MaxPageBytes = 256 << 20
	// MaxPageValues is the most values a page may claim: 16 Mi.
	MaxPageValues = 1 << 24
)

// Error is what went wrong with the Parquet file at Path.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// File is an open Parquet file whose footer has been checked.
type File struct {
	Path string
	*parquet.File
	f    *os.File
	size int64
}

// Open opens the Parquet file at path and reads its footer: see the
// package comment. Every error names path.
func Open(path string) (*File, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, &Error{path, unwrapPath(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{path, unwrapPath(err)}
	}
	pf := &File{Path: path, f: f, size: st.Size()}
	if err := pf.open(); err != nil {
		f.Close()
		return nil, &Error{path, err}
	}
	return pf, nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// Size returns the file's size in bytes.
func (f *File) Size() int64 { return f.size }

// openRegular opens path when it is a regular file, refusing a named pipe,
// a device or a folder before opening it.
func openRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", FileKind(st.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st2, err := f.Stat(); err != nil || !os.SameFile(st, st2) {
		f.Close()
		return nil, errors.New("changed while being opened")
	}
	return f, nil
}

// open checks the file's magic numbers and footer, then lets the library
// read the footer, then checks what it describes.
func (f *File) open() (err error) {
	if f.size < 12 {
		return fmt.Errorf("not a Parquet file: %d bytes, shorter than its magic numbers and footer length", f.size)
	}
	var head, tail [8]byte
	if _, err := f.f.ReadAt(head[:4], 0); err != nil {
		return err
	}
	if _, err := f.f.ReadAt(tail[:], f.size-8); err != nil {
		return err
	}
	switch {
	case string(tail[4:]) == "PARE":
		return errors.New("an encrypted Parquet file: not supported")
	case string(head[:4]) != "PAR1" || string(tail[4:]) != "PAR1":
		return fmt.Errorf("not a Parquet file (it neither starts nor ends with PAR1: %q ... %q), or truncated", head[:4], tail[4:])
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	if footer == 0 || footer > f.size-12 {
		return fmt.Errorf("truncated or corrupt: its footer claims %d bytes in a file of %d", footer, f.size)
	}
	meta := make([]byte, footer)
	if _, err := f.f.ReadAt(meta, f.size-8-footer); err != nil {
		return err
	}
	if err := checkFooter(meta); err != nil {
		return fmt.Errorf("corrupt footer: %w", err)
	}
	err = Protect(func() (err error) {
		f.File, err = parquet.OpenFile(f.f, f.size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(64<<10))
		return err
	})
	if err != nil {
		return fmt.Errorf("corrupt footer: %w", err)
	}
	return f.checkMeta(footer)
}

// checkMeta checks the row counts and every column chunk's place in the
// file.
func (f *File) checkMeta(footer int64) error {
	m := f.Metadata()
	if m.NumRows < 0 || m.NumRows > MaxRows {
		return fmt.Errorf("its footer claims %d rows (the most is %d)", m.NumRows, MaxRows)
	}
	leaves := len(leafColumns(f.Root()))
	end := f.size - 8 - footer
	var rows int64
	for g, rg := range m.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > m.NumRows-rows {
			return fmt.Errorf("row group %d claims %d rows, more than the file's %d", g, rg.NumRows, m.NumRows)
		}
		rows += rg.NumRows
		if len(rg.Columns) != leaves {
			return fmt.Errorf("row group %d has %d column chunks for %d columns", g, len(rg.Columns), leaves)
		}
		for c, cc := range rg.Columns {
			md := &cc.MetaData
			start := md.DataPageOffset
			if md.DictionaryPageOffset > 0 {
				start = min(start, md.DictionaryPageOffset)
			}
			if cc.FilePath != "" {
				return fmt.Errorf("row group %d, column %s: its data is in another file (%s), not supported", g, strings.Join(md.PathInSchema, "."), cc.FilePath)
			}
			if start < 4 || md.TotalCompressedSize < 0 || md.TotalCompressedSize > end-start || md.NumValues < 0 || md.TotalUncompressedSize < 0 {
				return fmt.Errorf("row group %d, column %d: its chunk claims %d bytes at offset %d (%d values), outside the file's %d bytes of data",
					g, c, md.TotalCompressedSize, start, md.NumValues, end)
			}
		}
	}
	if rows != m.NumRows {
		return fmt.Errorf("its row groups hold %d rows, its footer says %d", rows, m.NumRows)
	}
	return nil
}

// unwrapPath returns the cause of a *fs.PathError, whose path Error names.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// FileKind names the type of a file that is not a regular file ("a named
// pipe", ...), for messages.
func FileKind(m fs.FileMode) string {
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

// Protect runs fn, turning a panic inside it (the Parquet library's, on a
// file it did not expect) into an error.
func Protect(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the Parquet reader failed on this file: %v", p)
		}
	}()
	return fn()
}

// leafColumns returns the leaf columns under c in file order.
func leafColumns(c *parquet.Column) []*parquet.Column {
	if c.Leaf() {
		return []*parquet.Column{c}
	}
	var out []*parquet.Column
	for _, k := range c.Columns() {
		out = append(out, leafColumns(k)...)
	}
	return out
}

// Describe lists the file's top-level columns with their types, for
// messages: "image (struct: bytes binary, path string), label (int64)".
func (f *File) Describe() string {
	var parts []string
	for _, c := range f.Root().Columns() {
		parts = append(parts, describe(c))
	}
	return strings.Join(parts, ", ")
}

func describe(c *parquet.Column) string {
	if c.Leaf() {
		t := TypeName(c)
		if c.Repeated() {
			t = "repeated " + t
		}
		return c.Name() + " (" + t + ")"
	}
	var kids []string
	for _, k := range c.Columns() {
		kids = append(kids, describe(k))
	}
	kind := "struct"
	if IsList(c) {
		kind = "list"
	}
	return c.Name() + " (" + kind + ": " + strings.Join(kids, ", ") + ")"
}

// TypeName names a leaf column's type: its logical type when it has one
// (string, int8, ...), else its physical type in lower case (binary,
// int64, double, ...).
func TypeName(c *parquet.Column) string {
	t := c.Type()
	if lt := t.LogicalType(); lt != nil && lt.Value != nil {
		if it, ok := lt.Value.(*format.IntType); ok {
			if it.IsSigned {
				return fmt.Sprintf("int%d", it.BitWidth)
			}
			return fmt.Sprintf("uint%d", it.BitWidth)
		}
		return strings.ToLower(lt.String())
	}
	if ct := t.ConvertedType(); ct != nil && *ct == 0 { // UTF8
		return "string"
	}
	switch t.Kind() {
	case parquet.ByteArray:
		return "binary"
	case parquet.FixedLenByteArray:
		return "fixed_len_binary"
	}
	return strings.ToLower(t.Kind().String())
}

// IsString reports whether the leaf column c holds text.
func IsString(c *parquet.Column) bool {
	if !c.Leaf() || c.Type().Kind() != parquet.ByteArray {
		return false
	}
	if lt := c.Type().LogicalType(); lt != nil {
		_, ok := lt.Value.(*format.StringType)
		_, enum := lt.Value.(*format.EnumType)
		return ok || enum
	}
	ct := c.Type().ConvertedType()
	return ct != nil && (*ct == 0 || *ct == 4) // UTF8, ENUM
}

// IsList reports whether the group column c is a list in any of the ways
// writers lay lists out: a group annotated LIST holding a repeated group
// or leaf, or a bare repeated leaf.
func IsList(c *parquet.Column) bool {
	if c.Leaf() {
		return c.Repeated()
	}
	if lt := c.Type().LogicalType(); lt != nil {
		if _, ok := lt.Value.(*format.ListType); ok {
			return true
		}
	}
	ct := c.Type().ConvertedType()
	return ct != nil && *ct == 3 // LIST
}

// Top returns the file's top-level column named name (compared without
// case), or nil.
func (f *File) Top(name string) *parquet.Column {
	for _, c := range f.Root().Columns() {
		if strings.EqualFold(c.Name(), name) {
			return c
		}
	}
	return nil
}

// ReadColumn calls fn for every value of the leaf column leaf in row
// group g, in order, with the value's index in the row group; a value's
// bytes (ByteArray) are valid only during the call. Each page's header and
// data are checked (see the package comment) before the library reads it;
// a page the library cannot decode, or a panic inside it, is an error
// naming the file, the row group and the column.
func (f *File) ReadColumn(g int, leaf *parquet.Column, fn func(i int, v parquet.Value) error) error {
	name := strings.Join(leaf.Path(), ".")
	where := func(err error) error {
		return &Error{f.Path, fmt.Errorf("row group %d, column %s: %w", g, name, err)}
	}
	if err := f.checkChunk(g, leaf.Index()); err != nil {
		return where(err)
	}
	i := 0
	var stop error
	err := Protect(func() error {
		pages := f.RowGroups()[g].ColumnChunks()[leaf.Index()].Pages()
		defer pages.Close()
		buf := make([]parquet.Value, 512)
		for {
			p, err := pages.ReadPage()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			r := p.Values()
			for {
				n, err := r.ReadValues(buf)
				for _, v := range buf[:n] {
					if stop = fn(i, v); stop != nil {
						parquet.Release(p)
						return stop
					}
					i++
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					parquet.Release(p)
					return err
				}
			}
			parquet.Release(p)
		}
	})
	if stop != nil {
		return stop
	}
	if err != nil {
		return where(err)
	}
	return nil
}

// ColumnPaths returns the dotted paths of the file's leaf columns.
func (f *File) ColumnPaths() []string {
	var out []string
	for _, c := range leafColumns(f.Root()) {
		out = append(out, strings.Join(c.Path(), "."))
	}
	return slices.Clip(out)
}
