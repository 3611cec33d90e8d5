// SPDX-License-Identifier: MIT
/*
 * accel_submit, valid jobs: each command of the profile runs on each
 * engine that takes it, with its result checked byte for byte and nothing
 * written outside its range.
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

ACTS_SUBTEST(nop, "SUB-JOB-1",
	     "a NOP job completes and its fence signals without error")
{
	expect_nop_runs(dev);
}

ACTS_SUBTEST(nop_each_engine, "SUB-JOB-1",
	     "a NOP job completes on every engine (one dynamic subtest per engine)")
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	uint32_t ctx;
	int e;

	acts_require_submit(dev);
	ctx = acts_ctx_create(dev);
	for (e = 0; e < ACTS_ENGINE_COUNT; e++) {
		acts_dynamic(acts_engine_name(e)) {
			struct acts_fence out;

			acts_require_engine(dev, e);
			out = acts_submit_simple(dev, ctx, e, &nop, 1, NULL, 0);
			acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
		}
	}
}

ACTS_SUBTEST(seqno_increasing, "SUB-JOB-1",
	     "sequence numbers increase along a context")
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

ACTS_SUBTEST(fill, "SUB-JOB-2",
	     "FILL writes its pattern exactly over its range, across pages")
{
	fill_and_check(dev, ACTS_ENGINE_COMPUTE, SZ_64K, 4, SZ_4K * 3 + 8, 0x12345678);
}

ACTS_SUBTEST(fill_copy_engine, "SUB-JOB-2",
	     "FILL works on the copy engine too")
{
	fill_and_check(dev, ACTS_ENGINE_COPY, SZ_64K, SZ_4K - 4, 12, 0xdeadbeef);
}

ACTS_SUBTEST(fill_large, "SUB-JOB-2",
	     "FILL of 8 MiB is complete and exact")
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

ACTS_SUBTEST(copy, "SUB-JOB-3",
	     "COPY of a whole 64 KiB BO is byte-exact")
{
	copy_and_check(dev, SZ_64K, 0, 0, SZ_64K);
}

ACTS_SUBTEST(copy_offsets, "SUB-JOB-3",
	     "COPY at odd offsets and length is byte-exact and touches nothing else")
{
	/* Odd offsets and length, crossing pages at different points. */
	copy_and_check(dev, SZ_64K, 4093, 3, 3 * SZ_4K + 7);
}

ACTS_SUBTEST(copy_large, "SUB-JOB-3",
	     "COPY of 16 MiB between misaligned offsets is byte-exact")
{
	copy_and_check(dev, 16 * SZ_1M, 1, 4097, 16 * SZ_1M - 8192);
}

ACTS_SUBTEST(copy_within_bo, "SUB-JOB-3",
	     "COPY between two ranges of one BO")
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


ACTS_SUBTEST(timestamp, "SUB-JOB-4",
	     "TIMESTAMP writes 64-bit device times that increase and fall inside the job's window")
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
