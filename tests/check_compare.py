#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prove `accel-cts compare` on synthetic run folders, for `make check`.

usage: check_compare.py ACCEL_CTS WORKDIR
Builds groups of runs (each run a replicate with its own level, as guest
boots differ) whose differences are known, compares them and checks that
exactly those changes are found:
  regressed   5 runs a side: a pass->fail and a 30% latency slowdown (plus a
              fixed subtest, a lost one and a figure that only got noisier)
  single      one run of each side of "regressed": the conformance regression
              stays, every benchmark figure is inconclusive
  identical   the same group twice
  noisy       20 figures, 25% noise between runs, same distributions: nothing
  tiny        a consistent 2% change: under the threshold
  few         two runs a side with a doubling but as much noise: not significant
  host        figure and limit 30% slower: a regression raw, none with --normalise
  driver      the figure alone 30% slower: a regression with --normalise
  flaky       a subtest failing in one run of five: reported as flaky, not gating
and that a run set folder, --base/--new lists and bad input behave.
Every run is of one kernel and one git sha, a side's runs a minute apart and
the new side's 24 minutes after the base's, as before and after a driver
patch: tests/check-report plots them and must show each run as its own series.
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


def write_run(path, tests, records, minute=29):
    os.makedirs(f"{path}/refaccel-accel0", exist_ok=True)
    os.makedirs(f"{path}/bench", exist_ok=True)
    # Labelled "f18579d 6.12.117 20:29" (the first base run) in plots.
    with open(f"{path}/environment.json", "w") as f:
        json.dump({"kernel_release": "6.12.117+deb12-amd64",
                   "kernel_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 (2026-11-14)",
                   "machine": "x86_64", "hostname": "(none)", "date": f"2026-12-01T20:{minute:02d}:15Z",
                   "vm": True, "git_sha": "f18579d"}, f)
    with open(f"{path}/refaccel-accel0/results.json", "w") as f:
        json.dump(results(tests), f)
    with open(f"{path}/bench/latency-refaccel-accel0.json", "w") as f:
        json.dump(records, f)


def write_group(path, n, tests, records_of_run):
    """n runs in path/1..n: a run set; tests and records may depend on the run."""
    for i in range(n):
        t = tests(i) if callable(tests) else tests
        write_run(f"{path}/{i + 1}", t, records_of_run(i),
                  minute=(53 if path.endswith("-new") else 29) + i)


def draws(rng, n, centre, spread, lognormal=False):
    if lognormal:
        return [centre * rng.lognormvariate(0, spread) for _ in range(n)]
    return [rng.gauss(centre, spread) for _ in range(n)]


