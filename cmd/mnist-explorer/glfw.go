package main

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// glfwCall runs f, turning what go-gl/glfw reports out of band into an
// error: it logs platform errors (no display, no GLX) through the standard
// logger and panics on "not initialized", so both are captured here.
func glfwCall(f func() error) (err error) {
	var buf bytes.Buffer
	out, flags := log.Writer(), log.Flags()
	log.SetOutput(&buf)
	log.SetFlags(0)
	defer func() {
		log.SetOutput(out)
		log.SetFlags(flags)
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if msg := strings.TrimSpace(buf.String()); msg != "" {
			if err == nil {
				err = errors.New(msg)
			} else {
				err = fmt.Errorf("%s; %w", msg, err)
			}
		}
	}()
	return f()
}

// openWindow initialises GLFW and opens a w x h window with an OpenGL 3.3
// core context, made current on this thread.
func openWindow(w, h int, title string) (*glfw.Window, error) {
	if err := glfwCall(glfw.Init); err != nil {
		return nil, fmt.Errorf("cannot open a window: no usable display (%s); run it on a desktop session or under xvfb-run", oneLine(err))
	}
	var win *glfw.Window
	err := glfwCall(func() error {
		glfw.WindowHint(glfw.ContextVersionMajor, 3)
		glfw.WindowHint(glfw.ContextVersionMinor, 3)
		glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
		glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
		glfw.WindowHint(glfw.Resizable, glfw.True)
		glfw.WindowHint(glfw.ScaleToMonitor, glfw.True)
		var err error
		win, err = glfw.CreateWindow(w, h, title, nil, nil)
		if err == nil && win == nil {
			err = errors.New("no window")
		}
		return err
	})
	if err != nil {
		glfw.Terminate()
		return nil, fmt.Errorf("cannot create an OpenGL 3.3 core window: this display's driver does not offer OpenGL 3.3 core (%s)", oneLine(err))
	}
	win.MakeContextCurrent()
	return win, nil
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
