/* SPDX-License-Identifier: MIT */
/*
 * The DRM core's syncobjs and sync_files: the fences level, and the job
 * fences of drivers with ACTS_CAP_JOB_SYNCOBJS or ACTS_CAP_CTX_SYNCOBJ.
 * Subtests that use them directly require ACTS_CAP_SYNCOBJ first
 * (acts_require_syncobj()).
 */
#ifndef ACTS_SYNCOBJ_H
#define ACTS_SYNCOBJ_H

#include <stdbool.h>
#include <stdint.h>

struct acts_dev;

/* Skip unless the device has syncobjs (and timelines, when timeline). */
void acts_require_syncobj(struct acts_dev *dev, bool timeline);

/* Skip unless jobs wait on and signal the caller's syncobjs (the fences level). */
void acts_require_job_syncobjs(struct acts_dev *dev);

uint32_t acts_syncobj_create(struct acts_dev *dev, bool signalled);
void acts_syncobj_destroy(struct acts_dev *dev, uint32_t handle);
int __acts_syncobj_wait(struct acts_dev *dev, uint32_t *handles, unsigned int n,
			int64_t deadline_ns, uint32_t flags, uint32_t *first);
int __acts_syncobj_timeline_wait(struct acts_dev *dev, uint32_t *handles, uint64_t *points,
				 unsigned int n, int64_t deadline_ns, uint32_t flags,
				 uint32_t *first);
/* Wait until a syncobj (point 0) or a timeline point signals, or fail. */
void acts_syncobj_wait(struct acts_dev *dev, uint32_t handle, uint64_t point);
/* Is the fence there and signalled right now? */
bool acts_syncobj_signalled(struct acts_dev *dev, uint32_t handle, uint64_t point);
uint64_t acts_syncobj_query(struct acts_dev *dev, uint32_t handle);
/*
 * Status of the fence at a syncobj (point 0) or timeline point, read
 * through a sync_file: 1 signalled, 0 pending, or the fence's -errno.
 */
int acts_syncobj_status(struct acts_dev *dev, uint32_t handle, uint64_t point);
/* Wait for the fence, then return its status as acts_syncobj_status() does. */
int acts_syncobj_wait_status(struct acts_dev *dev, uint32_t handle, uint64_t point);

#endif
