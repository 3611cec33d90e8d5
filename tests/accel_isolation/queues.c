// SPDX-License-Identifier: MIT
/*
 * accel_isolation, queues and engine time: a client without privilege
 * (uid 65534) that fills its queue of held-back jobs to the driver's
 * bound, or submits a job that would run forever, cannot keep another
 * client's jobs from running. The queue bound is the open file's (a
 * device-wide one would let one tenant refuse everyone's work); the job
 * timeout, which only root can change, stops the runaway job.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_fault.h"
#include "acts_gem.h"
#include "acts_longjob.h"
#include "acts_profile.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"
#include "iso.h"

/* Most jobs the hog tries before calling the driver unbounded. */
#define HOG_MAX_JOBS	(1u << 16)
#define RUNAWAY_TIMEOUT_MS	500
#define SLACK_MS	5000

/* A checked FILL of another client on a new context: it is served. */
static void expect_served(struct acts_dev *dev, const char *while_what)
{
	struct acts_buf b = acts_buf_new(dev, SZ_4K, 0);
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x5e2ed000u };
	uint32_t ctx = acts_ctx_create(dev);
	struct acts_job j = { .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &fill,
			      .ncmds = 1, .bos = &b.handle, .nbos = 1 };
	int ret = __acts_submit(dev, &j);

	if (ret)
		acts_fail("another client's job was refused with %s %s", acts_errno_name(ret),
			  while_what);
	acts_assert_eq(acts_fence_wait_status(dev, &j.fence), 1);
	acts_fence_release(dev, &j.fence);
	acts_buf_assert_u32(&b, 0, SZ_4K, 0x5e2ed000u);
	acts_ctx_destroy(dev, ctx);
	acts_buf_free(&b);
}

struct hog_report {
	unsigned int accepted;
	int refused;		/* the errno of the first refusal, 0: none */
};

/* Queue NOPs held back by the parent's fence until the driver refuses one. */
static void hog_queue(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	struct acts_ufence *uf = arg;
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_sync in = { .handle = acts_ufence_syncobj(d, uf) };
	uint32_t ctx = acts_ctx_create(d);
	struct hog_report r = { 0 };
	char c;

	while (r.accepted < HOG_MAX_JOBS) {
		struct acts_job j = { .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop,
				      .ncmds = 1, .in = &in, .nin = 1 };
		int ret = __acts_submit(d, &j);

		if (ret) {
			r.refused = ret;
			break;
		}
		acts_fence_release(d, &j.fence);
		r.accepted++;
	}
	iso_send(t->from_child, &r, sizeof(r));
	iso_recv(t->to_child, &c, 1);
}

ACTS_SUBTEST(queue_hog_unprivileged, "ISO-QUEUE-1 SUB-BOUND-1",
	     "an unprivileged client holding its whole queue of blocked jobs leaves others' jobs running")
{
	struct acts_ufence uf;
	struct hog_report r;
	struct iso_tenant t;
	uint64_t limit = 0;
	bool has_limit;

	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	has_limit = !__acts_query(dev, ACTS_Q_MAX_QUEUED_JOBS, &limit);
	iso_tenant_start(dev, &t, true, hog_queue, &uf);
	iso_recv(t.from_child, &r, sizeof(r));
	acts_info("uid %u: %u jobs queued, then %s (limit %s%llu)\n", ISO_UNPRIV_ID, r.accepted,
		  r.refused ? acts_errno_name(r.refused) : "none refused",
		  has_limit ? "" : "unreported, ", (unsigned long long)limit);
	if (!r.refused) {
		acts_ufence_destroy(&uf);
		iso_tenant_end(&t);
		acts_fail("an unprivileged client queued %u blocked jobs and none was refused",
			  r.accepted);
	}
	acts_assert_rule(dev, "SUB-BOUND-1", "refused", r.refused);
	if (has_limit)
		acts_expect_eq_u64(r.accepted, limit);
	/* The bound is the hog's alone: this client, and a new one, still run jobs. */
	expect_served(dev, "while an unprivileged client holds its whole queue");
	{
		struct acts_dev *other = acts_dev_reopen(dev);

		acts_assert(other);
		expect_served(other, "from a new file while an unprivileged client holds its whole queue");
		acts_dev_close(other);
	}
	acts_ufence_signal(&uf);
	iso_send(t.to_child, "x", 1);
	iso_tenant_end(&t);
	acts_ufence_destroy(&uf);
}

