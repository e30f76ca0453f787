package mnist

import "runtime"

// Options control how a dataset is loaded. The zero value gives the
// defaults. LoadWith (IDX) uses MaxBytes only; Open uses every field.
type Options struct {
	// MaxBytes is the dataset's memory budget in bytes. The loaders
	// compare it with what the files' headers claim, before they read or
	// allocate any pixel, and refuse a dataset that needs more with an
	// error that states both figures.
	//
	// The budget counts what the data will cost the program, not its size
	// on disk: BytesPerPixel bytes for each pixel value (the uint8 value
	// itself and the float32 copy of it that layout algorithms work on, see
	// Dataset.Rows; a colour pixel has 4 values) and one byte for each
	// label. MNIST's 70,000 images of 28x28 count 262 MiB. It does not
	// cover what an algorithm builds on top (neighbour graphs, PCA's
	// matrices); those check their own needs.
	//
	// 0 (or negative) means DefaultMaxBytes(). The commands set it with
	// --max-data-mb, which the error names.
	MaxBytes int64

	// Cell is the side, in pixels, of the square cell every image of a
	// folder or array is fitted into (aspect kept, centred, padded with
	// transparent black). 0 means chosen by Open: CellFor the image count,
	// no larger than the largest image, and stepped down CellSizes until
	// the dataset fits MaxBytes. Values above MaxImageSide are refused.
	// IDX datasets keep their own size and ignore it.
	Cell int

	// Labels names a labels file that replaces the source's own: for a .npy
	// or .npz array, a .npy of integers or a .csv with one label a row (see
	// ReadLabelsCSV); for a folder, a .csv or .tsv in the labels.csv format
	// (see Open), read instead of the folder's labels.csv. "" means the
	// source's own labels (none for a lone .npy). IDX datasets refuse it.
	Labels string

	// Progress, when not nil, is called as the images of a folder decode
	// (or an array's are read), with the number done and the total; calls
	// never overlap and done only grows. It is called once with (total,
	// total) when a folder's images come from the thumbnail cache. It must
	// not block for long: loading waits for it.
	Progress func(done, total int)

	// Workers is the number of goroutines decoding images (and fitting
	// array images into cells). 0 means runtime.GOMAXPROCS(0). The dataset
	// is the same for any number of workers.
	Workers int

	// MaxPixels is the most pixels (width x height) an image file may
	// claim in its header; a larger claim is skipped, read from the header
	// alone, before any pixel is allocated. 0 means DefaultMaxPixels.
	MaxPixels int64

	// ImageColumn and LabelColumn name a Parquet dataset's image and label
	// columns (compared without case). "" means found: the column Hugging
	// Face's metadata names, else the one column that can hold images (a
	// binary column, or a structure with a binary field "bytes"), and the
	// one integer or text column named like a label (label, class, y,
	// target, ...), none meaning unlabelled. Other sources ignore them.
	ImageColumn, LabelColumn string

	// NoCache turns the thumbnail cache off: a folder's images are decoded
	// every time and nothing is written.
	NoCache bool
	// CacheDir is the thumbnail cache's directory. "" means
	// os.UserCacheDir()/mnist-explorer/thumbs.
	CacheDir string
}

// DefaultMaxPixels is the largest image accepted by default, in pixels:
// 8192 x 8192 (64 Mi pixels, 256 MiB once decoded to 8-bit RGBA).
const DefaultMaxPixels = 8192 * 8192

// maxPixels returns the pixel cap o sets.
func (o Options) maxPixels() int64 {
	if o.MaxPixels > 0 {
		return o.MaxPixels
	}
	return DefaultMaxPixels
}

// workers returns the number of decoding goroutines o asks for.
func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// progress reports done of total when o asks for it.
func (o Options) progress(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}