def compare(tool, work, name, *opts, base=None, new=None):
    out = f"{work}/{name}{''.join(opts)}.json"
    base = base or f"{work}/{name}-base"
    new = new or f"{work}/{name}-new"
    p = subprocess.run([tool, "compare", *opts, "--json", out, base, new],
                       capture_output=True, text=True)
    print(p.stdout, p.stderr)
    with open(out) as f:
        return p.returncode, json.load(f), p.stdout


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
    new_tests = dict(base_tests, **{"accel_gem@b": "fail", "accel_gem@c": "pass",
                                    "accel_gem@d": "skip"})

    def level(centre, noise):
        """A run's own level: the between-run noise that replicates measure."""
        return centre * rng.lognormvariate(0, noise)

    # A known slowdown and a known pass->fail, among other changes.
    write_group(f"{work}/regressed-base", 5, base_tests, lambda i: [
        record("nop-round-trip", "ns", draws(rng, 300, level(100e3, 0.03), 5e3), False),
        record("copy-engine", "GB/s", draws(rng, 30, level(2.0, 0.03), 0.05), True, {"bytes": 4096})])
    write_group(f"{work}/regressed-new", 5, new_tests, lambda i: [
        record("nop-round-trip", "ns", draws(rng, 300, level(130e3, 0.03), 5e3), False),
        record("copy-engine", "GB/s", draws(rng, 30, level(2.0, 0.10), 0.2), True, {"bytes": 4096})])
    rc, got, _ = compare(tool, work, "regressed")
    expect("regressed", rc, got, 1,
           {("igt@accel_gem@b", "regression"), ("igt@accel_gem@c", "fixed"),
            ("igt@accel_gem@d", "lost-coverage")},
           {("nop-round-trip", "regression")})
    slow = [b for b in got["benchmarks"] if b["key"].split()[1] == "nop-round-trip"]
    if not slow or not 0.25 < slow[0]["change"] < 0.35 or slow[0]["confidence"] < 0.99 \
            or slow[0]["n_base"] != 5 or slow[0]["n_new"] != 5:
        problems.append(f"regressed: slowdown not reported as about +30% over 5 runs a side: {slow}")

    # One run a side: the noise between runs is unknown, so no benchmark verdict.
    rc, got, out = compare(tool, work, "single", base=f"{work}/regressed-base/1",
                           new=f"{work}/regressed-new/1")
    expect("single", rc, got, 1,
           {("igt@accel_gem@b", "regression"), ("igt@accel_gem@c", "fixed"),
            ("igt@accel_gem@d", "lost-coverage")}, set())
    if {b["verdict"] for b in got["benchmarks"]} != {"inconclusive"} or "inconclusive" not in out:
        problems.append(f"single: benchmark verdicts {[b['verdict'] for b in got['benchmarks']]}, "
                        "expected all inconclusive, and said so")

    # The same group twice.
    recs = [[record("nop-round-trip", "ns", draws(rng, 300, level(100e3, 0.05), 5e3), False)]
            for _ in range(5)]
    write_group(f"{work}/identical-base", 5, base_tests, lambda i: recs[i])
    write_group(f"{work}/identical-new", 5, base_tests, lambda i: recs[i])
    rc, got, _ = compare(tool, work, "identical")
    expect("identical", rc, got, 0, set(), set())

    # Heavy noise between runs, same distribution: twenty figures, none a change.
    def noisy(i):
        return [record("bw", "GB/s", draws(rng, 40, level(1.0, 0.25), 0.02), True, {"i": k})
                for k in range(20)]
    write_group(f"{work}/noisy-base", 5, base_tests, noisy)
    write_group(f"{work}/noisy-new", 5, base_tests, noisy)
    rc, got, _ = compare(tool, work, "noisy")
    expect("noisy", rc, got, 0, set(), set())

    # Consistent but under the 5% threshold: not a change.
    write_group(f"{work}/tiny-base", 5, base_tests,
                lambda i: [record("lat", "ns", draws(rng, 500, level(1000, 0.005), 5), False)])
    write_group(f"{work}/tiny-new", 5, base_tests,
                lambda i: [record("lat", "ns", draws(rng, 500, level(1020, 0.005), 5), False)])
    rc, got, _ = compare(tool, work, "tiny")
    expect("tiny", rc, got, 0, set(), set())

    # Twice as slow, but two runs a side that differ as much: not significant.
    write_group(f"{work}/few-base", 2, base_tests,
                lambda i: [record("lat", "ns", [100 * (1 + i)] * 3, False)])
    write_group(f"{work}/few-new", 2, base_tests,
                lambda i: [record("lat", "ns", [200 * (1 + i)] * 3, False)])
    rc, got, _ = compare(tool, work, "few")
    expect("few", rc, got, 0, set(), set())
    if len(got["benchmarks"]) != 1 or got["benchmarks"][0]["verdict"] != "not-significant":
        problems.append(f"few: verdict {got['benchmarks'][0]['verdict']}, expected not-significant")

    # A host that got 30% slower as a whole: the figure and its in-run limit
    # moved together. Raw, that is a regression; normalised by the limit, none.
    def host(centre, limit):
        def recs_of(i):
            lvl = rng.lognormvariate(0, 0.03)
            return [record("nop-round-trip", "ns", draws(rng, 300, centre * lvl, 2e3), False,
                           limit=limit * lvl)]
        return recs_of
    write_group(f"{work}/host-base", 5, base_tests, host(100e3, 50e3))
    write_group(f"{work}/host-new", 5, base_tests, host(130e3, 65e3))
    rc, got, _ = compare(tool, work, "host")
    expect("host (raw)", rc, got, 1, set(), {("nop-round-trip", "regression")})
    rc, got, _ = compare(tool, work, "host", "--normalise")
    expect("host (normalised)", rc, got, 0, set(), set())
    # The driver alone got slower: a regression either way.
    write_group(f"{work}/driver-base", 5, base_tests, host(100e3, 50e3))
    write_group(f"{work}/driver-new", 5, base_tests, host(130e3, 50e3))
    rc, got, _ = compare(tool, work, "driver", "--normalise")
    expect("driver (normalised)", rc, got, 1, set(), {("nop-round-trip", "regression")})

    # A figure only the base measured (GB/s, higher is better), listed before
    # a shared one in ns that doubled: that one is still a slowdown, in ns.
    def onesided(side):
        def recs_of(i):
            recs = [record("shared", "ns", draws(rng, 50, level(100 if side == "base" else 200, 0.02),
                                                   1), False)]
            del recs[0]["higher_is_better"]
            if side == "base":
                recs.insert(0, record("aaa-only-base", "GB/s", draws(rng, 50, 1.0, 0.01), True))
            return recs
        return recs_of
    write_group(f"{work}/onesided-base", 5, base_tests, onesided("base"))
    write_group(f"{work}/onesided-new", 5, base_tests, onesided("new"))
    rc, got, out = compare(tool, work, "onesided")
    expect("onesided", rc, got, 1, set(), {("shared", "regression")})
    shared = [b for b in got["benchmarks"] if b["key"].split()[1] == "shared"]
    if len(got["benchmarks"]) != 1 or not shared or shared[0]["unit"] != "ns" or "1 only in one side" not in out:
        problems.append(f"onesided: {got['benchmarks']}; expected the shared figure alone, in ns, "
                        "and the other counted as only in one side")

    # Runs measured with different clocks (real time, instruction counts): not comparable.
    write_group(f"{work}/clocks-base", 5, base_tests,
                lambda i: [record("lat", "ns", draws(rng, 50, level(100, 0.01), 1), False)])
    write_group(f"{work}/clocks-new", 5, base_tests,
                lambda i: [record("lat", "ns", draws(rng, 50, level(200, 0.01), 1), False)])
    for i in range(5):
        path = f"{work}/clocks-new/{i + 1}/environment.json"
        with open(path) as f:
            env = json.load(f)
        env["clock"] = "icount shift 3"
        with open(path, "w") as f:
            json.dump(env, f)
    rc, got, out = compare(tool, work, "clocks")
    if rc != 0 or {b["verdict"] for b in got["benchmarks"]} != {"inconclusive"} or "clocks" not in out:
        problems.append(f"clocks: exit {rc}, verdicts {[b['verdict'] for b in got['benchmarks']]}; "
                        "expected inconclusive, said to be the clocks")

    # A subtest that fails in one run of five: flaky, reported, not a regression.
    write_group(f"{work}/flaky-base", 5, base_tests, lambda i: [])
    write_group(f"{work}/flaky-new", 5, lambda i: dict(base_tests, **(
        {"accel_gem@a": "fail"} if i == 2 else {})), lambda i: [])
    rc, got, _ = compare(tool, work, "flaky")
    expect("flaky", rc, got, 0, {("igt@accel_gem@a", "flaky")}, set())

    # --base/--new lists give what the run set folders give.
    lists = []
    for side in ("base", "new"):
        for i in range(5):
            lists += [f"--{side}", f"{work}/regressed-{side}/{i + 1}"]
    p = subprocess.run([tool, "compare", "--json", f"{work}/lists.json", *lists],
                       capture_output=True, text=True)
    with open(f"{work}/lists.json") as f:
        listed = json.load(f)
    with open(f"{work}/regressed.json") as f:
        folders = json.load(f)
    if p.returncode != 1 or listed["benchmarks"] != folders["benchmarks"]:
        problems.append(f"--base/--new lists: exit {p.returncode}, or verdicts differ from the run sets'")

    # Bad input: usage errors, never "no regression".
    os.makedirs(f"{work}/empty-set/not-a-run", exist_ok=True)
    for args, why in (([f"{work}/no-such-run", f"{work}/few-new"], "no-such-run"),
                      ([f"{work}/empty-set", f"{work}/few-new"], "holds none"),
                      (["--base", f"{work}/few-base"], "--new"),
                      (["--base", f"{work}/few-base", "--new", f"{work}/few-new", f"{work}/x"],
                       "no others")):
        p = subprocess.run([tool, "compare", *args], capture_output=True, text=True)
        if p.returncode != 2 or why not in p.stderr:
            problems.append(f"compare {args}: exit {p.returncode}, stderr {p.stderr!r}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
