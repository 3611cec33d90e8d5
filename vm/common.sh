# SPDX-License-Identifier: MIT
# Shared settings for the vm/ scripts: cache location and kernel selection.
# Sourced, not executed.

ACCEL_CTS_CACHE=${ACCEL_CTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/accel-cts}
# FLAVOUR: amd64 (default), rt-amd64 (PREEMPT_RT) or cloud-amd64.
FLAVOUR=${FLAVOUR:-amd64}

die() { echo "vm: error: $*" >&2; exit 1; }

# Newest Debian 6.12 point release in bookworm-security (or a point release),
# as "6.12.N+deb12": through vm/apt-private, so a host whose own sources lack
# bookworm-security finds it too.
newest_kver() {
	"$(dirname "${BASH_SOURCE[0]}")/apt-private" apt-cache pkgnames linux-image-6.12. |
		sed -n "s/^linux-image-\(6\.12\.[0-9]*+deb12\)-$FLAVOUR-unsigned\$/\1/p" |
		sort -t. -k3,3n | tail -n 1
}

# Newest Debian 6.1 ABI known to apt, as "6.1.0-N".
newest_61() {
	"$(dirname "${BASH_SOURCE[0]}")/apt-private" apt-cache pkgnames linux-image-6.1.0- |
		sed -n "s/^linux-image-\(6\.1\.0-[0-9]*\)-$FLAVOUR-unsigned\$/\1/p" |
		sort -t- -k2,2n | tail -n 1
}

# Newest kernel ABI of a series newer than Debian 12's (e.g. "7.2" gives
# "7.2.13+deb14") among sid, experimental and trixie-backports, through the
# private apt state of vm/apt-private. A point release ("7.2.13") picks its
# newest Debian build. Experimental's ABIs carry no point release ("7.3"):
# they sort below the series' releases, so an -rc is chosen only alone.
newest_private() {
	"$(dirname "${BASH_SOURCE[0]}")/apt-private" apt-cache pkgnames "linux-binary-$1" |
		sed -n "s/^linux-binary-\(.*\)-$FLAVOUR\$/\1/p" |
		grep -E "^$(echo "$1" | sed 's/\./\\./g')(\.[0-9]+)?(\+deb[0-9]+)?\$" |
		sort -V | tail -n 1
}

# "debug" is the project's own debug kernel (vm/build-debug-kernel).
# Accept "117", "6.12.117" or "6.12.117+deb12" ("6.12": the newest point
# release, as with no KVER at all); "6.1" (Debian 12's own
# kernel, newest ABI) or "6.1.0-N", which predate drivers/accel (6.2); and a
# newer series or release ("7.2", "7.3", "7.2.13", "7.2.13+deb14").
normalise_kver() {
	case "$1" in
	debug) echo debug ;;
	6.1|6.1.0) k=$(newest_61)
		   [ -n "$k" ] || die "no linux-image-6.1.0-*-$FLAVOUR-unsigned in bookworm's lists (see: vm/apt-private apt-cache pkgnames linux-image-6.1.0-)"
		   echo "$k" ;;
	6.1.0-[0-9]*) echo "$1" ;;
	6.12) k=$(newest_kver)
	      [ -n "$k" ] || die "no linux-image-6.12.*-$FLAVOUR-unsigned in bookworm-security's lists (see: vm/apt-private apt-cache pkgnames linux-image-6.12.)"
	      echo "$k" ;;
	*+deb*) echo "$1" ;;
	6.12.*) echo "$1+deb12" ;;
	[7-9].[0-9]*|6.1[3-9]|6.1[3-9].*|6.[2-9]|6.[2-9].*|6.[2-9][0-9]*)
		k=$(newest_private "$1")
		[ -n "$k" ] || die "no linux-binary-$1*-$FLAVOUR in sid, experimental or trixie-backports (see: vm/apt-private apt-cache pkgnames linux-binary-)"
		echo "$k" ;;
	[0-9]*) echo "6.12.$1+deb12" ;;
	*) die "KVER '$1' is not a Debian kernel this project knows (try 6.12, 117, 6.12.117, 6.1, 7.2, 7.3, 7.2.13+deb14, or debug: the project's debug kernel)" ;;
	esac
}

# Does the kernel come from a suite newer than Debian 12 (through
# vm/apt-private, with tools built for a newer C library)? Those are packaged
# the Debian 13+ way: linux-binary, linux-modules and linux-base under /usr/lib.
is_newer_suite() {
	case "$KVER" in
	6.1.0-*|6.12.*+deb12|debug) return 1 ;;
	esac
	return 0
}

# Does the kernel have drivers/accel (6.2 and later)? Debian 12's 6.1 does not.
has_accel() {
	case "$KVER" in
	6.1.0-*) return 1 ;;
	esac
	return 0
}

resolve_kver() {
	if [ -n "${KVER:-}" ]; then
		KVER=$(normalise_kver "$KVER") || exit 1
	else
		KVER=$(newest_kver)
		[ -n "$KVER" ] || die "no linux-image-6.12.*-$FLAVOUR-unsigned in apt's lists (run apt-get update, check bookworm-security is enabled)"
	fi
	if [ "$KVER" = debug ]; then
		# The project's debug kernel (vm/build-debug-kernel), built with the
		# host's compiler: its build tree is what modules build against.
		KDIR=$("$(dirname "${BASH_SOURCE[0]}")/build-debug-kernel" --print-dir) || exit 1
		KBUILD_DIR="$KDIR/build"
		KMODDIR="$KDIR/root/lib/modules/$(cat "$KDIR/kernel.release" 2> /dev/null || echo unbuilt)"
		VMLINUZ="$KDIR/build/arch/x86/boot/bzImage"
		return 0
	fi
	KDIR="$ACCEL_CTS_CACHE/kernels/$KVER-$FLAVOUR"
	# The tree modules are built against.
	KBUILD_DIR="$KDIR/root/usr/src/linux-headers-$KVER-$FLAVOUR"
	# Newer suites are unpacked with /lib a link to usr/lib (merged /usr).
	KMODDIR="$KDIR/root/lib/modules/$KVER-$FLAVOUR"
	if is_newer_suite; then
		VMLINUZ="$KMODDIR/vmlinuz"
	else
		VMLINUZ="$KDIR/root/boot/vmlinuz-$KVER-$FLAVOUR"
	fi
}
