// SPDX-License-Identifier: MIT
/*
 * accel_submit: the profile's submit level. Contexts, jobs and their
 * results byte for byte, ordering and independence, explicit and implicit
 * dependencies, BO waits, load from many jobs, contexts and clients, files
 * closed with jobs in flight, fdinfo engine time, and every malformed
 * submission refused with no effect.
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
#include "acts_gem.h"
#include "acts_caps.h"
#include "acts_profile.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"

#define SZ_4K	4096u
#define SZ_64K	(64u << 10)
#define SZ_1M	(1u << 20)
#define BG	0xa5	/* background byte: a job never wrote here */

/* ---- valid jobs ---- */

static void test_nop(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence out;
	uint32_t ctx;

	acts_require_submit(dev);
	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_ctx_destroy(dev, ctx);
}

static void test_nop_each_engine(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence out;
	uint32_t ctx;
	int e;

	acts_require_submit(dev);
	ctx = acts_ctx_create(dev);
	for (e = 0; e < ACTS_ENGINE_COUNT; e++) {
		acts_require_engine(dev, e);
		out = acts_submit_simple(dev, ctx, e, &nop, 1, NULL, 0);
		acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	}
}

static void test_seqno_increasing(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_job job = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1 };
	uint64_t prev = 0;
	int i;

	acts_require_submit(dev);
	job.ctx = acts_ctx_create(dev);
	for (i = 0; i < 16; i++) {
		uint64_t s = acts_submit(dev, &job);

		if (i)
			acts_assert_gt(s, prev);
		prev = s;
	}
}

/* Fill [off, off + len) and check it, and that the bytes around stay. */
static void fill_and_check(struct acts_dev *dev, enum acts_engine e, uint64_t bo_size,
			   uint64_t off, uint64_t len, uint32_t value)
{
	struct acts_buf b;
	struct acts_cmd fill = {
		.op = ACTS_CMD_FILL, .bo = 0, .offset = off, .size = len, .value = value,
	};
	struct acts_fence out;
	uint32_t ctx;

	acts_require_engine(dev, e);
	b = acts_buf_new(dev, bo_size, BG);
	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, e, &fill, 1, &b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_bytes(&b, 0, off, BG);
	acts_buf_assert_u32(&b, off, len, value);
	acts_buf_assert_bytes(&b, off + len, bo_size - off - len, BG);
	acts_buf_free(&b);
}

static void test_fill(struct acts_dev *dev)
{
	fill_and_check(dev, ACTS_ENGINE_COMPUTE, SZ_64K, 4, SZ_4K * 3 + 8, 0x12345678);
}

static void test_fill_copy_engine(struct acts_dev *dev)
{
	fill_and_check(dev, ACTS_ENGINE_COPY, SZ_64K, SZ_4K - 4, 12, 0xdeadbeef);
}

static void test_fill_large(struct acts_dev *dev)
{
	fill_and_check(dev, ACTS_ENGINE_COMPUTE, 8 * SZ_1M, 0, 8 * SZ_1M, 0xcafef00d);
}

/* Bytes that differ at every position, so a shifted copy is caught. */
static void pattern(struct acts_buf *b)
{
	uint64_t i;

	for (i = 0; i < b->size; i++)
		b->map[i] = (uint8_t)((i * 2654435761u) >> 13);
}

static void copy_and_check(struct acts_dev *dev, uint64_t size, uint64_t src_off,
			   uint64_t dst_off, uint64_t len)
{
	struct acts_buf src, dst;
	struct acts_fence out;
	uint32_t bos[2], ctx;
	struct acts_cmd copy = {
		.op = ACTS_CMD_COPY, .src = 0, .bo = 1,
		.src_offset = src_off, .offset = dst_off, .size = len,
	};

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	src = acts_buf_new(dev, size, 0);
	dst = acts_buf_new(dev, size, BG);
	pattern(&src);
	bos[0] = src.handle;
	bos[1] = dst.handle;
	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COPY, &copy, 1, bos, 2);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_bytes(&dst, 0, dst_off, BG);
	acts_buf_assert_same(&dst, dst_off, &src, src_off, len);
	acts_buf_assert_bytes(&dst, dst_off + len, size - dst_off - len, BG);
	acts_buf_free(&src);
	acts_buf_free(&dst);
}

static void test_copy(struct acts_dev *dev)
{
	copy_and_check(dev, SZ_64K, 0, 0, SZ_64K);
}

static void test_copy_offsets(struct acts_dev *dev)
{
	/* Odd offsets and length, crossing pages at different points. */
	copy_and_check(dev, SZ_64K, 4093, 3, 3 * SZ_4K + 7);
}

static void test_copy_large(struct acts_dev *dev)
{
	copy_and_check(dev, 16 * SZ_1M, 1, 4097, 16 * SZ_1M - 8192);
}

static void test_copy_within_bo(struct acts_dev *dev)
{
	struct acts_buf b;
	struct acts_cmd copy = {
		.op = ACTS_CMD_COPY, .src = 0, .bo = 0,
		.src_offset = 100, .offset = SZ_4K * 2 + 1, .size = SZ_4K,
	};
	uint8_t want[SZ_4K];
	struct acts_fence out;
	uint32_t ctx;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	b = acts_buf_new(dev, SZ_4K * 4, 0);
	pattern(&b);
	memcpy(want, b.map + 100, SZ_4K);
	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COPY, &copy, 1, &b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_assert_eq(memcmp(b.map + SZ_4K * 2 + 1, want, SZ_4K), 0);
	acts_buf_free(&b);
}

