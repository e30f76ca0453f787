package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// fakeLayouts is a layout set whose "pca" finishes at once and whose other
// layouts publish one snapshot and then compute until cancelled; it
// records which works saw their context cancelled.
type fakeLayouts struct {
	mu        sync.Mutex
	cancelled map[string]bool
	started   map[string]int
}

func (f *fakeLayouts) work(e *layoutEntry) work[[]float32] {
	name := e.name
	f.mu.Lock()
	f.started[name]++
	f.mu.Unlock()
	return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
		if name == "pca" {
			return lPCA, false, nil
		}
		t.publish(lUMAP)
		<-ctx.Done()
		f.mu.Lock()
		f.cancelled[name] = true
		f.mu.Unlock()
		return nil, false, ctx.Err()
	}
}

func newFakeSet(t *testing.T) (*fakeLayouts, *layoutSet, *scene) {
	f := &fakeLayouts{cancelled: map[string]bool{}, started: map[string]int{}}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ls := &layoutSet{ctx: ctx, produce: f.work}
	for _, n := range []string{"pca", "umap", "tsne"} {
		ls.entries = append(ls.entries, &layoutEntry{name: n, title: n})
	}
	return f, ls, newScene(&sinkLog{}, render.NewCamera(800, 600), 3, 1)
}

