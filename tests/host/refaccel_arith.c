// SPDX-License-Identifier: MIT
/*
 * refaccel's MAC arithmetic, built for userspace, held against the host FPU
 * (IEEE 754 binary32 with SSE: round to nearest even, subnormals kept) and
 * against the suite's golden model. The same comparison runs in the VM
 * through the driver; this one is fast and covers millions of operands.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_mac.h"
#include "acts_rand.h"
#include "acts_test.h"

#include "refaccel_accel.h"
#include "refaccel_fp.h"
#include "refaccel_mac.h"

/* What the contract says the FPU's result is stored as. */
static uint32_t canonical(float f)
{
	return isnan(f) ? ACTS_FP32_NAN : acts_f32_bits(f);
}

static void expect_op(char op, uint32_t a, uint32_t b, uint32_t got)
{
	float fa = acts_f32(a), fb = acts_f32(b);
	uint32_t want = canonical(op == '*' ? fa * fb : fa + fb);

	if (got != want)
		acts_fail("%#010x %c %#010x (%a %c %a): refaccel %#010x, FPU %#010x", a, op, b,
			  fa, op, fb, got, want);
}

/* Operands where rounding and IEEE 754's special cases live. */
static const uint32_t specials[] = {
	0x00000000, 0x80000000,			/* ±0 */
	0x00000001, 0x80000001, 0x00000002,	/* smallest subnormals */
	0x007fffff, 0x807fffff, 0x00400000,	/* largest and middle subnormal */
	0x00800000, 0x80800000, 0x00800001,	/* smallest normals */
	0x3f800000, 0xbf800000, 0x3f800001,	/* ±1, 1 + ulp */
	0x3f7fffff, 0x3fffffff, 0x40000000,	/* 1 - ulp/2, 2 - ulp, 2 */
	0x33800000, 0x33800001, 0x34000000,	/* 2^-24 (half ulp of 1) and around */
	0x4b800000, 0x4b800001, 0xcb7fffff,	/* 2^24 and neighbours */
	0x7f7fffff, 0xff7fffff, 0x7f000000,	/* largest finite, 2^127 */
	0x1f800000, 0x20000000, 0x5f800000,	/* 2^-64, 2^-63, 2^64 */
	0x7f800000, 0xff800000,			/* ±Inf */
	0x7fc00000, 0xffc00000, 0x7f800001, 0x7fbfffff,	/* quiet and signalling NaNs */
	0x3eaaaaab, 0x3dcccccd, 0xc0490fdb,	/* 1/3, 0.1, -pi */
};

static void test_specials(struct acts_dev *dev)
{
	size_t i, j, n = sizeof(specials) / sizeof(specials[0]);

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			expect_op('*', specials[i], specials[j],
				  refaccel_fp32_mul(specials[i], specials[j]));
			expect_op('+', specials[i], specials[j],
				  refaccel_fp32_add(specials[i], specials[j]));
		}
}

/* A random fp32 whose biased exponent is near e (clamped to 0..255). */
static uint32_t near_exponent(struct acts_rand *r, int e, int spread)
{
	int x = e + (int)acts_rand_below(r, 2 * spread + 1) - spread;

	x = x < 0 ? 0 : x > 255 ? 255 : x;
	return (uint32_t)acts_rand_below(r, 2) << 31 | (uint32_t)x << 23 |
	       (acts_rand_u32(r) & 0x7fffff);
}

/*
 * Random operand pairs of several kinds: any bits; close exponents
 * (alignment, cancellation); subnormal range; products near overflow and
 * underflow; short significands (exact ties).
 */
