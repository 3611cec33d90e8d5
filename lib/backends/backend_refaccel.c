// SPDX-License-Identifier: MIT
/*
 * Backend for refaccel, the bundled reference driver.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "backend_refaccel.h"

int refaccel_ioctl(struct acts_dev *dev, unsigned long req, void *arg)
{
	return drmIoctl(dev->fd, req, arg) ? -errno : 0;
}

int refaccel_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value)
{
	/* The caller's value goes in, so a failed call shows what the driver left. */
	struct drm_refaccel_get_param gp = { .param = param, .pad = pad, .value = *value };
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_GET_PARAM, &gp);

	*value = gp.value;
	return ret;
}

/* Per open file: the device's shape, and the syncobj of each context. */
struct refaccel_priv {
	uint64_t caps;		/* REFACCEL_CAP_* */
	/*
	 * Live contexts' syncobjs, under lock: threads share an open file.
	 * A destroyed context leaves the list before the driver can give its
	 * id to a new one; its syncobj stays, as its jobs' fences hold it.
	 */
	pthread_mutex_t lock;
	unsigned int nctx;
	struct { uint32_t ctx, syncobj; } *ctx;
};

static uint32_t refaccel_ctx_syncobj(struct refaccel_priv *priv, uint32_t ctx)
{
	uint32_t syncobj = 0;
	unsigned int i;

	pthread_mutex_lock(&priv->lock);
	for (i = 0; i < priv->nctx && !syncobj; i++)
		if (priv->ctx[i].ctx == ctx)
			syncobj = priv->ctx[i].syncobj;
	pthread_mutex_unlock(&priv->lock);
	return syncobj;
}

/* Take ctx off the list; returns its syncobj, or 0. */
static uint32_t refaccel_ctx_forget(struct refaccel_priv *priv, uint32_t ctx)
{
	uint32_t syncobj = 0;
	unsigned int i;

	pthread_mutex_lock(&priv->lock);
	for (i = 0; i < priv->nctx; i++) {
		if (priv->ctx[i].ctx != ctx)
			continue;
		syncobj = priv->ctx[i].syncobj;
		priv->ctx[i] = priv->ctx[--priv->nctx];
		break;
	}
	pthread_mutex_unlock(&priv->lock);
	return syncobj;
}

static int refaccel_ctx_remember(struct refaccel_priv *priv, uint32_t ctx, uint32_t syncobj)
{
	void *grown;
	int ret = 0;

	pthread_mutex_lock(&priv->lock);
	grown = realloc(priv->ctx, sizeof(*priv->ctx) * (priv->nctx + 1));
	if (grown) {
		priv->ctx = grown;
		priv->ctx[priv->nctx].ctx = ctx;
		priv->ctx[priv->nctx++].syncobj = syncobj;
	} else {
		ret = -ENOMEM;
	}
	pthread_mutex_unlock(&priv->lock);
	return ret;
}

static int refaccel_probe(struct acts_dev *dev, uint64_t *caps)
{
	struct refaccel_priv *priv = calloc(1, sizeof(*priv));
	uint64_t version = 0;
	int ret;

	if (!priv)
		return -ENOMEM;
	pthread_mutex_init(&priv->lock, NULL);
	dev->be_priv = priv;
	ret = refaccel_query_raw(dev, REFACCEL_PARAM_CAPABILITIES, 0, &priv->caps);
	if (!ret)
		ret = refaccel_query_raw(dev, REFACCEL_PARAM_UAPI_VERSION, 0, &version);
	if (ret)
		return ret;
	/* Before uapi 1.4 every device had contexts and job syncobjs. */
	if (version < (1 << 16 | 4))
		priv->caps |= REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS;
	if (!(priv->caps & REFACCEL_CAP_SUBMIT))
		*caps &= ~(ACTS_CAP_BIT(ACTS_CAP_SUBMIT) | ACTS_CAP_BIT(ACTS_CAP_BO_WAIT));
	if (!(priv->caps & REFACCEL_CAP_CONTEXTS))
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_CONTEXTS);
	if (!(priv->caps & REFACCEL_CAP_JOB_SYNCOBJS))
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS);
	if (!(priv->caps & REFACCEL_CAP_CTX_SYNCOBJ))
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ);
	if (!(priv->caps & REFACCEL_CAP_MAC))
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_MAC);
	if (!(priv->caps & REFACCEL_CAP_USERPTR))
		*caps &= ~ACTS_CAP_BIT(ACTS_CAP_USERPTR);
	return 0;
}

