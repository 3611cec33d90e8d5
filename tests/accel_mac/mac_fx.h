/* SPDX-License-Identifier: MIT */
/*
 * accel_mac's shared part: a MAC command placed in BOs filled with noise,
 * run, and judged against the host golden model byte for byte, for the
 * golden-model subtests (compute.c) and the malformed ones (malformed.c).
 */
#ifndef ACCEL_MAC_FX_H
#define ACCEL_MAC_FX_H

#include <stdint.h>

#include "acts_buf.h"
#include "acts_mac.h"
#include "acts_rand.h"
#include "acts_submit.h"
#include "acts_test.h"

#define SZ_4K	4096u
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* How the elements of A and B are drawn. */
enum gen {
	GEN_NORMAL,	/* full-precision values in a range where sums stay finite */
	GEN_SPECIAL,	/* half of them special values of the type */
};

/* A MAC command, its BOs, and their bytes before it ran. */
struct mac_fx {
	struct acts_dev *dev;
	uint64_t seed;
	struct acts_rand rng;
	struct acts_mac d;
	struct acts_buf bo[3];
	uint32_t handles[3];
	uint8_t *before[3];
	unsigned int nbo;
	uint32_t ctx;
};

/* Skip unless the device runs MAC commands of type t / of this shape. */
void require_mac(struct acts_dev *dev, enum acts_mac_dtype t);
void require_shape(struct acts_dev *dev, uint32_t m, uint32_t n, uint32_t k);
/* The type's special (or, for integers, extreme) values, and storing an element. */
unsigned int special_count(enum acts_mac_dtype t);
uint32_t special_of(enum acts_mac_dtype t, uint64_t i);
void put(uint8_t *p, uint32_t v, unsigned int size);
/* One command end to end: init, place (fill), snapshot, run and check, fini. */
void fx_init(struct mac_fx *fx, struct acts_dev *dev, enum acts_mac_dtype t);
void fx_snapshot(struct mac_fx *fx);
void __fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g);
void fx_place(struct mac_fx *fx, unsigned int nbo, enum gen g);
void fx_fini(struct mac_fx *fx);
/* Submit fx->d; *fence gets the job's fence (ACTS_FENCE_NONE when refused). */
int fx_submit(struct mac_fx *fx, enum acts_engine engine, struct acts_fence *fence);
void fx_run_and_check(struct mac_fx *fx);
void fx_packed(struct mac_fx *fx, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
	       uint32_t n, uint32_t k);
void run_packed(struct acts_dev *dev, enum acts_mac_dtype t, uint32_t flags, uint32_t m,
		uint32_t n, uint32_t k, enum gen g);

#endif
