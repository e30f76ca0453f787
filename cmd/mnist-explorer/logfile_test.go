package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenLogDefaultsToStateDirWithoutATerminal(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	var stderr bytes.Buffer // not a terminal, as under a desktop launcher
	w, path, closeLog, err := openLog("", &stderr, []string{"--layout", "pca"})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(state, "mnist-explorer", "mnist-explorer.log")
	if path != want {
		t.Fatalf("log at %q, want %q", path, want)
	}
	fmt.Fprintln(w, "mnist-explorer: something failed")
	if err := closeLog(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "mnist-explorer --layout pca\n") || !strings.HasSuffix(string(b), "something failed\n") {
		t.Errorf("log holds %q", b)
	}
	if !strings.Contains(stderr.String(), "something failed") {
		t.Errorf("stderr did not get the message too: %q", stderr.String())
	}
}

func TestOpenLogDashAndRotation(t *testing.T) {
	var stderr bytes.Buffer
	w, path, _, err := openLog("-", &stderr, nil)
	if err != nil || w != &stderr || path != "" {
		t.Errorf(`"-": got %v, %q, %v; want stderr only`, w, path, err)
	}
	path = filepath.Join(t.TempDir(), "sub", "app.log")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, bytes.Repeat([]byte("x"), maxLogSize+1), 0o644)
	_, got, closeLog, err := openLog(path, &stderr, nil)
	if err != nil || got != path {
		t.Fatalf("got %q, %v", got, err)
	}
	closeLog()
	if st, err := os.Stat(path + ".1"); err != nil || st.Size() != maxLogSize+1 {
		t.Errorf("old log not rotated: %v", err)
	}
	if st, _ := os.Stat(path); st.Size() > 200 {
		t.Errorf("new log is %d bytes", st.Size())
	}
	if _, _, _, err := openLog(filepath.Join(path, "x.log"), &stderr, nil); err == nil || !strings.Contains(err.Error(), "--log-file") {
		t.Errorf("log below a file: err = %v", err)
	}
}

func TestShowFatalUsesADialogProgram(t *testing.T) {
	bin := t.TempDir()
	out := filepath.Join(bin, "args")
	script := "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > " + out + "\n"
	if err := os.WriteFile(filepath.Join(bin, "zenity"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("DISPLAY", ":99")
	if err := showFatal("mnist: /data/x: truncated", "/tmp/app.log"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if !strings.Contains(string(b), "--error") || !strings.Contains(string(b), "truncated") || !strings.Contains(string(b), "/tmp/app.log") {
		t.Errorf("zenity got %q", b)
	}
	t.Setenv("PATH", t.TempDir())
	if err := showFatal("x", ""); err != errNoDialog {
		t.Errorf("no dialog program: err = %v", err)
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if err := showFatal("x", ""); err == nil {
		t.Error("no display: no error")
	}
}

func TestOpenLogRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	_, _, _, err := openLog(dir, new(bytes.Buffer), nil)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("err = %v, want a refusal that names %s as a directory", err, dir)
	}
}