static void refaccel_release(struct acts_dev *dev)
{
	struct refaccel_priv *priv = dev->be_priv;

	if (priv) {
		pthread_mutex_destroy(&priv->lock);
		free(priv->ctx);
	}
	free(priv);
	dev->be_priv = NULL;
}

/* The class the module parameter gave the device, from what it reports. */
static const char *refaccel_variant(const struct acts_dev *dev)
{
	const struct refaccel_priv *priv = dev->be_priv;

	if (!priv)
		return NULL;
	if (priv->caps & REFACCEL_CAP_SINGLE_OPEN)
		return "single-open";
	if (priv->caps & REFACCEL_CAP_CTX_SYNCOBJ)
		return "ctx-syncobj";
	if (!(priv->caps & REFACCEL_CAP_CONTEXTS))
		return "implicit-ctx";
	if (!(priv->caps & REFACCEL_CAP_JOB_SYNCOBJS))
		return "bo-wait";
	return NULL;
}

static int refaccel_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	static const uint32_t params[ACTS_Q_COUNT] = {
		[ACTS_Q_UAPI_VERSION] = REFACCEL_PARAM_UAPI_VERSION,
		[ACTS_Q_MEM_SIZE] = REFACCEL_PARAM_DEVICE_MEMORY_SIZE,
		[ACTS_Q_MEM_USED] = REFACCEL_PARAM_DEVICE_MEMORY_USED,
		[ACTS_Q_MAX_BO_SIZE] = REFACCEL_PARAM_MAX_BO_SIZE,
		[ACTS_Q_BO_FLAGS] = REFACCEL_PARAM_BO_FLAGS,
		[ACTS_Q_ENGINES] = REFACCEL_PARAM_ENGINES,
		[ACTS_Q_MAX_JOB_BOS] = REFACCEL_PARAM_MAX_JOB_BOS,
		[ACTS_Q_MAX_JOB_SYNCS] = REFACCEL_PARAM_MAX_JOB_SYNCS,
		[ACTS_Q_MAX_CONTEXTS] = REFACCEL_PARAM_MAX_CONTEXTS,
		[ACTS_Q_TIMESTAMP_FREQ] = REFACCEL_PARAM_TIMESTAMP_FREQUENCY,
		[ACTS_Q_MAC_DTYPES] = REFACCEL_PARAM_MAC_DTYPES,
		[ACTS_Q_MAC_MAX_M] = REFACCEL_PARAM_MAC_MAX_M,
		[ACTS_Q_MAC_MAX_N] = REFACCEL_PARAM_MAC_MAX_N,
		[ACTS_Q_MAC_MAX_K] = REFACCEL_PARAM_MAC_MAX_K,
		[ACTS_Q_MAX_QUEUED_JOBS] = REFACCEL_PARAM_MAX_QUEUED_JOBS,
	};
	uint64_t caps = 0;
	int ret;

	if ((unsigned int)q >= ACTS_Q_COUNT)
		return -EOPNOTSUPP;
	if (q == ACTS_Q_MAX_JOB_FILLS) {
		ret = refaccel_query_raw(dev, REFACCEL_PARAM_MAX_CMDS_SIZE, 0, value);
		if (!ret)
			*value /= sizeof(struct drm_refaccel_cmd_fill);
		return ret;
	}
	if (q == ACTS_Q_MAC_DTYPES) {
		/* The uapi and the profile number the types alike; a device without MAC has none. */
		ret = refaccel_query_raw(dev, REFACCEL_PARAM_CAPABILITIES, 0, &caps);
		if (ret)
			return ret;
		if (!(caps & REFACCEL_CAP_MAC)) {
			*value = 0;
			return 0;
		}
	}
	ret = refaccel_query_raw(dev, params[q], 0, value);
	/* Without syncobjs each job lists a BO of its own for its fence. */
	if (!ret && q == ACTS_Q_MAX_JOB_BOS && !(dev->caps & ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS)) &&
	    !(dev->caps & ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ)) && *value)
		*value -= 1;
	return ret;
}

static int refaccel_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_refaccel_bo_create c = {
		.size = args->size, .flags = args->flags, .pad = args->pad,
		.handle = args->handle,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_CREATE, &c);

	args->size = c.size;
	args->handle = c.handle;
	return ret;
}

