//go:build unix

package projection

import (
	"syscall"
	"unsafe"
)

// allocBytes returns n zero bytes outside the Go heap (an anonymous
// mapping) and the function that unmaps them, or, where mapping fails,
// heap bytes and a no-op. NN-descent's byte copy of the rows (55 MB for
// MNIST) lives only during the search: on the heap it would raise the GC's
// goal, and the process's peak memory, for the rest of a UMAP run; mapped,
// it is returned to the system when the search ends. Nothing may use the
// bytes after release.
func allocBytes(n int) (b []byte, release func()) {
	if n <= 0 {
		return nil, func() {}
	}
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), func() {}
	}
	adviseHuge(unsafe.Pointer(unsafe.SliceData(b)), uintptr(n)) // see makeHuge
	return b, func() { _ = syscall.Munmap(b) }
}
