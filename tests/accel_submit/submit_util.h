/* SPDX-License-Identifier: MIT */
/*
 * What the accel_submit sources share: sizes, the background byte, and the
 * checks several of them make.
 */
#ifndef SUBMIT_UTIL_H
#define SUBMIT_UTIL_H

#include <stdint.h>

#include "acts_buf.h"

struct acts_dev;

#define SZ_4K	4096u
#define SZ_64K	(64u << 10)
#define SZ_1M	(1u << 20)
#define BG	0xa5	/* background byte: a job never wrote here */

/* The 64-bit value at off of a mapped BO. */
uint64_t read_u64(const struct acts_buf *b, uint64_t off);
/* Memory in use, when the driver reports it: 0 or -errno. */
int mem_used(struct acts_dev *dev, uint64_t *v);
/* Wait until memory in use is back to base (it is freed as jobs end). */
void expect_mem_back(struct acts_dev *dev, uint64_t base);
/* A NOP on a new context completes without error: the device still works. */
void expect_nop_runs(struct acts_dev *dev);

#endif
