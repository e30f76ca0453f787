//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package review

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestNamedPipeIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.review")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	for name, open := range map[string]func(string, Dataset) (*Corrections, error){"Open": Open, "Load": Load} {
		guard(t, name, func() {
			if _, err := open(path, dataset()); err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
				t.Errorf("%s of a named pipe: %v", name, err)
			}
		})
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.review")
	c, err := Open(path, dataset())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, dataset()); err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("second open: %v", err)
	}
	if _, err := Load(path, dataset()); err != nil {
		t.Errorf("Load while open: %v", err)
	}
	c.Close()
	c, err = Open(path, dataset())
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	c.Close()
}

// killEnv names the journal a child process of TestKill9 writes to.
const killEnv = "REVIEW_KILL9_JOURNAL"

// TestKill9 runs the script in a child process (this test binary again),
// kills it with SIGKILL at a random moment, several times over one
// journal, and checks after each kill that the journal loads and holds
// exactly the steps the child had reported done, or one more (the one
// being made when it died).
func TestKill9(t *testing.T) {
	if os.Getenv(killEnv) != "" {
		killChild(t)
		return
	}
	kills := 8
	if testing.Short() {
		kills = 3
	}
	path := filepath.Join(t.TempDir(), "d.review")
	acked := 0
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKill9$", "-test.count=1")
		cmd.Env = append(os.Environ(), killEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The child prints the number of steps done after each; wait for
		// one from this run, then kill it at a random moment.
		steps, first := make(chan int), make(chan bool)
		go func() {
			last, s := -1, bufio.NewScanner(out)
			for s.Scan() {
				n, err := strconv.Atoi(strings.TrimSpace(s.Text()))
				if err != nil {
					continue // the test framework's own output
				}
				if last < 0 {
					close(first)
				}
				last = n
			}
			steps <- last
		}()
		select {
		case <-first:
		case n := <-steps:
			cmd.Wait()
			t.Fatalf("kill %d: child stopped after %d steps before being killed", k, n)
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		n := <-steps
		cmd.Wait()
		if n < acked {
			t.Fatalf("kill %d: child reported %d steps, fewer than the %d before", k, n, acked)
		}
		acked = n

		c, err := Load(path, dataset())
		if err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		got := int(c.ops)
		if got != acked && got != acked+1 {
			t.Fatalf("kill %d: journal holds %d steps, child reported %d done", k, got, acked)
		}
		want := tick(New(dataset()))
		runScript(t, want, 0, got)
		sameState(t, c, want)
		t.Logf("kill %d: after %d steps (%d reported), %d bytes dropped", k, got, acked, c.Dropped())
		acked = got
	}
}

// killChild goes on with the script in the journal named by killEnv,
// printing the number of steps done after each, until it is killed.
func killChild(t *testing.T) {
	c, err := Open(os.Getenv(killEnv), dataset())
	if err != nil {
		t.Fatal(err)
	}
	tick(c)
	w := bufio.NewWriter(os.Stdout)
	for i := int(c.ops); ; i++ {
		if err := scriptStep(c, i); err != nil {
			t.Fatal(err)
		}
		w.WriteString(strconv.Itoa(i+1) + "\n")
		w.Flush()
	}
}
