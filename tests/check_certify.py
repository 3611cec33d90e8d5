#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks of accel-cts certify, for `make check`.

usage: check_certify.py unit ACCEL-CTS WORK
         verdicts on crafted results.json files (certify --write), and
         certify --verify against edits of each kind; no device, no VM
       check_certify.py guest DIR
         the certificates tests/certify-guest.sh made in the VM: every
         refaccel class conformant at each level it has, vgem's core
         partial with reasons and its memory failing MEM-MMAP-5 alone, a
         fault left on flips its level
       check_certify.py tamper ACCEL-CTS CERT-FOLDER WORK
         --verify passes on the folder, and fails after one byte of
         certificate.json, of certificate.md, of a results file is changed,
         and after a results file is deleted (each on a copy)
"""
import json
import os
import shutil
import subprocess
import sys

LEVELS = ["core", "memory", "submit", "fences", "recovery", "compute", "isolation"]
GOOD = ("conformant", "conformant with declared deviations")


def fail(msg):
    raise SystemExit(f"FAIL: {msg}")


def test(name, result, reason="", rules="", out=""):
    t = {"result": result, "out": out, "err": "", "dmesg": "", "accel_cts_rules": rules}
    if reason:
        t["accel_cts_reason"] = reason
    if "deviation: " in out:
        t["accel_cts_deviations"] = [l[11:] for l in out.splitlines() if l.startswith("deviation: ")]
    return f"igt@{name}", t


def folder(work, name, tests):
    """A certify folder as certify leaves it, its results crafted."""
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "refaccel-accel0"))
    with open(os.path.join(d, "environment.json"), "w") as f:
        json.dump({"kernel_release": "6.12.117+deb12-amd64", "kernel_version": "#1 SMP",
                   "machine": "x86_64", "hostname": "h", "date": "2026-12-02T07:00:00Z",
                   "vm": True, "git_sha": "abc1234", "clock": "real"}, f)
    with open(os.path.join(d, "certify.json"), "w") as f:
        json.dump({"results": "refaccel-accel0", "driver_version": "1.4.0",
                   "driver_description": "d", "driver_date": "", "firmware": "none",
                   "command": "accel-cts certify --device /dev/accel/accel0 --out x",
                   "benchmarks": [{"family": "latency", "status": "not run",
                                   "note": "certify --no-bench", "records": ""}]}, f)
    for name in ("results.ktap", "junit.xml"):
        with open(os.path.join(d, "refaccel-accel0", name), "w") as f:
            f.write(f"{name} as accel-cts run writes it\n")
    with open(os.path.join(d, "refaccel-accel0", "results.json"), "w") as f:
        json.dump({"tests": dict(tests), "accel_cts": {
            "device": "/dev/accel/accel0", "driver": "refaccel", "label": "refaccel",
            "backend": "refaccel", "capabilities": "bo",
            "run": {"boots": 1, "complete": True, "notrun": 0, "incomplete": 0, "events": []}}}, f)
    return d


def certificate(accel_cts, d, want_rc):
    r = subprocess.run([accel_cts, "certify", "--write", d], capture_output=True, text=True)
    if r.returncode != want_rc:
        fail(f"certify --write {d}: exit {r.returncode}, expected {want_rc}\n{r.stdout}{r.stderr}")
    with open(os.path.join(d, "certificate.json")) as f:
        return {lv["level"]: lv for lv in json.load(f)["levels"]}


def unit(accel_cts, work):
    os.makedirs(work, exist_ok=True)
    base = [test("accel_core@a", "pass", rules="CORE-VERSION-1"),
            test("accel_gem@b", "pass", rules="MEM-CREATE-1 MEM-CREATE-2"),
            test("accel_submit@c", "pass", rules="SUB-JOB-1"),
            test("accel_fence@d", "pass", rules="FENCE-SYNC-1"),
            test("accel_fault@e", "pass", rules="REC-ALLOC-1"),
            test("accel_mac@f", "pass", rules="MAC-INT-1"),
            test("accel_isolation@i", "pass", rules="ISO-HANDLE-1 MEM-HANDLE-1")]
    lv = certificate(accel_cts, folder(work, "all-pass", base), 0)
    if any(lv[l]["verdict"] != "conformant" for l in LEVELS):
        fail(f"every subtest passed, not every level conformant: {lv}")

    # A skip naming a capability of the driver's shape: that rule does not apply.
    na = base + [test("accel_fence@g", "skip", "needs capability syncobj, which refaccel/bo-wait "
                      "does not have", "FENCE-SYNC-2")]
    lv = certificate(accel_cts, folder(work, "shape", na), 0)
    if lv["fences"]["verdict"] != "conformant" or \
            lv["fences"]["not_applicable"][0]["rules"] != ["FENCE-SYNC-2"]:
        fail(f"a shape capability's skip must leave fences conformant, the rule listed: {lv['fences']}")

    # A level of which everything skipped for the shape: not applicable.
    lv = certificate(accel_cts, folder(work, "no-mac", base[:5] + [test(
        "accel_mac@f", "skip", "needs capability mac, which vgem does not have", "MAC-INT-1")]), 0)
    if lv["compute"]["verdict"] != "not applicable":
        fail(f"compute with every subtest skipped for the mac capability: {lv['compute']}")

    # A skip for a capability the suite needs to check (fault injection), or
    # any other reason: the rule applies and is unchecked, the level partial.
    for name, reason in (("no-faults", "needs capability fault-injection, which x does not have"),
                         ("no-debugfs", "debugfs is not mounted")):
        lv = certificate(accel_cts, folder(work, name, base + [test(
            "accel_fault@h", "skip", reason, "REC-HANG-1")]), 0)
        u = lv["recovery"]["unchecked"]
        if lv["recovery"]["verdict"] != "partial" or u[0]["reason"] != reason or \
                u[0]["rules"] != ["REC-HANG-1"] or u[0]["subtests"] != ["accel_fault@h"]:
            fail(f"{name}: recovery must be partial with the reason and rule: {lv['recovery']}")

    # Any failure, crash, kernel warning or subtest not run: not conformant,
    # naming the rule and the subtest; a dynamic subtest counts under its parent's rules.
    for result in ("fail", "crash", "timeout", "dmesg-warn", "notrun", "incomplete"):
        lv = certificate(accel_cts, folder(work, f"bad-{result}", base + [
            test("accel_submit@i", result, "it broke" if result == "fail" else "",
                 "SUB-ORDER-1 FENCE-SYNC-3")]), 1)
        for level, rule in (("submit", "SUB-ORDER-1"), ("fences", "FENCE-SYNC-3")):
            fr = lv[level]["failed_rules"]
            if lv[level]["verdict"] != "not conformant" or fr[0]["rule"] != rule or \
                    fr[0]["subtests"][0]["subtest"] != "accel_submit@i" or \
                    fr[0]["subtests"][0]["result"] != result:
                fail(f"a {result} must make {level} not conformant naming {rule}: {lv[level]}")
        if lv["core"]["verdict"] != "conformant":
            fail("a submit failure must not touch core")
    dyn = base + [test("accel_mac@j", "pass", rules="MAC-FP-1"),
                  test("accel_mac@j@fp16", "fail", "wrong element", "")]
    lv = certificate(accel_cts, folder(work, "dynamic", dyn), 1)
    if lv["compute"]["verdict"] != "not conformant" or \
            lv["compute"]["failed_rules"][0]["rule"] != "MAC-FP-1":
        fail(f"a failed dynamic subtest must fail its parent's rule: {lv['compute']}")

    # A level none of whose subtests ran (a binary left out): partial, said so.
    lv = certificate(accel_cts, folder(work, "no-binary", base[:5]), 0)
    if lv["compute"]["verdict"] != "partial" or \
            "no subtest of this level ran" not in lv["compute"]["unchecked"][0]["reason"]:
        fail(f"a level with no subtest at all must be partial, saying why: {lv['compute']}")

    # A pass with a declared deviation.
    dev = base + [test("accel_submit@k", "pass", rules="SUB-WAIT-1",
                       out="deviation: SUB-WAIT-1 deadline: x returns ETIMEDOUT where the "
                       "profile says ETIME (documented)\n")]
    lv = certificate(accel_cts, folder(work, "deviation", dev), 0)
    if lv["submit"]["verdict"] != "conformant with declared deviations" or \
            "ETIMEDOUT" not in lv["submit"]["deviations"][0]["deviation"]:
        fail(f"a declared deviation must show: {lv['submit']}")
    print("verdicts: conformant, shape skips not applicable, partial for unchecked rules, "
          "not conformant for each bad result, dynamic subtests, deviations: ok")
    tamper(accel_cts, os.path.join(work, "deviation"), os.path.join(work, "tamper"))


def verify(accel_cts, d):
    r = subprocess.run([accel_cts, "certify", "--verify", d], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def flip_byte(path, needle):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    i = data.find(needle.encode()) if needle else len(data) // 2
    if i < 0:
        fail(f"{path}: no {needle!r} to edit")
    data[i] ^= 0x01
    with open(path, "wb") as f:
        f.write(data)


def tamper(accel_cts, cert, work):
    rc, out = verify(accel_cts, cert)
    if rc != 0 or not out.startswith("OK: ") or out.count("\n") != 1:
        fail(f"--verify of a fresh certificate: exit {rc}, expected 0 and one OK line:\n{out}")
    with open(os.path.join(cert, "certify.json")) as f:
        devdir = json.load(f)["results"]
    edits = [
        ("one byte of certificate.json (a verdict)", "certificate.json", '"conformant', "certificate.json"),
        ("one byte of certificate.md", "certificate.md", None, "certificate.md"),
        ("one byte of certificate.html", "certificate.html", None, "certificate.html"),
        ("one byte of a results file", f"{devdir}/results.ktap", None, f"{devdir}/results.ktap"),
        ("a results file deleted", f"{devdir}/junit.xml", "DELETE", f"{devdir}/junit.xml"),
        ("a file added", "extra.txt", "ADD", "extra.txt"),
    ]
    for what, rel, how, named in edits:
        d = os.path.join(work, "copy")
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(cert, d)
        path = os.path.join(d, rel)
        if how == "DELETE":
            os.unlink(path)
        elif how == "ADD":
            with open(path, "w") as f:
                f.write("x\n")
        else:
            flip_byte(path, how)
        rc, out = verify(accel_cts, d)
        if rc != 1 or named not in out or "MISMATCH" not in out:
            fail(f"--verify after {what}: exit {rc}, expected 1 naming {named}:\n{out}")
        print(f"--verify after {what}: exit 1, names {named}")
    shutil.rmtree(os.path.join(work, "copy"), ignore_errors=True)


def load(d):
    with open(os.path.join(d, "certificate.json")) as f:
        return {lv["level"]: lv for lv in json.load(f)["levels"]}


def rc_of(d, name):
    with open(os.path.join(d, f"{name}.rc")) as f:
        return int(f.read().strip())


DMEM_RULES = {"ISO-MEM-1", "ISO-DMEM-1", "ISO-DMEM-2", "ISO-DMEM-3", "ISO-DMEM-4",
              "ISO-DMEM-5"}


def dmem_only(v):
    """Isolation is partial for the device-memory rules alone (ISO-MEM-1,
    ISO-DMEM-*), the kernel having no dmem controller (Debian's 6.12 and
    7.2): nothing bounds a tenant's device memory there, which the profile
    documents rather than fails. Each skip must say so."""
    return (v["verdict"] == "partial" and v["unchecked"] and
            all(set(u["rules"]) <= DMEM_RULES and
                u["reason"].startswith("needs the dmem cgroup controller")
                for u in v["unchecked"]))


def guest(d):
    problems = []
    for cls in ("full", "bo-wait", "implicit-ctx", "single-open", "ctx-syncobj"):
        if rc_of(d, cls) != 0:
            problems.append(f"{cls}: certify exit {rc_of(d, cls)}")
            continue
        lv = load(os.path.join(d, cls))
        for level in LEVELS:
            v = lv[level]
            if v["verdict"] in GOOD:
                continue
            if v["verdict"] == "not applicable" and v["not_applicable"]:
                continue
            if level == "isolation" and dmem_only(v):
                continue
            problems.append(f"{cls}: {level} is {v['verdict']}: {v['failed_rules'] or v['unchecked']}")
        print(f"{cls}: " + ", ".join(f"{l} {lv[l]['verdict']}" for l in LEVELS))
        if cls == "full" and any(lv[l]["verdict"] != "conformant" and
                                 not (l == "isolation" and dmem_only(lv[l])) for l in LEVELS):
            problems.append("full: every level must be conformant (isolation: partial for "
                            "the device-memory rules alone on a kernel without the dmem "
                            "controller)")
    lv = load(os.path.join(d, "vgem"))
    print("vgem: " + ", ".join(f"{l} {lv[l]['verdict']}" for l in LEVELS))
    if lv["core"]["verdict"] != "partial" or not all(u["reason"] for u in lv["core"]["unchecked"]):
        problems.append(f"vgem: core must be partial with reasons: {lv['core']}")
    # The 6.12 shmem helper faults a cut mapping's pages in from the wrong offset.
    if lv["memory"]["verdict"] != "not conformant" or \
            [f["rule"] for f in lv["memory"]["failed_rules"]] != ["MEM-MMAP-5"]:
        problems.append(f"vgem: memory must fail MEM-MMAP-5 alone: {lv['memory']}")
    # vgem's isolation: handles, offsets, dma-bufs, fork and privilege apply
    # and pass; device memory is unchecked (no budget to report).
    if lv["isolation"]["verdict"] != "partial" or not all(u["reason"] for u in lv["isolation"]["unchecked"]):
        problems.append(f"vgem: isolation must be partial with reasons: {lv['isolation']}")
    for level in ("submit", "fences", "compute"):
        if lv[level]["verdict"] != "not applicable":
            problems.append(f"vgem: {level} must be not applicable: {lv[level]['verdict']}")
    # vgem's BOs can fail to allocate too: REC-ALLOC-1 applies, unchecked
    # without fault injection (as is REC-CTRL-1, the controls read back);
    # the rest of recovery needs jobs.
    rec = lv["recovery"]
    unchecked = {r for u in rec["unchecked"] for r in u["rules"]}
    if (rec["verdict"] != "partial" or "REC-ALLOC-1" not in unchecked or
            not unchecked <= {"REC-ALLOC-1", "REC-CTRL-1"} or
            not all(u["reason"] for u in rec["unchecked"])):
        problems.append(f"vgem: recovery must be partial for REC-ALLOC-1 (and REC-CTRL-1) alone, "
                        f"with reasons: {rec['unchecked']}")
    for fault, levels in (("corrupt_mac", ["compute"]), ("fail_job", ["submit", "recovery"])):
        name = f"broken-{fault}"
        lv = load(os.path.join(d, name))
        print(f"{name}: " + ", ".join(f"{l} {lv[l]['verdict']}" for l in LEVELS))
        if rc_of(d, name) != 1:
            problems.append(f"{name}: certify exit {rc_of(d, name)}, expected 1")
        for level in levels:
            if lv[level]["verdict"] != "not conformant" or not lv[level]["failed_rules"]:
                problems.append(f"{name}: {level} must be not conformant, naming rules")
    for p in problems:
        print(p)
    return 1 if problems else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "unit":
        unit(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "guest":
        return guest(sys.argv[2])
    if len(sys.argv) == 5 and sys.argv[1] == "tamper":
        tamper(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
