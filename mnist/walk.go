package mnist

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// imageExts are the file name extensions read as images (any case).
var imageExts = []string{".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".bmp", ".tif", ".tiff", ".webp"}

// Bounds of a folder's search: how deep below its root folders are read,
// and how many folders in all (symbolic links to folders that are not
// loops can still make a tree of links grow without end).
const (
	maxDepth   = 32
	maxFolders = 1 << 20
)

// isImageName reports whether name has an image file extension.
func isImageName(name string) bool {
	return slices.Contains(imageExts, strings.ToLower(filepath.Ext(name)))
}

// imageFile is one image file found under a folder's root.
type imageFile struct {
	rel   string // path from the root, slash-separated
	group string // its top folder under the root (the class), "" for files in the root
	dir   string // its folder, relative to the root, slash-separated ("" for the root)
	path  string // the path to open
	size  int64  // -1 when it could not be read
	mtime time.Time
}

// fileStamp is what the thumbnail cache's key takes from a file's stat:
// its size and modification time.
type fileStamp struct {
	size  int64
	mtime time.Time
}

// walker lists the image files under a root, following symbolic links, and
// records what it cannot use.
type walker struct {
	files   []imageFile
	skips   []Skip
	folders int
}

// listImages returns the image files under root (recursively, hidden
// names skipped) in the order of torchvision's ImageFolder: by top folder,
// then folder path, then file name, with the root's own files first.
// Anything with an image name that is not a readable regular file, a
// folder that cannot be read and a symbolic link that cannot be followed
// or leads back to a folder being read (a loop) go into skips. Files the
// listing says are regular are not stated: their size and modification
// time come from the probe's fstat of the open file (see probe).
func listImages(root string) ([]imageFile, []Skip, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	w := &walker{}
	w.dir(root, "", []os.FileInfo{st})
	slices.SortFunc(w.files, func(a, b imageFile) int {
		return cmp.Or(strings.Compare(a.group, b.group), strings.Compare(a.dir, b.dir), strings.Compare(a.rel, b.rel))
	})
	return w.files, w.skips, nil
}

func (w *walker) skip(p, format string, args ...any) {
	w.skips = append(w.skips, Skip{Path: p, Reason: fmt.Sprintf(format, args...)})
}

// dir lists the folder at p (rel from the root); parents holds the folders
// from the root down to p, to recognise a link back to one of them.
func (w *walker) dir(p, rel string, parents []os.FileInfo) {
	entries, err := os.ReadDir(p)
	if err != nil {
		w.skip(p, "folder not read: %v", unwrapPath(err))
	}
	if len(w.files)+len(entries) > cap(w.files) { // at least doubled: few copies
		w.files = slices.Grow(w.files, max(len(entries), len(w.files)))
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		full, r := filepath.Join(p, name), path.Join(rel, name)
		if e.Type().IsRegular() { // known from the listing: stated by the probe's fstat
			if isImageName(name) {
				w.files = append(w.files, newImageFile(full, r, rel, nil))
			}
			continue
		}
		info, err := os.Stat(full) // follows a symbolic link
		if err != nil {
			if e.Type()&fs.ModeSymlink != 0 {
				w.skip(full, "symbolic link not followed: %v", unwrapPath(err))
			} else if isImageName(name) {
				w.skip(full, "not read: %v", unwrapPath(err))
			}
			continue
		}
		switch {
		case info.IsDir() && isImageName(name):
			w.skip(full, "a folder, not an image file")
		case info.IsDir():
			if slices.ContainsFunc(parents, func(q os.FileInfo) bool { return os.SameFile(q, info) }) {
				w.skip(full, "a symbolic link back to a folder above it (a loop), not followed")
			} else if len(parents) > maxDepth {
				w.skip(full, "more than %d folders deep, not read", maxDepth)
			} else if w.folders++; w.folders > maxFolders {
				w.skip(full, "more than %d folders in all, not read", maxFolders)
			} else {
				w.dir(full, r, append(parents[:len(parents):len(parents)], info))
			}
		case !isImageName(name):
		case !info.Mode().IsRegular():
			w.skip(full, "not a regular file (%s)", fileKind(info.Mode()))
		default:
			w.files = append(w.files, newImageFile(full, r, rel, info))
		}
	}
}

// newImageFile describes the image file at full, r from the root in the
// folder rel; info is its stat, or nil when it is still to be read (size
// -1). The probe replaces either with the fstat of the file it reads.
func newImageFile(full, r, rel string, info os.FileInfo) imageFile {
	group, _, _ := strings.Cut(r, "/")
	if group == r {
		group = ""
	}
	f := imageFile{rel: r, group: group, dir: rel, path: full, size: -1}
	if info != nil {
		f.size, f.mtime = info.Size(), info.ModTime()
	}
	return f
}

// unwrapPath returns the cause of a *fs.PathError, whose path the caller
// already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
