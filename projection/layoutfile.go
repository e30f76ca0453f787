package projection

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// maxLayoutRows bounds the row count a layout file may declare.
const maxLayoutRows = 1 << 28

// LayoutFormat is the encoding of a layout file, named by its extension.
type LayoutFormat string

// The layout file formats.
const (
	// LayoutNPY is NumPy's .npy: an N x 2 array in C order, float32 when
	// written, float32 or float64 of either byte order when read.
	LayoutNPY LayoutFormat = ".npy"
	// LayoutCSV is text: two numbers a line, written with the header "x,y";
	// when read, the separator may be a comma, semicolon, tab or space and
	// a first line that is not two numbers is a header.
	LayoutCSV LayoutFormat = ".csv"
	// LayoutParquet is Apache Parquet: written with columns row, x and y
	// (and split and label by WriteLayoutParquet); read from x and y
	// columns or a list column, joined by an id column when there is one
	// (see ReadLayoutFileColumns).
	LayoutParquet LayoutFormat = ".parquet"
)

// LayoutFormatOf returns the format that path's extension (in any case)
// names. It may be no format at all: Check says.
func LayoutFormatOf(path string) LayoutFormat {
	return LayoutFormat(strings.ToLower(filepath.Ext(path)))
}

// Check returns an error unless f is LayoutNPY, LayoutCSV or LayoutParquet.
func (f LayoutFormat) Check() error {
	if f == LayoutNPY || f == LayoutCSV || f == LayoutParquet {
		return nil
	}
	return fmt.Errorf("projection: unknown layout file type %q (want .npy, .csv or .parquet)", string(f))
}

// WriteLayout encodes an N x 2 layout (interleaved x, y) to w in format f.
// A layout of odd length or with a non-finite value is an error, and
// nothing is written: every layout written can be read back. Writing the
// file itself (atomically, say) is the caller's business.
func WriteLayout(w io.Writer, f LayoutFormat, layout []float32) error {
	if err := f.Check(); err != nil {
		return err
	}
	if err := checkWritten(layout); err != nil {
		return err
	}
	switch f {
	case LayoutNPY:
		return writeNPY(w, layout)
	case LayoutParquet:
		return WriteLayoutParquet(w, layout, LayoutRowInfo{})
	}
	line := []byte("x,y\n")
	if _, err := w.Write(line); err != nil {
		return err
	}
	for i := 0; i < len(layout); i += 2 {
		line = strconv.AppendFloat(line[:0], float64(layout[i]), 'g', -1, 32)
		line = append(line, ',')
		line = strconv.AppendFloat(line, float64(layout[i+1]), 'g', -1, 32)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// checkWritten returns an error unless layout is N x 2 finite values.
func checkWritten(layout []float32) error {
	if len(layout)%2 != 0 {
		return fmt.Errorf("projection: a layout of odd length %d", len(layout))
	}
	if i := nonFinite(layout); i >= 0 {
		return fmt.Errorf("projection: layout row %d is not finite (%v, %v)", i/2, layout[i&^1], layout[i|1])
	}
	return nil
}

// writeNPY writes an N x 2 float32 array in NumPy's .npy format 1.0.
func writeNPY(w io.Writer, layout []float32) error {
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 2), }", len(layout)/2)
	// Magic (6) + version (2) + header length (2) + header + '\n', padded to 64.
	pad := 64 - (10+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	var pre bytes.Buffer
	pre.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&pre, binary.LittleEndian, uint16(len(header)))
	pre.WriteString(header)
	if _, err := w.Write(pre.Bytes()); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, layout)
}

// ReadLayoutFile reads an N x 2 layout from a .npy file (float32 or float64,
// little- or big-endian, C order), a .csv file (two numeric columns, an
// optional header line, an optional UTF-8 byte order mark) or a .parquet
// file (see ReadLayoutFileColumns). wantRows, when positive, is the number
// of rows the layout must have ("the dataset's").
//
// The file is bounded before anything is allocated for its data: it must be
// a regular file (a named pipe, device or directory is refused at once,
// before it is opened), and a .npy header's row count must match wantRows
// and the file's size. Non-finite values are an error naming the row; every
// error names the file.
func ReadLayoutFile(path string, wantRows int) ([]float32, error) {
	return ReadLayoutFileColumns(path, wantRows, LayoutColumns{})
}

