// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Job submission: argument checks, command validation, dependencies
 * (input syncobjs and implicit sync through the BOs' reservations), and the
 * hand-over to drm_sched, or the run of a short job on an idle engine at
 * once. Everything that can fail happens before the job is armed or run,
 * so a failed submission has no effect.
 */

#include <linux/dma-fence-chain.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"
#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"
#include "refaccel_gem.h"
#include "refaccel_job.h"

/**
 * refaccel_job_destroy() - free a job and drop what it holds
 * @job: the job; if it was initialised, drm_sched_job_cleanup() came first
 */
void refaccel_job_destroy(struct refaccel_job *job)
{
	struct refaccel_device *rdev = job->rdev;
	u32 i;

	for (i = 0; i < job->bo_count; i++)
		if (job->bos[i])
			drm_gem_object_put(job->bos[i]);
	kvfree(job->bos);
	kvfree(job->spans);
	kvfree(job->cmds);
	if (job->hw_fence_live)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	refaccel_ctx_put(job->ctx);
	kfree(job);

	if (atomic_dec_and_test(&rdev->jobs_alive))
		wake_up_all(&rdev->jobs_idle);
}

static int refaccel_submit_check_args(struct drm_device *dev,
				      const struct drm_refaccel_submit *args)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);

	if ((args->flags & ~REFACCEL_SUBMIT_FLAGS_VALID) || args->pad) {
		drm_dbg(dev, "submit: unknown flags %#llx or pad %u not zero\n",
			args->flags, args->pad);
		return -EINVAL;
	}
	if (args->engine >= REFACCEL_ENGINE_COUNT) {
		drm_dbg(dev, "submit: no engine %u\n", args->engine);
		return -EINVAL;
	}
	if (!args->cmds_size || args->cmds_size > REFACCEL_MAX_CMDS_SIZE ||
	    !IS_ALIGNED(args->cmds_size, 8)) {
		drm_dbg(dev, "submit: cmds_size %u is zero, above %u or not a multiple of 8\n",
			args->cmds_size, REFACCEL_MAX_CMDS_SIZE);
		return -EINVAL;
	}
	if (args->bo_count > REFACCEL_MAX_JOB_BOS) {
		drm_dbg(dev, "submit: bo_count %u above %u\n", args->bo_count,
			REFACCEL_MAX_JOB_BOS);
		return -EINVAL;
	}
	if (args->in_sync_count > REFACCEL_MAX_JOB_SYNCS) {
		drm_dbg(dev, "submit: in_sync_count %u above %u\n", args->in_sync_count,
			REFACCEL_MAX_JOB_SYNCS);
		return -EINVAL;
	}
	if (args->out_sync.flags || (!args->out_sync.handle && args->out_sync.point)) {
		drm_dbg(dev, "submit: out_sync flags set, or a point without a handle\n");
		return -EINVAL;
	}
	if (!refaccel_has_cap(rdev, REFACCEL_CAP_JOB_SYNCOBJS) &&
	    (args->in_sync_count || args->out_sync.handle)) {
		drm_dbg(dev, "submit: in_syncs or out_sync given, but the device takes no job syncobjs\n");
		return -EINVAL;
	}
	if (!refaccel_has_cap(rdev, REFACCEL_CAP_CONTEXTS) && args->ctx_id) {
		drm_dbg(dev, "submit: ctx_id %u, but the device has only the file's implicit context 0\n",
			args->ctx_id);
		return -EINVAL;
	}
	return 0;
}

/* Look the BOs up; their pages come later, once the commands are valid. */
static int refaccel_job_get_bos(struct refaccel_job *job, struct drm_file *file,
				const struct drm_refaccel_submit *args)
{
	u32 i;
	int ret;

	if (!args->bo_count)
		return 0;

	/*
	 * On failure the array may hold references to the handles found
	 * before the bad one: count them in only once the array exists.
	 */
	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->bo_handles),
				     args->bo_count, &job->bos);
	if (job->bos)
		job->bo_count = args->bo_count;
	if (ret) {
		drm_dbg(&job->rdev->drm, "submit: BO list unreadable or has an unknown handle (%d)\n",
			ret);
		return ret;
	}

	job->spans = kvcalloc(job->bo_count, sizeof(*job->spans), GFP_KERNEL_ACCOUNT);
	if (!job->spans)
		return -ENOMEM;

	for (i = 0; i < job->bo_count; i++) {
		job->spans[i].size = job->bos[i]->size;
		job->spans[i].owner = job->bos[i];
	}

	return 0;
}

/*
 * Make the BOs reachable by the engine: pin their pages (allocating them if
 * needed) and map them, so that running the job needs neither.
 */
