// SPDX-License-Identifier: MIT
/*
 * Jobs that run far longer than a job timeout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "acts_assert.h"
#include "acts_gem.h"
#include "acts_longjob.h"
#include "acts_submit.h"
#include "acts_test.h"

#define SZ_1M (1024u * 1024u)

unsigned int acts_stop_bound_ms(void)
{
	const char *s = getenv("ACCEL_CTS_STOP_BOUND_MS");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 ? (unsigned int)v : 3000;
}

static uint64_t query_or(struct acts_dev *dev, enum acts_query q, uint64_t fallback)
{
	uint64_t v;

	return __acts_query(dev, q, &v) ? fallback : v;
}

/*
 * An int8 MAC of m x n x k: m*n*k multiply-adds, 2^35 with the sizes below:
 * minutes for a CPU, and still far more than a NOP for real silicon.
 */
static int longjob_mac(struct acts_dev *dev, struct acts_longjob *lj)
{
	uint64_t dtypes = query_or(dev, ACTS_Q_MAC_DTYPES, 0);
	uint64_t max_m = query_or(dev, ACTS_Q_MAC_MAX_M, 0);
	uint64_t max_n = query_or(dev, ACTS_Q_MAC_MAX_N, 0);
	uint64_t max_k = query_or(dev, ACTS_Q_MAC_MAX_K, 0);
	uint64_t max_bo = query_or(dev, ACTS_Q_MAX_BO_SIZE, UINT64_MAX);
	uint32_t m = max_m < 1024 ? (uint32_t)max_m : 1024;
	uint32_t n = max_n < 1024 ? (uint32_t)max_n : 1024;
	uint32_t k = max_k < 32768 ? (uint32_t)max_k : 32768;
	struct acts_mac *mac;

	if (!(dtypes & (1u << ACTS_MAC_INT8)) || !m || !n || !k)
		return -EOPNOTSUPP;
	if ((uint64_t)m * k > max_bo || (uint64_t)k * n > max_bo || (uint64_t)m * n * 4 > max_bo)
		return -EOPNOTSUPP;

	lj->bos[0] = acts_bo_create(dev, (uint64_t)m * k);
	lj->bos[1] = acts_bo_create(dev, (uint64_t)k * n);
	lj->bos[2] = acts_bo_create(dev, (uint64_t)m * n * 4);
	lj->nbos = 3;
	lj->cmds = calloc(1, sizeof(*lj->cmds));
	acts_assert(lj->cmds);
	lj->ncmds = 1;
	lj->cmds[0].op = ACTS_CMD_MAC;
	mac = &lj->cmds[0].mac;
	*mac = (struct acts_mac){
		.dtype = ACTS_MAC_INT8, .m = m, .n = n, .k = k,
		.a_bo = 0, .b_bo = 1, .c_bo = 2,
		.a_stride = k, .b_stride = n, .c_stride = (uint64_t)n * 4,
	};
	snprintf(lj->what, sizeof(lj->what), "a %ux%ux%u int8 MAC", m, n, k);
	return 0;
}

/* FILLs of one large BO, as many as a command buffer of the driver holds. */
static void longjob_fill(struct acts_dev *dev, struct acts_longjob *lj)
{
	uint64_t size = query_or(dev, ACTS_Q_MAX_BO_SIZE, 64 * SZ_1M);
	unsigned int i, n = 2048;

	if (size > 64 * SZ_1M)
		size = 64 * SZ_1M;
	size &= ~(uint64_t)4095;
	lj->bos[0] = acts_bo_create(dev, size);
	lj->nbos = 1;
	lj->cmds = calloc(n, sizeof(*lj->cmds));
	acts_assert(lj->cmds);
	for (i = 0; i < n; i++)
		lj->cmds[i] = (struct acts_cmd){ .op = ACTS_CMD_FILL, .size = size, .value = i };
	/* Fewer when the driver's command buffer limit says so: found at submission. */
	lj->ncmds = n;
	snprintf(lj->what, sizeof(lj->what), "%u FILLs of %llu MiB", n,
		 (unsigned long long)(size / SZ_1M));
}

void acts_longjob_init(struct acts_dev *dev, struct acts_longjob *lj)
{
	*lj = (struct acts_longjob){ .dev = dev, .engine = ACTS_ENGINE_COMPUTE };
	acts_require_submit(dev);
	if (longjob_mac(dev, lj))
		longjob_fill(dev, lj);
}

struct acts_fence acts_longjob_submit(struct acts_longjob *lj, uint32_t ctx)
{
	struct acts_job job = {
		.ctx = ctx, .engine = lj->engine, .cmds = lj->cmds, .ncmds = lj->ncmds,
		.bos = lj->bos, .nbos = lj->nbos,
	};
	int ret;

	/* Halve a FILL list until the driver's command buffer limit takes it. */
	while ((ret = __acts_submit(lj->dev, &job)) == -EINVAL && job.ncmds > 64 &&
	       lj->cmds[0].op == ACTS_CMD_FILL)
		job.ncmds /= 2;
	acts_assert_ok(ret);
	lj->ncmds = job.ncmds;
	return job.fence;
}

void acts_longjob_fini(struct acts_longjob *lj)
{
	unsigned int i;

	for (i = 0; i < lj->nbos; i++)
		acts_gem_close(lj->dev, lj->bos[i]);
	free(lj->cmds);
	lj->cmds = NULL;
}
