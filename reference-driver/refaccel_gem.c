// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Buffer objects: GEM shmem objects charged against a device memory budget.
 */

#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_utils.h>
#include <drm/drm_vma_manager.h>

#include <kunit/visibility.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_compat.h"
#include "refaccel_drv.h"
#include "refaccel_fault.h"
#include "refaccel_gem.h"
#include "refaccel_thp.h"

/**
 * refaccel_mem_charge() - reserve device memory for a BO
 * @rdev: the device
 * @size: bytes to reserve
 *
 * Return: 0, or -ENOSPC when the budget cannot hold @size more bytes.
 */
int refaccel_mem_charge(struct refaccel_device *rdev, u64 size)
{
	s64 used = atomic64_read(&rdev->mem_used);

	do {
		if (size > rdev->mem_budget - (u64)used)
			return -ENOSPC;
	} while (!atomic64_try_cmpxchg(&rdev->mem_used, &used, used + size));

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_mem_charge);

/**
 * refaccel_mem_uncharge() - give back device memory reserved by refaccel_mem_charge()
 * @rdev: the device
 * @size: bytes to give back
 */
void refaccel_mem_uncharge(struct refaccel_device *rdev, u64 size)
{
	s64 left = atomic64_sub_return(size, &rdev->mem_used);

	drm_WARN_ON(&rdev->drm, left < 0);
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_mem_uncharge);

/**
 * refaccel_bo_charge() - pay for a new BO of the device's own memory
 * @rdev: the device
 * @size: bytes of the BO
 * @dmem_pool: set to the dmem cgroup pool charged (NULL without the controller)
 *
 * Every BO the device's memory backs (shmem or pinned user pages) goes
 * through here before anything is allocated: the injected allocation
 * failure, the device budget, then the dmem cgroup of the calling task.
 * refaccel_bo_uncharge() gives both charges back. Imports pay nothing.
 *
 * Return: 0; -ENOMEM when the fail_alloc fault fires; -ENOSPC when the
 * budget is full or the caller's cgroup reached its dmem.max for the device.
 */
int refaccel_bo_charge(struct refaccel_device *rdev, u64 size,
		       struct dmem_cgroup_pool_state **dmem_pool)
{
	int ret;

	if (refaccel_fault_fire(&rdev->faults.fail_alloc) ||
	    refaccel_fault_broken(&rdev->faults, REFACCEL_BROKEN_FAIL_ALLOC)) {
		atomic64_inc(&rdev->faults.alloc_failures);
		return -ENOMEM;
	}

	ret = refaccel_mem_charge(rdev, size);
	if (ret)
		return ret;

	/*
	 * The caller's cgroup pays too: a limit it reached (-EAGAIN) is the
	 * same want of device memory as a full budget.
	 */
	ret = refaccel_dmem_try_charge(rdev->dmem_region, size, dmem_pool);
	if (ret) {
		refaccel_mem_uncharge(rdev, size);
		return ret == -EAGAIN ? -ENOSPC : ret;
	}
	return 0;
}

/**
 * refaccel_bo_uncharge() - give back what refaccel_bo_charge() took
 * @rdev: the device
 * @size: bytes charged
 * @dmem_pool: the pool refaccel_bo_charge() returned
 */
void refaccel_bo_uncharge(struct refaccel_device *rdev, u64 size,
			  struct dmem_cgroup_pool_state *dmem_pool)
{
	refaccel_dmem_uncharge(dmem_pool, size);
	refaccel_mem_uncharge(rdev, size);
}

static void refaccel_bo_free(struct drm_gem_object *obj)
{
	struct refaccel_device *rdev = to_refaccel_device(obj->dev);
	struct refaccel_bo *bo = to_refaccel_bo(obj);
	struct dmem_cgroup_pool_state *dmem_pool = bo->dmem_pool;
	u64 charged = bo->charged;

	if (bo->vaddr)
		vunmap(bo->vaddr);
	kvfree(bo->import_pages);
	drm_gem_shmem_free(&bo->base);
	if (charged)
		refaccel_bo_uncharge(rdev, charged, dmem_pool);
}

static enum drm_gem_object_status refaccel_bo_status(struct drm_gem_object *obj)
{
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);

	/* Read without the lock: fdinfo tolerates a stale answer. */
	return READ_ONCE(shmem->pages) ? DRM_GEM_OBJECT_RESIDENT : 0;
}

