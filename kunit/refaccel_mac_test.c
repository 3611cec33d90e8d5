// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_mac: the MAC engine's integer soft-float (fp16/bf16
 * widening, fp32 multiply and add with round to nearest even) at its edge
 * cases, and the MAC loop's order, accumulate and integer wrapping.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_fp.h"
#include "refaccel_mac.h"

#define NAN32	REFACCEL_FP32_NAN

struct fp_case {
	const char *what;
	u32 a, b, want;
};

/* Passes when every fp16 edge value widens to the exact fp32 bits. */
static void refaccel_mac_fp16_widen(struct kunit *test)
{
	static const struct { u16 h; u32 f; } cases[] = {
		{ 0x0000, 0x00000000 }, { 0x8000, 0x80000000 },
		{ 0x0001, 0x33800000 },	/* smallest subnormal, 2^-24 */
		{ 0x03ff, 0x387fc000 },	/* largest subnormal */
		{ 0x0400, 0x38800000 },	/* smallest normal, 2^-14 */
		{ 0x3c00, 0x3f800000 }, { 0xbc00, 0xbf800000 },
		{ 0x7bff, 0x477fe000 },	/* 65504 */
		{ 0x7c00, 0x7f800000 }, { 0xfc00, 0xff800000 },
		{ 0x7e00, NAN32 }, { 0x7c01, NAN32 }, { 0xfe00, NAN32 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, refaccel_fp16_to_fp32(cases[i].h), cases[i].f,
				    "fp16 %#06x", cases[i].h);
}

/* Passes when bf16 widens to its upper-half fp32 and NaNs become canonical. */
static void refaccel_mac_bf16_widen(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, refaccel_bf16_to_fp32(0x0001), 0x00010000);
	KUNIT_EXPECT_EQ(test, refaccel_bf16_to_fp32(0x3f80), 0x3f800000);
	KUNIT_EXPECT_EQ(test, refaccel_bf16_to_fp32(0xff80), 0xff800000);
	KUNIT_EXPECT_EQ(test, refaccel_bf16_to_fp32(0x7f81), NAN32);
	KUNIT_EXPECT_EQ(test, refaccel_bf16_to_fp32(0xffc0), NAN32);
}

static void check_cases(struct kunit *test, u32 (*op)(u32, u32), const struct fp_case *c,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, op(c[i].a, c[i].b), c[i].want, "%s", c[i].what);
}

/* Passes when each product is IEEE 754's, rounded to nearest even. */
static void refaccel_mac_fp32_mul(struct kunit *test)
{
	static const struct fp_case cases[] = {
		{ "1 * 1", 0x3f800000, 0x3f800000, 0x3f800000 },
		{ "-0 * 1 is -0", 0x80000000, 0x3f800000, 0x80000000 },
		{ "0 * inf is NaN", 0x00000000, 0x7f800000, NAN32 },
		{ "NaN payloads are dropped", 0x7fa00001, 0x3f800000, NAN32 },
		{ "max * 2 overflows", 0x7f7fffff, 0x40000000, 0x7f800000 },
		{ "-max * 2 overflows negative", 0xff7fffff, 0x40000000, 0xff800000 },
		{ "2^-126 / 2 is subnormal", 0x00800000, 0x3f000000, 0x00400000 },
		{ "2^-149 / 2 ties to 0 (even)", 0x00000001, 0x3f000000, 0x00000000 },
		{ "3 * 2^-149 / 2 ties to 2 units (even)", 0x00000003, 0x3f000000, 0x00000002 },
		{ "(1 + 2^-23)^2 rounds the 2^-46 away", 0x3f800001, 0x3f800001, 0x3f800002 },
		{ "(1 + 2^-12)^2 ties to 1 + 2^-11", 0x3f800800, 0x3f800800, 0x3f801000 },
		{ "subnormal * 2^64 becomes normal", 0x00400000, 0x5f800000, 0x20000000 },
	};

	check_cases(test, refaccel_fp32_mul, cases, ARRAY_SIZE(cases));
}

/* Passes when each sum is IEEE 754's, rounded to nearest even. */
static void refaccel_mac_fp32_add(struct kunit *test)
{
	static const struct fp_case cases[] = {
		{ "1 + 2^-24 ties to 1", 0x3f800000, 0x33800000, 0x3f800000 },
		{ "(1 + 2^-23) + 2^-24 ties up to even", 0x3f800001, 0x33800000, 0x3f800002 },
		{ "1 - 2^-25 ties to 1", 0x3f800000, 0xb3000000, 0x3f800000 },
		{ "1 + 2^-24 + tiny rounds up", 0x3f800000, 0x33800001, 0x3f800001 },
		{ "-0 + -0 is -0", 0x80000000, 0x80000000, 0x80000000 },
		{ "+0 + -0 is +0", 0x00000000, 0x80000000, 0x00000000 },
		{ "x + -x is +0", 0x3fc00000, 0xbfc00000, 0x00000000 },
		{ "inf + -inf is NaN", 0x7f800000, 0xff800000, NAN32 },
		{ "inf + max is inf", 0x7f800000, 0xff7fffff, 0x7f800000 },
		{ "max + max overflows", 0x7f7fffff, 0x7f7fffff, 0x7f800000 },
		{ "2^-126 - 2^-149 is the largest subnormal", 0x00800000, 0x80000001, 0x007fffff },
		{ "subnormal + subnormal carries to normal", 0x00400000, 0x00400000, 0x00800000 },
		{ "huge + tiny is huge", 0x7f000000, 0x00000001, 0x7f000000 },
		{ "NaN + 1 is NaN", 0xffc00001, 0x3f800000, NAN32 },
	};

	check_cases(test, refaccel_fp32_add, cases, ARRAY_SIZE(cases));
}

