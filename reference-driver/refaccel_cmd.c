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
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>

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

/*
 * Each validator returns NULL for a well-formed command, or the rule it
 * breaks, which the submit path logs with drm_dbg.
 */
static const char *refaccel_fill_validate(const struct drm_refaccel_cmd_fill *cmd,
					  const struct refaccel_span *spans, u32 span_count)
{
	if (cmd->bo_index >= span_count)
		return "FILL: bo_index past the BO list";
	if (!IS_ALIGNED(cmd->offset, 4) || !IS_ALIGNED(cmd->size, 4))
		return "FILL: offset or size not a multiple of 4";
	if (!refaccel_range_ok(cmd->offset, cmd->size, spans[cmd->bo_index].size))
		return "FILL: empty range or range outside its BO";
	return NULL;
}

static const char *refaccel_copy_validate(const struct drm_refaccel_cmd_copy *cmd,
					  const struct refaccel_span *spans, u32 span_count)
{
	if (cmd->src_index >= span_count || cmd->dst_index >= span_count)
		return "COPY: src_index or dst_index past the BO list";
	if (!refaccel_range_ok(cmd->src_offset, cmd->size, spans[cmd->src_index].size) ||
	    !refaccel_range_ok(cmd->dst_offset, cmd->size, spans[cmd->dst_index].size))
		return "COPY: empty range or range outside its BO";
	/* Both ranges are in bounds, so these sums cannot overflow. */
	if (spans[cmd->src_index].owner == spans[cmd->dst_index].owner &&
	    cmd->src_offset < cmd->dst_offset + cmd->size &&
	    cmd->dst_offset < cmd->src_offset + cmd->size)
		return "COPY: source and destination overlap in one BO";
	return NULL;
}

