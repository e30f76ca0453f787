package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// task is one piece of background work with a result of type T: a layout
// ([]float32), the neighbour graph ([]int32) or a click's neighbour query.
// It is the app's one hand-off mechanism: the work runs in its own
// goroutine and publishes progress, snapshots and its result into a
// mailbox that the GL loop reads once per frame without blocking
// (status). It never touches GL. Cancel stops the work through its
// context; a cancelled task publishes nothing more.
type task[T any] struct {
	name   string
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed once the mailbox holds the outcome

	mu sync.Mutex
	st taskStatus[T]
}

// taskStatus is a copy of a task's mailbox.
type taskStatus[T any] struct {
	progress  projection.Progress
	snap      T   // latest snapshot; the result once final
	seq       int // bumped on each new snap; 0 before the first
	done      bool
	final     bool // snap is the finished result
	fromCache bool // the result came from the layout cache
	err       error
	elapsed   time.Duration
}

// work is what a task runs. It returns the result and whether it came from
// the cache; it may publish progress and snapshots through t meanwhile.
type work[T any] func(ctx context.Context, t *task[T]) (res T, fromCache bool, err error)

// faultEnv names the environment variable that makes the task of that name
// panic, for the robustness test.
const faultEnv = "MNIST_EXPLORER_FAULT"

// startTask runs w in the background under a context derived from parent.
// A panic in w is recovered and reported as the task's error.
func startTask[T any](parent context.Context, name string, w work[T]) *task[T] {
	ctx, cancel := context.WithCancel(parent)
	t := &task[T]{name: name, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	go t.run(w)
	return t
}

func (t *task[T]) run(w work[T]) {
	start := time.Now()
	var (
		res       T
		fromCache bool
		err       error
	)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s crashed: %v", t.name, r)
		}
		t.mu.Lock()
		defer close(t.done)
		defer t.mu.Unlock()
		if t.ctx.Err() != nil && err == nil {
			err = t.ctx.Err()
		}
		t.st.done, t.st.err, t.st.fromCache, t.st.elapsed = true, err, fromCache, time.Since(start)
		if err == nil {
			t.st.snap, t.st.final = res, true
			t.st.seq++
		}
	}()
	if os.Getenv(faultEnv) == t.name {
		panic("injected fault (" + faultEnv + ") in " + t.name)
	}
	res, fromCache, err = w(t.ctx, t)
}

// status returns a copy of the mailbox.
func (t *task[T]) status() taskStatus[T] {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.st
}

// Done returns a channel closed once the task has finished (its status
// then says how).
func (t *task[T]) Done() <-chan struct{} { return t.done }

// Cancel stops the work; the task then finishes with the context's error.
func (t *task[T]) Cancel() { t.cancel() }

// setProgress publishes how far the work is.
func (t *task[T]) setProgress(p projection.Progress) {
	t.mu.Lock()
	t.st.progress = p
	t.mu.Unlock()
}

// publish replaces the latest snapshot. snap must not be mutated afterwards.
func (t *task[T]) publish(snap T) {
	t.mu.Lock()
	t.st.snap = snap
	t.st.seq++
	t.mu.Unlock()
}

// hooks returns projection hooks that publish progress, and, for layouts,
// a copy of each snapshot.
func (t *task[T]) hooks(snapshot func(pos []float32)) *projection.Hooks {
	h := &projection.Hooks{Progress: t.setProgress}
	if snapshot != nil {
		h.Snapshot = func(pos []float32, _ int) { snapshot(pos) }
		h.SnapshotEvery = 5
	}
	return h
}

// layoutHooks are the hooks of a layout task: progress, and a copy of each
// snapshot so the loop can show the layout while it forms.
func layoutHooks(t *task[[]float32]) *projection.Hooks {
	return t.hooks(func(pos []float32) { t.publish(append([]float32(nil), pos...)) })
}

// fraction returns the task's progress in [0, 1].
func (st *taskStatus[T]) fraction() float64 {
	if st.progress.Total <= 0 {
		return 0
	}
	return min(1, float64(st.progress.Done)/float64(st.progress.Total))
}

// running reports whether t was started and has not finished.
func running[T any](t *task[T]) bool { return t != nil && !t.status().done }
