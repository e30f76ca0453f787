package render

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// GLFW must be initialised and windows created on the main thread.
func init() { runtime.LockOSThread() }

// The shared hidden test window and why it could not be made, if so.
var (
	glfwUp             bool
	testWindow         *glfw.Window
	testGLErr          error
	testFBW, testFBH   int
	testWinW, testWinH = 1280, 800
)

func TestMain(m *testing.M) {
	testGLErr = openTestWindow()
	code := m.Run()
	if testWindow != nil {
		testWindow.Destroy()
	}
	if glfwUp {
		glfw.Terminate()
	}
	os.Exit(code)
}

// openTestWindow makes a hidden 1280x800 window with a 3.3 core context,
// loads GL, then releases the context so test goroutines can take it.
func openTestWindow() (err error) {
	if err := glfw.Init(); err != nil {
		return fmt.Errorf("glfw.Init: %w", err)
	}
	glfwUp = true
	defer func() {
		if r := recover(); r != nil { // go-gl/glfw panics on some errors
			err = fmt.Errorf("glfw: %v", r)
		}
	}()
	glfw.WindowHint(glfw.ContextVersionMajor, 3)
	glfw.WindowHint(glfw.ContextVersionMinor, 3)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	glfw.WindowHint(glfw.Visible, glfw.False)
	w, err := glfw.CreateWindow(testWinW, testWinH, "render test", nil, nil)
	if err != nil {
		return fmt.Errorf("glfw.CreateWindow: %w", err)
	}
	if w == nil {
		return errors.New("glfw.CreateWindow returned no window")
	}
	testWindow = w
	w.MakeContextCurrent()
	if err := Init(); err != nil {
		return err
	}
	testFBW, testFBH = w.GetFramebufferSize()
	glfw.DetachCurrentContext()
	return nil
}

// withGL makes the test window's context current on the calling goroutine's
// thread for the rest of the test. Subtests run on other goroutines: use
// runGL for them. Without a context it fails the test when
// CI is set, and skips it only when CI is unset and there is no DISPLAY.
func withGL(tb testing.TB) {
	tb.Helper()
	if testGLErr != nil {
		if os.Getenv("CI") == "" && os.Getenv("DISPLAY") == "" {
			tb.Skipf("no display for an OpenGL context: %v", testGLErr)
		}
		tb.Fatalf("no OpenGL 3.3 core context: %v", testGLErr)
	}
	runtime.LockOSThread()
	testWindow.MakeContextCurrent()
	tb.Cleanup(func() {
		glfw.DetachCurrentContext()
		runtime.UnlockOSThread()
	})
}

// runGL runs f as sub-benchmark name with the GL context moved to the
// sub-benchmark's goroutine (b.Run uses a new goroutine, on which a context
// current elsewhere would silently turn every GL call into a no-op).
func runGL(b *testing.B, name string, f func(b *testing.B)) {
	b.Helper()
	glfw.DetachCurrentContext()
	b.Run(name, func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		testWindow.MakeContextCurrent()
		defer glfw.DetachCurrentContext()
		f(b)
	})
	testWindow.MakeContextCurrent()
}