static uint64_t read_u64(const struct acts_buf *b, uint64_t off)
{
	uint64_t v;

	memcpy(&v, b->map + off, 8);
	return v;
}

static void test_timestamp(struct acts_dev *dev)
{
	struct acts_cmd ts[2] = {
		{ .op = ACTS_CMD_TIMESTAMP, .bo = 0, .offset = 8 },
		{ .op = ACTS_CMD_TIMESTAMP, .bo = 0, .offset = 16 },
	};
	struct acts_buf b;
	struct acts_fence out;
	uint32_t ctx;
	int64_t before, after;
	uint64_t t0, t1, freq;

	acts_require_submit(dev);
	b = acts_buf_new(dev, SZ_4K, 0);
	ctx = acts_ctx_create(dev);
	before = acts_now_ns();
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, ts, 2, &b.handle, 1);
	acts_fence_wait(dev, &out);
	after = acts_now_ns();

	t0 = read_u64(&b, 8);
	t1 = read_u64(&b, 16);
	acts_assert_neq(t0, 0);
	acts_assert_gte_u64(t1, t0);
	acts_assert_eq_u64(read_u64(&b, 0), 0);
	acts_assert_eq_u64(read_u64(&b, 24), 0);

	if (acts_timestamps_monotonic(dev) &&
	    !__acts_query(dev, ACTS_Q_TIMESTAMP_FREQ, &freq) && freq == 1000000000) {
		acts_assert_gte_u64(t0, (uint64_t)before);
		acts_assert_lte_u64(t1, (uint64_t)after);
	}
	acts_buf_free(&b);
}

/* ---- contexts ---- */

static void test_ctx_create_destroy(struct acts_dev *dev)
{
	uint32_t a, b;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	a = acts_ctx_create(dev);
	b = acts_ctx_create(dev);
	acts_assert_neq(a, b);
	acts_ctx_destroy(dev, a);
	acts_assert_err(__acts_ctx_destroy(dev, a), -ENOENT);
	acts_ctx_destroy(dev, b);
}

static void test_ctx_destroy_unknown(struct acts_dev *dev)
{
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_assert_err(__acts_ctx_destroy(dev, 0xdead), -ENOENT);
	acts_assert_err(__acts_ctx_destroy(dev, 0), -ENOENT);
}

static void test_ctx_destroy_nonzero_pad(struct acts_dev *dev)
{
	uint32_t ctx;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	ctx = acts_ctx_create(dev);
	acts_assert_err(__acts_ctx_destroy_pad(dev, ctx, 1), -EINVAL);
	/* Refused, so the context is still there. */
	acts_ctx_destroy(dev, ctx);
}

static void ctx_create_refused(struct acts_dev *dev, struct acts_ctx_create *c)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };

	struct acts_fence out;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_assert_err(__acts_ctx_create(dev, c), -EINVAL);
	/* The refused call created nothing: a fresh context still works. */
	out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
	acts_fence_wait(dev, &out);
}

static void test_ctx_create_bad_priority(struct acts_dev *dev)
{
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_INVALID });
}

static void test_ctx_create_nonzero_flags(struct acts_dev *dev)
{
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_NORMAL,
							   .flags = 1u << 31 });
}

static void test_ctx_create_nonzero_pad(struct acts_dev *dev)
{
	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_NORMAL,
							   .pad = 1 });
}

static void test_ctx_priorities(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence out;
	int p;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	/* Tests run as root, so the high priority is allowed too. */
	for (p = ACTS_PRIO_LOW; p <= ACTS_PRIO_HIGH; p++) {
		struct acts_ctx_create c = { .priority = p };

		acts_assert_ok(__acts_ctx_create(dev, &c));
		out = acts_submit_simple(dev, c.id, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
		acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	}
}

static void test_ctx_other_file(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_job job = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1 };
	struct acts_dev *other;
	uint32_t ctx;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	ctx = acts_ctx_create(dev);
	/* Make sure the id is not also a valid id in the other file by chance. */
	job.ctx = ctx;
	acts_assert_err(__acts_submit(other, &job), -ENOENT);
	acts_assert_err(__acts_ctx_destroy(other, ctx), -ENOENT);
	/* Still the owner's. */
	acts_submit(dev, &job);
	acts_ctx_destroy(dev, ctx);
	acts_dev_close(other);
}

static void test_ctx_many(struct acts_dev *dev)
{
	enum { N = 64 };
	struct acts_buf b;
	struct acts_fence out[N];
	uint32_t ctx[N];
	uint64_t max;
	int i;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	if (!__acts_query(dev, ACTS_Q_MAX_CONTEXTS, &max))
		acts_assert_gte_u64(max, N);
	b = acts_buf_new(dev, N * SZ_4K, BG);
	for (i = 0; i < N; i++) {
		struct acts_cmd fill = {
			.op = ACTS_CMD_FILL, .offset = (uint64_t)i * SZ_4K, .size = SZ_4K,
			.value = 0x1000u + i,
		};

		ctx[i] = acts_ctx_create(dev);
		out[i] = acts_submit_simple(dev, ctx[i], ACTS_ENGINE_COMPUTE, &fill, 1,
					    &b.handle, 1);
	}
	for (i = 0; i < N; i++) {
		acts_assert_eq(acts_fence_wait_status(dev, &out[i]), 1);
		acts_buf_assert_u32(&b, (uint64_t)i * SZ_4K, SZ_4K, 0x1000u + i);
	}
	for (i = 0; i < N; i++)
		acts_ctx_destroy(dev, ctx[i]);
	acts_buf_free(&b);
}

