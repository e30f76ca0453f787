//go:build !linux

package mnist

import "io"

// readHead reads up to limit bytes from the start of the regular file at
// path into buf (reused when large enough) and returns them with the
// file's size and modification time (see the unix version). Anything but a regular file is refused before it is opened.
func readHead(path string, buf []byte, limit int64) ([]byte, fileStamp, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, fileStamp{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fileStamp{}, err
	}
	want := min(st.Size(), limit)
	if int64(cap(buf)) < want {
		buf = make([]byte, want)
	}
	n, err := io.ReadFull(f, buf[:want])
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fileStamp{}, err
	}
	return buf[:n], fileStamp{st.Size(), st.ModTime()}, nil
}

// dirCache stands for the linux version's, which opens the files of a
// folder relative to it; here files are opened by their paths.
type dirCache struct{}

func (*dirCache) close() {}

// readHeadIn is readHead (see the linux version).
func readHeadIn(_ *dirCache, path string, buf []byte, limit int64) ([]byte, fileStamp, error) {
	return readHead(path, buf, limit)
}

// adviseHuge does nothing here (see the linux version).
func adviseHuge([]byte) {}
