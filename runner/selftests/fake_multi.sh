#!/bin/bash
# SPDX-License-Identifier: MIT
#
# A fake test binary for the runner's multiple mode: it speaks the IGT
# protocol as lib/acts_test.c does (stdout marks, stderr marks when
# ACCEL_CTS_STDERR_MARKS is set, exit 0/77/98), and misbehaves on purpose:
# a subtest that kills the whole binary, one that hangs without its own
# timeout, one that kills the runner (as a kernel death would). Run as
# fake_slow it has subtests each quieter than the runner's backstop allows
# a whole execution. Every execution appends its --run-subtest list to
# $FAKE_LOG. It writes no [IGT] marks to the kernel log: /dev/kmsg is rate-limited,
# and the real harness's marks are checked in the VM.
set -uo pipefail

prog=$(basename "$0")
if [ "$prog" = fake_slow ]; then
	all="slow-1 slow-2 slow-3 hangs"
else
	all="first second skipper dies after-death hangs last dyn kills-runner final"
fi

case "${1:-}" in
--list-subtests)
	printf '%s\n' $all
	exit 0 ;;
--describe*)
	for t in $all; do printf 'SUB %s\n  the fake %s\n  rules: FAKE-1\n\n' "$t" "$t"; done
	exit 0 ;;
--run-subtest) list=$2 ;;
*) exit 79 ;;
esac
echo "$list" >> "${FAKE_LOG:-/dev/null}"

marks() { [ -n "${ACCEL_CTS_STDERR_MARKS:-}" ] && printf '%s\n' "$1" >&2; printf '%s\n' "$1"; }

echo "Using device: fake"
echo "the preamble's stderr" >&2
failed=0
for t in $all; do
	case ",$list," in *",$t,"*) ;; *) continue ;; esac
	marks "Starting subtest: $t"
	# As lib/acts_test.c: the runner has journalled the start before it runs.
	[ -n "${ACCEL_CTS_ACK_FD:-}" ] && dd bs=1 count=1 status=none <&"$ACCEL_CTS_ACK_FD" > /dev/null
	res=SUCCESS
	case $t in
	first) echo "out of first"; echo "err of first" >&2 ;;
	second) echo "out of second"; printf 'second: it failed, no newline' >&2; res=FAIL ;;
	skipper) echo "Test requirement not met in fake.c:1: skipper: nothing to do" >&2; res=SKIP ;;
	dies) echo "dying"; echo "err of dies" >&2; kill -SEGV $$ ;;
	hangs) sleep 100 ;;
	slow-*) sleep 6 ;;
	dyn)
		# As lib/acts_test.c: a dynamic part's start mark on both streams.
		echo "Starting dynamic subtest: p1"; echo "Starting dynamic subtest: p1" >&2
		echo "Dynamic subtest p1: SUCCESS (0.001s)"
		echo "Starting dynamic subtest: p2"; echo "Starting dynamic subtest: p2" >&2
		echo "p2 is wrong" >&2
		echo "Dynamic subtest p2: FAIL (0.001s)"; res=FAIL ;;
	kills-runner) [ -n "${FAKE_KILL_RUNNER:-}" ] && { kill -KILL "$PPID"; sleep 5; } ;;
	esac
	marks "Subtest $t: $res (0.001s)"
	[ $res = FAIL ] && failed=1
done
[ $failed = 1 ] && exit 98
exit 0
