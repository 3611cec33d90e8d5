/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_FAULT_H__
#define __REFACCEL_FAULT_H__

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/types.h>

struct refaccel_device;

/**
 * struct refaccel_faults - injected faults and recovery counters of a device
 *
 * The "next N" knobs count down as faults fire; debugfs sets and reads them.
 * The slowdowns stay until set back to 0: they make a known performance
 * regression on demand, to prove that the benchmarks' comparison sees one.
 *
 * @fail_alloc: BO creations still to fail with -ENOMEM
 * @fail_job: jobs still to fail (fence signalled with -EIO, nothing executed)
 * @hang_job: jobs still to hang (never complete until the engine is reset)
 * @corrupt_mac: MAC commands still to flip one bit of their result
 * @job_delay_us: every job runs this much longer (a slowdown)
 * @copy_throttle_mbps: COPY commands move at most this many MB/s (0: no limit)
 * @broken: REFACCEL_BROKEN_* bits: faults that fire on every event until
 *	cleared through debugfs, which a test's return to the device's
 *	defaults does not touch (a driver broken for a whole run)
 * @alloc_failures: BO creations failed by @fail_alloc
 * @job_failures: jobs failed by @fail_job
 * @hangs: hung jobs detected, by timeout or by a requested reset
 * @resets: engine resets, for any reason
 * @banned_contexts: contexts banned after one of their jobs hung
 * @mac_corruptions: MAC results corrupted by @corrupt_mac
 */
struct refaccel_faults {
	atomic_t fail_alloc;
	atomic_t fail_job;
	atomic_t hang_job;
	atomic_t corrupt_mac;
	atomic_t job_delay_us;
	atomic_t copy_throttle_mbps;
	atomic_t broken;
	atomic64_t alloc_failures;
	atomic64_t job_failures;
	atomic64_t hangs;
	atomic64_t resets;
	atomic64_t banned_contexts;
	atomic64_t mac_corruptions;
};

/* Bits of &refaccel_faults.broken, named as the "next N" knobs they stand for. */
#define REFACCEL_BROKEN_FAIL_ALLOC	BIT(0)
#define REFACCEL_BROKEN_FAIL_JOB	BIT(1)
#define REFACCEL_BROKEN_CORRUPT_MAC	BIT(2)

/**
 * refaccel_fault_fire() - consume one pending fault of a kind
 * @remaining: one of the "next N" knobs of &struct refaccel_faults
 *
 * Return: true if the caller must inject the fault now.
 */
static inline bool refaccel_fault_fire(atomic_t *remaining)
{
	return atomic_dec_if_positive(remaining) >= 0;
}

/**
 * refaccel_fault_broken() - is the device broken for every event of a kind
 * @f: the device's faults
 * @bit: one of REFACCEL_BROKEN_*
 *
 * Return: true if the caller must inject the fault now.
 */
static inline bool refaccel_fault_broken(struct refaccel_faults *f, u32 bit)
{
	return atomic_read(&f->broken) & bit;
}

void refaccel_fault_debugfs_init(struct refaccel_device *rdev);

#endif /* __REFACCEL_FAULT_H__ */
