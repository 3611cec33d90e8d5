// SPDX-License-Identifier: MIT
/*
 * accel_isolation, contexts: a tenant guesses every context id from 1 to
 * far past another tenant's highest and past the driver's per-file limit,
 * submitting on each and destroying each. Every guess is refused (ENOENT),
 * and the owner's contexts all still run its jobs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"
#include "iso.h"

#define NCTX	8

struct victim {
	uint32_t ctx[NCTX];
	uint32_t max_id;
	struct acts_buf b;
};

static uint64_t victim_make(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	uint64_t limit = 0;
	int i;

	v->max_id = 0;
	for (i = 0; i < NCTX; i++) {
		v->ctx[i] = acts_ctx_create(dev);
		if (v->ctx[i] > v->max_id)
			v->max_id = v->ctx[i];
	}
	/* Past the most a file may hold too: a guess at the next tenant's ids. */
	if (!__acts_query(dev, ACTS_Q_MAX_CONTEXTS, &limit) && limit > v->max_id)
		v->max_id = (uint32_t)limit;
	v->b = acts_buf_new(dev, NCTX * SZ_4K, 0);
	return v->max_id;
}

/* Each context runs a FILL of its own page: none was destroyed or taken. */
static void victim_check(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	for (i = 0; i < NCTX; i++) {
		struct acts_cmd fill = { .op = ACTS_CMD_FILL, .offset = (uint64_t)i * SZ_4K,
					 .size = SZ_4K, .value = 0xc0de0000u + i };
		struct acts_fence f = acts_submit_simple(dev, v->ctx[i], ACTS_ENGINE_COMPUTE,
							 &fill, 1, &v->b.handle, 1);

		acts_expect_eq(acts_fence_wait_status(dev, &f), 1);
		acts_fence_release(dev, &f);
		acts_buf_expect_u32(&v->b, (uint64_t)i * SZ_4K, SZ_4K, 0xc0de0000u + i);
		acts_ctx_destroy(dev, v->ctx[i]);
	}
	acts_buf_free(&v->b);
}

static void sweep(struct acts_dev *a, uint64_t max)
{
	struct iso_tally sub = ISO_TALLY("ISO-CTX-1", "submit");
	struct iso_tally des = ISO_TALLY("ISO-CTX-1", "destroy");
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	uint64_t id, last = (uint64_t)max + ISO_HANDLE_SWEEP;

	for (id = 1; id <= last + ISO_NTOP; id++) {
		uint32_t g = id <= last ? (uint32_t)id : iso_top[id - last - 1];
		struct acts_job j = { .ctx = g, .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop,
				      .ncmds = 1 };
		int ret = __acts_submit(a, &j);

		iso_tally(&sub, g, ret);
		if (!ret) {
			acts_fence_wait_status(a, &j.fence);
			acts_fence_release(a, &j.fence);
		}
		iso_tally(&des, g, __acts_ctx_destroy(a, g));
	}
	iso_tally_report(&sub);
	iso_tally_report(&des);
}

static void require(struct acts_dev *dev)
{
	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
}

static struct victim victim;
static const struct iso_sweep guesses = {
	.victim = &victim, .make = victim_make, .sweep = sweep, .check = victim_check,
};

ACTS_SUBTEST(contexts_other_file, "ISO-CTX-1 SUB-CTX-3",
	     "another open file guessing every context id can neither submit on nor destroy one")
{
	require(dev);
	iso_sweep_other_file(dev, &guesses);
}

ACTS_SUBTEST(contexts_other_process, "ISO-CTX-1 SUB-CTX-3",
	     "another process guessing every context id can neither submit on nor destroy one")
{
	require(dev);
	iso_sweep_other_process(dev, &guesses);
}
