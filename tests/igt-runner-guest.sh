#!/bin/sh
# SPDX-License-Identifier: MIT
#
# usage: tests/igt-runner-guest.sh SID_ROOT OUT [BINARY...]
# In the guest: IGT's own igt_runner (Debian sid's, run from SID_ROOT through
# sid's dynamic loader) runs every subtest of the suite's binaries (or of the
# BINARYs given: on the host, the harness's own, which need no device) on
# /dev/accel/accel0 from a test list, writing its results folder to OUT.
sid=$1 out=$2
shift 2
[ $# -gt 0 ] || set -- build/tests/*
work=${TMPDIR:-/tmp}/igt-runner.$$
rm -rf "$work" && mkdir -p "$work/root"
for b in "$@"; do
	ln -s "$PWD/$b" "$work/root/"
	for s in $("$b" --list-subtests); do
		echo "igt@$(basename "$b")@$s"
	done
done > "$work/testlist.txt"
# The test root's index, as IGT's build writes it: the binaries between markers.
{
	echo TESTLIST
	for b in "$@"; do printf '%s ' "$(basename "$b")"; done
	echo
	echo END TESTLIST
} > "$work/root/test-list.txt"
loader=$(ls "$sid"/lib64/ld-linux-x86-64.so.2 "$sid"/usr/lib64/ld-linux-x86-64.so.2 2>/dev/null | head -n 1)
export ACCEL_CTS_DEVICE=/dev/accel/accel0
"$loader" --library-path "$sid/usr/lib/x86_64-linux-gnu:$sid/lib/x86_64-linux-gnu" \
	"$sid/usr/bin/igt_runner" --per-test-timeout 120 --test-list "$work/testlist.txt" \
	"$work/root" "$out"
rc=$?
rm -rf "$work"
exit $rc
