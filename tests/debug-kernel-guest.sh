#!/bin/sh
# SPDX-License-Identifier: MIT
#
# usage: tests/debug-kernel-guest.sh OUT [accel-cts run options...]
# The guest half of make check's debug-kernel step (vm/run with KVER=debug:
# KASAN, kmemleak, lockdep, debug objects, CGROUP_DMEM), with refaccel (one
# device, class full) loaded. Runs the conformance suite on refaccel's node,
# then the dmem subtests on their own (which must pass here: the controller
# is built in), recording exit statuses in OUT. The kernel's reports are
# judged by vm/run (console, kernel log, kmemleak after unload).
out=$1
shift
node=$(build/accel-cts devices | awk '$3 == "refaccel" { print $1; exit }')
echo "$node" > "$out/node"
build/accel-cts run --quiet --label "make check (debug kernel)" --device "${node:-/dev/null}" \
	--out "$out/suite" "$@"
echo $? > "$out/suite.rc"
dmem=$(build/tests/accel_isolation --list-subtests | grep '^dmem-' | paste -sd, -)
build/tests/accel_isolation --device "${node:-/dev/null}" --run-subtest "$dmem" > "$out/dmem.log" 2>&1
echo $? > "$out/dmem.rc"
cat /sys/fs/cgroup/dmem.capacity > "$out/dmem.capacity" 2>&1
