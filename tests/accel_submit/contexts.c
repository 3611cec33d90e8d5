// SPDX-License-Identifier: MIT
/*
 * accel_submit, contexts: ids, priorities, refusals, isolation between
 * files, many at once.
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

ACTS_SUBTEST(ctx_create_destroy, "SUB-CTX-1",
	     "two contexts get distinct ids; each can be destroyed once, then ENOENT")
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

ACTS_SUBTEST(ctx_destroy_unknown, "SUB-CTX-1",
	     "destroying an unknown context id fails with ENOENT")
{
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_assert_err(__acts_ctx_destroy(dev, 0xdead), -ENOENT);
	acts_assert_err(__acts_ctx_destroy(dev, 0), -ENOENT);
}

ACTS_SUBTEST(ctx_destroy_nonzero_pad, "SUB-CTX-2",
	     "destroying with a padding field set fails with EINVAL and keeps the context")
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

ACTS_SUBTEST(ctx_create_bad_priority, "SUB-CTX-2",
	     "an unknown priority is refused with EINVAL")
{
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_INVALID });
}

ACTS_SUBTEST(ctx_create_nonzero_flags, "SUB-CTX-2",
	     "unknown context flags are refused with EINVAL")
{
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_NORMAL,
							   .flags = 1u << 31 });
}

ACTS_SUBTEST(ctx_create_nonzero_pad, "SUB-CTX-2",
	     "each padding field set alone is refused with EINVAL")
{
	unsigned int field;

	/* The shape first: without contexts the rule does not apply (docs/CERTIFY.md). */
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	for (field = 0;; field++) {
		struct acts_ctx_create c = { .priority = ACTS_PRIO_NORMAL, .pad = 1,
					     .pad_field = field };
		int ret = __acts_ctx_create(dev, &c);

		if (ret == -ERANGE && field)
			break;	/* the backend has no padding field of this number */
		if (ret != -EINVAL)
			acts_fail("padding field %u set: %s, expected EINVAL", field,
				  ret ? acts_errno_name(ret) : "a context was created");
		acts_info("padding field %u set: refused\n", field);
	}
	ctx_create_refused(dev, &(struct acts_ctx_create){ .priority = ACTS_PRIO_NORMAL,
							   .pad = 1 });
}

ACTS_SUBTEST(ctx_priorities, "SUB-CTX-1",
	     "contexts of every priority run jobs")
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

ACTS_SUBTEST(ctx_other_file, "SUB-CTX-3",
	     "another open file can neither submit on nor destroy a file's context")
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

ACTS_SUBTEST(ctx_many, "SUB-CTX-4 SUB-LOAD-2",
	     "64 contexts of one file each run a checked fill")
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

ACTS_SUBTEST(ctx_create_failed_output_untouched, "CORE-OUTPUT-1 SUB-CTX-2",
	     "a refused context create leaves its id output as the caller set it")
{
	struct acts_ctx_create bad[] = {
		{ .priority = ACTS_PRIO_INVALID },
		{ .priority = ACTS_PRIO_NORMAL, .flags = 1u << 31 },
		{ .priority = ACTS_PRIO_NORMAL, .pad = 1 },
	};
	unsigned int i, n = acts_has_cap(dev, ACTS_CAP_PAD_FIELDS) ? 3 : 2;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_failed_outputs(dev);
	for (i = 0; i < n; i++) {
		bad[i].id = 0xa5a5a5a5u;
		acts_assert_err(__acts_ctx_create(dev, &bad[i]), -EINVAL);
		acts_assert_eq(bad[i].id, 0xa5a5a5a5u);
	}
}

ACTS_SUBTEST(ctx_max, "SUB-CTX-5 CORE-OUTPUT-1",
	     "a file holds exactly as many contexts as the driver reports; the last runs, one more is refused")
{
	struct acts_ctx_create more = { .priority = ACTS_PRIO_NORMAL, .id = 0xa5a5a5a5u };
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0xc0de };
	struct acts_fence out;
	struct acts_buf b;
	uint32_t *ctx;
	uint64_t max, i;
	int ret;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	max = acts_require_query(dev, ACTS_Q_MAX_CONTEXTS);
	acts_assert_gte_u64(max, 64);
	acts_assert_lte_u64(max, 1u << 16);
	ctx = calloc(max, sizeof(*ctx));
	acts_assert(ctx);
	for (i = 0; i < max; i++) {
		struct acts_ctx_create c = { .priority = ACTS_PRIO_NORMAL };

		ret = __acts_ctx_create(dev, &c);
		if (ret)
			acts_fail("context %llu of the %llu the driver reports: %s",
				  (unsigned long long)i + 1, (unsigned long long)max,
				  acts_errno_name(ret));
		ctx[i] = c.id;
	}
	/* The limit-th context works. */
	b = acts_buf_new(dev, SZ_4K, BG);
	out = acts_submit_simple(dev, ctx[max - 1], ACTS_ENGINE_COMPUTE, &fill, 1, &b.handle, 1);
	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_buf_assert_u32(&b, 0, SZ_4K, 0xc0de);
	/* One more is refused, writing no id, and destroying one makes room. */
	acts_assert_err(__acts_ctx_create(dev, &more), -ENOSPC, -EBUSY, -ENOMEM);
	if (acts_has_failed_outputs(dev))
		acts_assert_eq(more.id, 0xa5a5a5a5u);
	acts_ctx_destroy(dev, ctx[0]);
	ctx[0] = acts_ctx_create(dev);
	for (i = 0; i < max; i++)
		acts_ctx_destroy(dev, ctx[i]);
	free(ctx);
	acts_buf_free(&b);
}
