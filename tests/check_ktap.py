#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every KTAP file read by the kernel's own KTAP parser (kunit.py parse).

usage: check_ktap.py KUNIT_PY RESULTS.KTAP...   (results.json beside each)
       check_ktap.py KUNIT_PY --binary FILE.KTAP RESULTS.JSON BINARY
For each file: kunit.py parses it without a parser error, and its counts
(tests, passed, failed, skipped) are those of the results.json beside it
(dynamic subtests in place of the subtest that holds them, as kunit.py
counts the leaves of nested tests), or
of BINARY's subtests in RESULTS.JSON for a test binary's own --ktap output.
"""
import json
import os
import re
import subprocess
import sys

problems = []
SUMMARY = re.compile(r"Testing complete\. Ran (\d+) tests?(?:: (.*))?$")


def parse(kunit, path):
    p = subprocess.run([sys.executable, kunit, "parse", path], capture_output=True, text=True)
    out = p.stdout + p.stderr
    for line in out.splitlines():
        if "[ERROR]" in line or "Test: " in line and "ERROR" in line:
            problems.append(f"{path}: kunit.py: {line.strip()}")
    for line in out.splitlines():
        m = SUMMARY.search(line)
        if m:
            counts = {"ran": int(m.group(1))}
            for part in (m.group(2) or "").split(","):
                if ":" in part:
                    k, v = part.split(":")
                    counts[k.strip()] = int(v)
            return counts
    problems.append(f"{path}: kunit.py printed no summary:\n{out[-800:]}")
    return None


def expected(tests):
    """kunit.py counts leaves: a subtest with dynamic subtests counts as its parts."""
    parents = {k.rsplit("@", 1)[0] for k in tests if k.count("@") == 3}
    tests = {k: v for k, v in tests.items() if k not in parents}
    want = {"ran": len(tests), "passed": 0, "failed": 0, "skipped": 0}
    for t in tests.values():
        r = t["result"]
        key = "passed" if r == "pass" else "skipped" if r in ("skip", "notrun") else "failed"
        want[key] += 1
    return want


def compare(path, got, want):
    if got is None:
        return
    for k, v in want.items():
        if got.get(k, 0) != v:
            problems.append(f"{path}: kunit.py counts {k} {got.get(k, 0)}, results.json {v}")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kunit = sys.argv[1]
    if sys.argv[2] == "--binary":
        path, res, binary = sys.argv[3:6]
        with open(res) as f:
            tests = {k: v for k, v in json.load(f)["tests"].items()
                     if k.startswith(f"igt@{binary}@")}
        compare(path, parse(kunit, path), expected(tests))
    else:
        for path in sys.argv[2:]:
            with open(os.path.join(os.path.dirname(path), "results.json")) as f:
                tests = json.load(f)["tests"]
            compare(path, parse(kunit, path), expected(tests))
    for p in problems:
        print(p)
    print(f"{len(sys.argv) - 2} KTAP inputs parsed" if not problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
