// SPDX-License-Identifier: MIT
/*
 * accel_mac, malformed MAC commands: each descriptor breaks one rule of a
 * valid command, and must be refused with EINVAL and no effect (no fence,
 * no byte of any BO written); the valid command it came from then runs and
 * gives the right result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"

#include "mac_fx.h"

/* ---- malformed descriptors: EINVAL, nothing written ---- */

/*
 * fx->d must fail with EINVAL and change nothing: no fence, no byte of any
 * BO. Then good, which differs from it in one thing only, must run and give
 * the right result.
 */
static void expect_refused_only(struct mac_fx *fx, enum acts_engine engine)
{
	struct acts_dev *dev = fx->dev;
	struct acts_fence out;
	unsigned int i;
	int ret;

	ret = fx_submit(fx, engine, &out);
	if (ret != -EINVAL)
		acts_fail("the malformed MAC command returned %s, expected EINVAL",
			  ret ? acts_errno_name(ret) : "success");
	/* No job, so no fence; and below, no BO busy or written. */
	acts_assert_eq(out.kind, ACTS_FENCE_NONE);
	for (i = 0; i < fx->nbo; i++) {
		acts_assert_ok(__acts_bo_wait(dev, fx->handles[i], 0));
		acts_assert(!memcmp(fx->bo[i].map, fx->before[i], fx->bo[i].size));
	}
}

static void expect_refused(struct mac_fx *fx, enum acts_engine engine, const struct acts_mac *good)
{
	expect_refused_only(fx, engine);
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

/* ---- the subtests ---- */

ACTS_SUBTEST(mac_unknown_dtype, "MAC-INVAL-1",
	     "an unknown data type: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, bad_dtype, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_unknown_flags, "MAC-INVAL-1",
	     "an unknown flag: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, bad_flags, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_zero_m, "MAC-INVAL-1",
	     "M = 0: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, zero_m, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_zero_n, "MAC-INVAL-1",
	     "N = 0: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, zero_n, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_zero_k, "MAC-INVAL-1",
	     "K = 0: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, zero_k, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_m_over_limit, "MAC-CAP-1 MAC-INVAL-1 MAC-LIMIT-1",
	     "M one past the reported limit: EINVAL; M at the limit runs")
{
	over_limit(dev, ACTS_Q_MAC_MAX_M);
}

ACTS_SUBTEST(mac_n_over_limit, "MAC-CAP-1 MAC-INVAL-1 MAC-LIMIT-1",
	     "N one past the reported limit: EINVAL; N at the limit runs")
{
	over_limit(dev, ACTS_Q_MAC_MAX_N);
}

ACTS_SUBTEST(mac_k_over_limit, "MAC-CAP-1 MAC-INVAL-1 MAC-LIMIT-1",
	     "K one past the reported limit: EINVAL; K at the limit runs")
{
	over_limit(dev, ACTS_Q_MAC_MAX_K);
}

ACTS_SUBTEST(mac_huge_dims, "MAC-INVAL-1",
	     "M = N = K = 2^32 - 1: EINVAL, no overflow")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, huge_dims, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_bad_bo_index, "MAC-INVAL-1",
	     "B names a BO index past the job's list: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, bad_bo_index, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_a_out_of_bounds, "MAC-INVAL-1",
	     "A's last row ends past its BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP16, 0, 4, 5, 6, a_oob, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_b_out_of_bounds, "MAC-INVAL-1",
	     "B's last row ends past its BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP16, 0, 4, 5, 6, b_oob, ACTS_ENGINE_COMPUTE);
}

