// SPDX-License-Identifier: MIT
/*
 * accel_submit, ordering and waiting: jobs of a context in order,
 * contexts independent, explicit and implicit dependencies, BO waits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_profile.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"
#include "submit_util.h"

ACTS_SUBTEST(order_in_context, "SUB-ORDER-1",
	     "32 jobs of one context on separate BOs run in submission order")
{
	enum { N = 32 };
	struct acts_buf b[N];
	struct acts_fence out = { 0 };
	uint32_t ctx;
	uint64_t prev = 0;
	int i;

	acts_require_submit(dev);
	ctx = acts_ctx_create(dev);
	/* One BO per job: no implicit sync, only the context orders them. */
	for (i = 0; i < N; i++) {
		struct acts_cmd ts = { .op = ACTS_CMD_TIMESTAMP, .bo = 0 };

		b[i] = acts_buf_new(dev, SZ_4K, 0);
		out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &ts, 1, &b[i].handle, 1);
	}
	acts_fence_wait(dev, &out);
	for (i = 0; i < N; i++) {
		uint64_t t;

		acts_bo_wait(dev, b[i].handle);
		t = read_u64(&b[i], 0);
		if (t < prev)
			acts_fail("job %d ran before job %d of the same context (%llu < %llu)",
				  i, i - 1, (unsigned long long)t, (unsigned long long)prev);
		prev = t;
	}
}

/*
 * The jobs behind a held-back one have nothing to wait for but the context's
 * order, and the engine is idle: a driver that starts ready jobs at once
 * (refaccel's direct submission) must still keep them behind it.
 */
ACTS_SUBTEST(order_behind_held_job, "SUB-ORDER-1",
	     "jobs behind a job held back by its input fence wait for it, on an idle engine")
{
	enum { N = 4 };
	static const struct acts_cmd ts = { .op = ACTS_CMD_TIMESTAMP };
	struct acts_job held = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &ts, .ncmds = 1,
				 .nbos = 1, .nin = 1 };
	struct acts_fence later[N];
	struct acts_buf a, b[N];
	struct acts_ufence uf;
	struct acts_sync in;
	uint64_t prev;
	int i;

	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	held.ctx = acts_ctx_create(dev);
	a = acts_buf_new(dev, SZ_4K, 0);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	held.bos = &a.handle;
	held.in = &in;
	held.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &held);
	for (i = 0; i < N; i++) {
		b[i] = acts_buf_new(dev, SZ_4K, 0);
		later[i] = acts_submit_simple(dev, held.ctx, ACTS_ENGINE_COMPUTE, &ts, 1,
					      &b[i].handle, 1);
	}

	usleep(100 * 1000);
	for (i = 0; i < N; i++) {
		if (acts_fence_signalled(dev, &later[i]) || read_u64(&b[i], 0))
			acts_fail("job %d of the context ran while job 0 was held back", i + 1);
	}
	acts_assert(!acts_fence_signalled(dev, &held.fence));

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_fence_wait_status(dev, &later[N - 1]), 1);
	acts_assert_eq(acts_fence_wait_status(dev, &held.fence), 1);
	prev = read_u64(&a, 0);
	acts_assert(prev);
	for (i = 0; i < N; i++) {
		uint64_t t;

		acts_assert_eq(acts_fence_wait_status(dev, &later[i]), 1);
		t = read_u64(&b[i], 0);
		if (t < prev)
			acts_fail("job %d ran before the job submitted before it (%llu < %llu)",
				  i + 1, (unsigned long long)t, (unsigned long long)prev);
		prev = t;
	}
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(independent_contexts, "SUB-ORDER-2",
	     "a job blocked on a fence does not hold back another context's job on the same engine")
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_ufence uf;
	struct acts_sync in;
	struct acts_job blocked = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1 };
	struct acts_fence other;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_ufence(&uf);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	blocked.ctx = acts_ctx_create(dev);
	blocked.in = &in;
	blocked.nin = 1;
	blocked.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &blocked);

	/* Same engine, another context: must not wait behind the blocked job. */
	other = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &nop, 1,
				   NULL, 0);
	acts_fence_wait(dev, &other);
	acts_assert(!acts_fence_signalled(dev, &blocked.fence));

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_fence_wait_status(dev, &blocked.fence), 1);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(cross_engine_dependency, "SUB-DEP-1",
	     "a copy-engine job waits for the compute job whose syncobj it takes as input")
{
	struct acts_ufence uf;
	struct acts_buf a, b;
	struct acts_sync in_a, in_b;
	struct acts_cmd ts = { .op = ACTS_CMD_TIMESTAMP };
	struct acts_job ja = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &ts, .ncmds = 1, .nbos = 1 };
	struct acts_job jb = { .engine = ACTS_ENGINE_COPY, .cmds = &ts, .ncmds = 1, .nbos = 1 };

	acts_require_job_syncobjs(dev);
	acts_require_engine(dev, ACTS_ENGINE_COMPUTE);
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	acts_require_ufence(&uf);
	a = acts_buf_new(dev, SZ_4K, 0);
	b = acts_buf_new(dev, SZ_4K, 0);

	/* a on compute waits for the test; b on copy waits for a, sharing no BO. */
	in_a = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	ja.ctx = acts_ctx_create(dev);
	ja.bos = &a.handle;
	ja.in = &in_a;
	ja.nin = 1;
	ja.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &ja);

	in_b = (struct acts_sync){ .handle = ja.out.handle };
	jb.ctx = acts_ctx_create(dev);
	jb.bos = &b.handle;
	jb.in = &in_b;
	jb.nin = 1;
	jb.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &jb);

	usleep(100 * 1000);
	acts_assert(!acts_syncobj_signalled(dev, jb.out.handle, 0));
	acts_assert_eq_u64(read_u64(&b, 0), 0);

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_fence_wait_status(dev, &jb.fence), 1);
	acts_assert(acts_syncobj_signalled(dev, ja.out.handle, 0));
	acts_assert_gte_u64(read_u64(&b, 0), read_u64(&a, 0));
	acts_ufence_destroy(&uf);
}

