// SPDX-License-Identifier: MIT
/*
 * Host golden model of the profile's MAC contract, fp16/bf16 conversions and
 * the comparison of a device's results with it. See acts_mac.h.
 */
#include <math.h>
#include <string.h>

#include "acts_mac.h"

const char *acts_mac_dtype_name(enum acts_mac_dtype t)
{
	static const char *const names[] = { "int8", "uint8", "fp16", "bf16", "fp32" };

	return (unsigned int)t < ACTS_MAC_DTYPE_COUNT ? names[t] : "invalid";
}

unsigned int acts_mac_in_size(enum acts_mac_dtype t)
{
	static const unsigned int sizes[] = { 1, 1, 2, 2, 4 };

	return (unsigned int)t < ACTS_MAC_DTYPE_COUNT ? sizes[t] : 0;
}

bool acts_mac_dtype_is_float(enum acts_mac_dtype t)
{
	return t == ACTS_MAC_FP16 || t == ACTS_MAC_BF16 || t == ACTS_MAC_FP32;
}

static uint64_t extent(uint32_t rows, uint64_t stride, uint32_t cols, unsigned int es)
{
	return (uint64_t)(rows - 1) * stride + (uint64_t)cols * es;
}

uint64_t acts_mac_a_extent(const struct acts_mac *d)
{
	return extent(d->m, d->a_stride, d->k, acts_mac_in_size(d->dtype));
}

uint64_t acts_mac_b_extent(const struct acts_mac *d)
{
	if (d->flags & ACTS_MAC_TRANSPOSE_B)
		return extent(d->n, d->b_stride, d->k, acts_mac_in_size(d->dtype));
	return extent(d->k, d->b_stride, d->n, acts_mac_in_size(d->dtype));
}

uint64_t acts_mac_c_extent(const struct acts_mac *d)
{
	return extent(d->m, d->c_stride, d->n, 4);
}

uint32_t acts_f32_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

