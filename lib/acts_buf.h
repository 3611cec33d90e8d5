/* SPDX-License-Identifier: MIT */
/*
 * A BO with a CPU mapping, for checking what jobs wrote: byte for byte,
 * inside the range a command covers and outside it.
 */
#ifndef ACTS_BUF_H
#define ACTS_BUF_H

#include <stdint.h>

struct acts_dev;

struct acts_buf {
	struct acts_dev *dev;
	uint32_t handle;
	uint64_t size;
	uint8_t *map;
};

/* A BO of size bytes whose every byte the CPU set to background. */
struct acts_buf acts_buf_new(struct acts_dev *dev, uint64_t size, uint8_t background);
void acts_buf_free(struct acts_buf *b);
/* Fail unless every 32-bit word of [offset, offset + size) is value. */
#define acts_buf_expect_u32(b, offset, size, value) \
	__acts_buf_expect_u32(__FILE__, __LINE__, b, offset, size, value)
/* Fail unless every byte of [offset, offset + size) is value. */
#define acts_buf_expect_bytes(b, offset, size, value) \
	__acts_buf_expect_bytes(__FILE__, __LINE__, b, offset, size, value)
/* Fail unless [offset, offset + size) of a equals [a_off...] of b. */
#define acts_buf_expect_same(a, a_off, b, b_off, size) \
	__acts_buf_expect_same(__FILE__, __LINE__, a, a_off, b, b_off, size)

void __acts_buf_expect_u32(const char *file, int line, const struct acts_buf *b,
			   uint64_t offset, uint64_t size, uint32_t value);
void __acts_buf_expect_bytes(const char *file, int line, const struct acts_buf *b,
			     uint64_t offset, uint64_t size, uint8_t value);
void __acts_buf_expect_same(const char *file, int line, const struct acts_buf *a,
			    uint64_t a_off, const struct acts_buf *b, uint64_t b_off,
			    uint64_t size);

#endif
