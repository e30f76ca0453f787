package mnist

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The kinds of source Open reads, as Dataset.Kind names them.
const (
	KindIDX    = "idx"
	KindNPY    = "npy"
	KindNPZ    = "npz"
	KindFolder = "folder"
)

// source is one kind of dataset Open can read: adding a kind is one entry
// in sources.
type source struct {
	kind   string
	expect string                                 // what it looks like, for Open's error
	match  func(path string, st fs.FileInfo) bool // whether path is of this kind
	open   func(context.Context, string, Options) (*Dataset, error)
}

// sources are tried in order; the first that matches reads the path.
var sources = []source{
	{KindIDX, "a folder of IDX files (" + TrainImages + "[.gz] and " + TrainLabels + "[.gz], optionally the t10k- test files)",
		func(p string, st fs.FileInfo) bool {
			_, _, err := findFile(p, TrainImages)
			return st.IsDir() && err == nil
		}, openIDXDir},
	{KindNPY, "a NumPy .npy array of images (N x H x W or N x H x W x C, uint8 or float in [0, 1])",
		hasExt(".npy"), openNPY},
	{KindNPZ, "a NumPy .npz archive (x_train, y_train, x_test, y_test as Keras' mnist.npz, or an image array and a labels array)",
		hasExt(".npz"), openNPZ},
	{KindParquet, "a Parquet file (" + parquetExt + ") with a column of PNG or JPEG bytes, or a folder of them (shards such as train-00000-of-00002.parquet)",
		isParquet, openParquet},
	{KindFolder, "a folder of image files (" + formats + "), in class folders or not",
		func(_ string, st fs.FileInfo) bool { return st.IsDir() }, openFolder},
}

// hasExt returns a match for regular files whose name ends in ext.
func hasExt(ext string) func(string, fs.FileInfo) bool {
	return func(p string, st fs.FileInfo) bool {
		return !st.IsDir() && strings.EqualFold(filepath.Ext(p), ext)
	}
}

// Open reads the dataset at path with o: see OpenContext.
func Open(path string, o Options) (*Dataset, error) {
	return OpenContext(context.Background(), path, o)
}

// OpenContext reads the dataset at path, detecting its kind (Dataset.Kind
// says which), and stops early when ctx is cancelled:
//
//   - A folder holding IDX files: LoadWith, as always.
//   - A .npy file: images of shape N x H x W (grey), N x H x W x C (C = 1
//     grey; 3 RGB or 4 RGBA, made RGBA) or N x D with D a square (grey
//     D = S x S), of uint8 or float32/float64 in [0, 1] (other values are
//     refused). Labels come from o.Labels (.npy of integers 0..255, or a
//     CSV: see Options.Labels); without one the data is unlabelled.
//   - A .npz archive: Keras' mnist.npz layout (x_train, y_train, x_test,
//     y_test) gives the split (NumTrain = len(x_train)); any other archive
//     gives its first image-shaped array and the first integer array with
//     one value per image as labels.
//   - Any other folder: its image files (PNG 8/16-bit, palette, grey and
//     alpha; JPEG with its EXIF orientation applied; GIF, BMP, TIFF, WebP),
//     searched recursively, following symbolic links, skipping names that
//     start with a dot. As in torchvision's ImageFolder, the first folder
//     under the root names the class (root/cat/x/001.png is "cat"), classes
//     are sorted by name, and rows come in sorted path order (class
//     folder, then folder path, then file name); files in the root itself
//     are unlabelled and come first. A labels file in the root,
//     labels.csv (or labels.tsv, or o.Labels), gives path,label[,more...]
//     a row, paths from the root, with an optional header row (path,
//     label, names...): its label replaces the folder's, and its further
//     columns become Columns and Meta. A folder where no file has a label
//     is Unlabelled.
//   - A .parquet file, or a folder holding .parquet files (shards, up to
//     three folders down, and no image files): one row a Parquet row, the
//     image from a binary column of image bytes (PNG, JPEG, ...) or a
//     structure with a binary field "bytes" (Hugging Face's Image
//     feature), the label from an integer column (0..255; -1 or null for
//     none; class names from the Hugging Face ClassLabel in the file's
//     "huggingface" metadata) or a text column; both found or named by
//     o.ImageColumn and o.LabelColumn (see Options). Other scalar columns
//     become Columns and Meta. Shards named for the test split (see
//     findShards: test-00000-of-00001.parquet, test/0000.parquet; also
//     validation) come after the training shards and are the test rows.
//     The images are read row group by row group, a page at a time,
//     decoded on o.Workers goroutines and cached like a folder's; a null,
//     empty or undecodable image is skipped and listed with its file and
//     row. Dataset.Original reads a row's image bytes again.
//
// Array and folder images are fitted into square cells of side o.Cell
// (see Options.Cell and CellFor); a folder is grey (Channels 1) when every
// image is opaque grey, else RGBA. Folder images decode on o.Workers
// goroutines with o.Progress told, and are cached (see Options.NoCache).
//
// Files that cannot be used (unreadable, truncated, corrupt, a header
// claiming more than o.MaxPixels, empty, a folder named like an image, a
// symbolic link loop) and labels rows that cannot (a missing file, a row
// with the wrong number of fields) are listed in Dataset.Skipped with the
// reason; only a folder without one readable image is an error. Array
// files are read whole or refused with an error that names the file and
// what was wrong. Every claimed size is checked against the file and
// o.MaxBytes before anything is allocated for it.
func OpenContext(ctx context.Context, path string, o Options) (*Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("mnist: data: %w", err)
	}
	for _, s := range sources {
		if s.match(path, st) {
			return s.open(ctx, path, o)
		}
	}
	var expect []string
	for _, s := range sources {
		expect = append(expect, s.expect)
	}
	return nil, fmt.Errorf("mnist: %s: not a dataset; expected %s", path, strings.Join(expect, "; or "))
}

// openIDXDir reads an IDX folder with LoadWith.
func openIDXDir(_ context.Context, dir string, o Options) (*Dataset, error) {
	if o.Labels != "" {
		return nil, fmt.Errorf("mnist: %s: an IDX dataset has its own labels files; a labels file (%s) is for folders and arrays", dir, o.Labels)
	}
	return LoadWith(dir, o)
}
