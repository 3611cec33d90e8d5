// SPDX-License-Identifier: MIT
/*
 * Contexts, jobs and BO waits through the backend.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>


#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"

void acts_require_submit(struct acts_dev *dev)
{
	acts_require_cap(dev, ACTS_CAP_SUBMIT);
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

bool acts_has_engine(struct acts_dev *dev, enum acts_engine e)
{
	uint64_t mask;

	if (!acts_has_cap(dev, ACTS_CAP_SUBMIT))
		return false;
	if (__acts_query(dev, ACTS_Q_ENGINES, &mask))
		mask = 1u << ACTS_ENGINE_COMPUTE;
	return mask & (1u << e);
}

void acts_require_engine(struct acts_dev *dev, enum acts_engine e)
{
	acts_require_submit(dev);
	acts_require(acts_has_engine(dev, e), "the device has no %s engine", acts_engine_name(e));
}

int __acts_ctx_create(struct acts_dev *dev, struct acts_ctx_create *args)
{
	if (!acts_has_cap(dev, ACTS_CAP_CONTEXTS))
		return -EOPNOTSUPP;
	return dev->be->ctx_create(dev, args);
}

uint32_t acts_ctx_create(struct acts_dev *dev)
{
	struct acts_ctx_create c = { .priority = ACTS_PRIO_NORMAL };

	acts_require_submit(dev);
	if (!acts_has_cap(dev, ACTS_CAP_CONTEXTS))
		return ACTS_CTX_IMPLICIT;
	acts_assert_ok(__acts_ctx_create(dev, &c));
	acts_assert_neq(c.id, ACTS_CTX_IMPLICIT);
	return c.id;
}

int __acts_ctx_destroy_pad(struct acts_dev *dev, uint32_t id, uint32_t pad)
{
	if (!acts_has_cap(dev, ACTS_CAP_CONTEXTS))
		return -EOPNOTSUPP;
	return dev->be->ctx_destroy(dev, id, pad);
}

int __acts_ctx_destroy(struct acts_dev *dev, uint32_t id)
{
	return __acts_ctx_destroy_pad(dev, id, 0);
}

void acts_ctx_destroy(struct acts_dev *dev, uint32_t id)
{
	if (id == ACTS_CTX_IMPLICIT && !acts_has_cap(dev, ACTS_CAP_CONTEXTS))
		return;
	acts_assert_ok(__acts_ctx_destroy(dev, id));
}

int __acts_submit(struct acts_dev *dev, struct acts_job *job)
{
	struct acts_encoded *enc = NULL;
	int ret;

	if (!acts_has_cap(dev, ACTS_CAP_SUBMIT))
		return -EOPNOTSUPP;
	if ((job->nin || job->out.handle) && acts_current_subtest())
		acts_require_cap(dev, ACTS_CAP_JOB_SYNCOBJS);
	job->fence = (struct acts_fence){ .kind = ACTS_FENCE_NONE };
	ret = dev->be->encode(dev, job, &enc);
	if (!ret && job->defect != ACTS_DEFECT_NONE)
		ret = dev->be->inval ? dev->be->inval(dev, job, enc, job->defect) : -EOPNOTSUPP;
	if (!ret)
		ret = dev->be->submit(dev, job, enc);
	if (enc)
		dev->be->encoded_free(enc);
	return ret;
}

uint64_t acts_submit(struct acts_dev *dev, struct acts_job *job)
{
	acts_assert_ok(__acts_submit(dev, job));
	return job->seqno;
}

struct acts_fence acts_submit_simple(struct acts_dev *dev, uint32_t ctx, enum acts_engine engine,
				     const struct acts_cmd *cmds, unsigned int ncmds,
				     const uint32_t *bos, unsigned int nbos)
{
	struct acts_job job = {
		.ctx = ctx, .engine = engine, .cmds = cmds, .ncmds = ncmds,
		.bos = bos, .nbos = nbos,
	};

	acts_submit(dev, &job);
	return job.fence;
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

int __acts_bo_wait_flags(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			 uint32_t flags)
{
	if (!acts_has_cap(dev, ACTS_CAP_BO_WAIT))
		return -EOPNOTSUPP;
	return dev->be->bo_wait(dev, handle, deadline_ns, flags, NULL);
}

int __acts_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns)
{
	return __acts_bo_wait_flags(dev, handle, deadline_ns, 0);
}

void acts_bo_wait(struct acts_dev *dev, uint32_t handle)
{
	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	acts_assert_ok(__acts_bo_wait(dev, handle, acts_deadline_ms(acts_fence_timeout_ms())));
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

uint64_t acts_mem_used_after_jobs(struct acts_dev *dev, uint64_t want)
{
	int64_t deadline = acts_deadline_ms(acts_fence_timeout_ms());
	uint64_t now;

	if (__acts_query(dev, ACTS_Q_MEM_USED, &now))
		return want;
	while (now != want && acts_now_ns() < deadline) {
		usleep(10 * 1000);
		if (__acts_query(dev, ACTS_Q_MEM_USED, &now))
			return want;
	}
	return now;
}
