package projection

// Progress reports how far a long computation has come.
type Progress struct {
	Stage string // short name of the current stage, e.g. "knn", "optimize"
	Done  int    // units of work done in this stage
	Total int    // units of work in this stage; 0 if unknown
}

// Hooks lets a caller watch a layout form. The zero value watches nothing.
//
// Hooks are called synchronously from the computing goroutine; they must be
// quick and must not call back into the computation.
type Hooks struct {
	// Progress, if non-nil, is called at stage boundaries and regularly
	// within long stages.
	Progress func(Progress)
	// Snapshot, if non-nil, is called every SnapshotEvery optimisation
	// steps with the current positions (N x 2, interleaved) and the step.
	// The slice is reused by the algorithm: copy what you keep.
	Snapshot func(pos []float32, step int)
	// SnapshotEvery is the number of steps between snapshots; zero means 10.
	SnapshotEvery int
}

func (h *Hooks) progress(stage string, done, total int) {
	if h != nil && h.Progress != nil {
		h.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

// snapshot calls Snapshot if step is due (or force is set).
func (h *Hooks) snapshot(pos []float32, step int, force bool) {
	if h == nil || h.Snapshot == nil {
		return
	}
	every := h.SnapshotEvery
	if every <= 0 {
		every = 10
	}
	if force || step%every == 0 {
		h.Snapshot(pos, step)
	}
}
