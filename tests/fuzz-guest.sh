#!/bin/bash
# SPDX-License-Identifier: MIT
#
# In the guest (tests/run-fuzz): accel_fuzz with the fault knobs on, then a
# kmemleak scan where the kernel has kmemleak (its report reaches the
# console, which vm/run judges, and fails the run here too).
# usage: tests/fuzz-guest.sh [accel_fuzz options...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rc=0
"$root/build/fuzz/accel_fuzz" --faults "$@" || rc=$?
leaks=/sys/kernel/debug/kmemleak
if [ -w "$leaks" ]; then
	# Two scans: an object is reported once it stayed unreferenced over one.
	echo scan > "$leaks"
	sleep 5
	echo scan > "$leaks"
	if grep -q unreferenced "$leaks"; then
		echo "accel_fuzz: kmemleak: unreferenced objects after the run:"
		head -n 40 "$leaks"
		rc=1
	fi
fi
exit "$rc"
