// SPDX-License-Identifier: MIT
/*
 * Backend for ethosu (Arm Ethos-U65/U85, drivers/accel/ethosu), written
 * from its uapi header (drm/ethosu_accel.h, linux-libc-dev 7.2) and kernel
 * source; built, not run here.
 *
 * What the uapi expresses without a command stream: BOs (BO_CREATE,
 * BO_MMAP_OFFSET), PRIME, the device query and BO waits. A job is an NPU
 * command stream (CMDSTREAM_BO_CREATE, which ethosu_gem.c parses and
 * validates) as a compiler such as Vela emits it: its opcodes are not in
 * the uapi, so the submission, recovery and compute levels are not
 * declared. The completion shape would be a BO's reservation.
 */
#include <errno.h>
#include <stdint.h>

#include "backend_util.h"

#include "ethosu_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct drm_ethosu_dev_query) == 16, "drm_ethosu_dev_query");
_Static_assert(sizeof(struct drm_ethosu_bo_create) == 16, "drm_ethosu_bo_create");
_Static_assert(sizeof(struct drm_ethosu_bo_mmap_offset) == 16, "drm_ethosu_bo_mmap_offset");
_Static_assert(sizeof(struct drm_ethosu_bo_wait) == 16, "drm_ethosu_bo_wait");
_Static_assert(DRM_ETHOSU_DEV_QUERY == 0 && DRM_ETHOSU_BO_CREATE == 1 &&
	       DRM_ETHOSU_BO_WAIT == 2 && DRM_ETHOSU_BO_MMAP_OFFSET == 3, "ethosu ioctl numbers");

/* A query type ethosu_ioctl_dev_query() does not know: EINVAL. */
#define ETHOSU_QUERY_UNKNOWN 0xffffu

/*
 * DRM_IOCTL_ETHOSU_DEV_QUERY -> ethosu_ioctl_dev_query(): with a NULL
 * pointer it returns the type's size. No must-be-zero field.
 */
static int ethosu_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad, uint64_t *value)
{
	struct drm_ethosu_dev_query q = { .type = param };
	int ret;

	if (pad)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_ETHOSU_DEV_QUERY, &q);
	if (!ret)
		*value = q.size;
	return ret;
}

/*
 * DRM_IOCTL_ETHOSU_BO_CREATE -> ethosu_ioctl_bo_create() ->
 * ethosu_gem_create_with_handle(): a DMA BO; size is in/out, flags are
 * DRM_ETHOSU_BO_NO_MMAP (unknown bits: EINVAL).
 */
static int ethosu_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_ethosu_bo_create c = { .size = args->size };
	int ret;

	/* No must-be-zero field. */
	if (args->pad)
		return -EOPNOTSUPP;
	/* A flag the 32-bit field cannot carry does not exist: refused as unknown. */
	if (args->flags > UINT32_MAX)
		return -EINVAL;
	c.flags = (uint32_t)args->flags;
	ret = acts_be_ioctl(dev, DRM_IOCTL_ETHOSU_BO_CREATE, &c);
	if (ret)
		return ret;
	args->handle = c.handle;
	args->size = c.size;
	return 0;
}

/*
 * DRM_IOCTL_ETHOSU_BO_MMAP_OFFSET -> ethosu_ioctl_bo_mmap_offset(): pad
 * must be zero (EINVAL). ethosu reports neither size nor flags: the size
 * is the dma-buf's, the flags read as 0 (so ACTS_Q_BO_FLAGS is not
 * reported, and MEM-CREATE-6 skips).
 */
static int ethosu_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			  struct acts_bo_info *info)
{
	struct drm_ethosu_bo_mmap_offset m = { .handle = handle, .pad = pad };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_ETHOSU_BO_MMAP_OFFSET, &m);

	if (ret)
		return ret;
	info->flags = 0;
	info->mmap_offset = m.offset;
	return acts_be_dmabuf_size(dev, handle, &info->size);
}

/*
 * DRM_IOCTL_ETHOSU_BO_WAIT -> ethosu_ioctl_bo_wait() ->
 * drm_gem_dma_resv_wait(), absolute deadline. The suite's flags go in pad,
 * the uapi's only must-be-zero field there (EINVAL). No job status.
 */
static int ethosu_bo_wait(struct acts_dev *dev, uint32_t handle, int64_t deadline_ns,
			  uint32_t flags, int *status)
{
	struct drm_ethosu_bo_wait w = { .handle = handle, .pad = flags, .timeout_ns = deadline_ns };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_ETHOSU_BO_WAIT, &w);

	if (!ret && status)
		*status = 0;
	return ret;
}

static const struct acts_errno_deviation ethosu_deviations[] = {
	{ "SUB-WAIT-1", "unknown-handle", EINVAL,
	  "drm_gem_dma_resv_wait() answers a failed BO lookup with EINVAL" },
	{ NULL }
};

static const struct acts_uapi_ioctl ethosu_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_ETHOSU_DEV_QUERY, DRM_ETHOSU_DEV_QUERY,
			struct drm_ethosu_dev_query, "ethosu_ioctl_dev_query"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_ETHOSU_BO_CREATE, DRM_ETHOSU_BO_CREATE,
			struct drm_ethosu_bo_create, "ethosu_ioctl_bo_create"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_ETHOSU_BO_WAIT, DRM_ETHOSU_BO_WAIT,
			struct drm_ethosu_bo_wait, "ethosu_ioctl_bo_wait"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_ETHOSU_BO_MMAP_OFFSET, DRM_ETHOSU_BO_MMAP_OFFSET,
			struct drm_ethosu_bo_mmap_offset, "ethosu_ioctl_bo_mmap_offset"),
	{ NULL }
};

const struct acts_backend acts_backend_ethosu = {
	.name = "ethosu",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = ethosu_uapi,
	.notes = "jobs need a compiled NPU command stream, whose opcodes are not in the uapi",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_RAW_QUERY) | ACTS_CAP_BIT(ACTS_CAP_BO_WAIT),
	.deviations = ethosu_deviations,
	.query_raw = ethosu_query_raw,
	.query_raw_known = DRM_ETHOSU_DEV_QUERY_NPU_INFO,
	.query_raw_unknown = ETHOSU_QUERY_UNKNOWN,
	.bo_create = ethosu_bo_create,
	.bo_info = ethosu_bo_info,
	.bo_wait = ethosu_bo_wait,
};
