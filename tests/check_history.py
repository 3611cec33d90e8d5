#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Prove `accel-cts history` on synthetic series of runs, for `make check`.

usage: check_history.py ACCEL_CTS WORKDIR
  step     12 dated runs (folders named against their dates), latency 10%
           worse from run 7 on (2% noise between runs): one change point, at
           run 7, a regression; --gate exits 1
  set      a run set 1..15 of bench records alone, the first three without
           the figure, 10% worse from run 10: the change point is run 10
  flat     12 runs of the same level: no change point; --gate exits 0
  flakes   a subtest failing in 3 of 12 runs: --write-flakes writes it with
           DRM CI's header (failure rate 25), and --flakes reads it back
           with the rate observed
and bad input is refused (exit 2).
"""
import json
import os
import random
import subprocess
import sys

problems = []


def write_run(path, date, median, fails):
    os.makedirs(f"{path}/refaccel-accel0", exist_ok=True)
    os.makedirs(f"{path}/bench", exist_ok=True)
    with open(f"{path}/environment.json", "w") as f:
        json.dump({"date": date, "kernel_release": "6.12.117+deb12-amd64", "git_sha": "abc1234"}, f)
    tests = {"igt@accel_gem@a": {"result": "fail" if fails else "pass"},
             "igt@accel_gem@b": {"result": "pass"}}
    with open(f"{path}/refaccel-accel0/results.json", "w") as f:
        json.dump({"__type__": "TestrunResult", "results_version": 10, "name": "s",
                   "tests": tests}, f)
    rec = {"benchmark": "nop-round-trip", "params": {}, "unit": "ns", "n": 1, "min": median,
           "median": median, "p90": median, "p99": median, "p999": median, "max": median,
           "mean": median, "stddev": 0, "samples": [median], "samples_decimated": False,
           "limit": {"name": "floor", "value": 1}, "ratio": 1, "higher_is_better": False,
           "cpu": 0, "env": {"driver": "refaccel", "device": "/dev/accel/accel0"}}
    with open(f"{path}/bench/latency-refaccel-accel0.json", "w") as f:
        json.dump([rec], f)


def history(tool, *args):
    p = subprocess.run([tool, "history", *args], capture_output=True, text=True)
    print(p.stdout, p.stderr)
    return p


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tool, work = sys.argv[1], sys.argv[2]
    rng = random.Random(20261202)
    # Folders named against their dates: history must order runs by date.
    for i in range(12):
        date = f"2026-12-{1 + i:02d}T10:00:00Z"
        write_run(f"{work}/step/{11 - i:02d}", date,
                  40e3 * (1.10 if i >= 6 else 1) * rng.lognormvariate(0, 0.02), i in (2, 5, 9))
        write_run(f"{work}/flat/{11 - i:02d}", date, 40e3 * rng.lognormvariate(0, 0.02), False)
    # A run set as REPEAT=N writes it (1..15, bench records only, dated in
    # their env), the first three runs without the figure: the step is at
    # the set's 10th run, not the figure's 7th.
    for i in range(15):
        path = f"{work}/set/{i + 1}"
        write_run(path, f"2026-12-{1 + i:02d}T10:00:00Z",
                  40e3 * (1.10 if i >= 9 else 1) * rng.lognormvariate(0, 0.02), False)
        os.remove(f"{path}/environment.json")
        with open(f"{path}/bench/latency-refaccel-accel0.json") as f:
            recs = json.load(f)
        recs[0]["env"]["date"] = f"2026-12-{1 + i:02d}T10:00:00Z"
        if i < 3:
            recs[0]["benchmark"] = "other"
        with open(f"{path}/bench/latency-refaccel-accel0.json", "w") as f:
            json.dump(recs, f)

    p = history(tool, "--gate", "--json", f"{work}/step.json", f"{work}/step")
    with open(f"{work}/step.json") as f:
        got = json.load(f)
    cps = [c for fig in got["figures"] for c in fig["change_points"]]
    if p.returncode != 1 or len(cps) != 1 or cps[0]["run"] != 7 or cps[0]["verdict"] != "regression" \
            or not 0.07 < cps[0]["change"] < 0.13:
        problems.append(f"step: exit {p.returncode}, change points {cps}; expected one regression "
                        "of about +10% at run 7, exit 1")
    p = history(tool, "--gate", "--json", f"{work}/set.json", f"{work}/set")
    with open(f"{work}/set.json") as f:
        got = json.load(f)
    cps = [c for fig in got["figures"] if "nop-round-trip" in fig["key"] for c in fig["change_points"]]
    if p.returncode != 1 or len(cps) != 1 or cps[0]["run"] != 10 or not cps[0]["path"].endswith("/set/10"):
        problems.append(f"set: exit {p.returncode}, change points {cps}; expected one at run 10 (set/10)")
    p = history(tool, "--gate", f"{work}/flat")
    if p.returncode != 0 or "none" not in p.stdout:
        problems.append(f"flat: exit {p.returncode}, expected 0 and no change point")

    p = history(tool, "--write-flakes", f"{work}/flakes.txt", "--board", "vm", f"{work}/step")
    with open(f"{work}/flakes.txt") as f:
        text = f.read()
    for want in ("# Board Name: vm", "# Failure Rate: 25", "# Linux Version: 6.12.117+deb12-amd64",
                 "\naccel_gem@a\n"):
        if want not in text:
            problems.append(f"flakes written: no {want!r} in {text!r}")
    p = history(tool, "--flakes", f"{work}/flakes.txt", f"{work}/step")
    if p.returncode != 0 or "declared 25%, observed 3 of 12 runs" not in p.stdout:
        problems.append(f"flakes read back: exit {p.returncode}, output lacks the rates")

    with open(f"{work}/bad-flakes.txt", "w") as f:
        f.write("accel_gem@(\n")
    for args, why in (([f"{work}/nothing-here"], "nothing-here"),
                      (["--min-runs", "0", f"{work}/flat"], "--min-runs"),
                      (["--flakes", f"{work}/bad-flakes.txt", f"{work}/flat"], "regex"),
                      ([], "needs run folders")):
        p = subprocess.run([tool, "history", *args], capture_output=True, text=True)
        if p.returncode != 2 or why not in p.stderr:
            problems.append(f"history {args}: exit {p.returncode}, stderr {p.stderr!r}")
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
