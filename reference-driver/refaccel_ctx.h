/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_CTX_H__
#define __REFACCEL_CTX_H__

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <drm/gpu_scheduler.h>

#include <uapi/drm/refaccel_accel.h>

struct drm_device;
struct drm_file;
struct drm_syncobj;
struct refaccel_device;

/* Most live contexts per open file. */
#define REFACCEL_MAX_CONTEXTS	256

/**
 * struct refaccel_file - per open file state
 * @rdev: the device
 * @contexts: the file's live contexts by id (an id being set up is
 *	reserved: it reads as NULL)
 * @implicit_ctx: on a device without REFACCEL_CAP_CONTEXTS, the file's one
 *	context, id 0, from open to close; NULL otherwise
 * @ref: held by the file and by each of its contexts, since jobs (and so
 *	their contexts) can outlive the file
 * @busy_ns: nanoseconds the engines spent on this file's jobs, per engine
 * @jobs_in_flight: jobs submitted whose fence has not signalled yet, at
 *	most REFACCEL_MAX_QUEUED_JOBS
 */
struct refaccel_file {
	struct refaccel_device *rdev;
	struct xarray contexts;
	struct refaccel_ctx *implicit_ctx;
	struct kref ref;
	atomic_t jobs_in_flight;
	atomic64_t busy_ns[REFACCEL_ENGINE_COUNT];
};

/**
 * struct refaccel_ctx - a context: one scheduler entity per engine
 * @ref: held by the file's table until destruction and by each job
 * @rfile: the file the context belongs to
 * @entities: where the context's jobs queue, one per engine
 * @guilty: set once a job of the context hung; drm_sched then cancels its
 *	queued jobs and submission refuses new ones
 * @lock: orders job arming and pushing against each other and against
 *	destruction, as drm_sched requires
 * @closed: set under @lock when the context is destroyed
 * @syncobj: on a REFACCEL_CAP_CTX_SYNCOBJ device, the timeline syncobj each
 *	job signals (a reference; userspace holds its own handle)
 * @syncobj_point: the last point given to a job on @syncobj, under @lock
 * @seqno: the last sequence number given to a job, per engine, under @lock
 * @id: the context's id in @rfile (0 for an implicit context)
 * @busy_ns: nanoseconds the engines spent on this context's jobs
 */
struct refaccel_ctx {
	struct kref ref;
	struct refaccel_file *rfile;
	struct drm_sched_entity entities[REFACCEL_ENGINE_COUNT];
	atomic_t guilty;
	struct mutex lock; /* orders job arm+push and close */
	bool closed;
	struct drm_syncobj *syncobj;
	u64 syncobj_point;
	u64 seqno[REFACCEL_ENGINE_COUNT];
	u32 id;
	atomic64_t busy_ns[REFACCEL_ENGINE_COUNT];
};

int refaccel_open(struct drm_device *dev, struct drm_file *file);
void refaccel_postclose(struct drm_device *dev, struct drm_file *file);

int refaccel_ctx_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int refaccel_ctx_destroy_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

struct refaccel_ctx *refaccel_ctx_lookup(struct refaccel_file *rfile, u32 id);
void refaccel_ctx_put(struct refaccel_ctx *ctx);
void refaccel_ctx_ban(struct refaccel_ctx *ctx);
void refaccel_ctx_account(struct refaccel_ctx *ctx, u32 engine, u64 ns);

#endif /* __REFACCEL_CTX_H__ */
