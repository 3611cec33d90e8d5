#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Judge a results folder written by `accel-cts run`, for `make check`.

usage: check_results.py suite DIR      every subtest passes on refaccel, passes or
                                       skips with a reason on vgem; files are valid
       check_results.py suite-debug DIR  the same on the debug kernel's run (refaccel's
                                       one device alone), where no subtest may skip
                                       for want of a kernel feature
       check_results.py victim DIR     crash, hang and failure were each recorded and
                                       the run went on
       check_results.py survive DIR    the kernel_victim run of vm/run-resumable: the
                                       Oops, panic and freeze each recorded against
                                       their subtest, the run finished in fresh boots
       check_results.py inactive DIR   --inactivity-timeout killed the silent hang
       check_results.py overall DIR    --overall-timeout left the rest notrun
       check_results.py quiet DIR      a 45 s quiet subtest outlived a 20 s host
                                       inactivity limit: one boot, no events
       check_results.py csv-names DIR  every failures.csv line under DIR names a
                                       deqp-runner status
       check_results.py igt-agrees IGT DEV  igt_runner's results folder IGT has every
                                       subtest of accel-cts' device folder DEV, with
                                       the same result and the subtest's [IGT] marks
       check_results.py same-json A B   two results.json files hold the same JSON
       check_results.py same A B        every device of run B has run A's result for
                                       every subtest
       check_results.py same-content A B  as same, and each subtest's output, stderr,
                                       reason and kernel-log [IGT] marks equal but for
                                       times and numbers (seeds, counts): --single (A)
                                       against --multiple (B)
       check_results.py expect-lab DIR   DRM CI expectation files applied: expected
       check_results.py expect-lab2 DIR  failures, a retried flake, a listed skip; only
                                         an unexpected pass fails (lab), nothing (lab2)
       check_results.py dynamic DIR    the harness_dynamic run (accel-cts run --no-device,
                                       expectations of board "host"): every subtest and
                                       dynamic subtest, its output, reason, verdict, and
                                       results.ktap, junit.xml and failures.csv agree
       check_results.py dynamic-resume DIR  the runner died in runner-dies@dies-here:
                                       resume blamed that part, kept the one before
Prints one line per problem and exits 1 if there is any.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

problems = []


def load(devdir):
    with open(os.path.join(devdir, "results.json")) as f:
        res = json.load(f)
    ET.parse(os.path.join(devdir, "junit.xml"))
    with open(os.path.join(devdir, "results.ktap")) as f:
        if not f.readline().startswith("KTAP version 1"):
            problems.append(f"{devdir}: results.ktap has no KTAP header")
    if res.get("__type__") != "TestrunResult":
        problems.append(f"{devdir}: results.json is not a TestrunResult")
    return res


# Skips for a kernel without a feature (not the driver's doing): accepted on
# Debian's kernels, never on the debug kernel, which has them all but
# devcoredump (its config does not have it yet; Debian's kernels do).
KERNEL_SKIPS = ("needs the dmem cgroup controller", "needs devcoredump in the kernel")
# The debug kernel has no ext4 either, so no scratch disk for the one
# userptr part that needs a filesystem with writeback.
DEBUG_KERNEL_SKIPS = ("needs devcoredump in the kernel",
                      "no writable filesystem with writeback (set ACCEL_CTS_SCRATCH)")