static int refaccel_job_map_bos(struct refaccel_job *job)
{
	u32 i;

	for (i = 0; i < job->bo_count; i++) {
		struct refaccel_bo *bo = to_refaccel_bo(job->bos[i]);
		struct page **pages = refaccel_bo_pages(bo);

		if (IS_ERR(pages))
			return PTR_ERR(pages);
		job->spans[i].pages = pages;
		job->spans[i].vaddr = refaccel_bo_vaddr(bo, pages);
		if (!job->spans[i].vaddr)
			return -ENOMEM;
	}

	return 0;
}

static int refaccel_job_get_cmds(struct refaccel_job *job, struct drm_device *dev,
				 const struct drm_refaccel_submit *args)
{
	struct refaccel_cmd_reject reject;
	int ret;

	/* Charged to the submitter's memory cgroup, like everything a job holds. */
	job->cmds = kvmalloc(args->cmds_size, GFP_KERNEL_ACCOUNT);
	if (!job->cmds)
		return -ENOMEM;
	if (copy_from_user(job->cmds, u64_to_user_ptr(args->cmds), args->cmds_size)) {
		drm_dbg(dev, "submit: command buffer unreadable\n");
		return -EFAULT;
	}

	job->cmds_size = args->cmds_size;
	ret = refaccel_cmds_validate(job->cmds, args->cmds_size, args->engine,
				     job->spans, job->bo_count, &reject);
	if (ret) {
		drm_dbg(dev, "submit: command at byte %u refused: %s\n", reject.offset,
			reject.reason);
		return ret;
	}
	job->bytes = refaccel_cmds_bytes(job->cmds, job->cmds_size);
	return 0;
}

static int refaccel_job_add_in_syncs(struct refaccel_job *job, struct drm_file *file,
				     const struct drm_refaccel_submit *args)
{
	struct drm_device *dev = &job->rdev->drm;
	struct drm_refaccel_sync *syncs;
	u32 i;
	int ret = 0;

	if (!args->in_sync_count)
		return 0;

	syncs = kvmalloc_array(args->in_sync_count, sizeof(*syncs), GFP_KERNEL);
	if (!syncs)
		return -ENOMEM;
	if (copy_from_user(syncs, u64_to_user_ptr(args->in_syncs),
			   args->in_sync_count * sizeof(*syncs))) {
		drm_dbg(dev, "submit: in_syncs unreadable\n");
		ret = -EFAULT;
		goto out;
	}

	for (i = 0; i < args->in_sync_count; i++) {
		if (syncs[i].flags) {
			drm_dbg(dev, "submit: in_syncs[%u].flags not zero\n", i);
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < args->in_sync_count; i++) {
		ret = drm_sched_job_add_syncobj_dependency(&job->base, file,
							   syncs[i].handle, syncs[i].point);
		if (ret) {
			drm_dbg(dev, "submit: in_syncs[%u] (handle %u point %llu): %s (%d)\n",
				i, syncs[i].handle, syncs[i].point,
				ret == -ENOENT ? "no such syncobj" : "no fence there", ret);
			goto out;
		}
	}

out:
	kvfree(syncs);
	return ret;
}

/**
 * struct refaccel_out_sync - the syncobj that receives a job's fence
 * @syncobj: the syncobj, or NULL for none
 * @chain: preallocated timeline link when @point is not 0, or for the
 *	syncobj of the job's context
 * @point: timeline point, 0 for binary; for the syncobj of the job's
 *	context, chosen when the job is armed
 */
struct refaccel_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

static int refaccel_out_sync_get(struct refaccel_out_sync *out, struct drm_device *dev,
				 struct drm_file *file, const struct drm_refaccel_sync *sync)
{
	if (!sync->handle)
		return 0;

	out->syncobj = drm_syncobj_find(file, sync->handle);
	if (!out->syncobj) {
		drm_dbg(dev, "submit: out_sync handle %u unknown\n", sync->handle);
		return -ENOENT;
	}

	out->point = sync->point;
	if (out->point) {
		/* Allocated now: nothing may fail once the job is armed. */
		out->chain = dma_fence_chain_alloc();
		if (!out->chain)
			return -ENOMEM;
	}
	return 0;
}

/*
 * A context with a syncobj of its own (REFACCEL_CAP_CTX_SYNCOBJ): the job
 * signals its point there, numbered once the job is armed.
 */
static int refaccel_out_sync_get_ctx(struct refaccel_out_sync *out, struct refaccel_ctx *ctx)
{
	drm_syncobj_get(ctx->syncobj);
	out->syncobj = ctx->syncobj;
	/* Allocated now: nothing may fail once the job is armed. */
	out->chain = dma_fence_chain_alloc();
	return out->chain ? 0 : -ENOMEM;
}

static void refaccel_out_sync_install(struct refaccel_out_sync *out, struct dma_fence *fence)
{
	if (!out->syncobj)
		return;

	if (out->chain) {
		drm_syncobj_add_point(out->syncobj, out->chain, fence, out->point);
		out->chain = NULL;
	} else {
		drm_syncobj_replace_fence(out->syncobj, fence);
	}
}

static void refaccel_out_sync_put(struct refaccel_out_sync *out)
{
	dma_fence_chain_free(out->chain);
	if (out->syncobj)
		drm_syncobj_put(out->syncobj);
}

/**
 * refaccel_job_done() - account for a job that ended, or will never run
 * @job: the job
 *
 * Its file may queue one more job, and a scheduled one no longer holds
 * direct jobs off its engine.
 */
void refaccel_job_done(struct refaccel_job *job)
{
	atomic_dec(&job->engine->pending);
	atomic_dec(&job->ctx->rfile->jobs_in_flight);
}

static void refaccel_job_done_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	refaccel_job_done(container_of(cb, struct refaccel_job, done_cb));
}

