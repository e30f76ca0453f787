package projection

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// adviseHuge asks for transparent huge pages on the whole 2 MB pages inside
// [p, p+size); a refusal (THP off, an old kernel) only leaves small pages.
func adviseHuge(p unsafe.Pointer, size uintptr) {
	const page = 2 << 20
	lo := (uintptr(p) + page - 1) &^ (page - 1)
	hi := (uintptr(p) + size) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = unix.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, lo-uintptr(p))), hi-lo), unix.MADV_HUGEPAGE)
}
