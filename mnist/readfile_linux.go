//go:build linux

package mnist

import (
	"io/fs"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// readHead reads up to limit bytes from the start of the regular file at
// path into buf (reused when large enough) and returns them with the
// file's size and modification time, from the one fstat of the open file
// (which is all the thumbnail cache's key needs: no separate stat). Anything but a regular file is refused without blocking:
// it is opened non-blocking (a named pipe would otherwise block the open)
// and checked with fstat before any read. Going to the system directly
// costs four calls (open, fstat, read, close) where os.Open's poller
// registration costs a dozen, which counts for folders of many small files.
func readHead(path string, buf []byte, limit int64) ([]byte, fileStamp, error) {
	return readHeadIn(nil, path, buf, limit)
}

// readHeadIn is readHead opening path relative to the folder d holds
// (when d is not nil): see dirCache.
func readHeadIn(d *dirCache, path string, buf []byte, limit int64) ([]byte, fileStamp, error) {
	dirfd, name := d.at(path)
	var fd int
	var err error
	for {
		fd, err = syscall.Openat(dirfd, name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, fileStamp{}, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, fileStamp{}, &fs.PathError{Op: "fstat", Path: path, Err: err}
	}
	if m := st.Mode & syscall.S_IFMT; m != syscall.S_IFREG {
		return nil, fileStamp{}, notRegular(path, unixKind(uint32(m)))
	}
	want := min(st.Size, limit)
	if int64(cap(buf)) < want {
		buf = make([]byte, want)
	}
	buf = buf[:want]
	got := 0
	for int64(got) < want {
		n, err := syscall.Read(fd, buf[got:])
		if err == syscall.EINTR || err == syscall.EAGAIN {
			continue
		}
		if err != nil {
			return nil, fileStamp{}, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			break // the file shrank: the decoder reports what is missing
		}
		got += n
	}
	return buf[:got], fileStamp{st.Size, time.Unix(st.Mtim.Unix())}, nil
}

// dirCache holds the folder a goroutine last opened a file in, so that
// the next files in it are opened relative to it (openat): the kernel then
// looks up one name per file, not every folder of its path, which counts
// for folders of many small files. The folder is held by an O_PATH
// descriptor, which asks for what looking up a path asks (search
// permission), so a file opens this way exactly when its path opens. Its
// zero value is ready to use; close releases the folder.
type dirCache struct {
	dir  string
	fd   int
	open bool
}

// at returns the folder descriptor and name to open path by: the held
// folder's, opening path's folder when it is another, or the working
// directory's and path itself when d is nil or the folder cannot be held.
func (d *dirCache) at(path string) (dirfd int, name string) {
	i := strings.LastIndexByte(path, '/')
	if d == nil || i <= 0 {
		return unix.AT_FDCWD, path
	}
	if dir := path[:i]; !d.open || d.dir != dir {
		d.close()
		fd, err := syscall.Open(dir, unix.O_PATH|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != nil {
			return unix.AT_FDCWD, path
		}
		d.dir, d.fd, d.open = dir, fd, true
	}
	return d.fd, path[i+1:]
}

// close releases the held folder, if any.
func (d *dirCache) close() {
	if d.open {
		syscall.Close(d.fd)
		d.open = false
	}
}

// unixKind maps a stat mode's file type to fs.FileMode's.
func unixKind(m uint32) fs.FileMode {
	switch m {
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// adviseHuge asks the kernel to back b with huge pages, where it may: a
// large buffer about to be written through once (a folder's cells) then
// takes one page fault per 2 MiB instead of one per 4 KiB. Only a hint:
// nothing changes where the kernel says no.
func adviseHuge(b []byte) {
	const huge = 2 << 20
	if len(b) < 2*huge {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := int((huge - start%huge) % huge)
	n := (len(b) - skip) / huge * huge
	syscall.Madvise(b[skip:skip+n], syscall.MADV_HUGEPAGE)
}
