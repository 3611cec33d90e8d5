/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_COREDUMP_H__
#define __REFACCEL_COREDUMP_H__

#include <linux/types.h>
#include <linux/workqueue.h>

struct device;
struct refaccel_engine;
struct refaccel_job;

/**
 * struct refaccel_coredump - devcoredumps of one engine's hangs
 *
 * A hang is recorded on the path to the hung job's fence, where nothing may
 * allocate: it is written into a buffer allocated beforehand, and handed to
 * the devcoredump core by @work, which then allocates the next buffer.
 *
 * @dev: the device the dumps are of
 * @spare: the buffer the next hang is written into; NULL while @work has
 *	not replaced the last one (a hang then goes unrecorded)
 * @ready: a written dump waiting for @work
 * @ready_len: bytes of @ready
 * @work: hands @ready to dev_coredumpv() and allocates a new @spare
 */
struct refaccel_coredump {
	struct device *dev;
	void *spare;
	void *ready;
	size_t ready_len;
	struct work_struct work;
};

int refaccel_coredump_init(struct refaccel_coredump *cd, struct device *dev);
void refaccel_coredump_fini(struct refaccel_coredump *cd);
void refaccel_coredump_capture(struct refaccel_coredump *cd, struct refaccel_engine *engine,
			       struct refaccel_job *job, const char *reason);

#endif /* __REFACCEL_COREDUMP_H__ */
