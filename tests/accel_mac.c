// SPDX-License-Identifier: MIT
/*
 * accel_mac: the profile's compute level. Does the device compute the right
 * numbers? Every MAC command's result is held against the host golden model
 * (lib/acts_mac.c): bit for bit on a driver that implements the contract,
 * within the documented error bound on others. Every byte the command must
 * not write is checked too, and malformed descriptors are refused with no
 * effect. Inputs come from a seed printed by each subtest: ACCEL_CTS_SEED
 * replays a failure.
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

#define SZ_4K	4096u

/* How the elements of A and B are drawn. */
enum gen {
	GEN_NORMAL,	/* full-precision values in a range where sums stay finite */
	GEN_SPECIAL,	/* half of them special values of the type */
};

/* A MAC command, its BOs, and their bytes before it ran. */
struct mac_fx {
	struct acts_dev *dev;
	uint64_t seed;
	struct acts_rand rng;
	struct acts_mac d;
	struct acts_buf bo[3];
	uint32_t handles[3];
	uint8_t *before[3];
	unsigned int nbo;
	uint32_t ctx;
};

/* ---- device requirements ---- */

static void require_mac(struct acts_dev *dev, enum acts_mac_dtype t)
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

static void require_shape(struct acts_dev *dev, uint32_t m, uint32_t n, uint32_t k)
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

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* How many special (or, for integers, extreme) values the type has here. */
static unsigned int special_count(enum acts_mac_dtype t)
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

static uint32_t special_of(enum acts_mac_dtype t, uint64_t i)
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

static void put(uint8_t *p, uint32_t v, unsigned int size)
{
	memcpy(p, &v, size);	/* little-endian hosts: the low bytes */
}

/* ---- one command, end to end ---- */

static void fx_init(struct mac_fx *fx, struct acts_dev *dev, enum acts_mac_dtype t)
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

static void fx_snapshot(struct mac_fx *fx)
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
static void __fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g)
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

static void fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g)
{
	require_shape(fx->dev, fx->d.m, fx->d.n, fx->d.k);
	__fx_place(fx, nbo, g);
}

static void fx_fini(struct mac_fx *fx)
{
	unsigned int i;

	for (i = 0; i < fx->nbo; i++) {
		acts_buf_free(&fx->bo[i]);
		free(fx->before[i]);
		fx->before[i] = NULL;
	}
	fx->nbo = 0;
}

/* Submit fx->d; *fence gets the job's fence. */
static int fx_submit(struct mac_fx *fx, enum acts_engine engine, struct acts_fence *fence)
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
static void fx_run_and_check(struct mac_fx *fx)
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
static void fx_packed(struct mac_fx *fx, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
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

static void run_packed(struct acts_dev *dev, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
		       uint32_t n, uint32_t k, enum gen g)
{
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, flags, m, n, k);
	fx_place(&fx, 3, g);
	fx_run_and_check(&fx);
	fx_fini(&fx);
}

/* ---- valid commands, per type ---- */

static void case_1x1x1(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, 0, 1, 1, 1, GEN_NORMAL);
}

static void case_primes(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, 0, 31, 37, 41, GEN_NORMAL);
}

static void case_non_square(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, 0, 3, 67, 5, GEN_NORMAL);
	run_packed(dev, t, 0, 67, 2, 29, GEN_NORMAL);
	run_packed(dev, t, 0, 1, 1, 300, GEN_NORMAL);
}

static void case_accumulate(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, ACTS_MAC_ACCUMULATE, 9, 10, 11, GEN_NORMAL);
}

static void case_transposed(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, ACTS_MAC_TRANSPOSE_B, 9, 10, 11, GEN_NORMAL);
	run_packed(dev, t, ACTS_MAC_TRANSPOSE_B | ACTS_MAC_ACCUMULATE, 5, 13, 3, GEN_NORMAL);
}

