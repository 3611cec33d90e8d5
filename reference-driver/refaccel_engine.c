// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Engines: drm_sched backend, the hardware worker, hardware fences, and
 * recovery (job timeout or requested reset -> engine reset).
 */

#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <drm/drm_print.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"
#include "refaccel_compat.h"
#include "refaccel_coredump.h"
#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"
#include "refaccel_fault.h"
#include "refaccel_job.h"

static const char * const refaccel_engine_names[REFACCEL_ENGINE_COUNT] = {
	[REFACCEL_ENGINE_COMPUTE] = "compute",
	[REFACCEL_ENGINE_COPY] = "copy",
};

static const char *refaccel_hw_fence_driver_name(struct dma_fence *fence)
{
	return REFACCEL_DRIVER_NAME;
}

static const char *refaccel_hw_fence_timeline_name(struct dma_fence *fence)
{
	struct refaccel_engine *engine =
		container_of(fence->lock, struct refaccel_engine, fence_lock);

	return engine->name;
}

static const struct dma_fence_ops refaccel_hw_fence_ops = {
	.get_driver_name = refaccel_hw_fence_driver_name,
	.get_timeline_name = refaccel_hw_fence_timeline_name,
};

/* Take the job off the hardware and signal its fence, with @error if not 0. */
static void refaccel_engine_retire(struct refaccel_engine *engine,
				   struct refaccel_job *job, int error)
{
	spin_lock(&engine->lock);
	engine->active = NULL;
	spin_unlock(&engine->lock);

	if (error)
		dma_fence_set_error(job->hw_fence, error);
	dma_fence_signal(job->hw_fence);
}

static void refaccel_engine_hw_work(struct work_struct *work)
{
	struct refaccel_engine *engine =
		container_of(work, struct refaccel_engine, hw_work);
	struct refaccel_job *job;
	u64 start;
	int ret;

	spin_lock(&engine->lock);
	job = engine->active;
	spin_unlock(&engine->lock);

	/* A hung job stays on the hardware until a reset takes it off. */
	if (!job || job->hang)
		return;

	if (job->fail) {
		refaccel_engine_retire(engine, job, -EIO);
		return;
	}

	start = ktime_get_ns();
	ret = refaccel_cmds_execute(job->cmds, job->cmds_size, job->spans, &job->rdev->faults);
	refaccel_ctx_account(job->ctx, engine->id, ktime_get_ns() - start);
	refaccel_engine_retire(engine, job, ret);
}

static struct dma_fence *refaccel_sched_run_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);
	struct refaccel_engine *engine = job->engine;
	struct refaccel_faults *faults = &job->rdev->faults;
	struct dma_fence *fence;

	/* Cancelled while queued: its context was banned. Run nothing. */
	if (sched_job->s_fence->finished.error)
		return NULL;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence)
		return ERR_PTR(-ENOMEM);
	dma_fence_init(fence, &refaccel_hw_fence_ops, &engine->fence_lock,
		       engine->fence_context, ++engine->fence_seqno);
	job->hw_fence = fence;

	if (refaccel_fault_fire(&faults->fail_job)) {
		job->fail = true;
		atomic64_inc(&faults->job_failures);
	} else if (refaccel_fault_fire(&faults->hang_job)) {
		job->hang = true;
	}

	spin_lock(&engine->lock);
	engine->active = job;
	spin_unlock(&engine->lock);
	queue_work(engine->hw_wq, &engine->hw_work);

	/* One reference for the scheduler; the job keeps its own. */
	return dma_fence_get(fence);
}

/*
 * Recover the engine: from a job timeout (@bad is the job drm_sched timed
 * out) or from a requested reset (@bad is NULL). Runs on the reset
 * workqueue, so recoveries of the device never run concurrently.
 *
 * Only a hung job needs a reset: it is taken off the hardware, its fence
 * signals with an error, its context is banned and a devcoredump records
 * it. A job that is merely slow is left to finish.
 */
static void refaccel_engine_recover(struct refaccel_engine *engine,
				    struct drm_sched_job *bad, const char *reason)
{
	struct refaccel_faults *faults = &engine->rdev->faults;
	struct dma_fence *running = NULL;
	struct refaccel_job *hung = NULL;

	/* Keep new jobs off the hardware while we look at it. */
	if (bad)
		drm_sched_wqueue_stop(&engine->sched);

	spin_lock(&engine->lock);
	if (engine->active && engine->active->hang)
		hung = engine->active;
	else if (engine->active)
		running = dma_fence_get(engine->active->hw_fence);
	spin_unlock(&engine->lock);

