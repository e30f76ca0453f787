# mnist-explorer: build, run, test and benchmark.
#
#   make run     build and open the explorer on full MNIST
#   make test    the whole test suite (under xvfb-run when there is no display)
#   make bench   renderer and start-up benchmarks (see BENCHMARKS.md)
#   make fuzz    run every file-parser fuzz target for FUZZTIME each
#   make install desktop install under PREFIX (make uninstall removes it)
#   make windows cross-compile the commands for Windows (mingw-w64)
#   make dist    dist/: a Linux tarball and a Windows zip

GO       ?= go
BIN      := bin
PKGS     := ./...
# Packages that run goroutines: tested again under the race detector.
RACE_PKGS := ./projection/... ./cmd/...
ARGS     ?=
# make install / uninstall: where (freedesktop layout; DESTDIR is honoured).
PREFIX   ?= $(HOME)/.local
# make fuzz: time per target and extra flags (e.g. FUZZFLAGS=-parallel=1).
FUZZTIME  ?= 30s
FUZZFLAGS ?=
# Every fuzz target, as package:Target. Inputs that fail are written to the
# package's testdata/fuzz/Target, which plain go test then replays.
FUZZ_TARGETS := ./mnist:FuzzReadImages ./mnist:FuzzReadLabels ./mnist:FuzzReadClasses ./mnist:FuzzOpenParquet \
	./mnist:FuzzReadNPY ./mnist:FuzzLabelsCSV ./mnist:FuzzJPEGOrientation ./mnist:FuzzDecodeImage \
	./projection:FuzzReadNPY ./projection:FuzzReadCSV \
	./cmd/internal/layoutcache:FuzzDecode ./cmd/internal/layoutcache:FuzzDecodeSealed \
	./cmd/internal/layoutcache:FuzzDecodeAnyN ./cmd/internal/layoutcache:FuzzDecodeGraphSealed \
	./cmd/internal/review:FuzzDecode ./cmd/internal/review:FuzzReplay

# make windows: the mingw-w64 C compiler for cgo, and where the .exe files go.
WINDOWS_CC  ?= x86_64-w64-mingw32-gcc
WINDOWS_BIN := $(BIN)/windows-amd64
DIST        := dist

# Run a command under a virtual X server when no display is available (Linux;
# macOS and Windows always have one).
UNAME := $(shell uname -s)
XRUN = $(if $(filter Linux,$(UNAME)),$(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1920x1200x24"))

.PHONY: bench-sources screenshots all build run test vet race deps fuzz install uninstall windows test-windows dist test-dist bench bench-render bench-start bench-umap bench-tsne bench-scale clean

all: build

## deps: install the system packages cgo and the GL tests need (Debian/Ubuntu):
## a C compiler among them. Fails with one line when cgo is off (no C compiler,
## or CGO_ENABLED=0), before go-gl's "build constraints exclude all Go files".
deps:
	@GO=$(GO) ./.ci/deps.sh

build: deps
	$(GO) build -o $(BIN)/ ./cmd/...

run: build
	$(XRUN) ./$(BIN)/mnist-explorer $(ARGS)

vet:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

test: deps vet
	$(XRUN) $(GO) test -count=1 $(PKGS)
	$(XRUN) $(GO) test -count=1 -race -short $(RACE_PKGS)
	./.ci/test-install.sh

## install: the app, its launcher entry and icon under PREFIX (default ~/.local).
install: deps
	$(GO) build -o $(BIN)/ ./cmd/mnist-explorer ./cmd/mnist-icon
	GO=$(GO) ./.ci/install.sh install "$(PREFIX)" "$(BIN)"

## uninstall: remove exactly the files install added (and folders it left empty).
uninstall:
	./.ci/install.sh uninstall "$(PREFIX)"

## windows: cross-compile every command for Windows (amd64) with mingw-w64,
## installing gcc-mingw-w64-x86-64 when it is missing. CI runs it.
windows:
	@GO=$(GO) WINDOWS_CC=$(WINDOWS_CC) ./.ci/deps.sh windows
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=$(WINDOWS_CC) $(GO) build -o $(WINDOWS_BIN)/ ./...

## dist: dist/mnist-explorer-linux-amd64.tar.gz (what make install puts under
## /usr/local, README included) and dist/mnist-explorer-windows-amd64.zip.
dist: build windows
	GO=$(GO) ./.ci/dist.sh $(BIN) $(WINDOWS_BIN) $(DIST)

## test-dist: check what the archives hold (CI).
test-dist: dist
	./.ci/test-dist.sh $(DIST)

## test-windows: run the zip's .exe under wine64 on a virtual X server (CI only:
## it installs Wine).
test-windows: dist
	./.ci/test-windows.sh $(DIST)

## fuzz: run each fuzz target in turn for FUZZTIME (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS); \
	done

bench: bench-render bench-start

## bench-render: frame times at 1280x800 (see BENCHMARKS.md): every scene
## before issue 17 and now, in one run; the load average first, since the
## figures follow it on a shared machine.
bench-render: deps
	@cat /proc/loadavg 2>/dev/null || true
	$(XRUN) $(GO) test -run '^$$' -bench 'Frame' -benchmem -benchtime 5x ./render
	$(XRUN) $(GO) test -run '^$$' -bench 'PickIndex' -benchmem ./render

bench-start: build
	./.ci/bench-start.sh

bench-umap: build
	./.ci/bench-layout.sh umap

bench-tsne: build
	./.ci/bench-layout.sh tsne

## bench-scale: UMAP and t-SNE at 10k to 1M rows (SIZES, METHODS), stage times and memory (issue 15).
bench-scale: build
	./.ci/bench-scale.sh

## screenshots: regenerate the README's screenshots (docs/*.png) with the app itself.
screenshots: deps
	./.ci/screenshots.sh

clean:
	rm -rf $(BIN) $(DIST)

## bench-sources: issue 12's figures (BENCHMARKS.md, "Your own images"): the folder and .npz
## parity with IDX on 10,000 rows (UMAP and t-SNE; minutes), then 70,000 PNG files decoded
## against Python/PIL (.ci/bench-folder.sh) and 10,000 JPEG photos (.ci/bench-photos.sh).
bench-sources: build
	MNIST_PARITY=1 $(GO) test ./cmd/internal/pipeline -run '^TestSourcesParity$$' -count=1 -v -timeout 120m
	./.ci/bench-folder.sh
	./.ci/bench-photos.sh