def check_suite(run, wanted=("refaccel-accel0", "refaccel-accel1", "vgem-card0", "vgem-renderD128"),
                kernel_skips=KERNEL_SKIPS):
    devs = sorted(d for d in os.listdir(run) if os.path.isdir(os.path.join(run, d)))
    for want in wanted:
        if want not in devs:
            problems.append(f"{run}: no results for {want} (have {devs})")
    for d in devs:
        res = load(os.path.join(run, d))
        meta = res.get("accel_cts", {})
        label, caps = meta.get("label", ""), set(meta.get("capabilities", "").split())
        if d == "vgem-renderD128" and meta.get("backend") != "generic":
            problems.append(f"{d}: driven by {meta.get('backend')!r}, not the generic backend")
        tests = res["tests"]
        if len(tests) < 30:
            problems.append(f"{d}: only {len(tests)} subtests ran")
        for name, t in sorted(tests.items()):
            r, why = t["result"], t.get("accel_cts_reason", "")
            # refaccel in its full class passes everything; in another class
            # a subtest may only skip for a capability that class lacks.
            needs = why.split()[2].rstrip(",") if why.startswith("needs capability ") else None
            # Another driver's failure its expectation files list (vgem: MEM-MMAP-5).
            excused = not d.startswith("refaccel") and t.get("accel_cts_expectation") == "expected-fail"
            if r == "skip" and why.startswith(kernel_skips):
                continue
            if d.startswith("refaccel") and label == "refaccel" and r != "pass":
                problems.append(f"{d}: {name} is {r}, expected pass: {why}")
            elif d.startswith("refaccel") and r == "skip" and not needs:
                problems.append(f"{d} ({label}): {name} skipped for no capability: {why}")
            elif r not in ("pass", "skip") and not excused:
                problems.append(f"{d}: {name} is {r}: {why}")
            elif r == "skip" and not why:
                problems.append(f"{d}: {name} skipped without a reason")
            if needs and needs in caps:
                problems.append(f"{d}: {name} skipped for {needs}, which the device has")
            if not t.get("accel_cts_rules"):
                problems.append(f"{d}: {name} names no profile rule")


def check_victim(run):
    res = load(os.path.join(run, "refaccel-accel0"))
    want = {"pass": "pass", "fail": "fail", "skip": "skip", "crash": "crash",
            "hang": "timeout", "odd-exit": "fail", "pass-after": "pass",
            "kernel-warns": "dmesg-warn", "host-noise": "pass"}
    tests = res["tests"]
    for sub, r in want.items():
        t = tests.get(f"igt@harness_victim@{sub}")
        if not t:
            problems.append(f"victim: {sub} missing from results.json")
        elif t["result"] != r:
            problems.append(f"victim: {sub} is {t['result']}, expected {r}")
    if res["totals"]["root"]["crash"] != 1 or res["totals"]["root"]["timeout"] != 1:
        problems.append(f"victim: totals wrong: {res['totals']['root']}")
    fail = tests.get("igt@harness_victim@fail", {})
    if "expected: -EINVAL" not in fail.get("err", ""):
        problems.append("victim: the failure message lacks the expected errno")
    warns = tests.get("igt@harness_victim@kernel-warns", {})
    if "a driver complains" not in warns.get("accel_cts_reason", ""):
        problems.append("victim: the dmesg-warn reason does not quote the warning")


def check_expect(run, board):
    """The expectation files of vm-check-guest.sh: exactly the known outcomes."""
    dev = os.path.join(run, "refaccel-accel0")
    res = load(dev)
    want = {"fail": "expected-fail", "crash": "expected-fail", "odd-exit": "expected-fail",
            "kernel-warns": "expected-fail", "flaky-once": "flake", "hang": "listed-skip",
            "pass": "unexpected-pass" if board == "lab" else None, "skip": None,
            "pass-after": None, "host-noise": None}
    for sub, verdict in want.items():
        t = res["tests"].get(f"igt@harness_victim@{sub}", {})
        if t.get("accel_cts_expectation") != verdict:
            problems.append(f"{board}: {sub} has expectation {t.get('accel_cts_expectation')}, "
                            f"expected {verdict}")
    hang = res["tests"].get("igt@harness_victim@hang", {})
    if hang.get("result") != "skip" or not hang.get("accel_cts_reason", "").startswith("not run"):
        problems.append(f"{board}: the listed hang was run: {hang.get('result')}")
    flaky = res["tests"].get("igt@harness_victim@flaky-once", {})
    if flaky.get("result") != "fail" or flaky.get("accel_cts_retries") != 1 or \
            flaky.get("accel_cts_retry_passed") is not True:
        problems.append(f"{board}: the flake was not retried once and passed: {flaky}")
    with open(os.path.join(dev, "failures.csv")) as f:
        csv = f.read().split()
    want_csv = ["harness_victim@pass,UnexpectedImprovement(Pass)"] if board == "lab" else []
    if csv != want_csv:
        problems.append(f"{board}: failures.csv is {csv}, expected {want_csv}")
    junit = ET.parse(os.path.join(dev, "junit.xml")).getroot()
    if int(junit.get("failures")) + int(junit.get("errors")) != len(want_csv):
        problems.append(f"{board}: JUnit counts {junit.get('failures')} failures and "
                        f"{junit.get('errors')} errors, expected {len(want_csv)} in all")