/* Row strides with padding that the command must neither read nor write. */
static void case_strided(struct acts_dev *dev, enum acts_mac_dtype t)
{
	unsigned int es = acts_mac_in_size(t), tb;
	struct mac_fx fx;

	for (tb = 0; tb < 2; tb++) {
		fx_init(&fx, dev, t);
		fx_packed(&fx, t, tb ? ACTS_MAC_TRANSPOSE_B : ACTS_MAC_ACCUMULATE, 7, 9, 13);
		fx.d.a_stride += 5 * es;
		fx.d.b_stride += 3 * es;
		fx.d.c_stride += 12;
		fx_place(&fx, 3, GEN_NORMAL);
		fx_run_and_check(&fx);
		fx_fini(&fx);
	}
}

/*
 * A, B and C inside one BO at offsets that are not page aligned, with rows
 * that cross page boundaries; then each in its own BO past its first page.
 */
static void case_offsets(struct acts_dev *dev, enum acts_mac_dtype t)
{
	unsigned int es = acts_mac_in_size(t);
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, ACTS_MAC_ACCUMULATE, 11, 301, 17);
	fx.d.b_bo = fx.d.c_bo = 0;
	fx.d.a_offset = 3 * es * 4;
	fx.d.b_offset = (fx.d.a_offset + acts_mac_a_extent(&fx.d) + 4095) / 4096 * 4096 - 2 * es;
	fx.d.c_offset = (fx.d.b_offset + acts_mac_b_extent(&fx.d) + 3) / 4 * 4 + 40;
	fx_place(&fx, 1, GEN_NORMAL);
	fx_run_and_check(&fx);
	fx_fini(&fx);

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, 0, 6, 5, 4);
	fx.d.a_offset = SZ_4K + 8 * es;
	fx.d.b_offset = 2 * SZ_4K + 4 * es;
	fx.d.c_offset = 3 * SZ_4K + 4;
	fx_place(&fx, 3, GEN_NORMAL);
	fx_run_and_check(&fx);
	fx_fini(&fx);
}

/* Random shapes, flags, strides, offsets and values, all from the seed. */
static void case_random(struct acts_dev *dev, enum acts_mac_dtype t)
{
	unsigned int es = acts_mac_in_size(t), iter;
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	for (iter = 0; iter < 12; iter++) {
		struct acts_rand *r = &fx.rng;

		fx_packed(&fx, t, (uint32_t)acts_rand_below(r, 4), 1 + (uint32_t)acts_rand_below(r, 24),
			  1 + (uint32_t)acts_rand_below(r, 24), 1 + (uint32_t)acts_rand_below(r, 64));
		fx.d.a_stride += acts_rand_below(r, 4) * es;
		fx.d.b_stride += acts_rand_below(r, 4) * es;
		fx.d.c_stride += acts_rand_below(r, 4) * 4;
		fx.d.a_offset = acts_rand_below(r, 2048) * 4;
		fx.d.b_offset = acts_rand_below(r, 2048) * 4;
		fx.d.c_offset = acts_rand_below(r, 2048) * 4;
		fx_place(&fx, 3, acts_rand_below(r, 4) ? GEN_NORMAL : GEN_SPECIAL);
		fx_run_and_check(&fx);
		fx_fini(&fx);
	}
}

static void case_large(struct acts_dev *dev, enum acts_mac_dtype t)
{
	run_packed(dev, t, 0, 256, 256, 256, GEN_NORMAL);
}

/*
 * Special values in every pairing: with K = 1, C[i][j] = -0 + A[i]·B[j]
 * over all pairs of specials (products); with K = 2 and B all ones,
 * C[p·S + q] = (A[p] + A[q]) over all pairs (sums).
 */
