#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge the JSON records of a benchmark run, for `make check`.

usage: check_bench.py latency|bandwidth|weights FILE
Every record must carry its statistics, its samples (all, or evenly spaced
order statistics past 512), the limit it is measured against and the ratio
to it, and the environment; each family must hold its limits and
measurements (weights: every load strategy, warm and cold); the harness's
clock overhead must be small (under a tenth) against the smallest latency
reported.
"""
import json
import math
import sys

problems = []
FIELDS = ("benchmark", "params", "unit", "n", "min", "median", "p90", "p99", "p999", "max",
          "mean", "stddev", "samples", "limit", "ratio", "cpu", "env")
ENV = ("kernel", "driver", "driver_version", "device", "cpu_model", "virtualized", "git_sha",
       "date")
FAMILIES = {
    "latency": ("clock-overhead", "null-ioctl", "eventfd-round-trip", "nop-round-trip",
                "nop-throughput", "nop-submit-to-start", "nop-start-to-end", "nop-end-to-woken"),
    "bandwidth": ("bo-create-first-touch", "bo-mmap-write", "bo-mmap-read", "copy-engine",
                  "udmabuf-import-copy"),
    "weights": ("page-cache-read", "odirect-read-cold", "weight-load"),
}
# The weight-load strategies and the page-cache states each is measured in.
LOADS = {("read-into-bo", "warm"), ("read-into-bo", "cold"), ("mmap-memcpy", "warm"),
         ("mmap-memcpy", "cold"), ("odirect-bounce", "cold"), ("threads", "warm"),
         ("threads", "cold"), ("staging-copy", "warm"), ("staging-copy", "cold"),
         ("read-into-anon", "warm"), ("read-into-anon", "cold")}


def check_record(r):
    name = r.get("benchmark", "?")
    for f in FIELDS:
        if f not in r:
            problems.append(f"{name}: no {f}")
            return
    if r["n"] < 1 or not r["min"] <= r["median"] <= r["p99"] <= r["max"]:
        problems.append(f"{name}: statistics out of order: {r}")
    lim = r["limit"]
    if not lim.get("name") or not lim.get("value", 0) > 0:
        problems.append(f"{name}: no usable limit: {lim}")
    elif not math.isclose(r["ratio"], r["median"] / lim["value"], rel_tol=1e-9):
        problems.append(f"{name}: ratio {r['ratio']} is not median / limit")
    for f in ENV:
        if f not in r["env"]:
            problems.append(f"{name}: environment lacks {f}")
    kept = r["samples"]
    if len(kept) != min(r["n"], 512) or kept != sorted(kept) or \
            (kept and (kept[0] != r["min"] or kept[-1] != r["max"])):
        problems.append(f"{name}: samples are not the sorted samples from min to max")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in FAMILIES:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[2]) as f:
            records = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{sys.argv[2]}: {e}")
        return 1
    for r in records:
        check_record(r)
    names = {r.get("benchmark") for r in records}
    for want in FAMILIES[sys.argv[1]]:
        if want not in names:
            problems.append(f"no {want} record")
    if sys.argv[1] == "weights":
        got = {(r["params"].get("strategy"), r["params"].get("cache")) for r in records
               if r.get("benchmark") == "weight-load"}
        for strategy, cache in sorted(LOADS - got):
            problems.append(f"no weight-load record of {strategy} ({cache})")
    # What the harness timed itself (not the device's own timestamps).
    lat = [r["median"] for r in records if r.get("unit") == "ns" and
           r.get("benchmark") != "clock-overhead" and
           r.get("params", {}).get("timed_by") != "device"]
    clock = [r["median"] for r in records if r.get("benchmark") == "clock-overhead"]
    if lat and clock and clock[0] * 10 > min(lat):
        problems.append(f"clock overhead {clock[0]} ns is not small against {min(lat)} ns")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
