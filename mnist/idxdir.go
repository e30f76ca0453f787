package mnist

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

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
	if err := checkBudget(train.img.path, o, train.img.describe(), need(n, w, h, 1)); err != nil {
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
		if err := checkBudget(test.img.path, o, what, need(n+test.img.items(), w, h, 1)); err != nil {
			return nil, err
		}
		splits = append(splits, test)
	}

	d := &Dataset{Dir: dir, Kind: KindIDX, Width: w, Height: h, Channels: 1, NumTrain: n}
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
