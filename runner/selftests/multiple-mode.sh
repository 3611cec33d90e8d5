#!/bin/bash
# SPDX-License-Identifier: MIT
#
# accel-cts run's multiple mode against a fake binary (fake_multi.sh):
# - split: each subtest's output, stderr, reason and files as --single gives them;
# - a binary that dies in a subtest: that one CRASH, the rest in a new execution;
# - a subtest that hangs: TIMEOUT, the rest in a new execution;
# - the backstop is per subtest: subtests quiet for 6 s each outlive a 16 s
#   backstop in one execution;
# - the runner dies mid-execution (as the kernel would): resume blames the
#   subtest in progress, keeps the ones before, runs only the ones after.
# usage: multiple-mode.sh ACCEL_CTS WORKDIR
set -euo pipefail

runner=$(realpath "$1")
work=$2
here=$(dirname "$(realpath "$0")")
rm -rf "$work"
mkdir -p "$work/bin"
cp "$here/fake_multi.sh" "$work/bin/fake_multi"
cp "$here/fake_multi.sh" "$work/bin/fake_slow"
fail() { echo "multiple-mode: $*"; exit 1; }
run() { local rc=0; "$runner" run --quiet --no-device --tests "$work/bin" "$@" > /dev/null 2>&1 || rc=$?; echo $rc; }
opts=(--only fake_multi --timeout 5 --inactivity-timeout 5)

rc=$(FAKE_LOG="$work/single.log" run "${opts[@]}" --single --out "$work/single")
[ "$rc" = 1 ] || fail "--single exited $rc, not 1"
rc=$(FAKE_LOG="$work/multiple.log" run "${opts[@]}" --out "$work/multiple")
[ "$rc" = 1 ] || fail "multiple mode exited $rc, not 1"
[ "$(wc -l < "$work/single.log")" = 10 ] || fail "--single: not one execution per subtest"
printf '%s\n' first,second,skipper,dies,after-death,hangs,last,dyn,kills-runner,final \
	after-death,hangs,last,dyn,kills-runner,final last,dyn,kills-runner,final |
	diff - "$work/multiple.log" || fail "multiple mode: not three executions, each going on after the one that died or hung"
"$(dirname "$here")/../tests/check_results.py" same-content "$work/single" "$work/multiple" ||
	fail "multiple mode's results differ from --single's"

python3 - "$work/multiple/none/results.json" <<'PY' || fail "multiple mode: wrong results"
import json, sys
t = json.load(open(sys.argv[1]))["tests"]
def r(n): return t["igt@fake_multi@" + n]
want = {"first": "pass", "second": "fail", "skipper": "skip", "dies": "crash",
        "after-death": "pass", "hangs": "timeout", "last": "pass", "dyn": "fail",
        "dyn@p1": "pass", "dyn@p2": "fail", "kills-runner": "pass", "final": "pass"}
bad = [f"{n} is {r(n)['result']}, not {w}" for n, w in want.items() if r(n)["result"] != w]
checks = [
    (r("first")["out"] == "Using device: fake\nStarting subtest: first\nout of first\nSubtest first: SUCCESS (0.001s)\n", "first's out"),
    (r("first")["err"] == "the preamble's stderr\nerr of first\n", "first's err"),
    (r("second")["err"] == "the preamble's stderr\nsecond: it failed, no newline", "second's err"),
    (r("second")["accel_cts_reason"] == "the preamble's stderr", "second's reason"),
    (r("skipper")["accel_cts_reason"] == "the preamble's stderr", "skipper's reason"),
    (r("dies")["out"].endswith("Starting subtest: dies\ndying\n"), "dies' out"),
    (r("dies")["err"] == "the preamble's stderr\nerr of dies\n", "dies' err"),
    ("no output for 5 s" in r("hangs")["accel_cts_reason"], "hangs' reason"),
    (r("dyn@p2")["err"] == "Starting dynamic subtest: p2\np2 is wrong\n", "dyn@p2's err"),
]
bad += [what for ok, what in checks if not ok]
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# The backstop (--timeout 1: 16 s) is each subtest's, not the execution's.
rc=$(FAKE_LOG="$work/slow.log" run --only fake_slow --timeout 1 --out "$work/slow")
python3 - "$work/slow/none/results.json" <<'PY' || fail "the backstop is not per subtest"
import json, sys
t = json.load(open(sys.argv[1]))["tests"]
res = {n.split("@")[2]: v["result"] for n, v in t.items()}
want = {"slow-1": "pass", "slow-2": "pass", "slow-3": "pass", "hangs": "timeout"}
print(res)
sys.exit(0 if res == want and "after its timeout" in t["igt@fake_slow@hangs"]["accel_cts_reason"] else 1)
PY
[ "$(cat "$work/slow.log")" = slow-1,slow-2,slow-3,hangs ] || fail "fake_slow: not one execution"

# The runner dies in kills-runner, as with the kernel: resume blames it, runs final only.
FAKE_KILL_RUNNER=1 FAKE_LOG="$work/resume.log" run "${opts[@]}" --out "$work/resume" > /dev/null
grep -q '"ev":"start".*"subtest":"kills-runner"' "$work/resume/journal.jsonl" ||
	fail "kills-runner's start is not in the journal"
grep -q '"ev":"result".*"subtest":"dyn"' "$work/resume/journal.jsonl" ||
	fail "dyn's result (before the death) is not in the journal"
rc=0
FAKE_LOG="$work/resume.log" "$runner" resume --lost-by crash --quiet "$work/resume" > /dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "resume exited $rc, not 1"
[ "$(tail -n 1 "$work/resume.log")" = final ] || fail "resume ran $(tail -n 1 "$work/resume.log"), not final alone"
python3 - "$work/resume/none/results.json" <<'PY' || fail "resume: wrong results"
import json, sys
t = json.load(open(sys.argv[1]))["tests"]
k = t["igt@fake_multi@kills-runner"]
ok = (k["result"] == "crash" and "the kernel died in this subtest" in k["accel_cts_reason"] and
      t["igt@fake_multi@final"]["result"] == "pass" and t["igt@fake_multi@dyn"]["result"] == "fail" and
      t["igt@fake_multi@last"]["result"] == "pass" and t["igt@fake_multi@first"]["accel_cts_boot"] == 1 and
      t["igt@fake_multi@final"]["accel_cts_boot"] == 2)
print({n.split("@", 2)[2]: (v["result"], v["accel_cts_boot"]) for n, v in t.items()})
sys.exit(0 if ok else 1)
PY
echo "multiple-mode: split, crash, hang, per-subtest backstop and resume all as --single"
