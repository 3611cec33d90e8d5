// SPDX-License-Identifier: MIT
/*
 * Syncobjs and sync_files, through libdrm and the DRM core.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_submit.h"
#include "acts_syncobj.h"

void acts_require_syncobj(struct acts_dev *dev, bool timeline)
{
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ);
	if (timeline)
		acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
}

void acts_require_job_syncobjs(struct acts_dev *dev)
{
	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ);
	acts_require_cap(dev, ACTS_CAP_JOB_SYNCOBJS);
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

/*
 * A sync_file's status, looking into its container: the point of a
 * timeline is a dma_fence_chain link, which signals without carrying the
 * error of the job fence inside it. SYNC_IOC_FILE_INFO lists the fences
 * inside with their own status, the link's own fence first (then the
 * earlier points, which are other jobs).
 */
static int sync_file_status(int fd)
{
	struct sync_file_info info = { 0 };
	struct sync_fence_info *fences;
	int status;

	acts_assert_syscall(ioctl(fd, SYNC_IOC_FILE_INFO, &info));
	status = info.status;
	if (status != 1 || !info.num_fences)
		return status;
	fences = calloc(info.num_fences, sizeof(*fences));
	acts_assert(fences);
	info.sync_fence_info = (uintptr_t)fences;
	acts_assert_syscall(ioctl(fd, SYNC_IOC_FILE_INFO, &info));
	if (fences[0].status < 0)
		status = fences[0].status;
	free(fences);
	return status;
}

int acts_syncobj_status(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	uint32_t tmp = handle;
	int fd = -1, status;

	/* A timeline point is moved to a binary syncobj to export it. */
	if (point) {
		tmp = acts_syncobj_create(dev, false);
		acts_assert_syscall(drmSyncobjTransfer(dev->fd, tmp, 0, handle, point, 0));
	}
	acts_assert_syscall(drmSyncobjExportSyncFile(dev->fd, tmp, &fd));
	status = sync_file_status(fd);
	close(fd);
	if (point)
		acts_syncobj_destroy(dev, tmp);
	return status;
}

int acts_syncobj_wait_status(struct acts_dev *dev, uint32_t handle, uint64_t point)
{
	acts_syncobj_wait(dev, handle, point);
	return acts_syncobj_status(dev, handle, point);
}