static int refaccel_bo_create_userptr(struct acts_dev *dev, struct acts_bo_userptr *args)
{
	struct drm_refaccel_bo_create_userptr c = {
		.user_ptr = args->user_ptr, .size = args->size, .flags = args->flags,
		.pad = args->pad, .handle = args->handle,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR, &c);

	args->handle = c.handle;
	return ret;
}

static int refaccel_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			    struct acts_bo_info *info)
{
	struct drm_refaccel_bo_info i = {
		.handle = handle, .pad = pad,
		.size = info->size, .flags = info->flags, .mmap_offset = info->mmap_offset,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_INFO, &i);

	info->size = i.size;
	info->flags = i.flags;
	info->mmap_offset = i.mmap_offset;
	return ret;
}

static int refaccel_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args)
{
	static const uint32_t prio[] = {
		[ACTS_PRIO_LOW] = REFACCEL_PRIORITY_LOW,
		[ACTS_PRIO_NORMAL] = REFACCEL_PRIORITY_NORMAL,
		[ACTS_PRIO_HIGH] = REFACCEL_PRIORITY_HIGH,
		[ACTS_PRIO_INVALID] = REFACCEL_PRIORITY_HIGH + 1,
	};
	struct drm_refaccel_ctx_create c = {
		.priority = prio[args->priority], .flags = args->flags,
		.ctx_id = args->id,
	};
	struct refaccel_priv *priv = dev->be_priv;
	int ret;

	/* Two must-be-zero fields: pad, and pad2 (uapi 1.4). */
	switch (args->pad_field) {
	case 0: c.pad = args->pad; break;
	case 1: c.pad2 = args->pad; break;
	default: return -ERANGE;
	}
	ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_CTX_CREATE, &c);

	args->id = c.ctx_id;
	if (ret)
		return ret;
	return c.syncobj_handle ? refaccel_ctx_remember(priv, c.ctx_id, c.syncobj_handle) : 0;
}

static int refaccel_ctx_destroy(struct acts_dev *dev, uint32_t id, uint32_t pad)
{
	struct drm_refaccel_ctx_destroy d = { .ctx_id = id, .pad = pad };
	struct refaccel_priv *priv = dev->be_priv;
	/* Forgotten first: once destroyed, its id may go to another thread's context. */
	uint32_t syncobj = refaccel_ctx_forget(priv, id);
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_CTX_DESTROY, &d);

	if (ret && syncobj)
		refaccel_ctx_remember(priv, id, syncobj);
	return ret;
}

struct drm_refaccel_cmd_header *refaccel_encode_cmd(const struct acts_cmd *cmd,
						    struct acts_encoded *enc)
{
	struct drm_refaccel_cmd_header *hdr = (void *)(enc->cmds + enc->size);

	switch (cmd->op) {
	case ACTS_CMD_NOP:
		*hdr = (struct drm_refaccel_cmd_header){ REFACCEL_CMD_NOP, sizeof(*hdr) };
		break;
	case ACTS_CMD_FILL: {
		struct drm_refaccel_cmd_fill *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_fill){
			.hdr = { REFACCEL_CMD_FILL, sizeof(*c) },
			.bo_index = cmd->bo + enc->bo_base, .value = cmd->value,
			.offset = cmd->offset, .size = cmd->size,
		};
		break;
	}
	case ACTS_CMD_COPY: {
		struct drm_refaccel_cmd_copy *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_copy){
			.hdr = { REFACCEL_CMD_COPY, sizeof(*c) },
			.src_index = cmd->src + enc->bo_base, .dst_index = cmd->bo + enc->bo_base,
			.src_offset = cmd->src_offset, .dst_offset = cmd->offset,
			.size = cmd->size,
		};
		break;
	}
	case ACTS_CMD_TIMESTAMP: {
		struct drm_refaccel_cmd_timestamp *c = (void *)hdr;

		*c = (struct drm_refaccel_cmd_timestamp){
			.hdr = { REFACCEL_CMD_TIMESTAMP, sizeof(*c) },
			.bo_index = cmd->bo + enc->bo_base, .offset = cmd->offset,
		};
		break;
	}
	case ACTS_CMD_MAC: {
		static const uint32_t dtypes[] = {
			[ACTS_MAC_INT8] = REFACCEL_MAC_INT8,
			[ACTS_MAC_UINT8] = REFACCEL_MAC_UINT8,
			[ACTS_MAC_FP16] = REFACCEL_MAC_FP16,
			[ACTS_MAC_BF16] = REFACCEL_MAC_BF16,
			[ACTS_MAC_FP32] = REFACCEL_MAC_FP32,
			[ACTS_MAC_DTYPE_INVALID] = REFACCEL_MAC_DTYPE_COUNT,
		};
		struct drm_refaccel_cmd_mac *c = (void *)hdr;
		const struct acts_mac *m = &cmd->mac;

		*c = (struct drm_refaccel_cmd_mac){
			.hdr = { REFACCEL_CMD_MAC, sizeof(*c) },
			.dtype = (unsigned int)m->dtype <= ACTS_MAC_DTYPE_INVALID ?
				 dtypes[m->dtype] : m->dtype,
			.flags = (m->flags & ACTS_MAC_ACCUMULATE ? REFACCEL_MAC_ACCUMULATE : 0) |
				 (m->flags & ACTS_MAC_TRANSPOSE_B ? REFACCEL_MAC_TRANSPOSE_B : 0) |
				 (m->flags & ACTS_MAC_FLAG_UNKNOWN ? 1u << 31 : 0),
			.m = m->m, .n = m->n, .k = m->k,
			.a_index = m->a_bo + enc->bo_base, .b_index = m->b_bo + enc->bo_base,
			.c_index = m->c_bo + enc->bo_base,
			.a_offset = m->a_offset, .b_offset = m->b_offset, .c_offset = m->c_offset,
			.a_stride = m->a_stride, .b_stride = m->b_stride, .c_stride = m->c_stride,
		};
		break;
	}
	}
	enc->last = enc->size;
	enc->size += hdr->size;
	return hdr;
}