/* ---- ordering and dependencies ---- */

static void test_order_in_context(struct acts_dev *dev)
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

static void test_independent_contexts(struct acts_dev *dev)
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

static void test_cross_engine_dependency(struct acts_dev *dev)
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

static void test_implicit_sync(struct acts_dev *dev)
{
	implicit_sync(dev, dev);
}

static void test_implicit_sync_other_file(struct acts_dev *dev)
{
	struct acts_dev *other;

	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_PRIME);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	implicit_sync(dev, other);
	acts_dev_close(other);
}

/* ---- BO wait ---- */

static void test_bo_wait_idle(struct acts_dev *dev)
{
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	h = acts_bo_create(dev, SZ_4K);
	acts_assert_ok(__acts_bo_wait(dev, h, 0));
	acts_assert_ok(__acts_bo_wait(dev, h, acts_deadline_ms(1000)));
}

static void test_bo_wait_busy(struct acts_dev *dev)
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

static void test_bo_wait_unknown_handle(struct acts_dev *dev)
{
	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	acts_assert_rule(dev, "SUB-WAIT-1", "unknown-handle", __acts_bo_wait(dev, 0xdead, 0));
}

static void test_bo_wait_nonzero_flags(struct acts_dev *dev)
{
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO_WAIT);
	h = acts_bo_create(dev, SZ_4K);
	acts_assert_rule(dev, "SUB-WAIT-1", "flags", __acts_bo_wait_flags(dev, h, 0, 1u << 31));
}

/* ---- load ---- */

static void test_many_in_flight(struct acts_dev *dev)
{
	enum { N = 256 };
	struct acts_buf b;
	struct acts_job job = { .engine = ACTS_ENGINE_COMPUTE, .ncmds = 1, .nbos = 1 };
	int i;

	acts_require_submit(dev);
	b = acts_buf_new(dev, N * 256, BG);
	job.ctx = acts_ctx_create(dev);
	job.bos = &b.handle;
	for (i = 0; i < N; i++) {
		struct acts_cmd fill = {
			.op = ACTS_CMD_FILL, .offset = (uint64_t)i * 256, .size = 256, .value = i,
		};

		job.cmds = &fill;
		acts_fence_release(dev, &job.fence);
		acts_submit(dev, &job);
	}
	acts_assert_eq(acts_fence_wait_status(dev, &job.fence), 1);
	for (i = 0; i < N; i++)
		acts_buf_assert_u32(&b, (uint64_t)i * 256, 256, (uint32_t)i);
}

/* One client: its own file, context and BO; 32 jobs checked. Returns 0 if right. */
static int client(const char *path, int id)
{
	struct acts_dev *dev = acts_dev_open(path);
	struct acts_buf b;
	struct acts_fence out = { 0 };
	uint32_t ctx;
	int i;

	if (!dev)
		return 1;
	b = acts_buf_new(dev, 32 * SZ_4K, BG);
	ctx = acts_ctx_create(dev);
	for (i = 0; i < 32; i++) {
		struct acts_cmd fill = {
			.op = ACTS_CMD_FILL, .offset = (uint64_t)i * SZ_4K, .size = SZ_4K,
			.value = ((uint32_t)id << 16) | i,
		};

		out = acts_submit_simple(dev, ctx, i % 2 ? ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE,
					 &fill, 1, &b.handle, 1);
	}
	if (acts_fence_wait_status(dev, &out) != 1)
		return 1;
	for (i = 0; i < 32; i++)
		acts_buf_assert_u32(&b, (uint64_t)i * SZ_4K, SZ_4K, ((uint32_t)id << 16) | i);
	acts_dev_close(dev);
	return 0;
}

static void test_many_clients(struct acts_dev *dev)
{
	enum { N = 8 };
	pid_t pid[N];
	int i, status;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	for (i = 0; i < N; i++) {
		pid[i] = fork();
		acts_assert(pid[i] >= 0);
		if (!pid[i])
			_exit(client(dev->path, i + 1));
	}
	for (i = 0; i < N; i++) {
		acts_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			acts_fail("client %d of %d failed (status %#x)", i + 1, N, status);
	}
}

/* Memory in use, when the driver reports it. */
static int mem_used(struct acts_dev *dev, uint64_t *v)
{
	return __acts_query(dev, ACTS_Q_MEM_USED, v);
}

/* Wait until memory in use is back to base (it is freed as jobs end). */
static void expect_mem_back(struct acts_dev *dev, uint64_t base)
{
	int64_t deadline = acts_deadline_ms(acts_fence_timeout_ms());
	uint64_t now = 0;

	while (!mem_used(dev, &now) && now != base && acts_now_ns() < deadline)
		usleep(10 * 1000);
	if (!mem_used(dev, &now))
		acts_assert_eq_u64(now, base);
}

/*
 * Jobs held back by the test are queued on a second file (or one of its
 * contexts); then that file is closed (or the context destroyed) and the
 * test lets the jobs go. Each of their fences must signal, success or
 * error, and everything they held must be freed.
 */
