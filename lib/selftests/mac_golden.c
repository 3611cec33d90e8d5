// SPDX-License-Identifier: MIT
/*
 * Unit tests of the MAC golden model (lib/acts_mac.c): its fp16/bf16
 * conversions, exhaustively against the host FPU; known answers of the
 * contract; layouts; and the verdicts it gives on a device's results.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_mac.h"
#include "acts_rand.h"
#include "acts_test.h"

static float half_to_float_fpu(uint16_t h)
{
	_Float16 x;

	memcpy(&x, &h, sizeof(x));
	return (float)x;
}

static uint16_t float_to_half_fpu(float f)
{
	_Float16 x = (_Float16)f;
	uint16_t h;

	memcpy(&h, &x, sizeof(h));
	return h;
}

/* Same value, or both NaN. */
static bool same_float(float a, float b)
{
	return (isnan(a) && isnan(b)) || acts_f32_bits(a) == acts_f32_bits(b);
}

static void test_fp16_widen_all(struct acts_dev *dev)
{
	uint32_t h;

	for (h = 0; h <= 0xffff; h++) {
		float want = half_to_float_fpu((uint16_t)h), got = acts_fp16_to_float((uint16_t)h);

		if (!same_float(got, want))
			acts_fail("fp16 %#06x: model %a, FPU %a", h, got, want);
	}
}

/* bf16 value from its fields, computed in double: an independent reference. */
static double bf16_value(uint16_t b)
{
	int e = (b >> 7) & 0xff, f = b & 0x7f;
	double mag;

	if (e == 0xff)
		return f ? NAN : INFINITY * ((b & 0x8000) ? -1 : 1);
	mag = e ? ldexp(1.0 + f / 128.0, e - 127) : ldexp(f / 128.0, -126);
	return (b & 0x8000) ? -mag : mag;
}

static void test_bf16_widen_all(struct acts_dev *dev)
{
	uint32_t b;

	for (b = 0; b <= 0xffff; b++) {
		float want = (float)bf16_value((uint16_t)b), got = acts_bf16_to_float((uint16_t)b);

		if (!same_float(got, want))
			acts_fail("bf16 %#06x: model %a, expected %a", b, got, want);
	}
}

static void expect_fp16(float f)
{
	uint16_t want = float_to_half_fpu(f), got = acts_float_to_fp16(f);

	if (isnan(f) ? (got & 0x7fff) <= 0x7c00 : got != want)
		acts_fail("%a to fp16: model %#06x, FPU %#06x", f, got, want);
}

/* Every fp16 value, the midpoints to its neighbour (ties) and one float either side. */
static void test_fp16_narrow_all(struct acts_dev *dev)
{
	struct acts_rand r = acts_rand_init(acts_seed());
	uint32_t h;
	int i;

	for (h = 0; h <= 0xffff; h++) {
		float v = acts_fp16_to_float((uint16_t)h), next, mid;

		expect_fp16(v);
		if ((h & 0x7fff) >= 0x7c00)
			continue;
		next = acts_fp16_to_float((uint16_t)(h + 1));
		if (isinf(next))	/* beyond the largest: the overflow threshold */
			next = (h & 0x8000) ? -65536.0f : 65536.0f;
		mid = (float)(((double)v + next) / 2);	/* 12 bits: exact in fp32 */
		expect_fp16(mid);
		expect_fp16(nextafterf(mid, 0));
		expect_fp16(nextafterf(mid, INFINITY));
		expect_fp16(nextafterf(mid, -INFINITY));
	}
	for (i = 0; i < 1000000; i++)
		expect_fp16(acts_f32(acts_rand_u32(&r)));
}

static void expect_bf16(float f)
{
	double v = f, lo, hi;
	uint16_t got = acts_float_to_bf16(f), want;
	uint32_t x = acts_f32_bits(f);

	if (isnan(f)) {
		if ((got & 0x7fff) <= 0x7f80)
			acts_fail("%a to bf16: model %#06x, not a NaN", f, got);
		return;
	}
	/* The two bf16 neighbours of f, chosen by distance with the FPU. */
	want = (uint16_t)(x >> 16);
	lo = bf16_value(want);
	hi = bf16_value((uint16_t)(want + 1));
	if ((want & 0x7fff) == 0x7f7f)	/* the overflow threshold stands for Inf */
		hi = copysign(ldexp(1.0, 128), v);
	if (fabs(hi - v) < fabs(v - lo) || (fabs(hi - v) == fabs(v - lo) && (want & 1)))
		want++;
	if (got != want)
		acts_fail("%a to bf16: model %#06x, expected %#06x", f, got, want);
}

static void test_bf16_narrow_all(struct acts_dev *dev)
{
	struct acts_rand r = acts_rand_init(acts_seed());
	uint32_t b;
	int i;

	for (b = 0; b <= 0xffff; b++) {
		uint32_t x = b << 16;

		if ((b & 0x7fff) > 0x7f80)
			continue;
		expect_bf16(acts_f32(x));
		if ((b & 0x7fff) == 0x7f80)
			continue;
		expect_bf16(acts_f32(x + 0x8000));	/* the midpoint: a tie */
		expect_bf16(acts_f32(x + 0x7fff));
		expect_bf16(acts_f32(x + 0x8001));
	}
	for (i = 0; i < 1000000; i++)
		expect_bf16(acts_f32(acts_rand_u32(&r)));
}

