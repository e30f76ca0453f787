#!/usr/bin/env bash
# Tests what make dist wrote (CI runs it after make dist):
#
#   .ci/test-dist.sh DISTDIR
#
# The Linux tarball holds exactly the files make install puts under
# /usr/local plus the README, under one top folder; its binary answers
# --help; its launcher entry validates and starts that binary on the MNIST
# files it ships; its icons are PNGs of their size. The Windows zip holds
# exactly the .exe (a PE file for x86-64), the launcher .cmd that passes the
# data folder, the MNIST files and the README. (.ci/test-windows.sh runs the
# zip under Wine.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
. .ci/lib.sh
fail() { echo "test-dist: FAIL: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 DISTDIR" >&2; exit 2; }
dist=$1
./.ci/deps.sh dist
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

data="data/t10k-images-idx3-ubyte.gz data/t10k-labels-idx1-ubyte.gz data/train-images-idx3-ubyte.gz data/train-labels-idx1-ubyte.gz"
# same_list NAME WANT GOT fails when the two sorted lists differ.
same_list() {
	[ "$2" = "$3" ] || fail "$1 holds other files than it should: $(diff <(echo "$2") <(echo "$3") | grep '^[<>]' | tr '\n' ' ')"
}

linux="mnist-explorer-linux-$(go env GOARCH)"
tgz="$dist/$linux.tar.gz"
[ -f "$tgz" ] || fail "no $tgz (run make dist)"
want=$(for f in bin/mnist-explorer share/applications/mnist-explorer.desktop \
	share/doc/mnist-explorer/README.md \
	share/icons/hicolor/256x256/apps/mnist-explorer.png share/icons/hicolor/48x48/apps/mnist-explorer.png \
	$(printf 'share/mnist-explorer/%s ' $data); do echo "$linux/$f"; done | LC_ALL=C sort)
got=$(tar -tzf "$tgz" | grep -v '/$' | LC_ALL=C sort)
same_list "$tgz" "$want" "$got"
tar -C "$work" -xzf "$tgz"
root="$work/$linux"
[ -x "$root/bin/mnist-explorer" ] || fail "$tgz: bin/mnist-explorer is not executable"
"$root/bin/mnist-explorer" --help >/dev/null 2>&1 || fail "$tgz: bin/mnist-explorer --help exits non-zero"
entry="$root/share/applications/mnist-explorer.desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
	desktop-file-validate "$entry" || fail "desktop-file-validate rejects the tarball's $entry"
fi
exec_line=$(sed -n 's/^Exec=//p' "$entry")
case "$exec_line" in
"/usr/local/bin/mnist-explorer --data /usr/local/share/mnist-explorer/data "*) ;;
*) fail "the tarball's launcher starts \"$exec_line\", want /usr/local/bin/mnist-explorer on /usr/local/share/mnist-explorer/data" ;;
esac
for size in 256 48; do
	icon="$root/share/icons/hicolor/${size}x${size}/apps/mnist-explorer.png"
	[ "$(png_size "$icon")" = "${size}x${size}" ] || fail "$tgz: the ${size}x${size} icon is not a ${size}x${size} PNG"
done
cmp -s "$root/share/doc/mnist-explorer/README.md" README.md || fail "$tgz: the README is not this README.md"

win=mnist-explorer-windows-amd64
zip="$dist/$win.zip"
[ -f "$zip" ] || fail "no $zip (run make dist)"
want=$(for f in mnist-explorer.exe mnist-explorer.cmd README.md $data; do echo "$win/$f"; done | LC_ALL=C sort)
got=$(unzip -Z1 "$zip" | grep -v '/$' | LC_ALL=C sort)
same_list "$zip" "$want" "$got"
unzip -q "$zip" -d "$work"
exe="$work/$win/mnist-explorer.exe"
# MZ, then at the offset in 0x3c: "PE\0\0" and machine 0x8664 (x86-64).
[ "$(head -c 2 "$exe")" = MZ ] || fail "$zip: mnist-explorer.exe is not a Windows executable"
pe=$(od -An -tu4 -j60 -N4 "$exe" | tr -d ' ')
[ "$(od -An -tx1 -j"$pe" -N6 "$exe" | tr -d ' \n')" = 504500006486 ] || fail "$zip: mnist-explorer.exe is not an x86-64 PE file"
grep -q '"%~dp0mnist-explorer.exe" --data "%~dp0data" %\*' "$work/$win/mnist-explorer.cmd" ||
	fail "$zip: mnist-explorer.cmd does not start the .exe on the data folder beside it"
cmp -s "$work/$win/README.md" README.md || fail "$zip: the README is not this README.md"
for f in $data; do
	cmp -s "$work/$win/$f" "$root/share/mnist-explorer/$f" || fail "$zip: $f differs from the tarball's"
done
echo "test-dist: ok ($tgz: install tree, --help, launcher, icons; $zip: x86-64 .exe, launcher, data)"