static void abandon_jobs(struct acts_dev *dev, bool destroy_ctx_only)
{
	enum { N = 16 };
	struct acts_ufence uf;
	struct acts_dev *other;
	struct acts_sync in;
	uint64_t base = 0, engines = 1u << ACTS_ENGINE_COMPUTE;
	int fds[N], i;
	uint32_t ctx, h;

	acts_require_job_syncobjs(dev);
	if (destroy_ctx_only)
		acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_ufence(&uf);
	__acts_query(dev, ACTS_Q_ENGINES, &engines);
	mem_used(dev, &base);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(other, &uf) };
	ctx = acts_ctx_create(other);
	h = acts_bo_create(other, SZ_1M);
	for (i = 0; i < N; i++) {
		struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_1M, .value = i };
		struct acts_job job = {
			.ctx = ctx, .engine = i % 2 ? ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE,
			.cmds = &fill, .ncmds = 1, .bos = &h, .nbos = 1, .in = &in, .nin = 1,
		};

		if (!(engines & (1u << job.engine)))
			job.engine = ACTS_ENGINE_COMPUTE;
		job.out.handle = acts_syncobj_create(other, false);
		acts_submit(other, &job);
		acts_assert_syscall(drmSyncobjExportSyncFile(other->fd, job.out.handle, &fds[i]));
	}

	if (destroy_ctx_only)
		acts_ctx_destroy(other, ctx);
	else
		acts_dev_close(other);
	acts_ufence_signal(&uf);

	for (i = 0; i < N; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		if (poll(&p, 1, (int)acts_fence_timeout_ms()) != 1)
			acts_fail("the fence of abandoned job %d never signalled", i);
		close(fds[i]);
	}
	if (destroy_ctx_only)
		acts_dev_close(other);
	expect_mem_back(dev, base);
	acts_ufence_destroy(&uf);
	test_nop(dev);
}

static void test_close_with_jobs_in_flight(struct acts_dev *dev)
{
	abandon_jobs(dev, false);
}

static void test_ctx_destroy_with_jobs_in_flight(struct acts_dev *dev)
{
	abandon_jobs(dev, true);
}

static void test_client_exit_with_jobs_in_flight(struct acts_dev *dev)
{
	uint64_t base = 0;
	pid_t pid;
	int status;

	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	mem_used(dev, &base);
	pid = fork();
	acts_assert(pid >= 0);
	if (!pid) {
		struct acts_dev *d = acts_dev_open(dev->path);
		uint32_t ctx = acts_ctx_create(d), h = acts_bo_create(d, 4 * SZ_1M);
		int i;

		for (i = 0; i < 64; i++) {
			struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = 4 * SZ_1M, .value = i };
			struct acts_job job = {
				.ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &fill,
				.ncmds = 1, .bos = &h, .nbos = 1,
			};

			acts_submit(d, &job);
		}
		_exit(0);	/* no close, no wait: the kernel cleans up */
	}
	acts_assert_eq(waitpid(pid, &status, 0), pid);
	acts_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_mem_back(dev, base);
	test_nop(dev);
}

static void test_fdinfo_engine_busy(struct acts_dev *dev)
{
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = 8 * SZ_1M, .value = 7 };
	uint64_t c0, c1, k0, k1;
	struct acts_fence out;
	uint32_t h;

	acts_require_submit(dev);
	acts_require(!acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COMPUTE, &c0),
		     "no drm-engine-* key in fdinfo");
	acts_assert_eq_u64(c0, 0);
	h = acts_bo_create(dev, 8 * SZ_1M);
	out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &fill, 1, &h, 1);
	acts_fence_wait(dev, &out);
	acts_assert_ok(acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COMPUTE, &c1));
	acts_assert_gt(c1, c0);

	/* Another engine's time did not move, and another file saw none. */
	if (!acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COPY, &k0))
		acts_assert_eq_u64(k0, 0);
	if (acts_has_cap(dev, ACTS_CAP_MULTI_OPEN)) {
		struct acts_dev *other = acts_dev_reopen(dev);

		acts_assert_ok(acts_fdinfo_engine_ns(other, ACTS_ENGINE_COMPUTE, &k1));
		acts_assert_eq_u64(k1, 0);
		acts_dev_close(other);
	}
}

/* ---- refused submissions: one field wrong each, no effect ---- */

/*
 * A valid job: fill the first page of a BO on the compute engine, with an
 * input and an output syncobj when the driver takes them. Each
 * invalid-input subtest changes one thing.
 */
struct fx {
	struct acts_dev *dev;
	struct acts_buf b, b2;
	uint32_t bos[2];
	struct acts_cmd cmd;
	struct acts_sync in;
	struct acts_job job;
	uint32_t out;		/* the valid job's output syncobj (0: none), whatever job.out becomes */
	uint64_t mem;
};

static void fx_init(struct fx *fx, struct acts_dev *dev)
{
	acts_require_submit(dev);
	memset(fx, 0, sizeof(*fx));
	fx->dev = dev;
	fx->b = acts_buf_new(dev, 2 * SZ_4K, BG);
	fx->b2 = acts_buf_new(dev, 2 * SZ_4K, BG);
	fx->bos[0] = fx->b.handle;
	fx->bos[1] = fx->b2.handle;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_FILL, .bo = 0, .size = SZ_4K, .value = 0x11 };
	fx->job = (struct acts_job){
		.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE,
		.cmds = &fx->cmd, .ncmds = 1, .bos = fx->bos, .nbos = 1,
	};
	if (acts_has_cap(dev, ACTS_CAP_JOB_SYNCOBJS)) {
		fx->in = (struct acts_sync){ .handle = acts_syncobj_create(dev, true) };
		fx->job.in = &fx->in;
		fx->job.nin = 1;
		fx->job.out.handle = fx->out = acts_syncobj_create(dev, false);
	}
	mem_used(dev, &fx->mem);
}

