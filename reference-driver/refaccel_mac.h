/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_MAC_H__
#define __REFACCEL_MAC_H__

#include <linux/types.h>

/* Limits of one MAC command, reported through GET_PARAM. */
#define REFACCEL_MAC_MAX_M	4096
#define REFACCEL_MAC_MAX_N	4096
#define REFACCEL_MAC_MAX_K	1048576

/**
 * struct refaccel_mac_shape - a MAC command, with its matrices located
 * @dtype: enum drm_refaccel_mac_dtype
 * @flags: REFACCEL_MAC_* flags
 * @m: rows of A and C
 * @n: columns of B and C
 * @k: columns of A, rows of B
 * @a_stride: bytes between rows of A
 * @b_stride: bytes between rows of B as stored
 * @c_stride: bytes between rows of C
 */
struct refaccel_mac_shape {
	u32 dtype;
	u32 flags;
	u32 m;
	u32 n;
	u32 k;
	u64 a_stride;
	u64 b_stride;
	u64 c_stride;
};

u32 refaccel_mac_in_size(u32 dtype);
bool refaccel_mac_compute(const struct refaccel_mac_shape *s, const void *a,
			  const void *b, void *c, bool (*should_stop)(const void *data),
			  const void *data);

#endif /* __REFACCEL_MAC_H__ */
