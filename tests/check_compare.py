#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prove `accel-cts compare` on synthetic run folders, for `make check`.

usage: check_compare.py ACCEL_CTS WORKDIR
Builds pairs of run folders whose differences are known, runs the
comparison on each and checks that it finds exactly those regressions:
  regressed   a pass->fail and a 30% latency slowdown (plus a fixed subtest,
              a lost one and a bandwidth figure that only got noisier)
  identical   the same folder twice
  noisy       the same distributions drawn twice with heavy noise
  tiny        a significant change smaller than the threshold
  few         a large change on three samples each: not significant
  host        figure and limit 30% slower: a regression raw, none with --normalise
  driver      the figure alone 30% slower: a regression with --normalise
Every folder is a run of one kernel and one git sha, the new run of a pair
24 minutes after the base, as before and after a driver patch: the pair
tests/check-report plots must show as two series.
"""
import json
import os
import random
import subprocess
import sys

problems = []


def results(tests):
    return {"__type__": "TestrunResult", "results_version": 10, "name": "synthetic",
            "tests": {f"igt@{k}": {"result": v, "out": "", "err": "", "dmesg": ""}
                      for k, v in tests.items()}}


def record(name, unit, samples, higher, params=None, limit=1):
    s = sorted(samples)
    n = len(s)
    mean = sum(s) / n
    return {"benchmark": name, "params": params or {}, "unit": unit, "n": n, "min": s[0],
            "median": s[(n + 1) // 2 - 1], "p90": s[-1], "p99": s[-1], "p999": s[-1],
            "max": s[-1], "mean": mean, "stddev": 0, "samples": s, "samples_decimated": False,
            "limit": {"name": "floor", "value": limit}, "ratio": 1, "higher_is_better": higher,
            "cpu": 0, "env": {"driver": "refaccel", "device": "/dev/accel/accel0"}}


def write_run(path, tests, records):
    os.makedirs(f"{path}/refaccel-accel0", exist_ok=True)
    os.makedirs(f"{path}/bench", exist_ok=True)
    # Labelled "f18579d 6.12.117 20:29" (base) and "... 20:53" (new) in plots.
    date = "2026-12-01T20:53:52Z" if path.endswith("-new") else "2026-12-01T20:29:15Z"
    with open(f"{path}/environment.json", "w") as f:
        json.dump({"kernel_release": "6.12.117+deb12-amd64",
                   "kernel_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 (2026-11-14)",
                   "machine": "x86_64", "hostname": "(none)", "date": date, "vm": True,
                   "git_sha": "f18579d"}, f)
    with open(f"{path}/refaccel-accel0/results.json", "w") as f:
        json.dump(results(tests), f)
    with open(f"{path}/bench/latency-refaccel-accel0.json", "w") as f:
        json.dump(records, f)


def draws(rng, n, centre, spread, lognormal=False):
    if lognormal:
        return [centre * rng.lognormvariate(0, spread) for _ in range(n)]
    return [rng.gauss(centre, spread) for _ in range(n)]


def compare(tool, work, name, *opts, run=None):
    out = f"{work}/{name}{''.join(opts)}.json"
    run = run or name
    p = subprocess.run([tool, "compare", *opts, "--json", out, f"{work}/{run}-base",
                        f"{work}/{run}-new"], capture_output=True, text=True)
    print(p.stdout, p.stderr)
    with open(out) as f:
        return p.returncode, json.load(f)


def expect(name, rc, got, want_rc, conf, bench):
    got_conf = {(c["test"], c["change"]) for c in got["conformance"]}
    got_bench = {(b["key"].split()[1], b["verdict"]) for b in got["benchmarks"]
                 if b["verdict"] in ("regression", "improvement")}
    if rc != want_rc:
        problems.append(f"{name}: exit status {rc}, expected {want_rc}")
    if got_conf != conf:
        problems.append(f"{name}: conformance changes {sorted(got_conf)}, expected {sorted(conf)}")
    if got_bench != bench:
        problems.append(f"{name}: benchmark verdicts {sorted(got_bench)}, expected {sorted(bench)}")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tool, work = sys.argv[1], sys.argv[2]
    rng = random.Random(20261128)
    base_tests = {"accel_gem@a": "pass", "accel_gem@b": "pass", "accel_gem@c": "fail",
                  "accel_gem@d": "pass", "accel_gem@e": "skip"}

    # A known slowdown and a known pass->fail, among other changes.
    write_run(f"{work}/regressed-base", base_tests, [
        record("nop-round-trip", "ns", draws(rng, 300, 100e3, 5e3), False),
        record("copy-engine", "GB/s", draws(rng, 30, 2.0, 0.05), True, {"bytes": 4096})])
    write_run(f"{work}/regressed-new", dict(base_tests, **{
        "accel_gem@b": "fail", "accel_gem@c": "pass", "accel_gem@d": "skip"}), [
        record("nop-round-trip", "ns", draws(rng, 300, 130e3, 5e3), False),
        record("copy-engine", "GB/s", draws(rng, 30, 2.0, 0.2), True, {"bytes": 4096})])
    rc, got = compare(tool, work, "regressed")
    expect("regressed", rc, got, 1,
           {("igt@accel_gem@b", "regression"), ("igt@accel_gem@c", "fixed"),
            ("igt@accel_gem@d", "lost-coverage")},
           {("nop-round-trip", "regression")})
    slow = [b for b in got["benchmarks"] if b["key"].split()[1] == "nop-round-trip"]
    if not slow or not 0.25 < slow[0]["change"] < 0.35 or slow[0]["confidence"] < 0.999:
        problems.append(f"regressed: slowdown not reported as about +30% with high confidence: {slow}")

    # The same samples twice.
    recs = [record("nop-round-trip", "ns", draws(rng, 300, 100e3, 5e3), False),
            record("copy-engine", "GB/s", draws(rng, 30, 2.0, 0.05), True, {"bytes": 4096})]
    write_run(f"{work}/identical-base", base_tests, recs)
    write_run(f"{work}/identical-new", base_tests, recs)
    rc, got = compare(tool, work, "identical")
    expect("identical", rc, got, 0, set(), set())

    # Heavy noise, same distribution: twenty figures, none may be called a change.
    def noisy():
        return [record("bw", "GB/s", draws(rng, 40, 1.0, 0.4, lognormal=True), True, {"i": i})
                for i in range(20)]
    write_run(f"{work}/noisy-base", base_tests, noisy())
    write_run(f"{work}/noisy-new", base_tests, noisy())
    rc, got = compare(tool, work, "noisy")
    expect("noisy", rc, got, 0, set(), set())

    # Significant but under the 5% threshold: not a change.
    write_run(f"{work}/tiny-base", base_tests, [record("lat", "ns", draws(rng, 500, 1000, 5), False)])
    write_run(f"{work}/tiny-new", base_tests, [record("lat", "ns", draws(rng, 500, 1020, 5), False)])
    rc, got = compare(tool, work, "tiny")
    expect("tiny", rc, got, 0, set(), set())

    # Far beyond the threshold but on three samples each: p >= 0.1, not significant.
    write_run(f"{work}/few-base", base_tests, [record("lat", "ns", [100, 101, 102], False)])
    write_run(f"{work}/few-new", base_tests, [record("lat", "ns", [200, 201, 202], False)])
    rc, got = compare(tool, work, "few")
    expect("few", rc, got, 0, set(), set())
    if got["benchmarks"] and got["benchmarks"][0]["verdict"] != "not-significant":
        problems.append(f"few: verdict {got['benchmarks'][0]['verdict']}, expected not-significant")

    # A host that got 30% slower as a whole: the figure and its in-run limit
    # moved together. Raw, that is a regression; normalised by the limit, none.
    write_run(f"{work}/host-base", base_tests,
              [record("nop-round-trip", "ns", draws(rng, 300, 100e3, 2e3), False, limit=50e3)])
    write_run(f"{work}/host-new", base_tests,
              [record("nop-round-trip", "ns", draws(rng, 300, 130e3, 2e3), False, limit=65e3)])
    rc, got = compare(tool, work, "host")
    expect("host (raw)", rc, got, 1, set(), {("nop-round-trip", "regression")})
    rc, got = compare(tool, work, "host", "--normalise")
    expect("host (normalised)", rc, got, 0, set(), set())
    # The driver alone got slower: a regression either way.
    write_run(f"{work}/driver-base", base_tests,
              [record("nop-round-trip", "ns", draws(rng, 300, 100e3, 2e3), False, limit=50e3)])
    write_run(f"{work}/driver-new", base_tests,
              [record("nop-round-trip", "ns", draws(rng, 300, 130e3, 2e3), False, limit=50e3)])
    rc, got = compare(tool, work, "driver", "--normalise")
    expect("driver (normalised)", rc, got, 1, set(), {("nop-round-trip", "regression")})

    # Bad input: a missing folder is a usage error, not "no regression".
    p = subprocess.run([tool, "compare", f"{work}/no-such-run", f"{work}/few-new"],
                       capture_output=True, text=True)
    if p.returncode != 2 or "no-such-run" not in p.stderr:
        problems.append(f"a missing folder: exit {p.returncode}, stderr {p.stderr!r}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