/* The refused submission left no trace, and a valid one still works. */
static void fx_check_no_effect(struct fx *fx)
{
	struct acts_dev *dev = fx->dev;
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x22 };
	struct acts_fence out;
	uint32_t h = fx->out, ctx;
	uint64_t mem;

	/* The output syncobj still has no fence at all. */
	if (h)
		acts_assert_err(__acts_syncobj_wait(dev, &h, 1, 0, 0, NULL), -EINVAL);
	acts_assert_ok(__acts_bo_wait(dev, fx->b.handle, 0));
	acts_assert_ok(__acts_bo_wait(dev, fx->b2.handle, 0));
	acts_buf_assert_bytes(&fx->b, 0, fx->b.size, BG);
	acts_buf_assert_bytes(&fx->b2, 0, fx->b2.size, BG);
	if (!mem_used(dev, &mem))
		acts_assert_eq_u64(mem, fx->mem);

	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &fill, 1, &fx->b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_u32(&fx->b, 0, SZ_4K, 0x22);
}

static void fx_expect_refused(struct fx *fx, int ret, const char *rule, const char *when)
{
	if (ret == -EOPNOTSUPP && fx->job.defect != ACTS_DEFECT_NONE)
		acts_skip("the %s backend cannot build this malformed submission",
			  acts_backend_name(fx->dev));
	if (!ret)
		acts_fail("the malformed submission was accepted (%s %s)", rule, when);
	acts_assert_rule(fx->dev, rule, when, ret);
	fx_check_no_effect(fx);
}

/*
 * The malformed job fx->job must fail with the errno of the profile's rule
 * and case (acts_profile.c) and change nothing.
 */
#define REFUSED(name, rule, when, ...) \
	static void name(struct acts_dev *dev) \
	{ \
		struct fx fx_, *fx = &fx_; \
		fx_init(fx, dev); \
		__VA_ARGS__; \
		fx_expect_refused(fx, __acts_submit(dev, &fx->job), rule, when); \
	}

REFUSED(test_bad_flags, "SUB-INVAL-1", "bad-field",
	fx->job.flags = 1ull << 63)
REFUSED(test_bad_pad, "SUB-INVAL-1", "bad-field",
	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	fx->job.pad = 1)
REFUSED(test_bad_engine, "SUB-INVAL-1", "bad-field",
	fx->job.engine = 0x7777)
REFUSED(test_unknown_ctx, "SUB-INVAL-3", "unknown-object",
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	fx->job.ctx = 0xdead)
REFUSED(test_destroyed_ctx, "SUB-INVAL-3", "unknown-object",
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_ctx_destroy(dev, fx->job.ctx))
REFUSED(test_bad_bo_handle, "SUB-INVAL-3", "unknown-object",
	fx->bos[0] = 0xdead)
REFUSED(test_closed_bo_handle, "SUB-INVAL-3", "unknown-object",
	uint32_t h = acts_bo_create(dev, SZ_4K);
	acts_gem_close(dev, h);
	fx->bos[0] = h)
REFUSED(test_too_many_bos, "SUB-INVAL-1", "over-limit",
	static uint32_t many[4096];
	uint64_t max = acts_require_query(dev, ACTS_Q_MAX_JOB_BOS);
	acts_require(max < 4096, "the BO limit is too high to exceed");
	for (unsigned int i = 0; i <= max; i++) many[i] = fx->b.handle;
	fx->job.bos = many; fx->job.nbos = (unsigned int)max + 1)
REFUSED(test_too_many_in_syncs, "SUB-INVAL-1", "over-limit",
	acts_require_job_syncobjs(dev);
	static struct acts_sync many[4096];
	uint64_t max = acts_require_query(dev, ACTS_Q_MAX_JOB_SYNCS);
	acts_require(max < 4096, "the sync limit is too high to exceed");
	for (unsigned int i = 0; i <= max; i++) many[i] = fx->in;
	fx->job.in = many; fx->job.nin = (unsigned int)max + 1)
REFUSED(test_cmds_empty, "SUB-INVAL-1", "bad-field",
	fx->job.defect = ACTS_DEFECT_CMDS_EMPTY)
REFUSED(test_cmds_too_big, "SUB-INVAL-1", "over-limit",
	fx->job.defect = ACTS_DEFECT_CMDS_TOO_BIG)