// settle polls ls into sc until the tasks in want are done or have a
// snapshot.
func settle(t *testing.T, ls *layoutSet, sc *scene, want ...int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ls.poll(time.Now(), func(i int, pos []float32) { sc.receive(i, pos, time.Now()) }, nil)
		ok := true
		for _, i := range want {
			ok = ok && ls.entries[i].status.seq > 0
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("layouts %v did not publish", want)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestSwitchingAwayCancelsALayoutNobodyNeeds(t *testing.T) {
	const pca, umap, tsne = 0, 1, 2
	f, ls, sc := newFakeSet(t)
	// Start as the app does: PCA, then the chosen UMAP, which forms on
	// screen (it has a snapshot: it is shown).
	ls.ensure(pca)
	ls.ensure(umap)
	settle(t, ls, sc, pca, umap)
	if name(sc.shown()) != "umap" {
		t.Fatalf("shown %s, want the forming umap", name(sc.shown()))
	}
	// Switch to t-SNE: it has no positions yet, so UMAP stays on screen as
	// its stand-in and keeps computing.
	_, cancelled := switchLayout(sc, ls, tsne, -1, time.Now())
	if len(cancelled) != 0 || ls.entries[umap].task == nil {
		t.Fatalf("switching to t-SNE cancelled %v; UMAP is on screen and must go on", cancelled)
	}
	settle(t, ls, sc, tsne)
	// Now t-SNE is shown; switch to the finished PCA: t-SNE and UMAP are
	// still computing, neither chosen nor shown, so both are cancelled.
	_, cancelled = switchLayout(sc, ls, pca, -1, time.Now())
	if len(cancelled) != 2 {
		t.Fatalf("switching to PCA cancelled %v, want umap and tsne", cancelled)
	}
	waitCancelled(t, f, "umap", "tsne")
	if ls.entries[pca].task == nil {
		t.Error("the finished PCA was dropped")
	}
	if sc.has(umap) || sc.has(tsne) {
		t.Error("the cancelled layouts' partial positions are still kept")
	}
	// Asking for UMAP again starts it afresh.
	switchLayout(sc, ls, umap, -1, time.Now())
	f.mu.Lock()
	n := f.started["umap"]
	f.mu.Unlock()
	if n != 2 {
		t.Errorf("UMAP started %d times, want 2", n)
	}
}

func TestSwitchingKeepsFinishedLayouts(t *testing.T) {
	_, ls, sc := newFakeSet(t)
	ls.ensure(0)
	settle(t, ls, sc, 0)
	for i := 0; i < 3; i++ {
		if _, c := switchLayout(sc, ls, 0, -1, time.Now()); len(c) != 0 {
			t.Fatalf("cancelled %v", c)
		}
	}
	if ls.entries[0].task == nil || !ls.entries[0].status.final {
		t.Error("the finished PCA was cancelled or forgotten")
	}
}

func waitCancelled(t *testing.T, f *fakeLayouts, names ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f.mu.Lock()
		all := true
		for _, n := range names {
			all = all && f.cancelled[n]
		}
		f.mu.Unlock()
		if all {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%v never saw their context cancelled", names)
}

func TestTaskRecoversAPanic(t *testing.T) {
	tk := startTask(context.Background(), "boom", func(context.Context, *task[int]) (int, bool, error) { panic("bad") })
	deadline := time.Now().Add(10 * time.Second)
	for !tk.status().done && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if st := tk.status(); st.err == nil || st.final {
		t.Fatalf("a panicking task reports err %v final %v", st.err, st.final)
	}
}

// A forming layout's snapshots reach the scene at most once per snapGap;
// the first and the final one at once.
func TestSnapshotsAreSpacedButTheFinalIsNot(t *testing.T) {
	step, final := make(chan []float32), make(chan []float32)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ls := &layoutSet{ctx: ctx, snapGap: time.Second, produce: func(*layoutEntry) work[[]float32] {
		return func(ctx context.Context, tk *layoutTask) ([]float32, bool, error) {
			for {
				select {
				case p := <-step:
					tk.publish(p)
					step <- nil // published
				case p := <-final:
					return p, false, nil
				}
			}
		}
	}}
	ls.entries = []*layoutEntry{{name: "umap"}}
	ls.ensure(0)
	var got [][]float32
	poll := func(now time.Time) {
		ls.poll(now, func(_ int, pos []float32) { got = append(got, pos) }, nil)
	}
	publish := func(p []float32) { step <- p; <-step }
	t0 := time.Now()
	a, b, c, d := []float32{1, 1}, []float32{2, 2}, []float32{3, 3}, []float32{4, 4}
	publish(a)
	poll(t0)
	publish(b)
	poll(t0.Add(500 * time.Millisecond)) // too soon: b waits
	if len(got) != 1 || got[0][0] != 1 {
		t.Fatalf("after the first snapshot and one too soon: %v", got)
	}
	poll(t0.Add(1100 * time.Millisecond)) // b now
	publish(c)
	final <- d
	for !ls.entries[0].task.status().done {
		time.Sleep(time.Millisecond)
	}
	poll(t0.Add(1200 * time.Millisecond)) // the final one at once, c never shown
	if len(got) != 3 || got[1][0] != 2 || got[2][0] != 4 {
		t.Errorf("snapshots handed on: %v, want [1 1] [2 2] [4 4]", got)
	}
}

// A layout that must be computed waits for its stand-in (entry.after) and
// then computes; cancelling it while it waits ends it with the context's
// error.
func TestComputedLayoutWaitsForTheStandIn(t *testing.T) {
	const n = 40
	ds := &mnist.Dataset{Width: 4, Height: 4, Pixels: make([]uint8, 16*n), Labels: make([]uint8, n), NumTrain: n}
	for i := range ds.Pixels {
		ds.Pixels[i] = uint8(i*37 + i*i/13)
	}
	var mu sync.Mutex
	var logged []string
	env := newJobEnv(ds, nil, &config{noCache: true, seed: 1}, func(format string, args ...any) {
		mu.Lock()
		logged = append(logged, fmt.Sprintf(format, args...))
		mu.Unlock()
	})
	standIn := make(chan struct{})
	e := &layoutEntry{name: "pca", title: "PCA", after: standIn}
	tk := startTask(context.Background(), e.title, env.layoutWork(e))
	select {
	case <-tk.Done():
		t.Fatalf("finished before its stand-in: %+v", tk.status())
	case <-time.After(300 * time.Millisecond):
	}
	close(standIn)
	<-tk.Done()
	if st := tk.status(); st.err != nil || !st.final || len(st.snap) != 2*n {
		t.Fatalf("after the stand-in: err %v, final %v, %d values", st.err, st.final, len(st.snap))
	}
	mu.Lock()
	if len(logged) != 1 || !strings.HasPrefix(logged[0], "PCA waited ") {
		t.Errorf("log %q, want one line saying PCA waited", logged)
	}
	mu.Unlock()

	e2 := &layoutEntry{name: "pca", title: "PCA", after: make(chan struct{})}
	tk2 := startTask(context.Background(), e2.title, env.layoutWork(e2))
	tk2.Cancel()
	<-tk2.Done()
	if st := tk2.status(); !errors.Is(st.err, context.Canceled) {
		t.Fatalf("cancelled while waiting: err %v", st.err)
	}
}
