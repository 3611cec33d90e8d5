#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge the JSON records of a benchmark run, for `make check`.

usage: check_bench.py latency|bandwidth|weights FILE [--no-jobs] [--no-userptr]
       check_bench.py drivers RUN
       check_bench.py series REPORT RUN
Every record must carry its statistics, its samples (all, or evenly spaced
order statistics past 512), the limit it is measured against and the ratio
to it, and the environment; each family must hold its limits and
measurements (weights: every load strategy, warm and cold); the harness's
clock overhead must be small (under a tenth) against the smallest latency
reported. --no-jobs: the device runs no jobs (vgem), so the figures of jobs
(copy-engine, udmabuf-import-copy, staging-copy) must be absent, not present.
--no-userptr: the device makes no userptr BOs, so the userptr loads and their
arena-first-touch limit must be absent; otherwise they must be there.

drivers: the records of a run folder (RUN/bench/<family>-<driver>-<node>.json)
come from at least two drivers, each file's from the device its name says.
series: the plots of accel-cts report (or plot) of RUN, in REPORT, show every
device of RUN's records as a series of its own, under its label
("<driver>[/<variant>]-<node>"), in each plot that draws two or more of them,
as headless Chromium reads the SVG; at least one plot shows two drivers.
"""
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile

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
# Figures of jobs: none from a device that runs no jobs.
JOB_FIGURES = {"copy-engine", "udmabuf-import-copy", "staging-copy"}
# The weight-load strategies and the page-cache states each is measured in.
LOADS = {("read-into-bo", "warm"), ("read-into-bo", "cold"), ("mmap-memcpy", "warm"),
         ("mmap-memcpy", "cold"), ("odirect-bounce", "cold"), ("threads", "warm"),
         ("threads", "cold"), ("staging-copy", "warm"), ("staging-copy", "cold"),
         ("read-into-anon", "warm"), ("read-into-anon", "cold")}
# The loads into userptr BOs (devices with the userptr capability), and their extra limit.
USERPTR_LOADS = {("odirect-userptr", "cold"), ("odirect-userptr-pipelined", "cold"),
                 ("read-userptr", "warm"), ("read-userptr", "cold"),
                 ("read-userptr-threads", "warm"), ("read-userptr-threads", "cold"),
                 ("odirect-userptr-reused", "cold"), ("odirect-userptr-pipelined-reused", "cold"),
                 ("read-userptr-reused", "warm"), ("read-userptr-reused", "cold"),
                 ("read-userptr-threads-reused", "warm"), ("read-userptr-threads-reused", "cold")}
USERPTR_FIGURES = {"arena-first-touch"} | {s for s, _ in USERPTR_LOADS}


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


def device_label(r):
    """A record's device, as accel-cts keys it: <driver>[/<variant>]-<node>."""
    env = r.get("env", {})
    variant = env.get("variant", "")
    return (f"{env.get('driver', '')}{'/' if variant else ''}{variant}-"
            f"{os.path.basename(env.get('device', ''))}")


def run_records(run):
    """(file name, records) of every benchmark file of a run folder."""
    files = sorted(glob.glob(os.path.join(run, "bench", "*.json")))
    out = []
    for path in files:
        try:
            with open(path) as f:
                out.append((os.path.basename(path), json.load(f)))
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
    return out


def check_drivers(run):
    drivers = {}
    for name, records in run_records(run):
        for r in records:
            check_record(r)
            env = r.get("env", {})
            want = f"-{env.get('driver')}-{os.path.basename(env.get('device', ''))}.json"
            if not name.endswith(want):
                problems.append(f"{name}: a record of {device_label(r)} ({r.get('benchmark')})")
            drivers.setdefault(env.get("driver"), set()).add(device_label(r))
    for d, labels in sorted(drivers.items()):
        print(f"{d}: {', '.join(sorted(labels))}")
    if len(drivers) < 2:
        problems.append(f"records of {len(drivers)} driver(s), not two or more: {sorted(drivers)}")


