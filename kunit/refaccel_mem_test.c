// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_mem: the device-memory budget, charged for a BO's
 * whole life, on a device made by the test.
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include <drm/drm_gem.h>

#include "refaccel_drv.h"
#include "refaccel_gem.h"
#include "refaccel_kunit.h"

static struct refaccel_bo *create(struct kunit *test, struct refaccel_device *rdev, u64 size)
{
	return refaccel_bo_create(rdev, size, 0);
}

static void put(struct refaccel_bo *bo)
{
	drm_gem_object_put(&bo->base.base);
}

/*
 * Passes when BOs fill the budget exactly, the next fails with ENOSPC, and
 * freeing one makes room.
 */
static void refaccel_mem_budget(struct kunit *test)
{
	struct refaccel_device *rdev = refaccel_kunit_device(test, SZ_1M, 1000);
	struct refaccel_bo *bo[4], *extra;
	int i;

	for (i = 0; i < 4; i++) {
		bo[i] = create(test, rdev, SZ_256K);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bo[i]);
		KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), (i + 1) * SZ_256K);
	}
	extra = create(test, rdev, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, PTR_ERR(extra), -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), SZ_1M);

	put(bo[1]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), 3 * SZ_256K);
	extra = create(test, rdev, SZ_256K);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, extra);
	put(extra);
	put(bo[0]);
	put(bo[2]);
	put(bo[3]);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), 0);
}

/* Passes when a size that would wrap the budget arithmetic is refused without a charge. */
static void refaccel_mem_charge_overflow(struct kunit *test)
{
	struct refaccel_device *rdev = refaccel_kunit_device(test, SZ_1M, 1000);

	KUNIT_EXPECT_EQ(test, refaccel_mem_charge(rdev, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, refaccel_mem_charge(rdev, U64_MAX - PAGE_SIZE + 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, refaccel_mem_charge(rdev, SZ_1M), -ENOSPC);
	KUNIT_EXPECT_EQ(test, refaccel_mem_charge(rdev, SZ_1M - PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), SZ_1M);
	refaccel_mem_uncharge(rdev, SZ_1M);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), 0);
}

/*
 * Passes when the fail_alloc fault fails exactly the armed number of
 * creations with ENOMEM, charges nothing for them and counts them.
 */
static void refaccel_mem_fail_alloc(struct kunit *test)
{
	struct refaccel_device *rdev = refaccel_kunit_device(test, SZ_1M, 1000);
	struct refaccel_bo *bo;

	atomic_set(&rdev->faults.fail_alloc, 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR(create(test, rdev, PAGE_SIZE)), -ENOMEM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(create(test, rdev, PAGE_SIZE)), -ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->mem_used), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&rdev->faults.alloc_failures), 2);
	bo = create(test, rdev, PAGE_SIZE);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bo);
	KUNIT_EXPECT_EQ(test, atomic_read(&rdev->faults.fail_alloc), 0);
	put(bo);
}

static struct kunit_case refaccel_mem_cases[] = {
	KUNIT_CASE(refaccel_mem_budget),
	KUNIT_CASE(refaccel_mem_charge_overflow),
	KUNIT_CASE(refaccel_mem_fail_alloc),
	{}
};

static struct kunit_suite refaccel_mem_suite = {
	.name = "refaccel_mem",
	.test_cases = refaccel_mem_cases,
};

kunit_test_suite(refaccel_mem_suite);
