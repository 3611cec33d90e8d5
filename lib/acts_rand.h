/* SPDX-License-Identifier: MIT */
/*
 * Seeded pseudo-random numbers for tests whose inputs are random: the seed
 * is printed, and ACCEL_CTS_SEED=<seed> replays the same inputs.
 */
#ifndef ACTS_RAND_H
#define ACTS_RAND_H

#include <stdint.h>

struct acts_rand {
	uint64_t state;
};

/* ACCEL_CTS_SEED if set (a subtest fails on junk), else a fresh seed. */
uint64_t acts_seed(void);
struct acts_rand acts_rand_init(uint64_t seed);
uint64_t acts_rand_u64(struct acts_rand *r);
uint32_t acts_rand_u32(struct acts_rand *r);
/* Uniform in [0, bound); bound > 0. */
uint64_t acts_rand_below(struct acts_rand *r, uint64_t bound);

#endif
