# SPDX-License-Identifier: MIT
# Shared settings for the vm/ scripts: cache location and kernel selection.
# Sourced, not executed.

ACCEL_CTS_CACHE=${ACCEL_CTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/accel-cts}
# FLAVOUR: amd64 (default), rt-amd64 (PREEMPT_RT) or cloud-amd64.
FLAVOUR=${FLAVOUR:-amd64}

die() { echo "vm: error: $*" >&2; exit 1; }

# Newest Debian 6.12 point release known to apt, as "6.12.N+deb12".
newest_kver() {
	apt-cache pkgnames linux-image-6.12. 2>/dev/null |
		sed -n "s/^linux-image-\(6\.12\.[0-9]*+deb12\)-$FLAVOUR-unsigned\$/\1/p" |
		sort -t. -k3,3n | tail -n 1
}

# Newest Debian 6.1 ABI known to apt, as "6.1.0-N".
newest_61() {
	apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
		sed -n "s/^linux-image-\(6\.1\.0-[0-9]*\)-$FLAVOUR-unsigned\$/\1/p" |
		sort -t- -k2,2n | tail -n 1
}

# Accept "117", "6.12.117" or "6.12.117+deb12"; and "6.1" (Debian 12's own
# kernel, newest ABI) or "6.1.0-N", which predate drivers/accel (6.2).
normalise_kver() {
	case "$1" in
	6.1|6.1.0) k=$(newest_61)
		   [ -n "$k" ] || die "no linux-image-6.1.0-*-$FLAVOUR-unsigned in apt's lists"
		   echo "$k" ;;
	6.1.0-[0-9]*) echo "$1" ;;
	*+deb*) echo "$1" ;;
	6.12.*) echo "$1+deb12" ;;
	[0-9]*) echo "6.12.$1+deb12" ;;
	*) die "KVER '$1' is not a Debian 6.12 release or 6.1 (try 117, 6.12.117, 6.12.117+deb12 or 6.1)" ;;
	esac
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
		KVER=$(normalise_kver "$KVER")
	else
		KVER=$(newest_kver)
		[ -n "$KVER" ] || die "no linux-image-6.12.*-$FLAVOUR-unsigned in apt's lists (run apt-get update, check bookworm-security is enabled)"
	fi
	KDIR="$ACCEL_CTS_CACHE/kernels/$KVER-$FLAVOUR"
	# The tree modules are built against.
	KBUILD_DIR="$KDIR/root/usr/src/linux-headers-$KVER-$FLAVOUR"
	KMODDIR="$KDIR/root/lib/modules/$KVER-$FLAVOUR"
	VMLINUZ="$KDIR/root/boot/vmlinuz-$KVER-$FLAVOUR"
}
