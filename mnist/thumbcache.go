package mnist

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The thumbnail cache keeps a folder's decoded cells (thumbs) in one file
// per (file list, cell option, pixel cap): the key hashes every image
// file's path from the root, size and modification time, so that any
// change to the files is a miss. An entry is written atomically (a
// temporary file, then rename) and carries its format version, its key and
// a SHA-256 checksum of everything before it; an entry that does not match
// in every respect is ignored and the folder decoded again. Reading is
// bounded: only a regular file whose size is exactly what its header
// implies, within the memory budget, is read. The newest thumbCacheKeep
// entries are kept; a hit marks its entry as the newest.
const (
	thumbVersion   = 1
	thumbMagic     = "MNXTHMB\x00"
	thumbHeader    = 8 + 4 + 32 + 5*4 // magic, version, key, cell, channels, files, rows, reasons' bytes
	thumbKeep      = 8                // entries kept in the cache directory
	maxReasonBytes = 1000             // a reason is cut to this many bytes in an entry
)

// thumbCache is a directory of entries.
type thumbCache struct{ dir string }

// thumbCacheFor returns o's thumbnail cache, nil when o turns it off or no
// cache directory is known.
func thumbCacheFor(o Options) *thumbCache {
	if o.NoCache {
		return nil
	}
	if o.CacheDir != "" {
		return &thumbCache{o.CacheDir}
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return &thumbCache{filepath.Join(base, "mnist-explorer", "thumbs")}
}

// thumbKey identifies a folder's thumbnails: its files (path from the
// root, size, modification time), the cell Options ask for (0: chosen),
// the memory budget (which may shrink a chosen cell) and the pixel cap,
// which decide what decodes.
func thumbKey(files []imageFile, o Options) [32]byte {
	h := sha256.New()
	budget, _ := o.budget()
	fmt.Fprintf(h, "mnist thumbs v%d\x00cell %d\x00budget %d\x00max %d\x00", thumbVersion, max(o.Cell, 0), budget, o.maxPixels())
	var b [16]byte
	for _, f := range files {
		h.Write([]byte(f.rel))
		binary.LittleEndian.PutUint64(b[0:], uint64(f.size))
		binary.LittleEndian.PutUint64(b[8:], uint64(f.mtime.UnixNano()))
		h.Write(b[:])
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (c *thumbCache) path(key [32]byte) string {
	return filepath.Join(c.dir, hex.EncodeToString(key[:12])+".thumbs")
}

// encodeThumbs serialises t under key.
func encodeThumbs(key [32]byte, t *thumbs) []byte {
	var reasons []byte
	for _, r := range t.reasons {
		r = r[:min(len(r), maxReasonBytes)]
		reasons = binary.LittleEndian.AppendUint16(reasons, uint16(len(r)))
		reasons = append(reasons, r...)
	}
	b := make([]byte, 0, thumbHeader+len(reasons)+len(t.pixels)+sha256.Size)
	b = append(b, thumbMagic...)
	b = binary.LittleEndian.AppendUint32(b, thumbVersion)
	b = append(b, key[:]...)
	for _, v := range []int{t.cell, t.channels, len(t.reasons), t.rows(), len(reasons)} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	b = append(b, reasons...)
	b = append(b, t.pixels...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// get returns the entry for key, made for n files, or an error saying why
// there is none usable. It reads nothing but a regular file of exactly
// the size its header implies, whose pixels fit o's budget.
func (c *thumbCache) get(key [32]byte, n int, o Options) (*thumbs, error) {
	p := c.path(key)
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	hdr := make([]byte, thumbHeader)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, fmt.Errorf("%s: header: %w", p, err)
	}
	u := func(i int) int64 { return int64(binary.LittleEndian.Uint32(hdr[44+4*i:])) }
	cell, ch, files, rows, rlen := u(0), u(1), u(2), u(3), u(4)
	switch {
	case string(hdr[:8]) != thumbMagic || binary.LittleEndian.Uint32(hdr[8:]) != thumbVersion:
		return nil, fmt.Errorf("%s: not a version %d entry", p, thumbVersion)
	case !bytes.Equal(hdr[12:44], key[:]) || files != int64(n) || rows > files:
		return nil, fmt.Errorf("%s: made for other files", p)
	case cell < 1 || cell > MaxImageSide || (ch != 1 && ch != 4) || rlen > files*(2+maxReasonBytes):
		return nil, fmt.Errorf("%s: damaged header", p)
	case st.Size() != thumbHeader+rlen+rows*cell*cell*ch+sha256.Size:
		return nil, fmt.Errorf("%s: %d bytes, not what its header implies", p, st.Size())
	}
	if err := checkBudget(p, o, "cached thumbnails", need(int(rows), int(cell), int(cell), int(ch))); err != nil {
		return nil, err
	}
	data := make([]byte, st.Size())
	copy(data, hdr)
	if _, err := io.ReadFull(f, data[thumbHeader:]); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	body := data[:len(data)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, fmt.Errorf("%s: checksum mismatch", p)
	}
	t := &thumbs{cell: int(cell), channels: int(ch), reasons: make([]string, n)}
	r := body[thumbHeader : thumbHeader+rlen]
	ok := 0
	for i := range t.reasons {
		if len(r) < 2 || len(r) < 2+int(binary.LittleEndian.Uint16(r)) {
			return nil, fmt.Errorf("%s: damaged reasons", p)
		}
		l := int(binary.LittleEndian.Uint16(r))
		t.reasons[i], r = string(r[2:2+l]), r[2+l:]
		if t.reasons[i] == "" {
			ok++
		}
	}
	if len(r) != 0 || int64(ok) != rows {
		return nil, fmt.Errorf("%s: damaged reasons", p)
	}
	t.pixels = body[thumbHeader+rlen:]
	now := time.Now()
	os.Chtimes(p, now, now) // the newest entry is kept longest
	return t, nil
}

// put stores t under key atomically and trims the cache to its newest
// thumbKeep entries. Failures only cost the next start its speed.
func (c *thumbCache) put(key [32]byte, t *thumbs) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	if err := writeFileAtomic(c.path(key), encodeThumbs(key, t)); err != nil {
		return err
	}
	c.trim()
	return nil
}

// trim removes all but the newest thumbKeep entries.
func (c *thumbCache) trim() {
	entries, _ := os.ReadDir(c.dir)
	type entry struct {
		path string
		mod  time.Time
	}
	var es []entry
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() && strings.HasSuffix(e.Name(), ".thumbs") {
			es = append(es, entry{filepath.Join(c.dir, e.Name()), info.ModTime()})
		}
	}
	slices.SortFunc(es, func(a, b entry) int { return b.mod.Compare(a.mod) })
	for _, e := range es[min(len(es), thumbKeep):] {
		os.Remove(e.path)
	}
}

// writeFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed over path, so that readers see the old
// file or the new one, never a torn one.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
