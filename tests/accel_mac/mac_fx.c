// SPDX-License-Identifier: MIT
/*
 * accel_mac's shared part (mac_fx.h): device requirements, element values,
 * and one MAC command end to end, judged against the host golden model.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_gem.h"
#include "acts_mac.h"
#include "acts_rand.h"
#include "acts_submit.h"
#include "acts_test.h"

#include "mac_fx.h"

/* ---- device requirements ---- */

void require_mac(struct acts_dev *dev, enum acts_mac_dtype t)
{
	uint64_t types = 0;
	int ret;

	acts_require_submit(dev);
	acts_require_engine(dev, ACTS_ENGINE_COMPUTE);
	ret = __acts_query(dev, ACTS_Q_MAC_DTYPES, &types);
	acts_require(ret != -EOPNOTSUPP && types, "the device has no MAC engine");
	acts_assert_ok(ret);
	acts_require(types & (1ull << t), "the device does not run %s MAC commands",
		     acts_mac_dtype_name(t));
}

void require_shape(struct acts_dev *dev, uint32_t m, uint32_t n, uint32_t k)
{
	uint64_t mm = acts_query(dev, ACTS_Q_MAC_MAX_M), mn = acts_query(dev, ACTS_Q_MAC_MAX_N);
	uint64_t mk = acts_query(dev, ACTS_Q_MAC_MAX_K);

	acts_require(m <= mm && n <= mn && k <= mk,
		     "a %ux%ux%u MAC exceeds the device's limits (%" PRIu64 "x%" PRIu64 "x%" PRIu64 ")",
		     m, n, k, mm, mn, mk);
}

/* ---- element values ---- */

static const uint32_t fp32_specials[] = {
	0x00000000, 0x80000000, 0x00000001, 0x80000003, 0x007fffff, 0x00800000, 0x3f800000,
	0xbf800000, 0x3f800001, 0x33800000, 0x4b800001, 0x7f7fffff, 0xff7fffff, 0x7f800000,
	0xff800000, 0x7fc00000, 0xffa00001, 0x1f800000, 0x5f800000, 0x3eaaaaab,
};
static const uint16_t fp16_specials[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0200, 0x0400, 0x3c00, 0xbc00, 0x3c01,
	0x7bff, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfd01, 0x3555, 0x5bff,
};
static const uint16_t bf16_specials[] = {
	0x0000, 0x8000, 0x0001, 0x8001, 0x007f, 0x0080, 0x3f80, 0xbf80, 0x3f81, 0x7f7f,
	0xff7f, 0x7f80, 0xff80, 0x7fc0, 0xff81, 0x3eab, 0x3380, 0x5f80,
};

static const uint8_t int8_extremes[] = { 0x80, 0x7f, 0xff, 0x00, 0x01, 0x81 };
static const uint8_t uint8_extremes[] = { 0xff, 0x80, 0x7f, 0x00, 0x01 };

/* How many special (or, for integers, extreme) values the type has here. */
unsigned int special_count(enum acts_mac_dtype t)
{
	switch (t) {
	case ACTS_MAC_FP16:
		return N_OF(fp16_specials);
	case ACTS_MAC_BF16:
		return N_OF(bf16_specials);
	case ACTS_MAC_FP32:
		return N_OF(fp32_specials);
	case ACTS_MAC_INT8:
		return N_OF(int8_extremes);
	default:
		return N_OF(uint8_extremes);
	}
}

uint32_t special_of(enum acts_mac_dtype t, uint64_t i)
{
	i %= special_count(t);
	switch (t) {
	case ACTS_MAC_FP16:
		return fp16_specials[i];
	case ACTS_MAC_BF16:
		return bf16_specials[i];
	case ACTS_MAC_FP32:
		return fp32_specials[i];
	case ACTS_MAC_INT8:
		return int8_extremes[i];
	default:
		return uint8_extremes[i];
	}
}

/*
 * A random element: any full-precision value whose exponent is within
 * 2^-7..2^7 (so thousands of products sum without overflow), or, with
 * GEN_SPECIAL, a special value half of the time.
 */
static uint32_t element(struct acts_rand *r, enum acts_mac_dtype t, enum gen g)
{
	uint32_t sign = (uint32_t)acts_rand_below(r, 2), e = (uint32_t)acts_rand_below(r, 15);

	if (g == GEN_SPECIAL && acts_rand_below(r, 2))
		return special_of(t, acts_rand_below(r, 64));
	switch (t) {
	case ACTS_MAC_FP16:
		return sign << 15 | (e + 8) << 10 | (acts_rand_u32(r) & 0x3ff);
	case ACTS_MAC_BF16:
		return sign << 15 | (e + 120) << 7 | (acts_rand_u32(r) & 0x7f);
	case ACTS_MAC_FP32:
		return sign << 31 | (e + 120) << 23 | (acts_rand_u32(r) & 0x7fffff);
	default:
		return acts_rand_u32(r) & 0xff;
	}
}