/* A job on a, held back by the test, writing value into all of BO x. */
static uint32_t held_fill(struct acts_dev *dev, struct acts_ufence *uf, uint32_t x,
			  uint64_t size, uint32_t value)
{
	struct acts_sync in = { .handle = acts_ufence_syncobj(dev, uf) };
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = size, .value = value };
	struct acts_job job = {
		.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE,
		.cmds = &fill, .ncmds = 1, .bos = &x, .nbos = 1, .in = &in, .nin = 1,
	};

	job.out.handle = acts_syncobj_create(dev, false);
	acts_submit(dev, &job);
	return job.out.handle;
}

/* copy x to y on dev2, listing both BOs and no explicit dependency. */
static void implicit_sync(struct acts_dev *dev, struct acts_dev *dev2)
{
	struct acts_ufence uf;
	struct acts_buf x, y;
	struct acts_cmd copy = { .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .size = SZ_64K };
	struct acts_fence out;
	uint32_t bos[2];

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	x = acts_buf_new(dev, SZ_64K, 0);
	held_fill(dev, &uf, x.handle, SZ_64K, 0x600dcafe);

	if (dev2 == dev) {
		bos[0] = x.handle;
	} else {
		int fd = acts_prime_export(dev, x.handle);

		bos[0] = acts_prime_import(dev2, fd);
		close(fd);
	}
	y = acts_buf_new(dev2, SZ_64K, BG);
	bos[1] = y.handle;
	out = acts_submit_simple(dev2, acts_ctx_create(dev2), ACTS_ENGINE_COPY, &copy, 1, bos, 2);

	usleep(100 * 1000);
	acts_assert(!acts_fence_signalled(dev2, &out));
	acts_assert_err(__acts_bo_wait(dev2, y.handle, 0), -ETIME);
	acts_buf_assert_bytes(&y, 0, SZ_64K, BG);

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_fence_wait_status(dev2, &out), 1);
	acts_buf_assert_u32(&y, 0, SZ_64K, 0x600dcafe);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(implicit_sync, "SUB-DEP-2",
	     "a job on a shared BO waits for the earlier job writing it (no explicit dependency)")
{
	implicit_sync(dev, dev);
}