/*
 * Pages mapped by one CPU fault on a BO: the faulting one and those after
 * it, as TTM does. A first touch is mostly sequential, and under emulation
 * the fault itself costs more than inserting a page.
 */
#define REFACCEL_BO_PREFAULT	16

/**
 * refaccel_bo_fault_index() - the BO page a CPU fault is on
 * @vmf: a fault in a mapping of a BO, through the device or a dma-buf
 *
 * Not the offset into the VMA: a mapping cut by munmap() or mprotect()
 * becomes VMAs that start further into the BO, each with its vm_pgoff
 * moved on, and a dma-buf mapping may start at an offset. Every such
 * vm_pgoff is the BO's fake offset plus the page the VMA starts at.
 *
 * Return: the page index in the BO; past its end for a stray fault.
 */
pgoff_t refaccel_bo_fault_index(const struct vm_fault *vmf)
{
	struct drm_gem_object *obj = vmf->vma->vm_private_data;

	return vmf->pgoff - drm_vma_node_start(&obj->vma_node);
}

static vm_fault_t refaccel_bo_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	pgoff_t num_pages = obj->size >> PAGE_SHIFT;
	pgoff_t first = refaccel_bo_fault_index(vmf);
	unsigned long addr = vmf->address;
	pgoff_t i, end;
	vm_fault_t ret;

	dma_resv_lock(obj->resv, NULL);
	if (first >= num_pages || drm_WARN_ON_ONCE(obj->dev, !shmem->pages) ||
	    shmem->madv < 0) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}

	ret = vmf_insert_pfn(vma, addr, page_to_pfn(shmem->pages[first]));
	end = min3(num_pages, first + REFACCEL_BO_PREFAULT,
		   first + ((vma->vm_end - addr) >> PAGE_SHIFT));
	/* Only the faulting page must succeed; the others are a bonus. */
	for (i = first + 1; ret == VM_FAULT_NOPAGE && i < end; i++) {
		addr += PAGE_SIZE;
		if (vmf_insert_pfn(vma, addr, page_to_pfn(shmem->pages[i])) != VM_FAULT_NOPAGE)
			break;
	}
out:
	dma_resv_unlock(obj->resv);
	return ret;
}

static void refaccel_bo_vm_open(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.open(vma);
}

static void refaccel_bo_vm_close(struct vm_area_struct *vma)
{
	drm_gem_shmem_vm_ops.close(vma);
}

#if REFACCEL_HAVE_SHMEM_PFN_MKWRITE
static vm_fault_t refaccel_bo_pfn_mkwrite(struct vm_fault *vmf)
{
	return drm_gem_shmem_vm_ops.pfn_mkwrite(vmf);
}
#endif

/* The shmem helper's mapping, but with the fault handlers of refaccel. */
static const struct vm_operations_struct refaccel_bo_vm_ops = {
	.fault = refaccel_bo_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault = refaccel_bo_huge_fault,
#endif
	.open = refaccel_bo_vm_open,
	.close = refaccel_bo_vm_close,
#if REFACCEL_HAVE_SHMEM_PFN_MKWRITE
	.pfn_mkwrite = refaccel_bo_pfn_mkwrite,
#endif
};

static const struct drm_gem_object_funcs refaccel_gem_funcs = {
	.free = refaccel_bo_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.status = refaccel_bo_status,
	.vm_ops = &refaccel_bo_vm_ops,
};

/**
 * refaccel_gem_create_object() - &drm_driver.gem_create_object hook
 * @dev: the DRM device
 * @size: object size, page aligned by the shmem helper
 *
 * Used for created and imported BOs alike, so every object of the device
 * is a &struct refaccel_bo.
 *
 * Return: the embedded GEM object or an ERR_PTR.
 */
struct drm_gem_object *refaccel_gem_create_object(struct drm_device *dev, size_t size)
{
	struct refaccel_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->base.base.funcs = &refaccel_gem_funcs;
	return &bo->base.base;
}

/**
 * refaccel_gem_prime_import_sg_table() - &drm_driver.gem_prime_import_sg_table hook
 * @dev: the DRM device
 * @attach: the attachment to the exporter's dma-buf
 * @sgt: the mapped sg table of the attachment
 *
 * An imported BO has no shmem pages; the engines reach it through the pages
 * of the exporter's sg table, so only page-backed dma-bufs are usable.
 *
 * Return: the new GEM object or an ERR_PTR.
 */
