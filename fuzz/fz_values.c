// SPDX-License-Identifier: MIT
/*
 * Value generators: boundary values of each kind of field, and handles
 * drawn from what lives in a file, what was closed, what another file owns.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fz.h"

uint64_t fz_below(struct fz_state *s, uint64_t bound)
{
	return bound ? acts_rand_below(&s->r, bound) : 0;
}

bool fz_chance(struct fz_state *s, unsigned int percent)
{
	return fz_below(s, 100) < percent;
}

static const uint64_t boundary64[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256,
	4095, 4096, 4097, 8191, 8192, 65535, 65536, 1ull << 20, (1ull << 21) + 8,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 1ull << 32, (1ull << 32) + 4096,
	1ull << 47, 1ull << 62, 0x7fffffffffffffffull, 1ull << 63,
	~0ull - 4095, ~0ull - 7, ~0ull - 1, ~0ull,
};

uint64_t fz_u64(struct fz_state *s)
{
	switch (fz_below(s, 8)) {
	case 0:
		return acts_rand_u64(&s->r);
	case 1:
		return fz_below(s, 1 << 16);
	case 2:
		/* Around the device's own limits. */
		switch (fz_below(s, 4)) {
		case 0:
			return s->lim->mem_size + fz_below(s, 3) * 4096 - 4096;
		case 1:
			return s->lim->max_bo_size + fz_below(s, 3) - 1;
		case 2:
			return s->lim->max_cmds_size + fz_below(s, 17) - 8;
		default:
			return 1ull << fz_below(s, 64);
		}
	default:
		return boundary64[fz_below(s, sizeof(boundary64) / sizeof(boundary64[0]))];
	}
}

uint32_t fz_u32(struct fz_state *s)
{
	uint64_t v = fz_u64(s);

	return v > UINT32_MAX && fz_chance(s, 50) ? (uint32_t)(v >> 32) : (uint32_t)v;
}

uint32_t fz_pad(struct fz_state *s)
{
	if (fz_chance(s, 90))
		return 0;
	return fz_chance(s, 50) ? 1u << fz_below(s, 32) : fz_u32(s) | 1;
}

uint64_t fz_bo_size(struct fz_state *s)
{
	static const uint64_t small[] = { 4096, 8192, 12288, 16384, 65536, 4000, 1 };

	if (fz_chance(s, 75))
		return small[fz_below(s, sizeof(small) / sizeof(small[0]))];
	return fz_u64(s);
}

/* An address that is never readable: the top of the user space, and kernel space. */
static const uint64_t unreadable[] = {
	0, 8, 4096, 0x00007ffffffff000ull, 0xffff800000000000ull, 0xffffffffff600000ull,
	~0ull - 7,
};

uint64_t fz_user(struct fz_state *s, const void *src, size_t bytes, bool *bad,
		 uint64_t *readable)
{
	size_t mis, at;
	uint8_t *p;

	*bad = false;
	*readable = 0;
	switch (fz_below(s, 20)) {
	case 0:
	case 1:
		*bad = true;
		return unreadable[fz_below(s, sizeof(unreadable) / sizeof(unreadable[0]))];
	case 2:
		/*
		 * Flush against the guard page: one element more is unreadable.
		 * Once an op: a second array there would overwrite the first.
		 */
		if (s->arena_tail || bytes > FZ_ARENA / 2)
			break;
		s->arena_tail = true;
		if (bytes > FZ_ARENA)
			bytes = FZ_ARENA;
		memcpy(s->arena + FZ_ARENA - bytes, src, bytes);
		*readable = bytes;
		return (uintptr_t)s->arena + FZ_ARENA - bytes;
	default:
		break;
	}
	mis = fz_chance(s, 25) ? 1 + fz_below(s, 7) : 0;
	at = (s->arena_used + 7) / 8 * 8 + mis;
	if (at + bytes > FZ_ARENA / 2) {
		/* No room (arrays stay below half the arena): cut it short. */
		at = 0;
		bytes = bytes < FZ_ARENA / 2 ? bytes : FZ_ARENA / 2;
	}
	p = s->arena + at;
	memcpy(p, src, bytes);
	s->arena_used = at + bytes;
	*readable = FZ_ARENA - at;
	return (uintptr_t)p;
}

uint32_t fz_count(struct fz_state *s, uint32_t typical)
{
	switch (fz_below(s, 10)) {
	case 0:
		return 0;
	case 1:
		return fz_u32(s);
	case 2:
		return typical + 1 + (uint32_t)fz_below(s, 4);
	default:
		return 1 + (uint32_t)fz_below(s, typical ? typical : 1);
	}
}

static uint32_t pick(struct fz_state *s, const uint32_t *live, unsigned int nlive,
		     const uint32_t *dead, unsigned int ndead, const uint32_t *foreign,
		     unsigned int nforeign)
{
	unsigned int c = (unsigned int)fz_below(s, 100);

	if (c < 65 && nlive)
		return live[fz_below(s, nlive)];
	if (c < 75 && ndead)
		return dead[fz_below(s, ndead < FZ_DEAD ? ndead : FZ_DEAD)];
	if (c < 85 && nforeign)
		return foreign[fz_below(s, nforeign)];
	switch (fz_below(s, 4)) {
	case 0:
		return 0;
	case 1:
		return ~0u - (uint32_t)fz_below(s, 2);
	case 2:
		return 1 + (uint32_t)fz_below(s, 64);
	default:
		return fz_u32(s);
	}
}

uint32_t fz_pick_bo(struct fz_state *s, unsigned int k)
{
	const struct fz_file *f = &s->f[k], *o = &s->f[!k];

	return pick(s, f->bo, f->nbo, f->dead_bo, f->dead_bo_n, o->bo, o->nbo);
}

uint32_t fz_pick_sync(struct fz_state *s, unsigned int k)
{
	const struct fz_file *f = &s->f[k], *o = &s->f[!k];

	return pick(s, f->sync, f->nsync, f->dead_sync, f->dead_sync_n, o->sync, o->nsync);
}

uint32_t fz_pick_ctx(struct fz_state *s, unsigned int k)
{
	const struct fz_file *f = &s->f[k], *o = &s->f[!k];

	return pick(s, f->ctx, f->nctx, f->dead_ctx, f->dead_ctx_n, o->ctx, o->nctx);
}

int64_t fz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t fz_deadline(struct fz_state *s)
{
	switch (fz_below(s, 10)) {
	case 0:
		return 0;
	case 1:
		return -1 - (int64_t)fz_below(s, 1000);
	case 2:
		return INT64_MIN;
	case 3:
		return fz_now_ns() - 1000000;
	default:
		/* Up to 1 ms ahead: a wait never holds a stream for long. */
		return fz_now_ns() + (int64_t)fz_below(s, 1000000);
	}
}