/* Has every fence the job waits for signalled? */
static bool refaccel_job_deps_signalled(struct refaccel_job *job)
{
	struct dma_fence *fence;
	unsigned long index;

	xa_for_each(&job->base.dependencies, index, fence)
		if (!dma_fence_is_signaled(fence))
			return false;
	return true;
}

/*
 * Run the job at once if it can bypass the scheduler (see
 * refaccel_engine_run_direct()), or arm it for the scheduler. Returns the
 * job's fence: its hardware fence, signalled, or its finished fence.
 */
static struct dma_fence *refaccel_job_start(struct refaccel_job *job, bool *direct)
{
	struct refaccel_engine *engine = job->engine;
	struct dma_fence *fence;

	*direct = refaccel_job_deps_signalled(job) && refaccel_engine_run_direct(engine, job);
	if (*direct) {
		atomic_dec(&job->ctx->rfile->jobs_in_flight);
		return job->hw_fence;
	}

	drm_sched_job_arm(&job->base);
	fence = &job->base.s_fence->finished;
	/* Counted before the push: the job must keep direct jobs off until it ends. */
	atomic_inc(&engine->pending);
	/* Cannot fail: the fence signals only once the job is pushed. */
	dma_fence_add_callback(fence, &job->done_cb, refaccel_job_done_cb);
	return fence;
}

/*
 * Start the job (refaccel_job_start()) unless its context was destroyed,
 * and publish its fence. *direct tells whether it ran already, in which
 * case the caller still owns it; otherwise the scheduler does, and may have
 * freed it by the time the caller looks (hence not job->direct).
 */
static int refaccel_job_arm_push(struct refaccel_job *job, struct refaccel_out_sync *out,
				 u64 *seqno, struct dma_fence **done, bool *direct)
{
	struct refaccel_ctx *ctx = job->ctx;
	struct dma_fence *fence;
	u32 i;

	mutex_lock(&ctx->lock);
	if (ctx->closed) {
		mutex_unlock(&ctx->lock);
		drm_dbg(&job->rdev->drm, "submit: context %u destroyed meanwhile\n", ctx->id);
		return -ENOENT;
	}

	/* From here on nothing may fail: the job runs or is armed. */
	job->seqno = ++ctx->seqno[job->engine->id];
	fence = refaccel_job_start(job, direct);
	for (i = 0; i < job->bo_count; i++)
		dma_resv_add_fence(job->bos[i]->resv, fence, DMA_RESV_USAGE_WRITE);
	/*
	 * The context's timeline needs points that grow in the order they are
	 * added, on every engine: a count of the context's jobs, under its lock.
	 */
	if (ctx->syncobj)
		out->point = ++ctx->syncobj_point;
	refaccel_out_sync_install(out, fence);
	*seqno = ctx->syncobj ? out->point : job->seqno;
	if (done)
		*done = dma_fence_get(fence);
	if (!*direct)
		drm_sched_entity_push_job(&job->base);
	mutex_unlock(&ctx->lock);
	return 0;
}

