// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Engines: drm_sched backend, the hardware worker, hardware fences, and
 * recovery (job timeout or requested reset -> engine reset).
 *
 * The path from run_job to a job's fence (run_job, the hardware worker, and
 * recovery up to the guilty job's signal) allocates nothing, maps nothing
 * and takes no lock that reclaim takes: it is annotated with
 * dma_fence_begin_signalling() so lockdep reports any breach.
 */

#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <drm/drm_print.h>

#include <kunit/visibility.h>

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
	return container_of(fence, struct refaccel_hw_fence, base)->timeline;
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
	if (job->direct)
		engine->direct_busy = false;
	else
		engine->active = NULL;
	spin_unlock(&engine->lock);

	if (error)
		dma_fence_set_error(job->hw_fence, error);
	dma_fence_signal(job->hw_fence);
	/* A run_job may be waiting for a job that ran from its submission. */
	if (wq_has_sleeper(&engine->idle))
		wake_up(&engine->idle);
}

/*
 * Put the job on the hardware if the engine is idle, and give it its
 * hardware fence, whose sequence numbers so follow the order jobs run in.
 * A direct job (one that bypasses the scheduler) must also find no
 * scheduled job of the engine pending: it would otherwise overtake jobs
 * queued earlier, of its own context or of a higher priority.
 */
static bool refaccel_engine_claim(struct refaccel_engine *engine, struct refaccel_job *job)
{
	bool claimed = false;

	spin_lock(&engine->lock);
	if (!engine->active && !engine->direct_busy &&
	    !(job->direct && atomic_read(&engine->pending))) {
		if (job->direct)
			engine->direct_busy = true;
		else
			engine->active = job;
		container_of(job->hw_fence, struct refaccel_hw_fence, base)->timeline =
			engine->name;
		dma_fence_init(job->hw_fence, &refaccel_hw_fence_ops,
			       refaccel_fence_lock(&engine->fence_lock),
			       engine->fence_context, ++engine->fence_seqno);
		job->hw_fence_live = true;
		claimed = true;
	}
	spin_unlock(&engine->lock);
	return claimed;
}

/* Ask the job on the hardware to stop early; the first reason given wins. */
static void refaccel_job_request_stop(struct refaccel_job *job, int error)
{
	atomic_cmpxchg(&job->stop, 0, error);
}

/* Run the job on the hardware to its end, or to a stop request, and retire it. */
static void refaccel_engine_exec(struct refaccel_engine *engine, struct refaccel_job *job)
{
	bool fence_cookie;
	u64 start;
	int ret;

	/* From here to the signal, nothing may allocate or wait on reclaim. */
	fence_cookie = dma_fence_begin_signalling();
	if (job->fail) {
		ret = -EIO;
	} else {
		const struct refaccel_exec exec = {
			.spans = job->spans,
			.faults = &job->rdev->faults,
			.stop = &job->stop,
		};

		start = ktime_get_ns();
		ret = refaccel_cmds_execute(job->cmds, job->cmds_size, &exec);
		refaccel_ctx_account(job->ctx, engine->id, ktime_get_ns() - start);
	}
	refaccel_engine_retire(engine, job, ret);
	dma_fence_end_signalling(fence_cookie);
}

static void refaccel_engine_hw_work(struct work_struct *work)
{
	struct refaccel_engine *engine =
		container_of(work, struct refaccel_engine, hw_work);
	struct refaccel_job *job;

	spin_lock(&engine->lock);
	job = engine->active;
	spin_unlock(&engine->lock);

	/* A hung job stays on the hardware until a reset takes it off. */
	if (!job || job->hang)
		return;

	refaccel_engine_exec(engine, job);
}

