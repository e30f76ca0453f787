package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/export"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/review"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// exportJob is what --export writes, from a saved selection (--selection)
// or a review file (--corrections).
type exportJob struct {
	to          string // the file to write; its name picks the format
	selection   string // a selection saved by the explorer (.npy or .csv)
	corrections string // a review file the explorer wrote
	positions   string // optional layout (N x 2) for the x, y of a selection CSV
}

// run writes the export and says where it went.
func (j exportJob) run(ds *mnist.Dataset, hash [32]byte, stdout io.Writer) error {
	src := export.Source{Labels: ds.Labels, Split: ds.Split, ClassName: ds.ClassName,
		Image: ds.Image, Width: ds.Width, Height: ds.Height}
	in := export.Input{Source: src}
	kind := export.OfSelection
	switch {
	case j.selection != "" && j.corrections != "":
		return fmt.Errorf("--export takes --selection or --corrections, not both")
	case j.selection != "":
		rows, err := export.ReadRows(j.selection, ds.Len())
		if err != nil {
			return err
		}
		in.Rows = rows
		if j.positions != "" {
			if in.Pos, err = projection.ReadLayoutFile(j.positions, ds.Len()); err != nil {
				return err
			}
		}
	case j.corrections != "":
		kind = export.OfCorrections
		c, err := review.Load(j.corrections, review.Dataset{Hash: hash, Labels: ds.Labels, Classes: ds.NumClasses()})
		if err != nil {
			return err
		}
		defer c.Close()
		for _, ch := range c.Changes() {
			in.Corrections = append(in.Corrections, export.Correction{Row: ch.Row, Original: ch.Original,
				New: c.Label(int(ch.Row)), Flagged: c.Decision(int(ch.Row)).Kind == review.Flagged, Time: ch.Time})
		}
		in.Labels = c.Labels(nil)
		src.Labels = in.Labels // a selection of the corrected data shows the new labels
	default:
		return fmt.Errorf("--export needs --selection FILE or --corrections FILE")
	}
	f, err := export.ForPath(kind, j.to)
	if err != nil {
		return err
	}
	res, err := f.Write(j.to, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "export    %s (%s)\n", res, f.Title)
	return nil
}

// exportFormats lists what --export writes, for the flag's help.
func exportFormats() string {
	var b strings.Builder
	for _, f := range export.Formats {
		fmt.Fprintf(&b, "%s: %s; ", f.Title, strings.Join(f.Suffixes, " "))
	}
	return strings.TrimSuffix(filepath.ToSlash(b.String()), "; ")
}
