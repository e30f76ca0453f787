// Package atomicfile writes files so that a reader, or the file system after
// a crash or kill -9, sees either the old content or the new, never a part
// of it: the new content goes to a temporary file beside the target, is
// synced to disk, and is renamed over the target.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Mode is the permission bits of every file written (set explicitly, so
// the umask does not apply; a temporary file would otherwise keep 0600).
const Mode = 0o644

// syncFile syncs a file to disk; tests replace it to observe the call.
var syncFile = (*os.File).Sync

// Write writes path atomically with what fill writes to the writer it is
// given (buffered). If fill or any step fails, path is left as it was, the
// temporary file is removed, and the error names path.
func Write(path string, fill func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 64<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(Mode)
	}
	if err == nil {
		err = syncFile(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// WriteBytes writes data to path atomically (see Write).
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir makes a rename in dir durable where the system allows it (not on
// Windows, where a directory cannot be opened for syncing); a failure only
// weakens durability after a power cut, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