/*
 * Can run_job run the job itself rather than wake the hardware worker? Only
 * when its end is near: it fails by injection, or it touches little memory,
 * has no MAC and the slowdowns set make it stall briefly at most (so that a
 * seeded slowdown of a short job costs its stall, not a change of path).
 * Its fence then signals before run_job returns, which drm_sched handles,
 * and the wake-up saved is most of a short job's latency. Recovery and
 * context teardown stop the scheduler's submission first, which waits for
 * run_job: for such a job, microseconds, far below any job timeout. A long
 * job goes to the worker, where the timeout and a stop request can end it
 * early.
 */
static bool refaccel_engine_runs_inline(const struct refaccel_job *job)
{
	const struct refaccel_faults *faults = &job->rdev->faults;
	u32 mbps = atomic_read(&faults->copy_throttle_mbps);
	u64 stall_us;

	if (job->fail)
		return true;
	if (job->hang || job->bytes > REFACCEL_ENGINE_INLINE_BYTES)
		return false;
	/* At most: the throttle slows COPY commands only; MB/s is bytes per us. */
	stall_us = (u32)atomic_read(&faults->job_delay_us) + (mbps ? div_u64(job->bytes, mbps) : 0);
	return stall_us <= REFACCEL_ENGINE_INLINE_STALL_US;
}

/**
 * refaccel_engine_run_direct() - run a short job from its submission
 * @engine: the engine the job was submitted to
 * @job: the job: initialised, not armed, every dependency signalled, and
 *	every job submitted before it on its context and engine ended (which
 *	an engine with no scheduled job pending guarantees)
 *
 * A job that run_job would run inline, submitted to an idle engine with no
 * scheduled job pending, runs here at once and its hardware fence signals
 * before this returns: no scheduler work item, no wake-up. That is most of
 * a short job's latency when nothing else is queued. Faults to inject on
 * jobs go through the scheduler, where a job may hang. A run_job that
 * comes meanwhile waits for this job, which is microseconds.
 *
 * Return: true if the job ran; false if it must go through the scheduler.
 */
bool refaccel_engine_run_direct(struct refaccel_engine *engine, struct refaccel_job *job)
{
	struct refaccel_faults *faults = &job->rdev->faults;

	if (!refaccel_engine_runs_inline(job) || atomic_read(&faults->fail_job) ||
	    atomic_read(&faults->hang_job) ||
	    refaccel_fault_broken(faults, REFACCEL_BROKEN_FAIL_JOB))
		return false;
	job->direct = true;
	if (!refaccel_engine_claim(engine, job)) {
		job->direct = false;
		return false;
	}
	refaccel_engine_exec(engine, job);
	return true;
}

static struct dma_fence *refaccel_sched_run_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);
	struct refaccel_engine *engine = job->engine;
	struct refaccel_faults *faults = &job->rdev->faults;
	bool fence_cookie;

	/* Cancelled while queued: its context was banned. Run nothing. */
	if (sched_job->s_fence->finished.error)
		return NULL;

	fence_cookie = dma_fence_begin_signalling();
	/*
	 * The credit limit of 1 keeps scheduled jobs apart; a job run from
	 * its submission may still hold the engine for a few microseconds.
	 * The fence was allocated at submission: nothing here allocates.
	 */
	wait_event(engine->idle, refaccel_engine_claim(engine, job));

	if (refaccel_fault_fire(&faults->fail_job) ||
	    refaccel_fault_broken(faults, REFACCEL_BROKEN_FAIL_JOB)) {
		job->fail = true;
		atomic64_inc(&faults->job_failures);
	} else if (refaccel_fault_fire(&faults->hang_job)) {
		job->hang = true;
	}

	if (refaccel_engine_runs_inline(job))
		refaccel_engine_exec(engine, job);
	else if (!job->hang)
		queue_work(engine->hw_wq, &engine->hw_work);
	dma_fence_end_signalling(fence_cookie);

	/*
	 * One reference for the scheduler; the job keeps its own. The fence
	 * may have signalled already.
	 */
	return dma_fence_get(job->hw_fence);
}

/*
 * Take a guilty job off the hardware: a hung one at once, a running one by
 * asking the engine to stop it, which it does within one page of a FILL or
 * COPY or one MAC result element. Either way its fence signals -ETIMEDOUT,
 * its context is banned and a devcoredump records it.
 */
