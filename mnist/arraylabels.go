package mnist

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// labelArray gives an array dataset its labels: from o.Labels when set,
// else from own (the archive's labels array; nil or returning nil when it
// has none); without either the dataset is Unlabelled.
func (d *Dataset) labelArray(o Options, own func() ([]uint8, error)) error {
	n := len(d.Pixels) / d.imageSize()
	var err error
	switch {
	case o.Labels != "":
		d.Files = append(d.Files, o.Labels)
		err = d.readLabelsFile(o.Labels, n)
	case own != nil:
		d.Labels, err = own()
		d.Classes = numericClasses(d.Labels)
	}
	if err != nil {
		return err
	}
	if d.Labels == nil {
		d.Labels, d.Classes, d.Unlabelled = make([]uint8, n), []string{UnlabelledClass}, true
	}
	return nil
}

// readLabelsFile reads n labels for d from path: a .npy of integers 0..255
// (shape (n,) or (n, 1)), or a .csv/.tsv with one label a row (see
// parseLabelList; its further columns become metadata). Integer labels
// name classes "0".."max"; other names are classes sorted by name.
func (d *Dataset) readLabelsFile(path string, n int) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		f, size, err := openArrayFile(path)
		if err != nil {
			return err
		}
		defer f.Close()
		a, err := readNPY(f, path, size)
		if err != nil {
			return err
		}
		if !isLabelShape(a, n) {
			return fmt.Errorf("mnist: %s: shape %s of %s: want %d integer labels, shape (%d,), one per image", path, a.shapeString(), a.dtype, n, n)
		}
		d.Labels, err = readLabelArray(a, n)
		d.Classes = numericClasses(d.Labels)
		return err
	case ".csv", ".tsv":
		data, err := readLabelsData(path)
		if err != nil {
			return err
		}
		l := parseLabelList(path, data, commaFor(path))
		if len(l.labels) != n {
			return fmt.Errorf("mnist: %s: %d labels for %d images: want one row per image, in order (plus an optional header row)", path, len(l.labels), n)
		}
		d.Columns, d.Meta, d.Skipped = l.columns, l.meta, append(d.Skipped, l.skips...)
		if d.Labels = integerLabels(l.labels); d.Labels != nil {
			d.Classes = numericClasses(d.Labels)
			return nil
		}
		d.Labels, d.Classes, d.Unlabelled, err = classify(l.labels)
		if err != nil {
			return fmt.Errorf("mnist: %s: %w", path, err)
		}
		return nil
	}
	return fmt.Errorf("mnist: labels file %s: want a .npy of integers, or a .csv or .tsv with one label a row", path)
}

// readLabelArray reads a's n labels: integers (or integral floats) 0..255.
func readLabelArray(a *npyArray, n int) ([]uint8, error) {
	labels := make([]uint8, n)
	chunk := make([]float64, min(n, 1<<16))
	for lo := 0; lo < n; lo += len(chunk) {
		c := chunk[:min(len(chunk), n-lo)]
		if err := a.readFloats(c, nil); err != nil {
			return nil, err
		}
		for i, v := range c {
			if !(v >= 0 && v <= 255) || v != math.Trunc(v) {
				return nil, fmt.Errorf("mnist: %s: label %d is %v: labels must be integers 0..255", a.name, lo+i, v)
			}
			labels[lo+i] = uint8(v)
		}
	}
	return labels, nil
}

// integerLabels returns names as labels when every one is an integer
// 0..255, else nil.
func integerLabels(names []string) []uint8 {
	labels := make([]uint8, len(names))
	for i, s := range names {
		v, err := strconv.ParseUint(s, 10, 8)
		if err != nil {
			return nil
		}
		labels[i] = uint8(v)
	}
	return labels
}

// numericClasses names the classes "0" up to the largest label.
func numericClasses(labels []uint8) []string {
	if labels == nil {
		return nil
	}
	top := 0
	for _, l := range labels {
		top = max(top, int(l))
	}
	classes := make([]string, top+1)
	for i := range classes {
		classes[i] = strconv.Itoa(i)
	}
	return classes
}