struct drm_gem_object *refaccel_gem_prime_import_sg_table(struct drm_device *dev,
							  struct dma_buf_attachment *attach,
							  struct sg_table *sgt)
{
	struct drm_gem_object *obj;
	struct refaccel_bo *bo;
	unsigned long npages;
	int ret;

	obj = drm_gem_shmem_prime_import_sg_table(dev, attach, sgt);
	if (IS_ERR(obj))
		return obj;

	bo = to_refaccel_bo(obj);
	npages = obj->size >> PAGE_SHIFT;
	bo->import_pages = kvmalloc_array(npages, sizeof(*bo->import_pages), GFP_KERNEL);
	if (!bo->import_pages) {
		ret = -ENOMEM;
		goto err_put;
	}
	ret = drm_prime_sg_to_page_array(sgt, bo->import_pages, npages);
	if (ret)
		goto err_put;

	return obj;

err_put:
	drm_gem_object_put(obj);
	return ERR_PTR(ret);
}

/**
 * refaccel_bo_pages() - the pages of a BO, for the engines
 * @bo: the BO
 *
 * Allocates and pins a created BO's pages on first use; they stay until the
 * BO is freed.
 *
 * Return: the page array or an ERR_PTR.
 */
struct page **refaccel_bo_pages(struct refaccel_bo *bo)
{
	struct sg_table *sgt;

	if (bo->user_pages)
		return bo->user_pages;
	if (bo->base.base.import_attach)
		return bo->import_pages;

	sgt = drm_gem_shmem_get_pages_sgt(&bo->base);
	if (IS_ERR(sgt))
		return ERR_CAST(sgt);
	return bo->base.pages;
}

/**
 * refaccel_bo_vaddr() - the engines' mapping of a BO
 * @bo: the BO
 * @pages: its pages, from refaccel_bo_pages()
 *
 * The engines address a BO through one kernel mapping of all its pages,
 * made on first use at submission (never while a job runs, which must not
 * map) and kept until the BO is freed. The device budget bounds how much
 * can be mapped.
 *
 * Return: the mapping, or NULL when the kernel has no room for it.
 */
void *refaccel_bo_vaddr(struct refaccel_bo *bo, struct page **pages)
{
	void *vaddr = READ_ONCE(bo->vaddr);

	if (vaddr)
		return vaddr;

	vaddr = vmap(pages, bo->base.base.size >> PAGE_SHIFT, VM_MAP, PAGE_KERNEL);
	if (!vaddr)
		return NULL;
	/* Two submissions may race to map the BO: keep the first mapping. */
	if (cmpxchg(&bo->vaddr, NULL, vaddr)) {
		vunmap(vaddr);
		vaddr = READ_ONCE(bo->vaddr);
	}
	return vaddr;
}

/**
 * refaccel_bo_create() - create a BO and charge it to the device budget and cgroup
 * @rdev: the device
 * @size: bytes, page aligned, at most the device's max_bo_size
 * @flags: REFACCEL_BO_* flags, already checked
 *
 * The BO is charged to the device budget and to the dmem cgroup of the
 * calling task (the region of the device, where the kernel has the
 * controller); both charges are returned when the BO is freed, whoever
 * holds it last. Imported BOs are charged to neither.
 *
 * Return: the BO with one reference, or ERR_PTR(-ENOMEM) (also when the
 * fail_alloc fault fires) or ERR_PTR(-ENOSPC) when the budget is full or
 * the caller's cgroup reached its dmem.max for the device.
 */
VISIBLE_IF_KUNIT struct refaccel_bo *refaccel_bo_create(struct refaccel_device *rdev, u64 size,
							u64 flags)
{
	struct dmem_cgroup_pool_state *dmem_pool;
	struct drm_gem_shmem_object *shmem;
	struct refaccel_bo *bo;
	int ret;

	ret = refaccel_bo_charge(rdev, size, &dmem_pool);
	if (ret)
		return ERR_PTR(ret);

	shmem = drm_gem_shmem_create(&rdev->drm, size);
	if (IS_ERR(shmem)) {
		refaccel_bo_uncharge(rdev, size, dmem_pool);
		return ERR_CAST(shmem);
	}

	/* From here the charges are returned by refaccel_bo_free(). */
	bo = to_refaccel_bo(&shmem->base);
	bo->charged = size;
	bo->dmem_pool = dmem_pool;
	ret = refaccel_thp_adopt(rdev, &shmem->base);
	if (ret) {
		drm_gem_object_put(&shmem->base);
		return ERR_PTR(ret);
	}
	bo->flags = flags;
	shmem->map_wc = !!(flags & REFACCEL_BO_WC);
	return bo;
}
EXPORT_SYMBOL_IF_KUNIT(refaccel_bo_create);

