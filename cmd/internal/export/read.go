package export

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// maxRowsFile bounds a selection file's size (a million rows as int64 NPY
// are 8 MB; as CSV with coordinates under 100 MB).
const maxRowsFile = 256 << 20

// ReadRows reads a saved selection back: a .npy of row indices (1-D,
// little-endian int64, int32, int16, int8 or uint8, as SelectionNPY
// writes) or a .csv whose first column is "row" (as SelectionCSV writes).
// Every row must be in [0, n). Only regular files are read, at most
// maxRowsFile bytes; errors name the file and what is wrong.
func ReadRows(path string, n int) ([]int32, error) {
	b, err := readBounded(path)
	if err != nil {
		return nil, err
	}
	var rows []int32
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		rows, err = rowsNPY(b)
	case ".csv":
		rows, err = rowsCSV(b)
	default:
		err = fmt.Errorf("want a .npy or .csv selection")
	}
	if err == nil {
		err = checkRows(rows, n)
	}
	if err != nil {
		return nil, fmt.Errorf("export: %s: %w", path, err)
	}
	return rows, nil
}

// readBounded reads a regular file of at most maxRowsFile bytes.
func readBounded(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("export: %s is not a regular file", path)
	}
	if st.Size() > maxRowsFile {
		return nil, fmt.Errorf("export: %s: %d bytes, more than a selection file holds (%d)", path, st.Size(), maxRowsFile)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxRowsFile))
}

var npyDescr = regexp.MustCompile(`'descr':\s*'([<|])([iu])([1248])'`)
var npyShape = regexp.MustCompile(`'shape':\s*\((\d+),?\s*\)`)

// rowsNPY decodes a 1-D integer NPY array.
func rowsNPY(b []byte) ([]int32, error) {
	if len(b) < 10 || !bytes.HasPrefix(b, []byte("\x93NUMPY")) {
		return nil, fmt.Errorf("not an NPY file")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("truncated NPY header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return nil, fmt.Errorf("NPY version %d", b[6])
	}
	if off+hlen > len(b) {
		return nil, fmt.Errorf("truncated NPY header")
	}
	h := string(b[off : off+hlen])
	d, sh := npyDescr.FindStringSubmatch(h), npyShape.FindStringSubmatch(h)
	if d == nil || sh == nil || strings.Contains(h, "'fortran_order': True") {
		return nil, fmt.Errorf("want a 1-D little-endian integer array, header %q", strings.TrimSpace(h))
	}
	size, _ := strconv.Atoi(d[3])
	count, err := strconv.Atoi(sh[1])
	body := b[off+hlen:]
	if err != nil || count > len(body)/size || len(body) != count*size {
		return nil, fmt.Errorf("the header claims %s values, the data holds %d bytes", sh[1], len(body))
	}
	rows := make([]int32, count)
	for i := range rows {
		p := body[i*size:]
		var v int64
		switch {
		case size == 8:
			v = int64(binary.LittleEndian.Uint64(p))
		case size == 4 && d[2] == "i":
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		case size == 4:
			v = int64(binary.LittleEndian.Uint32(p))
		case size == 2 && d[2] == "i":
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		case size == 2:
			v = int64(binary.LittleEndian.Uint16(p))
		case d[2] == "i":
			v = int64(int8(p[0]))
		default:
			v = int64(p[0])
		}
		if v < 0 || v > 1<<31-1 {
			return nil, fmt.Errorf("value %d at %d is not a row", v, i)
		}
		rows[i] = int32(v)
	}
	return rows, nil
}

// rowsCSV decodes the first column of a CSV whose header starts "row".
func rowsCSV(b []byte) ([]int32, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil || len(head) == 0 || strings.TrimSpace(head[0]) != "row" {
		return nil, fmt.Errorf("want a CSV whose first column is \"row\"")
	}
	var rows []int32
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		v, err := strconv.ParseInt(strings.TrimSpace(rec[0]), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("line %d: %q is not a row", line, rec[0])
		}
		rows = append(rows, int32(v))
	}
}
