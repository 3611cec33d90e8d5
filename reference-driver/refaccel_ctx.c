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
#include <drm/drm_syncobj.h>

#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"

static void refaccel_file_release(struct kref *ref)
{
	struct refaccel_file *rfile = container_of(ref, struct refaccel_file, ref);

	xa_destroy(&rfile->contexts);
	kfree(rfile);
}

static void refaccel_ctx_release(struct kref *ref)
{
	struct refaccel_ctx *ctx = container_of(ref, struct refaccel_ctx, ref);

	if (ctx->syncobj)
		drm_syncobj_put(ctx->syncobj);
	kref_put(&ctx->rfile->ref, refaccel_file_release);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
}

static const enum drm_sched_priority refaccel_sched_priority[] = {
	[REFACCEL_PRIORITY_LOW] = DRM_SCHED_PRIORITY_LOW,
	[REFACCEL_PRIORITY_NORMAL] = DRM_SCHED_PRIORITY_NORMAL,
	[REFACCEL_PRIORITY_HIGH] = DRM_SCHED_PRIORITY_HIGH,
};

/*
 * A new context of @rfile with its entities, not yet reachable by anyone.
 * refaccel_ctx_abandon() undoes it while it has no job.
 */
static struct refaccel_ctx *refaccel_ctx_alloc(struct refaccel_file *rfile, u32 priority)
{
	struct refaccel_device *rdev = rfile->rdev;
	struct refaccel_ctx *ctx;
	int i, ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return ERR_PTR(-ENOMEM);

	kref_init(&ctx->ref);
	mutex_init(&ctx->lock);
	ctx->rfile = rfile;

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++) {
		struct drm_gpu_scheduler *sched = &rdev->engines[i].sched;

		ret = drm_sched_entity_init(&ctx->entities[i], refaccel_sched_priority[priority],
					    &sched, 1, &ctx->guilty);
		if (ret)
			goto err_entities;
	}

	/* Held until the context is released, by the table or by jobs. */
	kref_get(&rfile->ref);
	return ctx;

err_entities:
	while (i--)
		drm_sched_entity_fini(&ctx->entities[i]);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
	return ERR_PTR(ret);
}

/* Free a context that never had a job and that nobody else can reach. */
static void refaccel_ctx_abandon(struct refaccel_ctx *ctx)
{
	int i;

	for (i = 0; i < REFACCEL_ENGINE_COUNT; i++)
		drm_sched_entity_fini(&ctx->entities[i]);
	refaccel_ctx_put(ctx);
}

int refaccel_open(struct drm_device *dev, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile;
	int ret;

	/* Taken here and given back in postclose, which runs iff this succeeded. */
	if (refaccel_has_cap(rdev, REFACCEL_CAP_SINGLE_OPEN) &&
	    atomic_cmpxchg(&rdev->open_files, 0, 1)) {
		drm_dbg(dev, "open: the device is open already, and allows one file at a time\n");
		return -EBUSY;
	}

	rfile = kzalloc(sizeof(*rfile), GFP_KERNEL);
	if (!rfile) {
		ret = -ENOMEM;
		goto err_single_open;
	}

	rfile->rdev = rdev;
	xa_init_flags(&rfile->contexts, XA_FLAGS_ALLOC1);
	kref_init(&rfile->ref);

	if (!refaccel_has_cap(rdev, REFACCEL_CAP_CONTEXTS)) {
		struct refaccel_ctx *ctx = refaccel_ctx_alloc(rfile, REFACCEL_PRIORITY_NORMAL);

		if (IS_ERR(ctx)) {
			kref_put(&rfile->ref, refaccel_file_release);
			ret = PTR_ERR(ctx);
			goto err_single_open;
		}
		rfile->implicit_ctx = ctx;
	}

	file->driver_priv = rfile;
	return 0;

err_single_open:
	if (refaccel_has_cap(rdev, REFACCEL_CAP_SINGLE_OPEN))
		atomic_set_release(&rdev->open_files, 0);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_open);

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

	if (rfile->implicit_ctx) {
		if (id)
			return NULL;
		kref_get(&rfile->implicit_ctx->ref);
		return rfile->implicit_ctx;
	}

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
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile = file->driver_priv;
	struct refaccel_ctx *ctx;
	unsigned long id;

	xa_for_each(&rfile->contexts, id, ctx) {
		xa_erase(&rfile->contexts, id);
		refaccel_ctx_close(ctx);
	}
	if (rfile->implicit_ctx)
		refaccel_ctx_close(rfile->implicit_ctx);

	kref_put(&rfile->ref, refaccel_file_release);

	if (refaccel_has_cap(rdev, REFACCEL_CAP_SINGLE_OPEN))
		atomic_set_release(&rdev->open_files, 0);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_postclose);

