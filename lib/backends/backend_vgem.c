// SPDX-License-Identifier: MIT
/*
 * Backend for vgem, the upstream virtual GEM driver. vgem has no BO ioctls
 * of its own: BOs are dumb buffers on its primary node (dumb ioctls are not
 * allowed on render nodes). It is not an accel driver, so it covers the
 * core and memory levels only; it checks the suite against an independent
 * upstream implementation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>

#include "../acts_backend.h"

static int vgem_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_mode_create_dumb c = { .bpp = 8, .flags = (uint32_t)args->flags };

	if (args->pad || args->flags > UINT32_MAX)
		return -EOPNOTSUPP;
	/* One byte per pixel: a row of 64 KiB pixels, as many rows as needed. */
	if (args->size <= UINT32_MAX) {
		c.width = (uint32_t)args->size;
		c.height = 1;
	} else {
		uint64_t rows = args->size / 65536 + !!(args->size % 65536);

		c.width = 65536;
		c.height = rows > UINT32_MAX ? UINT32_MAX : (uint32_t)rows;
	}
	if (drmIoctl(dev->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -errno;
	args->size = c.size;
	args->handle = c.handle;
	return 0;
}

static int vgem_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			struct acts_bo_info *info)
{
	struct drm_mode_map_dumb m = { .handle = handle };
	int fd, ret = 0;
	off_t size;

	if (pad)
		return -EOPNOTSUPP;
	if (drmIoctl(dev->fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -errno;
	/* No size query: a dma-buf's size is its end offset. */
	if (drmPrimeHandleToFD(dev->fd, handle, DRM_CLOEXEC, &fd))
		return -errno;
	size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		ret = -errno;
	close(fd);
	if (ret)
		return ret;
	info->size = (uint64_t)size;
	info->flags = 0;
	info->mmap_offset = m.offset;
	return 0;
}

const struct acts_backend acts_backend_vgem = {
	.name = "vgem",
	.verified = true,
	.uapi_header = "libdrm's drm_mode.h (dumb buffers)",
	.node = ACTS_NODE_PRIMARY,
	.notes = "dumb buffers only",
	.caps = ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_GEM_MMAP) |
		ACTS_CAP_BIT(ACTS_CAP_PRIME) | ACTS_CAP_BIT(ACTS_CAP_MULTI_OPEN) |
		ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ) | ACTS_CAP_BIT(ACTS_CAP_SYNCOBJ_TIMELINE),
	.bo_create = vgem_bo_create,
	.bo_info = vgem_bo_info,
};
