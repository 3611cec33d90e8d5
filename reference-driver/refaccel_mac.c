// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * The MAC engine's arithmetic: C = A · B (+ C) over plain memory, following
 * the contract of the uapi's "refaccel MAC arithmetic" section. It works on
 * addresses the caller has mapped and checked, and depends on nothing but
 * the soft-float helpers, so KUnit and a userspace test can run it.
 */

#include <linux/sched.h>
#include <linux/types.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_fp.h"
#include "refaccel_mac.h"

/**
 * refaccel_mac_in_size() - bytes of one A or B element
 * @dtype: enum drm_refaccel_mac_dtype
 *
 * Return: the element size, or 0 for an unknown type.
 */
u32 refaccel_mac_in_size(u32 dtype)
{
	switch (dtype) {
	case REFACCEL_MAC_INT8:
	case REFACCEL_MAC_UINT8:
		return 1;
	case REFACCEL_MAC_FP16:
	case REFACCEL_MAC_BF16:
		return 2;
	case REFACCEL_MAC_FP32:
		return 4;
	default:
		return 0;
	}
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_mac_in_size);

/*
 * One dot product per type: a steps by one element, b by b_step bytes.
 * Integer sums are done in u32, where wrapping is defined.
 */
static u32 refaccel_dot_int8(const s8 *a, const u8 *b, u64 b_step, u32 k, u32 acc)
{
	u32 i;

	for (i = 0; i < k; i++, b += b_step)
		acc += (u32)((s32)a[i] * *(const s8 *)b);
	return acc;
}

static u32 refaccel_dot_uint8(const u8 *a, const u8 *b, u64 b_step, u32 k, u32 acc)
{
	u32 i;

	for (i = 0; i < k; i++, b += b_step)
		acc += (u32)a[i] * *b;
	return acc;
}

static u32 refaccel_dot_fp16(const u16 *a, const u8 *b, u64 b_step, u32 k, u32 acc)
{
	u32 i;

	for (i = 0; i < k; i++, b += b_step)
		acc = refaccel_fp32_add(acc,
					refaccel_fp32_mul(refaccel_fp16_to_fp32(a[i]),
							  refaccel_fp16_to_fp32(*(const u16 *)b)));
	return acc;
}

static u32 refaccel_dot_bf16(const u16 *a, const u8 *b, u64 b_step, u32 k, u32 acc)
{
	u32 i;

	for (i = 0; i < k; i++, b += b_step)
		acc = refaccel_fp32_add(acc,
					refaccel_fp32_mul(refaccel_bf16_to_fp32(a[i]),
							  refaccel_bf16_to_fp32(*(const u16 *)b)));
	return acc;
}

static u32 refaccel_dot_fp32(const u32 *a, const u8 *b, u64 b_step, u32 k, u32 acc)
{
	u32 i;

	for (i = 0; i < k; i++, b += b_step)
		acc = refaccel_fp32_add(acc, refaccel_fp32_mul(a[i], *(const u32 *)b));
	return acc;
}

/**
 * refaccel_mac_compute() - run one MAC command
 * @s: the command; its type, flags and sizes were validated
 * @a: address of A's first element, aligned to its element size
 * @b: address of B's first element, aligned to its element size
 * @c: address of C's first element, 4-byte aligned; must not overlap A or B
 * @should_stop: asked before every result element whether to stop early;
 *	NULL to always finish
 * @data: passed to @should_stop
 *
 * Elements are accessed in place, in CPU byte order. May sleep between
 * result elements, so that a large command does not hog the CPU, and stops
 * within one result element (K multiply-adds) of a stop request.
 *
 * Return: true when every element of C was computed, false when stopped.
 */
bool refaccel_mac_compute(const struct refaccel_mac_shape *s, const void *a,
			  const void *b, void *c, bool (*should_stop)(const void *data),
			  const void *data)
{
	bool float_type = s->dtype >= REFACCEL_MAC_FP16;
	u32 es = refaccel_mac_in_size(s->dtype);
	u64 b_col, b_step;
	u32 i, j;

	/* B[k][j]: along k by b_step, across j by b_col. */
	if (s->flags & REFACCEL_MAC_TRANSPOSE_B) {
		b_step = es;
		b_col = s->b_stride;
	} else {
		b_step = s->b_stride;
		b_col = es;
	}

	for (i = 0; i < s->m; i++) {
		const void *arow = a + i * s->a_stride;
		u32 *crow = c + i * s->c_stride;

		for (j = 0; j < s->n; j++) {
			const u8 *bcol = b + j * b_col;
			u32 acc;

			if (should_stop && should_stop(data))
				return false;

			if (s->flags & REFACCEL_MAC_ACCUMULATE)
				acc = crow[j];
			else
				acc = float_type ? 0x80000000U : 0;	/* -0.0 or 0 */

			switch (s->dtype) {
			case REFACCEL_MAC_INT8:
				acc = refaccel_dot_int8(arow, bcol, b_step, s->k, acc);
				break;
			case REFACCEL_MAC_UINT8:
				acc = refaccel_dot_uint8(arow, bcol, b_step, s->k, acc);
				break;
			case REFACCEL_MAC_FP16:
				acc = refaccel_dot_fp16(arow, bcol, b_step, s->k, acc);
				break;
			case REFACCEL_MAC_BF16:
				acc = refaccel_dot_bf16(arow, bcol, b_step, s->k, acc);
				break;
			case REFACCEL_MAC_FP32:
				acc = refaccel_dot_fp32(arow, bcol, b_step, s->k, acc);
				break;
			}
			crow[j] = acc;
			cond_resched();
		}
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_mac_compute);
