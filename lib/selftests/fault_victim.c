// SPDX-License-Identifier: MIT
/*
 * Subtests that arm faults and change the job timeout, then crash or skip,
 * each followed by one that must find the device back at its defaults: the
 * harness restores them after any subtest that does not pass (after a skip
 * only if it touched them, so that plain skips cost no restore). Needs a
 * device whose backend injects faults (refaccel, root, debugfs).
 */
#include <signal.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_fault.h"
#include "acts_test.h"

/* A job timeout no driver defaults to. */
#define ODD_TIMEOUT_MS	1234

static void crash_with_fault_armed(struct acts_dev *dev)
{
	int f;

	acts_require_faults(dev);
	for (f = 0; f < ACTS_FAULT_COUNT; f++)
		acts_fault_set(dev, f, 1000);
	acts_set_job_timeout_ms(dev, ODD_TIMEOUT_MS);
	raise(SIGSEGV);
}

static void skip_with_fault_armed(struct acts_dev *dev)
{
	acts_require_faults(dev);
	acts_fault_set(dev, ACTS_FAULT_JOB_HANG, 1000);
	acts_set_job_timeout_ms(dev, ODD_TIMEOUT_MS);
	acts_skip("skips with a fault armed and the job timeout changed");
}

static void faults_disarmed_after(struct acts_dev *dev)
{
	int f;

	acts_require_cap(dev, ACTS_CAP_FAULT_INJECTION);
	/* Not acts_require_faults(): it would disarm them itself. */
	for (f = 0; f < ACTS_FAULT_COUNT; f++)
		acts_assert_eq(acts_fault_remaining(dev, f), 0);
	acts_assert_neq(acts_job_timeout_ms(dev), ODD_TIMEOUT_MS);
}

static const struct acts_subtest tests[] = {
	{ "crash-with-fault-armed", "SELF-4", "arms every fault, sets an odd job timeout, dies of SIGSEGV",
	  crash_with_fault_armed },
	{ "faults-disarmed-after", "SELF-1", "finds every fault disarmed and the job timeout restored",
	  faults_disarmed_after },
	{ "skip-with-fault-armed", "SELF-4", "arms a hang, sets an odd job timeout, skips",
	  skip_with_fault_armed },
	{ "faults-disarmed-after-skip", "SELF-1", "finds every fault disarmed and the job timeout restored",
	  faults_disarmed_after },
};

ACTS_MAIN(tests)
