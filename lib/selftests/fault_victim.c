// SPDX-License-Identifier: MIT
/*
 * A subtest that arms faults, changes the job timeout and crashes, and one
 * that must find the device back at its defaults: the harness restores
 * them after any subtest that does not pass. Needs a device whose backend
 * injects faults (refaccel, root, debugfs).
 */
#include <signal.h>

#include "acts_assert.h"
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
};

ACTS_MAIN(tests)
