#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare the kernel's run_kselftest.sh output with the runner's results, for `make check`.

usage: check_kselftest.py KSELFTEST_LOG DEVICE_RESULTS_DIR
The log is run_kselftest.sh -c accel-cts on one device; the results folder is
`accel-cts run`'s for the same device. Each test program's nested KTAP (lines
"# ok N name", "# not ok N name", "# ok N name # SKIP ...") must give every
subtest the result the runner recorded: pass, fail (any failure) or skip; and
each program's own line must be ok, ok # SKIP or not ok accordingly.
"""
import json
import os
import re
import sys

NESTED = re.compile(r"^# (ok|not ok) \d+ (\S+)(.*)$")
# A dynamic subtest's line, nested one level deeper, before its subtest's.
DYNAMIC = re.compile(r"^#   (ok|not ok) \d+ (\S+)(.*)$")
TOP = re.compile(r"^(ok|not ok) \d+ selftests: accel-cts: (\S+)( # SKIP)?")
HEADER = re.compile(r"^# selftests: accel-cts: (\S+)$")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    got, top, current, parts = {}, {}, None, []
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.rstrip("\n")
            if m := HEADER.match(line):
                current = m.group(1)
            elif (m := DYNAMIC.match(line)) and current:
                parts.append((m.group(2), "skip" if "# SKIP" in m.group(3) else
                              "pass" if m.group(1) == "ok" else "fail"))
            elif (m := NESTED.match(line)) and current:
                verdict = "skip" if "# SKIP" in m.group(3) else \
                    "pass" if m.group(1) == "ok" else "fail"
                got[(current, m.group(2))] = verdict
                for part, v in parts:
                    got[(current, f"{m.group(2)}@{part}")] = v
                parts = []
            elif m := TOP.match(line):
                top[m.group(2)] = "skip" if m.group(3) else \
                    "pass" if m.group(1) == "ok" else "fail"
    with open(os.path.join(sys.argv[2], "results.json")) as f:
        tests = json.load(f)["tests"]
    want = {}
    for key, t in tests.items():
        _, binary, sub = key.split("@", 2)
        r = t["result"]
        want[(binary, sub)] = r if r in ("pass", "skip") else "fail"
    problems = []
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            problems.append(f"{k[0]}@{k[1]}: kselftest says {got.get(k)}, the runner {want.get(k)}")
    for binary in sorted({b for b, _ in want}):
        results = [v for (b, _), v in want.items() if b == binary]
        expect = "fail" if "fail" in results else "skip" if set(results) == {"skip"} else "pass"
        if top.get(binary) != expect:
            problems.append(f"{binary}: kselftest's line says {top.get(binary)}, expected {expect}")
    for p in problems[:30]:
        print(p)
    print(f"{len(got)} subtests from kselftest, {len(want)} from the runner, {len(problems)} differences")
    return 1 if problems or not got else 0


if __name__ == "__main__":
    sys.exit(main())