REFUSED(test_cmd_truncated, "SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMDS_TRUNCATED)
REFUSED(test_cmd_unknown_opcode, "SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_UNKNOWN_OPCODE)
REFUSED(test_cmd_bad_size, "SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_BAD_SIZE)
REFUSED(test_cmd_zero_size, "SUB-INVAL-2", "bad-command",
	fx->job.defect = ACTS_DEFECT_CMD_ZERO_SIZE)
REFUSED(test_cmd_nonzero_pad, "SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .bo = 0 };
	fx->job.defect = ACTS_DEFECT_CMD_PAD)
REFUSED(test_cmd_bad_bo_index, "SUB-INVAL-2", "bad-command",
	fx->cmd.bo = 1)
REFUSED(test_fill_out_of_bounds, "SUB-INVAL-2", "bad-command",
	fx->cmd.offset = fx->b.size - 4; fx->cmd.size = 8)
REFUSED(test_fill_past_end, "SUB-INVAL-2", "bad-command",
	fx->cmd.offset = fx->b.size; fx->cmd.size = 4)
REFUSED(test_fill_offset_overflow, "SUB-INVAL-2", "bad-command",
	fx->cmd.offset = UINT64_MAX - 3; fx->cmd.size = 8)
REFUSED(test_fill_size_overflow, "SUB-INVAL-2", "bad-command",
	fx->cmd.offset = 4; fx->cmd.size = UINT64_MAX - 3)
REFUSED(test_fill_misaligned, "SUB-INVAL-2", "bad-command",
	fx->cmd.offset = 2)
REFUSED(test_fill_zero_size, "SUB-INVAL-2", "bad-command",
	fx->cmd.size = 0)
REFUSED(test_copy_src_out_of_bounds, "SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .src_offset = SZ_4K + 1, .size = SZ_4K })
REFUSED(test_copy_dst_out_of_bounds, "SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .offset = 2 * SZ_4K - 1, .size = 2 })
REFUSED(test_copy_overflow, "SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY; fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				     .src_offset = 16, .offset = 16, .size = UINT64_MAX - 8 })
REFUSED(test_copy_overlap, "SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.engine = ACTS_ENGINE_COPY;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 0,
				     .src_offset = 0, .offset = 64, .size = 128 })
REFUSED(test_copy_on_compute_engine, "SUB-INVAL-2", "bad-command",
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	fx->job.nbos = 2;
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .size = 64 })
REFUSED(test_timestamp_out_of_bounds, "SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .offset = 2 * SZ_4K - 4 })
REFUSED(test_timestamp_misaligned, "SUB-INVAL-2", "bad-command",
	fx->cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .offset = 4 })
REFUSED(test_in_sync_unknown, "SUB-INVAL-3", "unknown-object",
	acts_require_job_syncobjs(dev);
	fx->in.handle = 0xdead)
REFUSED(test_in_sync_nonzero_flags, "SUB-INVAL-1", "bad-field",
	acts_require_job_syncobjs(dev);
	fx->in.flags = 1u << 31)
REFUSED(test_in_sync_no_fence, "SUB-INVAL-3", "no-fence",
	acts_require_job_syncobjs(dev);
	fx->in.handle = acts_syncobj_create(dev, false))
REFUSED(test_in_sync_future_point, "SUB-INVAL-3", "no-fence",
	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	fx->in.handle = acts_syncobj_create(dev, false); fx->in.point = 5)
REFUSED(test_out_sync_unknown, "SUB-INVAL-3", "unknown-object",
	acts_require_job_syncobjs(dev);
	fx->job.out.handle = 0xdead)
REFUSED(test_out_sync_nonzero_flags, "SUB-INVAL-1", "bad-field",
	acts_require_job_syncobjs(dev);
	fx->job.out.flags = 1u << 31)
REFUSED(test_bad_cmds_pointer, "SUB-INVAL-4", "bad-pointer",
	fx->job.defect = ACTS_DEFECT_CMDS_FAULT)
REFUSED(test_bad_bos_pointer, "SUB-INVAL-4", "bad-pointer",
	fx->job.defect = ACTS_DEFECT_BOS_FAULT)
REFUSED(test_bad_syncs_pointer, "SUB-INVAL-4", "bad-pointer",
	acts_require_job_syncobjs(dev);
	fx->job.defect = ACTS_DEFECT_SYNCS_FAULT)

static const struct acts_subtest tests[] = {
	{ "ctx-create-destroy", "SUB-CTX-1",
	  "two contexts get distinct ids; each can be destroyed once, then ENOENT",
	  test_ctx_create_destroy },
	{ "ctx-destroy-unknown", "SUB-CTX-1", "destroying an unknown context id fails with ENOENT",
	  test_ctx_destroy_unknown },
	{ "ctx-destroy-nonzero-pad", "SUB-CTX-2",
	  "destroying with a padding field set fails with EINVAL and keeps the context",
	  test_ctx_destroy_nonzero_pad },
	{ "ctx-create-bad-priority", "SUB-CTX-2", "an unknown priority is refused with EINVAL",
	  test_ctx_create_bad_priority },
	{ "ctx-create-nonzero-flags", "SUB-CTX-2", "unknown context flags are refused with EINVAL",
	  test_ctx_create_nonzero_flags },
	{ "ctx-create-nonzero-pad", "SUB-CTX-2", "a set padding field is refused with EINVAL",
	  test_ctx_create_nonzero_pad },
	{ "ctx-priorities", "SUB-CTX-1", "contexts of every priority run jobs",
	  test_ctx_priorities },
	{ "ctx-other-file", "SUB-CTX-3",
	  "another open file can neither submit on nor destroy a file's context",
	  test_ctx_other_file },
	{ "ctx-many", "SUB-CTX-4 SUB-LOAD-2", "64 contexts of one file each run a checked fill",
	  test_ctx_many },
	{ "nop", "SUB-JOB-1", "a NOP job completes and signals its output syncobj without error",
	  test_nop },
	{ "nop-each-engine", "SUB-JOB-1", "a NOP job completes on every engine",
	  test_nop_each_engine },
	{ "seqno-increasing", "SUB-JOB-1", "sequence numbers increase along a context",
	  test_seqno_increasing },
	{ "fill", "SUB-JOB-2", "FILL writes its pattern exactly over its range, across pages",
	  test_fill },
	{ "fill-copy-engine", "SUB-JOB-2", "FILL works on the copy engine too",
	  test_fill_copy_engine },
	{ "fill-large", "SUB-JOB-2", "FILL of 8 MiB is complete and exact", test_fill_large },
	{ "copy", "SUB-JOB-3", "COPY of a whole 64 KiB BO is byte-exact", test_copy },
	{ "copy-offsets", "SUB-JOB-3",
	  "COPY at odd offsets and length is byte-exact and touches nothing else",
	  test_copy_offsets },
	{ "copy-large", "SUB-JOB-3", "COPY of 16 MiB between misaligned offsets is byte-exact",
	  test_copy_large },
	{ "copy-within-bo", "SUB-JOB-3", "COPY between two ranges of one BO", test_copy_within_bo },
	{ "timestamp", "SUB-JOB-4",
	  "TIMESTAMP writes 64-bit device times that increase and fall inside the job's window",
	  test_timestamp },
	{ "order-in-context", "SUB-ORDER-1",
	  "32 jobs of one context on separate BOs run in submission order", test_order_in_context },
	{ "independent-contexts", "SUB-ORDER-2",
	  "a job blocked on a fence does not hold back another context's job on the same engine",
	  test_independent_contexts },
	{ "cross-engine-dependency", "SUB-DEP-1",
	  "a copy-engine job waits for the compute job whose syncobj it takes as input",
	  test_cross_engine_dependency },
	{ "implicit-sync", "SUB-DEP-2",
	  "a job on a shared BO waits for the earlier job writing it (no explicit dependency)",
	  test_implicit_sync },
	{ "implicit-sync-other-file", "SUB-DEP-2",
	  "implicit sync holds through a BO shared with another file by PRIME",
	  test_implicit_sync_other_file },
	{ "bo-wait-idle", "SUB-WAIT-1", "waiting on an idle BO returns at once", test_bo_wait_idle },
	{ "bo-wait-busy", "SUB-WAIT-1",
	  "waiting on a busy BO fails with ETIME at its deadline, then succeeds when idle",
	  test_bo_wait_busy },
	{ "bo-wait-unknown-handle", "SUB-WAIT-1", "waiting on an unknown handle fails with ENOENT",
	  test_bo_wait_unknown_handle },
	{ "bo-wait-nonzero-flags", "SUB-WAIT-1", "unknown wait flags fail with EINVAL",
	  test_bo_wait_nonzero_flags },
	{ "many-in-flight", "SUB-LOAD-1", "256 jobs in flight on one context all run, checked",
	  test_many_in_flight },
	{ "many-clients", "SUB-LOAD-2",
	  "8 processes submit 32 checked jobs each on both engines at once", test_many_clients },
	{ "close-with-jobs-in-flight", "SUB-CLOSE-1 FENCE-NEVERLOST-1",
	  "closing a file with blocked jobs: every fence signals and memory is freed",
	  test_close_with_jobs_in_flight },
	{ "ctx-destroy-with-jobs-in-flight", "SUB-CLOSE-1 FENCE-NEVERLOST-1",
	  "destroying a context with blocked jobs: every fence signals and memory is freed",
	  test_ctx_destroy_with_jobs_in_flight },
	{ "client-exit-with-jobs-in-flight", "SUB-CLOSE-1",
	  "a process exiting with 64 jobs queued leaves no memory behind",
	  test_client_exit_with_jobs_in_flight },
	{ "fdinfo-engine-busy", "SUB-FDINFO-1",
	  "fdinfo drm-engine-* time grows with the file's own jobs only",
	  test_fdinfo_engine_busy },
	{ "submit-nonzero-flags", "SUB-INVAL-1 SUB-INVAL-5", "unknown submit flags: EINVAL",
	  test_bad_flags },
	{ "submit-nonzero-pad", "SUB-INVAL-1 SUB-INVAL-5", "a set padding field: EINVAL",
	  test_bad_pad },
	{ "submit-bad-engine", "SUB-INVAL-1 SUB-INVAL-5", "an unknown engine: EINVAL",
	  test_bad_engine },
	{ "submit-too-many-bos", "SUB-INVAL-1 SUB-INVAL-5",
	  "one BO more than the driver's limit: EINVAL", test_too_many_bos },
	{ "submit-too-many-in-syncs", "SUB-INVAL-1 SUB-INVAL-5",
	  "one input sync more than the driver's limit: EINVAL", test_too_many_in_syncs },
	{ "submit-cmds-empty", "SUB-INVAL-1 SUB-INVAL-5", "an empty command buffer: EINVAL",
	  test_cmds_empty },
	{ "submit-cmds-too-big", "SUB-INVAL-1 SUB-INVAL-5",
	  "a command buffer over the driver's size limit: EINVAL", test_cmds_too_big },
	{ "submit-cmd-truncated", "SUB-INVAL-2 SUB-INVAL-5",
	  "a command cut short by the end of the buffer: EINVAL", test_cmd_truncated },
	{ "submit-cmd-unknown-opcode", "SUB-INVAL-2 SUB-INVAL-5", "an unknown opcode: EINVAL",
	  test_cmd_unknown_opcode },
	{ "submit-cmd-bad-size", "SUB-INVAL-2 SUB-INVAL-5",
	  "a command whose size field does not match its opcode: EINVAL", test_cmd_bad_size },
	{ "submit-cmd-zero-size", "SUB-INVAL-2 SUB-INVAL-5",
	  "a command whose size field is zero: EINVAL, no endless loop", test_cmd_zero_size },
	{ "submit-cmd-nonzero-pad", "SUB-INVAL-2 SUB-INVAL-5",
	  "a set padding field inside a command: EINVAL", test_cmd_nonzero_pad },
	{ "submit-cmd-bad-bo-index", "SUB-INVAL-2 SUB-INVAL-5",
	  "a command naming a BO outside the job's list: EINVAL", test_cmd_bad_bo_index },
	{ "submit-fill-out-of-bounds", "SUB-INVAL-2 SUB-INVAL-5",
	  "a FILL running past the end of its BO: EINVAL", test_fill_out_of_bounds },
	{ "submit-fill-past-end", "SUB-INVAL-2 SUB-INVAL-5",
	  "a FILL starting at the end of its BO: EINVAL", test_fill_past_end },
	{ "submit-fill-offset-overflow", "SUB-INVAL-2 SUB-INVAL-5",
	  "a FILL whose offset + size wraps around 2^64: EINVAL", test_fill_offset_overflow },
	{ "submit-fill-size-overflow", "SUB-INVAL-2 SUB-INVAL-5",
	  "a FILL whose size wraps around 2^64: EINVAL", test_fill_size_overflow },
	{ "submit-fill-misaligned", "SUB-INVAL-2 SUB-INVAL-5",
	  "a FILL at an offset that is not a multiple of 4: EINVAL", test_fill_misaligned },
	{ "submit-fill-zero-size", "SUB-INVAL-2 SUB-INVAL-5", "a FILL of zero bytes: EINVAL",
	  test_fill_zero_size },
	{ "submit-copy-src-out-of-bounds", "SUB-INVAL-2 SUB-INVAL-5",
	  "a COPY reading past its source BO: EINVAL", test_copy_src_out_of_bounds },
	{ "submit-copy-dst-out-of-bounds", "SUB-INVAL-2 SUB-INVAL-5",
	  "a COPY writing past its destination BO: EINVAL", test_copy_dst_out_of_bounds },
	{ "submit-copy-overflow", "SUB-INVAL-2 SUB-INVAL-5",
	  "a COPY whose ranges wrap around 2^64: EINVAL", test_copy_overflow },
	{ "submit-copy-overlap", "SUB-INVAL-2 SUB-INVAL-5",
	  "a COPY between overlapping ranges of one BO: EINVAL", test_copy_overlap },
	{ "submit-copy-on-compute-engine", "SUB-INVAL-2 SUB-INVAL-5",
	  "a COPY sent to the compute engine: EINVAL", test_copy_on_compute_engine },
	{ "submit-timestamp-out-of-bounds", "SUB-INVAL-2 SUB-INVAL-5",
	  "a TIMESTAMP past the end of its BO: EINVAL", test_timestamp_out_of_bounds },
	{ "submit-timestamp-misaligned", "SUB-INVAL-2 SUB-INVAL-5",
	  "a TIMESTAMP at an offset that is not a multiple of 8: EINVAL",
	  test_timestamp_misaligned },
	{ "submit-unknown-ctx", "SUB-INVAL-3 SUB-INVAL-5", "an unknown context id: ENOENT",
	  test_unknown_ctx },
	{ "submit-destroyed-ctx", "SUB-INVAL-3 SUB-INVAL-5", "a destroyed context: ENOENT",
	  test_destroyed_ctx },
	{ "submit-bad-bo-handle", "SUB-INVAL-3 SUB-INVAL-5", "an unknown BO handle: ENOENT",
	  test_bad_bo_handle },
	{ "submit-closed-bo-handle", "SUB-INVAL-3 SUB-INVAL-5", "a closed BO handle: ENOENT",
	  test_closed_bo_handle },
	{ "submit-in-sync-unknown", "SUB-INVAL-3 SUB-INVAL-5",
	  "an unknown input syncobj: ENOENT", test_in_sync_unknown },
	{ "submit-in-sync-no-fence", "SUB-INVAL-3 SUB-INVAL-5",
	  "an input syncobj that has no fence yet: EINVAL", test_in_sync_no_fence },
	{ "submit-in-sync-future-point", "SUB-INVAL-3 SUB-INVAL-5",
	  "an input timeline point not submitted yet: EINVAL", test_in_sync_future_point },
	{ "submit-in-sync-nonzero-flags", "SUB-INVAL-1 SUB-INVAL-5",
	  "unknown input sync flags: EINVAL", test_in_sync_nonzero_flags },
	{ "submit-out-sync-unknown", "SUB-INVAL-3 SUB-INVAL-5",
	  "an unknown output syncobj: ENOENT", test_out_sync_unknown },
	{ "submit-out-sync-nonzero-flags", "SUB-INVAL-1 SUB-INVAL-5",
	  "unknown output sync flags: EINVAL", test_out_sync_nonzero_flags },
	{ "submit-bad-cmds-pointer", "SUB-INVAL-4 SUB-INVAL-5",
	  "an unreadable command buffer pointer: EFAULT", test_bad_cmds_pointer },
	{ "submit-bad-bos-pointer", "SUB-INVAL-4 SUB-INVAL-5",
	  "an unreadable BO list pointer: EFAULT", test_bad_bos_pointer },
	{ "submit-bad-syncs-pointer", "SUB-INVAL-4 SUB-INVAL-5",
	  "an unreadable input sync list pointer: EFAULT", test_bad_syncs_pointer },
};

ACTS_MAIN(tests)
