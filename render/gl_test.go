package render

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// GLFW must be initialised and windows created on the main thread: TestMain
// keeps it, runs the tests on another goroutine and does onMain's work.
func init() { runtime.LockOSThread() }

// The shared hidden test window, opened by the first test that calls needGL,
// and why it could not be made, if so. Tests that never call needGL (the
// camera, the pick index, glyph layout) run with no display and never
// touch GLFW.
var (
	glOnce             sync.Once
	glfwUp             bool
	testWindow         *glfw.Window
	testGLErr          error
	testFBW, testFBH   int
	testWinW, testWinH = 1280, 800
)

// mainCalls carries work to the main thread (see onMain).
var mainCalls = make(chan func())

func TestMain(m *testing.M) {
	done := make(chan int)
	go func() { done <- m.Run() }()
	for {
		select {
		case f := <-mainCalls:
			f()
		case code := <-done:
			if testWindow != nil {
				testWindow.Destroy()
			}
			if glfwUp {
				glfw.Terminate()
			}
			os.Exit(code)
		}
	}
}

// onMain runs f on the main thread and waits for it.
func onMain(f func()) {
	ran := make(chan struct{})
	mainCalls <- func() { f(); close(ran) }
	<-ran
}

// openTestWindow makes a hidden 1280x800 window with a 3.3 core context,
// loads GL, then releases the context so test goroutines can take it. It
// runs on the main thread.
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

// needGL makes the shared test window's context current on the calling
// goroutine's thread for the rest of the test, opening the window on first
// use. Subbenchmarks run on other goroutines: use runGL for them. Without
// a context it fails the test, never skips it: a GL test that cannot run
// has not passed. Pure tests do not call it and need no display.
func needGL(tb testing.TB) {
	tb.Helper()
	glOnce.Do(func() {
		onMain(func() { testGLErr = openTestWindow() })
		if testGLErr != nil && os.Getenv("DISPLAY") == "" {
			testGLErr = fmt.Errorf("%w; DISPLAY is not set", testGLErr)
		}
	})
	if testGLErr != nil {
		tb.Fatalf("this test draws with OpenGL and no 3.3 core context could be made (%v); "+
			"run it under xvfb-run -a, or select the pure tests with -run", testGLErr)
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
// current elsewhere would silently turn every GL call into a no-op). The
// caller must have called needGL.
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
