/* SPDX-License-Identifier: MIT */
/* The kernel's fls64() for the userspace build of refaccel's arithmetic. */
#ifndef ACTS_KSHIM_BITOPS_H
#define ACTS_KSHIM_BITOPS_H

#include <linux/types.h>

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif
