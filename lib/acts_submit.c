// SPDX-License-Identifier: MIT
/*
 * Contexts, jobs, waits, syncobjs and sync_files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"

void acts_require_submit(struct acts_dev *dev)
{
	acts_require(dev->be->submit && dev->be->ctx_create && dev->be->ctx_destroy,
		     "the %s backend cannot submit jobs%s%s", dev->be->name,
		     dev->be->notes ? ": " : "", dev->be->notes ? dev->be->notes : "");
}

const char *acts_engine_name(enum acts_engine e)
{
	switch (e) {
	case ACTS_ENGINE_COMPUTE:
		return "compute";
	case ACTS_ENGINE_COPY:
		return "copy";
	default:
		return "?";
	}
}

void acts_require_engine(struct acts_dev *dev, enum acts_engine e)
{
	uint64_t mask;

	acts_require_submit(dev);
	if (__acts_query(dev, ACTS_Q_ENGINES, &mask))
		mask = 1u << ACTS_ENGINE_COMPUTE;
	acts_require(mask & (1u << e), "the device has no %s engine", acts_engine_name(e));
}

int __acts_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args)
{
	if (!dev->be->ctx_create)
		return -EOPNOTSUPP;
	return dev->be->ctx_create(dev, args);
}

uint32_t acts_ctx_create(struct acts_dev *dev)
{
	struct acts_ctx_create c = { .priority = ACTS_PRIO_NORMAL };

	acts_assert_ok(__acts_ctx_create(dev, &c));
	acts_assert_neq(c.id, 0);
	return c.id;
}

int __acts_ctx_destroy(struct acts_dev *dev, uint32_t id)
{
	if (!dev->be->ctx_destroy)
		return -EOPNOTSUPP;
	return dev->be->ctx_destroy(dev, id, 0);
}

void acts_ctx_destroy(struct acts_dev *dev, uint32_t id)
{
	acts_assert_ok(__acts_ctx_destroy(dev, id));
}

int __acts_submit(struct acts_dev *dev, struct acts_job *job)
{
	if (!dev->be->submit)
		return -EOPNOTSUPP;
	return dev->be->submit(dev, job);
}

uint64_t acts_submit(struct acts_dev *dev, struct acts_job *job)
{
	acts_assert_ok(__acts_submit(dev, job));
	return job->seqno;
}

uint32_t acts_submit_simple(struct acts_dev *dev, uint32_t ctx, enum acts_engine engine,
			    const struct acts_cmd *cmds, unsigned int ncmds,
			    const uint32_t *bos, unsigned int nbos)
{
	struct acts_job job = {
		.ctx = ctx, .engine = engine, .cmds = cmds, .ncmds = ncmds,
		.bos = bos, .nbos = nbos,
	};

	job.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &job);
	return job.out.handle;
}

int64_t acts_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t acts_deadline_ms(unsigned int ms)
{
	return acts_now_ns() + (int64_t)ms * 1000000;
}

unsigned int acts_fence_timeout_ms(void)
{
	const char *s = getenv("ACCEL_CTS_FENCE_TIMEOUT_MS");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 ? (unsigned int)v : 10000;
}

int __acts_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns)
{
	if (!dev->be->bo_wait)
		return -EOPNOTSUPP;
	return dev->be->bo_wait(dev, handle, deadline_ns, 0);
}

void acts_bo_wait(struct acts_dev *dev, uint32_t handle)
{
	acts_assert_ok(__acts_bo_wait(dev, handle, acts_deadline_ms(acts_fence_timeout_ms())));
}

uint32_t acts_syncobj_create(struct acts_dev *dev, bool signalled)
{
	uint32_t handle = 0;

	acts_assert_syscall(drmSyncobjCreate(dev->fd, signalled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
					     &handle));
	return handle;
}

void acts_syncobj_destroy(struct acts_dev *dev, uint32_t handle)
{
	acts_assert_syscall(drmSyncobjDestroy(dev->fd, handle));
}

int __acts_syncobj_wait(struct acts_dev *dev, uint32_t *handles, unsigned int n,
			int64_t deadline_ns, uint32_t flags, uint32_t *first)
{
	return drmSyncobjWait(dev->fd, handles, n, deadline_ns, flags, first) ? -errno : 0;
}

int __acts_syncobj_timeline_wait(struct acts_dev *dev, uint32_t *handles, uint64_t *points,
				 unsigned int n, int64_t deadline_ns, uint32_t flags,
				 uint32_t *first)
{
	return drmSyncobjTimelineWait(dev->fd, handles, points, n, deadline_ns, flags, first) ?
		-errno : 0;
}

void acts_syncobj_wait(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	int64_t deadline = acts_deadline_ms(acts_fence_timeout_ms());
	int ret;

	if (point)
		ret = __acts_syncobj_timeline_wait(dev, &handle, &point, 1, deadline, 0, NULL);
	else
		ret = __acts_syncobj_wait(dev, &handle, 1, deadline, 0, NULL);
	if (ret)
		acts_fail("syncobj %u point %llu did not signal within %u ms: %s", handle,
			  (unsigned long long)point, acts_fence_timeout_ms(), acts_errno_name(ret));
}

bool acts_syncobj_signalled(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	if (point)
		return !__acts_syncobj_timeline_wait(dev, &handle, &point, 1, 0, 0, NULL);
	return !__acts_syncobj_wait(dev, &handle, 1, 0, 0, NULL);
}

uint64_t acts_syncobj_query(struct acts_dev *dev, uint32_t handle)
{
	uint64_t point = 0;

	acts_assert_syscall(drmSyncobjQuery(dev->fd, &handle, &point, 1));
	return point;
}

int acts_fence_status(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	struct sync_file_info info = { 0 };
	uint32_t tmp = handle;
	int fd = -1, status;

	/* A timeline point is moved to a binary syncobj to export it. */
	if (point) {
		tmp = acts_syncobj_create(dev, false);
		acts_assert_syscall(drmSyncobjTransfer(dev->fd, tmp, 0, handle, point, 0));
	}
	acts_assert_syscall(drmSyncobjExportSyncFile(dev->fd, tmp, &fd));
	acts_assert_syscall(ioctl(fd, SYNC_IOC_FILE_INFO, &info));
	status = info.status;
	close(fd);
	if (point)
		acts_syncobj_destroy(dev, tmp);
	return status;
}

int acts_fence_wait_status(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	acts_syncobj_wait(dev, handle, point);
	return acts_fence_status(dev, handle, point);
}

int acts_fdinfo_engine_ns(struct acts_dev *dev, enum acts_engine e, uint64_t *ns)
{
	const char *name = dev->be->engine_names[e];
	char key[64], v[64], *end;
	int ret;

	if (!name)
		return -ENOENT;
	snprintf(key, sizeof(key), "drm-engine-%s", name);
	ret = acts_fdinfo_value(dev, key, v, sizeof(v));
	if (ret)
		return ret;
	*ns = strtoull(v, &end, 10);
	return strcmp(end, " ns") ? -EINVAL : 0;
}
