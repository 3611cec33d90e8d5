/* SPDX-License-Identifier: MIT */
/*
 * Contexts, job submission and BO waits through the backend. A job's
 * completion is an opaque fence (acts_fence.h); syncobjs are the fences
 * level's (acts_syncobj.h).
 *
 * __acts_foo() returns 0 or -errno; acts_foo() asserts success;
 * acts_require_foo() skips when the driver cannot do foo.
 */
#ifndef ACTS_SUBMIT_H
#define ACTS_SUBMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "acts_backend.h"
#include "acts_fence.h"

/* Skip unless the device runs jobs (ACTS_CAP_SUBMIT). */
void acts_require_submit(struct acts_dev *dev);
/* Skip unless the device has this engine. */
void acts_require_engine(struct acts_dev *dev, enum acts_engine e);
/* Does the device run jobs on this engine (ACTS_CAP_SUBMIT and the engine mask)? */
bool acts_has_engine(struct acts_dev *dev, enum acts_engine e);
const char *acts_engine_name(enum acts_engine e);

/* The implicit per-file context of drivers without ACTS_CAP_CONTEXTS. */
#define ACTS_CTX_IMPLICIT 0

int __acts_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args);
/*
 * A context to submit on: a new one, or ACTS_CTX_IMPLICIT when the driver
 * has one context per file. Subtests about contexts themselves require
 * ACTS_CAP_CONTEXTS.
 */
uint32_t acts_ctx_create(struct acts_dev *dev);
int __acts_ctx_destroy(struct acts_dev *dev, uint32_t id);
/* With the must-be-zero field set to pad (ACTS_CAP_PAD_FIELDS), for its error path. */
int __acts_ctx_destroy_pad(struct acts_dev *dev, uint32_t id, uint32_t pad);
/* Destroy a context from acts_ctx_create() (nothing for the implicit one). */
void acts_ctx_destroy(struct acts_dev *dev, uint32_t id);

/*
 * Encode the job, make it malformed as job->defect says, submit it: 0 and
 * job->seqno and job->fence filled in, or -errno. A job that lists the
 * caller's syncobjs SKIPs on a device without ACTS_CAP_JOB_SYNCOBJS.
 */
int __acts_submit(struct acts_dev *dev, struct acts_job *job);
/* Submit and assert success; returns the job's sequence number. */
uint64_t acts_submit(struct acts_dev *dev, struct acts_job *job);
/* Submit cmds on ctx and engine over the listed BOs; returns the job's fence. */
struct acts_fence acts_submit_simple(struct acts_dev *dev, uint32_t ctx, enum acts_engine engine,
				     const struct acts_cmd *cmds, unsigned int ncmds,
				     const uint32_t *bos, unsigned int nbos);

int __acts_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns);
/* With raw flags (must be zero), for the wait's own error paths. */
int __acts_bo_wait_flags(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			 uint32_t flags);
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

/*
 * Device memory in use, waited for until it equals want or the fence timeout
 * passes: a driver may release a finished job's BOs, its BO fence among them,
 * after the job's fence signalled. want itself when the device does not
 * report its memory use.
 */
uint64_t acts_mem_used_after_jobs(struct acts_dev *dev, uint64_t want);

/* fdinfo busy time of an engine ("drm-engine-<name>"), in ns; -ENOENT if absent. */
int acts_fdinfo_engine_ns(struct acts_dev *dev, enum acts_engine e, uint64_t *ns);

#endif