// ReadLayoutFileColumns is ReadLayoutFile with the columns a .parquet file
// is read from (other formats ignore cols). A Parquet layout has its x and
// y in two numeric columns (cols.X and cols.Y; found: x and y, or "0" and
// "1" as cuDF writes a two-column embedding) or in one list column of two
// numbers a row (cols.X alone; found: embedding, as Spark RAPIDS ML's UMAP
// writes it, umap, tsne, layout, or the only list of numbers). With an id
// column (cols.ID; found: row, id, index, or pandas' __index_level_0__ or
// Dask's __null_dask_index__) of integers, file row i is dataset row
// id[i], so a file whose rows come in any order (a distributed engine's
// shards) gives the same layout; every row 0..N-1 must then appear
// exactly once, and a missing, repeated or out-of-range id is an error
// naming it. The file's footer and pages are checked before anything is
// allocated for them (see package internal/parquetio).
func ReadLayoutFileColumns(path string, wantRows int, cols LayoutColumns) ([]float32, error) {
	layout, err := readLayoutFile(path, wantRows, cols)
	if err != nil {
		return nil, fmt.Errorf("projection: %s: %w", path, err)
	}
	return layout, nil
}

func readLayoutFile(path string, wantRows int, cols LayoutColumns) ([]float32, error) {
	format := LayoutFormatOf(path)
	if format.Check() != nil {
		return nil, errors.New("unknown layout file type (want .npy, .csv or .parquet)")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%v)", fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi2, err := f.Stat(); err != nil || !fi2.Mode().IsRegular() || !os.SameFile(fi, fi2) {
		return nil, errors.New("file changed while being opened")
	}
	lim := layoutLimits{rows: wantRows, size: fi.Size()}
	if format == LayoutParquet {
		f.Close()
		return readParquetLayout(path, lim, cols)
	}
	if format == LayoutNPY {
		return readNPY(bufio.NewReader(f), lim)
	}
	return readCSV(bufio.NewReader(f), lim)
}

// layoutLimits bound what a layout reader accepts: rows, when positive, is
// the row count wanted; size, when non-negative, the bytes the input holds.
type layoutLimits struct {
	rows int
	size int64
}

// checkRows returns an error unless got rows are what l wants.
func (l layoutLimits) checkRows(got int) error {
	if l.rows > 0 && got != l.rows {
		return fmt.Errorf("has %d rows, the dataset %d", got, l.rows)
	}
	return nil
}

