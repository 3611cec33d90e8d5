// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Devices and memory for refaccel's KUnit suites: a DRM device made with
 * the DRM KUnit helpers and set up by the driver's own device init, and
 * page-backed spans like those of real BOs.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include <drm/drm_kunit_helpers.h>

#include "refaccel_cmd.h"
#include "refaccel_compat.h"
#include "refaccel_drv.h"
#include "refaccel_kunit.h"

static void refaccel_kunit_device_fini(void *rdev)
{
	refaccel_device_fini(rdev);
}

struct refaccel_device *refaccel_kunit_device(struct kunit *test, u64 mem_budget,
					      unsigned int timeout_ms)
{
	return refaccel_kunit_class_device(test, "full", mem_budget, timeout_ms);
}

struct refaccel_device *refaccel_kunit_class_device(struct kunit *test, const char *class_name,
						    u64 mem_budget, unsigned int timeout_ms)
{
	const struct refaccel_class *class = refaccel_class_lookup(class_name, strlen(class_name));
	struct refaccel_device *rdev;
	struct device *dev;

	KUNIT_ASSERT_NOT_NULL(test, class);

	dev = drm_kunit_helper_alloc_device(test);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	rdev = drm_kunit_helper_alloc_drm_device_with_driver(test, dev,
							     struct refaccel_device, drm,
							     &refaccel_drm_driver);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rdev);
	KUNIT_ASSERT_EQ(test, refaccel_device_init(rdev, class, mem_budget, timeout_ms), 0);
	/* Runs before the helpers free the device: actions unwind in reverse. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, refaccel_kunit_device_fini, rdev), 0);
	return rdev;
}

/* The page array is NULL-terminated and outlives this action (KUnit frees it later). */
static void refaccel_kunit_free_pages(void *pages_ptr)
{
	struct page **pages = pages_ptr;

	for (; *pages; pages++)
		__free_page(*pages);
}

static void refaccel_kunit_vunmap(void *vaddr)
{
	vunmap(vaddr);
}

void refaccel_kunit_span(struct kunit *test, struct refaccel_span *span, unsigned int npages)
{
	unsigned int i;

	span->pages = kunit_kcalloc(test, npages + 1, sizeof(*span->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, span->pages);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, refaccel_kunit_free_pages,
							span->pages), 0);
	for (i = 0; i < npages; i++) {
		span->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, span->pages[i]);
	}
	span->size = (u64)npages * PAGE_SIZE;
	span->owner = span;
	/* Mapped like a BO at submission; unmapped before the pages are freed. */
	span->vaddr = vmap(span->pages, npages, VM_MAP, PAGE_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, span->vaddr);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, refaccel_kunit_vunmap,
							span->vaddr), 0);
}

u8 *refaccel_kunit_byte(const struct refaccel_span *span, u64 offset)
{
	return (u8 *)page_address(span->pages[offset >> PAGE_SHIFT]) + offset_in_page(offset);
}

MODULE_DESCRIPTION("KUnit tests of refaccel's internals");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(REFACCEL_NS_KUNIT);