struct acts_encoded *refaccel_encoded_alloc(unsigned int n)
{
	struct acts_encoded *enc = calloc(1, sizeof(*enc));

	if (!enc)
		return NULL;
	enc->room = (size_t)(n + 1) * REFACCEL_CMD_MAX;
	enc->cmds = calloc(1, enc->room);
	if (!enc->cmds) {
		free(enc);
		return NULL;
	}
	enc->last = SIZE_MAX;
	enc->cmds_ptr = (uintptr_t)enc->cmds;
	return enc;
}

void refaccel_encoded_free(struct acts_encoded *enc)
{
	free(enc->cmds);
	free(enc);
}

/* Does a job complete through a BO of its own on this device (no syncobjs)? */
static bool refaccel_fence_is_bo(const struct acts_dev *dev, const struct acts_job *job)
{
	const struct refaccel_priv *priv = dev->be_priv;

	return !job->out.handle &&
	       !(priv->caps & (REFACCEL_CAP_CTX_SYNCOBJ | REFACCEL_CAP_JOB_SYNCOBJS));
}

static int refaccel_encode(struct acts_dev *dev, const struct acts_job *job,
			   struct acts_encoded **out)
{
	struct acts_encoded *enc = refaccel_encoded_alloc(job->ncmds);
	unsigned int i;

	if (!enc)
		return -ENOMEM;
	/* The job's own fence BO goes first in the list: the caller's BOs shift by one. */
	enc->bo_base = refaccel_fence_is_bo(dev, job) ? 1 : 0;
	for (i = 0; i < job->ncmds; i++)
		refaccel_encode_cmd(&job->cmds[i], enc);
	*out = enc;
	return 0;
}

static bool refaccel_handle_listed(const struct acts_job *job, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < job->nbos; i++)
		if (job->bos[i] == handle)
			return true;
	return false;
}

/*
 * A 4 KiB BO for the job's fence. GEM gives out the lowest free handle, so
 * it could take the number of a handle the caller just closed and lists on
 * purpose: such a BO is kept aside until another one is made, then closed,
 * and the caller's stale handle stays stale.
 */
static int refaccel_fence_bo_create(struct acts_dev *dev, const struct acts_job *job,
				    uint32_t *handle)
{
	struct drm_refaccel_bo_create c = { .size = 4096 };
	uint32_t aside[8];
	unsigned int n = 0;
	int ret;

	for (;;) {
		c = (struct drm_refaccel_bo_create){ .size = 4096 };
		ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_CREATE, &c);
		if (ret || !refaccel_handle_listed(job, c.handle) || n == 8)
			break;
		aside[n++] = c.handle;
	}
	while (n)
		drmCloseBufferHandle(dev->fd, aside[--n]);
	*handle = c.handle;
	return ret;
}

