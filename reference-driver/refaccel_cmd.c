// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * The command stream: validation at submission and execution by the engine
 * workers. Nothing here depends on DRM, so KUnit can drive it with plain
 * pages. Execution trusts what validation checked: every command it sees
 * passed refaccel_cmds_validate() against the same spans.
 */

#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"

/* Is [offset, offset + size) non-empty and inside a span of span_size bytes? */
static bool refaccel_range_ok(u64 offset, u64 size, u64 span_size)
{
	u64 end;

	if (!size || check_add_overflow(offset, size, &end))
		return false;
	return end <= span_size;
}

static int refaccel_fill_validate(const struct drm_refaccel_cmd_fill *cmd,
				  const struct refaccel_span *spans, u32 span_count)
{
	if (cmd->bo_index >= span_count)
		return -EINVAL;
	if (!IS_ALIGNED(cmd->offset, 4) || !IS_ALIGNED(cmd->size, 4))
		return -EINVAL;
	if (!refaccel_range_ok(cmd->offset, cmd->size, spans[cmd->bo_index].size))
		return -EINVAL;
	return 0;
}

static int refaccel_copy_validate(const struct drm_refaccel_cmd_copy *cmd,
				  const struct refaccel_span *spans, u32 span_count)
{
	if (cmd->src_index >= span_count || cmd->dst_index >= span_count)
		return -EINVAL;
	if (!refaccel_range_ok(cmd->src_offset, cmd->size, spans[cmd->src_index].size) ||
	    !refaccel_range_ok(cmd->dst_offset, cmd->size, spans[cmd->dst_index].size))
		return -EINVAL;
	/* Both ranges are in bounds, so these sums cannot overflow. */
	if (spans[cmd->src_index].owner == spans[cmd->dst_index].owner &&
	    cmd->src_offset < cmd->dst_offset + cmd->size &&
	    cmd->dst_offset < cmd->src_offset + cmd->size)
		return -EINVAL;
	return 0;
}

static int refaccel_timestamp_validate(const struct drm_refaccel_cmd_timestamp *cmd,
				       const struct refaccel_span *spans, u32 span_count)
{
	if (cmd->pad || cmd->bo_index >= span_count || !IS_ALIGNED(cmd->offset, 8))
		return -EINVAL;
	if (!refaccel_range_ok(cmd->offset, sizeof(u64), spans[cmd->bo_index].size))
		return -EINVAL;
	return 0;
}

/* The exact size of each opcode's command, and the engines that run it. */
static const struct {
	u32 size;
	u32 engines;
} refaccel_opcodes[] = {
	[REFACCEL_CMD_NOP] = {
		sizeof(struct drm_refaccel_cmd_header),
		BIT(REFACCEL_ENGINE_COMPUTE) | BIT(REFACCEL_ENGINE_COPY),
	},
	[REFACCEL_CMD_FILL] = {
		sizeof(struct drm_refaccel_cmd_fill),
		BIT(REFACCEL_ENGINE_COMPUTE) | BIT(REFACCEL_ENGINE_COPY),
	},
	[REFACCEL_CMD_COPY] = {
		sizeof(struct drm_refaccel_cmd_copy),
		BIT(REFACCEL_ENGINE_COPY),
	},
	[REFACCEL_CMD_TIMESTAMP] = {
		sizeof(struct drm_refaccel_cmd_timestamp),
		BIT(REFACCEL_ENGINE_COMPUTE) | BIT(REFACCEL_ENGINE_COPY),
	},
};

/**
 * refaccel_cmds_validate() - check a job's command buffer
 * @cmds: the commands, copied from userspace
 * @cmds_size: bytes in @cmds, a multiple of 8
 * @engine: the engine the job is for
 * @spans: the job's BOs, in the order of its BO list
 * @span_count: number of entries in @spans
 *
 * Return: 0 if every command is well formed and stays inside its BOs;
 * -EOPNOTSUPP for a MAC command; -EINVAL otherwise.
 */
