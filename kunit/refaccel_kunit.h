/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * Helpers shared by refaccel's KUnit suites.
 */

#ifndef __REFACCEL_KUNIT_H__
#define __REFACCEL_KUNIT_H__

#include <linux/types.h>

struct kunit;
struct refaccel_device;
struct refaccel_span;

/* A registered-less refaccel device with running engines, torn down with the test. */
struct refaccel_device *refaccel_kunit_device(struct kunit *test, u64 mem_budget,
					      unsigned int timeout_ms);
/* The same, of a class named as in the classes module parameter. */
struct refaccel_device *refaccel_kunit_class_device(struct kunit *test, const char *class_name,
						    u64 mem_budget, unsigned int timeout_ms);
/* A span of npages freshly allocated, zeroed pages, freed with the test. */
void refaccel_kunit_span(struct kunit *test, struct refaccel_span *span, unsigned int npages);
/* Byte offset of a span, through its pages. */
u8 *refaccel_kunit_byte(const struct refaccel_span *span, u64 offset);

#endif /* __REFACCEL_KUNIT_H__ */
