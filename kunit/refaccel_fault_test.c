// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_fault: the "next N" fault knobs count down exactly
 * and never below zero, also when many threads consume them at once.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "refaccel_fault.h"

/* Passes when N armed faults fire exactly N times and the knob stays at 0. */
static void refaccel_fault_counts_down(struct kunit *test)
{
	atomic_t knob = ATOMIC_INIT(0);
	int i, fired = 0;

	KUNIT_EXPECT_FALSE(test, refaccel_fault_fire(&knob));
	KUNIT_EXPECT_EQ(test, atomic_read(&knob), 0);
	atomic_set(&knob, 3);
	for (i = 0; i < 10; i++)
		fired += refaccel_fault_fire(&knob);
	KUNIT_EXPECT_EQ(test, fired, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&knob), 0);
}

struct race {
	atomic_t knob;
	atomic_t fired;
};

static int race_thread(void *arg)
{
	struct race *r = arg;
	int i;

	for (i = 0; i < 10000; i++)
		if (refaccel_fault_fire(&r->knob))
			atomic_inc(&r->fired);
	return 0;
}

/* Passes when four threads racing on 1000 armed faults fire exactly 1000. */
static void refaccel_fault_race(struct kunit *test)
{
	struct race r = { .knob = ATOMIC_INIT(1000), .fired = ATOMIC_INIT(0) };
	struct task_struct *t[4];
	int i;

	for (i = 0; i < 4; i++) {
		t[i] = kthread_create(race_thread, &r, "refaccel-fault-%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		/* Held so that kthread_stop() is safe once the thread has returned. */
		get_task_struct(t[i]);
	}
	for (i = 0; i < 4; i++)
		wake_up_process(t[i]);
	for (i = 0; i < 4; i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&r.fired), 1000);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.knob), 0);
}

static struct kunit_case refaccel_fault_cases[] = {
	KUNIT_CASE(refaccel_fault_counts_down),
	KUNIT_CASE(refaccel_fault_race),
	{}
};

static struct kunit_suite refaccel_fault_suite = {
	.name = "refaccel_fault",
	.test_cases = refaccel_fault_cases,
};

kunit_test_suite(refaccel_fault_suite);
