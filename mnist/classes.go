package mnist

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of classes.txt, so that a hostile file costs neither memory nor
// drawing time.
const (
	// MaxClassesFileSize is the largest classes.txt accepted, in bytes: 256
	// names of 256 bytes. A larger file is refused with an error.
	MaxClassesFileSize = 64 << 10
	// MaxClassNameLen is the longest class name kept, in runes (characters).
	// A longer name is cut to MaxClassNameLen-1 runes followed by "…".
	MaxClassNameLen = 40
	// maxClasses is the most names: labels are bytes.
	maxClasses = 256
)

// readClasses reads one class name per line (blank lines skipped, space
// around a name trimmed, names clipped to MaxClassNameLen); a missing file
// gives nil, nil.
func readClasses(path string) ([]string, error) {
	data, err := readBoundedFile(path, MaxClassesFileSize, fmt.Sprintf("class-name file (up to %d short names, one a line)", maxClasses))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for line := range strings.Lines(string(data)) {
		name := strings.TrimSpace(line)
		if name == "" {
			continue
		}
		if len(names) == maxClasses {
			return nil, fmt.Errorf("mnist: %s: more than %d class names", path, maxClasses)
		}
		names = append(names, clipName(name))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("mnist: %s names no classes", path)
	}
	return names, nil
}

// clipName cuts a name longer than MaxClassNameLen runes to
// MaxClassNameLen-1 runes and an ellipsis.
func clipName(name string) string {
	if utf8.RuneCountInString(name) <= MaxClassNameLen {
		return name
	}
	i, runes := 0, 0
	for i = range name {
		if runes == MaxClassNameLen-1 {
			break
		}
		runes++
	}
	return strings.TrimRightFunc(name[:i], unicode.IsSpace) + "…"
}
