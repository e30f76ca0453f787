package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// Init loads the OpenGL function pointers for the current context and
// checks that it offers at least OpenGL 3.3. Call it once, on the GL thread,
// after making a context current.
//
// On a software rasteriser (Mesa's llvmpipe or softpipe) with glibc it also
// raises malloc's trim threshold to SoftwareHeapKeep: llvmpipe allocates
// and frees its per-frame vertex and bin storage on the C heap, and with
// the default threshold (128 KiB) glibc hands that memory back to the
// system after every frame and takes it again, page fault by page fault,
// on the next: a frame of 70,000 sprites spent most of its time there (see
// BENCHMARKS.md). The cost is up to that much freed C memory kept mapped.
func Init() error {
	if err := gl.Init(); err != nil {
		return fmt.Errorf("render: loading OpenGL functions: %w", err)
	}
	version := gl.GoStr(gl.GetString(gl.VERSION))
	renderer := gl.GoStr(gl.GetString(gl.RENDERER))
	if err := checkVersion(version, renderer); err != nil {
		return err
	}
	softwareGL = isSoftware(renderer)
	if softwareGL {
		setHeapKeep(SoftwareHeapKeep)
	}
	return nil
}

// SoftwareHeapKeep is the malloc trim threshold Init sets on a software
// rasteriser: 256 MiB, above what llvmpipe frees per frame at 1,000,000
// sprites.
const SoftwareHeapKeep = 256 << 20

// isSoftware reports whether a GL_RENDERER string names one of Mesa's CPU
// rasterisers.
func isSoftware(renderer string) bool {
	r := strings.ToLower(renderer)
	return strings.Contains(r, "llvmpipe") || strings.Contains(r, "softpipe") || strings.Contains(r, "software rasterizer")
}

// checkVersion returns an error unless the GL_VERSION string reports 3.3
// or later.
func checkVersion(version, renderer string) error {
	major, minor, ok := parseVersion(version)
	if !ok {
		return fmt.Errorf("render: cannot read the OpenGL version from %q (%s)", version, renderer)
	}
	if major < 3 || major == 3 && minor < 3 {
		return fmt.Errorf("render: OpenGL 3.3 core is required, this driver offers %d.%d (%s)",
			major, minor, renderer)
	}
	return nil
}

// parseVersion reads "major.minor" from the start of a GL_VERSION string
// such as "4.5 (Core Profile) Mesa 24.2.8" or "OpenGL ES 3.2 ...".
func parseVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimPrefix(s, "OpenGL ES ")
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ' ' })
	if len(f) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(f[0])
	minor, err2 := strconv.Atoi(f[1])
	return major, minor, err1 == nil && err2 == nil
}

// Clear sets the viewport to w x h framebuffer pixels and clears the colour
// buffer to (r, g, b) with alpha 1.
func Clear(w, h int, r, g, b float32) {
	gl.Viewport(0, 0, int32(w), int32(h))
	gl.ClearColor(r, g, b, 1)
	gl.Clear(gl.COLOR_BUFFER_BIT)
}

// glError returns the oldest pending GL error, if any, as an error naming op.
func glError(op string) error {
	if e := gl.GetError(); e != gl.NO_ERROR {
		return fmt.Errorf("render: %s: GL error 0x%04X", op, e)
	}
	return nil
}

// getInt returns a single-valued glGetIntegerv query.
func getInt(pname uint32) int {
	var v int32
	gl.GetIntegerv(pname, &v)
	return int(v)
}

// Finish blocks until all GL commands issued so far have completed (for
// timing frames).
func Finish() { gl.Finish() }
