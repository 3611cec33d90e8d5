// SPDX-License-Identifier: MIT
/*
 * splitmix64: small, fast, and every seed gives a good sequence.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "acts_rand.h"
#include "acts_test.h"

uint64_t acts_seed(void)
{
	const char *env = getenv("ACCEL_CTS_SEED");
	struct timespec ts;
	unsigned long long v;
	char *end;

	if (env && *env) {
		errno = 0;
		v = strtoull(env, &end, 0);
		if (errno || *end)
			acts_fail("ACCEL_CTS_SEED='%s' is not a number", env);
		return v;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^
	       (uint64_t)getpid() << 32;
}

struct acts_rand acts_rand_init(uint64_t seed)
{
	return (struct acts_rand){ .state = seed };
}

uint64_t acts_rand_u64(struct acts_rand *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t acts_rand_u32(struct acts_rand *r)
{
	return (uint32_t)(acts_rand_u64(r) >> 32);
}

uint64_t acts_rand_below(struct acts_rand *r, uint64_t bound)
{
	/* Rejection keeps it uniform; the loop almost never repeats. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;

	do
		x = acts_rand_u64(r);
	while (x >= limit);
	return x % bound;
}
