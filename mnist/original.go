package mnist

import (
	"cmp"
	"fmt"
	"image"
	"io"
)

// origin reads a row's image at full resolution from where it was loaded.
type origin interface {
	original(row int) (image.Image, error)
}

// Original returns row's image at its full original resolution, read
// again from its source: a folder's image file decoded (EXIF orientation
// applied, the pixel cap of the Options it was opened with), an array's
// row before it was fitted into its cell. For IDX datasets, and datasets
// built by hand, it is the row's pixels as loaded (*image.Gray, or
// *image.NRGBA for RGBA), sharing storage with d. It may be called from
// any goroutine; it reads d only.
func (d *Dataset) Original(row int) (image.Image, error) {
	if row < 0 || row >= d.Len() {
		return nil, fmt.Errorf("mnist: row %d out of range [0, %d)", row, d.Len())
	}
	if d.Paths != nil {
		p := d.Paths[row]
		img, o, err := new(imageDecoder).decode(p, nil, cmp.Or(d.maxPixels, DefaultMaxPixels), nil)
		if err != nil {
			return nil, fmt.Errorf("mnist: %s: %w", p, err)
		}
		return oriented(img, o), nil
	}
	if d.origin != nil {
		return d.origin.original(row)
	}
	r := image.Rect(0, 0, d.Width, d.Height)
	if d.NumChannels() == 4 {
		return &image.NRGBA{Pix: d.Image(row), Stride: 4 * d.Width, Rect: r}, nil
	}
	return &image.Gray{Pix: d.Image(row), Stride: d.Width, Rect: r}, nil
}

// arrayOrigin finds a row of a .npy file, or of the image members of a
// .npz archive, one per split.
type arrayOrigin struct {
	path    string
	members []string     // the .npz's image members, in row order; nil for a .npy
	shapes  []imageShape // each member's (the .npy's) image shape
}

func (a *arrayOrigin) original(row int) (image.Image, error) {
	m := 0
	for m < len(a.shapes) && row >= a.shapes[m].n {
		row -= a.shapes[m].n
		m++
	}
	if m == len(a.shapes) {
		return nil, fmt.Errorf("mnist: %s: row out of range", a.path)
	}
	var arr *npyArray
	var seeker io.Seeker
	if a.members == nil {
		f, size, err := openArrayFile(a.path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if arr, err = readNPY(f, a.path, size); err != nil {
			return nil, err
		}
		seeker = f
	} else {
		z, err := openNPZFile(a.path)
		if err != nil {
			return nil, err
		}
		defer z.close()
		var c io.Closer
		if arr, c, err = z.open(a.members[m]); err != nil {
			return nil, err
		}
		defer c.Close()
	}
	s := a.shapes[m]
	if now, err := imageShapeOf(arr, 1<<62); err != nil || now != s {
		return nil, fmt.Errorf("mnist: %s: changed since it was loaded", arr.name)
	}
	if err := skipBody(arr, seeker, int64(row)*int64(s.h*s.w*s.c*arr.size)); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", arr.name, noEOF(err))
	}
	r := newRowReader(arr, s)
	r.row = row
	buf := make([]uint8, r.imageLen())
	if err := r.next(buf); err != nil {
		return nil, err
	}
	return r.image(buf), nil
}