/* The job's completion in this device's shape; called before the ioctl. */
static int refaccel_fence_prepare(struct acts_dev *dev, struct acts_job *job,
				  struct drm_refaccel_submit *s, uint32_t **bos)
{
	struct refaccel_priv *priv = dev->be_priv;
	uint32_t fence_bo;
	int ret;

	if (job->out.handle) {
		job->fence = (struct acts_fence){ ACTS_FENCE_SYNCOBJ, job->out.handle, 0,
						  job->out.point, false };
		return 0;
	}
	if (priv->caps & REFACCEL_CAP_CTX_SYNCOBJ) {
		/* The point is the seqno: filled in after the ioctl. */
		job->fence = (struct acts_fence){ ACTS_FENCE_SYNCOBJ,
						  refaccel_ctx_syncobj(priv, job->ctx), 0, 0, false };
		return job->fence.handle ? 0 : -ENOENT;
	}
	if (priv->caps & REFACCEL_CAP_JOB_SYNCOBJS) {
		if (drmSyncobjCreate(dev->fd, 0, &s->out_sync.handle))
			return -errno;
		job->fence = (struct acts_fence){ ACTS_FENCE_SYNCOBJ, s->out_sync.handle, 0, 0,
						  true };
		return 0;
	}
	/* No syncobjs: a BO of its own carries the job's fence, like a command BO. */
	ret = refaccel_fence_bo_create(dev, job, &fence_bo);
	if (ret)
		return ret;
	*bos = malloc(sizeof(**bos) * (job->nbos + 1));
	if (!*bos) {
		drmCloseBufferHandle(dev->fd, fence_bo);
		return -ENOMEM;
	}
	(*bos)[0] = fence_bo;
	if (job->nbos)
		memcpy(*bos + 1, job->bos, sizeof(**bos) * job->nbos);
	if (s->bo_handles == (uintptr_t)job->bos)
		s->bo_handles = (uintptr_t)*bos;
	s->bo_count = job->nbos + 1;
	job->fence = (struct acts_fence){ ACTS_FENCE_BO, fence_bo, 0, 0, true };
	return 0;
}

/*
 * A context syncobj's point: the job's fence is point = seqno. Its link is
 * also copied to a binary syncobj now, while it is the timeline's newest,
 * so that its status can be read after later points signalled.
 */
static void refaccel_fence_ctx_point(struct acts_dev *dev, struct acts_fence *f, uint64_t seqno)
{
	uint32_t keep = 0;

	f->point = seqno;
	if (drmSyncobjCreate(dev->fd, 0, &keep))
		return;
	if (drmSyncobjTransfer(dev->fd, keep, 0, f->handle, seqno, 0)) {
		drmSyncobjDestroy(dev->fd, keep);
		return;
	}
	f->status_handle = keep;
}

static void refaccel_fence_cancel(struct acts_dev *dev, struct acts_job *job)
{
	if (job->fence.owned && job->fence.kind == ACTS_FENCE_SYNCOBJ)
		drmSyncobjDestroy(dev->fd, job->fence.handle);
	else if (job->fence.owned && job->fence.kind == ACTS_FENCE_BO)
		drmCloseBufferHandle(dev->fd, job->fence.handle);
	job->fence = (struct acts_fence){ .kind = ACTS_FENCE_NONE };
}

static int refaccel_submit(struct acts_dev *dev, struct acts_job *job, struct acts_encoded *enc)
{
	static const uint32_t engines[] = {
		[ACTS_ENGINE_COMPUTE] = REFACCEL_ENGINE_COMPUTE,
		[ACTS_ENGINE_COPY] = REFACCEL_ENGINE_COPY,
	};
	struct drm_refaccel_sync *in = NULL;
	struct drm_refaccel_submit s = {
		.flags = job->flags, .pad = job->pad, .ctx_id = job->ctx,
		.engine = job->engine < ACTS_ENGINE_COUNT ? engines[job->engine] : job->engine,
		.cmds = enc->cmds_ptr, .cmds_size = (uint32_t)enc->size,
		.bo_handles = enc->bos_ptr ? enc->bos_ptr : (uintptr_t)job->bos,
		.bo_count = job->nbos,
		.in_sync_count = job->nin,
		.out_sync = { job->out.handle, job->out.flags, job->out.point },
		.seqno = job->seqno,
	};
	uint32_t *bos = NULL;
	unsigned int i;
	int ret;

	if (job->nin) {
		in = calloc(job->nin, sizeof(*in));
		if (!in)
			return -ENOMEM;
		for (i = 0; i < job->nin; i++)
			in[i] = (struct drm_refaccel_sync){
				job->in[i].handle, job->in[i].flags, job->in[i].point,
			};
	}
	s.in_syncs = enc->syncs_ptr ? enc->syncs_ptr : (uintptr_t)in;
	ret = refaccel_fence_prepare(dev, job, &s, &bos);
	if (!ret) {
		ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_SUBMIT, &s);
		if (ret)
			refaccel_fence_cancel(dev, job);
	}
	job->seqno = s.seqno;
	if (!ret) {
		if (job->fence.kind == ACTS_FENCE_SYNCOBJ && !job->fence.owned && !job->out.handle)
			refaccel_fence_ctx_point(dev, &job->fence, s.seqno);
	}
	free(bos);
	free(in);
	return ret;
}

