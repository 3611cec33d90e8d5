// SPDX-License-Identifier: MIT
/*
 * CPU-mapped BOs for checking job results.
 */
#include <string.h>
#include <sys/mman.h>

#include "acts_buf.h"
#include "acts_gem.h"
#include "acts_test.h"

struct acts_buf acts_buf_new(struct acts_dev *dev, uint64_t size, uint8_t background)
{
	struct acts_buf b = { .dev = dev, .size = size };

	b.handle = acts_bo_create(dev, size);
	b.map = acts_bo_mmap(dev, b.handle, size);
	memset(b.map, background, size);
	return b;
}

void acts_buf_free(struct acts_buf *b)
{
	munmap(b->map, b->size);
	acts_gem_close(b->dev, b->handle);
	b->map = NULL;
}

/* Report a difference: the end of the subtest (fatal) or a failure it goes on after. */
#define buf_failed(fatal, file, line, ...) \
	do { \
		if (fatal) \
			__acts_fail(file, line, __VA_ARGS__); \
		__acts_fail_later(file, line, __VA_ARGS__); \
	} while (0)

bool __acts_buf_check_u32(bool fatal, const char *file, int line, const struct acts_buf *b,
			  uint64_t offset, uint64_t size, uint32_t value)
{
	uint64_t i;

	for (i = offset; i + 4 <= offset + size; i += 4) {
		uint32_t w;

		memcpy(&w, b->map + i, 4);
		if (w != value) {
			buf_failed(fatal, file, line, "word at byte %llu of BO %u is %#x, expected %#x",
				   (unsigned long long)i, b->handle, w, value);
			return false;
		}
	}
	return true;
}

bool __acts_buf_check_bytes(bool fatal, const char *file, int line, const struct acts_buf *b,
			    uint64_t offset, uint64_t size, uint8_t value)
{
	uint64_t i;

	for (i = offset; i < offset + size; i++)
		if (b->map[i] != value) {
			buf_failed(fatal, file, line, "byte %llu of BO %u is %#x, expected %#x",
				   (unsigned long long)i, b->handle, b->map[i], value);
			return false;
		}
	return true;
}

bool __acts_buf_check_same(bool fatal, const char *file, int line, const struct acts_buf *a,
			   uint64_t a_off, const struct acts_buf *b, uint64_t b_off, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		if (a->map[a_off + i] != b->map[b_off + i]) {
			buf_failed(fatal, file, line,
				   "byte %llu of BO %u is %#x but byte %llu of BO %u is %#x",
				   (unsigned long long)(a_off + i), a->handle, a->map[a_off + i],
				   (unsigned long long)(b_off + i), b->handle, b->map[b_off + i]);
			return false;
		}
	return true;
}
