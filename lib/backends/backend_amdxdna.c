// SPDX-License-Identifier: MIT
/*
 * Backend for amdxdna (AMD XDNA NPU, drivers/accel/amdxdna), written from
 * its uapi header (drm/amdxdna_accel.h, linux-libc-dev 7.2) and kernel
 * source; built, not run here.
 *
 * What the uapi expresses without an xclbin: shared BOs (CREATE_BO of
 * AMDXDNA_BO_SHARE, GET_BO_INFO), PRIME, parameters (GET_INFO) and the
 * DRM core's syncobjs. A job (EXEC_CMD) is an ERT command naming a
 * compute unit, and compute units exist only once an xclbin's PDIs were
 * configured on a hardware context (CONFIG_HWCTX/DRM_AMDXDNA_HWCTX_CONFIG_CU),
 * whose partition size (num_tiles) and device heap come from that xclbin
 * too. So contexts, submission, fences, recovery and compute are not
 * declared, though the completion shape would be ctx-syncobj (CREATE_HWCTX
 * returns a timeline syncobj its jobs signal at their sequence number).
 */
#include <errno.h>
#include <stdint.h>

#include "backend_util.h"

/* The 7.2 header annotates a flexible array; older system stddef.h lacks it. */
#ifndef __counted_by
#define __counted_by(m)
#endif
#include "amdxdna_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct amdxdna_drm_create_bo) == 32, "amdxdna_drm_create_bo");
_Static_assert(sizeof(struct amdxdna_drm_get_bo_info) == 48, "amdxdna_drm_get_bo_info");
_Static_assert(sizeof(struct amdxdna_drm_get_info) == 16, "amdxdna_drm_get_info");
_Static_assert(DRM_AMDXDNA_CREATE_BO == 3 && DRM_AMDXDNA_GET_BO_INFO == 4 &&
	       DRM_AMDXDNA_GET_INFO == 7, "amdxdna ioctl numbers");
_Static_assert(AMDXDNA_BO_SHARE == 1, "AMDXDNA_BO_SHARE");

/* A parameter the device's get_aie_info() (aie2_get_info()) does not know. */
#define AMDXDNA_PARAM_UNKNOWN 0xffffu

/*
 * DRM_IOCTL_AMDXDNA_GET_INFO -> amdxdna_drm_get_info_ioctl() ->
 * ops->get_aie_info(). No must-be-zero field; the known id is the AIE
 * version (DRM_AMDXDNA_QUERY_AIE_VERSION -> aie2_get_aie_version()).
 */
static int amdxdna_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value)
{
	struct amdxdna_drm_query_aie_version v = { 0 };
	struct amdxdna_drm_get_info g = {
		.param = param,
		.buffer_size = sizeof(v),
		.buffer = (uint64_t)(uintptr_t)&v,
	};
	int ret;

	if (pad)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_AMDXDNA_GET_INFO, &g);
	if (!ret)
		*value = (uint64_t)v.major << 16 | v.minor;
	return ret;
}

/*
 * DRM_IOCTL_AMDXDNA_CREATE_BO -> amdxdna_drm_create_bo_ioctl() ->
 * amdxdna_drm_create_share_bo(): a shmem BO the CPU maps; flags must be
 * zero (EINVAL), so every flag bit is undefined.
 */
static int amdxdna_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct amdxdna_drm_create_bo c = {
		.flags = args->flags,
		.size = args->size,
		.type = AMDXDNA_BO_SHARE,
	};
	int ret;

	/* No must-be-zero field beside flags. */
	if (args->pad)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_AMDXDNA_CREATE_BO, &c);
	if (ret)
		return ret;
	args->handle = c.handle;
	/* No size comes back: the DRM core's dma-buf says. */
	return acts_be_dmabuf_size(dev, c.handle, &args->size);
}

/*
 * DRM_IOCTL_AMDXDNA_GET_BO_INFO -> amdxdna_drm_get_bo_info_ioctl(): pad,
 * ext and ext_flags must be zero (EINVAL); map_offset from the GEM vma
 * node. No size: the dma-buf's (amdxdna_gem_prime_export()).
 */
static int amdxdna_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			   struct acts_bo_info *info)
{
	struct amdxdna_drm_get_bo_info i = { .handle = handle, .pad = pad };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_AMDXDNA_GET_BO_INFO, &i);

	if (ret)
		return ret;
	info->flags = 0;
	info->mmap_offset = i.map_offset;
	return acts_be_dmabuf_size(dev, handle, &info->size);
}

static int amdxdna_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	switch (q) {
	case ACTS_Q_BO_FLAGS:
		*value = 0;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static const struct acts_errno_deviation amdxdna_deviations[] = {
	{ "CORE-QUERY-1", "unknown-param", EOPNOTSUPP,
	  "aie2_get_info() answers an unknown parameter with EOPNOTSUPP" },
	{ NULL }
};

static const struct acts_uapi_ioctl amdxdna_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_AMDXDNA_CREATE_BO, DRM_AMDXDNA_CREATE_BO,
			struct amdxdna_drm_create_bo, "amdxdna_drm_create_bo_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_AMDXDNA_GET_BO_INFO, DRM_AMDXDNA_GET_BO_INFO,
			struct amdxdna_drm_get_bo_info, "amdxdna_drm_get_bo_info_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_AMDXDNA_GET_INFO, DRM_AMDXDNA_GET_INFO,
			struct amdxdna_drm_get_info, "amdxdna_drm_get_info_ioctl"),
	{ NULL }
};

const struct acts_backend acts_backend_amdxdna = {
	.name = "amdxdna_accel_driver",
	.alias = "amdxdna",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = amdxdna_uapi,
	.notes = "jobs and hardware contexts need an xclbin (compute units, partition)",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) |
		ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE),
	.deviations = amdxdna_deviations,
	.query = amdxdna_query,
	.query_raw = amdxdna_query_raw,
	.query_raw_known = DRM_AMDXDNA_QUERY_AIE_VERSION,
	.query_raw_unknown = AMDXDNA_PARAM_UNKNOWN,
	.bo_create = amdxdna_bo_create,
	.bo_info = amdxdna_bo_info,
};
