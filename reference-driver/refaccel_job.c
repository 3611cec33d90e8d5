// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Job submission: argument checks, command validation, dependencies
 * (input syncobjs and implicit sync through the BOs' reservations), and the
 * hand-over to drm_sched. Everything that can fail happens before the job
 * is armed, so a failed submission has no effect.
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
#include <drm/drm_syncobj.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"
#include "refaccel_ctx.h"
#include "refaccel_drv.h"
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
	dma_fence_put(job->hw_fence);
	refaccel_ctx_put(job->ctx);
	kfree(job);

	if (atomic_dec_and_test(&rdev->jobs_alive))
		wake_up_all(&rdev->jobs_idle);
}

static int refaccel_submit_check_args(const struct drm_refaccel_submit *args)
{
	if ((args->flags & ~REFACCEL_SUBMIT_FLAGS_VALID) || args->pad)
		return -EINVAL;
	if (args->engine >= REFACCEL_ENGINE_COUNT)
		return -EINVAL;
	if (!args->cmds_size || args->cmds_size > REFACCEL_MAX_CMDS_SIZE ||
	    !IS_ALIGNED(args->cmds_size, 8))
		return -EINVAL;
	if (args->bo_count > REFACCEL_MAX_JOB_BOS ||
	    args->in_sync_count > REFACCEL_MAX_JOB_SYNCS)
		return -EINVAL;
	if (args->out_sync.flags || (!args->out_sync.handle && args->out_sync.point))
		return -EINVAL;
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

	job->bo_count = args->bo_count;
	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->bo_handles),
				     args->bo_count, &job->bos);
	if (ret)
		return ret;

	job->spans = kvcalloc(job->bo_count, sizeof(*job->spans), GFP_KERNEL);
	if (!job->spans)
		return -ENOMEM;

	for (i = 0; i < job->bo_count; i++) {
		job->spans[i].size = job->bos[i]->size;
		job->spans[i].owner = job->bos[i];
	}

	return 0;
}

/* Make the BOs' pages reachable by the engine (allocating them if needed). */
static int refaccel_job_map_bos(struct refaccel_job *job)
{
	u32 i;

	for (i = 0; i < job->bo_count; i++) {
		struct page **pages = refaccel_bo_pages(to_refaccel_bo(job->bos[i]));

		if (IS_ERR(pages))
			return PTR_ERR(pages);
		job->spans[i].pages = pages;
	}

	return 0;
}

static int refaccel_job_get_cmds(struct refaccel_job *job,
				 const struct drm_refaccel_submit *args)
{
	void *cmds;

	cmds = vmemdup_user(u64_to_user_ptr(args->cmds), args->cmds_size);
	if (IS_ERR(cmds))
		return PTR_ERR(cmds);

	job->cmds = cmds;
	job->cmds_size = args->cmds_size;
	return refaccel_cmds_validate(cmds, args->cmds_size, args->engine,
				      job->spans, job->bo_count);
}

static int refaccel_job_add_in_syncs(struct refaccel_job *job, struct drm_file *file,
				     const struct drm_refaccel_submit *args)
{
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
		ret = -EFAULT;
		goto out;
	}

	for (i = 0; i < args->in_sync_count; i++) {
		if (syncs[i].flags) {
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < args->in_sync_count; i++) {
		ret = drm_sched_job_add_syncobj_dependency(&job->base, file,
							   syncs[i].handle, syncs[i].point);
		if (ret)
			goto out;
	}

out:
	kvfree(syncs);
	return ret;
}

/**
 * struct refaccel_out_sync - the syncobj that receives a job's fence
 * @syncobj: the syncobj, or NULL for none
 * @chain: preallocated timeline link when @point is not 0
 * @point: timeline point, 0 for binary
 */
struct refaccel_out_sync {
	struct drm_syncobj *syncobj;
	struct dma_fence_chain *chain;
	u64 point;
};

static int refaccel_out_sync_get(struct refaccel_out_sync *out, struct drm_file *file,
				 const struct drm_refaccel_sync *sync)
{
	if (!sync->handle)
		return 0;

	out->syncobj = drm_syncobj_find(file, sync->handle);
	if (!out->syncobj)
		return -ENOENT;

	out->point = sync->point;
	if (out->point) {
		/* Allocated now: nothing may fail once the job is armed. */
		out->chain = dma_fence_chain_alloc();
		if (!out->chain)
			return -ENOMEM;
	}
	return 0;
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

/* Lock the BOs, wait for their fences (implicit sync) and arm and push the job. */
static int refaccel_job_push(struct refaccel_job *job, struct refaccel_out_sync *out,
			     u64 *seqno, struct dma_fence **done)
{
	struct refaccel_ctx *ctx = job->ctx;
	struct dma_fence *fence;
	struct drm_exec exec;
	u32 i;
	int ret;

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

	mutex_lock(&ctx->lock);
	if (ctx->closed) {
		mutex_unlock(&ctx->lock);
		ret = -ENOENT;
		goto out;
	}

	drm_sched_job_arm(&job->base);
	fence = &job->base.s_fence->finished;
	for (i = 0; i < job->bo_count; i++)
		dma_resv_add_fence(job->bos[i]->resv, fence, DMA_RESV_USAGE_WRITE);
	refaccel_out_sync_install(out, fence);
	*seqno = fence->seqno;
	if (done)
		*done = dma_fence_get(fence);
	drm_sched_entity_push_job(&job->base);
	mutex_unlock(&ctx->lock);

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
 * Return: 0, or a negative errno with no effect.
 */
VISIBLE_IF_KUNIT int refaccel_submit(struct drm_device *dev, struct drm_refaccel_submit *args,
				     struct drm_file *file, struct dma_fence **done)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile = file->driver_priv;
	struct refaccel_out_sync out = {};
	struct refaccel_job *job;
	struct refaccel_ctx *ctx;
	u64 seqno;
	int ret;

	ret = refaccel_submit_check_args(args);
	if (ret)
		return ret;

	ctx = refaccel_ctx_lookup(rfile, args->ctx_id);
	if (!ctx)
		return -ENOENT;
	if (atomic_read(&ctx->guilty)) {
		refaccel_ctx_put(ctx);
		return -ECANCELED;
	}

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		refaccel_ctx_put(ctx);
		return -ENOMEM;
	}
	atomic_inc(&rdev->jobs_alive);
	job->rdev = rdev;
	job->ctx = ctx;
	job->engine = &rdev->engines[args->engine];

	ret = refaccel_job_get_bos(job, file, args);
	if (ret)
		goto err_destroy;
	ret = refaccel_job_get_cmds(job, args);
	if (ret)
		goto err_destroy;
	ret = refaccel_out_sync_get(&out, file, &args->out_sync);
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

	ret = refaccel_job_push(job, &out, &seqno, done);
	if (ret)
		goto err_cleanup;

	/* The scheduler owns the job now and frees it through free_job. */
	refaccel_out_sync_put(&out);
	args->seqno = seqno;
	return 0;

err_cleanup:
	drm_sched_job_cleanup(&job->base);
err_out_sync:
	refaccel_out_sync_put(&out);
err_destroy:
	refaccel_job_destroy(job);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_submit);

int refaccel_submit_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	return refaccel_submit(dev, data, file, NULL);
}
