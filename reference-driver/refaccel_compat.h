/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Differences between the kernels refaccel builds against: Debian's 6.12 point
 * releases, 7.2 and 7.3. Each check names the release that changed the API;
 * make check builds against 6.12.113, 6.12.117, 7.2 and 7.3, on both sides of
 * every check. The code outside this header is written for the newest kernel.
 */

#ifndef __REFACCEL_COMPAT_H__
#define __REFACCEL_COMPAT_H__

#include <linux/spinlock_types.h>
#include <linux/version.h>

#include <drm/gpu_scheduler.h>

/* struct drm_driver lost its .date in Linux 6.14. */
#define REFACCEL_HAVE_DRIVER_DATE (LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0))

/*
 * Linux 6.14 added the faux bus for devices with no resources; before it,
 * such a driver registered a platform driver and device of its own.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#define REFACCEL_HAVE_FAUX_DEVICE 1
#include <linux/device/faux.h>
#else
#define REFACCEL_HAVE_FAUX_DEVICE 0
#include <linux/platform_device.h>
#endif

/*
 * Symbol namespaces are string literals from Linux 6.13 on; before, a bare
 * token that MODULE_IMPORT_NS() turned into a string.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define REFACCEL_NS_DMA_BUF "DMA_BUF"
#define REFACCEL_NS_KUNIT "EXPORTED_FOR_KUNIT_TESTING"
#else
#define REFACCEL_NS_DMA_BUF DMA_BUF
#define REFACCEL_NS_KUNIT EXPORTED_FOR_KUNIT_TESTING
#endif

/*
 * The shmem helper's mappings record writes with .pfn_mkwrite, so that pages
 * written through them are dirty, in Linux 7.2 (the oldest release with
 * headers in Debian to check it on); 6.12's marks them dirty when it puts them.
 */
#define REFACCEL_HAVE_SHMEM_PFN_MKWRITE (LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

/*
 * The DRM core mounts a device's huge-page tmpfs and makes its GEM objects
 * there (drm_gem_huge_mnt_create()) in Linux 7.2 (the oldest release with
 * headers in Debian to check it on); before, refaccel mounts its own and
 * moves each new BO's file onto it (refaccel_thp.c).
 */
#define REFACCEL_HAVE_DRM_HUGE_MNT (LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0))

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
#define refaccel_insert_pfn_pmd(vmf, pfn, write) vmf_insert_pfn_pmd(vmf, pfn, write)
#else
#include <linux/pfn_t.h>
/* vmf_insert_pfn_pmd() took a pfn_t before Linux 7.2; PFN_DEV alone maps it special. */
#define refaccel_insert_pfn_pmd(vmf, pfn, write) \
	vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write)
#endif
#endif

/*
 * A dma-fence carries its own spinlock in Linux 7.2 (the oldest release with
 * headers in Debian to check it on), and an external lock is for legacy code
 * only: pass none where the kernel has the inline one.
 */
static inline spinlock_t *refaccel_fence_lock(spinlock_t *external)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 2, 0)
	return NULL;
#else
	return external;
#endif
}

/*
 * drm_sched_start() sets an error on the fences of the jobs it restarts from
 * Linux 6.13 on; refaccel restarts only innocent jobs, which keep none.
 */
static inline void refaccel_sched_start(struct drm_gpu_scheduler *sched)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	drm_sched_start(sched, 0);
#else
	drm_sched_start(sched);
#endif
}

/*
 * Linux 6.17 renamed the timeout handler's "reset done" status from NOMINAL
 * to RESET and added NO_HANG for a job that turns out not to be stuck.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define REFACCEL_SCHED_STAT_RESET DRM_GPU_SCHED_STAT_RESET
#else
#define REFACCEL_SCHED_STAT_RESET DRM_GPU_SCHED_STAT_NOMINAL
#endif

/*
 * 6.18 names per-CPU workqueues (WQ_PERCPU) on the way to making unbound the
 * default; 7.x warns about an alloc_workqueue() that says neither.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 18, 0)
#define REFACCEL_WQ_PERCPU	WQ_PERCPU
#else
#define REFACCEL_WQ_PERCPU	0
#endif

/*
 * drm_sched_init() takes a struct drm_sched_init_args from Debian's 6.12.115
 * on (a back-port of the Linux 6.15 interface); 6.12.107 to 6.12.113 take
 * the arguments one by one.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 115)
#define REFACCEL_HAVE_SCHED_INIT_ARGS 1
#else
#define REFACCEL_HAVE_SCHED_INIT_ARGS 0
#endif

static inline int refaccel_sched_init(struct drm_gpu_scheduler *sched,
				      const struct drm_sched_backend_ops *ops,
				      struct workqueue_struct *submit_wq,
				      u32 credit_limit, long timeout,
				      struct workqueue_struct *timeout_wq,
				      const char *name, struct device *dev)
{
#if REFACCEL_HAVE_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = ops,
		.submit_wq = submit_wq,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = credit_limit,
		.timeout = timeout,
		.timeout_wq = timeout_wq,
		.name = name,
		.dev = dev,
	};

	return drm_sched_init(sched, &args);
#else
	return drm_sched_init(sched, ops, submit_wq, DRM_SCHED_PRIORITY_COUNT,
			      credit_limit, 0, timeout, timeout_wq, NULL,
			      name, dev);
#endif
}

/*
 * Linux 6.14 added the dmem cgroup controller (CONFIG_CGROUP_DMEM) and
 * drmm_cgroup_register_region(). Where the kernel predates it, the device
 * registers no region and BOs are charged to no cgroup; a 6.14+ kernel
 * built without the controller has no-op stubs of its own.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
#include <linux/cgroup_dmem.h>
#include <drm/drm_drv.h>

static inline struct dmem_cgroup_region *refaccel_dmem_register(struct drm_device *drm, u64 size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
	/* Linux 7.3: the size comes in struct dmem_cgroup_init (with optional reclaim ops). */
	const struct dmem_cgroup_init init = { .size = size };

	return drmm_cgroup_register_region(drm, "mem", &init);
#else
	return drmm_cgroup_register_region(drm, "mem", size);
#endif
}

static inline int refaccel_dmem_try_charge(struct dmem_cgroup_region *region, u64 size,
					   struct dmem_cgroup_pool_state **pool)
{
	return dmem_cgroup_try_charge(region, size, pool, NULL);
}

static inline void refaccel_dmem_uncharge(struct dmem_cgroup_pool_state *pool, u64 size)
{
	dmem_cgroup_uncharge(pool, size);
}
#else
struct drm_device;
struct dmem_cgroup_region;
struct dmem_cgroup_pool_state;

static inline struct dmem_cgroup_region *refaccel_dmem_register(struct drm_device *drm, u64 size)
{
	return NULL;
}

static inline int refaccel_dmem_try_charge(struct dmem_cgroup_region *region, u64 size,
					   struct dmem_cgroup_pool_state **pool)
{
	*pool = NULL;
	return 0;
}

static inline void refaccel_dmem_uncharge(struct dmem_cgroup_pool_state *pool, u64 size)
{
}
#endif

#endif /* __REFACCEL_COMPAT_H__ */