def check_survive(run):
    """Each way the kernel went down is recorded where it happened; nothing ran twice."""
    dev = os.path.join(run, "refaccel-accel0")
    res = load(dev)
    tests = res["tests"]
    want = {"before": ("pass", 1, None),
            "oops": ("crash", 1, "kernel BUG at"),
            "panic": ("crash", 2, "sysrq triggered crash"),
            "freeze": ("timeout", 3, None),
            "after": ("pass", 4, None)}
    for sub, (result, boot, dmesg) in want.items():
        t = tests.get(f"igt@kernel_victim@{sub}")
        if not t:
            problems.append(f"survive: {sub} missing")
            continue
        if t["result"] != result or t.get("accel_cts_boot") != boot:
            problems.append(f"survive: {sub} is {t['result']} in boot {t.get('accel_cts_boot')}, "
                            f"expected {result} in boot {boot}")
        if dmesg and dmesg not in t["dmesg"]:
            problems.append(f"survive: {sub}'s dmesg does not quote '{dmesg}'")
    story = res["accel_cts"]["run"]
    kinds = [(e["kind"], e["test"]) for e in story["events"]]
    if kinds != [("abort", "kernel_victim@oops"), ("crash", "kernel_victim@panic"),
                 ("timeout", "kernel_victim@freeze")]:
        problems.append(f"survive: the run's events are {kinds}")
    if story["boots"] != 4 or not story["complete"] or story["notrun"] or story["incomplete"]:
        problems.append(f"survive: the run is {story}")
    panics = [e for e in story["events"] if e["kind"] == "crash"]
    if not panics or "sysrq triggered crash" not in panics[0]["reason"]:
        problems.append("survive: the panic's event does not quote the kernel")
    with open(os.path.join(run, "summary.txt")) as f:
        summary = f.read()
    for line in ("THE KERNEL DIED in kernel_victim@panic", "THE KERNEL HUNG in kernel_victim@freeze",
                 "STOPPED after kernel_victim@oops"):
        if line not in summary:
            problems.append(f"survive: the summary does not say '{line}'")
    with open(os.path.join(dev, "failures.csv")) as f:
        csv = sorted(f.read().split())
    if csv != ["kernel_victim@freeze,Timeout", "kernel_victim@oops,Crash",
               "kernel_victim@panic,Crash"]:
        problems.append(f"survive: failures.csv is {csv}")
    with open(os.path.join(run, "journal.jsonl")) as f:
        starts = [json.loads(line) for line in f if line.startswith('{"ev":"start"')]
    names = [s["subtest"] for s in starts]
    if names != list(want):
        problems.append(f"survive: subtests started {names}: each should start once, in order")


def check_inactive(run):
    """--inactivity-timeout: the silent hang is killed for it, well before its own timeout."""
    res = load(os.path.join(run, "refaccel-accel0"))
    hang = res["tests"].get("igt@harness_victim@hang", {})
    took = hang.get("time", {}).get("end", 0) - hang.get("time", {}).get("start", 0)
    if hang.get("result") != "timeout" or "no output for 2 s" not in hang.get("accel_cts_reason", ""):
        problems.append(f"inactive: hang is {hang.get('result')}: {hang.get('accel_cts_reason')}")
    if not 1.5 < took < 10:
        problems.append(f"inactive: the hang was killed after {took:.1f} s, not about 2 s")
    after = res["tests"].get("igt@harness_victim@pass-after", {})
    if after.get("result") != "pass":
        problems.append("inactive: the run did not go on after the killed subtest")


