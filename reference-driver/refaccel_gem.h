/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_GEM_H__
#define __REFACCEL_GEM_H__

#include <drm/drm_gem_shmem_helper.h>

struct drm_device;
struct drm_file;
struct refaccel_device;

/**
 * struct refaccel_bo - a refaccel buffer object
 * @base: the shmem GEM object
 * @flags: REFACCEL_BO_* flags given at creation (0 for imported BOs)
 * @charged: bytes charged against the device memory budget; 0 for imports
 */
struct refaccel_bo {
	struct drm_gem_shmem_object base;
	u64 flags;
	u64 charged;
};

static inline struct refaccel_bo *to_refaccel_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct refaccel_bo, base);
}

struct drm_gem_object *refaccel_gem_create_object(struct drm_device *dev, size_t size);

int refaccel_mem_charge(struct refaccel_device *rdev, u64 size);
void refaccel_mem_uncharge(struct refaccel_device *rdev, u64 size);

int refaccel_bo_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int refaccel_bo_info_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* __REFACCEL_GEM_H__ */
