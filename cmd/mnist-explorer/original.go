package main

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"path/filepath"
	"strings"

	xdraw "golang.org/x/image/draw"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// maxOriginalSide is the longest side, in pixels, of the picture uploaded
// for the inspector: a larger original is reduced to it (the panel shows a
// few hundred pixels; the reduction keeps the texture small and its upload
// quick).
const maxOriginalSide = 2048

// originalLines is how many lines of path and metadata the panel shows
// over the original image.
const originalLines = 3

// originalView is the inspector's image at its original resolution: read
// again from the dataset's source (mnist.Dataset.Original: the file of a
// folder, the row of an array before it was fitted into its cell) in the
// background when a row is selected, uploaded as a render.Picture, and
// drawn in the panel scaled to fit, with the file's path and its
// labels.csv metadata. IDX rows are their thumbnails already, so IDX
// datasets keep the atlas image.
type originalView struct {
	row   int                   // the row shown or loading; -1 for none
	t     *task[loadedOriginal] // the load in flight; nil when none
	pic   *render.Picture       // the uploaded original; nil until it is ready
	w, h  int                   // the original's size, before any reduction
	err   error                 // why it could not be read
	lines [originalLines]string // its path, size and metadata, as the panel shows them
	fit   func(string) string   // shortens a line to the panel's width (set once by the app)
}

// loadedOriginal is what a load hands the GL thread: the picture to upload
// and the original's size.
type loadedOriginal struct {
	pic  *image.RGBA
	w, h int
}

// updateOriginal keeps the inspector's original image in step with the
// selection (called once a frame from poll).
func (a *app) updateOriginal() {
	if a.orig.fit == nil {
		s := a.g.scale
		w := panelWidth*s - 2*uiPad*s - 8*s
		a.orig.row = -1
		a.orig.fit = func(line string) string { return fitText(line, w, a.g.small.Measure) }
	}
	a.orig.update(a.ctx, a.ds, a.sel.row, a.panel, a.logf)
}

// wantsOriginal reports whether ds's originals differ from its atlas
// images (every source but IDX).
func wantsOriginal(ds *mnist.Dataset) bool { return ds.Kind != "" && ds.Kind != "idx" }

// update follows the selection: it starts loading row's original when the
// panel shows another row (cancelling a load nobody needs), and uploads a
// finished load. It runs on the GL thread; the decoding does not.
func (o *originalView) update(ctx context.Context, ds *mnist.Dataset, row int, shown bool, logf func(string, ...any)) {
	if !shown || row < 0 || !wantsOriginal(ds) {
		row = -1
	}
	if row != o.row {
		o.reset()
		o.row = row
		if row < 0 {
			return
		}
		o.lines = describeOriginal(ds, row)
		o.fitLines()
		o.t = startTask(ctx, "original", func(ctx context.Context, _ *task[loadedOriginal]) (loadedOriginal, bool, error) {
			img, err := ds.Original(row)
			if err != nil {
				return loadedOriginal{}, false, err
			}
			b := img.Bounds()
			return loadedOriginal{toPicture(img, maxOriginalSide), b.Dx(), b.Dy()}, false, ctx.Err()
		})
	}
	if o.t == nil {
		return
	}
	st := o.t.status()
	if !st.done {
		return
	}
	o.t = nil
	if st.err == nil {
		o.w, o.h = st.snap.w, st.snap.h
		o.pic, st.err = render.NewPicture(st.snap.pic)
	}
	if st.err != nil {
		o.err = st.err
		o.lines[1] = "original: " + st.err.Error()
		logf("inspector: %v", st.err)
	} else {
		o.lines[1] = fmt.Sprintf("original %d×%d pixels", o.w, o.h)
	}
	o.fitLines()
}

// fitLines shortens the lines to the panel's width.
func (o *originalView) fitLines() {
	if o.fit == nil {
		return
	}
	for i, l := range o.lines {
		o.lines[i] = o.fit(l)
	}
}

// reset cancels a load in flight and releases the picture.
func (o *originalView) reset() {
	if o.t != nil {
		o.t.Cancel()
		o.t = nil
	}
	o.pic.Delete()
	o.pic, o.err, o.w, o.h = nil, nil, 0, 0
	o.lines = [originalLines]string{}
}

// ready returns the picture of row, or nil while there is none.
func (o *originalView) ready(row int) *render.Picture {
	if row != o.row {
		return nil
	}
	return o.pic
}

// describeOriginal returns the panel's lines about row's source: its path
// (relative to the dataset's folder), "loading…" until the size is known,
// and its metadata columns as "name: value" pairs.
func describeOriginal(ds *mnist.Dataset, row int) [originalLines]string {
	var out [originalLines]string
	switch {
	case ds.Paths != nil:
		p := ds.Paths[row]
		if rel, err := filepath.Rel(ds.Dir, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
		out[0] = p
	default:
		out[0] = fmt.Sprintf("%s row %d", filepath.Base(ds.Dir), row)
	}
	out[1] = "original: loading…"
	if ds.Meta != nil && ds.Meta[row] != nil {
		var b strings.Builder
		for i, v := range ds.Meta[row] {
			if i < len(ds.Columns) && v != "" {
				if b.Len() > 0 {
					b.WriteString(" · ")
				}
				b.WriteString(ds.Columns[i] + ": " + v)
			}
		}
		out[2] = b.String()
	}
	return out
}

// toPicture converts img to premultiplied RGBA with its origin at (0, 0),
// reduced (aspect kept) so that its longer side is at most maxSide.
func toPicture(img image.Image, maxSide int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if s := max(w, h); s > maxSide {
		w, h = max(1, w*maxSide/s), max(1, h*maxSide/s)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
		return dst
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	return dst
}

// drawOriginal draws the selected row's original over the panel's image
// square, scaled to fit (enlarged at most digitScale times, nearest
// pixels), with its path, size and metadata over a band at the bottom of
// the square. It draws nothing while the original is not ready.
func (g *gfx) drawOriginal(f *hudFrame, o *originalView) {
	pic := o.ready(f.sel.row)
	if pic == nil || f.lay.panel.empty() {
		return
	}
	d, s := f.lay.digit, g.scale
	x0, y0, x1, y1 := pic.Fit(d.x0, d.y0, d.x1, d.y1, digitScale*s)
	w, h := f.cam.Width, f.cam.Height
	g.shapes.Begin(w, h)
	g.shapes.Rect(d.x0, d.y0, d.x1, d.y1, colBlack)
	g.shapes.End()
	pic.Draw(w, h, x0, y0, x1, y1)
	lh := g.small.LineHeight()
	n := 0
	for _, l := range o.lines {
		if l != "" {
			n++
		}
	}
	g.shapes.Begin(w, h)
	g.shapes.Rect(d.x0, d.y1-float64(n)*lh-4*s, d.x1, d.y1, [4]float32{0, 0, 0, 0.6})
	g.shapes.End()
	y := d.y1 - float64(n)*lh - 2*s
	for _, l := range o.lines {
		if l != "" {
			g.small.Add(d.x0+4*s, y, l, colText)
			y += lh
		}
	}
}
