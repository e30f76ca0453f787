// Package export writes what a user selected and corrected in the explorer
// to files their own tools read: a selection as CSV, as NumPy row indices
// or as a PNG contact sheet; corrections as CSV, and corrected labels as an
// IDX labels file or a NumPy array.
//
// Every writer builds the whole file in memory, then writes it atomically
// (a temporary file beside the target, synced, renamed over it), so a
// failed or interrupted export leaves either the old file or none, never a
// partial one. Each returns the absolute path it wrote, for the app to say
// where the export went.
//
// The formats are other tools' formats, so their version is theirs: the CSV
// header names the columns, NPY files are format 1.0, IDX files carry
// their magic number. The package knows nothing of the dataset's loader:
// callers describe rows through Source.
package export

import (
	"errors"
	"fmt"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
	"path/filepath"
	"strings"
	"time"
)

// Source describes the dataset's rows to the selection exports. Only
// Labels is required; a nil function writes an empty field (or, for
// ClassName, the label's number). With an *mnist.Dataset d:
//
//	export.Source{Labels: d.Labels, Split: d.Split, ClassName: d.ClassName,
//		Image: d.Image, Width: d.Width, Height: d.Height}
type Source struct {
	Labels    []uint8              // each row's label: the current one, corrections applied
	Split     func(row int) string // the row's split ("train", "test"); nil writes ""
	ID        func(row int) string // the row's file path or id; nil writes "" (IDX has none)
	ClassName func(l uint8) string // a label's display name on a contact sheet; nil writes the number
	Image     func(row int) []uint8
	// Width and Height are the size of every image; Image(row) returns its
	// Width*Height grey pixels, row-major. Only ContactSheet needs them.
	Width, Height int
}

// Correction is one decision about a row's label, from the review queue or
// a relabel on the map.
type Correction struct {
	Row      int32     // the dataset row
	Original uint8     // the label the dataset gave it
	New      uint8     // the label it has now (Original when kept or only flagged)
	Flagged  bool      // marked unusable: ambiguous, not a digit, cut off
	Time     time.Time // when the decision was made
}

// Result says what an export wrote.
type Result struct {
	Path    string // the absolute path of the file written
	Written int    // rows, images or labels written
	Omitted int    // rows left out: a contact sheet holds at most MaxSheetImages
}

// String says where the export went, for the app's status line.
func (r Result) String() string {
	s := fmt.Sprintf("wrote %d rows to %s", r.Written, r.Path)
	if r.Omitted > 0 {
		s += fmt.Sprintf(" (%d more left out: at most %d per sheet)", r.Omitted, MaxSheetImages)
	}
	return s
}

// Kind says what an export is of.
type Kind uint8

const (
	// OfSelection exports the selected rows (Input.Source, Rows, Pos, Sheet).
	OfSelection Kind = iota
	// OfCorrections exports the decisions (Input.Corrections) or the
	// corrected labels of every row (Input.Labels).
	OfCorrections
)

// Input is everything an export may read; each Format uses its part.
type Input struct {
	Source      Source
	Rows        []int32   // the selected rows, in the order to write them
	Pos         []float32 // the current layout, N x 2, for the selection CSV; nil leaves x and y empty
	Sheet       SheetOptions
	Corrections []Correction // in the order made
	Labels      []uint8      // every row's corrected label
}

// Format is one kind of export file: the app's export buttons and the
// headless tool's flags are built from Formats.
type Format struct {
	Kind     Kind
	Name     string   // short name for flags and menus: "csv", "npy", "png", "idx"
	Title    string   // what the file holds, for menus
	Suffixes []string // file name endings that choose it, lower case
	Write    func(path string, in Input) (Result, error)
}

// Formats lists every export; ForPath chooses among them.
var Formats = []Format{
	{OfSelection, "csv", "selected rows as CSV (row, split, label, x, y, id)", []string{".csv"},
		func(p string, in Input) (Result, error) { return SelectionCSV(p, in.Source, in.Rows, in.Pos) }},
	{OfSelection, "npy", "selected row indices as NumPy int64", []string{".npy"},
		func(p string, in Input) (Result, error) { return SelectionNPY(p, in.Rows) }},
	{OfSelection, "png", "contact sheet of the selected images", []string{".png"},
		func(p string, in Input) (Result, error) { return ContactSheet(p, in.Source, in.Rows, in.Sheet) }},
	{OfCorrections, "csv", "decisions as CSV (row, original_label, new_label, flagged, time)", []string{".csv"},
		func(p string, in Input) (Result, error) { return CorrectionsCSV(p, in.Corrections) }},
	{OfCorrections, "idx", "corrected labels as an IDX labels file", []string{"idx1-ubyte", ".idx", ".idx1"},
		func(p string, in Input) (Result, error) { return LabelsIDX(p, in.Labels) }},
	{OfCorrections, "npy", "corrected labels as NumPy uint8", []string{".npy"},
		func(p string, in Input) (Result, error) { return LabelsNPY(p, in.Labels) }},
}

// ForPath returns the format of kind k that path's ending chooses.
func ForPath(k Kind, path string) (Format, error) {
	lower := strings.ToLower(path)
	var known []string
	for _, f := range Formats {
		if f.Kind != k {
			continue
		}
		for _, s := range f.Suffixes {
			if strings.HasSuffix(lower, s) {
				return f, nil
			}
			known = append(known, s)
		}
	}
	return Format{}, fmt.Errorf("export: %s: unknown file type (want a name ending in %s)", path, strings.Join(known, ", "))
}

// write writes data atomically to path and returns the result.
func write(path string, data []byte, written, omitted int) (Result, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	if err := atomicfile.WriteBytes(abs, data); err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	return Result{Path: abs, Written: written, Omitted: omitted}, nil
}

// checkRows returns an error naming the first row outside [0, n).
func checkRows(rows []int32, n int) error {
	for _, r := range rows {
		if r < 0 || int(r) >= n {
			return fmt.Errorf("row %d outside the dataset's %d rows", r, n)
		}
	}
	return nil
}

var errNoRows = errors.New("no rows selected")
