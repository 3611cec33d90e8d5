/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_DRV_H__
#define __REFACCEL_DRV_H__

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_compat.h"
#include "refaccel_engine.h"
#include "refaccel_fault.h"

#define REFACCEL_DRIVER_NAME	"refaccel"
#define REFACCEL_DRIVER_DESC	"accel-cts reference accelerator"
#define REFACCEL_DRIVER_DATE	"20261121"

/* Most devices the module creates. */
#define REFACCEL_MAX_DEVICES	8

/* The REFACCEL_CAP_* bits that differ between classes. */
#define REFACCEL_CLASS_CAPS	(REFACCEL_CAP_CONTEXTS | REFACCEL_CAP_JOB_SYNCOBJS | \
				 REFACCEL_CAP_CTX_SYNCOBJ | REFACCEL_CAP_SINGLE_OPEN)

/**
 * struct refaccel_class - a uapi shape a device presents
 * @name: its name in the classes module parameter and the debugfs file class
 * @caps: the REFACCEL_CLASS_CAPS bits the shape has
 *
 * Each shape is one upstream accel driver's: explicit contexts or one
 * implicit context per file, completion through job syncobjs, BO waits or
 * a per-context syncobj, one open file at a time or many.
 */
struct refaccel_class {
	const char *name;
	u64 caps;
};

struct dmem_cgroup_region;

/**
 * struct refaccel_device - one refaccel accelerator
 * @drm: the DRM device; its parent is a device the module creates (a faux
 *	device, or a platform device before Linux 6.14)
 * @mem_budget: device memory in bytes; the live BOs' sizes never exceed it
 * @mem_used: bytes of @mem_budget charged by live BOs
 * @max_bo_size: largest BO size accepted, page aligned, <= @mem_budget
 * @dmem_region: @mem_budget as a region of the dmem cgroup controller
 *	("drm/<device>/mem"), charged to the cgroup of each BO's creator;
 *	NULL where the kernel has no such controller
 * @engines: the compute and copy engines
 * @reset_wq: ordered workqueue running job timeouts and requested resets,
 *	so that no two recoveries of the device overlap
 * @faults: injected faults and recovery counters
 * @jobs_alive: jobs submitted and not yet freed
 * @jobs_idle: woken when @jobs_alive drops to zero
 * @class_name: name of the device's class
 * @caps: the REFACCEL_CLASS_CAPS bits of the device's class; fixed before
 *	the device is registered
 * @open_files: 1 while a file is open, on a REFACCEL_CAP_SINGLE_OPEN device
 * @huge_mnt: the tmpfs mount with huge pages the BOs live on (refaccel_thp.c),
 *	NULL if it could not be made; where the DRM core keeps it, it is there
 */
struct refaccel_device {
	struct drm_device drm;
	u64 mem_budget;
	atomic64_t mem_used;
	u64 max_bo_size;
	struct dmem_cgroup_region *dmem_region;
	struct refaccel_engine engines[REFACCEL_ENGINE_COUNT];
	struct workqueue_struct *reset_wq;
	struct refaccel_faults faults;
	atomic_t jobs_alive;
	wait_queue_head_t jobs_idle;
	const char *class_name;
	u64 caps;
	atomic_t open_files;
#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) && !REFACCEL_HAVE_DRM_HUGE_MNT
	struct vfsmount *huge_mnt;
#endif
};

static inline struct refaccel_device *to_refaccel_device(struct drm_device *drm)
{
	return container_of(drm, struct refaccel_device, drm);
}

/**
 * refaccel_has_cap() - whether a device's class has a capability
 * @rdev: the device
 * @cap: one of the REFACCEL_CLASS_CAPS bits
 *
 * Return: true if it has.
 */
static inline bool refaccel_has_cap(const struct refaccel_device *rdev, u64 cap)
{
	return rdev->caps & cap;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* For the KUnit suites, which make their own devices. */
extern const struct drm_driver refaccel_drm_driver;
int refaccel_device_init(struct refaccel_device *rdev, const struct refaccel_class *class,
			 u64 mem_budget, unsigned int timeout_ms);
void refaccel_device_fini(struct refaccel_device *rdev);
const struct refaccel_class *refaccel_class_lookup(const char *name, size_t len);
int refaccel_classes_parse(const char *list, const struct refaccel_class **classes,
			   unsigned int max);
u64 refaccel_device_caps(const struct refaccel_device *rdev);
#endif

#endif /* __REFACCEL_DRV_H__ */
