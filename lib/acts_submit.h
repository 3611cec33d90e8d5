/* SPDX-License-Identifier: MIT */
/*
 * Contexts, job submission and waiting through the backend, and the DRM
 * core's syncobjs and sync_files that every driver shares.
 *
 * __acts_foo() returns 0 or -errno; acts_foo() asserts success;
 * acts_require_foo() skips when the driver cannot do foo.
 */
#ifndef ACTS_SUBMIT_H
#define ACTS_SUBMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "acts_backend.h"

/* Skip unless the backend can create contexts, submit and wait on BOs. */
void acts_require_submit(struct acts_dev *dev);
/* Skip unless the device has this engine. */
void acts_require_engine(struct acts_dev *dev, enum acts_engine e);
const char *acts_engine_name(enum acts_engine e);

int __acts_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args);
uint32_t acts_ctx_create(struct acts_dev *dev);
int __acts_ctx_destroy(struct acts_dev *dev, uint32_t id);
void acts_ctx_destroy(struct acts_dev *dev, uint32_t id);

int __acts_submit(struct acts_dev *dev, struct acts_job *job);
/* Submit and assert success; returns the job's sequence number. */
uint64_t acts_submit(struct acts_dev *dev, struct acts_job *job);
/*
 * Submit cmds on ctx and engine over the listed BOs, signalling out (a new
 * binary syncobj) when done; returns out.
 */
uint32_t acts_submit_simple(struct acts_dev *dev, uint32_t ctx, enum acts_engine engine,
			    const struct acts_cmd *cmds, unsigned int ncmds,
			    const uint32_t *bos, unsigned int nbos);

int __acts_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns);
/* Wait for a BO to be idle, failing after the default fence timeout. */
void acts_bo_wait(struct acts_dev *dev, uint32_t handle);

/*
 * How early a wait may give up before its deadline: the DRM core turns
 * absolute deadlines into jiffies, which can end one tick (10 ms at HZ=100)
 * early.
 */
#define ACTS_DEADLINE_SLACK_NS (10 * 1000000LL)

/* Time on CLOCK_MONOTONIC, and a deadline ms milliseconds from now. */
int64_t acts_now_ns(void);
int64_t acts_deadline_ms(unsigned int ms);
/* How long a healthy job may take to signal (ACCEL_CTS_FENCE_TIMEOUT_MS, 10 s). */
unsigned int acts_fence_timeout_ms(void);

/* Syncobjs (DRM core). */
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
int acts_fence_status(struct acts_dev *dev, uint32_t handle, uint64_t point);
/* Wait for the fence, then return its status as acts_fence_status() does. */
int acts_fence_wait_status(struct acts_dev *dev, uint32_t handle, uint64_t point);

/* fdinfo busy time of an engine ("drm-engine-<name>"), in ns; -ENOENT if absent. */
int acts_fdinfo_engine_ns(struct acts_dev *dev, enum acts_engine e, uint64_t *ns);

#endif
