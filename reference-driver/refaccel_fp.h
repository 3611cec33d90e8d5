/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_FP_H__
#define __REFACCEL_FP_H__

#include <linux/types.h>

/* The canonical quiet NaN every NaN result of the MAC engine is stored as. */
#define REFACCEL_FP32_NAN	0x7fc00000U

u32 refaccel_fp16_to_fp32(u16 h);
u32 refaccel_bf16_to_fp32(u16 b);
u32 refaccel_fp32_mul(u32 a, u32 b);
u32 refaccel_fp32_add(u32 a, u32 b);

#endif /* __REFACCEL_FP_H__ */
