#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge a vm/bench-ab folder, for `make check`.

usage: check_ab.py aa DIR            identical sides: no benchmark regression or
                                     improvement, no conformance change, every
                                     figure compared over all runs of each side
       check_ab.py seeded DIR KIND   a slowdown seeded in B (latency: job_delay_us,
                                     bandwidth: copy_throttle_mbps): the NOP round
                                     trip, or the largest COPY, a regression; no
                                     figure the slowdown cannot move flagged
"""
import json
import os
import sys

problems = []


def load(d):
    with open(os.path.join(d, "compare.json")) as f:
        return json.load(f)


def runs(d, side):
    return len([e for e in os.listdir(os.path.join(d, side)) if e.isdigit()])


def check_aa(d):
    got = load(d)
    n = runs(d, "A")
    if got["base_runs"] != n or got["new_runs"] != runs(d, "B") or n < 3:
        problems.append(f"{d}: compared {got['base_runs']} against {got['new_runs']} runs")
    flagged = [(b["key"], b["verdict"], round(100 * b["change"], 1)) for b in got["benchmarks"]
               if b["verdict"] in ("regression", "improvement")]
    if flagged:
        problems.append(f"{d}: identical builds, yet changes: {flagged}")
    if got["conformance"]:
        problems.append(f"{d}: identical builds, yet conformance changes: {got['conformance']}")
    if not got["benchmarks"] or any(b["n_base"] != n or b["n_new"] != runs(d, "B")
                                    for b in got["benchmarks"]):
        problems.append(f"{d}: some figure was not measured in every run")
    noise = sorted(b["noise"] for b in got["benchmarks"] if b.get("noise") is not None)
    if noise:
        print(f"between-run noise over {len(noise)} figures: median {100 * noise[len(noise) // 2]:.1f}%, "
              f"max {100 * noise[-1]:.1f}%")


def name(key):
    """'refaccel-accel0 nop-round-trip {...}' -> the benchmark's name."""
    return key.split()[1]


# What a seeded slowdown must move, and what it may move: figures of job
# submission or of the COPY engine; the others never submit a job.
SEEDED = {
    "latency": (("nop-round-trip",),
                ("nop-round-trip", "nop-throughput", "nop-submit-to-start", "nop-start-to-end",
                 "nop-end-to-woken", "copy-engine", "udmabuf-import-copy")),
    "bandwidth": (("copy-engine",), ("copy-engine", "udmabuf-import-copy")),
}


def check_seeded(d, fam):
    got = load(d)
    must, may = SEEDED[fam]
    hit = [b for b in got["benchmarks"] if name(b["key"]) in must]
    if fam == "bandwidth":
        # The throttle bounds large copies; small ones are mostly job overhead.
        big = max(json.loads(b["key"].split(" ", 2)[2])["bytes"] for b in hit) if hit else 0
        hit = [b for b in hit if json.loads(b["key"].split(" ", 2)[2])["bytes"] == big]
    if not hit or any(b["verdict"] != "regression" for b in hit):
        problems.append(f"{d}: the seeded {fam} slowdown was not a regression of "
                        f"{must}: {[(b['key'], b['verdict'], b['change']) for b in hit]}")
    others = [(b["key"], b["verdict"]) for b in got["benchmarks"]
              if name(b["key"]) not in may and b["verdict"] in ("regression", "improvement")]
    if others:
        problems.append(f"{d}: figures the slowdown cannot move were flagged: {others}")
    for b in hit:
        print(f"{b['key']}: {100 * b['change']:+.1f}%, noise {100 * (b.get('noise') or 0):.1f}%, "
              f"adjusted p {b['p_adjusted']:.2g}: {b['verdict']}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "aa":
        check_aa(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "seeded":
        check_seeded(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
