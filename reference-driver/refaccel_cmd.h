/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_CMD_H__
#define __REFACCEL_CMD_H__

#include <linux/types.h>

struct page;
struct refaccel_faults;

/**
 * struct refaccel_span - the memory of one BO as the engines see it
 * @pages: the BO's pages, in order; set once the job passed validation
 * @size: the BO's size in bytes, a multiple of PAGE_SIZE
 * @owner: identifies the BO, so that a BO listed twice is seen as one
 */
struct refaccel_span {
	struct page **pages;
	u64 size;
	const void *owner;
};

int refaccel_cmds_validate(const void *cmds, u32 cmds_size, u32 engine,
			   const struct refaccel_span *spans, u32 span_count);
int refaccel_cmds_execute(const void *cmds, u32 cmds_size,
			  const struct refaccel_span *spans, struct refaccel_faults *faults);

#endif /* __REFACCEL_CMD_H__ */
