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

#include "refaccel_engine.h"
#include "refaccel_fault.h"

#define REFACCEL_DRIVER_NAME	"refaccel"
#define REFACCEL_DRIVER_DESC	"accel-cts reference accelerator"
#define REFACCEL_DRIVER_DATE	"20261121"

/**
 * struct refaccel_device - one refaccel accelerator
 * @drm: the DRM device; its parent is a device the module creates (a faux
 *	device, or a platform device before Linux 6.14)
 * @mem_budget: device memory in bytes; the live BOs' sizes never exceed it
 * @mem_used: bytes of @mem_budget charged by live BOs
 * @max_bo_size: largest BO size accepted, page aligned, <= @mem_budget
 * @engines: the compute and copy engines
 * @reset_wq: ordered workqueue running job timeouts and requested resets,
 *	so that no two recoveries of the device overlap
 * @faults: injected faults and recovery counters
 * @jobs_alive: jobs submitted and not yet freed
 * @jobs_idle: woken when @jobs_alive drops to zero
 */
struct refaccel_device {
	struct drm_device drm;
	u64 mem_budget;
	atomic64_t mem_used;
	u64 max_bo_size;
	struct refaccel_engine engines[REFACCEL_ENGINE_COUNT];
	struct workqueue_struct *reset_wq;
	struct refaccel_faults faults;
	atomic_t jobs_alive;
	wait_queue_head_t jobs_idle;
};

static inline struct refaccel_device *to_refaccel_device(struct drm_device *drm)
{
	return container_of(drm, struct refaccel_device, drm);
}

#if IS_ENABLED(CONFIG_KUNIT)
/* For the KUnit suites, which make their own devices. */
extern const struct drm_driver refaccel_drm_driver;
int refaccel_device_init(struct refaccel_device *rdev, u64 mem_budget, unsigned int timeout_ms);
void refaccel_device_fini(struct refaccel_device *rdev);
#endif

#endif /* __REFACCEL_DRV_H__ */
