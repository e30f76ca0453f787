#!/usr/bin/env bash
# Installs the system packages a build needs, when they are missing, and
# checks that Go will use cgo. Prints the exact command when it cannot
# install.
#
#   .ci/deps.sh          native build and tests (make build, run, test, install):
#                        a C compiler (go-gl and GLFW are cgo packages), the GL/X11
#                        headers, xvfb-run and desktop-file-validate
#   .ci/deps.sh windows  the cross-compiler for make windows (mingw-w64)
#   .ci/deps.sh dist     zip and unzip for make dist and its test
#   .ci/deps.sh wine     wine64 and xvfb-run for the Windows smoke test (CI only)
#
# Without a C compiler Go quietly turns cgo off and go-gl's build then stops
# with "build constraints exclude all Go files", which names neither cause
# nor cure: this script says both instead.
set -euo pipefail
GO=${GO:-go}

# cgo_off is the one-line explanation for a build that would have cgo off.
cgo_off="cgo is disabled (no C compiler found, or CGO_ENABLED=0): install gcc (make deps does on Debian/Ubuntu), or unset CGO_ENABLED; go-gl and GLFW need cgo"

# cc_works reports whether the C compiler Go would use ($CC, else go env CC)
# compiles and links a program against the C library's headers.
cc_works() {
	local cc
	read -r -a cc <<<"${1:-$("$GO" env CC 2>/dev/null || echo gcc)}"
	[ ${#cc[@]} -gt 0 ] && command -v "${cc[0]}" >/dev/null 2>&1 || return 1
	local tmp rc=0
	tmp=$(mktemp -d)
	printf '#include <stdlib.h>\nint main(void) { return EXIT_SUCCESS; }\n' >"$tmp/c.c"
	"${cc[@]}" -o "$tmp/c.out" "$tmp/c.c" >/dev/null 2>&1 || rc=1
	rm -rf "$tmp"
	return $rc
}

# check_cgo fails with the explanation when go env says cgo is off.
check_cgo() {
	[ "$("$GO" env CGO_ENABLED)" = 1 ] || { echo "deps: $cgo_off" >&2; exit 1; }
}

case "${1:-native}" in
native)
	case "$(uname -s)" in
	Linux) ;;
	Darwin)
		# GLFW uses Cocoa: the Xcode command line tools are all it needs.
		cc_works || { echo "deps: cgo needs a C compiler: install the Xcode command line tools with: xcode-select --install" >&2; exit 1; }
		check_cgo
		exit 0
		;;
	*) check_cgo; exit 0 ;;
	esac
	debs=(gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev xvfb xauth desktop-file-utils)
	lacks() {
		cc_works || echo "cgo needs a C compiler (gcc, libc6-dev);"
		command -v pkg-config >/dev/null 2>&1 && pkg-config --exists gl x11 xrandr xcursor xinerama xi xxf86vm 2>/dev/null ||
			echo "go-gl and GLFW need the GL/X11 development packages (pkg-config, libgl1-mesa-dev, xorg-dev);"
		command -v xvfb-run >/dev/null 2>&1 || echo "the tests need xvfb-run (xvfb, xauth);"
		command -v desktop-file-validate >/dev/null 2>&1 || echo "the install test needs desktop-file-validate (desktop-file-utils);"
	}
	;;
windows)
	debs=(gcc-mingw-w64-x86-64)
	lacks() {
		cc_works "${WINDOWS_CC:-x86_64-w64-mingw32-gcc}" ||
			echo "cgo needs a C compiler for Windows (${WINDOWS_CC:-x86_64-w64-mingw32-gcc});"
	}
	;;
dist)
	debs=(zip unzip)
	lacks() {
		command -v zip >/dev/null 2>&1 || echo "make dist writes the Windows zip with zip;"
		command -v unzip >/dev/null 2>&1 || echo "its test reads it with unzip;"
	}
	;;
wine)
	debs=(wine64 xvfb xauth)
	lacks() {
		[ -x /usr/lib/wine/wine64 ] || echo "the Windows smoke test runs the .exe under wine64;"
		command -v xvfb-run >/dev/null 2>&1 || echo "it needs xvfb-run (xvfb, xauth);"
	}
	;;
*)
	echo "usage: $0 [native|windows|dist|wine]" >&2
	exit 2
	;;
esac

# apt_install DEBS... installs with apt-get as root or through password-less
# sudo; it fails when neither is possible.
apt_install() {
	command -v apt-get >/dev/null 2>&1 || return 1
	local as=()
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
		as=(sudo -n)
	fi
	echo "deps: installing $*" >&2
	"${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
	"${as[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

missing=$(lacks)
if [ -n "$missing" ]; then
	apt_install "${debs[@]}" || true
	missing=$(lacks)
	if [ -n "$missing" ]; then
		missing=${missing//$'\n'/ }
		echo "deps: ${missing%;}. Install the packages with:" >&2
		echo "    sudo apt-get install -y ${debs[*]}" >&2
		exit 1
	fi
fi
[ "${1:-native}" != native ] || check_cgo