/* An initial C element: an fp32 like the above, or any int32. */
static uint32_t c_element(struct acts_rand *r, enum acts_mac_dtype t)
{
	if (acts_mac_dtype_is_float(t))
		return element(r, ACTS_MAC_FP32, GEN_NORMAL);
	return acts_rand_u32(r);
}

void put(uint8_t *p, uint32_t v, unsigned int size)
{
	memcpy(p, &v, size);	/* little-endian hosts: the low bytes */
}

/* ---- one command, end to end ---- */

void fx_init(struct mac_fx *fx, struct acts_dev *dev, enum acts_mac_dtype t)
{
	require_mac(dev, t);
	memset(fx, 0, sizeof(*fx));
	fx->dev = dev;
	fx->seed = acts_seed();
	fx->rng = acts_rand_init(fx->seed);
	fx->ctx = acts_ctx_create(dev);
	printf("seed %#" PRIx64 " (ACCEL_CTS_SEED=%#" PRIx64 " replays this subtest)\n",
	       fx->seed, fx->seed);
}

void fx_snapshot(struct mac_fx *fx)
{
	unsigned int i;

	for (i = 0; i < fx->nbo; i++) {
		free(fx->before[i]);
		fx->before[i] = malloc(fx->bo[i].size);
		acts_assert(fx->before[i]);
		memcpy(fx->before[i], fx->bo[i].map, fx->bo[i].size);
	}
}

/* Bytes BO i must hold for every matrix the descriptor places in it. */
static uint64_t bo_need(const struct acts_mac *d, uint32_t i)
{
	uint64_t need = 1;

	if (d->a_bo == i && d->a_offset + acts_mac_a_extent(d) > need)
		need = d->a_offset + acts_mac_a_extent(d);
	if (d->b_bo == i && d->b_offset + acts_mac_b_extent(d) > need)
		need = d->b_offset + acts_mac_b_extent(d);
	if (d->c_bo == i && d->c_offset + acts_mac_c_extent(d) > need)
		need = d->c_offset + acts_mac_c_extent(d);
	return need;
}

/*
 * Create nbo BOs for fx->d (its bo indices must be below nbo), fill every
 * byte with noise, then A and B with elements from g and C with initial
 * values, and keep a copy of everything.
 */
void __fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g)
{
	struct acts_mac *d = &fx->d;
	unsigned int es = acts_mac_in_size(d->dtype), i;
	uint32_t r, c;

	fx->nbo = nbo;
	for (i = 0; i < nbo; i++) {
		uint64_t size = (bo_need(d, i) + SZ_4K - 1) / SZ_4K * SZ_4K, j;

		fx->bo[i] = acts_buf_new(fx->dev, size, 0);
		fx->handles[i] = fx->bo[i].handle;
		for (j = 0; j < size; j++)
			fx->bo[i].map[j] = (uint8_t)acts_rand_u32(&fx->rng);
	}
	for (r = 0; r < d->m; r++)
		for (c = 0; c < d->k; c++)
			put(fx->bo[d->a_bo].map + d->a_offset + r * d->a_stride + (uint64_t)c * es,
			    element(&fx->rng, d->dtype, g), es);
	for (r = 0; r < ((d->flags & ACTS_MAC_TRANSPOSE_B) ? d->n : d->k); r++)
		for (c = 0; c < ((d->flags & ACTS_MAC_TRANSPOSE_B) ? d->k : d->n); c++)
			put(fx->bo[d->b_bo].map + d->b_offset + r * d->b_stride + (uint64_t)c * es,
			    element(&fx->rng, d->dtype, g), es);
	for (r = 0; r < d->m; r++)
		for (c = 0; c < d->n; c++)
			put(fx->bo[d->c_bo].map + d->c_offset + r * d->c_stride + (uint64_t)c * 4,
			    c_element(&fx->rng, d->dtype), 4);
	fx_snapshot(fx);
}

void fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g)
{
	require_shape(fx->dev, fx->d.m, fx->d.n, fx->d.k);
	__fx_place(fx, nbo, g);
}

void fx_fini(struct mac_fx *fx)
{
	unsigned int i;

	for (i = 0; i < fx->nbo; i++) {
		acts_buf_free(&fx->bo[i]);
		free(fx->before[i]);
		fx->before[i] = NULL;
	}
	fx->nbo = 0;
}

