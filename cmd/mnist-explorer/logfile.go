package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/term"
)

// Where errors go when the app is started from a desktop launcher, which
// gives it no terminal: --log-file and --error-dialog (see the launcher
// entry that make install writes).

// maxLogSize is the size beyond which the log is rotated to PATH.1 at start.
const maxLogSize = 1 << 20

// defaultLogPath returns $XDG_STATE_HOME/mnist-explorer/mnist-explorer.log,
// with XDG_STATE_HOME defaulting to ~/.local/state.
func defaultLogPath() (string, error) {
	state := os.Getenv("XDG_STATE_HOME")
	if !filepath.IsAbs(state) { // unset, or relative: the spec says ignore it
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		state = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(state, "mnist-explorer", "mnist-explorer.log"), nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// checkLogTarget refuses a log path that exists and is not a regular file:
// opening a named pipe with no reader for writing blocks for ever, and a
// device or socket is no log. A missing path is fine (it is created).
func checkLogTarget(path string) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if m := st.Mode(); !m.IsRegular() {
		what := "not a regular file"
		if m&fs.ModeNamedPipe != 0 {
			what = "a named pipe, which would block until something reads it"
		}
		return fmt.Errorf("%s is %s; give a regular file's path, or - for stderr only", path, what)
	}
	return nil
}

// openLog resolves --log-file. It returns the writer for the app's
// messages, the log file's path ("" when there is none) and a function that
// closes it. path "-" means stderr only; "" means stderr when it is a
// terminal and the default log file otherwise. A log file gets everything
// written to stderr too (a launcher may keep stderr in the session
// journal), is appended to, and is rotated to PATH.1 when it has grown past
// maxLogSize. A path that exists and is not a regular file (a named pipe,
// which would block the open until something reads it; a device; a folder)
// is refused with an error that names it. Each run starts with a line that says when and with which
// arguments the app started. The runtime's fatal panics go to the file as
// well (debug.SetCrashOutput).
func openLog(path string, stderr io.Writer, args []string) (w io.Writer, logPath string, closeLog func() error, err error) {
	noop := func() error { return nil }
	if path == "-" || (path == "" && isTerminal(stderr)) {
		return stderr, "", noop, nil
	}
	if path == "" {
		if path, err = defaultLogPath(); err != nil {
			return stderr, "", noop, fmt.Errorf("--log-file: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return stderr, "", noop, fmt.Errorf("--log-file: %w", err)
	}
	if err := checkLogTarget(path); err != nil {
		return stderr, "", noop, fmt.Errorf("--log-file: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > maxLogSize {
		os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return stderr, "", noop, fmt.Errorf("--log-file: %w", err)
	}
	fmt.Fprintf(f, "--- %s mnist-explorer %s\n", time.Now().Format(time.RFC3339), strings.Join(args, " "))
	debug.SetCrashOutput(f, debug.CrashOptions{}) // keeps its own descriptor
	return io.MultiWriter(stderr, f), path, f.Close, nil
}

// errNoDialog means no dialog program could show an error.
var errNoDialog = errors.New("no dialog program (zenity, kdialog, xmessage or notify-send) on PATH")

// showFatal shows msg in a small dialog when a desktop session is there to
// show it, trying zenity, kdialog, xmessage and notify-send in turn. It
// waits until the dialog is closed (notify-send returns at once). logPath,
// when set, is named in the message so the user can find the details.
func showFatal(msg, logPath string) error {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no display for a dialog")
	}
	const title = "MNIST Explorer"
	text := "MNIST Explorer could not start:\n\n" + msg
	if logPath != "" {
		text += "\n\nThe log is in " + logPath
	}
	for _, d := range []struct {
		prog string
		args []string
	}{
		{"zenity", []string{"--error", "--no-markup", "--title", title, "--text", text}},
		{"kdialog", []string{"--title", title, "--error", text}},
		{"xmessage", []string{"-center", "-title", title, text}},
		{"notify-send", []string{"--urgency=critical", "--app-name=mnist-explorer", title, text}},
	} {
		path, err := exec.LookPath(d.prog)
		if err != nil {
			continue
		}
		start := time.Now()
		err = exec.Command(path, d.args...).Run()
		var ee *exec.ExitError
		if err == nil || (errors.As(err, &ee) && time.Since(start) > time.Second) {
			return nil // shown (closing it by the window's button exits non-zero)
		}
	}
	return errNoDialog
}
