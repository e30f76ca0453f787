package review

import (
	"bytes"
	"os"
	"runtime"
	"testing"
)

// consistent fails unless c's counts match its decisions and every
// decision is one Set could have made.
func consistent(t *testing.T, c *Corrections) {
	t.Helper()
	var n Counts
	for row, e := range c.dec {
		d := e.d
		switch {
		case row < 0 || int(row) >= c.Rows():
			t.Fatalf("decision for row %d of %d", row, c.Rows())
		case d.Kind == Undecided || d.Kind > Flagged || d.Kind != Relabelled && d.Label != 0:
			t.Fatalf("row %d: stored %v (label %d)", row, d, d.Label)
		case d.Kind == Relabelled && (int(d.Label) >= c.Classes() || d.Label == c.Original(int(row))):
			t.Fatalf("row %d: relabel from %d to %d", row, c.Original(int(row)), d.Label)
		}
		n.count(d.Kind)
	}
	if n != c.Counts() {
		t.Fatalf("counts %+v, decisions say %+v", c.Counts(), n)
	}
}

func (n *Counts) count(k Kind) {
	c := Corrections{counts: *n}
	c.count(k, 1)
	*n = c.counts
}

// FuzzDecode feeds arbitrary bytes to the journal decoder. It must refuse
// them or return consistent decisions from a valid prefix of at least all
// but the last record, allocating no more than the records could hold.
func FuzzDecode(f *testing.F) {
	path, _ := journalOf(f, 30)
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:headerSize])
	f.Add(good[:len(good)-7])
	f.Add(append(bytes.Clone(good), make([]byte, recordSize)...))
	f.Add([]byte{})
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c, valid, err := decode(data, dataset(), "fuzz")
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<10+64*uint64(len(data)) {
			t.Fatalf("allocated %d bytes for %d", alloc, len(data))
		}
		if err != nil {
			if c != nil {
				t.Fatal("error with decisions")
			}
			return
		}
		if valid < headerSize || valid > len(data) || len(data)-valid > recordSize || c.Dropped() != len(data)-valid {
			t.Fatalf("valid prefix %d of %d, dropped %d", valid, len(data), c.Dropped())
		}
		consistent(t, c)
		// The prefix alone gives the same decisions: cutting the torn tail
		// loses nothing more.
		again, v2, err := decode(data[:valid], dataset(), "fuzz")
		if err != nil || v2 != valid {
			t.Fatalf("valid prefix refused: %v", err)
		}
		sameState(t, c, again)
	})
}

// FuzzReplay builds journals with valid checksums and sequence numbers
// from fuzzed operations (4 bytes each: operation, kind, label, row), so
// the fuzzer explores the replay behind the checksums. An accepted journal
// must give the state that the same calls to Set, Undo and Redo give.
func FuzzReplay(f *testing.F) {
	f.Add([]byte{1, 1, 0, 3, 1, 2, 5, 4, 2, 0, 0, 4, 3, 0, 0, 4})
	f.Add([]byte{1, 2, 3, 3})             // relabel 3 to its own label
	f.Add([]byte{2, 0, 0, 0})             // undo of nothing
	f.Add([]byte{1, 3, 0, 60})            // row out of range
	f.Add([]byte{1, 1, 0, 1, 1, 1, 0, 1}) // the same decision twice
	f.Fuzz(func(t *testing.T, ops []byte) {
		var b bytes.Buffer
		b.Write(header(dataset()))
		for i := 0; i+4 <= len(ops); i += 4 {
			r := record{op: op(ops[i] % 4), d: Decision{Kind: Kind(ops[i+1] % 5), Label: ops[i+2] % 12}, row: int32(ops[i+3] % 52)}
			b.Write(encodeRecord(r, uint32(i/4)))
		}
		c, _, err := decode(b.Bytes(), dataset(), "fuzz")
		if err != nil {
			return
		}
		consistent(t, c)
		mirror := New(dataset())
		for i := 0; i+4 <= len(ops); i += 4 {
			var err error
			var ok = true
			switch op(ops[i] % 4) {
			case opSet:
				err = mirror.Set(int(ops[i+3]%52), Decision{Kind: Kind(ops[i+1] % 5), Label: ops[i+2] % 12})
			case opUndo:
				_, ok, err = mirror.Undo()
			case opRedo:
				_, ok, err = mirror.Redo()
			}
			if err != nil || !ok {
				t.Fatalf("operation %d accepted in the journal, refused by the API: %v", i/4, err)
			}
		}
		for row := range c.Rows() {
			if c.Decision(row) != mirror.Decision(row) {
				t.Fatalf("row %d: journal says %v, API %v", row, c.Decision(row), mirror.Decision(row))
			}
		}
		if u, r := mirror.History(); c.counts != mirror.counts || len(c.undo) != u || len(c.redo) != r {
			t.Fatal("history differs")
		}
	})
}
