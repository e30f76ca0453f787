//go:build !linux || !cgo

package render

// setHeapKeep does nothing where the C library is not glibc.
func setHeapKeep(bytes int) bool { return false }
