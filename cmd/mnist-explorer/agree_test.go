package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/compare"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// V colours by the agreement of neighbourhoods between the layout shown and
// the one before it: the value the brute-force-tested package gives for
// the two layouts as dumped; Shift+V chooses the least agreeing digits.
func TestAgreementColouring(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	la, lb, state := filepath.Join(dir, "a.npy"), filepath.Join(dir, "b.npy"), filepath.Join(dir, "s.json")
	script := strings.Join([]string{"wait-layout", "layout " + la, "key 1", "wait-layout", "layout " + lb,
		"key 2", "wait-layout", "key v", "wait-seconds 2", "key v shift", "wait-frames 1", "state " + state}, "; ")
	code, _, errs := runApp(t, nil, "--n", "1500", "--layout", "umap", "--no-cache", "--size", "1024x700", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if st.Agreement == nil || st.Agreement.Layouts != [2]string{"umap", "pca"} {
		t.Fatalf("agreement %+v", st.Agreement)
	}
	a, err1 := projection.ReadLayoutFile(la, 1500)
	b, err2 := projection.ReadLayoutFile(lb, 1500)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	_, mean, err := compare.Agreement(a, b, agreeK, 0)
	if err != nil || math.Abs(mean-st.Agreement.Mean) > 1e-6 {
		t.Errorf("mean agreement %v, direct %v (%v)", st.Agreement.Mean, mean, err)
	}
	if len(st.Chosen) != agreeMost {
		t.Errorf("Shift+V chose %d rows, want %d", len(st.Chosen), agreeMost)
	}
}
