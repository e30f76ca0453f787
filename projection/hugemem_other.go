//go:build !linux

package projection

import "unsafe"

// adviseHuge does nothing off Linux.
func adviseHuge(p unsafe.Pointer, size uintptr) {}
