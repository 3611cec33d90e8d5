#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The guest half of make check's certificates (tests/run-checks), in one boot
# with refaccel in every driver class (accel0 full, 1 bo-wait, 2 implicit-ctx,
# 3 single-open, 4 ctx-syncobj) and vgem: `accel-cts certify` on each device,
# then on accel0 with a fault left on for the whole run (refaccel's debugfs
# "broken", which the suite's return to defaults does not clear), as a broken
# driver. Records each exit status in $1/<name>.rc; the host judges.
# Benchmarks run on full and vgem only: they weigh in no verdict, and the
# other classes measure the same code.
out=$1
dbg=/sys/kernel/debug/accel/refaccel.0

cert() {	# name node [certify options]
	name=$1
	node=$2
	shift 2
	start=$(date +%s)
	build/accel-cts certify --device "$node" --out "$out/$name" "$@" > "$out/$name.log" 2>&1
	echo $? > "$out/$name.rc"
	echo "$name: $(($(date +%s) - start)) s" >> "$out/times.txt"
}

: > "$out/times.txt"
build/accel-cts devices > "$out/devices.txt" 2>&1
cert full /dev/accel/accel0
n=1
for class in bo-wait implicit-ctx single-open ctx-syncobj; do
	cert "$class" "/dev/accel/accel$n" --no-bench
	n=$((n + 1))
done
vgem=$(awk '$3 == "vgem" && $4 == "backend" && $5 == "vgem" { print $1; exit }' "$out/devices.txt")
cert vgem "${vgem:-/dev/null}"

for fault in corrupt_mac fail_job; do
	echo "$fault" > "$dbg/broken" || echo "cannot set $fault" >> "$out/broken.log"
	cat "$dbg/broken" >> "$out/broken.log"
	cert "broken-$fault" /dev/accel/accel0 --no-bench
	echo none > "$dbg/broken"
	cat "$dbg/broken" >> "$out/broken.log"
done