def check_overall(run):
    """--overall-timeout: nothing starts past it; the rest is notrun and the run says why."""
    res = load(os.path.join(run, "refaccel-accel0"))
    tests = res["tests"]
    order = ["pass", "fail", "skip", "crash", "hang", "odd-exit", "kernel-warns", "host-noise",
             "flaky-once", "pass-after"]
    results = [tests.get(f"igt@harness_victim@{s}", {}).get("result") for s in order]
    if results[0] != "pass" or "notrun" not in results:
        problems.append(f"overall: results {results}")
    first = results.index("notrun") if "notrun" in results else len(results)
    if any(r != "notrun" for r in results[first:]):
        problems.append(f"overall: a subtest ran after the first notrun: {results}")
    story = res["accel_cts"]["run"]
    if not story["complete"] or story["notrun"] != len(results) - first or \
            not any("overall timeout" in e["reason"] for e in story["events"]):
        problems.append(f"overall: the run's story is {story}")


# deqp-runner's RunnerStatus, as DRM CI's failures.csv and fails.txt spell it.
DEQP_RUNNER = {"Pass", "Fail", "Skip", "Crash", "Flake", "KnownFlake", "Warn", "Missing",
               "ExpectedFail", "Timeout"} | {f"UnexpectedImprovement({s})" for s in
                                             ("Pass", "Fail", "Skip", "Warn", "Crash", "Timeout")}


def check_csv_names(run):
    """Every result in every failures.csv under run is a name deqp-runner knows."""
    n = 0
    for root, _, files in os.walk(run):
        if "failures.csv" not in files:
            continue
        with open(os.path.join(root, "failures.csv")) as f:
            for line in f:
                name, _, result = line.strip().rpartition(",")
                n += 1
                if not name or result not in DEQP_RUNNER:
                    problems.append(f"{root}/failures.csv: '{line.strip()}' is not "
                                    "binary@subtest,<deqp-runner status>")
    if not n:
        problems.append(f"{run}: no failures.csv lines to check")
    print(f"{n} failures.csv lines checked")


# The host's noise in a guest's kernel log that accel-cts' runner does not hold
# against a subtest (runner/kmsg.c's default ignore list) and igt_runner does.
HOST_NOISE = re.compile(r"hrtimer: interrupt took [0-9]+ ns|clocksource: |tsc: Marking TSC unstable")
IGT_NOISE_VERDICTS = {("dmesg-warn", "pass"), ("dmesg-fail", "fail")}


def only_host_noise(dmesg):
    """Are the kernel log's warnings (level 4 or more urgent) all host noise?"""
    warnings = re.findall(r"^<[0-4]> \[ *[0-9.]+\] (.*)$", dmesg or "", flags=re.M)
    return bool(warnings) and all(HOST_NOISE.match(w) for w in warnings)


def check_igt_agrees(igt, ours):
    """IGT's own igt_runner and accel-cts ran the same subtests on one device: same results."""
    with open(os.path.join(igt, "results.json")) as f:
        theirs = json.load(f)["tests"]
    mine = load(ours)["tests"]
    if set(theirs) != set(mine):
        problems.append(f"igt_runner ran {len(theirs)} subtests, accel-cts {len(mine)}; "
                        f"differing: {sorted(set(theirs) ^ set(mine))[:5]}")
    for name in sorted(set(theirs) & set(mine)):
        verdicts = (theirs[name]["result"], mine[name]["result"])
        if verdicts in IGT_NOISE_VERDICTS and only_host_noise(theirs[name].get("dmesg")):
            print(f"{name}: igt_runner {verdicts[0]} for the host's noise alone, accel-cts {verdicts[1]}")
        elif verdicts[0] != verdicts[1]:
            problems.append(f"{name}: igt_runner {verdicts[0]}, accel-cts {verdicts[1]}")
        dmesg = theirs[name].get("dmesg", "")
        # A dynamic subtest's kernel log starts at its own mark.
        mark = "starting dynamic subtest" if name.count("@") == 3 else "starting subtest"
        if "[IGT]" not in dmesg or mark not in dmesg:
            problems.append(f"{name}: igt_runner found no [IGT] mark in the subtest's kernel log")
    print(f"{len(set(theirs) & set(mine))} subtests compared with igt_runner's results")


