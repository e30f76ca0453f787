//go:build !unix

package projection

// allocBytes returns n zero bytes on the heap and a no-op release (see the
// unix version).
func allocBytes(n int) (b []byte, release func()) {
	return make([]byte, max(n, 0)), func() {}
}