var (
	npyDescr   = regexp.MustCompile(`'descr'\s*:\s*'([<>|=])(f4|f8)'`)
	npyFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)`)
)

// ReadNPY reads an N x 2 float32 or float64 array in C order from r. The
// memory it takes grows with the data actually read, not with the row
// count the header claims.
func ReadNPY(r io.Reader) ([]float32, error) {
	return readNPY(r, layoutLimits{size: -1})
}

func readNPY(r io.Reader, lim layoutLimits) ([]float32, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil {
		return nil, fmt.Errorf("not a .npy file: %w", noEOF(err))
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, errors.New("not a .npy file: bad magic")
	}
	var hlen, prefix int // header length, and the bytes before the header
	switch pre[6] {
	case 1:
		prefix = 10
		var n uint16
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("truncated .npy header: %w", noEOF(err))
		}
		hlen = int(n)
	case 2, 3:
		prefix = 12
		var n uint32
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("truncated .npy header: %w", noEOF(err))
		}
		hlen = int(n)
	default:
		return nil, fmt.Errorf("unsupported .npy version %d.%d", pre[6], pre[7])
	}
	if hlen > 1<<16 {
		return nil, fmt.Errorf("absurd .npy header length %d", hlen)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("truncated .npy header: %w", noEOF(err))
	}
	d := npyDescr.FindSubmatch(hdr)
	if d == nil {
		return nil, fmt.Errorf(".npy dtype must be float32 or float64, header is %q", bytes.TrimSpace(hdr))
	}
	if fo := npyFortran.FindSubmatch(hdr); fo == nil || string(fo[1]) != "False" {
		return nil, errors.New(".npy array must be in C order (fortran_order False)")
	}
	sh := npyShape.FindSubmatch(hdr)
	if sh == nil {
		return nil, fmt.Errorf(".npy array must be 2-D with shape (N, 2), header is %q", bytes.TrimSpace(hdr))
	}
	rows, err1 := strconv.Atoi(string(sh[1]))
	cols, err2 := strconv.Atoi(string(sh[2]))
	if err1 != nil || err2 != nil || cols != 2 {
		return nil, fmt.Errorf(".npy array has shape (%s, %s), want (N, 2)", sh[1], sh[2])
	}
	if rows < 1 || rows > maxLayoutRows {
		return nil, fmt.Errorf(".npy array has %d rows (want 1..%d)", rows, maxLayoutRows)
	}
	if err := lim.checkRows(rows); err != nil {
		return nil, err
	}
	var order binary.ByteOrder = binary.LittleEndian
	if d[1][0] == '>' {
		order = binary.BigEndian
	}
	size := 4
	if string(d[2]) == "f8" {
		size = 8
	}
	capacity := min(2*rows, 1<<16)
	if lim.size >= 0 {
		data := lim.size - int64(prefix+hlen)
		if need := int64(rows) * 2 * int64(size); need > data {
			return nil, fmt.Errorf("truncated .npy: header says %d rows (%d bytes of data), the file holds %d", rows, need, max(data, 0))
		}
		capacity = 2 * rows // the file holds them all: allocate once
	}
	out := make([]float32, 0, capacity)
	buf := make([]byte, 8192*size)
	for len(out) < 2*rows {
		want := min(2*rows-len(out), 8192) * size
		if _, err := io.ReadFull(r, buf[:want]); err != nil {
			return nil, fmt.Errorf("truncated .npy data: header says %d rows, data ends near row %d", rows, len(out)/2)
		}
		for o := 0; o < want; o += size {
			var v float64
			if size == 4 {
				v = float64(math.Float32frombits(order.Uint32(buf[o:])))
			} else {
				v = math.Float64frombits(order.Uint64(buf[o:]))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
				return nil, fmt.Errorf("row %d: non-finite value %v", len(out)/2, v)
			}
			out = append(out, float32(v))
		}
	}
	return out, nil
}

// ReadCSV reads two numeric columns per line; a first line that does not
// parse as numbers is taken as a header. A UTF-8 byte order mark at the
// start is skipped, and so are blank lines.
func ReadCSV(r io.Reader) ([]float32, error) {
	return readCSV(r, layoutLimits{size: -1})
}

func readCSV(r io.Reader, lim layoutLimits) ([]float32, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []float32
	line, row := 0, 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\t' || r == ' ' })
		var x, y float64
		var err error
		if len(fields) == 2 {
			x, err = strconv.ParseFloat(fields[0], 64)
			if err == nil {
				y, err = strconv.ParseFloat(fields[1], 64)
			}
		} else {
			err = fmt.Errorf("%d columns, want 2", len(fields))
		}
		if err != nil {
			if row == 0 && len(out) == 0 && line == 1 {
				continue // header
			}
			return nil, fmt.Errorf("line %d (row %d): %v", line, row, err)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) ||
			math.Abs(x) > math.MaxFloat32 || math.Abs(y) > math.MaxFloat32 {
			return nil, fmt.Errorf("row %d: non-finite value (%v, %v)", row, x, y)
		}
		if row >= maxLayoutRows {
			return nil, fmt.Errorf("more than %d rows", maxLayoutRows)
		}
		if lim.rows > 0 && row >= lim.rows {
			return nil, fmt.Errorf("has more than %d rows, the dataset %d", lim.rows, lim.rows)
		}
		out = append(out, float32(x), float32(y))
		row++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if row == 0 {
		return nil, errors.New("no rows")
	}
	if err := lim.checkRows(row); err != nil {
		return nil, err
	}
	return out, nil
}

// noEOF turns the EOF of a short read into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
