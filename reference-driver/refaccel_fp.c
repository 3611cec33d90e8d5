// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * IEEE 754 binary32 multiplication and addition, round to nearest, ties to
 * even, in integer arithmetic: the kernel does not use the FPU. Values are
 * passed as their bit patterns. Subnormals are handled exactly. NaN results
 * are always REFACCEL_FP32_NAN, which is all the MAC contract needs, so NaN
 * payloads are not propagated.
 *
 * Nothing here depends on the rest of the kernel beyond types and fls64(),
 * so KUnit and a userspace test can check it against a real FPU.
 */

#include <linux/bitops.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include "refaccel_fp.h"

#define FP32_SIGN	0x80000000U
#define FP32_INF	0x7f800000U
#define FP32_FRAC	0x007fffffU
#define FP32_HIDDEN	0x00800000U

static bool fp32_is_nan(u32 x)
{
	return (x & ~FP32_SIGN) > FP32_INF;
}

static bool fp32_is_inf(u32 x)
{
	return (x & ~FP32_SIGN) == FP32_INF;
}

static bool fp32_is_zero(u32 x)
{
	return !(x & ~FP32_SIGN);
}

/*
 * Split a finite, non-zero x into a significand below 2^24 and an exponent,
 * so that |x| = sig * 2^exp. Subnormals keep their unnormalised fraction.
 */
static u32 fp32_unpack(u32 x, int *exp)
{
	u32 biased = (x & FP32_INF) >> 23;

	if (!biased) {
		*exp = -149;
		return x & FP32_FRAC;
	}
	*exp = (int)biased - 150;
	return (x & FP32_FRAC) | FP32_HIDDEN;
}

/*
 * Round sign * mant * 2^exp to the nearest fp32, ties to even. mant is not
 * zero. Bit 0 of mant may be a sticky bit standing for non-zero bits that
 * were shifted out below it; callers keep it far below the rounding point.
 */
static u32 fp32_round_pack(u32 sign, u64 mant, int exp)
{
	int shift = 64 - fls64(mant), top, drop;
	u64 sig, rem, half;
	u32 biased;

	/* Leading bit at 2^63: |value| is in [2^top, 2^(top + 1)). */
	mant <<= shift;
	exp -= shift;
	top = exp + 63;
	if (top > 127)
		return sign | FP32_INF;

	/* Keep 24 bits for a normal; fewer for a subnormal, whose unit is 2^-149. */
	drop = top >= -126 ? 40 : 40 + (-126 - top);
	if (drop > 64)
		return sign;	/* below half the smallest subnormal */
	if (drop == 64) {
		sig = 0;
		rem = mant;
		half = 1ULL << 63;
	} else {
		sig = mant >> drop;
		rem = mant & ((1ULL << drop) - 1);
		half = 1ULL << (drop - 1);
	}
	if (rem > half || (rem == half && (sig & 1)))
		sig++;

	if (top < -126)	/* a carry into bit 23 is the smallest normal: still right */
		return sign | (u32)sig;

	biased = top + 127;
	if (sig == (u64)FP32_HIDDEN << 1) {
		sig >>= 1;
		biased++;
	}
	if (biased >= 255)
		return sign | FP32_INF;
	return sign | biased << 23 | ((u32)sig & FP32_FRAC);
}

/**
 * refaccel_fp16_to_fp32() - widen an IEEE 754 binary16 value
 * @h: the binary16 bits
 *
 * Return: the same value as fp32 bits (exact); REFACCEL_FP32_NAN for a NaN.
 */
u32 refaccel_fp16_to_fp32(u16 h)
{
	u32 sign = (u32)(h & 0x8000) << 16;
	u32 biased = (h >> 10) & 0x1f;
	u32 frac = h & 0x3ff;

	if (biased == 0x1f)
		return frac ? REFACCEL_FP32_NAN : sign | FP32_INF;
	if (biased)	/* rebias from 15 to 127 */
		return sign | (biased + 112) << 23 | frac << 13;
	if (!frac)
		return sign;
	/* A binary16 subnormal is frac * 2^-24, a normal fp32: exact. */
	return fp32_round_pack(sign, frac, -24);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_fp16_to_fp32);

/**
 * refaccel_bf16_to_fp32() - widen a bfloat16 value
 * @b: the bfloat16 bits, the upper half of an fp32
 *
 * Return: the same value as fp32 bits (exact); REFACCEL_FP32_NAN for a NaN.
 */
u32 refaccel_bf16_to_fp32(u16 b)
{
	u32 x = (u32)b << 16;

	return fp32_is_nan(x) ? REFACCEL_FP32_NAN : x;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_bf16_to_fp32);

/**
 * refaccel_fp32_mul() - multiply two fp32 values
 * @a: fp32 bits
 * @b: fp32 bits
 *
 * Return: a · b rounded to nearest, ties to even.
 */
u32 refaccel_fp32_mul(u32 a, u32 b)
{
	u32 sign = (a ^ b) & FP32_SIGN;
	int ea, eb;
	u32 ma, mb;

	if (fp32_is_nan(a) || fp32_is_nan(b))
		return REFACCEL_FP32_NAN;
	if (fp32_is_inf(a) || fp32_is_inf(b)) {
		if (fp32_is_zero(a) || fp32_is_zero(b))
			return REFACCEL_FP32_NAN;
		return sign | FP32_INF;
	}
	if (fp32_is_zero(a) || fp32_is_zero(b))
		return sign;

	ma = fp32_unpack(a, &ea);
	mb = fp32_unpack(b, &eb);
	/* The 48-bit product is exact; only the packing rounds. */
	return fp32_round_pack(sign, (u64)ma * mb, ea + eb);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_fp32_mul);

/**
 * refaccel_fp32_add() - add two fp32 values
 * @a: fp32 bits
 * @b: fp32 bits
 *
 * Return: a + b rounded to nearest, ties to even.
 */
u32 refaccel_fp32_add(u32 a, u32 b)
{
	u64 big, small, sum;
	int ea, eb, d;
	u32 t;

	if (fp32_is_nan(a) || fp32_is_nan(b))
		return REFACCEL_FP32_NAN;
	if (fp32_is_inf(a)) {
		if (fp32_is_inf(b) && ((a ^ b) & FP32_SIGN))
			return REFACCEL_FP32_NAN;
		return a;
	}
	if (fp32_is_inf(b))
		return b;
	if (fp32_is_zero(a))	/* -0 only when both are -0 */
		return fp32_is_zero(b) ? a & b : b;
	if (fp32_is_zero(b))
		return a;

	/* Make a the larger in magnitude: its exponent is then the larger too. */
	if ((a & ~FP32_SIGN) < (b & ~FP32_SIGN)) {
		t = a;
		a = b;
		b = t;
	}
	big = (u64)fp32_unpack(a, &ea) << 38;
	small = (u64)fp32_unpack(b, &eb) << 38;

	/*
	 * Align b, folding what falls off into a sticky bit 0. Bits are lost
	 * only when d >= 2, and then the result keeps its leading bit within
	 * two places of a's, so the sticky bit stays far below the rounding
	 * point; massive cancellation (d <= 1) is exact.
	 */
	d = ea - eb;
	if (d >= 64)
		small = 1;
	else if (d)
		small = (small >> d) | !!(small & ((1ULL << d) - 1));

	if ((a ^ b) & FP32_SIGN) {
		sum = big - small;
		if (!sum)
			return 0;	/* x + -x is +0 */
	} else {
		sum = big + small;
	}
	return fp32_round_pack(a & FP32_SIGN, sum, ea - 38);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_fp32_add);
