package export

import (
	"os/exec"
	"testing"
)

// NumPy itself reads the .npy files, where a Python with numpy is
// installed (Debian: apt-get install python3-numpy); skipped elsewhere.
func TestNumpyLoadsTheArrays(t *testing.T) {
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import numpy").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("no Python with numpy")
	}
	inDir(t)
	if _, err := SelectionNPY("rows.npy", []int32{0, 5, 1 << 30, 69999}); err != nil {
		t.Fatal(err)
	}
	if _, err := LabelsNPY("labels.npy", []uint8{0, 9, 255}); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", `import numpy as np
for f in ("rows.npy", "labels.npy"):
    a = np.load(f)
    print(a.dtype, a.shape, " ".join(map(str, a.tolist())))`).CombinedOutput()
	want := "int64 (4,) 0 5 1073741824 69999\nuint8 (3,) 0 9 255\n"
	if err != nil || string(out) != want {
		t.Errorf("numpy read %q, %v; want %q", out, err, want)
	}
}
