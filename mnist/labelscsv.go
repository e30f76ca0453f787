package mnist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// MaxLabelsFileSize is the largest labels file (labels.csv, labels.tsv or
// Options.Labels as CSV) accepted, in bytes: 128 MiB. A larger file is
// refused with an error before it is read.
const MaxLabelsFileSize = 128 << 20

// Names of a folder's own labels files, in the order they are looked for.
const (
	LabelsCSV = "labels.csv"
	LabelsTSV = "labels.tsv"
)

// Header names recognised in the first field of a labels file's first row:
// a folder's file names its image files, an array's its labels.
var (
	pathHeaders  = []string{"path", "file", "filename", "file_name", "filepath", "image", "img", "name"}
	labelHeaders = []string{"label", "labels", "class", "y", "target", "category"}
)

// readBoundedFile reads the regular file at path, refusing one larger than
// limit bytes; what names the kind of file in that error. A missing file's
// error is the file system's (errors.Is(err, fs.ErrNotExist) holds); every
// other error has the package prefix and names path.
func readBoundedFile(path string, limit int64, what string) ([]byte, error) {
	f, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	// Reading one byte past the limit catches a file that grew since it
	// was opened as well as one that was too large from the start.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("mnist: %s: larger than %d KiB, the most a %s may hold", path, limit>>10, what)
	}
	return data, nil
}

// readLabelsData reads a labels file, bounded by MaxLabelsFileSize. Every
// error has the package prefix and names path; a missing file's still
// satisfies errors.Is(err, fs.ErrNotExist).
func readLabelsData(path string) ([]byte, error) {
	data, err := readBoundedFile(path, MaxLabelsFileSize, "labels file")
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("mnist: labels file: %w", err)
	}
	return data, err
}

// commaFor returns the field separator of a labels file: a tab for .tsv,
// else a comma.
func commaFor(path string) rune {
	if strings.EqualFold(filepath.Ext(path), ".tsv") {
		return '\t'
	}
	return ','
}

// record is one row of a labels file.
type record struct {
	line   int
	fields []string
}

// csvRecords parses data (a UTF-8 byte-order mark allowed) as CSV with
// fields separated by comma, fields trimmed; rows the parser refuses go
// into skips as "line N: why", naming path.
func csvRecords(path string, data []byte, comma rune) (recs []record, skips []Skip) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	for {
		fields, err := r.Read()
		if err == io.EOF {
			return recs, skips
		}
		line, _ := r.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			skips = append(skips, Skip{path, fmt.Sprintf("line %d: %v", pe.Line, pe.Err)})
			continue
		}
		if err != nil { // a reader over memory fails only on malformed input
			return recs, append(skips, Skip{path, fmt.Sprintf("line %d: %v", line, err)})
		}
		for i, f := range fields {
			fields[i] = strings.TrimSpace(f)
		}
		if len(fields) == 1 && fields[0] == "" {
			continue // a blank line
		}
		recs = append(recs, record{line, fields})
	}
}

// header splits off recs' header row when its first field is one of names
// and returns the names of the columns after the first skip fields (from
// the header, else "column 3", ...) and how many fields a row must have.
func header(recs []record, names []string, skip int) (rows []record, columns []string, width int) {
	if len(recs) == 0 {
		return nil, nil, 0
	}
	first := recs[0].fields
	width = len(first)
	if slices.Contains(names, strings.ToLower(first[0])) {
		return recs[1:], slices.Clone(first[min(skip, len(first)):]), width
	}
	for i := skip; i < width; i++ {
		columns = append(columns, fmt.Sprintf("column %d", i+1))
	}
	return recs, columns, width
}

// labelTable is a folder's labels file: a label and metadata per image
// file, by the file's path from the folder's root.
type labelTable struct {
	path    string
	columns []string            // names of the metadata columns
	rows    map[string]labelRow // by slash-separated path from the root
	skips   []Skip
}

// labelRow is one image's row of a labels file.
type labelRow struct {
	line  int
	label string   // "" when the row gives none
	meta  []string // one value per column
}

// parseLabelTable parses a folder's labels file, path,label[,more...] a
// row, with an optional header row (first field "path", "file", ...); a
// path is from the folder's root, with / or \ between names. Rows
// with another number of fields than the first, a path outside the folder
// or a path already listed are skipped with the reason.
func parseLabelTable(file string, data []byte, comma rune) *labelTable {
	recs, skips := csvRecords(file, data, comma)
	recs, columns, width := header(recs, pathHeaders, 2)
	t := &labelTable{path: file, columns: columns, rows: map[string]labelRow{}, skips: skips}
	if width == 1 {
		t.skips = append(t.skips, Skip{file, "one column only: want path,label[,more columns]"})
		return t
	}
	for _, rec := range recs {
		f := rec.fields
		if len(f) != width {
			t.skip(rec.line, "%d fields, want %d like the first row", len(f), width)
			continue
		}
		rel := path.Clean(strings.ReplaceAll(f[0], `\`, "/")) // paths written on Windows too
		if f[0] == "" || path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") || filepath.IsAbs(f[0]) {
			t.skip(rec.line, "path %q is not inside the folder", f[0])
			continue
		}
		if prev, ok := t.rows[rel]; ok {
			t.skip(rec.line, "%s is listed again (first on line %d)", rel, prev.line)
			continue
		}
		label := f[1]
		if label != "" {
			label = clipName(label)
		}
		t.rows[rel] = labelRow{line: rec.line, label: label, meta: f[2:]}
	}
	return t
}

func (t *labelTable) skip(line int, format string, args ...any) {
	t.skips = append(t.skips, Skip{t.path, fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)})
}

// labelList is an array's labels file: one label (and metadata) a row, in
// row order.
type labelList struct {
	labels  []string
	columns []string
	meta    [][]string // nil for a row with another number of fields
	skips   []Skip
}

// parseLabelList parses an array's labels file: label[,more...] a row,
// with an optional header row (first field "label", "class", ...). A row
// with another number of fields than the first keeps its label (its first
// field) but not its metadata, and is reported.
func parseLabelList(file string, data []byte, comma rune) *labelList {
	recs, skips := csvRecords(file, data, comma)
	recs, columns, width := header(recs, labelHeaders, 1)
	l := &labelList{columns: columns, skips: skips}
	for _, rec := range recs {
		l.labels = append(l.labels, clipName(rec.fields[0]))
		var meta []string
		if len(rec.fields) == width {
			meta = rec.fields[1:]
		} else {
			l.skips = append(l.skips, Skip{file, fmt.Sprintf("line %d: %d fields, want %d like the first row; its label is kept, not its other columns", rec.line, len(rec.fields), width)})
		}
		l.meta = append(l.meta, meta)
	}
	if len(columns) == 0 {
		l.meta = nil
	}
	return l
}
