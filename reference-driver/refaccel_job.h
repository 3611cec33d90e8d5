/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_JOB_H__
#define __REFACCEL_JOB_H__

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

struct dma_fence;
struct drm_device;
struct drm_file;
struct drm_gem_object;
struct refaccel_ctx;
struct refaccel_device;
struct refaccel_engine;
struct refaccel_span;

/* Limits of one job, reported through GET_PARAM. */
#define REFACCEL_MAX_CMDS_SIZE	SZ_64K
#define REFACCEL_MAX_JOB_BOS	64
#define REFACCEL_MAX_JOB_SYNCS	64
/*
 * Most jobs one open file may have in flight (submitted, fence not yet
 * signalled), reported through GET_PARAM: with the limits above, a file's
 * queued work holds at most about 18 MiB of kernel memory.
 */
#define REFACCEL_MAX_QUEUED_JOBS	256

/**
 * struct refaccel_job - a submitted job
 * @base: the drm_sched job
 * @rdev: the device
 * @ctx: the context it was submitted on (a reference)
 * @engine: the engine it runs on
 * @cmds: validated copy of the command buffer
 * @cmds_size: bytes in @cmds
 * @bytes: memory its commands touch, U64_MAX with a MAC (refaccel_cmds_bytes())
 * @bos: the BOs of the job's list (a reference each)
 * @bo_count: entries in @bos
 * @spans: the pages and mappings of @bos, for the engine
 * @hw_fence: signalled by the hardware when the job ends; allocated at
 *	submission, initialised when the job starts (@hw_fence_live)
 * @hw_fence_live: @hw_fence was initialised and is reference counted
 * @done_cb: refaccel_job_done() when the finished fence of a scheduled job
 *	signals
 * @seqno: the job's sequence number on its context and engine, as returned
 *	by the submission
 * @stop: 0 while the job may run; an errno asks the engine to end it early
 *	with that error (its context went away, or it ran past the timeout)
 * @direct: runs from its submission, bypassing the scheduler
 *	(refaccel_engine_run_direct())
 * @fail: fail instead of running (injected fault)
 * @hang: never complete (injected fault)
 */
struct refaccel_job {
	struct drm_sched_job base;
	struct refaccel_device *rdev;
	struct refaccel_ctx *ctx;
	struct refaccel_engine *engine;
	void *cmds;
	u32 cmds_size;
	u64 bytes;
	struct drm_gem_object **bos;
	u32 bo_count;
	struct refaccel_span *spans;
	struct dma_fence *hw_fence;
	bool hw_fence_live;
	struct dma_fence_cb done_cb;
	u64 seqno;
	atomic_t stop;
	bool direct;
	bool fail;
	bool hang;
};

static inline struct refaccel_job *to_refaccel_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct refaccel_job, base);
}

void refaccel_job_done(struct refaccel_job *job);
void refaccel_job_destroy(struct refaccel_job *job);

int refaccel_submit_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
#if IS_ENABLED(CONFIG_KUNIT)
struct drm_refaccel_submit;
int refaccel_submit(struct drm_device *dev, struct drm_refaccel_submit *args,
		    struct drm_file *file, struct dma_fence **done);
#endif

#endif /* __REFACCEL_JOB_H__ */
