/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Differences between the kernels refaccel builds against: every Debian 6.12
 * point release. Each check names the release that changed the API, and
 * make check builds against releases on both sides of it.
 */

#ifndef __REFACCEL_COMPAT_H__
#define __REFACCEL_COMPAT_H__

#include <linux/version.h>

#include <drm/gpu_scheduler.h>

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
				      u32 credit_limit, long timeout,
				      struct workqueue_struct *timeout_wq,
				      const char *name, struct device *dev)
{
#if REFACCEL_HAVE_SCHED_INIT_ARGS
	const struct drm_sched_init_args args = {
		.ops = ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = credit_limit,
		.timeout = timeout,
		.timeout_wq = timeout_wq,
		.name = name,
		.dev = dev,
	};

	return drm_sched_init(sched, &args);
#else
	return drm_sched_init(sched, ops, NULL, DRM_SCHED_PRIORITY_COUNT,
			      credit_limit, 0, timeout, timeout_wq, NULL,
			      name, dev);
#endif
}

#endif /* __REFACCEL_COMPAT_H__ */