static void refaccel_engine_stop_guilty(struct refaccel_engine *engine,
					struct refaccel_job *job, const char *reason)
{
	struct refaccel_faults *faults = &engine->rdev->faults;
	bool fence_cookie;

	drm_info(&engine->rdev->drm, "%s engine: job %llu of context %u %s (%s), resetting\n",
		 engine->name, job->seqno, job->ctx->id,
		 job->hang ? "hung" : "ran past its timeout", reason);
	atomic64_inc(&faults->hangs);
	atomic64_inc(&faults->resets);

	fence_cookie = dma_fence_begin_signalling();
	refaccel_coredump_capture(&engine->dump, engine, job, reason);
	refaccel_ctx_ban(job->ctx);
	if (job->hang)
		refaccel_engine_retire(engine, job, -ETIMEDOUT);
	else
		refaccel_job_request_stop(job, -ETIMEDOUT);
	dma_fence_end_signalling(fence_cookie);

	/* Bounded: the engine checks for a stop request at short intervals. */
	dma_fence_wait(job->hw_fence, false);
}

/*
 * Recover the engine: from a job timeout (@bad is the job drm_sched timed
 * out) or from a requested reset (@bad is NULL). Timeouts and requested
 * resets run on the device's reset workqueue, so they never overlap.
 *
 * The job on the hardware is guilty when it is the one that timed out, or
 * when it is hung, or when a requested reset finds it still running after
 * a whole job timeout. A guilty job is stopped (refaccel_engine_stop_guilty());
 * an innocent one is left to finish, and jobs queued behind are untouched.
 */
static void refaccel_engine_recover(struct refaccel_engine *engine,
				    struct drm_sched_job *bad, const char *reason)
{
	struct refaccel_faults *faults = &engine->rdev->faults;
	struct refaccel_job *job, *guilty = NULL;

	mutex_lock(&engine->sched_lock);
	/* No job starts and none is freed while we look at the hardware. */
	drm_sched_wqueue_stop(&engine->sched);

	spin_lock(&engine->lock);
	job = engine->active;
	spin_unlock(&engine->lock);

	if (job && (job->hang || &job->base == bad)) {
		guilty = job;
	} else if (job && !bad) {
		/* A requested reset spares a healthy job for up to a job timeout. */
		if (!dma_fence_wait_timeout(job->hw_fence, false, READ_ONCE(engine->sched.timeout)))
			guilty = job;
	}

	if (guilty)
		refaccel_engine_stop_guilty(engine, guilty, reason);
	else if (!bad)
		atomic64_inc(&faults->resets);

	if (guilty || bad) {
		/*
		 * drm_sched puts a timed-out job back and frees it, frees
		 * signalled jobs, and re-attaches the rest to their hardware
		 * fences; the guilty job's fence has signalled with its error.
		 */
		drm_sched_stop(&engine->sched, bad);
		refaccel_sched_start(&engine->sched);
	} else {
		drm_sched_wqueue_start(&engine->sched);
	}
	mutex_unlock(&engine->sched_lock);
}

static enum drm_gpu_sched_stat refaccel_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);

	refaccel_engine_recover(job->engine, sched_job, "job timeout");
	return REFACCEL_SCHED_STAT_RESET;
}

static void refaccel_sched_free_job(struct drm_sched_job *sched_job)
{
	struct refaccel_job *job = to_refaccel_job(sched_job);

	/*
	 * drm_sched frees a job once its finished fence is marked signalled,
	 * which is before that fence's callbacks have run, on another CPU
	 * maybe: the job's done_cb may still be about to run. The signaller
	 * holds the fence's lock until every callback has returned, so taking
	 * that lock here waits for done_cb; if the fence never signalled,
	 * this disarms done_cb and does its accounting.
	 */
	if (dma_fence_remove_callback(&sched_job->s_fence->finished, &job->done_cb))
		refaccel_job_done(job);
	drm_sched_job_cleanup(sched_job);
	refaccel_job_destroy(job);
}

