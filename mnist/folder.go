package mnist

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// openFolder reads a folder of image files: see Open.
func openFolder(ctx context.Context, root string, o Options) (*Dataset, error) {
	files, skips, err := listImages(root)
	if err != nil {
		return nil, err
	}
	table, labelsPath, err := folderLabels(root, o)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, noImages(root, skips)
	}
	if len(files) > MaxItems {
		return nil, fmt.Errorf("mnist: %s: %d image files, more than the %d a dataset may hold", root, len(files), MaxItems)
	}
	t, cached, err := folderThumbs(ctx, root, files, o)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Dir: root, Kind: KindFolder, Width: t.cell, Height: t.cell, Channels: t.channels, Pixels: t.pixels, FromCache: cached, maxPixels: o.maxPixels()}
	if labelsPath != "" {
		d.Files = []string{labelsPath}
	}
	names := make([]string, 0, len(files))
	var meta [][]string
	for i, f := range files {
		if t.reasons[i] != "" {
			skips = append(skips, Skip{f.path, t.reasons[i]})
			continue
		}
		name := f.group
		row, listed := table.rows[f.rel]
		if listed && row.label != "" {
			name = row.label
		}
		d.Paths = append(d.Paths, f.path)
		names = append(names, name)
		if len(table.columns) > 0 {
			meta = append(meta, nil)
			if listed {
				meta[len(meta)-1] = row.meta
			}
		}
	}
	if len(d.Paths) == 0 {
		return nil, noImages(root, skips)
	}
	// Rows of the labels file naming no image file in the folder.
	have := make(map[string]bool, len(files))
	for _, f := range files {
		have[f.rel] = true
	}
	type miss struct {
		line int
		rel  string
	}
	var missing []miss
	for rel, row := range table.rows {
		if !have[rel] {
			missing = append(missing, miss{row.line, rel})
		}
	}
	slices.SortFunc(missing, func(a, b miss) int { return a.line - b.line })
	for _, m := range missing {
		table.skip(m.line, "no image file %s in the folder", m.rel)
	}
	d.Skipped = append(skips, table.skips...)
	if d.Labels, d.Classes, d.Unlabelled, err = classify(names); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", root, err)
	}
	d.NumTrain = d.Len()
	d.Columns, d.Meta = table.columns, meta
	return d, nil
}

// folderLabels reads the folder's labels file: o.Labels, else the root's
// labels.csv, else its labels.tsv. With none, the table is empty.
func folderLabels(root string, o Options) (*labelTable, string, error) {
	paths := []string{filepath.Join(root, LabelsCSV), filepath.Join(root, LabelsTSV)}
	if o.Labels != "" {
		paths = []string{o.Labels}
	}
	for _, p := range paths {
		data, err := readLabelsData(p)
		if errors.Is(err, fs.ErrNotExist) && o.Labels == "" {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		return parseLabelTable(p, data, commaFor(p)), p, nil
	}
	return &labelTable{rows: map[string]labelRow{}}, "", nil
}

// folderThumbs returns the folder's files fitted into cells, from the
// thumbnail cache when it holds them (cached is then true), else decoded
// and stored there.
func folderThumbs(ctx context.Context, root string, files []imageFile, o Options) (t *thumbs, cached bool, err error) {
	if o.Cell > MaxImageSide {
		return nil, false, fmt.Errorf("mnist: cell of %d pixels: the most is %d", o.Cell, MaxImageSide)
	}
	// The probe gives the files' sizes and modification times, which the
	// cache's key needs, from the one open of each file that decoding uses.
	p, err := probe(ctx, files, o)
	if err != nil {
		return nil, false, stopped(root, err)
	}
	if o.Cell > 0 { // the cell is given: headers only matter for decoding
		p.maxSide, p.grey = 0, true
	}
	return cachedThumbs(ctx, root, thumbKey(files, o), len(files), o, func() (*thumbs, error) {
		cell, err := imageCell(root, len(files), p.maxSide, p.grey, o)
		if err != nil {
			return nil, err
		}
		return decodeThumbs(ctx, root, files, p.kept, cell, o)
	})
}

// cachedThumbs returns the n images of root fitted into cells: the
// thumbnail cache's entry under key when there is one (cached is then
// true), else what decode returns, stored there unless some reason for a
// skip may change without the files changing.
func cachedThumbs(ctx context.Context, root string, key [32]byte, n int, o Options, decode func() (*thumbs, error)) (t *thumbs, cached bool, err error) {
	cache := thumbCacheFor(o)
	if cache != nil {
		if t, err := cache.get(key, n, o); err == nil {
			o.progress(n, n)
			return t, true, nil
		}
	}
	if t, err = decode(); err != nil {
		if ctx.Err() != nil {
			return nil, false, stopped(root, err)
		}
		return nil, false, err
	}
	if cache != nil && !t.transient && t.rows() > 0 {
		cache.put(key, t) // a failure only costs the next start its speed
	}
	return t, false, nil
}

// noImages is the error for a folder without one readable image.
func noImages(root string, skips []Skip) error {
	msg := fmt.Sprintf("mnist: %s: no readable image: expected image files (%s) in it or in class folders under it, or IDX files (%s[.gz], ...)",
		root, strings.Join(imageExts, " "), TrainImages)
	if len(skips) > 0 {
		msg += fmt.Sprintf("; %d files could not be read, the first: %s", len(skips), skips[0])
	}
	return errors.New(msg)
}

// classify turns each row's class name ("" for none) into a label: class
// names sorted as strings (torchvision's order), rows without a name in
// the class UnlabelledClass. When no row has a name, every label is 0 and
// unlabelled is true. More than 256 classes is an error.
func classify(names []string) (labels []uint8, classes []string, unlabelled bool, err error) {
	labels = make([]uint8, len(names))
	set := map[string]bool{}
	for _, n := range names {
		if n == "" {
			n = UnlabelledClass
		}
		set[n] = true
	}
	if !slices.ContainsFunc(names, func(n string) bool { return n != "" }) {
		return labels, []string{UnlabelledClass}, true, nil
	}
	for n := range set {
		classes = append(classes, n)
	}
	slices.Sort(classes)
	if len(classes) > maxClasses {
		return nil, nil, false, fmt.Errorf("%d classes, more than the %d a dataset can hold (labels are bytes)", len(classes), maxClasses)
	}
	for i, n := range names {
		if n == "" {
			n = UnlabelledClass
		}
		l, _ := slices.BinarySearch(classes, n)
		labels[i] = uint8(l)
	}
	return labels, classes, false, nil
}
