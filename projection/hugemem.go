package projection

import "unsafe"

// hugeMin is the smallest allocation makeHuge advises: below it a few huge
// pages at most would be gained.
const hugeMin = 8 << 20

// makeHuge returns make([]T, n); when the slice is large, its memory is
// first advised to be backed by transparent huge pages (on Linux, when the
// system allows them on request: /sys/kernel/mm/transparent_hugepage
// "madvise", the common default). The first touch of fresh memory then
// faults once per 2 MB instead of once per 4 KB. On the 2-vCPU virtual
// machine of BENCHMARKS.md, where a fault is dear, filling the fresh 220 MB
// matrix of MNIST took 0.5-0.9 s instead of 1.0-1.9 s in UMAP runs (and a
// lone 220 MB array 50-60 ms instead of 830-890 ms when the pages had been
// used before). The slice's zero values and the garbage collector's view
// of it are unchanged.
func makeHuge[T any](n int) []T {
	s := make([]T, n)
	var zero T
	if size := uintptr(n) * unsafe.Sizeof(zero); size >= hugeMin {
		adviseHuge(unsafe.Pointer(unsafe.SliceData(s)), size)
	}
	return s
}