static const struct drm_sched_backend_ops refaccel_sched_ops = {
	.run_job = refaccel_sched_run_job,
	.timedout_job = refaccel_sched_timedout_job,
	.free_job = refaccel_sched_free_job,
};

/**
 * refaccel_engine_remove_entity() - take a context's entity off an engine
 * @engine: the engine
 * @entity: the context's entity for @engine; no job can be pushed to it any more
 * @ctx: the context
 *
 * Queued jobs of the entity are cancelled (their fences signal with an
 * error once their dependencies have), and the context's job on the
 * hardware, if any, is asked to stop and ends with -ECANCELED.
 *
 * The scheduler's submission is stopped meanwhile: drm_sched_entity_fini()
 * on its own races with the run-job worker, which can put the entity back
 * in its run queue after it was removed, leaving a freed entity there.
 */
void refaccel_engine_remove_entity(struct refaccel_engine *engine,
				   struct drm_sched_entity *entity, struct refaccel_ctx *ctx)
{
	mutex_lock(&engine->sched_lock);
	drm_sched_wqueue_stop(&engine->sched);
	drm_sched_entity_fini(entity);

	spin_lock(&engine->lock);
	if (engine->active && engine->active->ctx == ctx)
		refaccel_job_request_stop(engine->active, -ECANCELED);
	spin_unlock(&engine->lock);

	drm_sched_wqueue_start(&engine->sched);
	mutex_unlock(&engine->sched_lock);
}

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
EXPORT_SYMBOL_IF_KUNIT(refaccel_engine_request_reset);

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
	mutex_init(&engine->sched_lock);
	spin_lock_init(&engine->lock);
	spin_lock_init(&engine->fence_lock);
	init_waitqueue_head(&engine->idle);
	engine->fence_context = dma_fence_context_alloc(1);
	INIT_WORK(&engine->hw_work, refaccel_engine_hw_work);
	INIT_WORK(&engine->reset_work, refaccel_engine_reset_work);

	ret = refaccel_coredump_init(&engine->dump, rdev->drm.dev);
	if (ret)
		goto err_dump;

	engine->hw_wq = alloc_ordered_workqueue("refaccel-%s-%s", 0,
						dev_name(rdev->drm.dev), engine->name);
	if (!engine->hw_wq) {
		ret = -ENOMEM;
		goto err_dump;
	}

	engine->submit_wq = alloc_workqueue("%s-%s-submit", WQ_MEM_RECLAIM | REFACCEL_WQ_PERCPU, 0,
					    dev_name(rdev->drm.dev), engine->name);
	if (!engine->submit_wq) {
		destroy_workqueue(engine->hw_wq);
		ret = -ENOMEM;
		goto err_dump;
	}

	ret = refaccel_sched_init(&engine->sched, &refaccel_sched_ops, engine->submit_wq, 1,
				  msecs_to_jiffies(timeout_ms), rdev->reset_wq,
				  engine->name, rdev->drm.dev);
	if (ret) {
		drm_err(&rdev->drm, "%s engine: drm_sched_init failed: %d\n",
			engine->name, ret);
		destroy_workqueue(engine->submit_wq);
		destroy_workqueue(engine->hw_wq);
		goto err_dump;
	}

	return 0;

err_dump:
	refaccel_coredump_fini(&engine->dump);
	mutex_destroy(&engine->sched_lock);
	return ret;
}

/**
 * refaccel_engine_fini() - tear an engine down
 * @engine: the engine; no job of the device may be alive
 */
void refaccel_engine_fini(struct refaccel_engine *engine)
{
	cancel_work_sync(&engine->reset_work);
	drm_sched_fini(&engine->sched);
	destroy_workqueue(engine->submit_wq);
	destroy_workqueue(engine->hw_wq);
	refaccel_coredump_fini(&engine->dump);
	mutex_destroy(&engine->sched_lock);
}
