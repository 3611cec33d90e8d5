// SPDX-License-Identifier: MIT
/*
 * The command-stream rules of refaccel_accel.h, as a userspace judge: given
 * the bytes of a command buffer, the engine and the sizes of the job's BOs,
 * is it a stream the uapi says SUBMIT must refuse? Written from the header's
 * documentation (each command's exact size, the engines that run it, its
 * alignment, ranges inside their BO, must-be-zero fields), not from the
 * driver. It is sound only: when unsure it answers "valid", so a refusal
 * the judge did not predict is never a failure; an acceptance it did is.
 */
#include <stdio.h>
#include <string.h>

#include "refaccel_accel.h"
#include "fz.h"

/* [off, off + len) inside a BO of size sz, and not empty. */
static bool range_ok(uint64_t off, uint64_t len, uint64_t sz)
{
	return len && off <= sz && len <= sz - off;
}

static uint32_t mac_elem(uint32_t dtype)
{
	static const uint32_t es[] = { 1, 1, 2, 2, 4 };

	return dtype < 5 ? es[dtype] : 0;
}

/* A matrix of rows rows of row bytes, stride apart, from off: inside sz? end gets its end. */
static bool matrix_ok(uint64_t off, uint64_t stride, uint32_t rows, uint64_t row, uint32_t align,
		      uint64_t sz, uint64_t *end)
{
	uint64_t last;

	if (off % align || stride % align || stride < row)
		return false;
	if (__builtin_mul_overflow(stride, (uint64_t)rows - 1, &last) ||
	    __builtin_add_overflow(last, off, &last) || !range_ok(last, row, sz))
		return false;
	*end = last + row;
	return true;
}

static const char *mac_invalid(const struct fz_limits *lim, const struct drm_refaccel_cmd_mac *c,
			       const uint32_t *bos, const uint64_t *sz, uint32_t nbos)
{
	uint32_t e = mac_elem(c->dtype);
	bool tb = c->flags & REFACCEL_MAC_TRANSPOSE_B;
	uint64_t ea, eb, ec;

	if (!e)
		return "MAC: unknown dtype";
	if (c->flags & ~REFACCEL_MAC_FLAGS_VALID)
		return "MAC: unknown flag";
	if (!c->m || !c->n || !c->k || c->m > lim->mac_max_m || c->n > lim->mac_max_n ||
	    c->k > lim->mac_max_k)
		return "MAC: m, n or k zero or above the device's limit";
	if (c->a_index >= nbos || c->b_index >= nbos || c->c_index >= nbos)
		return "MAC: a BO index past the BO list";
	if (!matrix_ok(c->a_offset, c->a_stride, c->m, (uint64_t)c->k * e, e, sz[c->a_index], &ea))
		return "MAC: A misaligned, stride below a row, or outside its BO";
	if (!matrix_ok(c->b_offset, c->b_stride, tb ? c->n : c->k,
		       (uint64_t)(tb ? c->k : c->n) * e, e, sz[c->b_index], &eb))
		return "MAC: B misaligned, stride below a row, or outside its BO";
	if (!matrix_ok(c->c_offset, c->c_stride, c->m, (uint64_t)c->n * 4, 4, sz[c->c_index], &ec))
		return "MAC: C misaligned, stride below a row, or outside its BO";
	if (bos[c->c_index] == bos[c->a_index] && c->c_offset < ea && c->a_offset < ec)
		return "MAC: C overlaps A";
	if (bos[c->c_index] == bos[c->b_index] && c->c_offset < eb && c->b_offset < ec)
		return "MAC: C overlaps B";
	return NULL;
}

