// SPDX-License-Identifier: MIT
/*
 * accel_submit, limits from inside: a job at exactly each limit the driver
 * reports (BOs, input syncs, commands), ranges that end exactly at the end
 * of their BO, and one BO listed under two indices. The limit + 1 cases
 * are malformed.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Limits past this are too large to reach in a subtest. */
#define LIMIT_REACHABLE 4096

ACTS_SUBTEST(submit_max_bos, "SUB-LIMIT-1",
	     "a job listing exactly the driver's most BOs runs and writes every one of them")
{
	struct acts_buf *b;
	struct acts_cmd *cmds;
	uint32_t *bos;
	struct acts_fence out;
	uint64_t max, i;

	acts_require_submit(dev);
	max = acts_require_query(dev, ACTS_Q_MAX_JOB_BOS);
	acts_assert_gt(max, 0);
	acts_assert_lte_u64(max, LIMIT_REACHABLE);
	b = calloc(max, sizeof(*b));
	cmds = calloc(max, sizeof(*cmds));
	bos = calloc(max, sizeof(*bos));
	acts_assert(b && cmds && bos);
	for (i = 0; i < max; i++) {
		b[i] = acts_buf_new(dev, SZ_4K, BG);
		bos[i] = b[i].handle;
		cmds[i] = (struct acts_cmd){ .op = ACTS_CMD_FILL, .bo = (uint32_t)i, .size = SZ_4K,
					     .value = 0x5100u + (uint32_t)i };
	}
	out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, cmds,
				 (unsigned int)max, bos, (unsigned int)max);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	for (i = 0; i < max; i++)
		acts_buf_assert_u32(&b[i], 0, SZ_4K, 0x5100u + (uint32_t)i);
	acts_fence_release(dev, &out);
	for (i = 0; i < max; i++)
		acts_buf_free(&b[i]);
	free(b);
	free(cmds);
	free(bos);
}

ACTS_SUBTEST(submit_max_in_syncs, "SUB-LIMIT-1 SUB-DEP-1",
	     "a job with exactly the driver's most input syncs runs, and waits for the last of them")
{
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x5e00 };
	struct acts_ufence uf;
	struct acts_sync *in;
	struct acts_buf b;
	struct acts_job job;
	bool held;
	uint64_t max, i;

	acts_require_submit(dev);
	acts_require_job_syncobjs(dev);
	max = acts_require_query(dev, ACTS_Q_MAX_JOB_SYNCS);
	acts_assert_gt(max, 0);
	acts_assert_lte_u64(max, LIMIT_REACHABLE);
	in = calloc(max, sizeof(*in));
	acts_assert(in);
	b = acts_buf_new(dev, SZ_4K, BG);
	for (i = 0; i < max; i++)
		in[i] = (struct acts_sync){ .handle = acts_syncobj_create(dev, true) };
	/* The last one held back, where the machine can: the job must wait for it. */
	held = !__acts_ufence_create(&uf);
	if (held)
		in[max - 1].handle = acts_ufence_syncobj(dev, &uf);
	job = (struct acts_job){
		.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE, .cmds = &fill,
		.ncmds = 1, .bos = &b.handle, .nbos = 1, .in = in, .nin = (unsigned int)max,
	};
	acts_submit(dev, &job);
	if (held) {
		usleep(100 * 1000);
		acts_assert(!acts_fence_signalled(dev, &job.fence));
		acts_buf_assert_bytes(&b, 0, SZ_4K, BG);
		acts_ufence_signal(&uf);
	}
	acts_assert_eq(acts_fence_wait_status(dev, &job.fence), 1);
	acts_buf_assert_u32(&b, 0, SZ_4K, fill.value);
	acts_fence_release(dev, &job.fence);
	if (held)
		acts_ufence_destroy(&uf);
	acts_buf_free(&b);
	free(in);
}

