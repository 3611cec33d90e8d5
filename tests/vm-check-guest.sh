#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The guest half of `make check`, run by tests/run-checks inside the VM with
# refaccel (two devices) and vgem loaded. It only runs things and records
# their exit status in $1; tests/run-checks judges the results on the host.
out=$1
build/accel-cts devices > "$out/devices.txt" 2>&1
build/accel-cts run --quiet --out "$out/suite"
echo $? > "$out/suite.rc"
build/accel-cts run --quiet --tests build/selftests --only harness_victim \
	--device /dev/accel/accel0 --timeout 2 --out "$out/victim" > "$out/victim.log" 2>&1
echo $? > "$out/victim.rc"