int fx_submit(struct mac_fx *fx, enum acts_engine engine, struct acts_fence *fence)
{
	struct acts_cmd cmd = { .op = ACTS_CMD_MAC, .mac = fx->d };
	struct acts_job job = {
		.ctx = fx->ctx, .engine = engine, .cmds = &cmd, .ncmds = 1,
		.bos = fx->handles, .nbos = fx->nbo,
	};
	int ret = __acts_submit(fx->dev, &job);

	*fence = job.fence;
	return ret;
}

static void describe(const struct mac_fx *fx, char *buf, size_t len)
{
	const struct acts_mac *d = &fx->d;

	snprintf(buf, len, "seed %#" PRIx64 ", %s %ux%ux%u%s%s", fx->seed,
		 acts_mac_dtype_name(d->dtype), d->m, d->n, d->k,
		 (d->flags & ACTS_MAC_ACCUMULATE) ? " accumulate" : "",
		 (d->flags & ACTS_MAC_TRANSPOSE_B) ? " transposed-B" : "");
}

/* Is byte o of C's BO part of a C element? */
static bool in_c(const struct acts_mac *d, uint64_t o)
{
	uint64_t rel;

	if (o < d->c_offset)
		return false;
	rel = o - d->c_offset;
	return rel / d->c_stride < d->m && rel % d->c_stride < (uint64_t)d->n * 4;
}

/*
 * Run fx->d, then judge: C against the golden model, every other byte of
 * every BO unchanged.
 */
void fx_run_and_check(struct mac_fx *fx)
{
	const struct acts_mac *d = &fx->d;
	bool exact = acts_mac_bit_exact(fx->dev);
	uint8_t *want[3] = { 0 };
	struct acts_mac_verdict v;
	struct acts_fence out;
	char what[160];
	unsigned int i;
	uint64_t o;
	int status;

	describe(fx, what, sizeof(what));
	acts_assert_ok(fx_submit(fx, ACTS_ENGINE_COMPUTE, &out));
	status = acts_fence_wait_status(fx->dev, &out);
	if (status != 1)
		acts_fail("%s: the MAC job's fence ended with %s", what, acts_errno_name(status));
	acts_fence_release(fx->dev, &out);

	for (i = 0; i < fx->nbo; i++) {
		want[i] = malloc(fx->bo[i].size);
		acts_assert(want[i]);
		memcpy(want[i], fx->before[i], fx->bo[i].size);
	}
	acts_mac_golden(d, want[d->a_bo], want[d->b_bo], want[d->c_bo]);
	acts_mac_judge(d, exact, fx->before[d->a_bo], fx->before[d->b_bo], fx->before[d->c_bo],
		       want[d->c_bo], fx->bo[d->c_bo].map, &v);
	if (v.bad) {
		bool fp = acts_mac_dtype_is_float(d->dtype);

		acts_fail("%s: C[%u][%u] is %#010x (%.9g), expected %#010x (%.9g)%s; %" PRIu64
			  " of %" PRIu64 " elements wrong; largest error %" PRIu64 " ulp%s",
			  what, v.i, v.j, v.got, fp ? acts_f32(v.got) : (double)(int32_t)v.got,
			  v.want, fp ? acts_f32(v.want) : (double)(int32_t)v.want,
			  exact ? " bit for bit" : " within the profile's bound", v.bad,
			  (uint64_t)d->m * d->n, v.max_ulp, fp ? "" : " (integers: exact)");
	}
	if (!exact && acts_mac_dtype_is_float(d->dtype))
		printf("%s: largest error %" PRIu64 " ulp from the golden model\n", what,
		       v.max_ulp);

	for (i = 0; i < fx->nbo; i++) {
		for (o = 0; o < fx->bo[i].size; o++) {
			if (i == d->c_bo && in_c(d, o))
				continue;
			if (fx->bo[i].map[o] != fx->before[i][o])
				acts_fail("%s: byte %" PRIu64 " of BO %u, outside C, changed from "
					  "%#x to %#x", what, o, i, fx->before[i][o],
					  fx->bo[i].map[o]);
		}
		free(want[i]);
	}
}

/* Packed row-major matrices, each in its own BO, for the common cases. */
void fx_packed(struct mac_fx *fx, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
		      uint32_t n, uint32_t k)
{
	unsigned int es = acts_mac_in_size(t);

	fx->d = (struct acts_mac){
		.dtype = t, .flags = flags, .m = m, .n = n, .k = k,
		.a_bo = 0, .b_bo = 1, .c_bo = 2,
		.a_stride = (uint64_t)k * es,
		.b_stride = (uint64_t)((flags & ACTS_MAC_TRANSPOSE_B) ? k : n) * es,
		.c_stride = (uint64_t)n * 4,
	};
}

void run_packed(struct acts_dev *dev, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
		       uint32_t n, uint32_t k, enum gen g)
{
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, flags, m, n, k);
	fx_place(&fx, 3, g);
	fx_run_and_check(&fx);
	fx_fini(&fx);
}
