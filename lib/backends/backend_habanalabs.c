// SPDX-License-Identifier: MIT
/*
 * Backend for habanalabs (Intel Gaudi, drivers/accel/habanalabs), written
 * from its uapi header (drm/habanalabs_accel.h, Linux 6.12) and kernel
 * source; built, not run here.
 *
 * What the suite's boundary can express: the INFO ioctl (parameters, its
 * pad, the device memory budget) and, probed, one open file at a time.
 *
 * Not the memory level: habanalabs memory is not GEM. Device memory
 * (MEMORY/HL_MEM_OP_ALLOC) and command buffers (CB/HL_CB_OP_CREATE) have
 * 64-bit handles of their own, freed by their own ops, not by GEM_CLOSE,
 * and exported by address (HL_MEM_OP_EXPORT_DMABUF_FD), not by PRIME of a
 * handle, while the suite's memory subtests are about GEM handles.
 * Not the submission level either: a command submission (CS) carries
 * queue packets (NOP, LIN_DMA, MSG_*) whose format is in the driver's
 * internal headers, not in the uapi.
 */
#include <errno.h>
#include <stdint.h>

#include "backend_util.h"

#include "habanalabs_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct hl_info_args) == 24, "hl_info_args");
_Static_assert(HL_IOCTL_INFO == 0x00, "habanalabs ioctl numbers");
_Static_assert(HL_INFO_HW_IP_INFO == 0 && HL_INFO_DRAM_USAGE == 2, "HL_INFO ops");

/* An op _hl_info_ioctl() does not know: "Invalid request", EINVAL. */
#define HL_INFO_UNKNOWN 0xffffu

/*
 * DRM_IOCTL_HL_INFO -> hl_info_ioctl() -> _hl_info_ioctl(): pad must be
 * zero (EINVAL); the answer is copied to return_pointer, at most
 * return_size bytes.
 */
static int hl_info(struct acts_dev *dev, uint32_t op, uint32_t pad, void *buf, uint32_t size)
{
	struct hl_info_args a = {
		.return_pointer = (uint64_t)(uintptr_t)buf,
		.return_size = size,
		.op = op,
		.pad = pad,
	};

	return acts_be_ioctl(dev, DRM_IOCTL_HL_INFO, &a);
}

/* Raw ids are HL_INFO ops; the value is the first 64 bits of the answer. */
static int hl_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value)
{
	struct hl_info_hw_ip_info ip = { 0 };
	int ret = hl_info(dev, param, pad, &ip, sizeof(ip));

	if (!ret)
		*value = ip.sram_base_address;
	return ret;
}

static int hl_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	struct hl_info_hw_ip_info ip = { 0 };
	struct hl_info_dram_usage use = { 0 };
	int ret;

	switch (q) {
	case ACTS_Q_MEM_SIZE:
		/* HL_INFO_HW_IP_INFO -> hw_ip_info(): the device's DRAM. */
		ret = hl_info(dev, HL_INFO_HW_IP_INFO, 0, &ip, sizeof(ip));
		if (!ret)
			*value = ip.dram_size;
		return ret;
	case ACTS_Q_MEM_USED:
		/* HL_INFO_DRAM_USAGE -> dram_usage_info(): this context's DRAM. */
		ret = hl_info(dev, HL_INFO_DRAM_USAGE, 0, &use, sizeof(use));
		if (!ret)
			*value = use.ctx_dram_mem;
		return ret;
	default:
		return -EOPNOTSUPP;
	}
}

static const struct acts_uapi_ioctl hl_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_HL_INFO, HL_IOCTL_INFO, struct hl_info_args, "hl_info_ioctl"),
	{ NULL }
};

const struct acts_backend acts_backend_habanalabs = {
	.name = "habanalabs",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = hl_uapi,
	.notes = "memory is not GEM (own 64-bit handles); CS packets are not in the uapi",
	.caps = ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) | ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY),
	.query = hl_query,
	.query_raw = hl_query_raw,
	.query_raw_known = HL_INFO_HW_IP_INFO,
	.query_raw_unknown = HL_INFO_UNKNOWN,
};