static void case_specials(struct acts_dev *dev, enum acts_mac_dtype t)
{
	unsigned int es = acts_mac_in_size(t), s = special_count(t), i, j;
	uint32_t one = t == ACTS_MAC_FP16 ? 0x3c00 : t == ACTS_MAC_BF16 ? 0x3f80 :
		       t == ACTS_MAC_FP32 ? 0x3f800000 : 1;
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, 0, s, s, 1);
	fx_place(&fx, 3, GEN_NORMAL);
	for (i = 0; i < s; i++) {
		put(fx.bo[0].map + i * fx.d.a_stride, special_of(t, i), es);
		put(fx.bo[1].map + (uint64_t)i * es, special_of(t, i), es);
	}
	fx_snapshot(&fx);
	fx_run_and_check(&fx);
	fx_fini(&fx);

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, 0, s * s, 1, 2);
	fx_place(&fx, 3, GEN_NORMAL);
	for (i = 0; i < s; i++)
		for (j = 0; j < s; j++) {
			put(fx.bo[0].map + (i * s + j) * fx.d.a_stride, special_of(t, i), es);
			put(fx.bo[0].map + (i * s + j) * fx.d.a_stride + es, special_of(t, j), es);
		}
	put(fx.bo[1].map, one, es);
	put(fx.bo[1].map + fx.d.b_stride, one, es);
	fx_snapshot(&fx);
	fx_run_and_check(&fx);
	fx_fini(&fx);
}

/* ---- the contract's fine print ---- */

/* Integer sums past 2^31 wrap: K · (-128)² and K · 255² exceed it. */
static void case_k_overflow(struct acts_dev *dev, enum acts_mac_dtype t)
{
	uint32_t k = 140000, expect = t == ACTS_MAC_INT8 ? (uint32_t)(16384ull * k) :
							     (uint32_t)(65025ull * k), got;
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, 0, 1, 1, k);
	fx_place(&fx, 3, GEN_NORMAL);
	memset(fx.bo[0].map, t == ACTS_MAC_INT8 ? 0x80 : 0xff, k);
	memset(fx.bo[1].map, t == ACTS_MAC_INT8 ? 0x80 : 0xff, k);
	fx_snapshot(&fx);
	fx_run_and_check(&fx);
	memcpy(&got, fx.bo[2].map, 4);
	acts_assert_eq(got, expect);	/* the golden model agrees; say it plainly */
	fx_fini(&fx);
}

static void test_int8_k_overflow(struct acts_dev *dev)
{
	case_k_overflow(dev, ACTS_MAC_INT8);
}

static void test_uint8_k_overflow(struct acts_dev *dev)
{
	case_k_overflow(dev, ACTS_MAC_UINT8);
}

/* One fp32 dot product of a few terms, with C0 for accumulate: C = C0 + A·B. */
static uint32_t fp32_dot(struct acts_dev *dev, uint32_t flags, uint32_t c0, const uint32_t *a,
			 const uint32_t *b, uint32_t k)
{
	struct mac_fx fx;
	uint32_t got;

	fx_init(&fx, dev, ACTS_MAC_FP32);
	fx_packed(&fx, ACTS_MAC_FP32, flags, 1, 1, k);
	fx_place(&fx, 3, GEN_NORMAL);
	memcpy(fx.bo[0].map, a, k * 4);
	memcpy(fx.bo[1].map, b, k * 4);
	memcpy(fx.bo[2].map, &c0, 4);
	fx_snapshot(&fx);
	fx_run_and_check(&fx);
	memcpy(&got, fx.bo[2].map, 4);
	fx_fini(&fx);
	return got;
}

/*
 * Order and rounding: 1 + 2^-24 + 2^-24 is 1 summed from k = 0 (two ties
 * to even), 1 + 2^-23 the other way; and no fused multiply-add: with x =
 * 1 + 2^-12, x·x rounds to 1 + 2^-11 before -(1 + 2^-11) is added, so the
 * result is 0, not 2^-24.
 */
static void test_fp32_order_and_rounding(struct acts_dev *dev)
{
	static const uint32_t fwd[] = { 0x3f800000, 0x33800000, 0x33800000 };
	static const uint32_t ones[] = { 0x3f800000, 0x3f800000, 0x3f800000 };
	static const uint32_t x = 0x3f800800;

	if (!acts_mac_bit_exact(dev)) {
		require_mac(dev, ACTS_MAC_FP32);
		acts_skip("the %s backend is judged within an error bound, not bit for bit",
			  acts_backend_name(dev));
	}
	acts_assert_eq(fp32_dot(dev, 0, 0, fwd, ones, 3), 0x3f800000u);
	acts_assert_eq(fp32_dot(dev, ACTS_MAC_ACCUMULATE, 0xbf801000, &x, &x, 1), 0u);
}

