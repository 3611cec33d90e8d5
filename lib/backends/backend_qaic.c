// SPDX-License-Identifier: MIT
/*
 * Backend for qaic (Qualcomm Cloud AI 100, drivers/accel/qaic), written
 * from its uapi header (drm/qaic_accel.h, Linux 6.12) and kernel source;
 * built, not run here.
 *
 * What the uapi expresses without a network: BOs (CREATE_BO, MMAP_BO),
 * PRIME, and the must-be-zero pad of both. Everything past memory goes
 * through a DMA bridge channel (DBC), which only exists once a compiled
 * network was activated over the MANAGE ioctl (QAIC_TRANS_ACTIVATE_*);
 * ATTACH_SLICE, EXECUTE, WAIT and PERF_STATS all need one. So the
 * submission, fence, recovery and compute levels are not declared.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "backend_util.h"

#include "qaic_accel.h"

/* The ABI this backend was written for: a header that moved fails the build. */
_Static_assert(sizeof(struct qaic_create_bo) == 16, "qaic_create_bo");
_Static_assert(sizeof(struct qaic_mmap_bo) == 16, "qaic_mmap_bo");
_Static_assert(DRM_QAIC_CREATE_BO == 0x01 && DRM_QAIC_MMAP_BO == 0x02, "qaic ioctl numbers");

/*
 * DRM_IOCTL_QAIC_CREATE_BO -> qaic_create_bo_ioctl() -> create_sgt(): pad
 * must be zero (EINVAL), size is page-rounded, ENODEV until the device is
 * online (its firmware booted over MHI).
 */
static int qaic_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct qaic_create_bo c = { .size = args->size, .pad = args->pad };
	int ret;

	/* qaic BOs have no flags field. */
	if (args->flags)
		return -EOPNOTSUPP;
	ret = acts_be_ioctl(dev, DRM_IOCTL_QAIC_CREATE_BO, &c);
	if (ret)
		return ret;
	args->handle = c.handle;
	/* No size comes back: the DRM core's dma-buf says. */
	return acts_be_dmabuf_size(dev, c.handle, &args->size);
}

/*
 * DRM_IOCTL_QAIC_MMAP_BO -> qaic_mmap_bo_ioctl() -> drm_vma_node_offset_addr()
 * for the offset; the size from the BO's dma-buf, as qaic has no info
 * ioctl. Its pad is passed as given: qaic_mmap_bo_ioctl() does not check
 * it in 7.2, which MEM-INFO-3 reports.
 */
static int qaic_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			struct acts_bo_info *info)
{
	struct qaic_mmap_bo m = { .handle = handle, .pad = pad };
	int ret = acts_be_ioctl(dev, DRM_IOCTL_QAIC_MMAP_BO, &m);

	if (ret)
		return ret;
	info->flags = 0;
	info->mmap_offset = m.offset;
	return acts_be_dmabuf_size(dev, handle, &info->size);
}

static const struct acts_uapi_ioctl qaic_uapi[] = {
	ACTS_UAPI_IOCTL(DRM_IOCTL_QAIC_CREATE_BO, DRM_QAIC_CREATE_BO, struct qaic_create_bo,
			"qaic_create_bo_ioctl"),
	ACTS_UAPI_IOCTL(DRM_IOCTL_QAIC_MMAP_BO, DRM_QAIC_MMAP_BO, struct qaic_mmap_bo,
			"qaic_mmap_bo_ioctl"),
	{ NULL }
};

const struct acts_backend acts_backend_qaic = {
	.name = "qaic",
	.node = ACTS_NODE_ACCEL,
	.uapi_header = ACTS_UAPI_HDR,
	.uapi = qaic_uapi,
	.notes = "jobs need a compiled network activated on a DMA bridge channel",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_PAD_FIELDS),
	.bo_create = qaic_bo_create,
	.bo_info = qaic_bo_info,
};