/* Run the model on packed row-major A (m×k), B (k×n) and C (m×n) in one buffer. */
static uint32_t *run_packed(enum acts_mac_dtype t, uint32_t flags, uint32_t m, uint32_t n,
			    uint32_t k, const void *a, const void *b, const uint32_t *c0)
{
	unsigned int es = acts_mac_in_size(t);
	struct acts_mac d = {
		.dtype = t, .flags = flags, .m = m, .n = n, .k = k,
		.a_stride = (uint64_t)k * es,
		.b_stride = (uint64_t)((flags & ACTS_MAC_TRANSPOSE_B) ? k : n) * es,
		.c_stride = (uint64_t)n * 4,
	};
	uint8_t *buf;
	uint32_t *c = malloc((size_t)m * n * 4);

	d.b_offset = acts_mac_a_extent(&d);
	d.c_offset = (d.b_offset + acts_mac_b_extent(&d) + 3) / 4 * 4;
	buf = calloc(1, d.c_offset + acts_mac_c_extent(&d));
	acts_assert(buf && c);
	memcpy(buf, a, acts_mac_a_extent(&d));
	memcpy(buf + d.b_offset, b, acts_mac_b_extent(&d));
	if (c0)
		memcpy(buf + d.c_offset, c0, (size_t)m * n * 4);
	acts_mac_golden(&d, buf, buf, buf);
	memcpy(c, buf + d.c_offset, (size_t)m * n * 4);
	free(buf);
	return c;
}

/* One fp32 dot product of K terms, without accumulate. */
static uint32_t dot32(uint32_t k, const uint32_t *a, const uint32_t *b)
{
	uint32_t *c = run_packed(ACTS_MAC_FP32, 0, 1, 1, k, a, b, NULL), v = c[0];

	free(c);
	return v;
}

static void test_known_answers(struct acts_dev *dev)
{
	static const int8_t a8[] = { 1, -2, 3, 4 }, b8[] = { 5, 6, -7, 8 };
	static const uint32_t one = 0x3f800000, two = 0x40000000, max = 0x7f7fffff;
	static const uint32_t ten[] = { 0x41200000, 0x41200000, 0x41200000, 0x41200000 };
	uint32_t *c, *a, *b;
	uint16_t h1 = 0x0001, bf_one = 0x3f80, bf_two = 0x4000;
	uint32_t i, k = 140000;

	c = run_packed(ACTS_MAC_INT8, 0, 2, 2, 2, a8, b8, NULL);
	acts_assert_eq((int32_t)c[0], 19);
	acts_assert_eq((int32_t)c[1], -10);
	acts_assert_eq((int32_t)c[2], -13);
	acts_assert_eq((int32_t)c[3], 50);
	free(c);
	c = run_packed(ACTS_MAC_INT8, ACTS_MAC_ACCUMULATE, 2, 2, 2, a8, b8, ten);
	acts_assert_eq(c[0], 19 + 0x41200000u);	/* C's bits are an int32 here */
	free(c);

	/* K · 16384 wraps modulo 2^32; so does K · 65025 for uint8. */
	a = malloc(k);
	acts_assert(a);
	memset(a, 0x80, k);
	c = run_packed(ACTS_MAC_INT8, 0, 1, 1, k, a, a, NULL);
	acts_assert_eq(c[0], (uint32_t)(16384ull * k));
	free(c);
	memset(a, 0xff, k);
	c = run_packed(ACTS_MAC_UINT8, 0, 1, 1, k, a, a, NULL);
	acts_assert_eq(c[0], (uint32_t)(65025ull * k));
	free(c);
	free(a);

	/* Order: 1 + 2^-24 + 2^-24 is 1 (two ties to even); the other way, 1 + 2^-23. */
	{
		uint32_t fwd[] = { one, 0x33800000, 0x33800000 }, rev[] = { 0x33800000, 0x33800000, one };
		uint32_t ones[] = { one, one, one };

		acts_assert_eq(dot32(3, fwd, ones), one);
		acts_assert_eq(dot32(3, rev, ones), 0x3f800001u);
	}
	/* NaN canonical; 0 · Inf and Inf - Inf are NaN; overflow; signed zeros. */
	{
		uint32_t nan_in = 0x7fa00001, zero = 0, nzero = 0x80000000, inf = 0x7f800000;
		uint32_t ninf = 0xff800000, sub3 = 3, half = 0x3f000000, x[2], y[2];

		acts_assert_eq(dot32(1, &nan_in, &one), ACTS_FP32_NAN);
		acts_assert_eq(dot32(1, &zero, &inf), ACTS_FP32_NAN);
		x[0] = inf, x[1] = ninf, y[0] = one, y[1] = one;
		acts_assert_eq(dot32(2, x, y), ACTS_FP32_NAN);
		acts_assert_eq(dot32(1, &max, &two), 0x7f800000u);
		x[0] = max, x[1] = max;
		acts_assert_eq(dot32(2, x, y), 0x7f800000u);
		acts_assert_eq(dot32(1, &nzero, &one), 0x80000000u);	/* -0 + -0 */
		acts_assert_eq(dot32(1, &zero, &one), 0u);		/* -0 + +0 */
		/* 3 · 2^-149 · 0.5 is a tie between 1 and 2 units: even, 2. */
		acts_assert_eq(dot32(1, &sub3, &half), 2u);
	}
	/* fp16 subnormals widen to normals: 2^-24 · 2^-24 = 2^-48. */
	c = run_packed(ACTS_MAC_FP16, 0, 1, 1, 1, &h1, &h1, NULL);
	acts_assert_eq(c[0], 0x27800000u);
	free(c);
	c = run_packed(ACTS_MAC_BF16, ACTS_MAC_ACCUMULATE, 1, 1, 1, &bf_one, &bf_two, ten);
	acts_assert_eq(c[0], 0x41400000u);	/* 10 + 2 */
	free(c);

	/* Transposed B gives the same C as B stored as is. */
	b = malloc(6 * 7 * 4);
	a = malloc(5 * 6 * 4);
	acts_assert(a && b);
	for (i = 0; i < 5 * 6; i++)
		a[i] = acts_f32_bits((float)i / 7);
	for (i = 0; i < 6 * 7; i++)
		b[i] = acts_f32_bits((float)i / 3 - 5);
	{
		uint32_t bt[7 * 6], *ct, r, col;

		for (r = 0; r < 6; r++)
			for (col = 0; col < 7; col++)
				bt[col * 6 + r] = b[r * 7 + col];
		c = run_packed(ACTS_MAC_FP32, 0, 5, 7, 6, a, b, NULL);
		ct = run_packed(ACTS_MAC_FP32, ACTS_MAC_TRANSPOSE_B, 5, 7, 6, a, bt, NULL);
		acts_assert(!memcmp(c, ct, 5 * 7 * 4));
		free(ct);
		free(c);
	}
	free(a);
	free(b);
}

