# SPDX-License-Identifier: MIT
# The debug kernel's checks (sourced by tests/run-checks, as part of make
# check, and by tests/run-debug-checks, make check-debug): the project's own
# kernel from linux-source-7.2 (vm/build-debug-kernel, cached by source
# version and config: cold, a build of its own; warm, nothing), refaccel
# built against its tree, the suite on refaccel and the dmem subtests, a
# short fuzzer pass, and the seeded defects it must report. vm/run fails a
# step on any KASAN, lockdep, WARN or BUG report and on what kmemleak finds
# after refaccel is unloaded. The caller has sourced check-lib.sh and set work.

echo "== VM on the debug kernel (2 vCPUs: KASAN, kmemleak, lockdep, debug objects, dmem cgroups)"
dbg="$work/vm-debug"
rm -rf "$dbg"
mkdir -p "$dbg"
check "debug kernel: builds from linux-source-7.2 with KASAN, kmemleak, lockdep, debug objects, fault injection and CGROUP_DMEM, every symbol of vm/debug-kernel/config kept" \
	vm/build-debug-kernel
check "debug kernel: refaccel builds against its tree" \
	env KVER=debug vm/build-refaccel "$dbg/kbuild"
# Under KASAN the isolation sweeps (131,573 mmaps) outlast the default 60 s.
check "debug kernel: the suite on refaccel and the dmem subtests; no KASAN, kmemleak (after unload), lockdep, WARN or BUG report" \
	env KVER=debug vm/run --smp 2 --timeout 3000 --rw "$dbg" --log "$dbg/console.log" \
		--load "$dbg/kbuild/refaccel.ko" -- tests/debug-kernel-guest.sh "$dbg" --timeout 600
check "debug kernel: refaccel all pass, the dmem subtests included (no skip for a kernel feature)" \
	bash -c 'tests/check_results.py suite-debug "$0/suite" && [ "$(cat "$0/suite.rc")" = 0 ]' "$dbg"
check "debug kernel: refaccel's memory is a dmem region; the dmem subtests pass (limit, current, PRIME, userptr)" \
	bash -c '[ "$(cat "$0/dmem.rc")" = 0 ] && grep -q "^drm/refaccel\.0/mem " "$0/dmem.capacity" &&
		[ "$(grep -c "^Subtest dmem-.*: SUCCESS" "$0/dmem.log")" = 5 ]' "$dbg"

check "debug kernel: accel_fuzz's short pass (20,000 ioctls, 2 processes x 2 threads, faults on): no rule broken, no KASAN, kmemleak, lockdep, WARN or BUG report" \
	env KVER=debug FUZZ_KO="$dbg/kbuild/refaccel.ko" tests/run-fuzz 20000

check "debug kernel: not blind: a use-after-free seeded in refaccel is reported by KASAN, a leak by kmemleak after unload" \
	tests/debug-kernel-defects/run "$dbg/defects"