/* Lock the BOs, wait for their fences (implicit sync) and start the job. */
static int refaccel_job_push(struct refaccel_job *job, struct refaccel_out_sync *out,
			     u64 *seqno, struct dma_fence **done, bool *direct)
{
	struct drm_exec exec;
	u32 i;
	int ret;

	/* No BOs to lock: spare the submission drm_exec's allocation. */
	if (!job->bo_count)
		return refaccel_job_arm_push(job, out, seqno, done, direct);

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES,
		      job->bo_count);
	drm_exec_until_all_locked(&exec) {
		ret = drm_exec_prepare_array(&exec, job->bos, job->bo_count, 1);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			goto out;
	}

	for (i = 0; i < job->bo_count; i++) {
		ret = drm_sched_job_add_implicit_dependencies(&job->base, job->bos[i], true);
		if (ret)
			goto out;
	}

	ret = refaccel_job_arm_push(job, out, seqno, done, direct);
out:
	drm_exec_fini(&exec);
	return ret;
}

/**
 * refaccel_submit() - check and queue a job
 * @dev: the device
 * @args: the ioctl's arguments; its pointers are user pointers
 * @file: the submitting file
 * @done: if not NULL, gets a reference to the job's finished fence
 *
 * Everything the job needs until its fence signals is allocated, pinned
 * and mapped here, so that running it allocates nothing.
 *
 * Return: 0, or a negative errno with no effect.
 */
VISIBLE_IF_KUNIT int refaccel_submit(struct drm_device *dev, struct drm_refaccel_submit *args,
				     struct drm_file *file, struct dma_fence **done)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile = file->driver_priv;
	struct refaccel_out_sync out = {};
	struct refaccel_hw_fence *hw_fence;
	struct refaccel_job *job;
	struct refaccel_ctx *ctx;
	bool direct;
	u64 seqno;
	int ret;

	ret = refaccel_submit_check_args(dev, args);
	if (ret)
		return ret;

	ctx = refaccel_ctx_lookup(rfile, args->ctx_id);
	if (!ctx) {
		drm_dbg(dev, "submit: no context %u\n", args->ctx_id);
		return -ENOENT;
	}
	if (atomic_read(&ctx->guilty)) {
		drm_dbg(dev, "submit: context %u is banned after a hang\n", ctx->id);
		refaccel_ctx_put(ctx);
		return -ECANCELED;
	}
	/* The file's bound on queued work: refuse, never sleep or grow. */
	if (!atomic_add_unless(&rfile->jobs_in_flight, 1, REFACCEL_MAX_QUEUED_JOBS)) {
		drm_dbg(dev, "submit: the file already has %u jobs in flight\n",
			REFACCEL_MAX_QUEUED_JOBS);
		refaccel_ctx_put(ctx);
		return -EBUSY;
	}

	job = kzalloc(sizeof(*job), GFP_KERNEL_ACCOUNT);
	if (!job) {
		atomic_dec(&rfile->jobs_in_flight);
		refaccel_ctx_put(ctx);
		return -ENOMEM;
	}
	atomic_inc(&rdev->jobs_alive);
	job->rdev = rdev;
	job->ctx = ctx;
	job->engine = &rdev->engines[args->engine];

	/* Allocated now and initialised when the job starts: run_job must not allocate. */
	hw_fence = kzalloc(sizeof(*hw_fence), GFP_KERNEL_ACCOUNT);
	if (!hw_fence) {
		ret = -ENOMEM;
		goto err_destroy;
	}
	job->hw_fence = &hw_fence->base;
	ret = refaccel_job_get_bos(job, file, args);
	if (ret)
		goto err_destroy;
	ret = refaccel_job_get_cmds(job, dev, args);
	if (ret)
		goto err_destroy;
	if (ctx->syncobj)
		ret = refaccel_out_sync_get_ctx(&out, ctx);
	else
		ret = refaccel_out_sync_get(&out, dev, file, &args->out_sync);
	if (ret)
		goto err_out_sync;

	ret = drm_sched_job_init(&job->base, &ctx->entities[args->engine], 1, ctx,
				 file->client_id);
	if (ret)
		goto err_out_sync;

	ret = refaccel_job_add_in_syncs(job, file, args);
	if (ret)
		goto err_cleanup;

	ret = refaccel_job_map_bos(job);
	if (ret)
		goto err_cleanup;

	ret = refaccel_job_push(job, &out, &seqno, done, &direct);
	if (ret)
		goto err_cleanup;

	refaccel_out_sync_put(&out);
	args->seqno = seqno;
	/* A job that ran already is ours to free; the scheduler frees the others. */
	if (direct) {
		drm_sched_job_cleanup(&job->base);
		refaccel_job_destroy(job);
	}
	return 0;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_out_sync:
	refaccel_out_sync_put(&out);
err_destroy:
	atomic_dec(&rfile->jobs_in_flight);
	refaccel_job_destroy(job);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_submit);

int refaccel_submit_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	return refaccel_submit(dev, data, file, NULL);
}