int refaccel_cmds_validate(const void *cmds, u32 cmds_size, u32 engine,
			   const struct refaccel_span *spans, u32 span_count)
{
	u32 pos = 0;
	int ret;

	while (pos < cmds_size) {
		const struct drm_refaccel_cmd_header *hdr = cmds + pos;
		u32 op;

		if (cmds_size - pos < sizeof(*hdr))
			return -EINVAL;
		op = hdr->opcode;
		if (op == REFACCEL_CMD_MAC)
			return -EOPNOTSUPP;
		if (op >= ARRAY_SIZE(refaccel_opcodes) || !refaccel_opcodes[op].size)
			return -EINVAL;
		/* Exact sizes also rule out a zero size looping forever. */
		if (hdr->size != refaccel_opcodes[op].size || hdr->size > cmds_size - pos)
			return -EINVAL;
		if (!(refaccel_opcodes[op].engines & BIT(engine)))
			return -EINVAL;

		switch (op) {
		case REFACCEL_CMD_FILL:
			ret = refaccel_fill_validate(cmds + pos, spans, span_count);
			break;
		case REFACCEL_CMD_COPY:
			ret = refaccel_copy_validate(cmds + pos, spans, span_count);
			break;
		case REFACCEL_CMD_TIMESTAMP:
			ret = refaccel_timestamp_validate(cmds + pos, spans, span_count);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret)
			return ret;
		pos += hdr->size;
	}

	return 0;
}

static void refaccel_exec_fill(const struct drm_refaccel_cmd_fill *cmd,
			       const struct refaccel_span *span)
{
	u64 offset = cmd->offset, left = cmd->size;

	while (left) {
		u32 in_page = offset_in_page(offset);
		u32 chunk = min_t(u64, left, PAGE_SIZE - in_page);
		u32 *p = kmap_local_page(span->pages[offset >> PAGE_SHIFT]) + in_page;
		u32 i;

		/* offset and size are multiples of 4, so chunks are too. */
		for (i = 0; i < chunk / 4; i++)
			p[i] = cmd->value;
		kunmap_local(p);
		offset += chunk;
		left -= chunk;
		cond_resched();
	}
}

static void refaccel_exec_copy(const struct drm_refaccel_cmd_copy *cmd,
			       const struct refaccel_span *spans)
{
	const struct refaccel_span *src = &spans[cmd->src_index];
	const struct refaccel_span *dst = &spans[cmd->dst_index];
	u64 soff = cmd->src_offset, doff = cmd->dst_offset, left = cmd->size;

	while (left) {
		u32 s_in = offset_in_page(soff), d_in = offset_in_page(doff);
		u32 chunk = min_t(u64, left, PAGE_SIZE - max(s_in, d_in));
		void *s = kmap_local_page(src->pages[soff >> PAGE_SHIFT]);
		void *d = kmap_local_page(dst->pages[doff >> PAGE_SHIFT]);

		memcpy(d + d_in, s + s_in, chunk);
		kunmap_local(d);
		kunmap_local(s);
		soff += chunk;
		doff += chunk;
		left -= chunk;
		cond_resched();
	}
}

static void refaccel_exec_timestamp(const struct drm_refaccel_cmd_timestamp *cmd,
				    const struct refaccel_span *span)
{
	u64 *p = kmap_local_page(span->pages[cmd->offset >> PAGE_SHIFT]) +
		 offset_in_page(cmd->offset);

	/* The device clock is CLOCK_MONOTONIC, so userspace can compare it. */
	*p = ktime_get_ns();
	kunmap_local(p);
}

/**
 * refaccel_cmds_execute() - run a validated command buffer
 * @cmds: commands accepted by refaccel_cmds_validate()
 * @cmds_size: bytes in @cmds
 * @spans: the spans they were validated against
 */
void refaccel_cmds_execute(const void *cmds, u32 cmds_size,
			   const struct refaccel_span *spans)
{
	u32 pos = 0;

	while (pos < cmds_size) {
		const struct drm_refaccel_cmd_header *hdr = cmds + pos;

		switch (hdr->opcode) {
		case REFACCEL_CMD_FILL: {
			const struct drm_refaccel_cmd_fill *fill = cmds + pos;

			refaccel_exec_fill(fill, &spans[fill->bo_index]);
			break;
		}
		case REFACCEL_CMD_COPY:
			refaccel_exec_copy(cmds + pos, spans);
			break;
		case REFACCEL_CMD_TIMESTAMP: {
			const struct drm_refaccel_cmd_timestamp *ts = cmds + pos;

			refaccel_exec_timestamp(ts, &spans[ts->bo_index]);
			break;
		}
		default:
			break;
		}
		pos += hdr->size;
	}
}