ACTS_SUBTEST(implicit_sync_other_file, "SUB-DEP-2",
	     "implicit sync holds through a BO shared with another file by PRIME")
{
	struct acts_dev *other;

	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_PRIME);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	implicit_sync(dev, other);
	acts_dev_close(other);
}

/* Whether the dma-buf fd polls ready for events now. */
static bool dmabuf_ready(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) == 1 && (p.revents & events);
}

ACTS_SUBTEST(implicit_sync_dmabuf_writer, "SUB-DEP-2",
	     "a pending job's fence is a writer's on its BOs: their dma-buf does not poll readable until it ends")
{
	struct acts_ufence uf;
	struct acts_buf x;
	uint32_t out;
	int fd, i;

	acts_require_cap(dev, ACTS_CAP_PRIME);
	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	x = acts_buf_new(dev, SZ_64K, 0);
	fd = acts_prime_export(dev, x.handle);
	acts_assert(dmabuf_ready(fd, POLLIN) && dmabuf_ready(fd, POLLOUT));

	out = held_fill(dev, &uf, x.handle, SZ_64K, 0x0ddba11);
	/* Readers wait for writers (POLLIN), writers for everyone (POLLOUT). */
	acts_assert(!dmabuf_ready(fd, POLLIN));
	acts_assert(!dmabuf_ready(fd, POLLOUT));

	acts_ufence_signal(&uf);
	acts_assert_ok(__acts_syncobj_wait(dev, &out, 1, acts_deadline_ms(acts_fence_timeout_ms()),
					   0, NULL));
	/* The fence has signalled; poll sees it once its callback has run. */
	for (i = 0; i < 100 && !dmabuf_ready(fd, POLLIN); i++)
		usleep(10 * 1000);
	acts_assert(dmabuf_ready(fd, POLLIN) && dmabuf_ready(fd, POLLOUT));
	acts_buf_assert_u32(&x, 0, SZ_64K, 0x0ddba11);
	close(fd);
	acts_ufence_destroy(&uf);
}

/* ---- BO wait ---- */

ACTS_SUBTEST(bo_wait_idle, "SUB-WAIT-1",
	     "waiting on an idle BO returns at once")
{
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	h = acts_bo_create(dev, SZ_4K);
	acts_assert_ok(__acts_bo_wait(dev, h, 0));
	acts_assert_ok(__acts_bo_wait(dev, h, acts_deadline_ms(1000)));
}

ACTS_SUBTEST(bo_wait_busy, "SUB-WAIT-1",
	     "waiting on a busy BO fails with ETIME at its deadline, then succeeds when idle")
{
	struct acts_ufence uf;
	int64_t start, late;
	uint32_t h;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	acts_require_ufence(&uf);
	h = acts_bo_create(dev, SZ_4K);
	held_fill(dev, &uf, h, SZ_4K, 1);

	acts_assert_rule(dev, "SUB-WAIT-1", "deadline", __acts_bo_wait(dev, h, 0));
	/* A deadline in the past (even before the epoch) only polls too. */
	acts_assert_rule(dev, "SUB-WAIT-1", "deadline", __acts_bo_wait(dev, h, -1));
	start = acts_now_ns();
	acts_assert_rule(dev, "SUB-WAIT-1", "deadline",
			 __acts_bo_wait(dev, h, start + 200 * 1000000LL));
	late = acts_now_ns() - start;
	acts_assert_gte(late, 200 * 1000000LL - ACTS_DEADLINE_SLACK_NS);
	acts_assert_lt(late, 2000 * 1000000LL);

	acts_ufence_signal(&uf);
	acts_bo_wait(dev, h);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(bo_wait_unknown_handle, "SUB-WAIT-1",
	     "waiting on an unknown handle fails with ENOENT")
{
	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	acts_assert_rule(dev, "SUB-WAIT-1", "unknown-handle", __acts_bo_wait(dev, 0xdead, 0));
}

ACTS_SUBTEST(bo_wait_nonzero_flags, "SUB-WAIT-1",
	     "unknown wait flags fail with EINVAL")
{
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	h = acts_bo_create(dev, SZ_4K);
	acts_assert_rule(dev, "SUB-WAIT-1", "flags", __acts_bo_wait_flags(dev, h, 0, 1u << 31));
}