static void random_pair(struct acts_rand *r, int kind, uint32_t *a, uint32_t *b)
{
	int e;

	switch (kind) {
	case 0:
		*a = acts_rand_u32(r);
		*b = acts_rand_u32(r);
		break;
	case 1:
		e = (int)acts_rand_below(r, 256);
		*a = near_exponent(r, e, 2);
		*b = near_exponent(r, e, 26);
		break;
	case 2:
		*a = near_exponent(r, 2, 3);
		*b = near_exponent(r, (int)acts_rand_below(r, 160), 3);
		break;
	case 3:
		/* Biased exponents add up (less 127) to near 254: overflow... */
		e = 127 + (int)acts_rand_below(r, 128);
		*a = near_exponent(r, e, 0);
		*b = near_exponent(r, 381 - e, 2);
		break;
	case 4:
		/* ...or to near 0 and below: subnormal products and underflow. */
		e = (int)acts_rand_below(r, 128);
		*a = near_exponent(r, e, 0);
		*b = near_exponent(r, 127 - e - 12, 14);
		break;
	default:
		*a = near_exponent(r, 127, 12) & 0xfff80000;
		*b = near_exponent(r, 127, 12) & 0xfff80000;
		break;
	}
}

static void random_ops(char op)
{
	uint64_t seed = acts_seed();
	struct acts_rand r = acts_rand_init(seed);
	uint32_t a, b, got;
	long i;

	printf("seed %#llx (ACCEL_CTS_SEED reproduces it)\n", (unsigned long long)seed);
	for (i = 0; i < 4000000; i++) {
		random_pair(&r, (int)(i % 6), &a, &b);
		got = op == '*' ? refaccel_fp32_mul(a, b) : refaccel_fp32_add(a, b);
		expect_op(op, a, b, got);
		if (i & 1)	/* both orders */
			expect_op(op, b, a, op == '*' ? refaccel_fp32_mul(b, a) :
							refaccel_fp32_add(b, a));
	}
}

static void test_mul_random(struct acts_dev *dev)
{
	random_ops('*');
}

static void test_add_random(struct acts_dev *dev)
{
	random_ops('+');
}

static void test_widen_all(struct acts_dev *dev)
{
	uint32_t h, want, got;
	uint16_t bits;
	_Float16 half;

	for (h = 0; h <= 0xffff; h++) {
		bits = (uint16_t)h;
		memcpy(&half, &bits, sizeof(half));
		want = canonical((float)half);
		got = refaccel_fp16_to_fp32((uint16_t)h);
		if (got != want)
			acts_fail("fp16 %#06x: refaccel %#010x, FPU %#010x", h, got, want);
		want = canonical(acts_f32(h << 16));
		got = refaccel_bf16_to_fp32((uint16_t)h);
		if (got != want)
			acts_fail("bf16 %#06x: refaccel %#010x, expected %#010x", h, got, want);
	}
}