/* C = A · B (no accumulate) ignores whatever C held, NaN included. */
static void test_fp32_overwrite_ignores_c(struct acts_dev *dev)
{
	static const uint32_t two = 0x40000000, three = 0x40400000;

	acts_assert_eq(fp32_dot(dev, 0, 0x7fc00000, &two, &three, 1), 0x40c00000u);
	acts_assert_eq(fp32_dot(dev, 0, 0xff800000, &two, &three, 1), 0x40c00000u);
}

/* ---- malformed descriptors: EINVAL, nothing written ---- */

/*
 * fx->d must fail with EINVAL and change nothing: no fence, no byte of any
 * BO. Then good, which differs from it in one thing only, must run and give
 * the right result.
 */
static void expect_refused(struct mac_fx *fx, enum acts_engine engine, const struct acts_mac *good)
{
	struct acts_dev *dev = fx->dev;
	struct acts_fence out;
	unsigned int i;
	int ret;

	ret = fx_submit(fx, engine, &out);
	if (ret != -EINVAL)
		acts_fail("the malformed MAC command returned %s, expected EINVAL",
			  ret ? acts_errno_name(ret) : "success");
	/* No fence: the backend made none, and no BO below is busy. */
	acts_assert_eq(out.kind, ACTS_FENCE_NONE);
	for (i = 0; i < fx->nbo; i++) {
		acts_assert_ok(__acts_bo_wait(dev, fx->handles[i], 0));
		acts_assert(!memcmp(fx->bo[i].map, fx->before[i], fx->bo[i].size));
	}
	fx->d = *good;
	fx_run_and_check(fx);
}

/* A valid m×n×k command with each matrix in its own BO, which bad() breaks. */
static void refused(struct acts_dev *dev, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
		    uint32_t n, uint32_t k, void (*bad)(struct acts_mac *d), enum acts_engine engine)
{
	struct acts_mac good;
	struct mac_fx fx;

	fx_init(&fx, dev, t);
	fx_packed(&fx, t, flags, m, n, k);
	fx_place(&fx, 3, GEN_NORMAL);
	good = fx.d;
	bad(&fx.d);
	expect_refused(&fx, engine, &good);
	fx_fini(&fx);
}

/*
 * The reported limit is exact: one more than it is refused, though every
 * matrix fits its BO, and the limit itself runs.
 */
static void over_limit(struct acts_dev *dev, enum acts_query q)
{
	uint64_t max;
	struct acts_mac good;
	struct mac_fx fx;

	require_mac(dev, ACTS_MAC_INT8);
	max = acts_query(dev, q);
	acts_require(max < (1u << 24), "a limit of %" PRIu64 " is too large to allocate for", max);
	fx_init(&fx, dev, ACTS_MAC_INT8);
	fx_packed(&fx, ACTS_MAC_INT8, 0, q == ACTS_Q_MAC_MAX_M ? max + 1 : 1,
		  q == ACTS_Q_MAC_MAX_N ? max + 1 : 1, q == ACTS_Q_MAC_MAX_K ? max + 1 : 1);
	__fx_place(&fx, 3, GEN_NORMAL);
	good = fx.d;
	if (q == ACTS_Q_MAC_MAX_M)
		good.m--;
	else if (q == ACTS_Q_MAC_MAX_N)
		good.n--;
	else
		good.k--;
	expect_refused(&fx, ACTS_ENGINE_COMPUTE, &good);
	fx_fini(&fx);
}

static void test_m_over_limit(struct acts_dev *dev)
{
	over_limit(dev, ACTS_Q_MAC_MAX_M);
}

