// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * The command stream: validation at submission and execution by the engine
 * workers. Nothing here depends on DRM, so KUnit can drive it with plain
 * pages. Execution trusts what validation checked: every command it sees
 * passed refaccel_cmds_validate() against the same spans. The MAC
 * arithmetic itself is in refaccel_mac.c.
 */

#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_cmd.h"
#include "refaccel_fault.h"
#include "refaccel_mac.h"

/* Is [offset, offset + size) non-empty and inside a span of span_size bytes? */
static bool refaccel_range_ok(u64 offset, u64 size, u64 span_size)
{
	u64 end;

	if (!size || check_add_overflow(offset, size, &end))
		return false;
	return end <= span_size;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_cmds_validate);

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

/*
 * Is a matrix of @rows rows of @row_bytes bytes, @stride bytes apart from
 * @offset, inside a span of @span_size bytes, with its offset and stride
 * multiples of @align and rows that do not overlap? Sets *@end to the byte
 * after its last row.
 */
static bool refaccel_matrix_ok(u64 offset, u64 stride, u32 rows, u64 row_bytes,
			       u32 align, u64 span_size, u64 *end)
{
	u64 last;

	if (!IS_ALIGNED(offset, align) || !IS_ALIGNED(stride, align) || stride < row_bytes)
		return false;
	if (check_mul_overflow(stride, (u64)rows - 1, &last) ||
	    check_add_overflow(offset, last, &last) ||
	    !refaccel_range_ok(last, row_bytes, span_size))
		return false;
	*end = last + row_bytes;
	return true;
}

static bool refaccel_matrices_overlap(const struct refaccel_span *spans, u32 x, u64 x_start,
				      u64 x_end, u32 y, u64 y_start, u64 y_end)
{
	return spans[x].owner == spans[y].owner && x_start < y_end && y_start < x_end;
}

/**
 * struct refaccel_matrix - one MAC operand as stored in its BO
 * @index: its BO's index in the job's list
 * @offset: byte offset of its first row
 * @stride: bytes from one row to the next
 * @rows: number of rows
 * @row_bytes: bytes of one row's elements
 * @align: what @offset and @stride must be multiples of
 */
struct refaccel_matrix {
	u32 index;
	u64 offset;
	u64 stride;
	u32 rows;
	u64 row_bytes;
	u32 align;
};

enum { REFACCEL_MAT_A, REFACCEL_MAT_B, REFACCEL_MAT_C, REFACCEL_MAT_COUNT };

/* A, B (N rows of K when transposed) and C of a MAC command with a known dtype. */
static void refaccel_mac_matrices(const struct drm_refaccel_cmd_mac *cmd,
				  struct refaccel_matrix mat[REFACCEL_MAT_COUNT])
{
	bool tb = cmd->flags & REFACCEL_MAC_TRANSPOSE_B;
	u32 es = refaccel_mac_in_size(cmd->dtype);

	/* Row sizes are below 2^23 bytes: no overflow. */
	mat[REFACCEL_MAT_A] = (struct refaccel_matrix){
		cmd->a_index, cmd->a_offset, cmd->a_stride, cmd->m, (u64)cmd->k * es, es,
	};
	mat[REFACCEL_MAT_B] = (struct refaccel_matrix){
		cmd->b_index, cmd->b_offset, cmd->b_stride, tb ? cmd->n : cmd->k,
		(u64)(tb ? cmd->k : cmd->n) * es, es,
	};
	mat[REFACCEL_MAT_C] = (struct refaccel_matrix){
		cmd->c_index, cmd->c_offset, cmd->c_stride, cmd->m, (u64)cmd->n * 4, 4,
	};
}

