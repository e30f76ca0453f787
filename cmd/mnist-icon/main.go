// Command mnist-icon draws the application icon from real MNIST digits: a
// 3x3 grid of the most typical digit of each label 0-8 (the training image
// nearest its class mean), each in its label's palette colour, on a dark
// rounded square. It is pure Go (no GL), so `make install` can run it
// anywhere the app builds.
//
//	mnist-icon --size 256 --out mnist-explorer.png
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/atomicfile"
	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// palette is the app's label palette (render.Palette, Tableau 10). It is
// copied rather than imported because render pulls in OpenGL and cgo;
// palette_test.go checks that the two stay equal.
var palette = [10]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF},
	{0xF2, 0x8E, 0x2B, 0xFF},
	{0xE1, 0x57, 0x59, 0xFF},
	{0x76, 0xB7, 0xB2, 0xFF},
	{0x59, 0xA1, 0x4F, 0xFF},
	{0xED, 0xC9, 0x48, 0xFF},
	{0xB0, 0x7A, 0xA1, 0xFF},
	{0xFF, 0x9D, 0xA7, 0xFF},
	{0x9C, 0x75, 0x5F, 0xFF},
	{0xBA, 0xB0, 0xAC, 0xFF},
}

// background is the app's window colour, a little lighter so that the
// square stands out on dark panels.
var background = color.RGBA{0x1a, 0x1c, 0x22, 0xff}

// labels are the digits shown, row by row.
var labels = [9]uint8{0, 1, 2, 3, 4, 5, 6, 7, 8}

// sampleRows is how many training images are searched for typical digits.
const sampleRows = 10000

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("mnist-icon", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := fs.Int("size", 256, "icon side in pixels (16..1024)")
	out := fs.String("out", "", "output `FILE`.png")
	dataDir := fs.String("data", "", "directory with IDX files; default: MNIST from the GoMNIST Go module")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *out == "" || fs.NArg() > 0 || *size < 16 || *size > 1024 {
		fmt.Fprintln(stderr, "usage: mnist-icon --size 16..1024 --out FILE.png [--data DIR]")
		return 2
	}
	if err := writeIcon(*out, *size, *dataDir); err != nil {
		fmt.Fprintf(stderr, "mnist-icon: %v\n", err)
		return 1
	}
	return 0
}

func writeIcon(path string, size int, dataDir string) error {
	var ds *mnist.Dataset
	var err error
	if dataDir != "" {
		ds, err = mnist.Load(dataDir)
	} else {
		ds, err = mnist.LoadDefault()
	}
	if err != nil {
		return err
	}
	digits, err := typicalDigits(ds.Head(sampleRows))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, drawIcon(size, digits, ds.Width, ds.Height)); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, buf.Bytes())
}

// typicalDigits returns, for each of labels, the image nearest to the mean
// image of its class: one pass for the class means, one for the distances.
func typicalDigits(ds *mnist.Dataset) ([9][]uint8, error) {
	var out [9][]uint8
	px := ds.Width * ds.Height
	var sums [256][]float64
	var counts [256]int
	for i := range ds.Len() {
		l := ds.Labels[i]
		if sums[l] == nil {
			sums[l] = make([]float64, px)
		}
		for j, p := range ds.Image(i) {
			sums[l][j] += float64(p)
		}
		counts[l]++
	}
	for _, l := range labels {
		if counts[l] == 0 {
			return out, fmt.Errorf("no image of label %d among the first %d rows", l, ds.Len())
		}
		for j := range sums[l] {
			sums[l][j] /= float64(counts[l])
		}
	}
	var best [256]int
	var bestD [256]float64
	for l := range bestD {
		bestD[l] = math.Inf(1)
	}
	for i := range ds.Len() {
		l := ds.Labels[i]
		d := 0.0
		for j, p := range ds.Image(i) {
			e := float64(p) - sums[l][j]
			d += e * e
		}
		if d < bestD[l] {
			best[l], bestD[l] = i, d
		}
	}
	for c, l := range labels {
		out[c] = ds.Image(best[l])
	}
	return out, nil
}
