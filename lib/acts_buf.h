/* SPDX-License-Identifier: MIT */
/*
 * A BO with a CPU mapping, for checking what jobs wrote: byte for byte,
 * inside the range a command covers and outside it.
 */
#ifndef ACTS_BUF_H
#define ACTS_BUF_H

#include <stdbool.h>
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
/*
 * acts_buf_assert_*: the subtest FAILs and ends at the first difference;
 * acts_buf_expect_*: the first difference is reported, the subtest goes on
 * (and FAILs at its end); they return whether the bytes were right.
 */
/* Every 32-bit word of [offset, offset + size) is value. */
#define acts_buf_assert_u32(b, offset, size, value) \
	((void)__acts_buf_check_u32(true, __FILE__, __LINE__, b, offset, size, value))
#define acts_buf_expect_u32(b, offset, size, value) \
	__acts_buf_check_u32(false, __FILE__, __LINE__, b, offset, size, value)
/* Every byte of [offset, offset + size) is value. */
#define acts_buf_assert_bytes(b, offset, size, value) \
	((void)__acts_buf_check_bytes(true, __FILE__, __LINE__, b, offset, size, value))
#define acts_buf_expect_bytes(b, offset, size, value) \
	__acts_buf_check_bytes(false, __FILE__, __LINE__, b, offset, size, value)
/* [offset, offset + size) of a equals [b_off, b_off + size) of b. */
#define acts_buf_assert_same(a, a_off, b, b_off, size) \
	((void)__acts_buf_check_same(true, __FILE__, __LINE__, a, a_off, b, b_off, size))
#define acts_buf_expect_same(a, a_off, b, b_off, size) \
	__acts_buf_check_same(false, __FILE__, __LINE__, a, a_off, b, b_off, size)

bool __acts_buf_check_u32(bool fatal, const char *file, int line, const struct acts_buf *b,
			  uint64_t offset, uint64_t size, uint32_t value);
bool __acts_buf_check_bytes(bool fatal, const char *file, int line, const struct acts_buf *b,
			    uint64_t offset, uint64_t size, uint8_t value);
bool __acts_buf_check_same(bool fatal, const char *file, int line, const struct acts_buf *a,
			   uint64_t a_off, const struct acts_buf *b, uint64_t b_off, uint64_t size);

#endif