static const char *cmd_invalid(const struct fz_limits *lim, const uint8_t *p, uint32_t op,
			       uint32_t engine, const uint32_t *bos, const uint64_t *sz,
			       uint32_t nbos)
{
	switch (op) {
	case REFACCEL_CMD_NOP:
		return NULL;
	case REFACCEL_CMD_FILL: {
		struct drm_refaccel_cmd_fill c;

		memcpy(&c, p, sizeof(c));
		if (c.bo_index >= nbos)
			return "FILL: bo_index past the BO list";
		if (c.offset % 4 || c.size % 4)
			return "FILL: offset or size not a multiple of 4";
		if (!range_ok(c.offset, c.size, sz[c.bo_index]))
			return "FILL: empty range or outside its BO";
		return NULL;
	}
	case REFACCEL_CMD_COPY: {
		struct drm_refaccel_cmd_copy c;

		if (engine != REFACCEL_ENGINE_COPY)
			return "COPY on an engine other than the copy engine";
		memcpy(&c, p, sizeof(c));
		if (c.src_index >= nbos || c.dst_index >= nbos)
			return "COPY: src_index or dst_index past the BO list";
		if (!range_ok(c.src_offset, c.size, sz[c.src_index]) ||
		    !range_ok(c.dst_offset, c.size, sz[c.dst_index]))
			return "COPY: empty range or outside its BO";
		if (bos[c.src_index] == bos[c.dst_index] && c.src_offset < c.dst_offset + c.size &&
		    c.dst_offset < c.src_offset + c.size)
			return "COPY: source and destination overlap in one BO";
		return NULL;
	}
	case REFACCEL_CMD_TIMESTAMP: {
		struct drm_refaccel_cmd_timestamp c;

		memcpy(&c, p, sizeof(c));
		if (c.pad)
			return "TIMESTAMP: pad not zero";
		if (c.bo_index >= nbos)
			return "TIMESTAMP: bo_index past the BO list";
		if (c.offset % 8 || !range_ok(c.offset, 8, sz[c.bo_index]))
			return "TIMESTAMP: offset not a multiple of 8 or outside its BO";
		return NULL;
	}
	case REFACCEL_CMD_MAC: {
		struct drm_refaccel_cmd_mac c;

		if (engine != REFACCEL_ENGINE_COMPUTE)
			return "MAC on an engine other than the compute engine";
		if (!(lim->caps & REFACCEL_CAP_MAC))
			return NULL;	/* unsure: a device without MAC */
		memcpy(&c, p, sizeof(c));
		return mac_invalid(lim, &c, bos, sz, nbos);
	}
	}
	return "unknown opcode";
}

bool fz_cmds_invalid(const struct fz_limits *lim, const void *cmds, uint32_t size,
		     uint32_t engine, const uint32_t *bos, const uint64_t *bo_sizes,
		     uint32_t nbos, char *why, size_t len)
{
	static const uint32_t exact[] = {
		[REFACCEL_CMD_NOP] = sizeof(struct drm_refaccel_cmd_header),
		[REFACCEL_CMD_FILL] = sizeof(struct drm_refaccel_cmd_fill),
		[REFACCEL_CMD_COPY] = sizeof(struct drm_refaccel_cmd_copy),
		[REFACCEL_CMD_TIMESTAMP] = sizeof(struct drm_refaccel_cmd_timestamp),
		[REFACCEL_CMD_MAC] = sizeof(struct drm_refaccel_cmd_mac),
	};
	const uint8_t *p = cmds;
	const char *bad = NULL;
	uint32_t pos = 0;

	if (!size)
		bad = "empty command buffer";
	while (!bad && pos < size) {
		struct drm_refaccel_cmd_header h;

		if (size - pos < sizeof(h)) {
			bad = "a header cut short";
			break;
		}
		memcpy(&h, p + pos, sizeof(h));
		if (!h.opcode || h.opcode > REFACCEL_CMD_MAC) {
			bad = "unknown opcode";
			break;
		}
		if (h.size != exact[h.opcode]) {
			bad = "size is not that of the opcode's struct";
			break;
		}
		if (h.size > size - pos) {
			bad = "command runs past the end of the buffer";
			break;
		}
		bad = cmd_invalid(lim, p + pos, h.opcode, engine, bos, bo_sizes, nbos);
		if (!bad)
			pos += h.size;
	}
	if (bad)
		snprintf(why, len, "%s (command at byte %u)", bad, pos);
	return bad != NULL;
}