	if (!hung) {
		/* Not hung: the hardware finishes the job on its own. */
		if (running) {
			dma_fence_wait(running, false);
			dma_fence_put(running);
		}
		if (bad) {
			/* Let drm_sched put the timed-out job back and free it. */
			drm_sched_stop(&engine->sched, bad);
			drm_sched_start(&engine->sched);
		} else {
			atomic64_inc(&faults->resets);
		}
		return;
	}

	drm_sched_stop(&engine->sched, bad);

	/* Every refaccel hang is an injected fault: worth a note, not a warning. */
	drm_info(&engine->rdev->drm, "%s engine: job %llu of context %u hung (%s), resetting\n",
		 engine->name, hung->base.s_fence->finished.seqno, hung->ctx->id, reason);
	atomic64_inc(&faults->hangs);
	atomic64_inc(&faults->resets);
	refaccel_coredump_capture(engine, hung, reason);
	refaccel_ctx_ban(hung->ctx);
	refaccel_engine_retire(engine, hung, -ETIMEDOUT);

	/* Jobs whose hardware fence was detached by the stop end as cancelled. */
	drm_sched_start(&engine->sched);
}

static enum drm_gpu_sched_stat refaccel_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);

	refaccel_engine_recover(job->engine, sched_job, "job timeout");
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void refaccel_sched_free_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	refaccel_job_destroy(job);
}

static const struct drm_sched_backend_ops refaccel_sched_ops = {
	.run_job = refaccel_sched_run_job,
	.timedout_job = refaccel_sched_timedout_job,
	.free_job = refaccel_sched_free_job,
};

static void refaccel_engine_reset_work(struct work_struct *work)
{
	struct refaccel_engine *engine =
		container_of(work, struct refaccel_engine, reset_work);

	refaccel_engine_recover(engine, NULL, "reset requested");
}

/**
 * refaccel_engine_request_reset() - reset an engine soon, as if it had hung
 * @engine: the engine
 *
 * The reset runs on the device's reset workqueue; flush it to wait for it.
 */
void refaccel_engine_request_reset(struct refaccel_engine *engine)
{
	queue_work(engine->rdev->reset_wq, &engine->reset_work);
}

/**
 * refaccel_engine_get_timeout_ms() - the engine's job timeout
 * @engine: the engine
 *
 * Return: the timeout in milliseconds.
 */
unsigned int refaccel_engine_get_timeout_ms(struct refaccel_engine *engine)
{
	return jiffies_to_msecs(READ_ONCE(engine->sched.timeout));
}

/**
 * refaccel_engine_set_timeout_ms() - change the engine's job timeout
 * @engine: the engine
 * @ms: the new timeout in milliseconds
 *
 * drm_sched reads the timeout each time it arms its timer, so the new value
 * applies from the next job that starts.
 */
void refaccel_engine_set_timeout_ms(struct refaccel_engine *engine, unsigned int ms)
{
	WRITE_ONCE(engine->sched.timeout, msecs_to_jiffies(ms));
}

/**
 * refaccel_engine_init() - set up an engine and its scheduler
 * @rdev: the device; its reset workqueue must exist
 * @engine: the engine to set up
 * @id: which engine, an enum drm_refaccel_engine
 * @timeout_ms: job timeout
 *
 * Return: 0 or a negative errno.
 */
int refaccel_engine_init(struct refaccel_device *rdev, struct refaccel_engine *engine,
			 u32 id, unsigned int timeout_ms)
{
	int ret;

	engine->rdev = rdev;
	engine->id = id;
	engine->name = refaccel_engine_names[id];
	spin_lock_init(&engine->lock);
	spin_lock_init(&engine->fence_lock);
	engine->fence_context = dma_fence_context_alloc(1);
	INIT_WORK(&engine->hw_work, refaccel_engine_hw_work);
	INIT_WORK(&engine->reset_work, refaccel_engine_reset_work);

	engine->hw_wq = alloc_ordered_workqueue("refaccel-%s-%s", 0,
						dev_name(rdev->drm.dev), engine->name);
	if (!engine->hw_wq)
		return -ENOMEM;

	ret = refaccel_sched_init(&engine->sched, &refaccel_sched_ops, 1,
				  msecs_to_jiffies(timeout_ms), rdev->reset_wq,
				  engine->name, rdev->drm.dev);
	if (ret) {
		drm_err(&rdev->drm, "%s engine: drm_sched_init failed: %d\n",
			engine->name, ret);
		destroy_workqueue(engine->hw_wq);
		return ret;
	}

	return 0;
}

/**
 * refaccel_engine_fini() - tear an engine down
 * @engine: the engine; no job of the device may be alive
 */
void refaccel_engine_fini(struct refaccel_engine *engine)
{
	cancel_work_sync(&engine->reset_work);
	drm_sched_fini(&engine->sched);
	destroy_workqueue(engine->hw_wq);
}