/* Transposed B has N rows of K: with N > K, checking K rows would miss this. */
ACTS_SUBTEST(mac_b_transposed_out_of_bounds, "MAC-INVAL-1",
	     "transposed B's last row ends past its BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP16, ACTS_MAC_TRANSPOSE_B, 4, 9, 3, b_oob, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_out_of_bounds, "MAC-INVAL-1",
	     "C's last row ends past its BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP16, 0, 4, 5, 6, c_oob, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_a_stride_out_of_bounds, "MAC-INVAL-1",
	     "A's stride takes its rows past its BO: EINVAL")
{
	refused(dev, ACTS_MAC_INT8, 0, 4, 5, 6, a_stride_oob, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_a_offset_overflow, "MAC-INVAL-1",
	     "A's offset wraps around 2^64: EINVAL")
{
	refused(dev, ACTS_MAC_INT8, 0, 4, 5, 6, a_offset_wraps, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_offset_overflow, "MAC-INVAL-1",
	     "C's offset wraps around 2^64: EINVAL")
{
	refused(dev, ACTS_MAC_INT8, 0, 4, 5, 6, c_offset_wraps, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_b_stride_overflow, "MAC-INVAL-1",
	     "B's stride times its rows wraps: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, b_stride_wraps, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_stride_overflow, "MAC-INVAL-1",
	     "C's stride times its rows wraps: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, c_stride_wraps, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_a_stride_too_small, "MAC-INVAL-1",
	     "A's rows overlap (stride < row): EINVAL")
{
	refused(dev, ACTS_MAC_BF16, 0, 4, 5, 6, a_stride_short, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_stride_too_small, "MAC-INVAL-1",
	     "C's rows overlap (stride < row): EINVAL")
{
	refused(dev, ACTS_MAC_BF16, 0, 4, 5, 6, c_stride_short, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_a_offset_misaligned, "MAC-INVAL-1",
	     "an fp16 A at an odd offset: EINVAL")
{
	refused(dev, ACTS_MAC_FP16, 0, 4, 5, 6, a_offset_odd, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_b_stride_misaligned, "MAC-INVAL-1",
	     "an fp32 B stride not a multiple of 4: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, b_stride_odd, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_offset_misaligned, "MAC-INVAL-1",
	     "C at an offset not a multiple of 4: EINVAL")
{
	refused(dev, ACTS_MAC_INT8, 0, 4, 5, 6, c_offset_unaligned, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_stride_misaligned, "MAC-INVAL-1",
	     "a C stride not a multiple of 4: EINVAL")
{
	refused(dev, ACTS_MAC_INT8, 0, 4, 5, 6, c_stride_unaligned, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_overlaps_a, "MAC-INVAL-1",
	     "C overlapping A in the same BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, c_overlaps_a, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_c_overlaps_b, "MAC-INVAL-1",
	     "C overlapping B in the same BO: EINVAL")
{
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, c_overlaps_b, ACTS_ENGINE_COMPUTE);
}

ACTS_SUBTEST(mac_on_copy_engine, "MAC-INVAL-1",
	     "a MAC sent to the copy engine: EINVAL")
{
	acts_require_engine(dev, ACTS_ENGINE_COPY);
	refused(dev, ACTS_MAC_FP32, 0, 4, 5, 6, none, ACTS_ENGINE_COPY);
}

/* ---- edges that are valid: the last row at the very end of its BO ---- */

/*
 * A 5x7x9 fp16 command with strides longer than a row, one matrix placed so
 * that its last row ends exactly at the end of its BO: it runs, right.
 */
static void last_row_at_bo_end(struct acts_dev *dev, int which, uint32_t flags)
{
	struct mac_fx fx;
	struct acts_mac *d = &fx.d;
	uint64_t extent, *offset;

	fx_init(&fx, dev, ACTS_MAC_FP16);
	fx_packed(&fx, ACTS_MAC_FP16, flags, 5, 7, 9);
	d->a_stride += 6;
	d->b_stride += 10;
	d->c_stride += 12;
	extent = which == 0 ? acts_mac_a_extent(d) : which == 1 ? acts_mac_b_extent(d) :
			      acts_mac_c_extent(d);
	offset = which == 0 ? &d->a_offset : which == 1 ? &d->b_offset : &d->c_offset;
	*offset = (extent + SZ_4K - 1) / SZ_4K * SZ_4K - extent;
	fx_place(&fx, 3, GEN_NORMAL);
	acts_assert_eq_u64(*offset + extent, fx.bo[which].size);
	fx_run_and_check(&fx);
	fx_fini(&fx);
}

ACTS_SUBTEST(mac_a_at_bo_end, "MAC-LIMIT-1 MAC-LAYOUT-1",
	     "strided A whose last row ends exactly at the end of its BO runs, right")
{
	last_row_at_bo_end(dev, 0, 0);
}

ACTS_SUBTEST(mac_b_at_bo_end, "MAC-LIMIT-1 MAC-LAYOUT-1",
	     "strided B, stored and transposed, whose last row ends exactly at the end of its BO runs, right")
{
	last_row_at_bo_end(dev, 1, 0);
	last_row_at_bo_end(dev, 1, ACTS_MAC_TRANSPOSE_B);
}

ACTS_SUBTEST(mac_c_at_bo_end, "MAC-LIMIT-1 MAC-LAYOUT-1",
	     "strided C whose last row ends exactly at the end of its BO runs, right")
{
	last_row_at_bo_end(dev, 2, 0);
}

ACTS_SUBTEST(mac_c_overlaps_a_two_indices, "MAC-INVAL-1",
	     "C overlapping A in one BO listed under two indices: EINVAL")
{
	struct acts_mac good;
	struct mac_fx fx;
	uint32_t c_handle;

	fx_init(&fx, dev, ACTS_MAC_FP32);
	fx_packed(&fx, ACTS_MAC_FP32, 0, 4, 5, 6);
	fx_place(&fx, 3, GEN_NORMAL);
	good = fx.d;
	/* C's index names A's BO, and C starts inside A. */
	c_handle = fx.handles[2];
	fx.handles[2] = fx.handles[0];
	fx.d.c_offset = 4;
	expect_refused_only(&fx, ACTS_ENGINE_COMPUTE);
	fx.handles[2] = c_handle;
	fx.d = good;
	fx_run_and_check(&fx);
	fx_fini(&fx);
}
