# mnist-explorer: build, run, test and benchmark.
#
#   make run     build and open the explorer on full MNIST
#   make test    the whole test suite (under xvfb-run when there is no display)
#   make bench   renderer and start-up benchmarks (see BENCHMARKS.md)

GO       ?= go
BIN      := bin
PKGS     := ./...
# Packages that run goroutines: tested again under the race detector.
RACE_PKGS := ./projection/... ./cmd/...
DEBS     := libgl1-mesa-dev xorg-dev xvfb xauth
ARGS     ?=

# Run a command under a virtual X server when no display is available.
XRUN = $(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1920x1200x24")

.PHONY: all build run test vet race deps bench bench-render bench-start bench-umap bench-tsne clean

all: build

## deps: install the system packages cgo and the GL tests need (Debian/Ubuntu).
deps:
	@./.ci/deps.sh

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

bench: bench-render bench-start

bench-render: deps
	$(XRUN) $(GO) test -run '^$$' -bench 'Frame' -benchmem -benchtime 20x ./render

bench-start: build
	./.ci/bench-start.sh

bench-umap: build
	./.ci/bench-layout.sh umap

bench-tsne: build
	./.ci/bench-layout.sh tsne

clean:
	rm -rf $(BIN)