static int refaccel_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			    uint32_t flags, int *status)
{
	struct drm_refaccel_bo_wait w = {
		.handle = handle, .flags = flags, .timeout_ns = deadline_ns,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_WAIT, &w);

	if (!ret && status)
		*status = w.status;
	return ret;
}

/* Faults live in the device's debugfs folder, one file per knob. */
static int refaccel_debugfs_path(struct acts_dev *dev, const char *file, char *path,
				 size_t len)
{
	char dir[512];
	int ret = acts_dev_debugfs_dir(dev, dir, sizeof(dir));

	if (ret)
		return ret;
	if (snprintf(path, len, "%s/%s", dir, file) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int refaccel_debugfs_write(struct acts_dev *dev, const char *file, const char *value)
{
	char path[600];
	ssize_t n;
	int fd, ret = refaccel_debugfs_path(dev, file, path, sizeof(path));

	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	ret = n < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int refaccel_debugfs_read(struct acts_dev *dev, const char *file, char *buf, size_t len)
{
	char path[600];
	ssize_t n;
	int fd, ret = refaccel_debugfs_path(dev, file, path, sizeof(path));

	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
	return ret;
}

static int refaccel_debugfs_read_uint(struct acts_dev *dev, const char *file, unsigned int *v)
{
	char buf[32];
	int ret = refaccel_debugfs_read(dev, file, buf, sizeof(buf));

	if (!ret)
		*v = (unsigned int)strtoul(buf, NULL, 10);
	return ret;
}

static const char *const refaccel_fault_files[ACTS_FAULT_COUNT] = {
	[ACTS_FAULT_ALLOC] = "fail_alloc",
	[ACTS_FAULT_JOB_ERROR] = "fail_job",
	[ACTS_FAULT_JOB_HANG] = "hang_job",
	[ACTS_FAULT_MAC_CORRUPT] = "corrupt_mac",
};

/* Slowdowns that make a known performance regression on demand; 0 is off. */
static const char *const refaccel_slowdown_files[] = { "job_delay_us", "copy_throttle_mbps" };

static int refaccel_fault_set(struct acts_dev *dev, enum acts_fault f, unsigned int count)
{
	char v[16];

	snprintf(v, sizeof(v), "%u\n", count);
	return refaccel_debugfs_write(dev, refaccel_fault_files[f], v);
}

static int refaccel_fault_get(struct acts_dev *dev, enum acts_fault f, unsigned int *remaining)
{
	return refaccel_debugfs_read_uint(dev, refaccel_fault_files[f], remaining);
}

static int refaccel_counter(struct acts_dev *dev, enum acts_counter c, uint64_t *value)
{
	static const char *const keys[ACTS_CNT_COUNT] = {
		[ACTS_CNT_ALLOC_FAILURES] = "alloc_failures",
		[ACTS_CNT_JOB_FAILURES] = "job_failures",
		[ACTS_CNT_HANGS] = "hangs",
		[ACTS_CNT_RESETS] = "resets",
		[ACTS_CNT_BANNED] = "banned_contexts",
		[ACTS_CNT_MAC_CORRUPTIONS] = "mac_corruptions",
	};
	char buf[512], *line;
	int ret = refaccel_debugfs_read(dev, "counters", buf, sizeof(buf));

	if (ret)
		return ret;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		size_t klen = strlen(keys[c]);

		if (!strncmp(line, keys[c], klen) && line[klen] == ':') {
			*value = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
	}
	return -ENOENT;
}

static int refaccel_job_timeout_get(struct acts_dev *dev, unsigned int *ms)
{
	return refaccel_debugfs_read_uint(dev, "job_timeout_ms", ms);
}

static int refaccel_job_timeout_set(struct acts_dev *dev, unsigned int ms)
{
	char v[16];

	snprintf(v, sizeof(v), "%u\n", ms);
	return refaccel_debugfs_write(dev, "job_timeout_ms", v);
}

/* The driver's default job timeout is its module parameter. */
static int refaccel_default_timeout_ms(unsigned int *ms)
{
	FILE *f = fopen("/sys/module/refaccel/parameters/job_timeout_ms", "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%u", ms) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int refaccel_defaults_restore(struct acts_dev *dev)
{
	unsigned int ms;
	int f, ret = 0, r;

	for (f = 0; f < ACTS_FAULT_COUNT; f++) {
		r = refaccel_fault_set(dev, f, 0);
		if (r && !ret)
			ret = r;
	}
	for (f = 0; f < (int)(sizeof(refaccel_slowdown_files) / sizeof(*refaccel_slowdown_files)); f++) {
		r = refaccel_debugfs_write(dev, refaccel_slowdown_files[f], "0\n");
		if (r && !ret)
			ret = r;
	}
	r = refaccel_default_timeout_ms(&ms);
	if (!r)
		r = refaccel_job_timeout_set(dev, ms);
	return ret ? ret : r;
}

static int refaccel_engine_reset(struct acts_dev *dev, enum acts_engine e)
{
	return refaccel_debugfs_write(dev, "reset", e == ACTS_ENGINE_COPY ? "copy" : "compute");
}

/* refaccel's "hardware" is a kernel worker: there is no firmware to name. */
static int refaccel_firmware_version(struct acts_dev *dev, char *buf, size_t len)
{
	return -ENOENT;
}

const struct acts_backend acts_backend_refaccel = {
	.name = "refaccel",
	.verified = true,
	.uapi_header = "reference-driver/include/uapi/drm/refaccel_accel.h (this project)",
	.node = ACTS_NODE_ACCEL,
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_PAD_FIELDS) | ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY) |
		ACTS_CAP_BIT(ACTS_CAP_SUBMIT) | ACTS_CAP_BIT(ACTS_CAP_CONTEXTS) |
		ACTS_CAP_BIT(ACTS_CAP_BO_WAIT) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) |
		ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE) | ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS) |
		ACTS_CAP_BIT(ACTS_CAP_CTX_SYNCOBJ) | ACTS_CAP_BIT(ACTS_CAP_FAULT_INJECTION) |
		ACTS_CAP_BIT(ACTS_CAP_JOB_TIMEOUT) | ACTS_CAP_BIT(ACTS_CAP_ENGINE_RESET) |
		ACTS_CAP_BIT(ACTS_CAP_MAC) | ACTS_CAP_BIT(ACTS_CAP_USERPTR),
	.probe = refaccel_probe,
	.release = refaccel_release,
	.variant = refaccel_variant,
	.query = refaccel_query,
	.query_raw = refaccel_query_raw,
	.query_raw_known = REFACCEL_PARAM_UAPI_VERSION,
	.query_raw_unknown = 0xffff,
	.bo_create = refaccel_bo_create,
	.bo_info = refaccel_bo_info,
	.bo_create_userptr = refaccel_bo_create_userptr,
	.userptr_mmap = false,
	.userptr_export = false,
	.engine_names = { [ACTS_ENGINE_COMPUTE] = "compute", [ACTS_ENGINE_COPY] = "copy" },
	.timestamps_monotonic = true,
	.failed_outputs_kept = true,
	.mac_bit_exact = true,
	.ctx_create = refaccel_ctx_create,
	.ctx_destroy = refaccel_ctx_destroy,
	.encode = refaccel_encode,
	.inval = refaccel_inval,
	.submit = refaccel_submit,
	.encoded_free = refaccel_encoded_free,
	.bo_wait = refaccel_bo_wait,
	.fault_set = refaccel_fault_set,
	.fault_get = refaccel_fault_get,
	.counter = refaccel_counter,
	.job_timeout_get = refaccel_job_timeout_get,
	.job_timeout_set = refaccel_job_timeout_set,
	.defaults_restore = refaccel_defaults_restore,
	.engine_reset = refaccel_engine_reset,
	.firmware_version = refaccel_firmware_version,
};
