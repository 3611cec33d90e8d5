// SPDX-License-Identifier: MIT
/*
 * Backend for refaccel, the bundled reference driver.
 */
#include <errno.h>

#include <xf86drm.h>

#include "refaccel_accel.h"

#include "../acts_backend.h"

static int refaccel_ioctl(struct acts_dev *dev, unsigned long req, void *arg)
{
	return drmIoctl(dev->fd, req, arg) ? -errno : 0;
}

static int refaccel_query_raw(struct acts_dev *dev, uint32_t param, uint32_t pad,
			      uint64_t *value)
{
	struct drm_refaccel_get_param gp = { .param = param, .pad = pad };
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_GET_PARAM, &gp);

	if (!ret)
		*value = gp.value;
	return ret;
}

static int refaccel_query(struct acts_dev *dev, enum acts_query q, uint64_t *value)
{
	static const uint32_t params[ACTS_Q_COUNT] = {
		[ACTS_Q_UAPI_VERSION] = REFACCEL_PARAM_UAPI_VERSION,
		[ACTS_Q_MEM_SIZE] = REFACCEL_PARAM_DEVICE_MEMORY_SIZE,
		[ACTS_Q_MEM_USED] = REFACCEL_PARAM_DEVICE_MEMORY_USED,
		[ACTS_Q_MAX_BO_SIZE] = REFACCEL_PARAM_MAX_BO_SIZE,
		[ACTS_Q_BO_FLAGS] = REFACCEL_PARAM_BO_FLAGS,
	};

	if ((unsigned int)q >= ACTS_Q_COUNT)
		return -EOPNOTSUPP;
	return refaccel_query_raw(dev, params[q], 0, value);
}

static int refaccel_bo_create(struct acts_dev *dev, struct acts_bo_create *args)
{
	struct drm_refaccel_bo_create c = {
		.size = args->size, .flags = args->flags, .pad = args->pad,
	};
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_CREATE, &c);

	if (!ret) {
		args->size = c.size;
		args->handle = c.handle;
	}
	return ret;
}

static int refaccel_bo_info(struct acts_dev *dev, uint32_t handle, uint32_t pad,
			    struct acts_bo_info *info)
{
	struct drm_refaccel_bo_info i = { .handle = handle, .pad = pad };
	int ret = refaccel_ioctl(dev, DRM_IOCTL_REFACCEL_BO_INFO, &i);

	if (!ret) {
		info->size = i.size;
		info->flags = i.flags;
		info->mmap_offset = i.mmap_offset;
	}
	return ret;
}

const struct acts_backend acts_backend_refaccel = {
	.name = "refaccel",
	.node = ACTS_NODE_ACCEL,
	.has_pad_fields = true,
	.query = refaccel_query,
	.query_raw = refaccel_query_raw,
	.query_raw_known = REFACCEL_PARAM_UAPI_VERSION,
	.query_raw_unknown = 0xffff,
	.bo_create = refaccel_bo_create,
	.bo_info = refaccel_bo_info,
};
