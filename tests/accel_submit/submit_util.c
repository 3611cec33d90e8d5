// SPDX-License-Identifier: MIT
/*
 * What the accel_submit sources share.
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

uint64_t read_u64(const struct acts_buf *b, uint64_t off)
{
	uint64_t v;

	memcpy(&v, b->map + off, 8);
	return v;
}

int mem_used(struct acts_dev *dev, uint64_t *v)
{
	return __acts_query(dev, ACTS_Q_MEM_USED, v);
}

void expect_mem_back(struct acts_dev *dev, uint64_t base)
{
	acts_assert_eq_u64(acts_mem_used_after_jobs(dev, base), base);
}

void expect_nop_runs(struct acts_dev *dev)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence out;
	uint32_t ctx;

	acts_require_submit(dev);
	ctx = acts_ctx_create(dev);
	out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_fence_release(dev, &out);
	acts_ctx_destroy(dev, ctx);
}

ACTS_MAIN()
