// Package render draws the explorer's scene with OpenGL 3.3 core: the camera
// (pure Go), typed GL handles, the instanced sprite renderer and screenshots.
//
// Every GL call in the program lives in this package and must run on the
// thread that owns the current context (the main thread, locked in the
// application's init). The Camera and the PickIndex are plain arithmetic
// and can be used and tested without a context; so are the package's tests
// of them, which run with no display.
//
// A frame of sprites goes through the scene cache (scenecache.go): a still
// frame copies the last picture, a pan shifts it, a zoom scales it (zoom
// drafts, zoomdraft.go), and only other changes draw the sprites again,
// with cheaper shaders (levels of detail) while the scene moves. On a
// software rasteriser the pictures of small sprites are drawn on the CPU
// (CPU drafts, splat.go), the only per-sprite work the package does on the
// CPU; the picture matches the GL one within rounding.
//
// Coordinates: world space has y up; screen space is in framebuffer pixels
// with the origin at the top-left corner and y down. GLFW reports cursor
// positions in window coordinates, so on HiDPI displays scale them by
// framebuffer size / window size before calling Camera methods.
package render
