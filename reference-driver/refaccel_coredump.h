/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The accel-cts authors
 */

#ifndef __REFACCEL_COREDUMP_H__
#define __REFACCEL_COREDUMP_H__

struct refaccel_engine;
struct refaccel_job;

void refaccel_coredump_capture(struct refaccel_engine *engine, struct refaccel_job *job,
			       const char *reason);

#endif /* __REFACCEL_COREDUMP_H__ */
