// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Open files and contexts.
 */

#include <linux/capability.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"

static void refaccel_file_release(struct kref *ref)
{
	struct refaccel_file *rfile = container_of(ref, struct refaccel_file, ref);

	xa_destroy(&rfile->contexts);
	kfree(rfile);
}

int refaccel_open(struct drm_device *dev, struct drm_file *file)
{
	struct refaccel_file *rfile;

	rfile = kzalloc(sizeof(*rfile), GFP_KERNEL);
	if (!rfile)
		return -ENOMEM;

	rfile->rdev = to_refaccel_device(dev);
	xa_init_flags(&rfile->contexts, XA_FLAGS_ALLOC1);
	kref_init(&rfile->ref);
	file->driver_priv = rfile;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_open);

static void refaccel_ctx_release(struct kref *ref)
{
	struct refaccel_ctx *ctx = container_of(ref, struct refaccel_ctx, ref);

	kref_put(&ctx->rfile->ref, refaccel_file_release);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
}

/**
 * refaccel_ctx_put() - drop a reference to a context
 * @ctx: the context
 */
void refaccel_ctx_put(struct refaccel_ctx *ctx)
{
	kref_put(&ctx->ref, refaccel_ctx_release);
}

/**
 * refaccel_ctx_lookup() - find a live context of a file
 * @rfile: the file
 * @id: the context id
 *
 * Return: the context with a reference the caller must put, or NULL.
 */
struct refaccel_ctx *refaccel_ctx_lookup(struct refaccel_file *rfile, u32 id)
{
	struct refaccel_ctx *ctx;

	xa_lock(&rfile->contexts);
	ctx = xa_load(&rfile->contexts, id);
	if (ctx)
		kref_get(&ctx->ref);
	xa_unlock(&rfile->contexts);
	return ctx;
}

/**
 * refaccel_ctx_ban() - ban a context after one of its jobs hung
 * @ctx: the context
 *
 * Its queued jobs are cancelled when the scheduler reaches them, and
 * submission on it fails from now on.
 */
void refaccel_ctx_ban(struct refaccel_ctx *ctx)
{
	struct refaccel_device *rdev = ctx->rfile->rdev;

	if (!atomic_xchg(&ctx->guilty, 1))
		atomic64_inc(&rdev->faults.banned_contexts);
}

/**
 * refaccel_ctx_account() - charge engine time to a context and its file
 * @ctx: the context
 * @engine: the engine that ran the job
 * @ns: how long it ran
 */
void refaccel_ctx_account(struct refaccel_ctx *ctx, u32 engine, u64 ns)
{
	atomic64_add(ns, &ctx->busy_ns[engine]);
	atomic64_add(ns, &ctx->rfile->busy_ns[engine]);
}

/*
 * Stop the context: no job can be pushed any more, queued jobs are
 * cancelled (their fences signal with an error after their dependencies)
 * and a running one is stopped with -ECANCELED. Then drop the table's
 * reference; the jobs hold theirs until they are freed.
 */
static void refaccel_ctx_close(struct refaccel_ctx *ctx)
{
	struct refaccel_device *rdev = ctx->rfile->rdev;
	int i;

	mutex_lock(&ctx->lock);
	ctx->closed = true;
	mutex_unlock(&ctx->lock);

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++)
		refaccel_engine_remove_entity(&rdev->engines[i], &ctx->entities[i], ctx);

	refaccel_ctx_put(ctx);
}

void refaccel_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct refaccel_file *rfile = file->driver_priv;
	struct refaccel_ctx *ctx;
	unsigned long id;

	xa_for_each(&rfile->contexts, id, ctx) {
		xa_erase(&rfile->contexts, id);
		refaccel_ctx_close(ctx);
	}

	kref_put(&rfile->ref, refaccel_file_release);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_postclose);

static const enum drm_sched_priority refaccel_sched_priority[] = {
	[REFACCEL_PRIORITY_LOW] = DRM_SCHED_PRIORITY_LOW,
	[REFACCEL_PRIORITY_NORMAL] = DRM_SCHED_PRIORITY_NORMAL,
	[REFACCEL_PRIORITY_HIGH] = DRM_SCHED_PRIORITY_HIGH,
};

int refaccel_ctx_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile = file->driver_priv;
	struct drm_refaccel_ctx_create *args = data;
	struct refaccel_ctx *ctx;
	int i, ret;

	if (args->flags || args->pad) {
		drm_dbg(dev, "ctx_create: flags %#x or pad %u not zero\n", args->flags, args->pad);
		return -EINVAL;
	}
	if (args->priority >= ARRAY_SIZE(refaccel_sched_priority)) {
		drm_dbg(dev, "ctx_create: no priority %u\n", args->priority);
		return -EINVAL;
	}
	if (args->priority == REFACCEL_PRIORITY_HIGH && !capable(CAP_SYS_NICE)) {
		drm_dbg(dev, "ctx_create: high priority needs CAP_SYS_NICE\n");
		return -EACCES;
	}

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;

	kref_init(&ctx->ref);
	mutex_init(&ctx->lock);
	ctx->rfile = rfile;

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++) {
		struct drm_gpu_scheduler *sched = &rdev->engines[i].sched;

		ret = drm_sched_entity_init(&ctx->entities[i],
					    refaccel_sched_priority[args->priority],
					    &sched, 1, &ctx->guilty);
		if (ret)
			goto err_entities;
	}

	/* Held until the context is released, by the table or by jobs. */
	kref_get(&rfile->ref);
	ret = xa_alloc(&rfile->contexts, &ctx->id, ctx,
		       XA_LIMIT(1, REFACCEL_MAX_CONTEXTS), GFP_KERNEL);
	if (ret) {
		kref_put(&rfile->ref, refaccel_file_release);
		if (ret == -EBUSY) {
			drm_dbg(dev, "ctx_create: the file has %u contexts already\n",
				REFACCEL_MAX_CONTEXTS);
			ret = -ENOSPC;
		}
		goto err_entities;
	}

	args->ctx_id = ctx->id;
	return 0;

err_entities:
	while (i--)
		drm_sched_entity_fini(&ctx->entities[i]);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_ctx_create_ioctl);

int refaccel_ctx_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_file *rfile = file->driver_priv;
	struct drm_refaccel_ctx_destroy *args = data;
	struct refaccel_ctx *ctx;

	if (args->pad) {
		drm_dbg(dev, "ctx_destroy: pad %u not zero\n", args->pad);
		return -EINVAL;
	}

	ctx = xa_erase(&rfile->contexts, args->ctx_id);
	if (!ctx) {
		drm_dbg(dev, "ctx_destroy: no context %u\n", args->ctx_id);
		return -ENOENT;
	}

	refaccel_ctx_close(ctx);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_ctx_destroy_ioctl);