# The plots of benchmark records, and which records each one draws.
BANDWIDTH = FAMILIES["bandwidth"]
PLOTS = {
    "latency-cdf": lambda r: r["benchmark"] == "nop-round-trip",
    "bandwidth": lambda r: r["benchmark"] in BANDWIDTH and "bytes" in r["params"],
    "weights": lambda r: r["benchmark"] in FAMILIES["weights"],
    "trend-latency": lambda r: r["benchmark"] in ("nop-round-trip", "null-ioctl",
                                                  "eventfd-round-trip"),
    "trend-bandwidth": lambda r: (r["benchmark"] in BANDWIDTH and
                                  r["params"].get("bytes") == 4 << 20) or
    (r["benchmark"] == "weight-load" and r["params"].get("strategy") == "read-into-bo"),
}


def svg_texts(path):
    """The texts of an SVG as headless Chromium reads it: titles and text elements."""
    with tempfile.TemporaryDirectory() as profile:
        try:
            dom = subprocess.run(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--user-data-dir={profile}", "--dump-dom",
                 f"file://{os.path.abspath(path)}"],
                capture_output=True, text=True, timeout=120).stdout
        except (OSError, subprocess.TimeoutExpired) as e:
            problems.append(f"{path}: Chromium: {e}")
            return []
    return [re.sub(r"<[^>]*>", "", t).replace("&amp;", "&").strip()
            for t in re.findall(r"<title>[^<]*</title>|<text[^>]*>[^<]*</text>", dom)]


def check_series(report, run):
    plots = os.path.join(report, "plots") if os.path.isdir(os.path.join(report, "plots")) \
        else report
    records = [r for _, recs in run_records(run) for r in recs]
    two_drivers = False
    for plot, draws in PLOTS.items():
        devs = sorted({device_label(r) for r in records if draws(r)})
        if len(devs) < 2:
            continue
        svg = os.path.join(plots, f"{plot}.svg")
        if not os.path.exists(svg):
            if plot.startswith("trend-"):
                continue    # trends are drawn for two runs or more
            problems.append(f"{plot}: no plot, though {', '.join(devs)} have its figures")
            continue
        texts = svg_texts(svg)
        missing = [d for d in devs if not any(t == d or t.endswith(" " + d) for t in texts)]
        if missing:
            problems.append(f"{plot}.svg: no series labelled {', '.join(missing)}; "
                            f"its texts: {texts}")
            continue
        drivers = {d.split("-")[0].split("/")[0] for d in devs}
        two_drivers |= len(drivers) >= 2
        print(f"{plot}.svg: a series for each of {', '.join(devs)}")
    if not two_drivers:
        problems.append("no plot shows two drivers side by side")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "drivers":
        check_drivers(sys.argv[2])
        for p in problems:
            print(p)
        return 1 if problems else 0
    if len(sys.argv) == 4 and sys.argv[1] == "series":
        check_series(sys.argv[2], sys.argv[3])
        for p in problems:
            print(p)
        return 1 if problems else 0
    no_jobs = "--no-jobs" in sys.argv[3:]
    no_userptr = "--no-userptr" in sys.argv[3:]
    if len(sys.argv) != 3 + no_jobs + no_userptr or sys.argv[1] not in FAMILIES:
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
        if want in JOB_FIGURES and no_jobs:
            if want in names:
                problems.append(f"a {want} record from a device that runs no jobs")
        elif want not in names:
            problems.append(f"no {want} record")
    if sys.argv[1] == "weights":
        got = {(r["params"].get("strategy"), r["params"].get("cache")) for r in records
               if r.get("benchmark") == "weight-load"}
        if no_userptr:
            for strategy, cache in sorted(got & USERPTR_LOADS):
                problems.append(f"a weight-load record of {strategy} ({cache}) from a device "
                                "without userptr BOs")
            if "arena-first-touch" in names:
                problems.append("an arena-first-touch record from a device without userptr BOs")
        else:
            if "arena-first-touch" not in names:
                problems.append("no arena-first-touch record")
            for strategy, cache in sorted(USERPTR_LOADS - got):
                problems.append(f"no weight-load record of {strategy} ({cache})")
        for strategy, cache in sorted(LOADS - got):
            if not (no_jobs and strategy in JOB_FIGURES):
                problems.append(f"no weight-load record of {strategy} ({cache})")
        for strategy, cache in sorted(got):
            if no_jobs and strategy in JOB_FIGURES:
                problems.append(f"a weight-load record of {strategy} ({cache}) from a device "
                                "that runs no jobs")
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
