package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/export"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/region"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/review"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// chosenView is what the selection panel shows of the chosen set: its
// rows, their count per label, and where the thumbnail grid is scrolled.
type chosenView struct {
	rows   []int32 // ascending
	counts []int   // per label
	scroll int     // first grid row shown
	head   string  // "Selection · 1,234"
}

// choose combines the rows inside shape (in the positions on screen) into
// the chosen set by op.
func (a *app) choose(shape region.Shape, op region.Op) {
	pos := a.scene.shown()
	if pos == nil {
		return
	}
	inside := region.Select(a.chosen, pos, shape, op)
	a.chosenChanged()
	a.txt.toast("%s in the shape · %s chosen", groupDigits(inside), groupDigits(a.chosen.Count()))
}

// clearChosen empties the chosen set.
func (a *app) clearChosen() {
	a.chosen.Clear()
	a.chosenChanged()
}

// growChosen adds the pixel-space neighbours of every chosen row (G).
func (a *app) growChosen() {
	if a.sus == nil {
		a.startGraph()
		a.txt.toast("the neighbour graph is still being computed; try again in a moment")
		return
	}
	added := a.chosen.Grow(a.sus.graph, a.sus.k)
	a.chosenChanged()
	a.txt.toast("added %s neighbours · %s chosen", groupDigits(added), groupDigits(a.chosen.Count()))
}

// chosenChanged refreshes the flags and the selection panel's model.
func (a *app) chosenChanged() {
	v := &a.cv
	v.rows = a.chosen.Rows(v.rows)
	v.counts = a.chosen.CountByLabel(a.labels(), a.ds.NumClasses())
	v.scroll = 0
	v.head = fmt.Sprintf("Selection · %s", groupDigits(len(v.rows)))
	a.sel.dirty = true
}

// scrollChosen scrolls the selection grid by rows (positive: down).
func (a *app) scrollChosen(rows int) {
	total := (len(a.cv.rows) + chosenGridCols - 1) / chosenGridCols
	shown := max(a.lay.chosenFit/chosenGridCols, 1)
	a.cv.scroll = max(0, min(a.cv.scroll+rows, total-shown))
}

// exportDir returns the folder exports go to: --export-dir, else the
// user's Documents folder, else the working directory, each with a
// mnist-explorer subfolder.
func (a *app) exportDir() string {
	if a.cfg.exportDir != "" {
		return a.cfg.exportDir
	}
	dir := userDir("XDG_DOCUMENTS_DIR", "Documents")
	return filepath.Join(dir, "mnist-explorer")
}

// exportSource describes the dataset to the exporters.
func (a *app) exportSource() export.Source {
	return export.Source{Labels: a.labels(), Split: a.ds.Split, ClassName: a.ds.ClassName,
		Image: a.image, Width: a.ds.Width, Height: a.ds.Height}
}

// exportChosen writes the chosen rows as CSV (with their place in the
// layout on screen), NumPy indices and a contact sheet (E).
func (a *app) exportChosen() {
	if len(a.cv.rows) == 0 {
		a.txt.toast("nothing chosen: Shift+drag a lasso or Ctrl+drag a box first")
		return
	}
	base := filepath.Join(a.exportDir(), "selection-"+time.Now().Format("20060102-150405"))
	src := a.exportSource()
	colors := render.ClassColours(render.PaletteSize)
	a.reportExports(
		func() (export.Result, error) {
			return export.SelectionCSV(base+".csv", src, a.cv.rows, a.scene.shown())
		},
		func() (export.Result, error) { return export.SelectionNPY(base+".npy", a.cv.rows) },
		func() (export.Result, error) {
			return export.ContactSheet(base+".png", src, a.cv.rows, export.SheetOptions{Colors: colors})
		})
}

// exportCorrections writes the review's decisions as CSV and the corrected
// labels in the dataset's own format: IDX label files per split (Shift+E).
func (a *app) exportCorrections() {
	if a.rev == nil || len(a.rev.c.Changes()) == 0 {
		a.txt.toast("no corrections yet: L opens the review of suspicious labels")
		return
	}
	dir := filepath.Join(a.exportDir(), "corrections-"+time.Now().Format("20060102-150405"))
	var cs []export.Correction
	for _, ch := range a.rev.c.Changes() {
		cs = append(cs, export.Correction{Row: ch.Row, Original: ch.Original, New: a.rev.labels[ch.Row],
			Flagged: a.rev.c.Decision(int(ch.Row)).Kind == review.Flagged, Time: ch.Time})
	}
	labels := a.rev.labels
	n := a.ds.NumTrain
	writes := []func() (export.Result, error){
		func() (export.Result, error) { return export.CorrectionsCSV(filepath.Join(dir, "corrections.csv"), cs) },
		func() (export.Result, error) {
			return export.LabelsIDX(filepath.Join(dir, "train-labels-idx1-ubyte"), labels[:min(n, len(labels))])
		},
	}
	if len(labels) > n {
		writes = append(writes, func() (export.Result, error) {
			return export.LabelsIDX(filepath.Join(dir, "t10k-labels-idx1-ubyte"), labels[n:])
		})
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		a.txt.toast("export failed: %v", err)
		return
	}
	a.reportExports(writes...)
}

// reportExports runs the writers and says where each file went (log and
// toast), or what failed.
func (a *app) reportExports(writes ...func() (export.Result, error)) {
	if err := os.MkdirAll(a.exportDir(), 0o755); err != nil {
		a.txt.toast("export failed: %v", err)
		return
	}
	var done []string
	for _, w := range writes {
		res, err := w()
		if err != nil {
			a.logf("export failed: %v", err)
			a.txt.toast("export failed: %v", err)
			return
		}
		a.logf("export: %s", res)
		done = append(done, filepath.Base(res.Path))
		a.lastExport = res.Path
	}
	a.txt.toast("exported %s to %s", strings.Join(done, ", "), filepath.Dir(a.lastExport))
}