# harness_dynamic's subtests and dynamic subtests: result, and text their
# output (out + err) must hold.
DYNAMIC_WANT = {
    "dynamic-mixed": ("fail", "the subtest went on after its failed part"),
    "dynamic-mixed@passes": ("pass", "Dynamic subtest passes: SUCCESS"),
    "dynamic-mixed@skips": ("skip", "this part skips on purpose"),
    "dynamic-mixed@fails": ("fail", "assertion failed: 1 + 1 == 3"),
    "dynamic-all-skip": ("skip", ""),
    "dynamic-all-skip@first": ("skip", "the first part skips"),
    "dynamic-all-skip@second": ("skip", "the second part skips"),
    "dynamic-pass": ("pass", ""),
    "dynamic-pass@type-int8": ("pass", "part int8"),
    "dynamic-pass@type-fp16": ("pass", "Dynamic subtest type-fp16: SUCCESS"),
    "dynamic-crash": ("fail", ""),
    "dynamic-crash@crashes": ("crash", "killed by signal SIGSEGV"),
    "dynamic-crash@after-crash": ("pass", ""),
    "runner-dies": ("skip", "ACCEL_CTS_VICTIM_KILL_RUNNER is not set"),
    "expects": ("fail", "still running after 2 failed expectations"),
    "expects-hold": ("pass", ""),
    "plain-fixture": ("pass", "plain teardown"),
}
for v, n in (("one", 1), ("two", 2)):
    DYNAMIC_WANT[f"{v}-body-passes"] = ("pass", f"teardown: value {n} after 1 steps")
    DYNAMIC_WANT[f"{v}-body-fails"] = ("fail", f"teardown: value {n} after 7 steps")
    DYNAMIC_WANT[f"{v}-body-skips"] = ("skip", f"teardown: value {n} after 5 steps")


