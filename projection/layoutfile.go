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

// WriteLayoutFile writes an N x 2 layout to path as .npy (float32, C order)
// or .csv (header "x,y"), chosen by the extension. It writes a temporary
// file and renames it, so a reader never sees a partial file.
func WriteLayoutFile(path string, layout []float32) error {
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		writeNPY(&buf, layout)
	case ".csv":
		buf.WriteString("x,y\n")
		for i := 0; i+1 < len(layout); i += 2 {
			buf.WriteString(strconv.FormatFloat(float64(layout[i]), 'g', -1, 32))
			buf.WriteByte(',')
			buf.WriteString(strconv.FormatFloat(float64(layout[i+1]), 'g', -1, 32))
			buf.WriteByte('\n')
		}
	default:
		return fmt.Errorf("projection: %s: unknown layout file type (want .npy or .csv)", path)
	}
	return WriteFileAtomic(path, buf.Bytes())
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path.
func WriteFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("projection: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("projection: writing %s: %w", path, err)
	}
	return nil
}

// writeNPY writes an N x 2 float32 array in NumPy's .npy format 1.0.
func writeNPY(w *bytes.Buffer, layout []float32) {
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 2), }", len(layout)/2)
	// Magic (6) + version (2) + header length (2) + header + '\n', padded to 64.
	pad := 64 - (10+len(header)+1)%64
	if pad == 64 {
		pad = 0
	}
	header += strings.Repeat(" ", pad) + "\n"
	w.WriteString("\x93NUMPY\x01\x00")
	binary.Write(w, binary.LittleEndian, uint16(len(header)))
	w.WriteString(header)
	binary.Write(w, binary.LittleEndian, layout)
}

// ReadLayoutFile reads an N x 2 layout from a .npy file (float32 or float64,
// little- or big-endian, C order) or a .csv file (two numeric columns, an
// optional header line). Non-finite values are an error naming the row.
func ReadLayoutFile(path string) ([]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("projection: %w", err)
	}
	defer f.Close()
	var layout []float32
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		layout, err = ReadNPY(bufio.NewReader(f))
	case ".csv":
		layout, err = ReadCSV(bufio.NewReader(f))
	default:
		return nil, fmt.Errorf("projection: %s: unknown layout file type (want .npy or .csv)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("projection: %s: %w", path, err)
	}
	return layout, nil
}

var (
	npyDescr   = regexp.MustCompile(`'descr'\s*:\s*'([<>|=])(f4|f8)'`)
	npyFortran = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)`)
)

// ReadNPY reads an N x 2 float32 or float64 array in C order from r.
func ReadNPY(r io.Reader) ([]float32, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:8]); err != nil {
		return nil, fmt.Errorf("not a .npy file: %w", noEOF(err))
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, errors.New("not a .npy file: bad magic")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var n uint16
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("truncated .npy header: %w", noEOF(err))
		}
		hlen = int(n)
	case 2, 3:
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
	var order binary.ByteOrder = binary.LittleEndian
	if d[1][0] == '>' {
		order = binary.BigEndian
	}
	size := 4
	if string(d[2]) == "f8" {
		size = 8
	}
	out := make([]float32, 0, min(2*rows, 1<<16))
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
// parse as numbers is taken as a header. Blank lines are skipped.
func ReadCSV(r io.Reader) ([]float32, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var out []float32
	line, row := 0, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
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
		out = append(out, float32(x), float32(y))
		row++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if row == 0 {
		return nil, errors.New("no rows")
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