/* Run a 1x1xk MAC of the given type over a and b, from c. */
static u32 dot(u32 dtype, u32 flags, const void *a, const void *b, u32 k, u32 c)
{
	struct refaccel_mac_shape s = {
		.dtype = dtype, .flags = flags, .m = 1, .n = 1, .k = k,
		.a_stride = (u64)k * refaccel_mac_in_size(dtype),
		.b_stride = refaccel_mac_in_size(dtype), .c_stride = 4,
	};

	refaccel_mac_compute(&s, a, b, &c, NULL, NULL);
	return c;
}

/*
 * Passes when sums run from k = 0 with each step rounded: 1 + 2^-24 +
 * 2^-24 is 1, the reverse order 1 + 2^-23; and when the product is rounded
 * before it is added (no FMA).
 */
static void refaccel_mac_order(struct kunit *test)
{
	static const u32 fwd[] = { 0x3f800000, 0x33800000, 0x33800000 };
	static const u32 rev[] = { 0x33800000, 0x33800000, 0x3f800000 };
	static const u32 ones[] = { 0x3f800000, 0x3f800000, 0x3f800000 };
	static const u32 x = 0x3f800800;

	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, 0, fwd, ones, 3, 0), 0x3f800000);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, 0, rev, ones, 3, 0), 0x3f800001);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, REFACCEL_MAC_ACCUMULATE, &x, &x, 1,
				  0xbf801000), 0);
}

/* Passes when C seeds the sum only with accumulate, and a NaN in C comes out canonical. */
static void refaccel_mac_accumulate(struct kunit *test)
{
	static const u32 two = 0x40000000, three = 0x40400000;
	static const u16 h_one = 0x3c00, b_two = 0x4000;

	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, 0, &two, &three, 1, 0x7fc00000), 0x40c00000);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, REFACCEL_MAC_ACCUMULATE, &two, &three, 1,
				  0x3f800000), 0x40e00000);	/* 1 + 6 */
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, REFACCEL_MAC_ACCUMULATE, &two, &three, 1,
				  0x7fa00001), NAN32);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP16, 0, &h_one, &h_one, 1, 0), 0x3f800000);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_BF16, 0, &b_two, &b_two, 1, 0), 0x40800000);
	/* -0 + (-0 · 1) keeps the sign; -0 + (+0 · 1) does not. */
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, 0, &(u32){ 0x80000000 }, &(u32){ 0x3f800000 },
				  1, 0x12345678), 0x80000000);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_FP32, 0, &(u32){ 0 }, &(u32){ 0x3f800000 }, 1,
				  0x12345678), 0);
}

/* Passes when int8 and uint8 sums past 2^31 wrap modulo 2^32. */
static void refaccel_mac_int_wrap(struct kunit *test)
{
	const u32 k = 140000;
	u8 *buf = kunit_kmalloc(test, k, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0x80, k);	/* int8 -128 */
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_INT8, 0, buf, buf, k, 0), (u32)(16384ULL * k));
	memset(buf, 0xff, k);	/* int8 -1, uint8 255 */
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_INT8, REFACCEL_MAC_ACCUMULATE, buf, buf, k, 5),
			k + 5);
	KUNIT_EXPECT_EQ(test, dot(REFACCEL_MAC_UINT8, 0, buf, buf, k, 0), (u32)(65025ULL * k));
}

/*
 * Passes when a transposed B gives the same C as B stored as is, and
 * padding between C's rows is left alone.
 */
static void refaccel_mac_layout(struct kunit *test)
{
	static const s8 a[2][3] = { { 1, 2, 3 }, { -4, 5, -6 } };
	static const s8 b[3][2] = { { 7, 8 }, { 9, -10 }, { 11, 12 } };
	static const s8 bt[2][3] = { { 7, 9, 11 }, { 8, -10, 12 } };
	struct refaccel_mac_shape s = {
		.dtype = REFACCEL_MAC_INT8, .m = 2, .n = 2, .k = 3,
		.a_stride = 3, .b_stride = 2, .c_stride = 12,
	};
	s32 c[2][3], ct[2][3];

	memset(c, 0x5a, sizeof(c));
	memset(ct, 0x5a, sizeof(ct));
	refaccel_mac_compute(&s, a, b, c, NULL, NULL);
	s.flags = REFACCEL_MAC_TRANSPOSE_B;
	s.b_stride = 3;
	refaccel_mac_compute(&s, a, bt, ct, NULL, NULL);
	KUNIT_EXPECT_EQ(test, c[0][0], 1 * 7 + 2 * 9 + 3 * 11);
	KUNIT_EXPECT_EQ(test, c[1][1], -4 * 8 + 5 * -10 + -6 * 12);
	KUNIT_EXPECT_MEMEQ(test, c, ct, sizeof(c));
	KUNIT_EXPECT_EQ(test, (u32)c[0][2], 0x5a5a5a5a);
	KUNIT_EXPECT_EQ(test, (u32)c[1][2], 0x5a5a5a5a);
}

static struct kunit_case refaccel_mac_cases[] = {
	KUNIT_CASE(refaccel_mac_fp16_widen),
	KUNIT_CASE(refaccel_mac_bf16_widen),
	KUNIT_CASE(refaccel_mac_fp32_mul),
	KUNIT_CASE(refaccel_mac_fp32_add),
	KUNIT_CASE(refaccel_mac_order),
	KUNIT_CASE(refaccel_mac_accumulate),
	KUNIT_CASE(refaccel_mac_int_wrap),
	KUNIT_CASE(refaccel_mac_layout),
	{}
};

static struct kunit_suite refaccel_mac_suite = {
	.name = "refaccel_mac",
	.test_cases = refaccel_mac_cases,
};

kunit_test_suite(refaccel_mac_suite);
