/* SPDX-License-Identifier: MIT */
/*
 * What the guest's clocks measure, for environment.json and the benchmark
 * records: vm/run's ACCEL_CTS_VM_ICOUNT (exported into the guest) makes
 * them count instructions instead of following the host's time.
 */
#ifndef ACTS_ENV_H
#define ACTS_ENV_H

#include <stdio.h>
#include <stdlib.h>

/* "real", or "icount shift N" when time is virtual (2^N ns an instruction). */
static inline const char *acts_env_clock(char *buf, size_t len)
{
	const char *shift = getenv("ACCEL_CTS_VM_ICOUNT");

	if (!shift || !*shift)
		return "real";
	snprintf(buf, len, "icount shift %s", shift);
	return buf;
}

#endif