struct runaway {
	int status;		/* the runaway job's fence status */
	int64_t took_ns;
};

static void hog_engine(struct acts_dev *d, struct iso_tenant *t, void *arg)
{
	struct acts_longjob lj;
	struct runaway r;
	struct acts_fence f;
	int64_t t0;

	acts_longjob_init(d, &lj);
	t0 = acts_now_ns();
	f = acts_longjob_submit(&lj, acts_ctx_create(d));
	iso_send(t->from_child, "s", 1);
	r.status = acts_fence_wait_status(d, &f);
	r.took_ns = acts_now_ns() - t0;
	acts_info("uid %u: %s ended after %lld ms with %s\n", ISO_UNPRIV_ID, lj.what,
		  (long long)(r.took_ns / MS), r.status < 0 ? acts_errno_name(r.status) : "success");
	iso_send(t->from_child, &r, sizeof(r));
	acts_longjob_fini(&lj);
}

ACTS_SUBTEST(runaway_unprivileged, "ISO-TIME-1 REC-RUNAWAY-1",
	     "an unprivileged client's runaway job is stopped at the job timeout and another client's job behind it runs")
{
	struct acts_buf b;
	struct iso_tenant t;
	struct runaway r;
	struct acts_fence behind;
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x7e7a7000u };
	unsigned int old = 0, timeout;
	int64_t t0, took;
	char c;

	acts_require_submit(dev);
	/* Root shortens the timeout, or the driver's own must be short enough to wait for. */
	if (!__acts_job_timeout_get(dev, &old) && !__acts_job_timeout_set(dev, RUNAWAY_TIMEOUT_MS)) {
		timeout = RUNAWAY_TIMEOUT_MS;
	} else {
		old = 0;
		acts_require(!__acts_job_timeout_get(dev, &timeout),
			     "the job timeout can be neither read nor set");
		acts_require(timeout <= acts_fence_timeout_ms(),
			     "the job timeout (%u ms) is longer than the fence timeout", timeout);
	}
	b = acts_buf_new(dev, SZ_4K, 0);
	iso_tenant_start(dev, &t, true, hog_engine, NULL);
	iso_recv(t.from_child, &c, 1);
	t0 = acts_now_ns();
	behind = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &fill, 1,
				    &b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &behind), 1);
	took = acts_now_ns() - t0;
	iso_recv(t.from_child, &r, sizeof(r));
	iso_tenant_end(&t);
	if (old)
		__acts_job_timeout_set(dev, old);
	acts_info("the other client's job, queued behind it, finished %lld ms later (timeout %u ms)\n",
		  (long long)(took / MS), timeout);
	acts_buf_assert_u32(&b, 0, SZ_4K, 0x7e7a7000u);
	acts_require(r.status < 0 || r.took_ns >= (int64_t)timeout * MS,
		     "the long job finished within the %u ms timeout: too fast to test", timeout);
	if (r.status == 1)
		acts_fail("the unprivileged client's job ran %lld ms, past the %u ms timeout, and was not stopped",
			  (long long)(r.took_ns / MS), timeout);
	if (took > ((int64_t)timeout + SLACK_MS) * MS)
		acts_fail("the engine was kept %lld ms from another client (timeout %u ms + %u ms)",
			  (long long)(took / MS), timeout, SLACK_MS);
	acts_buf_free(&b);
	acts_devcoredump_discard_all(dev);
}