def check_dynamic(run):
    """Dynamic subtests, expectations and fixtures, as every results file shows them."""
    dev = os.path.join(run, "none")
    res = load(dev)
    tests = {k[len("igt@harness_dynamic@"):]: v for k, v in res["tests"].items()}
    if set(tests) != set(DYNAMIC_WANT):
        problems.append(f"dynamic: entries differ: {sorted(set(tests) ^ set(DYNAMIC_WANT))}")
    for name, (result, text) in DYNAMIC_WANT.items():
        t = tests.get(name, {})
        if t.get("result") != result:
            problems.append(f"dynamic: {name} is {t.get('result')}, expected {result}")
        if text not in t.get("out", "") + t.get("err", "") + t.get("accel_cts_reason", ""):
            problems.append(f"dynamic: {name}'s output does not say '{text}'")
        if name.count("@") and f"Starting dynamic subtest: {name.split('@')[1]}" not in t.get("out", ""):
            problems.append(f"dynamic: {name}'s out is not its own part of the output")
    # A part's output is its own: the failing part's out and err hold nothing of the others.
    fails = tests.get("dynamic-mixed@fails", {})
    if "this part skips" in fails.get("err", "") or "passes" in fails.get("out", ""):
        problems.append("dynamic: dynamic-mixed@fails holds another part's output")
    if "not reached" in tests.get("one-body-fails", {}).get("out", ""):
        problems.append("dynamic: a failed assertion did not end the body")
    if "expected: -EINVAL" not in tests.get("expects", {}).get("err", ""):
        problems.append("dynamic: the second failed expectation was not reported")
    if not tests.get("dynamic-mixed", {}).get("accel_cts_reason", "").startswith("dynamic subtest fails"):
        problems.append("dynamic: dynamic-mixed's reason does not name the part that failed it")
    # Verdicts of the expectation files (none-host-*.txt, written by run-checks).
    want_v = {"dynamic-mixed@fails": "expected-fail", "dynamic-crash@crashes": "expected-fail",
              "dynamic-mixed": "expected-fail", "dynamic-crash": "expected-fail",
              "expects": "expected-fail", "one-body-fails": "expected-fail",
              "two-body-fails": "expected-fail", "dynamic-pass@type-int8": "unexpected-pass"}
    for name, (result, _) in DYNAMIC_WANT.items():
        got = tests.get(name, {}).get("accel_cts_expectation")
        if got != want_v.get(name):
            problems.append(f"dynamic: {name} has expectation {got}, expected {want_v.get(name)}")
    with open(os.path.join(dev, "failures.csv")) as f:
        csv = f.read().split()
    if csv != ["harness_dynamic@dynamic-pass@type-int8,UnexpectedImprovement(Pass)"]:
        problems.append(f"dynamic: failures.csv is {csv}")
    junit = ET.parse(os.path.join(dev, "junit.xml")).getroot()
    names = [c.get("name") for c in junit.iter("testcase")]
    if sorted(names) != sorted(DYNAMIC_WANT) or int(junit.get("tests")) != len(DYNAMIC_WANT):
        problems.append(f"dynamic: JUnit testcases {names}")
    if int(junit.get("failures")) + int(junit.get("errors")) != 1:
        problems.append(f"dynamic: JUnit counts {junit.get('failures')} failures and "
                        f"{junit.get('errors')} errors, expected the unexpected pass alone")
    with open(os.path.join(dev, "results.ktap")) as f:
        ktap = f.read()
    for line in ("    # Subtest: dynamic-mixed\n    1..3\n    ok 1 passes\n"
                 "    ok 2 skips # SKIP this part skips on purpose\n    not ok 3 fails",
                 "    not ok 1 crashes # ERROR crash", "  not ok 4 dynamic-crash"):
        if line not in ktap:
            problems.append(f"dynamic: results.ktap lacks {line!r}")
    totals = res["totals"]["root"]
    if sum(totals.values()) != len(DYNAMIC_WANT) or totals["crash"] != 1:
        problems.append(f"dynamic: totals {totals}")


def check_dynamic_resume(run):
    """The runner died in a dynamic part: resume blames it and runs nothing of it again."""
    res = load(os.path.join(run, "none"))
    tests = {k[len("igt@harness_dynamic@"):]: v for k, v in res["tests"].items()}
    want = {"runner-dies": "crash", "runner-dies@before": "pass", "runner-dies@dies-here": "crash"}
    for name, result in want.items():
        if tests.get(name, {}).get("result") != result:
            problems.append(f"dynamic-resume: {name} is {tests.get(name, {}).get('result')}, "
                            f"expected {result}")
    if "runner-dies@never" in tests:
        problems.append("dynamic-resume: the part after the one that died ran")
    events = [(e["kind"], e["test"]) for e in res["accel_cts"]["run"]["events"]]
    if events != [("crash", "harness_dynamic@runner-dies@dies-here")]:
        problems.append(f"dynamic-resume: events {events}")
    with open(os.path.join(run, "journal.jsonl")) as f:
        starts = [json.loads(line)["subtest"] for line in f if line.startswith('{"ev":"start"')]
    if starts.count("runner-dies") != 1 or len(starts) != len(set(starts)):
        problems.append(f"dynamic-resume: subtests started {starts}: each should start once")
    for name, (result, _) in DYNAMIC_WANT.items():
        if "@" not in name and name != "runner-dies" and tests.get(name, {}).get("result") != result:
            problems.append(f"dynamic-resume: {name} is {tests.get(name, {}).get('result')}")