static void test_n_over_limit(struct acts_dev *dev)
{
	over_limit(dev, ACTS_Q_MAC_MAX_N);
}

static void test_k_over_limit(struct acts_dev *dev)
{
	over_limit(dev, ACTS_Q_MAC_MAX_K);
}

static void bad_dtype(struct acts_mac *d) { d->dtype = ACTS_MAC_DTYPE_INVALID; }
static void bad_flags(struct acts_mac *d) { d->flags |= ACTS_MAC_FLAG_UNKNOWN; }
static void zero_m(struct acts_mac *d) { d->m = 0; }
static void zero_n(struct acts_mac *d) { d->n = 0; }
static void zero_k(struct acts_mac *d) { d->k = 0; }
static void huge_dims(struct acts_mac *d) { d->m = d->n = d->k = UINT32_MAX; }
static void bad_bo_index(struct acts_mac *d) { d->b_bo = 3; }
/* One row too far: the last row of each matrix ends past its 4 KiB BO. */
static void a_oob(struct acts_mac *d) { d->a_offset = SZ_4K - acts_mac_a_extent(d) + 4; }
static void b_oob(struct acts_mac *d) { d->b_offset = SZ_4K - acts_mac_b_extent(d) + 4; }
static void c_oob(struct acts_mac *d) { d->c_offset = SZ_4K - acts_mac_c_extent(d) + 4; }
static void a_stride_oob(struct acts_mac *d) { d->a_stride = SZ_4K / 2; }
static void a_offset_wraps(struct acts_mac *d) { d->a_offset = UINT64_MAX - 3; }
static void c_offset_wraps(struct acts_mac *d) { d->c_offset = UINT64_MAX - 3; }
/* Strides whose product with (rows - 1) wraps to a small, in-bounds value. */
static void b_stride_wraps(struct acts_mac *d)
{
	d->b_stride = 0x3333333333333334ull;	/* 5 · this = 2^64 + 4 (B has 6 rows) */
}

static void c_stride_wraps(struct acts_mac *d)
{
	d->c_stride = 0x5555555555555558ull;	/* 3 · this = 2^64 + 8 (C has 4 rows) */
}

static void a_stride_short(struct acts_mac *d) { d->a_stride -= acts_mac_in_size(d->dtype); }
static void c_stride_short(struct acts_mac *d) { d->c_stride -= 4; }
static void a_offset_odd(struct acts_mac *d) { d->a_offset = 1; }
static void b_stride_odd(struct acts_mac *d) { d->b_stride += 1; }
static void c_offset_unaligned(struct acts_mac *d) { d->c_offset = 2; }
static void c_stride_unaligned(struct acts_mac *d) { d->c_stride += 2; }
static void c_overlaps_a(struct acts_mac *d) { d->c_bo = d->a_bo; d->c_offset = 4; }
static void c_overlaps_b(struct acts_mac *d)
{
	d->c_bo = d->b_bo;
	d->c_offset = acts_mac_b_extent(d) / 4 * 4 - 4;
}
static void none(struct acts_mac *d) { }

#define REFUSED(name, t, flags, fn, engine) \
	static void name(struct acts_dev *dev) { refused(dev, t, flags, 4, 5, 6, fn, engine); }

REFUSED(test_bad_dtype, ACTS_MAC_FP32, 0, bad_dtype, ACTS_ENGINE_COMPUTE)
REFUSED(test_bad_flags, ACTS_MAC_FP32, 0, bad_flags, ACTS_ENGINE_COMPUTE)
REFUSED(test_zero_m, ACTS_MAC_FP32, 0, zero_m, ACTS_ENGINE_COMPUTE)
REFUSED(test_zero_n, ACTS_MAC_FP32, 0, zero_n, ACTS_ENGINE_COMPUTE)
REFUSED(test_zero_k, ACTS_MAC_FP32, 0, zero_k, ACTS_ENGINE_COMPUTE)
REFUSED(test_huge_dims, ACTS_MAC_FP32, 0, huge_dims, ACTS_ENGINE_COMPUTE)
REFUSED(test_bad_bo_index, ACTS_MAC_FP32, 0, bad_bo_index, ACTS_ENGINE_COMPUTE)
REFUSED(test_a_oob, ACTS_MAC_FP16, 0, a_oob, ACTS_ENGINE_COMPUTE)
REFUSED(test_b_oob, ACTS_MAC_FP16, 0, b_oob, ACTS_ENGINE_COMPUTE)

