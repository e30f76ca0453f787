//go:build !unix

package mnist

import "io"

// readHead reads up to limit bytes from the start of the regular file at
// path into buf (reused when large enough) and returns them with the
// file's size. Anything but a regular file is refused before it is opened.
func readHead(path string, buf []byte, limit int64) ([]byte, int64, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	want := min(st.Size(), limit)
	if int64(cap(buf)) < want {
		buf = make([]byte, want)
	}
	n, err := io.ReadFull(f, buf[:want])
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, 0, err
	}
	return buf[:n], st.Size(), nil
}
