package projection

// workTeam is a fixed set of goroutines that run one function at a time on
// every worker: run(fn) calls fn(w) for w in [0, workers), fn(0) on the
// caller's goroutine, and returns when all are done. Unlike
// parallelWorkers it starts no goroutine per call, so a phase costs no
// allocation; close stops the goroutines.
type workTeam struct {
	wake []chan func(w int)
	done chan struct{}
}

func newWorkTeam(workers int) *workTeam {
	t := &workTeam{done: make(chan struct{}, max(workers, 1))}
	for w := 1; w < workers; w++ {
		c := make(chan func(int), 1)
		t.wake = append(t.wake, c)
		go func() {
			for fn := range c {
				fn(w)
				t.done <- struct{}{}
			}
		}()
	}
	return t
}

func (t *workTeam) run(fn func(w int)) {
	for _, c := range t.wake {
		c <- fn
	}
	fn(0)
	for range t.wake {
		<-t.done
	}
}

func (t *workTeam) close() {
	for _, c := range t.wake {
		close(c)
	}
	t.wake = nil
}