def check_quiet(run):
    """A subtest quiet for longer than the host's inactivity limit kept its guest."""
    res = load(os.path.join(run, "refaccel-accel0"))
    hang = res["tests"].get("igt@harness_victim@hang", {})
    story = res["accel_cts"]["run"]
    if hang.get("result") != "timeout" or hang.get("time", {}).get("end", 0) < 40:
        problems.append(f"quiet: hang is {hang.get('result')} after {hang.get('time')}, "
                        "expected the runner's own timeout after 45 s")
    if story["boots"] != 1 or story["events"]:
        problems.append(f"quiet: the guest was not kept: {story}")


# What the self-contained bundle's guest does not have (docs/LAB.md): no disk
# filesystem to hold a file with writeback. A subtest of b may skip for it
# where a passed.
BUNDLE_ENV_SKIPS = ("no writable filesystem with writeback (set ACCEL_CTS_SCRATCH)",)


def check_same(a, b, env_skips=()):
    """Two runs of the same suite: every device of b has the same result per subtest as in a
    (b may skip, naming one of env_skips, what a passed)."""
    devs = sorted(d for d in os.listdir(b) if os.path.isfile(os.path.join(b, d, "results.json")))
    if not devs:
        problems.append(f"{b}: no device results")
    for d in devs:
        ra, rb = load(os.path.join(a, d))["tests"], load(os.path.join(b, d))["tests"]
        if set(ra) != set(rb):
            problems.append(f"{d}: subtests differ: {sorted(set(ra) ^ set(rb))[:5]}")
        for name in sorted(set(ra) & set(rb)):
            if (rb[name]["result"] == "skip" and ra[name]["result"] == "pass" and
                    any(e in (rb[name].get("err") or "") for e in env_skips)):
                continue
            if ra[name]["result"] != rb[name]["result"]:
                problems.append(f"{d}: {name} is {rb[name]['result']} in {b}, {ra[name]['result']} in {a}")
        print(f"{d}: {len(rb)} subtests compared")


def untimed(text):
    """Text with its timings ("(0.123s)", "12.3 s", "[  1.234567]") made equal."""
    text = re.sub(r"\(\d+\.\d+s\)", "(T)", text or "")
    text = re.sub(r"\b\d+(\.\d+)? ?(s|ms|us|µs)\b", "T", text)
    # Kernel log lines: times made equal, and only the [IGT] marks kept (the
    # rest is whatever else the kernel said meanwhile).
    text = re.sub(r"^(<|&lt;)\d(>|&gt;) \[ *\d+\.\d+\] (?!\[IGT\]).*\n", "", text, flags=re.M)
    text = re.sub(r"\[ *\d+\.\d+\] \[IGT\]", "[T] [IGT]", text)
    return text


def unnumbered(text):
    """untimed, and every number (seeds, counts) made equal: what differs from one run
    to the next of the same subtest, whichever mode ran it."""
    return re.sub(r"\d+", "N", re.sub(r"0x[0-9a-fA-F]+", "X", untimed(text)))


def igt_marks(dmesg, subtest):
    """The [IGT] marks of subtest (and its dynamic parts) in a kernel log."""
    marks = []
    for line in (dmesg or "").splitlines():
        m = re.search(r"\[IGT\] (.*)$", line)
        if m and re.search(r"subtest " + re.escape(subtest) + r"\b", m.group(1)):
            marks.append(m.group(1))
    return marks


# A crash's or timeout's reason may quote the kernel's last words ("; the
# kernel: ..."): whatever else the kernel said meanwhile, which two runs of
# the same subtest need not share (the kernel log is compared by its [IGT]
# marks alone). Up to the end of the line, or of an XML attribute or text.
KERNEL_WORDS = re.compile(r"; the kernel: [^\"<\n]*")