ACTS_SUBTEST(submit_max_cmds, "SUB-LIMIT-1 SUB-INVAL-1",
	     "a command buffer of exactly the driver's largest size runs every command; one more is refused")
{
	struct acts_cmd *cmds;
	struct acts_buf b;
	struct acts_job job;
	uint64_t max, i;
	int ret;

	acts_require_submit(dev);
	max = acts_require_query(dev, ACTS_Q_MAX_JOB_FILLS);
	acts_assert_gt(max, 0);
	acts_assert_lte_u64(max, 1u << 16);
	cmds = calloc(max + 1, sizeof(*cmds));
	acts_assert(cmds);
	/* Each FILL writes one word of its own: every command must have run. */
	b = acts_buf_new(dev, ((max + 1) * 4 + SZ_4K - 1) / SZ_4K * SZ_4K, BG);
	for (i = 0; i <= max; i++)
		cmds[i] = (struct acts_cmd){ .op = ACTS_CMD_FILL, .offset = i * 4, .size = 4,
					     .value = 0x70000000u + (uint32_t)i };
	job = (struct acts_job){
		.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE, .cmds = cmds,
		.ncmds = (unsigned int)max + 1, .bos = &b.handle, .nbos = 1,
	};
	/* One command more than the limit first: refused, nothing written. */
	ret = __acts_submit(dev, &job);
	if (!ret)
		acts_fail("%llu FILL commands, one more than the limit, were accepted",
			  (unsigned long long)max + 1);
	acts_assert_rule(dev, "SUB-INVAL-1", "over-limit", ret);
	acts_buf_assert_bytes(&b, 0, b.size, BG);
	job.ncmds = (unsigned int)max;
	acts_submit(dev, &job);
	acts_assert_eq(acts_fence_wait_status(dev, &job.fence), 1);
	for (i = 0; i < max; i++)
		acts_buf_assert_u32(&b, i * 4, 4, 0x70000000u + (uint32_t)i);
	acts_buf_assert_bytes(&b, max * 4, b.size - max * 4, BG);
	acts_fence_release(dev, &job.fence);
	acts_buf_free(&b);
	free(cmds);
}

/* Run cmd over bos on engine e; it must complete without error. */
static void run_one(struct acts_dev *dev, enum acts_engine e, const struct acts_cmd *cmd,
		    const uint32_t *bos, unsigned int nbos)
{
	struct acts_fence out = acts_submit_simple(dev, acts_ctx_create(dev), e, cmd, 1, bos, nbos);

	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_fence_release(dev, &out);
}

ACTS_SUBTEST(fill_at_bo_end, "SUB-LIMIT-2 SUB-JOB-2",
	     "a FILL whose range ends exactly at the end of its BO runs")
{
	struct acts_buf b;
	struct acts_cmd cmd;

	acts_require_submit(dev);
	b = acts_buf_new(dev, 2 * SZ_4K, BG);
	cmd = (struct acts_cmd){ .op = ACTS_CMD_FILL, .offset = SZ_4K + 12, .size = SZ_4K - 12,
				 .value = 0xe0de0de0 };
	run_one(dev, ACTS_ENGINE_COMPUTE, &cmd, &b.handle, 1);
	acts_buf_assert_bytes(&b, 0, SZ_4K + 12, BG);
	acts_buf_assert_u32(&b, SZ_4K + 12, SZ_4K - 12, 0xe0de0de0);
	/* The last word alone. */
	cmd = (struct acts_cmd){ .op = ACTS_CMD_FILL, .offset = 2 * SZ_4K - 4, .size = 4,
				 .value = 0x1a57 };
	run_one(dev, ACTS_ENGINE_COMPUTE, &cmd, &b.handle, 1);
	acts_buf_assert_u32(&b, 2 * SZ_4K - 4, 4, 0x1a57);
	acts_buf_free(&b);
}

