/* SPDX-License-Identifier: MIT */
/*
 * The runner's two clocks: the monotonic one for deadlines and timeouts,
 * the wall clock for results, since a resumed run spans several boots and
 * only the wall clock carries across them.
 */
#ifndef ACTS_RUNNER_CLOCK_H
#define ACTS_RUNNER_CLOCK_H

#include <time.h>

static inline double clock_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline double clock_wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
