#!/usr/bin/env bash
# Windows smoke test (CI; not part of make test, which stays runnable on a
# bare Debian): runs the make dist zip under wine64 on a virtual X server.
#
#   .ci/test-windows.sh DISTDIR
#
# In a throwaway Wine prefix, the .exe must answer --help, and the zip's
# launcher, mnist-explorer.cmd, must open the app on the MNIST files beside
# it and save a screenshot of 2,000 digits in the PCA layout (drawn through
# Wine's OpenGL on Mesa). Wine 8.0 (Debian bookworm) lacks
# bcryptprimitives.dll, which Go 1.24+ programs need at start-up: the test
# builds a stand-in from .ci/wine/bcryptprimitives.c into the prefix when the
# prefix has none (see there).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
fail() { echo "test-windows: FAIL: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 DISTDIR" >&2; exit 2; }
zip="$1/mnist-explorer-windows-amd64.zip"
[ -f "$zip" ] || fail "no $zip (run make dist)"
./.ci/deps.sh wine
./.ci/deps.sh dist
./.ci/deps.sh windows
cc=${WINDOWS_CC:-x86_64-w64-mingw32-gcc}

work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap 'WINEPREFIX="$WINEPREFIX" wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
wine=/usr/lib/wine/wine64
# winpath PATH: the path as Wine's Windows programs see it (drive Z: is /).
winpath() { local p; p=$(realpath -m "$1"); printf 'Z:%s' "${p//\//\\}"; }
# xwine ARGS...: wine64 under a virtual X server, bounded in time.
xwine() { timeout 300 xvfb-run -a -s "-screen 0 1920x1200x24" "$wine" "$@"; }

unzip -q "$zip" -d "$work"
app="$work/mnist-explorer-windows-amd64"
xwine wineboot --init >"$work/boot.log" 2>&1 || fail "wineboot: $(tail -n 3 "$work/boot.log")"
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
	"$cc" -shared -O2 -o "$sys32/bcryptprimitives.dll" .ci/wine/bcryptprimitives.c -lbcrypt ||
		fail "cannot build the stand-in bcryptprimitives.dll"
fi

xwine "$(winpath "$app/mnist-explorer.exe")" --help >"$work/help.log" 2>&1 || true
grep -q -- '-screenshot' "$work/help.log" || fail "mnist-explorer.exe --help under Wine: $(tail -n 5 "$work/help.log")"

# The app, started by the launcher, loads 2,000 digits, computes PCA and
# draws them: its state dump says so, and the frame read back is a PNG.
shot="$work/shot.png" state="$work/state.json"
printf '%s\n' wait-layout "state $(winpath "$state")" "screenshot $(winpath "$shot")" quit >"$work/steps.txt"
xwine cmd /c "$(winpath "$app/mnist-explorer.cmd")" --n 2000 --layout pca --no-cache --log-file - \
	--script "@$(winpath "$work/steps.txt")" >"$work/run.log" 2>&1 ||
	fail "mnist-explorer.cmd under Wine: $(tail -n 5 "$work/run.log")"
[ -f "$state" ] || fail "no state dump from the .exe under Wine: $(tail -n 5 "$work/run.log")"
grep -q '"layout": *"pca"' "$state" || fail "under Wine the app shows another layout: $(head -c 300 "$state")"
grep -q '"visible": *2000[,}]' "$state" || fail "under Wine the app does not show the 2,000 digits: $(head -c 300 "$state")"
size=$(png_size "$shot") || fail "no PNG screenshot from the .exe under Wine: $(tail -n 5 "$work/run.log")"
[ "$size" = 1280x800 ] || fail "the screenshot is $size, want 1280x800"
echo "test-windows: ok (wine64: --help; mnist-explorer.cmd --n 2000 --layout pca: 2000 digits shown, a $size screenshot)"