float acts_f32(uint32_t bits)
{
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

float acts_fp16_to_float(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16, e = (h >> 10) & 0x1f, frac = h & 0x3ff;
	float mag;

	if (e == 0x1f)
		return acts_f32(sign | 0x7f800000u | frac << 13);	/* Inf, or a NaN */
	if (e)
		return acts_f32(sign | (e + 112) << 23 | frac << 13);
	mag = ldexpf((float)frac, -24);	/* subnormal (or zero): exact */
	return sign ? -mag : mag;
}

float acts_bf16_to_float(uint16_t b)
{
	return acts_f32((uint32_t)b << 16);
}

/* bf16 is the top half of an fp32: round the bottom half away, ties to even. */
uint16_t acts_float_to_bf16(float f)
{
	uint32_t x = acts_f32_bits(f), rem = x & 0xffff, half = 0x8000;

	if ((x & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t)((x >> 16) | 0x40);
	x >>= 16;
	if (rem > half || (rem == half && (x & 1)))
		x++;	/* a carry into the exponent is right, up to infinity */
	return (uint16_t)x;
}

uint16_t acts_float_to_fp16(float f)
{
	uint32_t x = acts_f32_bits(f), sign = (x >> 16) & 0x8000, e = (x >> 23) & 0xff;
	uint32_t mant = (x & 0x7fffff) | 0x800000, shift, rem, half, r;
	int exp = (int)e - 127;	/* value = mant · 2^(exp - 23) */

	if (e == 0xff)
		return (uint16_t)(sign | 0x7c00 | ((x & 0x7fffff) ? 0x200 : 0));
	if (exp > 15)
		return (uint16_t)(sign | 0x7c00);	/* beyond the largest binade */
	if (e == 0 || exp < -25)
		return (uint16_t)sign;	/* below half the smallest subnormal, 2^-25 */

	/* Normal results keep 11 bits; subnormals count units of 2^-24. */
	shift = exp >= -14 ? 13 : (uint32_t)(13 + (-14 - exp));
	r = mant >> shift;
	rem = mant & ((1u << shift) - 1);
	half = 1u << (shift - 1);
	if (rem > half || (rem == half && (r & 1)))
		r++;
	if (exp < -14)	/* subnormal; a carry to 0x400 is the smallest normal */
		return (uint16_t)(sign | r);
	/* r is in [0x400, 0x800]: 0x800 carries into the exponent. */
	return (uint16_t)(sign | (((uint32_t)(exp + 15) << 10) + (r - 0x400)));
}

uint64_t acts_f32_ulp_diff(uint32_t a, uint32_t b)
{
	/* Map the bit patterns onto a line where adjacent floats differ by 1. */
	int64_t oa = (a & 0x80000000u) ? -(int64_t)(a & 0x7fffffffu) : (int64_t)a;
	int64_t ob = (b & 0x80000000u) ? -(int64_t)(b & 0x7fffffffu) : (int64_t)b;

	return oa > ob ? (uint64_t)(oa - ob) : (uint64_t)(ob - oa);
}

/* Element (r, col) of A or of B as stored. */
static const uint8_t *elem(const void *bo, uint64_t offset, uint64_t stride, uint32_t r,
			   uint32_t col, unsigned int es)
{
	return (const uint8_t *)bo + offset + r * stride + (uint64_t)col * es;
}

static const uint8_t *b_elem(const struct acts_mac *d, const void *b_bo, uint32_t kk, uint32_t j)
{
	unsigned int es = acts_mac_in_size(d->dtype);

	if (d->flags & ACTS_MAC_TRANSPOSE_B)
		return elem(b_bo, d->b_offset, d->b_stride, j, kk, es);
	return elem(b_bo, d->b_offset, d->b_stride, kk, j, es);
}

static uint32_t load_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t load_u16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* An A or B element of a float type, widened to fp32 (exact). */
static float load_float(enum acts_mac_dtype t, const uint8_t *p)
{
	switch (t) {
	case ACTS_MAC_FP16:
		return acts_fp16_to_float(load_u16(p));
	case ACTS_MAC_BF16:
		return acts_bf16_to_float(load_u16(p));
	default:
		return acts_f32(load_u32(p));
	}
}

static int32_t load_int(enum acts_mac_dtype t, const uint8_t *p)
{
	return t == ACTS_MAC_INT8 ? (int32_t)(int8_t)*p : (int32_t)*p;
}

static uint8_t *c_elem(const struct acts_mac *d, const void *c_bo, uint32_t i, uint32_t j)
{
	return (uint8_t *)c_bo + d->c_offset + i * d->c_stride + (uint64_t)j * 4;
}

static uint32_t golden_elem(const struct acts_mac *d, const void *a_bo, const void *b_bo,
			    const void *c_bo, uint32_t i, uint32_t j)
{
	unsigned int es = acts_mac_in_size(d->dtype);
	bool acc_in = d->flags & ACTS_MAC_ACCUMULATE;
	uint32_t kk;

	if (!acts_mac_dtype_is_float(d->dtype)) {
		uint32_t acc = acc_in ? load_u32(c_elem(d, c_bo, i, j)) : 0;

		/* Products fit in int32; sums wrap modulo 2^32. */
		for (kk = 0; kk < d->k; kk++)
			acc += (uint32_t)(load_int(d->dtype, elem(a_bo, d->a_offset, d->a_stride,
								  i, kk, es)) *
					  load_int(d->dtype, b_elem(d, b_bo, kk, j)));
		return acc;
	} else {
		float acc = acc_in ? acts_f32(load_u32(c_elem(d, c_bo, i, j))) : -0.0f;

		for (kk = 0; kk < d->k; kk++) {
			float p = load_float(d->dtype, elem(a_bo, d->a_offset, d->a_stride, i, kk,
							    es)) *
				  load_float(d->dtype, b_elem(d, b_bo, kk, j));

			acc = acc + p;
		}
		return isnan(acc) ? ACTS_FP32_NAN : acts_f32_bits(acc);
	}
}

void acts_mac_golden(const struct acts_mac *d, const void *a_bo, const void *b_bo, void *c_bo)
{
	uint32_t i, j, v;

	/* C may not overlap A or B, so writing as we go changes no input. */
	for (i = 0; i < d->m; i++)
		for (j = 0; j < d->n; j++) {
			v = golden_elem(d, a_bo, b_bo, c_bo, i, j);
			memcpy(c_elem(d, c_bo, i, j), &v, sizeof(v));
		}
}

/* Is the fp32 got within the profile's bound of the exact result? */
static bool within_bound(const struct acts_mac *d, const void *a_bo, const void *b_bo,
			 const void *c0_bo, uint32_t i, uint32_t j, uint32_t want, uint32_t got)
{
	unsigned int es = acts_mac_in_size(d->dtype);
	double exact = 0, scale = 0, tol, p;
	uint32_t kk;

	if ((want & 0x7fffffffu) > 0x7f800000u)
		return (got & 0x7fffffffu) > 0x7f800000u;
	if ((want & 0x7fffffffu) == 0x7f800000u)
		return got == want;
	if ((got & 0x7fffffffu) >= 0x7f800000u)
		return false;
	if (d->flags & ACTS_MAC_ACCUMULATE) {
		exact = acts_f32(load_u32(c_elem(d, c0_bo, i, j)));
		scale = fabs(exact);
	}
	for (kk = 0; kk < d->k; kk++) {
		p = (double)load_float(d->dtype, elem(a_bo, d->a_offset, d->a_stride, i, kk, es)) *
		    load_float(d->dtype, b_elem(d, b_bo, kk, j));
		exact += p;
		scale += fabs(p);
	}
	tol = (d->k + 1.0) * ldexp(scale, -24) + (d->k + 1.0) * ldexp(1.0, -149);
	return fabs((double)acts_f32(got) - exact) <= tol;
}

void acts_mac_judge(const struct acts_mac *d, bool exact, const void *a_bo, const void *b_bo,
		    const void *c0_bo, const void *want_bo, const void *got_bo,
		    struct acts_mac_verdict *v)
{
	bool fp = acts_mac_dtype_is_float(d->dtype);
	uint32_t i, j, want, got;
	uint64_t ulp;
	bool ok;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < d->m; i++)
		for (j = 0; j < d->n; j++) {
			want = load_u32(c_elem(d, want_bo, i, j));
			got = load_u32(c_elem(d, got_bo, i, j));
			if (fp && !((want & 0x7fffffffu) > 0x7f800000u) &&
			    !((got & 0x7fffffffu) > 0x7f800000u)) {
				ulp = acts_f32_ulp_diff(want, got);
				if (ulp > v->max_ulp)
					v->max_ulp = ulp;
			}
			if (exact || !fp)
				ok = want == got;
			else
				ok = within_bound(d, a_bo, b_bo, c0_bo, i, j, want, got);
			if (!ok && !v->bad++) {
				v->i = i;
				v->j = j;
				v->want = want;
				v->got = got;
			}
		}
}
