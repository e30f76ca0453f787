package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// progressBar draws one self-overwriting line on a terminal; on anything
// else (a pipe, a file) it prints nothing.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	stage string
	last  time.Time
	start time.Time
}

func newProgressBar(w io.Writer, quiet bool) *progressBar {
	on := false
	if f, ok := w.(*os.File); ok && !quiet {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progressBar{w: w, on: on, start: time.Now()}
}

func (b *progressBar) update(p projection.Progress) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if p.Stage == b.stage && now.Sub(b.last) < 100*time.Millisecond && p.Done != p.Total {
		return
	}
	b.stage, b.last = p.Stage, now
	const width = 30
	line := fmt.Sprintf("%-9s", p.Stage)
	if p.Total > 0 {
		f := float64(p.Done) / float64(p.Total)
		fill := int(f * width)
		line += fmt.Sprintf(" [%s%s] %3.0f%%", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), 100*f)
	}
	fmt.Fprintf(b.w, "\r%-60s %6.1fs", line, now.Sub(b.start).Seconds())
}

func (b *progressBar) done() {
	if b.on {
		fmt.Fprintf(b.w, "\r%80s\r", "")
	}
}
