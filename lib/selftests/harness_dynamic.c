// SPDX-License-Identifier: MIT
/*
 * A test binary for the harness's declarations: subtests declared beside
 * their bodies, dynamic subtests whose parts pass, skip, fail and crash,
 * non-fatal expectations, and a fixture with variants whose teardown must
 * run after a body that failed or skipped. Needs no device; the checks
 * (tests/check_results.py dynamic, tests/run-checks) hold its outputs and
 * results against what each subtest is written to do.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"

/* One part of each kind: the subtest FAILs, and every part has its own result. */
ACTS_SUBTEST_FLAGS(dynamic_mixed, ACTS_NO_DEVICE, "SELF-1",
		   "dynamic parts that pass, skip and fail; the subtest fails")
{
	acts_dynamic("passes")
		acts_assert_eq(1 + 1, 2);
	acts_dynamic("skips")
		acts_require(0, "this part skips on purpose");
	acts_dynamic("fails")
		acts_assert_eq(1 + 1, 3);
	acts_info("the subtest went on after its failed part");
}

ACTS_SUBTEST_FLAGS(dynamic_all_skip, ACTS_NO_DEVICE, "SELF-3",
		   "every dynamic part skips; the subtest skips")
{
	acts_dynamic("first")
		acts_skip("the first part skips");
	acts_dynamic("second")
		acts_skip("the second part skips");
}

ACTS_SUBTEST_FLAGS(dynamic_pass, ACTS_NO_DEVICE, "SELF-1",
		   "dynamic parts named at run time that pass; the subtest passes")
{
	static const char *const types[] = { "int8", "fp16" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		acts_dynamic_f("type-%s", types[i]) {
			if (i == 1)
				return;	/* ends the part, not the subtest */
			acts_info("part %s", types[i]);
		}
	}
}

ACTS_SUBTEST_FLAGS(dynamic_crash, ACTS_NO_DEVICE, "SELF-4",
		   "a dynamic part dies of SIGSEGV; the next one runs; the subtest fails")
{
	acts_dynamic("crashes")
		raise(SIGSEGV);
	acts_dynamic("after-crash")
		acts_expect_eq(2 * 2, 4);
}

/* The parent of pid, from /proc. */
static pid_t parent_of(pid_t pid)
{
	char path[64];
	int ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	acts_assert(f != NULL);
	acts_assert_eq(fscanf(f, "%*d %*s %*c %d", &ppid), 1);
	fclose(f);
	return ppid;
}

/*
 * With ACCEL_CTS_VICTIM_KILL_RUNNER set, the second part kills the runner
 * (the binary's parent), as a kernel that dies in it would end the run:
 * `accel-cts resume` must then blame that part, keep the first part's
 * result, and run nothing of this subtest again.
 */
ACTS_SUBTEST_FLAGS(runner_dies, ACTS_NO_DEVICE, "SELF-4",
		   "the runner dies in the second dynamic part (ACCEL_CTS_VICTIM_KILL_RUNNER)")
{
	acts_require(getenv("ACCEL_CTS_VICTIM_KILL_RUNNER"),
		     "ACCEL_CTS_VICTIM_KILL_RUNNER is not set");
	acts_dynamic("before")
		acts_assert_eq(1, 1);
	acts_dynamic("dies-here") {
		/* this part -> the subtest -> the binary -> the runner */
		pid_t runner = parent_of(parent_of(getppid()));

		acts_assert_gt(runner, 1);
		/* Time for the runner to journal this part's start, as it would before a crash. */
		sleep(1);
		kill(runner, SIGKILL);
		sleep(2);
	}
	acts_dynamic("never")
		acts_assert_eq(1, 1);
}

ACTS_SUBTEST_FLAGS(expects, ACTS_NO_DEVICE, "SELF-2",
		   "two failed expectations are both reported and the subtest goes on to fail")
{
	acts_expect_eq(1 + 1, 3);
	acts_expect_err(-2 /* -ENOENT */, -22 /* -EINVAL */);
	acts_expect(acts_expect_failures() == 2);
	acts_info("still running after %d failed expectations", acts_expect_failures());
}

ACTS_SUBTEST_FLAGS(expects_hold, ACTS_NO_DEVICE, "SELF-1",
		   "expectations that hold leave the subtest passing")
{
	acts_expect_eq(1 + 1, 2);
	acts_expect_ok(0);
	acts_expect_gte_u64(2, 1);
}

/*
 * A fixture: setup stores the variant's value, teardown says it ran and
 * what it found, in every test, whatever the body did.
 */
ACTS_FIXTURE(counter)
{
	int value;
	int steps;
};

ACTS_FIXTURE_VARIANT(counter)
{
	int start;
};

ACTS_FIXTURE_VARIANT_ADD(counter, one, "SELF-8") { .start = 1 };
ACTS_FIXTURE_VARIANT_ADD(counter, two, "SELF-9") { .start = 2 };

ACTS_FIXTURE_SETUP(counter)
{
	self->value = variant->start;
	acts_info("setup: value %d", self->value);
}

ACTS_FIXTURE_TEARDOWN(counter)
{
	acts_info("teardown: value %d after %d steps", self->value, self->steps);
}

ACTS_TEST_F_FLAGS(counter, body_passes, ACTS_NO_DEVICE, "SELF-1 {rules}",
		  "a {variant} fixture whose body passes")
{
	self->steps++;
	acts_assert_eq(self->value, variant->start);
}

ACTS_TEST_F_FLAGS(counter, body_fails, ACTS_NO_DEVICE, "SELF-2",
		  "a {variant} fixture whose body fails; teardown still runs")
{
	self->steps = 7;
	acts_assert_eq(self->value, 0);
	acts_info("not reached");
}

ACTS_TEST_F_FLAGS(counter, body_skips, ACTS_NO_DEVICE, "SELF-3",
		  "a {variant} fixture whose body skips; teardown still runs")
{
	self->steps = 5;
	acts_skip("the body skips on purpose");
}

/* A fixture without variants: one subtest per test, named after it. */
ACTS_FIXTURE(plain)
{
	int ready;
};

ACTS_FIXTURE_SETUP(plain)
{
	self->ready = 1;
}

ACTS_FIXTURE_TEARDOWN(plain)
{
	acts_info("plain teardown");
}

ACTS_TEST_F_FLAGS(plain, plain_fixture, ACTS_NO_DEVICE, "SELF-1",
		  "a fixture with no variant; its body sees what setup made")
{
	acts_assert_eq(self->ready, 1);
}

ACTS_MAIN()
