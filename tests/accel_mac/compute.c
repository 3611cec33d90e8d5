// SPDX-License-Identifier: MIT
/*
 * accel_mac, golden-model correctness: the profile's compute level. Does
 * the device compute the right numbers? Every MAC command's result is held
 * against the host golden model (lib/acts_mac.c): bit for bit on a driver
 * that implements the contract, within the documented error bound on
 * others. Every byte the command must not write is checked too. Inputs come
 * from a seed printed by each subtest: ACCEL_CTS_SEED replays a failure.
 * The malformed commands are in malformed.c, the shared part in mac_fx.c;
 * subtests are listed file by file (compute.c, then malformed.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_fault.h"
#include "acts_gem.h"
#include "acts_test.h"

#include "mac_fx.h"

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

/* Long enough for a 256x256x256 MAC on an emulated device under load. */
#define LARGE_JOB_TIMEOUT_MS	60000

/*
 * The largest case checks results, not speed: where the job timeout can be
 * set, it is raised so that a slow (emulated, loaded) device is not judged
 * by it. The harness puts the default back if the subtest does not pass.
 */
static void case_large(struct acts_dev *dev, enum acts_mac_dtype t)
{
	unsigned int old = 0;

	if (__acts_job_timeout_get(dev, &old) || old >= LARGE_JOB_TIMEOUT_MS ||
	    __acts_job_timeout_set(dev, LARGE_JOB_TIMEOUT_MS))
		old = 0;
	run_packed(dev, t, 0, 256, 256, 256, GEN_NORMAL);
	if (old)
		acts_assert_ok(__acts_job_timeout_set(dev, old));
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

/*
 * The golden-model subtests per data type: a fixture whose variants are the
 * types, so that int8-primes and fp32-primes are one body. Setup skips a
 * type the device does not run; each case runs its commands end to end.
 */
ACTS_FIXTURE(mac)
{
	int unused;
};

ACTS_FIXTURE_VARIANT(mac)
{
	enum acts_mac_dtype t;
};

ACTS_FIXTURE_VARIANT_ADD(mac, int8, "MAC-INT-1") { .t = ACTS_MAC_INT8 };
ACTS_FIXTURE_VARIANT_ADD(mac, uint8, "MAC-INT-1") { .t = ACTS_MAC_UINT8 };
ACTS_FIXTURE_VARIANT_ADD(mac, fp16, "MAC-FP-1 MAC-FP-2") { .t = ACTS_MAC_FP16 };
ACTS_FIXTURE_VARIANT_ADD(mac, bf16, "MAC-FP-1 MAC-FP-2") { .t = ACTS_MAC_BF16 };
ACTS_FIXTURE_VARIANT_ADD(mac, fp32, "MAC-FP-2") { .t = ACTS_MAC_FP32 };

ACTS_FIXTURE_SETUP(mac)
{
	require_mac(dev, variant->t);
}

ACTS_FIXTURE_TEARDOWN(mac)
{
}

ACTS_TEST_F(mac, 1x1x1, "MAC-CAP-1 {rules}",
	    "a 1x1x1 {variant} MAC")
{
	case_1x1x1(dev, variant->t);
}

ACTS_TEST_F(mac, primes, "{rules} MAC-ORDER-1",
	    "a 31x37x41 {variant} MAC")
{
	case_primes(dev, variant->t);
}

ACTS_TEST_F(mac, non_square, "{rules} MAC-LAYOUT-1",
	    "wide, tall and single-element {variant} MACs (3x67x5, 67x2x29, 1x1x300)")
{
	case_non_square(dev, variant->t);
}

ACTS_TEST_F(mac, accumulate, "{rules} MAC-ORDER-1",
	    "an {variant} MAC that adds to C instead of overwriting it")
{
	case_accumulate(dev, variant->t);
}

ACTS_TEST_F(mac, transposed_b, "{rules} MAC-LAYOUT-1",
	    "{variant} MACs with B stored transposed, with and without accumulate")
{
	case_transposed(dev, variant->t);
}

ACTS_TEST_F(mac, strided, "{rules} MAC-LAYOUT-1",
	    "{variant} MACs whose rows are padded; the padding is neither read nor written")
{
	case_strided(dev, variant->t);
}

ACTS_TEST_F(mac, offsets, "{rules} MAC-LAYOUT-1",
	    "{variant} MACs at sub-BO offsets, sharing one BO and crossing pages")
{
	case_offsets(dev, variant->t);
}

ACTS_TEST_F(mac, random, "{rules} MAC-ORDER-1 MAC-LAYOUT-1",
	    "12 {variant} MACs of random shape, flags, strides, offsets and values (seeded)")
{
	case_random(dev, variant->t);
}

ACTS_TEST_F(mac, specials, "{rules} MAC-FP-3",
	    "{variant} products and sums of every pair of the type's special or extreme values")
{
	case_specials(dev, variant->t);
}

ACTS_SUBTEST(int8_256, "MAC-INT-1 MAC-SCALE-1", "a 256x256x256 int8 MAC")
{
	case_large(dev, ACTS_MAC_INT8);
}

ACTS_SUBTEST(fp16_256, "MAC-FP-2 MAC-SCALE-1", "a 256x256x256 fp16 MAC")
{
	case_large(dev, ACTS_MAC_FP16);
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

ACTS_SUBTEST(int8_k_overflow, "MAC-INT-1", "int8 sums past 2^31 wrap modulo 2^32 (K = 140000)")
{
	case_k_overflow(dev, ACTS_MAC_INT8);
}

ACTS_SUBTEST(uint8_k_overflow, "MAC-INT-1", "uint8 sums past 2^32 wrap (K = 140000)")
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
ACTS_SUBTEST(fp32_order_and_rounding, "MAC-FP-2 MAC-ORDER-1",
	     "sums run from k = 0 with ties to even, and products are rounded before the sum (no FMA)")
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
ACTS_SUBTEST(fp32_overwrite_ignores_c, "MAC-ORDER-1",
	     "without accumulate, a NaN or infinity in C does not leak into the result")
{
	static const uint32_t two = 0x40000000, three = 0x40400000;

	acts_assert_eq(fp32_dot(dev, 0, 0x7fc00000, &two, &three, 1), 0x40c00000u);
	acts_assert_eq(fp32_dot(dev, 0, 0xff800000, &two, &three, 1), 0x40c00000u);
}

ACTS_MAIN()
