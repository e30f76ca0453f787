// Package clitest holds what the tests of the commands share: running a
// built binary under a deadline (and a memory limit), checking that a
// refusal is one clear line, building IDX files and reading entries of a Go
// fuzz corpus. Only tests import it.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Builder builds the command in the test's working directory (the package
// under test) once per test run, however many tests ask for it.
type Builder struct {
	once sync.Once
	path string
	err  error
}

// Build returns the path of the built command, building it as name on the
// first call. A failed build fails t, with the compiler's output.
func (b *Builder) Build(t testing.TB, name string) string {
	t.Helper()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", name+"-test")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, name)
		if out, err := exec.Command("go", "build", "-o", b.path, ".").CombinedOutput(); err != nil {
			b.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatalf("building %s: %v", name, b.err)
	}
	return b.path
}

// Result is how one run of a command ended.
type Result struct {
	Code   int    // exit status
	Stderr string // everything it wrote to standard error
	Took   time.Duration
}

// Run runs bin with args, its environment extended by env, and returns how
// it ended. A run still going after timeout is killed and fails t.
func Run(t testing.TB, timeout time.Duration, env []string, bin string, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	r := Result{Stderr: errb.String(), Took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("still running after %v (killed); stderr %q", timeout, r.Stderr)
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// RunLimited is Run with the command's data segment, which bounds the Go
// heap, limited to limit bytes (bash's ulimit -d, RLIMIT_DATA): a run that
// would allocate more dies at once with an out-of-memory error instead of
// slowing the machine, and the test sees it fail. It needs Linux and bash,
// and skips t elsewhere.
func RunLimited(t testing.TB, timeout time.Duration, limit int64, env []string, bin string, args ...string) Result {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("memory limits are tested on Linux")
	}
	sh, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to set a memory limit")
	}
	script := fmt.Sprintf(`ulimit -d %d && exec "$0" "$@"`, limit>>10)
	return Run(t, timeout, env, sh, append([]string{"-c", script, bin}, args...)...)
}

// WantOneLineError fails t unless r is a clean refusal: exit status 1 within
// slow, and one line on standard error that names path, with no panic or
// stack trace.
func WantOneLineError(t testing.TB, r Result, path string, slow time.Duration) {
	t.Helper()
	if r.Code != 1 {
		t.Errorf("exit %d, want 1; stderr %q", r.Code, r.Stderr)
	}
	if !strings.Contains(r.Stderr, path) {
		t.Errorf("stderr %q does not name %s", r.Stderr, path)
	}
	if strings.Contains(r.Stderr, "goroutine") || strings.Contains(r.Stderr, "panic") {
		t.Errorf("stderr has a stack trace: %s", r.Stderr)
	}
	if lines := strings.Count(strings.TrimSpace(r.Stderr), "\n") + 1; lines != 1 {
		t.Errorf("stderr has %d lines, want 1: %q", lines, r.Stderr)
	}
	if r.Took > slow {
		t.Errorf("took %v, want under %v", r.Took, slow)
	}
}

// IDX builds an IDX file of unsigned bytes: the magic number, the
// dimensions (the item count first) and the body as given.
func IDX(dims []uint32, body []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		b.Write([]byte{byte(d >> 24), byte(d >> 16), byte(d >> 8), byte(d)})
	}
	b.Write(body)
	return b.Bytes()
}

// ReadCorpusEntry decodes a one-argument []byte entry of a Go fuzz corpus
// (testdata/fuzz/FuzzXxx/*).
func ReadCorpusEntry(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return nil, errors.New("not a one-argument go fuzz corpus entry")
	}
	lit, ok := strings.CutPrefix(lines[1], "[]byte(")
	lit, ok2 := strings.CutSuffix(lit, ")")
	if !ok || !ok2 {
		return nil, errors.New("not a []byte entry")
	}
	s, err := strconv.Unquote(lit)
	return []byte(s), err
}