static void test_judge(struct acts_dev *dev)
{
	static const uint32_t a[] = { 0x3f800000, 0x40000000 }, b[] = { 0x40400000, 0x40800000 };
	struct acts_mac d = {
		.dtype = ACTS_MAC_FP32, .m = 1, .n = 1, .k = 2, .a_stride = 8, .b_stride = 4,
		.c_stride = 4,
	};
	uint32_t want, got, c0 = 0;
	struct acts_mac_verdict v;

	/* 1·3 + 2·4 = 11 */
	acts_mac_golden(&d, a, b, &want);
	acts_assert_eq(want, 0x41300000u);
	got = want;
	acts_mac_judge(&d, true, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 0);
	got = want ^ 1;
	acts_mac_judge(&d, true, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 1);
	acts_assert_eq(v.max_ulp, 1);
	acts_assert_eq(v.got, want ^ 1);
	/* One ulp is inside the bound for K = 2, a thousand are not. */
	acts_mac_judge(&d, false, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 0);
	got = want + 1000;
	acts_mac_judge(&d, false, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 1);
	got = ACTS_FP32_NAN;
	acts_mac_judge(&d, false, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 1);
	/* Integers are exact whatever the mode. */
	d.dtype = ACTS_MAC_INT8;
	want = 5, got = 6;
	acts_mac_judge(&d, false, a, b, &c0, &want, &got, &v);
	acts_assert_eq(v.bad, 1);
}

static const struct acts_subtest tests[] = {
	{ "fp16-widen-all", "MAC-FP-1", "all 65,536 fp16 values widen as the FPU does",
	  test_fp16_widen_all, ACTS_NO_DEVICE },
	{ "bf16-widen-all", "MAC-FP-1", "all 65,536 bf16 values widen to their exact value",
	  test_bf16_widen_all, ACTS_NO_DEVICE },
	{ "fp16-narrow-all", "MAC-FP-1",
	  "every fp16 value, tie and near-tie, and 1M random floats narrow as the FPU does",
	  test_fp16_narrow_all, ACTS_NO_DEVICE },
	{ "bf16-narrow-all", "MAC-FP-1",
	  "every bf16 value, tie and near-tie, and 1M random floats round to the nearest, ties even",
	  test_bf16_narrow_all, ACTS_NO_DEVICE },
	{ "known-answers", "MAC-INT-1 MAC-FP-2 MAC-FP-3 MAC-ORDER-1 MAC-LAYOUT-1",
	  "the model gives the contract's answers: wrapping, order, NaN, Inf, zeros, subnormals",
	  test_known_answers, ACTS_NO_DEVICE },
	{ "judge", "MAC-BOUND-1",
	  "bit-exact judging catches one wrong bit; the error bound takes 1 ulp, not 1000",
	  test_judge, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