/* Transposed B has N rows of K: with N > K, checking K rows would miss this. */
static void test_b_oob_transposed(struct acts_dev *dev)
{
	refused(dev, ACTS_MAC_FP16, ACTS_MAC_TRANSPOSE_B, 4, 9, 3, b_oob, ACTS_ENGINE_COMPUTE);
}
REFUSED(test_c_oob, ACTS_MAC_FP16, 0, c_oob, ACTS_ENGINE_COMPUTE)
REFUSED(test_a_stride_oob, ACTS_MAC_INT8, 0, a_stride_oob, ACTS_ENGINE_COMPUTE)
REFUSED(test_a_offset_wraps, ACTS_MAC_INT8, 0, a_offset_wraps, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_offset_wraps, ACTS_MAC_INT8, 0, c_offset_wraps, ACTS_ENGINE_COMPUTE)
REFUSED(test_b_stride_wraps, ACTS_MAC_FP32, 0, b_stride_wraps, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_stride_wraps, ACTS_MAC_FP32, 0, c_stride_wraps, ACTS_ENGINE_COMPUTE)
REFUSED(test_a_stride_short, ACTS_MAC_BF16, 0, a_stride_short, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_stride_short, ACTS_MAC_BF16, 0, c_stride_short, ACTS_ENGINE_COMPUTE)
REFUSED(test_a_offset_misaligned, ACTS_MAC_FP16, 0, a_offset_odd, ACTS_ENGINE_COMPUTE)
REFUSED(test_b_stride_misaligned, ACTS_MAC_FP32, 0, b_stride_odd, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_offset_misaligned, ACTS_MAC_INT8, 0, c_offset_unaligned, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_stride_misaligned, ACTS_MAC_INT8, 0, c_stride_unaligned, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_overlaps_a, ACTS_MAC_FP32, 0, c_overlaps_a, ACTS_ENGINE_COMPUTE)
REFUSED(test_c_overlaps_b, ACTS_MAC_FP32, 0, c_overlaps_b, ACTS_ENGINE_COMPUTE)

static void test_on_copy_engine(struct acts_dev *dev)
{
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, none, ACTS_ENGINE_COPY);
}

/* ---- the subtest table ---- */

#define PER_TYPE(t, T) \
	static void test_##t##_1x1x1(struct acts_dev *dev) { case_1x1x1(dev, T); } \
	static void test_##t##_primes(struct acts_dev *dev) { case_primes(dev, T); } \
	static void test_##t##_non_square(struct acts_dev *dev) { case_non_square(dev, T); } \
	static void test_##t##_accumulate(struct acts_dev *dev) { case_accumulate(dev, T); } \
	static void test_##t##_transposed(struct acts_dev *dev) { case_transposed(dev, T); } \
	static void test_##t##_strided(struct acts_dev *dev) { case_strided(dev, T); } \
	static void test_##t##_offsets(struct acts_dev *dev) { case_offsets(dev, T); } \
	static void test_##t##_random(struct acts_dev *dev) { case_random(dev, T); } \
	static void test_##t##_specials(struct acts_dev *dev) { case_specials(dev, T); }

PER_TYPE(int8, ACTS_MAC_INT8)
PER_TYPE(uint8, ACTS_MAC_UINT8)
PER_TYPE(fp16, ACTS_MAC_FP16)
PER_TYPE(bf16, ACTS_MAC_BF16)
PER_TYPE(fp32, ACTS_MAC_FP32)

static void test_int8_256(struct acts_dev *dev)
{
	case_large(dev, ACTS_MAC_INT8);
}

