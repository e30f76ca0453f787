package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A scripted review of 5 suspicious digits, kill -9, a restart: the 5
// decisions are there and the review continues at the 6th item.
func TestReviewSurvivesKill9(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	journal, s1, s2 := filepath.Join(dir, "mnist.review"), filepath.Join(dir, "1.json"), filepath.Join(dir, "2.json")
	args := []string{"--n", "2000", "--layout", "pca", "--no-cache", "--size", "1024x700", "--review-file", journal}
	script := strings.Join([]string{
		"wait-layout", "key l", "wait-suspects", "wait-frames 2", "wait-neighbors",
		"key k", "key enter", "key 3", "key x", "key enter", "wait-frames 2", "state " + s1,
		"wait-seconds 600", // killed here
	}, "; ")
	cmd := exec.Command(binary(t), append(args, "--script", script)...)
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+dir)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(3 * time.Minute)
	for {
		if _, err := os.Stat(s1); err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("the app ended (%v) before the state was written: %s", err, errb.String())
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			t.Fatalf("no state after 3 minutes: %s", errb.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	time.Sleep(200 * time.Millisecond) // let the state file be written whole
	cmd.Process.Kill()                 // SIGKILL
	<-exited
	before := readState(t, s1)
	if before.Review == nil || before.Review.Reviewed != 5 || len(before.Review.Decisions) != 5 {
		t.Fatalf("before the kill: review %+v", before.Review)
	}

	code, _, errs := runApp(t, nil, append(args, "--script", strings.Join([]string{
		"wait-layout", "key l", "wait-suspects", "wait-frames 2", "wait-neighbors", "state " + s2}, "; "))...)
	if code != 0 {
		t.Fatalf("restart: exit %d: %s", code, errs)
	}
	after := readState(t, s2)
	if after.Review == nil || after.Review.Reviewed != 5 || !reflect.DeepEqual(after.Review.Decisions, before.Review.Decisions) ||
		!reflect.DeepEqual(after.Review.Labels, before.Review.Labels) {
		t.Fatalf("after the restart: review %+v, before %+v", after.Review, before.Review)
	}
	if after.Review.Current != before.Review.Current || after.Selected != before.Review.Current {
		t.Errorf("the review continues at row %d (selected %d), want %d", after.Review.Current, after.Selected, before.Review.Current)
	}
	if after.Review.File != journal {
		t.Errorf("review file %q, want %q", after.Review.File, journal)
	}
}
