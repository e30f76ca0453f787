package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readHeadIn, with one dirCache going from folder to folder and back,
// reads each file's own bytes (bounded by the limit) with the size and
// modification time os.Stat gives, and names the path of a file it cannot
// open; the held folder is released by close.
func TestReadHeadIn(t *testing.T) {
	root := t.TempDir()
	var paths []string
	for _, rel := range []string{"a/1.png", "a/2.png", "b/1.png", "a/3.png", "b/c/1.png"} {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+rel), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	d := &dirCache{}
	defer d.close()
	for _, p := range append(paths, paths...) {
		data, st, err := readHeadIn(d, p, nil, 14)
		info, serr := os.Stat(p)
		if err != nil || serr != nil {
			t.Fatal(err, serr)
		}
		rel, _ := filepath.Rel(root, p)
		want := "content of " + filepath.ToSlash(rel)
		if string(data) != want[:14] || st.size != int64(len(want)) || !st.mtime.Equal(info.ModTime()) {
			t.Errorf("%s: %q, %d bytes, %v; want %q, %d, %v", rel, data, st.size, st.mtime, want[:14], len(want), info.ModTime())
		}
	}
	missing := filepath.Join(root, "a", "none.png")
	if _, _, err := readHeadIn(d, missing, nil, 10); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := readHeadIn(d, filepath.Join(root, "a"), nil, 10); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder: %v", err)
	}
}
