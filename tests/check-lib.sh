# SPDX-License-Identifier: MIT
# The check runners' shared part (tests/run-checks, tests/run-debug-checks):
# each check's log in $work, the counts, and the expectations. Sourced.
# The caller sets work (a folder) before sourcing.

passed=0 failed=0 failures=()

# check NAME COMMAND...: run it, keep its output, count the result.
check() {
	# The log is named after the check, cut to stay within NAME_MAX.
	local name=$1 log="$work/$(echo "$1" | tr -c 'a-zA-Z0-9\n' '-' | cut -c1-120).log"
	shift
	if "$@" > "$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok     $name"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "FAIL   $name"
		tail -n 25 "$log" | sed 's/^/       | /'
	fi
}

# expect_exit CODE COMMAND...: the command exits with CODE.
expect_exit() {
	local want=$1 rc
	shift
	"$@"
	rc=$?
	[ "$rc" = "$want" ] || { echo "exit status $rc, expected $want: $*"; return 1; }
}

# expect_output PATTERN COMMAND...: the command's output has a line matching
# PATTERN; PATTERN may hold several patterns separated by " && ", all required.
expect_output() {
	local pats=$1 out pat
	shift
	out=$("$@" 2>&1)
	echo "$out"
	while [ -n "$pats" ]; do
		pat=${pats%% && *}
		[ "$pat" = "$pats" ] && pats="" || pats=${pats#* && }
		grep -qE -- "$pat" <<< "$out" || { echo "no line matches '$pat'"; return 1; }
	done
}

# The last line a check run prints, and its exit status.
checks_done() {
	echo
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
