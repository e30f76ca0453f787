package mnist

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A dataset over the memory budget is refused from its headers, before any
// pixel is read, with an error that names the file, states what it needs
// and the budget, and says how to raise it; one at the budget loads.
func TestMemoryBudget(t *testing.T) {
	files := goodSet(50, 16, 12) // 50 training and 2 test images
	dir := writeSet(t, files)
	train, all := need(50, 16, 12, 1), need(52, 16, 12, 1)
	if train != 50*(5*16*12+1) {
		t.Fatalf("need = %d, want 5 bytes a pixel and 1 a label", train)
	}
	var err error
	allocBytes := allocated(func() { _, err = LoadWith(dir, Options{MaxBytes: train - 1}) })
	for _, want := range []string{filepath.Join(dir, TrainImages+".gz"), "50 images of 16x12", "need 1 MiB", "over the budget of 1 MiB", "--max-data-mb"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("over budget: err = %v, want it to mention %q", err, want)
		}
	}
	if allocBytes > 256<<10 {
		t.Errorf("refusing allocated %d bytes", allocBytes)
	}
	_, err = LoadWith(dir, Options{MaxBytes: all - 1})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, TestImages)) || !strings.Contains(err.Error(), "with the 50 training images") {
		t.Errorf("train fits, test does not: err = %v, want the test images named", err)
	}
	if d, err := LoadWith(dir, Options{MaxBytes: all}); err != nil || d.Len() != 52 {
		t.Errorf("at the budget: %v", err)
	}
	if max, _ := (Options{}).budget(); max != DefaultMaxBytes() || max <= 0 {
		t.Errorf("zero Options: budget %d, DefaultMaxBytes %d", max, DefaultMaxBytes())
	}
}

// Loading allocates the pixels once, at their exact size, for both splits
// together: no buffer grown by doubling, no copy when the test split is
// appended.
func TestLoadAllocatesOnce(t *testing.T) {
	const n, side = 1000, 64 // 4 MB of pixels
	for _, compressed := range []bool{false, true} {
		files := goodSet(n, side, side)
		if !compressed {
			files[TrainImages] = idx(3, []uint32{n, side, side}, make([]byte, n*side*side))
			delete(files, TrainImages+".gz")
		}
		dir := writeSet(t, files)
		var d *Dataset
		var err error
		allocBytes := allocated(func() { d, err = Load(dir) })
		if err != nil {
			t.Fatal(err)
		}
		data := uint64(len(d.Pixels) + len(d.Labels))
		if allocBytes > data+1<<20 {
			t.Errorf("gzip %v: allocated %.1f MB for %.1f MB of data", compressed, float64(allocBytes)/1e6, float64(data)/1e6)
		}
	}
}

// When a directory holds both NAME and NAME.gz, the raw file is read, the
// Dataset says so, and an error about it says the other exists: the .gz
// must never win silently, least of all when it is the damaged one.
func TestRawAndGzipBoth(t *testing.T) {
	good := goodSet(5, 16, 12)
	raw := idx(3, []uint32{5, 12, 16}, make([]byte, 5*16*12))
	both := func(rawData, gzData []byte) string {
		f := goodSet(5, 16, 12)
		f[TrainImages], f[TrainImages+".gz"] = rawData, gzData
		return writeSet(t, f)
	}

	dir := both(raw, good[TrainImages+".gz"][:20]) // the .gz is damaged
	d, err := Load(dir)
	if err != nil {
		t.Fatalf("raw file good, .gz damaged: %v", err)
	}
	want := []string{filepath.Join(dir, TrainImages), filepath.Join(dir, TrainLabels),
		filepath.Join(dir, TestImages), filepath.Join(dir, TestLabels+".gz")}
	if !slices.Equal(d.Files, want) {
		t.Errorf("Files = %q, want %q", d.Files, want)
	}

	dir = both(raw[:100], good[TrainImages+".gz"]) // the raw file is damaged
	_, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, TrainImages)+": truncated") ||
		!strings.Contains(err.Error(), TrainImages+".gz also exists") {
		t.Errorf("raw file damaged, .gz good: err = %v, want the raw file named and the .gz mentioned", err)
	}
}

func TestFilesListsClasses(t *testing.T) {
	f := goodSet(5, 4, 4)
	f[ClassesFile] = []byte("a\nb\nc\n")
	dir := writeSet(t, f)
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Files) != 5 || d.Files[0] != filepath.Join(dir, TrainImages+".gz") || d.Files[4] != filepath.Join(dir, ClassesFile) {
		t.Errorf("Files = %q", d.Files)
	}
}

// classes.txt is bounded: a file over MaxClassesFileSize is refused before
// it is read whole (the probe's 15 MB file of 256 names of 60 KB cost 1.4
// GB), and a long name is clipped with an ellipsis.
func TestClassesLimits(t *testing.T) {
	names := strings.Repeat(strings.Repeat("x", 60_000)+"\n", 256)
	f := goodSet(5, 4, 4)
	f[ClassesFile] = []byte(names)
	dir := writeSet(t, f)
	var err error
	allocBytes := allocated(func() { _, err = Load(dir) })
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, ClassesFile)+": larger than 64 KiB") {
		t.Errorf("15 MB classes.txt: err = %v", err)
	}
	if allocBytes > 1<<20 {
		t.Errorf("refusing a 15 MB classes.txt allocated %d bytes", allocBytes)
	}

	long := strings.Repeat("é", 100)
	f[ClassesFile] = []byte(strings.Repeat("y", MaxClassesFileSize-len(long)-8) + "\n" + long + "\n  c  \n")
	d, err := Load(writeSet(t, f))
	if err != nil {
		t.Fatalf("a classes.txt of exactly %d bytes: %v", MaxClassesFileSize, err)
	}
	want := []string{strings.Repeat("y", 39) + "…", strings.Repeat("é", 39) + "…", "c"}
	if !slices.Equal(d.Classes, want) {
		t.Errorf("Classes = %q, want %q", d.Classes, want)
	}
	if got := clipName("ab" + strings.Repeat(" ", 50) + "c"); got != "ab…" {
		t.Errorf("clipName keeps the space before its ellipsis: %q", got)
	}
}

func TestName(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "pkg", "mod", "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-x", "data")
	wd, _ := os.Getwd()
	for dir, want := range map[string]string{
		"":                        "dataset",
		cache:                     "MNIST",
		"/src/GoMNIST/data":       "MNIST", // a directory replacing the module
		"/data/fashion-mnist":     "fashion-mnist",
		"/data/fashion-mnist/":    "fashion-mnist",
		"/somewhere/else/data":    "data",
		".":                       filepath.Base(wd),
		"../" + filepath.Base(wd): filepath.Base(wd),
	} {
		if got := (&Dataset{Dir: dir}).Name(); got != want {
			t.Errorf("Name of %q = %q, want %q", dir, got, want)
		}
	}
	if dir, err := DefaultDir(); err == nil {
		if got := (&Dataset{Dir: dir}).Name(); got != "MNIST" {
			t.Errorf("Name of DefaultDir %s = %q", dir, got)
		}
	}
}
