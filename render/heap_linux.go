//go:build linux && cgo

package render

/*
#include <malloc.h>

// render_heap_keep asks glibc's malloc to keep up to bytes of free memory at
// the top of its heap instead of returning it to the system. It returns 1
// on success and 0 where there is no such setting (another C library).
static int render_heap_keep(int bytes) {
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
	return mallopt(M_TRIM_THRESHOLD, bytes);
#else
	(void)bytes;
	return 0;
#endif
}
*/
import "C"

// setHeapKeep sets glibc's M_TRIM_THRESHOLD to bytes and reports whether it
// could.
func setHeapKeep(bytes int) bool { return C.render_heap_keep(C.int(bytes)) == 1 }