int refaccel_bo_create_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct refaccel_device *rdev = to_refaccel_device(dev);
	struct drm_refaccel_bo_create *args = data;
	struct refaccel_bo *bo;
	u32 handle;
	u64 size;
	int ret;

	if (args->pad || (args->flags & ~REFACCEL_BO_FLAGS_VALID)) {
		drm_dbg(dev, "bo_create: pad %u not zero or unknown flags %#llx\n",
			args->pad, args->flags);
		return -EINVAL;
	}
	/* max_bo_size is page aligned, so rounding up below cannot overflow. */
	if (!args->size || args->size > rdev->max_bo_size) {
		drm_dbg(dev, "bo_create: size %llu is zero or above %llu\n",
			args->size, rdev->max_bo_size);
		return -EINVAL;
	}
	size = PAGE_ALIGN(args->size);

	bo = refaccel_bo_create(rdev, size, args->flags);
	if (IS_ERR(bo)) {
		drm_dbg(dev, "bo_create: %llu bytes: %s\n", size,
			PTR_ERR(bo) == -ENOSPC ? "the device memory budget is full" :
						 "out of memory");
		return PTR_ERR(bo);
	}

	ret = drm_gem_handle_create(file, &bo->base.base, &handle);
	/* The handle holds its own reference; drop the creation one. */
	drm_gem_object_put(&bo->base.base);
	if (ret)
		return ret;

	args->handle = handle;
	args->size = size;
	return 0;
}

int refaccel_bo_info_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_refaccel_bo_info *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad) {
		drm_dbg(dev, "bo_info: pad %u not zero\n", args->pad);
		return -EINVAL;
	}

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg(dev, "bo_info: no BO %u\n", args->handle);
		return -ENOENT;
	}

	/* A userptr BO is mapped by the user memory it is made of. */
	ret = to_refaccel_bo(obj)->user_pages ? 0 : drm_gem_create_mmap_offset(obj);
	if (ret == 0) {
		args->size = obj->size;
		args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
		args->flags = to_refaccel_bo(obj)->flags;
	}

	drm_gem_object_put(obj);
	return ret;
}

/*
 * The first error among the BO's fences, all signalled: the locked iterator
 * sees one consistent set, where the unlocked one may restart.
 */
static int refaccel_bo_fences_status(struct drm_gem_object *obj)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	int status = 0;

	dma_resv_lock(obj->resv, NULL);
	dma_resv_for_each_fence(&cursor, obj->resv, DMA_RESV_USAGE_READ, fence) {
		status = dma_fence_get_status(fence);
		if (status < 0)
			break;
		status = 0;
	}
	dma_resv_unlock(obj->resv);
	return status;
}

int refaccel_bo_wait_ioctl(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_refaccel_bo_wait *args = data;
	struct drm_gem_object *obj;
	long ret;

	/* Copied back to userspace whatever the outcome. */
	args->status = 0;
	if (args->flags || args->pad) {
		drm_dbg(dev, "bo_wait: unknown flags %#x or pad %u not zero\n", args->flags,
			args->pad);
		return -EINVAL;
	}

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg(dev, "bo_wait: no BO %u\n", args->handle);
		return -ENOENT;
	}

	/*
	 * Jiffies are coarse: a wait can end up to a tick before the deadline,
	 * so wait again for what is left rather than report ETIME early.
	 */
	do {
		ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true,
					    drm_timeout_abs_to_jiffies(args->timeout_ns));
	} while (!ret && ktime_before(ktime_get(), ns_to_ktime(args->timeout_ns)));
	/* Fences added since the wait may still be pending: they count as 0. */
	if (ret > 0)
		args->status = refaccel_bo_fences_status(obj);
	drm_gem_object_put(obj);

	if (ret < 0)
		return ret;
	return ret ? 0 : -ETIME;
}