int refaccel_ctx_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct refaccel_file *rfile = file->driver_priv;
	struct drm_refaccel_ctx_create *args = data;
	struct refaccel_ctx *ctx;
	u32 id, handle = 0;
	int ret;

	if (!refaccel_has_cap(rdev, REFACCEL_CAP_CONTEXTS)) {
		drm_dbg(dev, "ctx_create: the device has only each file's implicit context\n");
		return -EOPNOTSUPP;
	}
	if (args->flags || args->pad || args->pad2) {
		drm_dbg(dev, "ctx_create: flags %#x, pad %u or pad2 %u not zero\n",
			args->flags, args->pad, args->pad2);
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

	ctx = refaccel_ctx_alloc(rfile, args->priority);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);

	/* Reserve the id: it reads as NULL, so no one finds the context yet. */
	ret = xa_alloc(&rfile->contexts, &id, NULL, XA_LIMIT(1, REFACCEL_MAX_CONTEXTS),
		       GFP_KERNEL);
	if (ret) {
		if (ret == -EBUSY) {
			drm_dbg(dev, "ctx_create: the file has %u contexts already\n",
				REFACCEL_MAX_CONTEXTS);
			ret = -ENOSPC;
		}
		goto err_abandon;
	}
	ctx->id = id;

	/*
	 * The timeline each job of the context signals. Its handle belongs to
	 * the file as soon as it exists: only DRM_IOCTL_SYNCOBJ_DESTROY or the
	 * file's close remove it, so it is made last, once nothing can fail.
	 */
	if (refaccel_has_cap(rdev, REFACCEL_CAP_CTX_SYNCOBJ)) {
		ret = drm_syncobj_create(&ctx->syncobj, 0, NULL);
		if (!ret)
			ret = drm_syncobj_get_handle(file, ctx->syncobj, &handle);
		if (ret)
			goto err_release_id;
	}

	/* Publish: storing over a reserved id allocates nothing and cannot fail. */
	xa_store(&rfile->contexts, id, ctx, GFP_KERNEL);
	args->ctx_id = id;
	args->syncobj_handle = handle;
	return 0;

err_release_id:
	xa_erase(&rfile->contexts, id);
err_abandon:
	refaccel_ctx_abandon(ctx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_ctx_create_ioctl);

int refaccel_ctx_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_file *rfile = file->driver_priv;
	struct drm_refaccel_ctx_destroy *args = data;
	struct refaccel_ctx *ctx;

	if (!refaccel_has_cap(to_refaccel_device(dev), REFACCEL_CAP_CONTEXTS)) {
		drm_dbg(dev, "ctx_destroy: the device has only each file's implicit context\n");
		return -EOPNOTSUPP;
	}
	if (args->pad) {
		drm_dbg(dev, "ctx_destroy: pad %u not zero\n", args->pad);
		return -EINVAL;
	}

	/* An id still being set up by ctx_create reads as NULL and stays reserved. */
	xa_lock(&rfile->contexts);
	ctx = xa_load(&rfile->contexts, args->ctx_id);
	if (ctx)
		__xa_erase(&rfile->contexts, args->ctx_id);
	xa_unlock(&rfile->contexts);
	if (!ctx) {
		drm_dbg(dev, "ctx_destroy: no context %u\n", args->ctx_id);
		return -ENOENT;
	}

	refaccel_ctx_close(ctx);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_ctx_destroy_ioctl);
