/* SPDX-License-Identifier: MIT */
/*
 * Just enough of the kernel's <linux/types.h> to build refaccel's pure
 * arithmetic files (refaccel_fp.c, refaccel_mac.c) in userspace, so that
 * `make check` can hold them against the host FPU and the golden model.
 */
#ifndef ACTS_KSHIM_TYPES_H
#define ACTS_KSHIM_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#endif