ACTS_SUBTEST(copy_at_bo_end, "SUB-LIMIT-2 SUB-JOB-3",
	     "a COPY whose source and destination ranges end exactly at the ends of their BOs runs")
{
	struct acts_buf src, dst;
	struct acts_cmd cmd;
	uint32_t bos[2];
	uint64_t i;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	src = acts_buf_new(dev, 2 * SZ_4K, 0);
	dst = acts_buf_new(dev, 3 * SZ_4K, BG);
	for (i = 0; i < src.size; i++)
		src.map[i] = (uint8_t)(i * 7 + 1);
	bos[0] = src.handle;
	bos[1] = dst.handle;
	/* 1000 bytes from the end of one BO to the end of the other. */
	cmd = (struct acts_cmd){ .op = ACTS_CMD_COPY, .src = 0, .bo = 1,
				 .src_offset = src.size - 1000, .offset = dst.size - 1000,
				 .size = 1000 };
	run_one(dev, ACTS_ENGINE_COPY, &cmd, bos, 2);
	acts_buf_assert_same(&dst, dst.size - 1000, &src, src.size - 1000, 1000);
	acts_buf_assert_bytes(&dst, 0, dst.size - 1000, BG);
	acts_buf_free(&src);
	acts_buf_free(&dst);
}

ACTS_SUBTEST(timestamp_at_bo_end, "SUB-LIMIT-2 SUB-JOB-4",
	     "a TIMESTAMP into the last 8 bytes of its BO runs")
{
	struct acts_buf b;
	struct acts_cmd cmd;

	acts_require_submit(dev);
	b = acts_buf_new(dev, SZ_4K, 0);
	cmd = (struct acts_cmd){ .op = ACTS_CMD_TIMESTAMP, .offset = SZ_4K - 8 };
	run_one(dev, ACTS_ENGINE_COMPUTE, &cmd, &b.handle, 1);
	acts_assert_neq(read_u64(&b, SZ_4K - 8), 0);
	acts_buf_assert_bytes(&b, 0, SZ_4K - 8, 0);
	acts_buf_free(&b);
}

ACTS_SUBTEST(bo_listed_twice, "SUB-JOB-5 SUB-JOB-2",
	     "a job may list one BO under two indices; writes through each land in it")
{
	struct acts_cmd cmds[2] = {
		{ .op = ACTS_CMD_FILL, .bo = 0, .size = SZ_4K, .value = 0x1d0 },
		{ .op = ACTS_CMD_FILL, .bo = 1, .offset = SZ_4K, .size = SZ_4K, .value = 0x1d1 },
	};
	struct acts_fence out;
	struct acts_buf b;
	uint32_t bos[2];

	acts_require_submit(dev);
	b = acts_buf_new(dev, 3 * SZ_4K, BG);
	bos[0] = bos[1] = b.handle;
	out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, cmds, 2, bos, 2);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_u32(&b, 0, SZ_4K, 0x1d0);
	acts_buf_assert_u32(&b, SZ_4K, SZ_4K, 0x1d1);
	acts_buf_assert_bytes(&b, 2 * SZ_4K, SZ_4K, BG);
	acts_assert_ok(__acts_bo_wait(dev, b.handle, acts_deadline_ms(acts_fence_timeout_ms())));
	acts_fence_release(dev, &out);
	acts_buf_free(&b);
}

ACTS_SUBTEST(copy_bo_listed_twice, "SUB-JOB-5 SUB-JOB-3",
	     "a COPY between two indices of one BO copies its disjoint ranges")
{
	struct acts_cmd cmd = { .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .src_offset = 100,
				.offset = 2 * SZ_4K + 100, .size = SZ_4K };
	struct acts_buf b;
	uint32_t bos[2];
	uint64_t i;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	b = acts_buf_new(dev, 4 * SZ_4K, BG);
	for (i = 0; i < 2 * SZ_4K; i++)
		b.map[i] = (uint8_t)(i * 13 + 5);
	bos[0] = bos[1] = b.handle;
	run_one(dev, ACTS_ENGINE_COPY, &cmd, bos, 2);
	for (i = 0; i < SZ_4K; i++)
		if (b.map[2 * SZ_4K + 100 + i] != (uint8_t)((i + 100) * 13 + 5))
			acts_fail("byte %llu of the copy is %#x, expected %#x",
				  (unsigned long long)i, b.map[2 * SZ_4K + 100 + i],
				  (uint8_t)((i + 100) * 13 + 5));
	acts_buf_assert_bytes(&b, 2 * SZ_4K, 100, BG);
	acts_buf_assert_bytes(&b, 3 * SZ_4K + 100, SZ_4K - 100, BG);
	acts_buf_free(&b);
}
