/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_CMD_H__
#define __REFACCEL_CMD_H__

#include <linux/atomic.h>
#include <linux/types.h>

struct page;
struct refaccel_faults;

/**
 * struct refaccel_span - the memory of one BO as the engines see it
 * @pages: the BO's pages, in order; set once the job passed validation
 * @vaddr: the BO's kernel mapping (the engines' "device address space"),
 *	made at submission with @pages, so that running a job never maps
 * @size: the BO's size in bytes, a multiple of PAGE_SIZE
 * @owner: identifies the BO, so that a BO listed twice is seen as one
 */
struct refaccel_span {
	struct page **pages;
	void *vaddr;
	u64 size;
	const void *owner;
};

/**
 * struct refaccel_cmd_reject - why validation refused a command buffer
 * @offset: byte offset of the refused command in the buffer
 * @reason: the rule it broke, for drm_dbg
 */
struct refaccel_cmd_reject {
	u32 offset;
	const char *reason;
};

/**
 * struct refaccel_exec - what a validated command buffer runs with
 * @spans: the spans it was validated against
 * @faults: the device's injected faults and slowdowns, or NULL for none
 * @stop: 0 while the job may run; a negative errno asks the engine to stop
 *	the job at its next check (between commands, every page of a FILL or
 *	COPY, every result element of a MAC) and end it with that error
 */
struct refaccel_exec {
	const struct refaccel_span *spans;
	struct refaccel_faults *faults;
	atomic_t *stop;
};

int refaccel_cmds_validate(const void *cmds, u32 cmds_size, u32 engine,
			   const struct refaccel_span *spans, u32 span_count,
			   struct refaccel_cmd_reject *reject);
u64 refaccel_cmds_bytes(const void *cmds, u32 cmds_size);
int refaccel_cmds_execute(const void *cmds, u32 cmds_size, const struct refaccel_exec *exec);

#endif /* __REFACCEL_CMD_H__ */
