/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_GEM_H__
#define __REFACCEL_GEM_H__

#include <drm/drm_gem_shmem_helper.h>

struct dma_buf_attachment;
struct dmem_cgroup_pool_state;
struct drm_device;
struct drm_file;
struct refaccel_device;
struct sg_table;
struct vm_fault;

/**
 * struct refaccel_bo - a refaccel buffer object
 * @base: the shmem GEM object
 * @flags: REFACCEL_BO_* flags given at creation (0 for imported BOs)
 * @charged: bytes charged against the device memory budget; 0 for imports
 * @dmem_pool: the dmem cgroup pool @charged is also charged to (the BO
 *	creator's cgroup), NULL when none is
 * @import_pages: the pages of an imported BO, from the exporter's sg table
 * @user_pages: the pinned pages of a userptr BO (refaccel_userptr.c)
 * @user_sgt: the device's sg table of @user_pages
 * @vaddr: kernel mapping of the BO's pages for the engines, made on first
 *	submission (refaccel_bo_vaddr()) and kept until the BO is freed
 */
struct refaccel_bo {
	struct drm_gem_shmem_object base;
	u64 flags;
	u64 charged;
	struct dmem_cgroup_pool_state *dmem_pool;
	struct page **import_pages;
	struct page **user_pages;
	struct sg_table *user_sgt;
	void *vaddr;
};

static inline struct refaccel_bo *to_refaccel_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct refaccel_bo, base);
}

struct drm_gem_object *refaccel_gem_create_object(struct drm_device *dev, size_t size);
struct drm_gem_object *refaccel_gem_prime_import_sg_table(struct drm_device *dev,
							  struct dma_buf_attachment *attach,
							  struct sg_table *sgt);
struct page **refaccel_bo_pages(struct refaccel_bo *bo);
void *refaccel_bo_vaddr(struct refaccel_bo *bo, struct page **pages);
pgoff_t refaccel_bo_fault_index(const struct vm_fault *vmf);

#if IS_ENABLED(CONFIG_KUNIT)
struct refaccel_bo *refaccel_bo_create(struct refaccel_device *rdev, u64 size, u64 flags);
#endif
int refaccel_mem_charge(struct refaccel_device *rdev, u64 size);
void refaccel_mem_uncharge(struct refaccel_device *rdev, u64 size);
int refaccel_bo_charge(struct refaccel_device *rdev, u64 size,
		       struct dmem_cgroup_pool_state **dmem_pool);
void refaccel_bo_uncharge(struct refaccel_device *rdev, u64 size,
			  struct dmem_cgroup_pool_state *dmem_pool);

int refaccel_bo_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int refaccel_bo_info_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int refaccel_bo_create_userptr_ioctl(struct drm_device *dev, void *data, struct drm_file *file);
int refaccel_bo_wait_ioctl(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* __REFACCEL_GEM_H__ */
