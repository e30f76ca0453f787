#!/usr/bin/env bash
# make dist: the archives a user without Go can run.
#
#   .ci/dist.sh BINDIR WINDIR OUTDIR
#
# OUTDIR/mnist-explorer-linux-ARCH.tar.gz is what make install puts under
# DIST_PREFIX (default /usr/local: the binary, the launcher entry, the icons
# drawn by mnist-icon and the MNIST files), written by .ci/install.sh itself
# into a staging folder, with the README in share/doc/mnist-explorer. Its one
# top folder is mnist-explorer-linux-ARCH/; unpack it into the prefix with
#
#   sudo tar -C /usr/local --strip-components=1 -xzf mnist-explorer-linux-amd64.tar.gz
#
# OUTDIR/mnist-explorer-windows-amd64.zip holds mnist-explorer-windows-amd64/
# with WINDIR/mnist-explorer.exe, the MNIST files in data\, the README and
# mnist-explorer.cmd, which starts the .exe on those files (a double-click
# works) and keeps its window open when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 3 ] || { echo "usage: $0 BINDIR WINDIR OUTDIR" >&2; exit 2; }
bindir=$1 windir=$2 out=$3
GO=${GO:-go}
prefix=${DIST_PREFIX:-/usr/local}
die() { echo "dist: $*" >&2; exit 1; }
[ -f "$windir/mnist-explorer.exe" ] || die "$windir/mnist-explorer.exe is not built (run make windows)"
./.ci/deps.sh dist

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Reproducible archives: fixed owner, order and times (the last commit's).
mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)

linux="mnist-explorer-linux-$("$GO" env GOARCH)"
DESTDIR="$work/root" LOGFILE= GO="$GO" ./.ci/install.sh install "$prefix" "$bindir" >/dev/null
mv "$work/root$prefix" "$work/$linux"
install -D -m 644 README.md "$work/$linux/share/doc/mnist-explorer/README.md"
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
	-czf "$out/$linux.tar.gz" "$linux"
echo "dist: $out/$linux.tar.gz"

win=mnist-explorer-windows-amd64
mkdir -p "$work/$win/data"
install -m 755 "$windir/mnist-explorer.exe" "$work/$win/"
install -m 644 README.md "$work/$win/"
install -m 644 "$work/$linux/share/mnist-explorer/data/"* "$work/$win/data/"
printf '%s\r\n' \
	'@echo off' \
	'rem Starts MNIST Explorer on the MNIST files beside it; arguments are passed on.' \
	'"%~dp0mnist-explorer.exe" --data "%~dp0data" %*' \
	'if errorlevel 1 pause' >"$work/$win/mnist-explorer.cmd"
find "$work/$win" -exec touch -d "@$mtime" {} +
rm -f "$out/$win.zip"
(cd "$work" && find "$win" | LC_ALL=C sort | zip -q -X -@ "$out/$win.zip")
echo "dist: $out/$win.zip"
