package mnist

import (
	"archive/zip"
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
)

// The members of Keras' mnist.npz (and of its other datasets' archives).
var kerasMembers = [4]string{"x_train", "y_train", "x_test", "y_test"}

// npzArchive is an open .npz: a zip archive of .npy members.
type npzArchive struct {
	path    string
	size    int64 // the archive's size in bytes
	zr      *zip.Reader
	close   func() error
	members map[string]*zip.File // by name, without a ".npy" suffix
	order   []string             // member names in archive order
}

// openNPZFile opens the archive at path, reading its directory only.
func openNPZFile(path string) (*npzArchive, error) {
	f, size, err := openArrayFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mnist: %s: not a .npz (zip) archive: %w", path, err)
	}
	z := &npzArchive{path: path, size: size, zr: zr, close: f.Close, members: map[string]*zip.File{}}
	for _, m := range zr.File {
		// numpy.savez names members x.npy; other writers leave the suffix off.
		name := strings.TrimSuffix(m.Name, ".npy")
		if !strings.HasSuffix(m.Name, "/") && z.members[name] == nil {
			z.members[name] = m
			z.order = append(z.order, name)
		}
	}
	return z, nil
}

// open opens member name and reads its NPY header. The member's claimed
// size is checked against what its compressed bytes can inflate to
// (1032:1 for deflate) before it is trusted.
func (z *npzArchive) open(name string) (*npyArray, io.Closer, error) {
	m := z.members[name]
	label := z.path + ":" + m.Name
	limit := m.CompressedSize64
	if m.Method == zip.Deflate {
		limit = maxInflate*m.CompressedSize64 + 1024
	}
	if m.CompressedSize64 > uint64(z.size) {
		return nil, nil, fmt.Errorf("mnist: %s: claims %d compressed bytes, more than the %d-byte archive holds", label, m.CompressedSize64, z.size)
	}
	if m.UncompressedSize64 > limit || m.UncompressedSize64 > 1<<50 {
		return nil, nil, fmt.Errorf("mnist: %s: claims %d bytes, more than its %d compressed bytes can hold", label, m.UncompressedSize64, m.CompressedSize64)
	}
	rc, err := m.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %s: %w", label, err)
	}
	a, err := readNPY(rc, label, int64(m.UncompressedSize64))
	if err != nil {
		rc.Close()
		return nil, nil, err
	}
	return a, rc, nil
}

// openNPZ reads a .npz archive: see OpenContext.
func openNPZ(ctx context.Context, path string, o Options) (*Dataset, error) {
	z, err := openNPZFile(path)
	if err != nil {
		return nil, err
	}
	defer z.close()
	images, labels, err := z.layout()
	if err != nil {
		return nil, err
	}
	if len(images) == 0 {
		return nil, fmt.Errorf("mnist: %s: no image array (want x_train.npy, y_train.npy, x_test.npy, y_test.npy as Keras' mnist.npz, or an N x H x W[ x C] array); it holds %s",
			path, strings.Join(z.order, ", "))
	}
	// Read every image member's header first: their sizes decide the cell.
	var shapes []imageShape
	total, side := 0, 0
	for _, name := range images {
		a, err := z.header(name)
		if err != nil {
			return nil, err
		}
		s, err := imageShapeOf(a, o.maxPixels())
		if err != nil {
			return nil, err
		}
		if len(shapes) > 0 && (s.h != shapes[0].h || s.w != shapes[0].w || s.c != shapes[0].c) {
			return nil, fmt.Errorf("mnist: %s: %s holds images of shape %s, unlike %s", path, name, a.shapeString()[1:], images[0])
		}
		shapes = append(shapes, s)
		total, side = total+s.n, max(s.h, s.w)
	}
	if total > MaxItems {
		return nil, fmt.Errorf("mnist: %s: %d images, more than the %d a dataset may hold", path, total, MaxItems)
	}
	d, err := newArrayDataset(path, KindNPZ, total, side, shapes[0].channels(), o)
	if err != nil {
		return nil, err
	}
	row, size := 0, d.imageSize()
	for i, name := range images {
		a, c, err := z.open(name)
		if err != nil {
			return nil, err
		}
		r := newRowReader(a, shapes[i])
		r.done, r.total = row, total
		err = readCells(ctx, r, d.Pixels[row*size:(row+shapes[i].n)*size], d.Width, o)
		c.Close()
		if err != nil {
			return nil, err
		}
		row += shapes[i].n
	}
	d.NumTrain = shapes[0].n
	if len(images) == 1 {
		d.NumTrain = total
	}
	d.origin = &arrayOrigin{path: path, members: images, shapes: shapes}
	if err := d.labelArray(o, func() ([]uint8, error) { return z.readLabels(labels, shapes) }); err != nil {
		return nil, err
	}
	return d, nil
}

// layout returns the archive's image members and their labels members:
// Keras' (x_train, x_test and y_train, y_test) when it has x_train and
// y_train; else its first array of images (N x H x W[ x C], else the first
// N x D with D a square) and the first other array of one integer per
// image, if any.
//
// An archive without images returns the first error met reading a member.
func (z *npzArchive) layout() (images, labels []string, err error) {
	if z.members["x_train"] != nil && z.members["y_train"] != nil {
		images, labels = []string{"x_train"}, []string{"y_train"}
		if z.members["x_test"] != nil && z.members["y_test"] != nil {
			images, labels = append(images, "x_test"), append(labels, "y_test")
		}
		return images, labels, nil
	}
	n, flat, flatN := 0, "", 0
	for _, name := range z.order {
		a, aerr := z.header(name)
		if aerr != nil {
			err = cmp.Or(err, aerr)
			continue
		}
		if _, err := imageShapeOf(a, DefaultMaxPixels); err != nil {
			continue
		}
		if len(a.shape) > 2 {
			images, n = []string{name}, a.shape[0]
			break
		}
		if flat == "" {
			flat, flatN = name, a.shape[0]
		}
	}
	if images == nil && flat != "" {
		images, n = []string{flat}, flatN
	}
	if images == nil {
		return nil, nil, err
	}
	for _, name := range z.order {
		if a, err := z.header(name); err == nil && name != images[0] && isLabelShape(a, n) {
			return images, []string{name}, nil
		}
	}
	return images, nil, nil
}

// header returns member name's NPY header (its body is not readable).
func (z *npzArchive) header(name string) (*npyArray, error) {
	a, c, err := z.open(name)
	if err == nil {
		c.Close()
	}
	return a, err
}

// isLabelShape reports whether a holds n integers: shape (n,) or (n, 1).
func isLabelShape(a *npyArray, n int) bool {
	d := a.shape
	return a.kind != 'f' && len(d) >= 1 && len(d) <= 2 && d[0] == n && (len(d) == 1 || d[1] == 1)
}

// readLabels reads the labels members, one per image member.
func (z *npzArchive) readLabels(members []string, shapes []imageShape) ([]uint8, error) {
	if len(members) == 0 {
		return nil, nil
	}
	var labels []uint8
	for i, name := range members {
		a, c, err := z.open(name)
		if err != nil {
			return nil, err
		}
		if !isLabelShape(a, shapes[i].n) {
			c.Close()
			return nil, fmt.Errorf("mnist: %s: shape %s of %s: want %d integer labels, one per image of %s", a.name, a.shapeString(), a.dtype, shapes[i].n, z.path)
		}
		l, err := readLabelArray(a, shapes[i].n)
		c.Close()
		if err != nil {
			return nil, err
		}
		labels = append(labels, l...)
	}
	return labels, nil
}