/* Random matrices in one buffer, run through refaccel's MAC and the golden model. */
static void test_mac_vs_golden(struct acts_dev *dev)
{
	static const uint32_t uapi_dtype[] = {
		[ACTS_MAC_INT8] = REFACCEL_MAC_INT8, [ACTS_MAC_UINT8] = REFACCEL_MAC_UINT8,
		[ACTS_MAC_FP16] = REFACCEL_MAC_FP16, [ACTS_MAC_BF16] = REFACCEL_MAC_BF16,
		[ACTS_MAC_FP32] = REFACCEL_MAC_FP32,
	};
	uint64_t seed = acts_seed();
	struct acts_rand r = acts_rand_init(seed);
	int iter;

	printf("seed %#llx (ACCEL_CTS_SEED reproduces it)\n", (unsigned long long)seed);
	for (iter = 0; iter < 3000; iter++) {
		struct acts_mac d = {
			.dtype = (enum acts_mac_dtype)acts_rand_below(&r, ACTS_MAC_DTYPE_COUNT),
			.flags = (uint32_t)acts_rand_below(&r, 4),
			.m = 1 + (uint32_t)acts_rand_below(&r, 9),
			.n = 1 + (uint32_t)acts_rand_below(&r, 9),
			.k = 1 + (uint32_t)acts_rand_below(&r, 40),
		};
		unsigned int es = acts_mac_in_size(d.dtype);
		bool tb = d.flags & ACTS_MAC_TRANSPOSE_B;
		struct refaccel_mac_shape s;
		uint8_t *dev_buf, *gold;
		uint64_t size, i;

		/* A, then B, then C, each with padded rows and a gap before it. */
		d.a_stride = (d.k + acts_rand_below(&r, 3)) * es;
		d.b_stride = ((tb ? d.k : d.n) + acts_rand_below(&r, 3)) * es;
		d.c_stride = (d.n + acts_rand_below(&r, 3)) * 4;
		d.a_offset = acts_rand_below(&r, 4) * 4;
		d.b_offset = d.a_offset + acts_mac_a_extent(&d) + acts_rand_below(&r, 4) * 4;
		d.c_offset = (d.b_offset + acts_mac_b_extent(&d) + 3) / 4 * 4 + 4;
		size = d.c_offset + acts_mac_c_extent(&d) + 8;

		dev_buf = malloc(size);
		gold = malloc(size);
		acts_assert(dev_buf && gold);
		for (i = 0; i < size; i++)
			dev_buf[i] = (uint8_t)acts_rand_u32(&r);
		/* Mostly ordinary floats, so sums are not all NaN. */
		if (acts_mac_dtype_is_float(d.dtype))
			for (i = 0; i + es <= d.c_offset; i += es) {
				float v = (float)((int)acts_rand_below(&r, 2001) - 1000) / 64;

				if (acts_rand_below(&r, 50) == 0)
					continue;	/* keep the random bits: specials too */
				if (d.dtype == ACTS_MAC_FP16) {
					uint16_t h = acts_float_to_fp16(v);

					memcpy(dev_buf + i, &h, 2);
				} else if (d.dtype == ACTS_MAC_BF16) {
					uint16_t h = acts_float_to_bf16(v);

					memcpy(dev_buf + i, &h, 2);
				} else {
					memcpy(dev_buf + i, &v, 4);
				}
			}
		memcpy(gold, dev_buf, size);

		s = (struct refaccel_mac_shape){
			.dtype = uapi_dtype[d.dtype],
			.flags = (d.flags & ACTS_MAC_ACCUMULATE ? REFACCEL_MAC_ACCUMULATE : 0) |
				 (tb ? REFACCEL_MAC_TRANSPOSE_B : 0),
			.m = d.m, .n = d.n, .k = d.k,
			.a_stride = d.a_stride, .b_stride = d.b_stride, .c_stride = d.c_stride,
		};
		refaccel_mac_compute(&s, dev_buf + d.a_offset, dev_buf + d.b_offset,
				     dev_buf + d.c_offset, NULL, NULL);
		acts_mac_golden(&d, gold, gold, gold);
		for (i = 0; i < size; i++)
			if (dev_buf[i] != gold[i])
				acts_fail("seed %#llx case %d (%s %ux%ux%u flags %#x): byte %llu is "
					  "%#x, golden model %#x", (unsigned long long)seed, iter,
					  acts_mac_dtype_name(d.dtype), d.m, d.n, d.k, d.flags,
					  (unsigned long long)i, dev_buf[i], gold[i]);
		free(dev_buf);
		free(gold);
	}
}

static const struct acts_subtest tests[] = {
	{ "widen-fp16-bf16-all", "MAC-FP-1",
	  "all 65,536 fp16 and bf16 values widen to the FPU's fp32", test_widen_all,
	  ACTS_NO_DEVICE },
	{ "specials", "MAC-FP-2 MAC-FP-3",
	  "fp32 mul and add of every pair of special operands match the FPU", test_specials,
	  ACTS_NO_DEVICE },
	{ "mul-random", "MAC-FP-2", "4M+ random fp32 products match the FPU bit for bit",
	  test_mul_random, ACTS_NO_DEVICE },
	{ "add-random", "MAC-FP-2", "4M+ random fp32 sums match the FPU bit for bit",
	  test_add_random, ACTS_NO_DEVICE },
	{ "mac-vs-golden", "MAC-ORDER-1 MAC-LAYOUT-1",
	  "3000 random MAC commands (every type, flag, stride and offset) give the golden "
	  "model's bytes, padding untouched", test_mac_vs_golden, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
