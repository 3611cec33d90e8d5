/* SPDX-License-Identifier: MIT */
/*
 * The profile's tensor multiply-accumulate: its descriptor, the host golden
 * model that computes the contract of docs/PROFILE.md (MAC-*) bit for bit,
 * fp16/bf16 conversions, and how a device's result is judged against it.
 *
 * Built with -ffp-contract=off and without fast-math: every fp32 product
 * and sum is rounded on its own, in the order the contract gives.
 */
#ifndef ACTS_MAC_H
#define ACTS_MAC_H

#include <stdbool.h>
#include <stdint.h>

enum acts_mac_dtype {
	ACTS_MAC_INT8,		/* int8 · int8 → int32 */
	ACTS_MAC_UINT8,		/* uint8 · uint8 → uint32 */
	ACTS_MAC_FP16,		/* binary16 · binary16 → fp32 */
	ACTS_MAC_BF16,		/* bfloat16 · bfloat16 → fp32 */
	ACTS_MAC_FP32,		/* fp32 · fp32 → fp32 */
	ACTS_MAC_DTYPE_COUNT,
	ACTS_MAC_DTYPE_INVALID = ACTS_MAC_DTYPE_COUNT,	/* a type the driver must refuse */
};

#define ACTS_MAC_ACCUMULATE	(1u << 0)	/* C += A · B instead of C = A · B */
#define ACTS_MAC_TRANSPOSE_B	(1u << 1)	/* B stored as N rows of K elements */
#define ACTS_MAC_FLAG_UNKNOWN	(1u << 31)	/* a flag the driver must refuse */

/*
 * C[M×N] = A[M×K] · B[K×N] (+ C). Row r of a matrix starts at its offset +
 * r · stride inside its BO; elements of a row are contiguous. C's elements
 * are 4 bytes. BOs are indices into the job's BO list.
 */
struct acts_mac {
	enum acts_mac_dtype dtype;
	uint32_t flags;
	uint32_t m, n, k;
	uint32_t a_bo, b_bo, c_bo;
	uint64_t a_offset, b_offset, c_offset;
	uint64_t a_stride, b_stride, c_stride;
};

const char *acts_mac_dtype_name(enum acts_mac_dtype t);
unsigned int acts_mac_in_size(enum acts_mac_dtype t);
bool acts_mac_dtype_is_float(enum acts_mac_dtype t);
/* Bytes from a matrix's offset to the end of its last row. */
uint64_t acts_mac_a_extent(const struct acts_mac *d);
uint64_t acts_mac_b_extent(const struct acts_mac *d);
uint64_t acts_mac_c_extent(const struct acts_mac *d);

/* fp32 bits and values, and the canonical NaN every NaN result is stored as. */
#define ACTS_FP32_NAN 0x7fc00000u
uint32_t acts_f32_bits(float f);
float acts_f32(uint32_t bits);
/* Widening is exact. Narrowing rounds to nearest, ties to even. */
float acts_fp16_to_float(uint16_t h);
uint16_t acts_float_to_fp16(float f);
float acts_bf16_to_float(uint16_t b);
uint16_t acts_float_to_bf16(float f);
/* Distance in units in the last place between two fp32 values (same sign order). */
uint64_t acts_f32_ulp_diff(uint32_t a, uint32_t b);

/*
 * The golden model: compute C as the contract says, reading A and B and
 * writing C through the CPU addresses of their BOs (offsets applied here).
 */
void acts_mac_golden(const struct acts_mac *d, const void *a_bo, const void *b_bo, void *c_bo);

/* How a device's C is judged against the golden model. */
struct acts_mac_verdict {
	uint64_t bad;			/* elements outside the allowed error */
	uint32_t i, j;			/* the first of them */
	uint32_t want, got;		/* its golden and device bits */
	uint64_t max_ulp;		/* largest distance to the golden result (fp types) */
};

/*
 * Compare every C element. exact: bit for bit (for a driver that implements
 * the contract). Otherwise integers are exact and fp32 results must be
 * within (K + 1) · 2^-24 · (|C0| + Σ|a·b|) + (K + 1) · 2^-149 of the exact
 * value, with NaN and infinities matching the golden model's; c0_bo holds C
 * as it was before the command.
 */
void acts_mac_judge(const struct acts_mac *d, bool exact, const void *a_bo, const void *b_bo,
		    const void *c0_bo, const void *want_bo, const void *got_bo,
		    struct acts_mac_verdict *v);

#endif
