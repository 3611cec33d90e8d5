/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_ENGINE_H__
#define __REFACCEL_ENGINE_H__

#include <linux/dma-fence.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "refaccel_coredump.h"

/*
 * Jobs that touch at most this many bytes, run no MAC and would stall for at
 * most this many microseconds under the slowdowns set run in the
 * scheduler's run_job (or from their submission) rather than on the
 * hardware worker.
 */
#define REFACCEL_ENGINE_INLINE_BYTES	SZ_64K
#define REFACCEL_ENGINE_INLINE_STALL_US	100

struct refaccel_ctx;
struct refaccel_device;
struct refaccel_job;

/**
 * struct refaccel_hw_fence - the fence an engine signals when a job ends
 * @base: the fence; first, as dma_fence_free() frees the fence's address
 * @timeline: the engine's name, a string that outlives every fence
 */
struct refaccel_hw_fence {
	struct dma_fence base;
	const char *timeline;
};

static_assert(offsetof(struct refaccel_hw_fence, base) == 0);

/**
 * struct refaccel_engine - one engine: a drm_sched scheduler and the
 * "hardware" behind it, a worker that runs commands on the CPU
 *
 * The hardware runs one job at a time, so a reset only ever has one job on
 * it to deal with: the scheduler's credit limit is 1, and a short job that
 * bypasses the scheduler (refaccel_engine_run_direct()) claims the engine
 * the same way, under @lock.
 *
 * @sched: the scheduler feeding this engine
 * @rdev: the device
 * @id: index in &refaccel_device.engines, an enum drm_refaccel_engine
 * @name: "compute" or "copy": used in fdinfo keys, debugfs and logs
 * @hw_wq: ordered workqueue of the hardware worker
 * @submit_wq: the scheduler's workqueue: per-CPU, so that run_job runs on
 *	the submitter's CPU instead of waking an idle one
 * @hw_work: runs @active, unless run_job ran it already (a short job)
 * @reset_work: a reset requested through debugfs, run on the device's
 *	reset workqueue, which is also the schedulers' timeout workqueue
 * @sched_lock: held by whoever stops the scheduler's submission to change
 *	what it may touch (recovery, removing a context's entity), so that
 *	one never restarts it under the other
 * @lock: protects @active and @direct_busy
 * @active: the scheduled job on the hardware from run_job until its fence
 *	signals; a hung job stays here until a reset removes it
 * @direct_busy: a direct job is on the hardware; it ends within
 *	microseconds and belongs to its submitter, so recovery and context
 *	teardown leave it alone
 * @idle: where run_job waits for a direct job to leave the hardware
 * @pending: jobs pushed to the scheduler whose finished fence has not
 *	signalled; a direct job may only run when there are none
 * @fence_lock: lock of the hardware fences
 * @fence_context: dma-fence context of the hardware fences
 * @fence_seqno: last hardware fence sequence number
 * @dump: devcoredumps of the engine's hangs
 */
struct refaccel_engine {
	struct drm_gpu_scheduler sched;
	struct refaccel_device *rdev;
	u32 id;
	const char *name;
	struct workqueue_struct *hw_wq;
	struct workqueue_struct *submit_wq;
	struct work_struct hw_work;
	struct work_struct reset_work;
	struct mutex sched_lock; /* stops and restarts of @sched's submission */
	spinlock_t lock; /* protects @active and @direct_busy */
	struct refaccel_job *active;
	bool direct_busy;
	wait_queue_head_t idle;
	atomic_t pending;
	spinlock_t fence_lock; /* of the hardware fences */
	u64 fence_context;
	u64 fence_seqno;
	struct refaccel_coredump dump;
};

int refaccel_engine_init(struct refaccel_device *rdev, struct refaccel_engine *engine,
			 u32 id, unsigned int timeout_ms);
void refaccel_engine_fini(struct refaccel_engine *engine);

bool refaccel_engine_run_direct(struct refaccel_engine *engine, struct refaccel_job *job);
void refaccel_engine_request_reset(struct refaccel_engine *engine);
void refaccel_engine_remove_entity(struct refaccel_engine *engine,
				   struct drm_sched_entity *entity, struct refaccel_ctx *ctx);
unsigned int refaccel_engine_get_timeout_ms(struct refaccel_engine *engine);
void refaccel_engine_set_timeout_ms(struct refaccel_engine *engine, unsigned int ms);

#endif /* __REFACCEL_ENGINE_H__ */
