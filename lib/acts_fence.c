// SPDX-License-Identifier: MIT
/*
 * Job fences: wait and status by kind. Syncobj fences go through the DRM
 * core, BO fences through the driver's BO wait, sequence numbers through
 * the backend.
 */
#include <errno.h>
#include <stdio.h>

#include "acts_assert.h"
#include "acts_fault.h"
#include "acts_fence.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"

int __acts_fence_wait(struct acts_dev *dev, const struct acts_fence *f, int64_t deadline_ns)
{
	switch (f->kind) {
	case ACTS_FENCE_SYNCOBJ:
		if (f->point)
			return __acts_syncobj_timeline_wait(dev, (uint32_t *)&f->handle,
							    (uint64_t *)&f->point, 1, deadline_ns,
							    0, NULL);
		return __acts_syncobj_wait(dev, (uint32_t *)&f->handle, 1, deadline_ns, 0, NULL);
	case ACTS_FENCE_BO:
		if (!dev->be->bo_wait)
			return -EOPNOTSUPP;
		return dev->be->bo_wait(dev, f->handle, deadline_ns, 0, NULL);
	case ACTS_FENCE_SEQNO:
		if (!dev->be->fence_wait)
			return -EOPNOTSUPP;
		return dev->be->fence_wait(dev, f, deadline_ns);
	case ACTS_FENCE_NONE:
		break;
	}
	return -EINVAL;
}

/*
 * A job's fence signals by the end of its job timeout at the latest, so a
 * wait that gave up sooner than that judged the device's speed, not its
 * conformance: where the timeout can be read and is longer than what was
 * waited, wait on until it (and the fence bound again, for the stop to land).
 */
void acts_fence_wait(struct acts_dev *dev, const struct acts_fence *f)
{
	unsigned int bound = acts_fence_timeout_ms(), job_ms = 0;
	int ret = __acts_fence_wait(dev, f, acts_deadline_ms(bound));
	char what[96];

	if ((ret == -ETIME || ret == -ETIMEDOUT) && !__acts_job_timeout_get(dev, &job_ms) && job_ms > bound) {
		ret = __acts_fence_wait(dev, f, acts_deadline_ms(job_ms));
		bound += job_ms;
	}
	if (ret)
		acts_fail("%s did not signal within %u ms: %s",
			  acts_fence_describe(f, what, sizeof(what)), bound,
			  acts_errno_name(ret));
}

int acts_fence_status(struct acts_dev *dev, const struct acts_fence *f)
{
	int ret, status = 0;

	switch (f->kind) {
	case ACTS_FENCE_SYNCOBJ:
		if (f->status_handle) {
			/* The point's own fence, kept since submission. */
			ret = __acts_fence_wait(dev, f, 0);
			if (ret == -ETIME)
				return 0;
			acts_assert_ok(ret);
			return acts_syncobj_status(dev, f->status_handle, 0);
		}
		return acts_syncobj_status(dev, f->handle, f->point);
	case ACTS_FENCE_BO:
		if (!dev->be->bo_wait)
			acts_fail("a BO fence from a backend that cannot wait on BOs");
		ret = dev->be->bo_wait(dev, f->handle, 0, 0, &status);
		if (ret == -ETIME)
			return 0;
		acts_assert_ok(ret);
		return status ? status : 1;
	case ACTS_FENCE_SEQNO:
		if (!dev->be->fence_status)
			acts_fail("a sequence-number fence from a backend with no fence_status");
		return dev->be->fence_status(dev, f);
	case ACTS_FENCE_NONE:
		break;
	}
	acts_fail("the job has no fence");
}

int acts_fence_wait_status(struct acts_dev *dev, const struct acts_fence *f)
{
	acts_fence_wait(dev, f);
	return acts_fence_status(dev, f);
}

bool acts_fence_signalled(struct acts_dev *dev, const struct acts_fence *f)
{
	return __acts_fence_wait(dev, f, 0) == 0;
}

void acts_fence_release(struct acts_dev *dev, struct acts_fence *f)
{
	if (f->status_handle)
		acts_syncobj_destroy(dev, f->status_handle);
	if (f->owned) {
		if (f->kind == ACTS_FENCE_SYNCOBJ)
			acts_syncobj_destroy(dev, f->handle);
		else if (f->kind == ACTS_FENCE_BO)
			acts_gem_close(dev, f->handle);
	}
	*f = (struct acts_fence){ .kind = ACTS_FENCE_NONE };
}

const char *acts_fence_describe(const struct acts_fence *f, char *buf, size_t len)
{
	switch (f->kind) {
	case ACTS_FENCE_SYNCOBJ:
		snprintf(buf, len, "syncobj %u point %llu", f->handle, (unsigned long long)f->point);
		break;
	case ACTS_FENCE_BO:
		snprintf(buf, len, "the job's BO %u", f->handle);
		break;
	case ACTS_FENCE_SEQNO:
		snprintf(buf, len, "job %llu of context %u", (unsigned long long)f->point, f->ctx);
		break;
	default:
		snprintf(buf, len, "no fence");
	}
	return buf;
}