static int refaccel_mac_validate(const struct drm_refaccel_cmd_mac *cmd,
				 const struct refaccel_span *spans, u32 span_count)
{
	struct refaccel_matrix mat[REFACCEL_MAT_COUNT];
	u64 end[REFACCEL_MAT_COUNT];
	int i;

	if (!refaccel_mac_in_size(cmd->dtype) || (cmd->flags & ~REFACCEL_MAC_FLAGS_VALID))
		return -EINVAL;
	if (!cmd->m || cmd->m > REFACCEL_MAC_MAX_M || !cmd->n || cmd->n > REFACCEL_MAC_MAX_N ||
	    !cmd->k || cmd->k > REFACCEL_MAC_MAX_K)
		return -EINVAL;

	refaccel_mac_matrices(cmd, mat);
	for (i = 0; i < REFACCEL_MAT_COUNT; i++) {
		if (mat[i].index >= span_count)
			return -EINVAL;
		if (!refaccel_matrix_ok(mat[i].offset, mat[i].stride, mat[i].rows,
					mat[i].row_bytes, mat[i].align,
					spans[mat[i].index].size, &end[i]))
			return -EINVAL;
	}
	/* A result written over its own inputs would depend on the order of work. */
	for (i = REFACCEL_MAT_A; i <= REFACCEL_MAT_B; i++)
		if (refaccel_matrices_overlap(spans, cmd->c_index, cmd->c_offset,
					      end[REFACCEL_MAT_C], mat[i].index, mat[i].offset,
					      end[i]))
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
	[REFACCEL_CMD_MAC] = {
		sizeof(struct drm_refaccel_cmd_mac),
		BIT(REFACCEL_ENGINE_COMPUTE),
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
 * -EINVAL otherwise.
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
		case REFACCEL_CMD_MAC:
			ret = refaccel_mac_validate(cmds + pos, spans, span_count);
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

/*
 * Map the pages of a span that hold [offset, end) contiguously, for the MAC
 * engine's strided accesses. Returns the address of offset, or NULL.
 */
static void *refaccel_span_vmap(const struct refaccel_span *span, u64 offset, u64 end)
{
	pgoff_t first = offset >> PAGE_SHIFT;
	unsigned int count = DIV_ROUND_UP(end, PAGE_SIZE) - first;
	void *vaddr = vmap(span->pages + first, count, VM_MAP, PAGE_KERNEL);

	return vaddr ? vaddr + offset_in_page(offset) : NULL;
}

static void refaccel_span_vunmap(void *addr)
{
	if (addr)
		vunmap(PTR_ALIGN_DOWN(addr, PAGE_SIZE));
}

static int refaccel_exec_mac(const struct drm_refaccel_cmd_mac *cmd,
			     const struct refaccel_span *spans, struct refaccel_faults *faults)
{
	struct refaccel_mac_shape shape = {
		.dtype = cmd->dtype, .flags = cmd->flags,
		.m = cmd->m, .n = cmd->n, .k = cmd->k,
		.a_stride = cmd->a_stride, .b_stride = cmd->b_stride, .c_stride = cmd->c_stride,
	};
	struct refaccel_matrix mat[REFACCEL_MAT_COUNT];
	void *addr[REFACCEL_MAT_COUNT] = {};
	u64 len[REFACCEL_MAT_COUNT];
	void *c;
	int i, ret = 0;

	/* Validation bounded every extent, so these sums cannot overflow. */
	refaccel_mac_matrices(cmd, mat);
	for (i = 0; i < REFACCEL_MAT_COUNT; i++) {
		len[i] = (u64)(mat[i].rows - 1) * mat[i].stride + mat[i].row_bytes;
		addr[i] = refaccel_span_vmap(&spans[mat[i].index], mat[i].offset,
					     mat[i].offset + len[i]);
		if (!addr[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}
	c = addr[REFACCEL_MAT_C];
	refaccel_mac_compute(&shape, addr[REFACCEL_MAT_A], addr[REFACCEL_MAT_B], c);

	/* Injected fault: one wrong bit in the middle of the result. */
	if (faults && refaccel_fault_fire(&faults->corrupt_mac)) {
		u32 *e = c + (u64)(cmd->m / 2) * cmd->c_stride + (u64)(cmd->n / 2) * 4;

		*e ^= 1;
		atomic64_inc(&faults->mac_corruptions);
	}
	flush_kernel_vmap_range(c, len[REFACCEL_MAT_C]);
out:
	for (i = REFACCEL_MAT_COUNT - 1; i >= 0; i--)
		refaccel_span_vunmap(addr[i]);
	return ret;
}

/**
 * refaccel_cmds_execute() - run a validated command buffer
 * @cmds: commands accepted by refaccel_cmds_validate()
 * @cmds_size: bytes in @cmds
 * @spans: the spans they were validated against
 * @faults: the device's injected faults, or NULL for none
 *
 * Return: 0, or -ENOMEM when a MAC command could not map its BOs; the
 * commands before it have run, the ones after it have not.
 */
int refaccel_cmds_execute(const void *cmds, u32 cmds_size,
			  const struct refaccel_span *spans, struct refaccel_faults *faults)
{
	u32 pos = 0;
	int ret;

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
		case REFACCEL_CMD_MAC:
			ret = refaccel_exec_mac(cmds + pos, spans, faults);
			if (ret)
				return ret;
			break;
		default:
			break;
		}
		pos += hdr->size;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_cmds_execute);