def check_same_content(a, b):
    """Two runs of the same suite in the two modes: the same subtests, each with the same
    result, output, stderr, reason and [IGT] marks, times aside."""
    check_same(a, b)
    for d in sorted(os.listdir(b)):
        if not os.path.isfile(os.path.join(b, d, "results.json")):
            continue
        ra, rb = load(os.path.join(a, d))["tests"], load(os.path.join(b, d))["tests"]
        for name in sorted(set(ra) & set(rb)):
            ta, tb = ra[name], rb[name]
            for field in ("out", "err", "accel_cts_reason"):
                fa, fb = (KERNEL_WORDS.sub("", t.get(field) or "") for t in (ta, tb))
                if unnumbered(fa) != unnumbered(fb):
                    problems.append(f"{d}: {name}: {field} differs: {ta.get(field)!r:.200} "
                                    f"in {a}, {tb.get(field)!r:.200} in {b}")
            sub = name.split("@")[2] if name.count("@") >= 2 else name
            if igt_marks(ta.get("dmesg"), sub) != igt_marks(tb.get("dmesg"), sub):
                problems.append(f"{d}: {name}: [IGT] marks differ: {igt_marks(ta.get('dmesg'), sub)} "
                                f"in {a}, {igt_marks(tb.get('dmesg'), sub)} in {b}")
        for f in ("failures.csv",):
            fa, fb = os.path.join(a, d, f), os.path.join(b, d, f)
            if os.path.exists(fa) or os.path.exists(fb):
                if open(fa).read() != open(fb).read():
                    problems.append(f"{d}: {f} differs")
        ka, kb = ([KERNEL_WORDS.sub("", re.sub(r"#.*time.*$", "", l))
                   for l in open(os.path.join(r, d, "results.ktap"))] for r in (a, b))
        if [untimed(l) for l in ka] != [untimed(l) for l in kb]:
            problems.append(f"{d}: results.ktap differs beyond times")
        ja = re.sub(r'(time|timestamp)="[^"]*"', "", open(os.path.join(a, d, "junit.xml")).read())
        jb = re.sub(r'(time|timestamp)="[^"]*"', "", open(os.path.join(b, d, "junit.xml")).read())
        # The kernel log is compared above, per subtest, by its [IGT] marks.
        # Exactly the separator the runner adds: the stderr before it keeps its own newline.
        ja, jb = (re.sub(r"\n--- dmesg ---\n.*?(?=</system-err>)", "", j, flags=re.S) for j in (ja, jb))
        if untimed(KERNEL_WORDS.sub("", ja)) != untimed(KERNEL_WORDS.sub("", jb)):
            problems.append(f"{d}: junit.xml differs beyond times")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "igt-agrees":
        check_igt_agrees(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "same-json":
        with open(sys.argv[2]) as a, open(sys.argv[3]) as b:
            ja, jb = json.load(a), json.load(b)
        if ja != jb:
            diff = sorted(k for k in set(ja) | set(jb) if ja.get(k) != jb.get(k))
            problems.append(f"{sys.argv[3]} differs from {sys.argv[2]} in {diff}")
    elif len(sys.argv) == 4 and sys.argv[1] == "same":
        check_same(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "same-bundle":
        check_same(sys.argv[2], sys.argv[3], BUNDLE_ENV_SKIPS)
    elif len(sys.argv) == 4 and sys.argv[1] == "same-content":
        check_same_content(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 4 and sys.argv[1] in ("same", "same-bundle", "same-content", "same-json",
                                               "igt-agrees"):
        for p in problems:
            print(p)
        return 1 if problems else 0
    modes = {"suite": check_suite,
             "suite-debug": lambda d: check_suite(d, ("refaccel-accel0",), kernel_skips=DEBUG_KERNEL_SKIPS),
             "victim": check_victim, "survive": check_survive,
             "inactive": check_inactive, "overall": check_overall,
             "csv-names": check_csv_names, "quiet": check_quiet,
             "dynamic": check_dynamic, "dynamic-resume": check_dynamic_resume,
             "expect-lab": lambda d: check_expect(d, "lab"),
             "expect-lab2": lambda d: check_expect(d, "lab2")}
    if len(sys.argv) != 3 or sys.argv[1] not in modes:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        modes[sys.argv[1]](sys.argv[2])
    except (OSError, ValueError, KeyError, ET.ParseError) as e:
        problems.append(f"{sys.argv[2]}: {e}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
