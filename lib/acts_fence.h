/* SPDX-License-Identifier: MIT */
/*
 * A job's fence, whatever the driver's shape (struct acts_fence in
 * acts_backend.h): a syncobj point, a BO, or a sequence number. Submit,
 * recovery and compute subtests wait on it and read its status here, so
 * they run on every shape; only the fences level looks at syncobjs.
 */
#ifndef ACTS_FENCE_H
#define ACTS_FENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acts_backend.h"

/* 0 once the job completed (with or without error), -ETIME at the deadline, or -errno. */
int __acts_fence_wait(struct acts_dev *dev, const struct acts_fence *f, int64_t deadline_ns);
/* Wait for the job, failing after the default fence timeout. */
void acts_fence_wait(struct acts_dev *dev, const struct acts_fence *f);
/* 1 completed, 0 pending, or the job's error as -errno. */
int acts_fence_status(struct acts_dev *dev, const struct acts_fence *f);
/* Wait, then return the status as acts_fence_status() does. */
int acts_fence_wait_status(struct acts_dev *dev, const struct acts_fence *f);
/* Has the job completed, right now? */
bool acts_fence_signalled(struct acts_dev *dev, const struct acts_fence *f);
/* Free what the backend made for this fence (a syncobj, a BO); idempotent. */
void acts_fence_release(struct acts_dev *dev, struct acts_fence *f);
/* "syncobj 3 point 7", for messages. */
const char *acts_fence_describe(const struct acts_fence *f, char *buf, size_t len);

#endif
