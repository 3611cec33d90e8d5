/* SPDX-License-Identifier: MIT */
/*
 * A job that keeps an engine busy far longer than any job timeout, built
 * from the profile's commands within the driver's limits: the largest MAC
 * the device allows when it has the compute level, else as many FILLs of a
 * large BO as one command buffer holds. For the rules about jobs that run
 * too long or whose owner goes away.
 */
#ifndef ACTS_LONGJOB_H
#define ACTS_LONGJOB_H

#include <stdint.h>

#include "acts_backend.h"

struct acts_dev;

struct acts_longjob {
	struct acts_dev *dev;
	enum acts_engine engine;
	struct acts_cmd *cmds;
	unsigned int ncmds;
	uint32_t bos[3];
	unsigned int nbos;
	char what[96];		/* for messages: "a 1024x1024x32768 int8 MAC" */
};

/* Build one on dev's compute engine (skips when the device cannot submit). */
void acts_longjob_init(struct acts_dev *dev, struct acts_longjob *lj);
/* Submit it on ctx; returns its fence. */
struct acts_fence acts_longjob_submit(struct acts_longjob *lj, uint32_t ctx);
void acts_longjob_fini(struct acts_longjob *lj);

/*
 * How long a driver may take to stop a running job once asked (its
 * context destroyed, its file closed, its timeout expired):
 * ACCEL_CTS_STOP_BOUND_MS, default 3000 ms (a TCG guest is slow).
 */
unsigned int acts_stop_bound_ms(void);

#endif