static void test_fp16_256(struct acts_dev *dev)
{
	case_large(dev, ACTS_MAC_FP16);
}

#define RULE_OF_int8 "MAC-INT-1"
#define RULE_OF_uint8 "MAC-INT-1"
#define RULE_OF_fp16 "MAC-FP-1 MAC-FP-2"
#define RULE_OF_bf16 "MAC-FP-1 MAC-FP-2"
#define RULE_OF_fp32 "MAC-FP-2"

#define PER_TYPE_ENTRIES(t) \
	{ #t "-1x1x1", "MAC-CAP-1 " RULE_OF_##t, "a 1x1x1 " #t " MAC", test_##t##_1x1x1 }, \
	{ #t "-primes", RULE_OF_##t " MAC-ORDER-1", "a 31x37x41 " #t " MAC", \
	  test_##t##_primes }, \
	{ #t "-non-square", RULE_OF_##t " MAC-LAYOUT-1", \
	  "wide, tall and single-element " #t " MACs (3x67x5, 67x2x29, 1x1x300)", \
	  test_##t##_non_square }, \
	{ #t "-accumulate", RULE_OF_##t " MAC-ORDER-1", \
	  "an " #t " MAC that adds to C instead of overwriting it", test_##t##_accumulate }, \
	{ #t "-transposed-b", RULE_OF_##t " MAC-LAYOUT-1", \
	  "" #t " MACs with B stored transposed, with and without accumulate", \
	  test_##t##_transposed }, \
	{ #t "-strided", RULE_OF_##t " MAC-LAYOUT-1", \
	  "" #t " MACs whose rows are padded; the padding is neither read nor written", \
	  test_##t##_strided }, \
	{ #t "-offsets", RULE_OF_##t " MAC-LAYOUT-1", \
	  "" #t " MACs at sub-BO offsets, sharing one BO and crossing pages", \
	  test_##t##_offsets }, \
	{ #t "-random", RULE_OF_##t " MAC-ORDER-1 MAC-LAYOUT-1", \
	  "12 " #t " MACs of random shape, flags, strides, offsets and values (seeded)", \
	  test_##t##_random }, \
	{ #t "-specials", RULE_OF_##t " MAC-FP-3", \
	  "" #t " products and sums of every pair of the type's special or extreme values", \
	  test_##t##_specials }

static const struct acts_subtest tests[] = {
	PER_TYPE_ENTRIES(int8),
	PER_TYPE_ENTRIES(uint8),
	PER_TYPE_ENTRIES(fp16),
	PER_TYPE_ENTRIES(bf16),
	PER_TYPE_ENTRIES(fp32),
	{ "int8-256", "MAC-INT-1 MAC-SCALE-1", "a 256x256x256 int8 MAC", test_int8_256 },
	{ "fp16-256", "MAC-FP-2 MAC-SCALE-1", "a 256x256x256 fp16 MAC", test_fp16_256 },
	{ "int8-k-overflow", "MAC-INT-1", "int8 sums past 2^31 wrap modulo 2^32 (K = 140000)",
	  test_int8_k_overflow },
	{ "uint8-k-overflow", "MAC-INT-1", "uint8 sums past 2^32 wrap (K = 140000)",
	  test_uint8_k_overflow },
	{ "fp32-order-and-rounding", "MAC-FP-2 MAC-ORDER-1",
	  "sums run from k = 0 with ties to even, and products are rounded before the sum (no FMA)",
	  test_fp32_order_and_rounding },
	{ "fp32-overwrite-ignores-c", "MAC-ORDER-1",
	  "without accumulate, a NaN or infinity in C does not leak into the result",
	  test_fp32_overwrite_ignores_c },
	{ "mac-unknown-dtype", "MAC-INVAL-1", "an unknown data type: EINVAL", test_bad_dtype },
	{ "mac-unknown-flags", "MAC-INVAL-1", "an unknown flag: EINVAL", test_bad_flags },
	{ "mac-zero-m", "MAC-INVAL-1", "M = 0: EINVAL", test_zero_m },
	{ "mac-zero-n", "MAC-INVAL-1", "N = 0: EINVAL", test_zero_n },
	{ "mac-zero-k", "MAC-INVAL-1", "K = 0: EINVAL", test_zero_k },
	{ "mac-m-over-limit", "MAC-CAP-1 MAC-INVAL-1",
	  "M one past the reported limit: EINVAL; M at the limit runs", test_m_over_limit },
	{ "mac-n-over-limit", "MAC-CAP-1 MAC-INVAL-1",
	  "N one past the reported limit: EINVAL; N at the limit runs", test_n_over_limit },
	{ "mac-k-over-limit", "MAC-CAP-1 MAC-INVAL-1",
	  "K one past the reported limit: EINVAL; K at the limit runs", test_k_over_limit },
	{ "mac-huge-dims", "MAC-INVAL-1", "M = N = K = 2^32 - 1: EINVAL, no overflow",
	  test_huge_dims },
	{ "mac-bad-bo-index", "MAC-INVAL-1", "B names a BO index past the job's list: EINVAL",
	  test_bad_bo_index },
	{ "mac-a-out-of-bounds", "MAC-INVAL-1", "A's last row ends past its BO: EINVAL",
	  test_a_oob },
	{ "mac-b-out-of-bounds", "MAC-INVAL-1", "B's last row ends past its BO: EINVAL",
	  test_b_oob },
	{ "mac-b-transposed-out-of-bounds", "MAC-INVAL-1",
	  "transposed B's last row ends past its BO: EINVAL", test_b_oob_transposed },
	{ "mac-c-out-of-bounds", "MAC-INVAL-1", "C's last row ends past its BO: EINVAL",
	  test_c_oob },
	{ "mac-a-stride-out-of-bounds", "MAC-INVAL-1",
	  "A's stride takes its rows past its BO: EINVAL", test_a_stride_oob },
	{ "mac-a-offset-overflow", "MAC-INVAL-1", "A's offset wraps around 2^64: EINVAL",
	  test_a_offset_wraps },
	{ "mac-c-offset-overflow", "MAC-INVAL-1", "C's offset wraps around 2^64: EINVAL",
	  test_c_offset_wraps },
	{ "mac-b-stride-overflow", "MAC-INVAL-1", "B's stride times its rows wraps: EINVAL",
	  test_b_stride_wraps },
	{ "mac-c-stride-overflow", "MAC-INVAL-1", "C's stride times its rows wraps: EINVAL",
	  test_c_stride_wraps },
	{ "mac-a-stride-too-small", "MAC-INVAL-1", "A's rows overlap (stride < row): EINVAL",
	  test_a_stride_short },
	{ "mac-c-stride-too-small", "MAC-INVAL-1", "C's rows overlap (stride < row): EINVAL",
	  test_c_stride_short },
	{ "mac-a-offset-misaligned", "MAC-INVAL-1", "an fp16 A at an odd offset: EINVAL",
	  test_a_offset_misaligned },
	{ "mac-b-stride-misaligned", "MAC-INVAL-1", "an fp32 B stride not a multiple of 4: EINVAL",
	  test_b_stride_misaligned },
	{ "mac-c-offset-misaligned", "MAC-INVAL-1", "C at an offset not a multiple of 4: EINVAL",
	  test_c_offset_misaligned },
	{ "mac-c-stride-misaligned", "MAC-INVAL-1", "a C stride not a multiple of 4: EINVAL",
	  test_c_stride_misaligned },
	{ "mac-c-overlaps-a", "MAC-INVAL-1", "C overlapping A in the same BO: EINVAL",
	  test_c_overlaps_a },
	{ "mac-c-overlaps-b", "MAC-INVAL-1", "C overlapping B in the same BO: EINVAL",
	  test_c_overlaps_b },
	{ "mac-on-copy-engine", "MAC-INVAL-1", "a MAC sent to the copy engine: EINVAL",
	  test_on_copy_engine },
};

ACTS_MAIN(tests)
