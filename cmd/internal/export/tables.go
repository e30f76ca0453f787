package export

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// SelectionCSV writes rows as CSV with the header row,split,label,x,y,id:
// the dataset row, its split, its label (src.Labels), its position in the
// current layout pos (N x 2; nil leaves x and y empty) and its file path or
// id. Rows are written in the order given.
//
//	res, err := export.SelectionCSV("picked.csv", src, set.Rows(nil), layout)
func SelectionCSV(path string, src Source, rows []int32, pos []float32) (Result, error) {
	n := len(src.Labels)
	if err := checkRows(rows, n); err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	if pos != nil && len(pos) != 2*n {
		return Result{}, fmt.Errorf("export: %s: layout of %d values for %d rows", path, len(pos), n)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"row", "split", "label", "x", "y", "id"})
	rec := make([]string, 6)
	for _, r := range rows {
		i := int(r)
		rec[0] = strconv.Itoa(i)
		rec[1] = call(src.Split, i)
		rec[2] = strconv.Itoa(int(src.Labels[i]))
		rec[3], rec[4] = "", ""
		if pos != nil {
			rec[3] = strconv.FormatFloat(float64(pos[2*i]), 'g', -1, 32)
			rec[4] = strconv.FormatFloat(float64(pos[2*i+1]), 'g', -1, 32)
		}
		rec[5] = call(src.ID, i)
		w.Write(rec)
	}
	w.Flush()
	return write(path, buf.Bytes(), len(rows), 0)
}

func call(f func(int) string, i int) string {
	if f == nil {
		return ""
	}
	return f(i)
}

// SelectionNPY writes rows as a 1-D NumPy array of int64 row indices (NPY
// format 1.0), for numpy.load and indexing the training arrays.
//
//	res, err := export.SelectionNPY("picked.npy", set.Rows(nil))
func SelectionNPY(path string, rows []int32) (Result, error) {
	if err := checkRows(rows, math.MaxInt32); err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	buf := npyHeader("<i8", len(rows))
	for _, r := range rows {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(r))
	}
	return write(path, buf, len(rows), 0)
}

// CorrectionsCSV writes the decisions as CSV with the header
// row,original_label,new_label,flagged,time; flagged is true or false and
// time is RFC 3339.
//
//	res, err := export.CorrectionsCSV("corrections.csv", decisions)
func CorrectionsCSV(path string, cs []Correction) (Result, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"row", "original_label", "new_label", "flagged", "time"})
	for _, c := range cs {
		w.Write([]string{strconv.Itoa(int(c.Row)), strconv.Itoa(int(c.Original)), strconv.Itoa(int(c.New)),
			strconv.FormatBool(c.Flagged), c.Time.Format(time.RFC3339)})
	}
	w.Flush()
	return write(path, buf.Bytes(), len(cs), 0)
}

// LabelsIDX writes labels as an IDX labels file, as MNIST ships them:
// magic 0x00000801, the count as a big-endian uint32, one byte per label.
// MNIST keeps its splits in separate files; write each split's slice.
//
//	res, err := export.LabelsIDX("train-labels-idx1-ubyte", labels[:d.NumTrain])
func LabelsIDX(path string, labels []uint8) (Result, error) {
	if uint64(len(labels)) > math.MaxUint32 {
		return Result{}, fmt.Errorf("export: %s: %d labels do not fit an IDX file", path, len(labels))
	}
	buf := binary.BigEndian.AppendUint32(nil, 0x00000801)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(labels)))
	buf = append(buf, labels...)
	return write(path, buf, len(labels), 0)
}

// LabelsNPY writes labels as a 1-D NumPy uint8 array (NPY format 1.0).
//
//	res, err := export.LabelsNPY("labels.npy", labels)
func LabelsNPY(path string, labels []uint8) (Result, error) {
	buf := append(npyHeader("|u1", len(labels)), labels...)
	return write(path, buf, len(labels), 0)
}

// npyHeader returns the NPY 1.0 preamble of a 1-D array of n values of
// dtype descr, padded so the data starts at a multiple of 64 bytes.
func npyHeader(descr string, n int) []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d,), }", descr, n)
	total := 10 + len(dict) + 1 // magic, version, length, dict, newline
	dict += strings.Repeat(" ", (64-total%64)%64) + "\n"
	buf := append([]byte("\x93NUMPY\x01\x00"), byte(len(dict)), byte(len(dict)>>8))
	return append(buf, dict...)
}