static const char *refaccel_timestamp_validate(const struct drm_refaccel_cmd_timestamp *cmd,
					       const struct refaccel_span *spans,
					       u32 span_count)
{
	if (cmd->pad)
		return "TIMESTAMP: pad is not zero";
	if (cmd->bo_index >= span_count)
		return "TIMESTAMP: bo_index past the BO list";
	if (!IS_ALIGNED(cmd->offset, 8))
		return "TIMESTAMP: offset not a multiple of 8";
	if (!refaccel_range_ok(cmd->offset, sizeof(u64), spans[cmd->bo_index].size))
		return "TIMESTAMP: offset outside its BO";
	return NULL;
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

static const char *refaccel_mac_validate(const struct drm_refaccel_cmd_mac *cmd,
					 const struct refaccel_span *spans, u32 span_count)
{
	static const char * const bad_matrix[REFACCEL_MAT_COUNT] = {
		"MAC: A misaligned, its stride below a row, or outside its BO",
		"MAC: B misaligned, its stride below a row, or outside its BO",
		"MAC: C misaligned, its stride below a row, or outside its BO",
	};
	struct refaccel_matrix mat[REFACCEL_MAT_COUNT];
	u64 end[REFACCEL_MAT_COUNT];
	int i;

	if (!refaccel_mac_in_size(cmd->dtype))
		return "MAC: unknown dtype";
	if (cmd->flags & ~REFACCEL_MAC_FLAGS_VALID)
		return "MAC: unknown flags";
	if (!cmd->m || cmd->m > REFACCEL_MAC_MAX_M || !cmd->n || cmd->n > REFACCEL_MAC_MAX_N ||
	    !cmd->k || cmd->k > REFACCEL_MAC_MAX_K)
		return "MAC: m, n or k zero or above its limit";

	refaccel_mac_matrices(cmd, mat);
	for (i = 0; i < REFACCEL_MAT_COUNT; i++) {
		if (mat[i].index >= span_count)
			return "MAC: a matrix's BO index past the BO list";
		if (!refaccel_matrix_ok(mat[i].offset, mat[i].stride, mat[i].rows,
					mat[i].row_bytes, mat[i].align,
					spans[mat[i].index].size, &end[i]))
			return bad_matrix[i];
	}
	/* A result written over its own inputs would depend on the order of work. */
	for (i = REFACCEL_MAT_A; i <= REFACCEL_MAT_B; i++)
		if (refaccel_matrices_overlap(spans, cmd->c_index, cmd->c_offset,
					      end[REFACCEL_MAT_C], mat[i].index, mat[i].offset,
					      end[i]))
			return "MAC: C overlaps A or B";
	return NULL;
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

static const char *refaccel_cmd_validate(const void *cmd, u32 op,
					 const struct refaccel_span *spans, u32 span_count)
{
	switch (op) {
	case REFACCEL_CMD_FILL:
		return refaccel_fill_validate(cmd, spans, span_count);
	case REFACCEL_CMD_COPY:
		return refaccel_copy_validate(cmd, spans, span_count);
	case REFACCEL_CMD_TIMESTAMP:
		return refaccel_timestamp_validate(cmd, spans, span_count);
	case REFACCEL_CMD_MAC:
		return refaccel_mac_validate(cmd, spans, span_count);
	default:
		return NULL;
	}
}

/**
 * refaccel_cmds_validate() - check a job's command buffer
 * @cmds: the commands, copied from userspace
 * @cmds_size: bytes in @cmds, a multiple of 8
 * @engine: the engine the job is for
 * @spans: the job's BOs, in the order of its BO list
 * @span_count: number of entries in @spans
 * @reject: if not NULL, receives where and why the buffer was refused
 *
 * Return: 0 if every command is well formed and stays inside its BOs;
 * -EINVAL otherwise.
 */
int refaccel_cmds_validate(const void *cmds, u32 cmds_size, u32 engine,
			   const struct refaccel_span *spans, u32 span_count,
			   struct refaccel_cmd_reject *reject)
{
	const char *why = NULL;
	u32 pos = 0;

	while (pos < cmds_size) {
		const struct drm_refaccel_cmd_header *hdr = cmds + pos;
		u32 op;

		if (cmds_size - pos < sizeof(*hdr)) {
			why = "a command header cut short by the end of the buffer";
			break;
		}
		op = hdr->opcode;
		if (op >= ARRAY_SIZE(refaccel_opcodes) || !refaccel_opcodes[op].size) {
			why = "unknown opcode";
			break;
		}
		/* Exact sizes also rule out a zero size looping forever. */
		if (hdr->size != refaccel_opcodes[op].size) {
			why = "size is not that of the opcode's struct";
			break;
		}
		if (hdr->size > cmds_size - pos) {
			why = "command runs past the end of the buffer";
			break;
		}
		if (!(refaccel_opcodes[op].engines & BIT(engine))) {
			why = "opcode not run by this engine";
			break;
		}
		why = refaccel_cmd_validate(cmds + pos, op, spans, span_count);
		if (why)
			break;
		pos += hdr->size;
	}

	if (!why)
		return 0;
	if (reject) {
		reject->offset = pos;
		reject->reason = why;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_cmds_validate);

/**
 * refaccel_cmds_bytes() - how much memory a validated command buffer touches
 * @cmds: commands accepted by refaccel_cmds_validate()
 * @cmds_size: bytes in @cmds
 *
 * A bound of a job's running time that is known before it starts, so that
 * the engine can tell a short job from a long one.
 *
 * Return: the bytes that its FILL, COPY and TIMESTAMP commands write, or
 * U64_MAX if it has a MAC command, whose time grows with m * n * k.
 */
u64 refaccel_cmds_bytes(const void *cmds, u32 cmds_size)
{
	u64 bytes = 0;
	u32 pos = 0;

	while (pos < cmds_size) {
		const struct drm_refaccel_cmd_header *hdr = cmds + pos;

		switch (hdr->opcode) {
		case REFACCEL_CMD_FILL:
			bytes += ((const struct drm_refaccel_cmd_fill *)hdr)->size;
			break;
		case REFACCEL_CMD_COPY:
			bytes += ((const struct drm_refaccel_cmd_copy *)hdr)->size;
			break;
		case REFACCEL_CMD_TIMESTAMP:
			bytes += sizeof(u64);
			break;
		case REFACCEL_CMD_MAC:
			return U64_MAX;
		default:
			break;
		}
		pos += hdr->size;
	}
	return bytes;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_cmds_bytes);

/* Has someone asked the running job to stop? Returns the error to end it with. */
static int refaccel_exec_stopped(const struct refaccel_exec *exec)
{
	return exec->stop ? atomic_read(exec->stop) : 0;
}

/*
 * An engine that is slow by request: busy until @us have passed on the
 * clock, as hardware that takes longer would be (a sleep would add a
 * wake-up of its own to every job; udelay() trusts a calibration that a
 * loaded or emulated CPU gets wrong). A stop request is seen within 100 us,
 * and the CPU is given up between those steps.
 */
static int refaccel_exec_stall(const struct refaccel_exec *exec, u64 us)
{
	u64 now = ktime_get_ns(), end = now + us * NSEC_PER_USEC;
	int stop = 0;

	while (now < end && !stop) {
		u64 step_end = min(end, now + 100 * NSEC_PER_USEC);

		while (ktime_get_ns() < step_end)
			cpu_relax();
		stop = refaccel_exec_stopped(exec);
		cond_resched();
		now = ktime_get_ns();
	}
	return stop;
}

static int refaccel_exec_fill(const struct drm_refaccel_cmd_fill *cmd,
			      const struct refaccel_exec *exec)
{
	const struct refaccel_span *span = &exec->spans[cmd->bo_index];
	u64 offset = cmd->offset, left = cmd->size;
	int stop;

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
		stop = refaccel_exec_stopped(exec);
		if (stop)
			return stop;
		cond_resched();
	}
	return 0;
}

static int refaccel_exec_copy(const struct drm_refaccel_cmd_copy *cmd,
			      const struct refaccel_exec *exec)
{
	const struct refaccel_span *src = &exec->spans[cmd->src_index];
	const struct refaccel_span *dst = &exec->spans[cmd->dst_index];
	u64 soff = cmd->src_offset, doff = cmd->dst_offset, left = cmd->size;
	u64 start = ktime_get_ns();
	int stop;

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
		stop = refaccel_exec_stopped(exec);
		if (stop)
			return stop;
		cond_resched();
	}
	/*
	 * A throttled engine moves at most mbps MB/s, bytes per microsecond:
	 * it stays busy until the copy has taken that long.
	 */
	if (exec->faults) {
		u32 mbps = atomic_read(&exec->faults->copy_throttle_mbps);
		u64 took_us = div_u64(ktime_get_ns() - start, NSEC_PER_USEC);
		u64 min_us = mbps ? DIV_ROUND_UP_ULL(cmd->size, mbps) : 0;

		if (min_us > took_us)
			return refaccel_exec_stall(exec, min_us - took_us);
	}
	return 0;
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

static bool refaccel_mac_should_stop(const void *data)
{
	return refaccel_exec_stopped(data);
}

static int refaccel_exec_mac(const struct drm_refaccel_cmd_mac *cmd,
			     const struct refaccel_exec *exec)
{
	struct refaccel_mac_shape shape = {
		.dtype = cmd->dtype, .flags = cmd->flags,
		.m = cmd->m, .n = cmd->n, .k = cmd->k,
		.a_stride = cmd->a_stride, .b_stride = cmd->b_stride, .c_stride = cmd->c_stride,
	};
	struct refaccel_faults *faults = exec->faults;
	struct refaccel_matrix mat[REFACCEL_MAT_COUNT];
	void *addr[REFACCEL_MAT_COUNT];
	u64 c_len;
	int i;

	/* Validation bounded every extent; the spans were mapped at submission. */
	refaccel_mac_matrices(cmd, mat);
	for (i = 0; i < REFACCEL_MAT_COUNT; i++)
		addr[i] = exec->spans[mat[i].index].vaddr + mat[i].offset;

	if (!refaccel_mac_compute(&shape, addr[REFACCEL_MAT_A], addr[REFACCEL_MAT_B],
				  addr[REFACCEL_MAT_C], refaccel_mac_should_stop, exec))
		return refaccel_exec_stopped(exec);

	/* Injected fault: one wrong bit in the middle of the result. */
	if (faults && (refaccel_fault_fire(&faults->corrupt_mac) ||
		       refaccel_fault_broken(faults, REFACCEL_BROKEN_CORRUPT_MAC))) {
		u32 *e = addr[REFACCEL_MAT_C] + (u64)(cmd->m / 2) * cmd->c_stride +
			 (u64)(cmd->n / 2) * 4;

		*e ^= 1;
		atomic64_inc(&faults->mac_corruptions);
	}
	c_len = (u64)(mat[REFACCEL_MAT_C].rows - 1) * mat[REFACCEL_MAT_C].stride +
		mat[REFACCEL_MAT_C].row_bytes;
	flush_kernel_vmap_range(addr[REFACCEL_MAT_C], c_len);
	return 0;
}

/**
 * refaccel_cmds_execute() - run a validated command buffer
 * @cmds: commands accepted by refaccel_cmds_validate()
 * @cmds_size: bytes in @cmds
 * @exec: the spans they were validated against, faults and the stop request
 *
 * Allocates nothing and maps nothing: it runs on the path to a job's fence.
 *
 * Return: 0 when every command ran, or the error *@exec->stop held when a
 * stop was requested; the commands before the stop have run, the ones
 * after it have not, and the one it interrupted ran in part.
 */
int refaccel_cmds_execute(const void *cmds, u32 cmds_size, const struct refaccel_exec *exec)
{
	u32 pos = 0;
	int ret = 0;

	if (exec->faults)
		ret = refaccel_exec_stall(exec, atomic_read(&exec->faults->job_delay_us));
	while (pos < cmds_size && !ret) {
		const struct drm_refaccel_cmd_header *hdr = cmds + pos;

		ret = refaccel_exec_stopped(exec);
		if (ret)
			break;
		switch (hdr->opcode) {
		case REFACCEL_CMD_FILL:
			ret = refaccel_exec_fill(cmds + pos, exec);
			break;
		case REFACCEL_CMD_COPY:
			ret = refaccel_exec_copy(cmds + pos, exec);
			break;
		case REFACCEL_CMD_TIMESTAMP: {
			const struct drm_refaccel_cmd_timestamp *ts = cmds + pos;

			refaccel_exec_timestamp(ts, &exec->spans[ts->bo_index]);
			break;
		}
		case REFACCEL_CMD_MAC:
			ret = refaccel_exec_mac(cmds + pos, exec);
			break;
		default:
			break;
		}
		pos += hdr->size;
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_cmds_execute);
