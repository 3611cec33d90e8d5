// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * BOs in huge pages. A device's BOs live on a tmpfs mount of its own with
 * huge=within_size, so every whole 2 MiB extent of a BO is one huge folio,
 * and a CPU fault maps such a folio with one PMD. A first touch of a large
 * BO then costs one allocation and one fault per 2 MiB, as anonymous memory
 * under transparent huge pages does, instead of one per 4 KiB page.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/shmem_fs.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "refaccel_compat.h"
#include "refaccel_drv.h"
#include "refaccel_gem.h"
#include "refaccel_thp.h"

#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && !REFACCEL_HAVE_DRM_HUGE_MNT
static void refaccel_thp_unmount(struct drm_device *drm, void *mnt)
{
	kern_unmount(mnt);
}

/* Before the DRM core had drm_gem_huge_mnt_create(), the driver mounts it. */
static int refaccel_thp_mount(struct refaccel_device *rdev)
{
	char opts[] = "huge=within_size";	/* parsed in place */
	struct file_system_type *tmpfs = get_fs_type("tmpfs");
	struct vfsmount *mnt;

	if (!tmpfs)
		return -ENODEV;
	mnt = vfs_kern_mount(tmpfs, SB_KERNMOUNT, tmpfs->name, opts);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	rdev->huge_mnt = mnt;
	return drmm_add_action_or_reset(&rdev->drm, refaccel_thp_unmount, mnt);
}
#endif

/**
 * refaccel_thp_init() - give a device's BOs huge pages where the kernel has them
 * @rdev: the device, before its first BO
 *
 * Without transparent huge pages in the kernel, or when the mount fails,
 * BOs keep the default shmem mount and 4 KiB pages; the device works the
 * same, only slower to map.
 */
void refaccel_thp_init(struct refaccel_device *rdev)
{
	int ret = 0;

	/* Without CONFIG_TRANSPARENT_HUGEPAGE, drm_gem_huge_mnt_create() does nothing. */
#if REFACCEL_HAVE_DRM_HUGE_MNT
	ret = drm_gem_huge_mnt_create(&rdev->drm, "within_size");
#elif IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
	ret = refaccel_thp_mount(rdev);
#endif
	if (ret)
		drm_info(&rdev->drm, "BOs in 4 KiB pages: no huge tmpfs mount (%d)\n", ret);
}

/**
 * refaccel_thp_adopt() - move a new shmem BO onto the device's huge mount
 * @rdev: the device
 * @obj: a BO just made by drm_gem_shmem_create(), with no page yet
 *
 * Where the DRM core creates objects on the device's mount itself, there
 * is nothing to do. Before, drm_gem_shmem_create() always used the default
 * mount: its file is swapped for one on the device's mount, with the same
 * allocation flags, before anything allocated a page or mapped it.
 *
 * Return: 0, or -ENOMEM (the BO is unchanged then).
 */
int refaccel_thp_adopt(struct refaccel_device *rdev, struct drm_gem_object *obj)
{
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && !REFACCEL_HAVE_DRM_HUGE_MNT
	struct file *filp;

	if (!rdev->huge_mnt)
		return 0;
	filp = shmem_file_setup_with_mnt(rdev->huge_mnt, "drm mm object", obj->size,
					 VM_NORESERVE);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	mapping_set_gfp_mask(filp->f_mapping, mapping_gfp_mask(obj->filp->f_mapping));
	fput(obj->filp);
	obj->filp = filp;
#endif
	return 0;
}

#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
/**
 * refaccel_get_unmapped_area() - &file_operations.get_unmapped_area of the device
 * @filp: the device file
 * @uaddr: the caller's hint
 * @len: bytes to map
 * @pgoff: the BO's fake mmap offset, in pages
 * @flags: MAP_* flags
 *
 * A BO mapping of 2 MiB or more starts on a 2 MiB boundary, so that its
 * huge folios can each be mapped by a PMD. The fake offset says nothing
 * about where the BO's pages lie; a mapping always starts at the BO's
 * first byte, so the alignment is that of offset 0.
 *
 * Return: the address, or a negative errno.
 */
unsigned long refaccel_get_unmapped_area(struct file *filp, unsigned long uaddr,
					 unsigned long len, unsigned long pgoff,
					 unsigned long flags)
{
	return thp_get_unmapped_area(filp, uaddr, len, 0, flags);
}
#endif

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
/**
 * refaccel_bo_huge_fault() - &vm_operations_struct.huge_fault of BO mappings
 * @vmf: the fault
 * @order: the size the core asks for; only PMD_ORDER is served
 *
 * Maps the whole 2 MiB around the fault with one PMD when the BO's pages
 * there are one huge folio and the mapping's address lines up with it;
 * otherwise the core falls back to refaccel_bo_fault() and 4 KiB entries.
 *
 * Return: VM_FAULT_NOPAGE when mapped, VM_FAULT_FALLBACK or VM_FAULT_SIGBUS.
 */
vm_fault_t refaccel_bo_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct drm_gem_shmem_object *shmem = to_drm_gem_shmem_obj(obj);
	unsigned long start = ALIGN_DOWN(vmf->address, PMD_SIZE);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	vm_fault_t ret = VM_FAULT_FALLBACK;
	struct folio *folio;
	pgoff_t first;

	if (order != PMD_ORDER || start < vma->vm_start || start + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	/* The BO page at @start, which the mapping covers. */
	first = refaccel_bo_fault_index(vmf) - ((vmf->address - start) >> PAGE_SHIFT);

	dma_resv_lock(obj->resv, NULL);
	if (first + (PMD_SIZE >> PAGE_SHIFT) > obj->size >> PAGE_SHIFT ||
	    drm_WARN_ON_ONCE(obj->dev, !shmem->pages))
		goto out;
	if (shmem->madv < 0) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	folio = page_folio(shmem->pages[first]);
	/* The folio must start at @first: then it spans the whole PMD. */
	if (folio_test_pmd_mappable(folio) && folio_page(folio, 0) == shmem->pages[first]) {
		ret = refaccel_insert_pfn_pmd(vmf, folio_pfn(folio), write);
#if REFACCEL_HAVE_SHMEM_PFN_MKWRITE
		/* A PMD is made writable here, not through .pfn_mkwrite. */
		if (ret == VM_FAULT_NOPAGE && write)
			drm_gem_shmem_vm_ops.pfn_mkwrite(vmf);
#endif
	}
out:
	dma_resv_unlock(obj->resv);
	return ret;
}
#endif
