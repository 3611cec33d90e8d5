// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Userptr BOs: ordinary user memory pinned for the device, with no copy.
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_drv.h"
#include "refaccel_gem.h"

static void refaccel_userptr_free(struct drm_gem_object *obj)
{
	struct refaccel_device *rdev = to_refaccel_device(obj->dev);
	struct refaccel_bo *bo = to_refaccel_bo(obj);

	if (bo->vaddr)
		vunmap(bo->vaddr);
	sg_free_table(bo->user_sgt);
	kfree(bo->user_sgt);
	/* The engines may have written any page: let the mm know. */
	unpin_user_pages_dirty_lock(bo->user_pages, obj->size >> PAGE_SHIFT, true);
	kvfree(bo->user_pages);
	drm_gem_object_release(obj);
	refaccel_bo_uncharge(rdev, bo->charged, bo->dmem_pool);
	kfree(bo);
}

static enum drm_gem_object_status refaccel_userptr_status(struct drm_gem_object *obj)
{
	/* Pinned from creation to free. */
	return DRM_GEM_OBJECT_RESIDENT;
}

static struct dma_buf *refaccel_userptr_export(struct drm_gem_object *obj, int flags)
{
	drm_dbg(obj->dev, "prime: a userptr BO cannot be exported\n");
	return ERR_PTR(-EOPNOTSUPP);
}

static int refaccel_userptr_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/* Unreachable: the BO has no mmap offset and no dma-buf. */
	return -EINVAL;
}

static const struct drm_gem_object_funcs refaccel_userptr_funcs = {
	.free = refaccel_userptr_free,
	.export = refaccel_userptr_export,
	.mmap = refaccel_userptr_mmap,
	.status = refaccel_userptr_status,
};

/*
 * Pin the range for the device. FOLL_LONGTERM makes GUP refuse what cannot
 * stay pinned indefinitely (file pages that need writeback, DAX, device
 * mappings) and migrate pages out of movable zones first.
 */
static int refaccel_userptr_pin(struct refaccel_bo *bo, u64 user_ptr, unsigned long npages)
{
	struct drm_device *dev = bo->base.base.dev;
	int pinned;

	pinned = pin_user_pages_fast(user_ptr, npages, FOLL_WRITE | FOLL_LONGTERM,
				     bo->user_pages);
	if (pinned == npages)
		return 0;

	drm_dbg(dev, "bo_create_userptr: pinned %d of %lu pages at %#llx\n", pinned, npages,
		user_ptr);
	if (pinned < 0)
		return pinned;
	unpin_user_pages(bo->user_pages, pinned);
	return -EFAULT;
}

/*
 * refaccel_userptr_create() - charge, pin and wrap @size bytes at @user_ptr
 *
 * Return: the BO with one reference, or an ERR_PTR; on error nothing stays
 * charged or pinned.
 */
static struct refaccel_bo *refaccel_userptr_create(struct refaccel_device *rdev, u64 user_ptr,
						   u64 size)
{
	unsigned long npages = size >> PAGE_SHIFT;
	struct dmem_cgroup_pool_state *dmem_pool;
	struct refaccel_bo *bo;
	int ret;

	ret = refaccel_bo_charge(rdev, size, &dmem_pool);
	if (ret)
		return ERR_PTR(ret);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		ret = -ENOMEM;
		goto err_uncharge;
	}
	bo->user_pages = kvmalloc_array(npages, sizeof(*bo->user_pages), GFP_KERNEL);
	if (!bo->user_pages) {
		ret = -ENOMEM;
		goto err_free_bo;
	}
	bo->user_sgt = kzalloc(sizeof(*bo->user_sgt), GFP_KERNEL);
	if (!bo->user_sgt) {
		ret = -ENOMEM;
		goto err_free_pages;
	}

	bo->base.base.funcs = &refaccel_userptr_funcs;
	drm_gem_private_object_init(&rdev->drm, &bo->base.base, size);

	ret = refaccel_userptr_pin(bo, user_ptr, npages);
	if (ret)
		goto err_release;

	ret = sg_alloc_table_from_pages(bo->user_sgt, bo->user_pages, npages, 0, size,
					GFP_KERNEL);
	if (ret)
		goto err_unpin;

	/* From here refaccel_userptr_free() undoes everything. */
	bo->charged = size;
	bo->dmem_pool = dmem_pool;
	bo->flags = REFACCEL_BO_USERPTR;
	return bo;

err_unpin:
	unpin_user_pages(bo->user_pages, npages);
err_release:
	drm_gem_object_release(&bo->base.base);
	kfree(bo->user_sgt);
err_free_pages:
	kvfree(bo->user_pages);
err_free_bo:
	kfree(bo);
err_uncharge:
	refaccel_bo_uncharge(rdev, size, dmem_pool);
	return ERR_PTR(ret);
}

/*
 * DRM_IOCTL_REFACCEL_BO_CREATE_USERPTR: see struct
 * drm_refaccel_bo_create_userptr for the contract. Every check comes before
 * anything is pinned or charged.
 */
int refaccel_bo_create_userptr_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct drm_refaccel_bo_create_userptr *args = data;
	struct refaccel_bo *bo;
	u32 handle;
	int ret;

	if (args->pad || args->flags) {
		drm_dbg(dev, "bo_create_userptr: pad %u or flags %#llx not zero\n", args->pad,
			args->flags);
		return -EINVAL;
	}
	if (!args->size || !PAGE_ALIGNED(args->size) || !PAGE_ALIGNED(args->user_ptr)) {
		drm_dbg(dev, "bo_create_userptr: address %#llx or size %llu not page aligned or zero\n",
			args->user_ptr, args->size);
		return -EINVAL;
	}
	if (args->size > rdev->max_bo_size) {
		drm_dbg(dev, "bo_create_userptr: size %llu above %llu\n", args->size,
			rdev->max_bo_size);
		return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(args->user_ptr), args->size)) {
		drm_dbg(dev, "bo_create_userptr: %llu bytes at %#llx wrap or leave user space\n",
			args->size, args->user_ptr);
		return -EFAULT;
	}

	bo = refaccel_userptr_create(rdev, args->user_ptr, args->size);
	if (IS_ERR(bo)) {
		drm_dbg(dev, "bo_create_userptr: %llu bytes at %#llx: %pe\n", args->size,
			args->user_ptr, bo);
		return PTR_ERR(bo);
	}

	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	/* The handle holds its own reference; drop the creation one. */
	drm_gem_object_put(&bo->base.base);
	if (ret)
		return ret;

	args->handle = handle;
	return 0;
}
