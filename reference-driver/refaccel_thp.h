/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_THP_H__
#define __REFACCEL_THP_H__

#include <linux/mm_types.h>

struct drm_gem_object;
struct file;
struct refaccel_device;

void refaccel_thp_init(struct refaccel_device *rdev);
int refaccel_thp_adopt(struct refaccel_device *rdev, struct drm_gem_object *obj);

#if IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE)
unsigned long refaccel_get_unmapped_area(struct file *filp, unsigned long uaddr,
					 unsigned long len, unsigned long pgoff,
					 unsigned long flags);
#endif

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
vm_fault_t refaccel_bo_huge_fault(struct vm_fault *vmf, unsigned int order);
#endif

#endif /* __REFACCEL_THP_H__ */
