// SPDX-License-Identifier: MIT
/*
 * A test binary whose subtests pass, fail, skip, crash and hang on purpose,
 * so that the harness and the runner can be checked from the outside.
 * Needs no device.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_test.h"

static void victim_pass(struct acts_dev *dev)
{
	acts_assert_eq(1 + 1, 2);
}

static void victim_fail(struct acts_dev *dev)
{
	acts_assert_err(-ENOENT, -EINVAL);
}

static void victim_skip(struct acts_dev *dev)
{
	acts_require(0, "victim skips on purpose");
}

static void victim_crash(struct acts_dev *dev)
{
	raise(SIGSEGV);
}

static void victim_hang(struct acts_dev *dev)
{
	/* A helper process that outlives the subtest must be reaped too. */
	if (fork() == 0)
		for (;;)
			pause();
	for (;;)
		pause();
}

static void victim_exit(struct acts_dev *dev)
{
	exit(3);
}

static const struct acts_subtest tests[] = {
	{ "pass", "SELF-1", "passes", victim_pass, ACTS_NO_DEVICE },
	{ "fail", "SELF-2", "fails an errno assertion", victim_fail, ACTS_NO_DEVICE },
	{ "skip", "SELF-3", "skips with a reason", victim_skip, ACTS_NO_DEVICE },
	{ "crash", "SELF-4", "dies of SIGSEGV", victim_crash, ACTS_NO_DEVICE },
	{ "hang", "SELF-5", "never returns", victim_hang, ACTS_NO_DEVICE },
	{ "odd-exit", "SELF-6", "exits with a status that means nothing", victim_exit,
	  ACTS_NO_DEVICE },
	{ "pass-after", "SELF-1", "passes after all the others", victim_pass, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
