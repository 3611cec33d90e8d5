// SPDX-License-Identifier: MIT
/*
 * accel_gem: the profile's memory level. BO create/info/mmap/close, handle
 * lifetime and isolation between open files, PRIME, the device memory
 * budget and its accounting, fdinfo memory keys, userptr BOs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/udmabuf.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"

#define SZ_64K	(64u << 10)
/* What output fields hold before a call that must fail: the driver must leave them so. */
#define SENTINEL32	0xa5a5a5a5u
#define SENTINEL64	0xa5a5a5a5a5a5a5a5ull
#define SZ_1M	(1u << 20)

/* Errnos the profile allows when a size can never be satisfied. */
#define ERRS_TOO_BIG	-EINVAL, -ENOSPC, -ENOMEM, -E2BIG

static uint64_t page(void)
{
	return (uint64_t)getpagesize();
}

static uint8_t pattern(uint64_t i, uint32_t seed)
{
	return (uint8_t)((i * 2654435761u + seed) >> 7);
}

static void fill(void *p, size_t len, uint32_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = pattern(i, seed);
}

static void check(const void *p, size_t len, uint32_t seed)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != pattern(i, seed))
			acts_fail("byte %zu of %zu is %#x, expected %#x", i, len, b[i],
				  pattern(i, seed));
}

static void check_zero(const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			acts_fail("byte %zu of a new BO is %#x, expected 0", i, b[i]);
}

/* Memory in use if the driver reports it, else UINT64_MAX. */
static uint64_t mem_used(struct acts_dev *dev)
{
	uint64_t v;

	return __acts_query(dev, ACTS_Q_MEM_USED, &v) ? UINT64_MAX : v;
}

/* A macro, so that a failure reports the caller's line. */
#define assert_mem_used(dev, expected) \
	do { \
		uint64_t __want = (expected); \
		if (__want != UINT64_MAX) \
			acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), __want); \
	} while (0)

ACTS_SUBTEST(bo_create_basic, "MEM-CREATE-1",
	     "BO create returns distinct non-zero handles and the requested size")
{
	struct acts_bo_create c = { .size = SZ_1M };
	struct acts_bo_create d = { .size = SZ_1M };

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_ok(__acts_bo_create(dev, &c));
	acts_assert_neq(c.handle, 0);
	acts_assert_eq_u64(c.size, SZ_1M);
	acts_assert_ok(__acts_bo_create(dev, &d));
	acts_assert_neq(d.handle, 0);
	acts_assert_neq(d.handle, c.handle);
	acts_gem_close(dev, c.handle);
	acts_gem_close(dev, d.handle);
}

ACTS_SUBTEST(bo_create_zeroed, "MEM-CREATE-2",
	     "a new BO reads as zeros, even on memory a previous BO wrote")
{
	uint32_t h = acts_bo_create(dev, SZ_1M);
	void *p = acts_bo_mmap(dev, h, SZ_1M);

	check_zero(p, SZ_1M);
	/* Memory is zeroed again for the next BO, whoever used it before. */
	fill(p, SZ_1M, 7);
	munmap(p, SZ_1M);
	acts_gem_close(dev, h);

	h = acts_bo_create(dev, SZ_1M);
	p = acts_bo_mmap(dev, h, SZ_1M);
	check_zero(p, SZ_1M);
	munmap(p, SZ_1M);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_create_zero_size, "MEM-CREATE-3",
	     "a zero-size BO is refused with EINVAL")
{
	struct acts_bo_create c = { .size = 0 };
	uint64_t used = mem_used(dev);

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_err(__acts_bo_create(dev, &c), -EINVAL);
	assert_mem_used(dev, used);
}

ACTS_SUBTEST(bo_create_unaligned_size, "MEM-CREATE-4",
	     "a size that is not a page multiple is rounded up to whole, usable pages")
{
	uint64_t sizes[] = { 1, page() - 1, page() + 1, 3 * page() + 17 };
	size_t i;

	acts_require_cap(dev, ACTS_CAP_BO);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct acts_bo_create c = { .size = sizes[i] };
		struct acts_bo_info info;
		uint8_t *p;

		acts_assert_ok(__acts_bo_create(dev, &c));
		/* Rounded up to whole pages, never down, never by a page or more. */
		acts_assert_eq_u64(c.size % page(), 0);
		acts_assert_gte_u64(c.size, sizes[i]);
		acts_assert_lte_u64(c.size, sizes[i] + page() - 1);
		acts_bo_info(dev, c.handle, &info);
		acts_assert_eq_u64(info.size, c.size);
		/* All of the rounded size is usable. */
		p = acts_bo_mmap(dev, c.handle, c.size);
		p[c.size - 1] = 0x5a;
		acts_assert_eq(p[c.size - 1], 0x5a);
		munmap(p, c.size);
		acts_gem_close(dev, c.handle);
	}
}

/* Each size fails with an out-of-range errno and charges nothing. */
static void assert_sizes_refused(struct acts_dev *dev, const uint64_t *sizes, size_t n)
{
	uint64_t used = mem_used(dev);
	size_t i;

	acts_require_cap(dev, ACTS_CAP_BO);
	for (i = 0; i < n; i++) {
		struct acts_bo_create c = { .size = sizes[i] };

		acts_assert_err(__acts_bo_create(dev, &c), ERRS_TOO_BIG);
		assert_mem_used(dev, used);
	}
}

ACTS_SUBTEST(bo_create_huge_size, "MEM-CREATE-5",
	     "sizes no device can hold fail cleanly and charge nothing")
{
	const uint64_t sizes[] = { UINT64_MAX, 1ull << 63, 1ull << 48 };

	assert_sizes_refused(dev, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

ACTS_SUBTEST(bo_create_size_overflow, "MEM-CREATE-5",
	     "sizes whose page rounding overflows 64 bits fail cleanly")
{
	/* Page rounding of these wraps to 0 or a small size in 64 bits. */
	const uint64_t sizes[] = { UINT64_MAX - page() + 2, UINT64_MAX - 1 };

	assert_sizes_refused(dev, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

ACTS_SUBTEST(bo_create_beyond_budget, "MEM-BUDGET-1",
	     "a BO larger than the device memory fails")
{
	uint64_t mem = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	struct acts_bo_create c = { .size = mem + page() };
	uint64_t used = mem_used(dev);

	acts_assert_err(__acts_bo_create(dev, &c), ERRS_TOO_BIG);
	assert_mem_used(dev, used);
}

ACTS_SUBTEST(bo_create_bad_flags, "MEM-CREATE-6",
	     "each undefined flag bit fails with EINVAL; defined flags are kept")
{
	uint64_t valid = acts_require_query(dev, ACTS_Q_BO_FLAGS);
	uint64_t bit;

	acts_require(~valid != 0, "every flag bit is valid");
	/* Each undefined bit on its own, and the highest. */
	for (bit = 1; bit; bit <<= 1) {
		struct acts_bo_create c = { .size = SZ_64K, .flags = bit };

		if (valid & bit)
			continue;
		acts_assert_err(__acts_bo_create(dev, &c), -EINVAL);
	}
	/* The defined flags are accepted. */
	for (bit = 1; bit; bit <<= 1) {
		struct acts_bo_create c = { .size = SZ_64K, .flags = bit };
		struct acts_bo_info info;

		if (!(valid & bit))
			continue;
		acts_assert_ok(__acts_bo_create(dev, &c));
		acts_bo_info(dev, c.handle, &info);
		acts_assert_eq_u64(info.flags, bit);
		acts_gem_close(dev, c.handle);
	}
}

ACTS_SUBTEST(bo_create_nonzero_pad, "MEM-CREATE-7",
	     "BO create with non-zero padding fails with EINVAL")
{
	struct acts_bo_create c = { .size = SZ_64K, .pad = 1 };
	uint64_t used = mem_used(dev);

	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	acts_assert_err(__acts_bo_create(dev, &c), -EINVAL);
	c.pad = 0x80000000u;
	acts_assert_err(__acts_bo_create(dev, &c), -EINVAL);
	assert_mem_used(dev, used);
}

ACTS_SUBTEST(bo_info_basic, "MEM-INFO-1",
	     "BO info gives size, flags and a stable, page-aligned, distinct mmap offset")
{
	uint32_t a = acts_bo_create(dev, SZ_64K), b = acts_bo_create(dev, SZ_1M);
	struct acts_bo_info ia, ib, again;

	acts_bo_info(dev, a, &ia);
	acts_bo_info(dev, b, &ib);
	acts_assert_eq_u64(ia.size, SZ_64K);
	acts_assert_eq_u64(ib.size, SZ_1M);
	acts_assert_eq_u64(ia.flags, 0);
	acts_assert_eq_u64(ia.mmap_offset % page(), 0);
	acts_assert_neq(ia.mmap_offset, 0);
	/* Distinct BOs never share mmap offsets; the offset is stable. */
	acts_assert(ia.mmap_offset + ia.size <= ib.mmap_offset ||
		    ib.mmap_offset + ib.size <= ia.mmap_offset);
	acts_bo_info(dev, a, &again);
	acts_assert_eq_u64(again.mmap_offset, ia.mmap_offset);
	acts_gem_close(dev, a);
	acts_gem_close(dev, b);
}

ACTS_SUBTEST(bo_info_unknown_handle, "MEM-INFO-2",
	     "BO info of a handle that does not exist fails with ENOENT")
{
	struct acts_bo_info info;
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_assert_err(__acts_bo_info(dev, 0, 0, &info), -ENOENT);
	h = acts_bo_create(dev, SZ_64K);
	acts_assert_err(__acts_bo_info(dev, h + 1000, 0, &info), -ENOENT);
	acts_assert_err(__acts_bo_info(dev, UINT32_MAX, 0, &info), -ENOENT);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_info_nonzero_pad, "MEM-INFO-3",
	     "BO info with non-zero padding fails with EINVAL")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;

	acts_require_cap(dev, ACTS_CAP_PAD_FIELDS);
	acts_assert_ok(__acts_bo_info(dev, h, 0, &info));
	acts_assert_err(__acts_bo_info(dev, h, 1, &info), -EINVAL);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_mmap_write_read, "MEM-MMAP-1",
	     "data written through one mapping reads back through it, another, and a later one")
{
	uint32_t h = acts_bo_create(dev, SZ_1M);
	void *p = acts_bo_mmap(dev, h, SZ_1M), *q;

	fill(p, SZ_1M, 1);
	check(p, SZ_1M, 1);
	/* A second mapping sees the same memory. */
	q = acts_bo_mmap(dev, h, SZ_1M);
	check(q, SZ_1M, 1);
	fill(q, SZ_64K, 2);
	check(p, SZ_64K, 2);
	munmap(p, SZ_1M);
	munmap(q, SZ_1M);
	/* And the data outlives the mappings. */
	p = acts_bo_mmap(dev, h, SZ_1M);
	check(p, SZ_64K, 2);
	check((uint8_t *)p + SZ_64K, SZ_64K, 1);
	munmap(p, SZ_1M);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_mmap_beyond_size, "MEM-MMAP-2",
	     "a mapping longer than the BO or past its end fails")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	void *p;

	acts_require_cap(dev, ACTS_CAP_BO);
	/* Longer than the BO. */
	acts_assert_err(__acts_bo_mmap(dev, h, SZ_64K + page(), 0, &p), -EINVAL);
	/* Starting past its end. */
	acts_assert_err(__acts_bo_mmap(dev, h, page(), SZ_64K, &p), -EINVAL, -EACCES);
	/* The exact size works. */
	acts_assert_ok(__acts_bo_mmap(dev, h, SZ_64K, 0, &p));
	munmap(p, SZ_64K);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_mmap_after_close, "MEM-MMAP-3",
	     "the mmap offset of a closed BO no longer maps")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;
	void *p;

	acts_bo_info(dev, h, &info);
	acts_gem_close(dev, h);
	p = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 (off_t)info.mmap_offset);
	if (p != MAP_FAILED)
		acts_fail("mmap of a closed BO's offset succeeded");
	acts_assert_err(-errno, -EINVAL, -EACCES);
}

ACTS_SUBTEST(bo_mapping_outlives_handle, "MEM-MMAP-4 MEM-ACCOUNT-1",
	     "a mapping keeps the BO alive after its handle is closed, until munmap")
{
	uint64_t used = mem_used(dev);
	uint32_t h = acts_bo_create(dev, SZ_1M);
	void *p = acts_bo_mmap(dev, h, SZ_1M);

	fill(p, SZ_1M, 3);
	acts_gem_close(dev, h);
	/* The mapping keeps the BO: data intact, memory still charged. */
	check(p, SZ_1M, 3);
	if (used != UINT64_MAX)
		assert_mem_used(dev, used + SZ_1M);
	munmap(p, SZ_1M);
	assert_mem_used(dev, used);
}

/* The first byte in [from, to) of a mapping filled by fill(base, .., seed) that differs, or -1. */
static long first_wrong(const uint8_t *base, size_t from, size_t to, uint32_t seed)
{
	size_t i;

	for (i = from; i < to; i++)
		if (base[i] != pattern(i, seed))
			return (long)i;
	return -1;
}

static void check_range(const uint8_t *base, size_t from, size_t to, uint32_t seed,
			const char *after)
{
	long i = first_wrong(base, from, to, seed);

	if (i >= 0)
		acts_fail("after %s, byte %ld of the mapping is %#x, expected %#x", after, i,
			  base[i], pattern((size_t)i, seed));
}

/*
 * Drivers may map large BOs with huge page entries; the mapping must stay
 * memory at 4 KiB granularity anyway: inherited by a child, cut by munmap
 * and mprotect in the middle of an extent.
 */
ACTS_SUBTEST(bo_mmap_large_split, "MEM-MMAP-5",
	     "a 4 MiB + 1 page mapping stays exact through fork, partial munmap, mprotect and placement")
{
	size_t size = 4 * SZ_1M + page(), marker = 3 * SZ_1M + 123;
	uint8_t flipped = (uint8_t)~pattern(marker, 7);
	uint32_t h = acts_bo_create(dev, size);
	uint8_t *p = acts_bo_mmap(dev, h, size), *q, *at;
	struct acts_bo_info info;
	int status;
	pid_t pid;

	check_zero(p, size);
	fill(p, size, 7);
	/* A second mapping faults every page anew and must find the same bytes. */
	q = acts_bo_mmap(dev, h, size);
	check_range(q, 0, size, 7, "a second mapping");
	munmap(q, size);
	/* So must one cut before its first fault: its rest starts a page into the BO. */
	q = acts_bo_mmap(dev, h, size);
	acts_assert_syscall(munmap(q, page()));
	check_range(q, page(), size, 7, "unmapping the first page of an untouched mapping");
	munmap(q + page(), size - page());

	/* A child inherits the shared mapping: it reads the parent's bytes and its writes show. */
	pid = fork();
	acts_assert(pid >= 0);
	if (!pid) {
		if (first_wrong(p, 0, size, 7) >= 0)
			_exit(3);
		p[marker] = flipped;
		_exit(0);
	}
	acts_assert_eq(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		acts_fail("the child found the BO's bytes wrong through the inherited mapping (status %#x)",
			  status);
	if (p[marker] != flipped)
		acts_fail("the child's write at byte %zu is not seen by the parent", marker);
	p[marker] = pattern(marker, 7);

	/* Cut a hole in the first 2 MiB and make a page of the second read-only. */
	acts_assert_syscall(munmap(p + SZ_1M, page()));
	check_range(p, 0, SZ_1M, 7, "unmapping a page at 1 MiB");
	check_range(p, SZ_1M + page(), size, 7, "unmapping a page at 1 MiB");
	acts_assert_syscall(mprotect(p + marker - marker % page(), page(), PROT_READ));
	check_range(p, 2 * SZ_1M, size, 7, "making a page at 3 MiB read-only");
	fill(p, SZ_1M, 8);
	check_range(p, 0, SZ_1M, 8, "writing below the hole");
	munmap(p, SZ_1M);
	munmap(p + SZ_1M + page(), size - SZ_1M - page());

	/* A new mapping sees every write made through the cut one. */
	q = acts_bo_mmap(dev, h, size);
	check_range(q, 0, SZ_1M, 8, "remapping");
	check_range(q, SZ_1M, size, 7, "remapping");
	munmap(q, size);

	/* So does one placed a page past a 2 MiB boundary: no huge entry lines up. */
	acts_bo_info(dev, h, &info);
	q = mmap(NULL, size + 4 * SZ_1M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	acts_assert(q != MAP_FAILED);
	at = (uint8_t *)(((uintptr_t)q + 2 * SZ_1M - 1) & ~(uintptr_t)(2 * SZ_1M - 1)) + page();
	acts_assert(mmap(at, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, dev->fd,
			 (off_t)info.mmap_offset) == at);
	/* First inside an extent, before a fault next to it maps its start. */
	check_range(at, 3 * SZ_1M, 3 * SZ_1M + page(), 7, "mapping at 2 MiB + 1 page");
	check_range(at, 0, SZ_1M, 8, "mapping at 2 MiB + 1 page");
	check_range(at, SZ_1M, size, 7, "mapping at 2 MiB + 1 page");
	munmap(q, size + 4 * SZ_1M);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_close_double, "MEM-CLOSE-1",
	     "closing a handle twice fails the second time with EINVAL")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);

	acts_assert_ok(__acts_gem_close(dev, h));
	acts_assert_err(__acts_gem_close(dev, h), -EINVAL);
}

ACTS_SUBTEST(bo_close_unknown_handle, "MEM-CLOSE-1",
	     "closing a handle that does not exist fails with EINVAL and closes nothing")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;

	acts_assert_err(__acts_gem_close(dev, h + 1000), -EINVAL);
	acts_assert_err(__acts_gem_close(dev, 0), -EINVAL);
	/* The real BO was not touched. */
	acts_bo_info(dev, h, &info);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_use_after_close, "MEM-CLOSE-2",
	     "a closed handle is unknown to info and export (ENOENT)")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;
	int fd;

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_gem_close(dev, h);
	acts_assert_err(__acts_bo_info(dev, h, 0, &info), -ENOENT);
	acts_assert_err(__acts_prime_export(dev, h, &fd), -ENOENT);
}

ACTS_SUBTEST(bo_handles_per_file, "MEM-HANDLE-1",
	     "a handle of one open file is unknown in another and cannot be closed there")
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;
	int fd;

	acts_assert(other != NULL);
	acts_require_cap(dev, ACTS_CAP_BO);
	/* The other file has no BOs: the handle means nothing there. */
	acts_assert_err(__acts_bo_info(other, h, 0, &info), -ENOENT);
	acts_assert_err(__acts_gem_close(other, h), -EINVAL);
	acts_assert_err(__acts_prime_export(other, h, &fd), -ENOENT);
	/* And its failed close did not close ours. */
	acts_bo_info(dev, h, &info);
	acts_gem_close(dev, h);
	acts_dev_close(other);
}

ACTS_SUBTEST(bo_mmap_other_file, "MEM-HANDLE-2",
	     "another open file cannot map a BO by its mmap offset")
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint32_t h = acts_bo_create(dev, SZ_64K);
	struct acts_bo_info info;
	void *p;

	acts_assert(other != NULL);
	acts_bo_info(dev, h, &info);
	p = mmap(NULL, SZ_64K, PROT_READ | PROT_WRITE, MAP_SHARED, other->fd,
		 (off_t)info.mmap_offset);
	if (p != MAP_FAILED)
		acts_fail("another open file mapped this file's BO by its offset");
	acts_assert_err(-errno, -EACCES, -EINVAL, -EPERM);
	acts_gem_close(dev, h);
	acts_dev_close(other);
}

ACTS_SUBTEST(prime_export_import, "MEM-PRIME-1",
	     "a BO exported as a dma-buf and imported by another file shares its memory")
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint32_t h = acts_bo_create(dev, SZ_1M), h2;
	struct acts_bo_info info;
	void *p, *q;
	int fd;

	acts_assert(other != NULL);
	p = acts_bo_mmap(dev, h, SZ_1M);
	fill(p, SZ_1M, 4);
	fd = acts_prime_export(dev, h);
	acts_assert_eq(lseek(fd, 0, SEEK_END), SZ_1M);
	h2 = acts_prime_import(other, fd);
	acts_bo_info(other, h2, &info);
	acts_assert_eq_u64(info.size, SZ_1M);
	q = acts_bo_mmap(other, h2, SZ_1M);
	check(q, SZ_1M, 4);
	/* Same memory both ways. */
	fill(q, SZ_64K, 5);
	check(p, SZ_64K, 5);
	munmap(p, SZ_1M);
	munmap(q, SZ_1M);
	close(fd);
	acts_gem_close(other, h2);
	acts_gem_close(dev, h);
	acts_dev_close(other);
}

ACTS_SUBTEST(prime_self_import, "MEM-PRIME-2",
	     "importing a dma-buf into its exporting file gives back the original handle")
{
	uint32_t h = acts_bo_create(dev, SZ_64K);
	int fd = acts_prime_export(dev, h);

	/* Importing into the exporting file gives back the same handle. */
	acts_assert_eq(acts_prime_import(dev, fd), h);
	close(fd);
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(prime_import_twice, "MEM-PRIME-2",
	     "importing the same dma-buf twice gives the same handle")
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint32_t h = acts_bo_create(dev, SZ_64K), a, b;
	int fd = acts_prime_export(dev, h), fd2;

	acts_assert(other != NULL);
	a = acts_prime_import(other, fd);
	b = acts_prime_import(other, fd);
	acts_assert_eq(a, b);
	/* Another export of the same BO is the same dma-buf. */
	fd2 = acts_prime_export(dev, h);
	acts_assert_eq(acts_prime_import(other, fd2), a);
	close(fd);
	close(fd2);
	acts_gem_close(other, a);
	acts_assert_err(__acts_gem_close(other, b), -EINVAL);
	acts_gem_close(dev, h);
	acts_dev_close(other);
}

ACTS_SUBTEST(prime_keeps_bo_alive, "MEM-PRIME-3 MEM-ACCOUNT-1",
	     "a dma-buf keeps its BO and data alive after every handle is closed")
{
	struct acts_dev *other = acts_dev_reopen(dev);
	uint64_t used = mem_used(dev);
	uint32_t h = acts_bo_create(dev, SZ_1M), h2;
	void *p = acts_bo_mmap(dev, h, SZ_1M);
	int fd;

	acts_assert(other != NULL);
	fill(p, SZ_1M, 6);
	munmap(p, SZ_1M);
	fd = acts_prime_export(dev, h);
	acts_gem_close(dev, h);
	/* Only the dma-buf holds the BO now. */
	if (used != UINT64_MAX)
		assert_mem_used(dev, used + SZ_1M);
	h2 = acts_prime_import(other, fd);
	close(fd);
	p = acts_bo_mmap(other, h2, SZ_1M);
	check(p, SZ_1M, 6);
	munmap(p, SZ_1M);
	acts_gem_close(other, h2);
	assert_mem_used(dev, used);
	acts_dev_close(other);
}

ACTS_SUBTEST(prime_import_not_dmabuf, "MEM-PRIME-4",
	     "importing a descriptor that is not a dma-buf fails with EINVAL or EBADF")
{
	uint32_t h;
	int fd = memfd_create("not-a-dmabuf", MFD_CLOEXEC);

	acts_assert_syscall(fd);
	acts_assert_syscall(ftruncate(fd, SZ_64K));
	acts_assert_err(__acts_prime_import(dev, fd, &h), -EINVAL);
	close(fd);
	acts_assert_err(__acts_prime_import(dev, -1, &h), -EBADF);
	/* A closed descriptor number. */
	acts_assert_err(__acts_prime_import(dev, fd, &h), -EBADF);
}

ACTS_SUBTEST(prime_export_unknown_handle, "MEM-PRIME-4",
	     "exporting a handle that does not exist fails with ENOENT")
{
	int fd;

	acts_assert_err(__acts_prime_export(dev, 0, &fd), -ENOENT);
	acts_assert_err(__acts_prime_export(dev, 12345, &fd), -ENOENT);
}

ACTS_SUBTEST(mem_budget_exhaust, "MEM-BUDGET-2 MEM-ACCOUNT-1",
	     "creates fail with ENOSPC or ENOMEM once device memory is used up; closing frees it")
{
	uint64_t mem = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	uint64_t used0 = acts_require_query(dev, ACTS_Q_MEM_USED);
	uint64_t chunk = mem / 16 / page() * page(), created = 0;
	uint32_t handles[64];
	int n = 0, ret = 0, i;

	acts_require(chunk, "device memory smaller than 16 pages");
	acts_require(mem / chunk <= 60, "device memory too large to fill in 64 BOs");
	while (n < 64) {
		struct acts_bo_create c = { .size = chunk };

		ret = __acts_bo_create(dev, &c);
		if (ret)
			break;
		handles[n++] = c.handle;
		created += chunk;
		acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + created);
	}
	acts_assert_err(ret, -ENOSPC, -ENOMEM);
	/* All of the free memory was usable, to within one chunk. */
	acts_assert_lte_u64(created, mem - used0);
	acts_assert_gte_u64(created + chunk, mem - used0 + 1);
	/* A failed create charged nothing... */
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + created);
	/* ...and closing a BO makes room again. */
	acts_gem_close(dev, handles[--n]);
	handles[n++] = acts_bo_create(dev, chunk);
	for (i = 0; i < n; i++)
		acts_gem_close(dev, handles[i]);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
}

ACTS_SUBTEST(mem_accounting, "MEM-ACCOUNT-1",
	     "device memory use follows every create and close, across clients")
{
	uint64_t used0 = acts_require_query(dev, ACTS_Q_MEM_USED);
	struct acts_dev *other = acts_dev_reopen(dev);
	uint32_t a = acts_bo_create(dev, SZ_1M), b;

	acts_assert(other != NULL);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + SZ_1M);
	/* Device-wide: another client's BOs count, and it sees ours. */
	b = acts_bo_create(other, 2 * SZ_1M);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + 3 * SZ_1M);
	acts_assert_eq_u64(acts_query(other, ACTS_Q_MEM_USED), used0 + 3 * SZ_1M);
	acts_gem_close(dev, a);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + 2 * SZ_1M);
	/* Closing the file releases its BOs. */
	acts_dev_close(other);
	(void)b;
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
}

ACTS_SUBTEST(fdinfo_memory, "MEM-FDINFO-1",
	     "fdinfo drm-total-memory and drm-shared-memory follow the file's BOs")
{
	uint64_t before, after, shared;
	uint32_t h;
	int ret, fd;

	ret = acts_fdinfo_bytes(dev, "drm-total-memory", &before);
	acts_require(ret != -ENOENT, "%s publishes no drm-total-memory key in fdinfo", dev->driver);
	acts_assert_ok(ret);
	h = acts_bo_create(dev, SZ_1M);
	acts_assert_ok(acts_fdinfo_bytes(dev, "drm-total-memory", &after));
	acts_assert_eq_u64(after, before + SZ_1M);
	/* Exported BOs count as shared. */
	acts_assert_ok(acts_fdinfo_bytes(dev, "drm-shared-memory", &shared));
	acts_assert_eq_u64(shared, 0);
	fd = acts_prime_export(dev, h);
	acts_assert_ok(acts_fdinfo_bytes(dev, "drm-shared-memory", &shared));
	acts_assert_eq_u64(shared, SZ_1M);
	close(fd);
	acts_gem_close(dev, h);
	acts_assert_ok(acts_fdinfo_bytes(dev, "drm-total-memory", &after));
	acts_assert_eq_u64(after, before);
}

/* A create that must fail: its handle keeps the sentinel, its size the request. */
static void create_fails_untouched(struct acts_dev *dev, uint64_t size, uint64_t flags,
				   uint32_t pad, const char *what)
{
	struct acts_bo_create c = { .size = size, .flags = flags, .pad = pad,
				    .handle = SENTINEL32 };
	int ret = __acts_bo_create(dev, &c);

	if (!ret)
		acts_fail("%s: the create succeeded", what);
	if (c.handle != SENTINEL32 || c.size != size)
		acts_fail("%s: failed with %s but wrote its outputs: handle %#x (was %#x), size %#llx (was %#llx)",
			  what, acts_errno_name(ret), c.handle, SENTINEL32,
			  (unsigned long long)c.size, (unsigned long long)size);
}

ACTS_SUBTEST(bo_create_failed_outputs_untouched, "CORE-OUTPUT-1 MEM-CREATE-3 MEM-CREATE-5",
	     "every refused BO create leaves its handle and size as the caller set them")
{
	uint64_t v;

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_require_failed_outputs(dev);
	create_fails_untouched(dev, 0, 0, 0, "a zero size");
	create_fails_untouched(dev, 1ull << 63, 0, 0, "a size of 2^63");
	create_fails_untouched(dev, UINT64_MAX - 1, 0, 0, "a size whose rounding overflows");
	if (!__acts_query(dev, ACTS_Q_MEM_SIZE, &v))
		create_fails_untouched(dev, v + page(), 0, 0, "a size past the device memory");
	if (!__acts_query(dev, ACTS_Q_MAX_BO_SIZE, &v))
		create_fails_untouched(dev, v + 1, 0, 0, "one byte past the largest BO");
	if (!__acts_query(dev, ACTS_Q_BO_FLAGS, &v) && ~v)
		create_fails_untouched(dev, SZ_64K, ~v & -~v, 0, "an undefined flag");
	if (acts_has_cap(dev, ACTS_CAP_PAD_FIELDS))
		create_fails_untouched(dev, SZ_64K, 0, 1, "a padding field set");
	/* A size valid in itself, not a page multiple, refused only because memory is short. */
	if (!__acts_query(dev, ACTS_Q_MEM_SIZE, &v)) {
		uint64_t max = v, half = v / 2 / page() * page();
		uint32_t h;

		__acts_query(dev, ACTS_Q_MAX_BO_SIZE, &max);
		if (half + page() <= max && half + 1 <= max) {
			h = acts_bo_create(dev, half + page());
			create_fails_untouched(dev, half + 1, 0, 0, "a size past the free memory");
			acts_gem_close(dev, h);
		}
	}
}

ACTS_SUBTEST(bo_info_failed_outputs_untouched, "CORE-OUTPUT-1 MEM-INFO-2 MEM-INFO-3",
	     "a refused BO info leaves its size, flags and mmap offset as the caller set them")
{
	struct acts_bo_info info = { SENTINEL64, SENTINEL64, SENTINEL64 };
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_BO);
	acts_require_failed_outputs(dev);
	h = acts_bo_create(dev, SZ_64K);
	acts_assert_err(__acts_bo_info(dev, h + 1000, 0, &info), -ENOENT);
	acts_assert_eq_u64(info.size, SENTINEL64);
	acts_assert_eq_u64(info.flags, SENTINEL64);
	acts_assert_eq_u64(info.mmap_offset, SENTINEL64);
	if (acts_has_cap(dev, ACTS_CAP_PAD_FIELDS)) {
		acts_assert_err(__acts_bo_info(dev, h, 1, &info), -EINVAL);
		acts_assert_eq_u64(info.size, SENTINEL64);
		acts_assert_eq_u64(info.flags, SENTINEL64);
		acts_assert_eq_u64(info.mmap_offset, SENTINEL64);
	}
	acts_gem_close(dev, h);
}

ACTS_SUBTEST(bo_create_max_size, "MEM-CREATE-8 MEM-ACCOUNT-1",
	     "a BO of exactly the largest size is created and charged; one byte more is refused")
{
	uint64_t max = acts_require_query(dev, ACTS_Q_MAX_BO_SIZE);
	uint64_t mem = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	uint64_t used = acts_query(dev, ACTS_Q_MEM_USED);
	struct acts_bo_create c = { .size = max };
	uint8_t *p;

	/* The profile lets max be the whole memory: the device must be idle. */
	acts_assert_lte_u64(used + max, mem);
	acts_assert_ok(__acts_bo_create(dev, &c));
	acts_assert_eq_u64(c.size, max);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used + max);
	/* Its last byte is usable (touching only that page keeps the guest's memory free). */
	p = acts_bo_mmap(dev, c.handle, max);
	p[max - 1] = 0x5a;
	acts_assert_eq(p[max - 1], 0x5a);
	munmap(p, max);
	acts_gem_close(dev, c.handle);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used);

	/* A size that rounds up to exactly max is accepted too... */
	c = (struct acts_bo_create){ .size = max - page() + 1 };
	acts_assert_ok(__acts_bo_create(dev, &c));
	acts_assert_eq_u64(c.size, max);
	acts_gem_close(dev, c.handle);
	/* ...and one byte past max is not, charging nothing. */
	c = (struct acts_bo_create){ .size = max + 1 };
	acts_assert_err(__acts_bo_create(dev, &c), ERRS_TOO_BIG);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used);
}

ACTS_SUBTEST(bo_create_rounded_accounting, "MEM-ACCOUNT-1 MEM-FDINFO-1 MEM-CREATE-4",
	     "a size that is not a page multiple is charged, in memory use and fdinfo, its rounded size")
{
	uint64_t sizes[] = { 1, page() + 1, 3 * page() + 17, SZ_1M - 1 };
	uint64_t used0 = acts_require_query(dev, ACTS_Q_MEM_USED), total0 = 0, total;
	uint32_t h[4];
	uint64_t sum = 0;
	bool fdinfo = !acts_fdinfo_bytes(dev, "drm-total-memory", &total0);
	size_t i;

	for (i = 0; i < 4; i++) {
		struct acts_bo_create c = { .size = sizes[i] };
		uint64_t rounded = (sizes[i] + page() - 1) / page() * page();

		acts_assert_ok(__acts_bo_create(dev, &c));
		acts_assert_eq_u64(c.size, rounded);
		h[i] = c.handle;
		sum += rounded;
		acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + sum);
		if (fdinfo) {
			acts_assert_ok(acts_fdinfo_bytes(dev, "drm-total-memory", &total));
			acts_assert_eq_u64(total, total0 + sum);
		}
	}
	for (i = 0; i < 4; i++) {
		acts_gem_close(dev, h[i]);
		sum -= (sizes[i] + page() - 1) / page() * page();
		acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + sum);
	}
	if (fdinfo) {
		acts_assert_ok(acts_fdinfo_bytes(dev, "drm-total-memory", &total));
		acts_assert_eq_u64(total, total0);
	}
}

/* A dma-buf of another driver: its fd, a CPU mapping of its pages, what to free. */
struct foreign {
	int fd;
	uint8_t *map;
	size_t size;
	struct acts_dev *vgem;
	uint32_t vgem_bo;
	int memfd;
};

static void foreign_vgem(struct foreign *f, size_t size)
{
	char path[256];

	acts_assert_ok(acts_find_device("vgem", path, sizeof(path)));
	f->vgem = acts_dev_open(path);
	acts_assert(f->vgem);
	f->vgem_bo = acts_bo_create(f->vgem, size);
	f->map = acts_bo_mmap(f->vgem, f->vgem_bo, size);
	f->fd = acts_prime_export(f->vgem, f->vgem_bo);
	f->size = size;
	f->memfd = -1;
}

static void foreign_udmabuf(struct foreign *f, size_t size)
{
	struct udmabuf_create c = { .flags = UDMABUF_FLAGS_CLOEXEC, .size = size };
	int dev_fd = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);

	acts_assert_syscall(dev_fd);
	f->memfd = memfd_create("acts-udmabuf", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	acts_assert_syscall(f->memfd);
	acts_assert_syscall(ftruncate(f->memfd, (off_t)size));
	acts_assert_syscall(fcntl(f->memfd, F_ADD_SEALS, F_SEAL_SHRINK));
	c.memfd = (uint32_t)f->memfd;
	f->fd = ioctl(dev_fd, UDMABUF_CREATE, &c);
	acts_assert_syscall(f->fd);
	close(dev_fd);
	f->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, f->memfd, 0);
	acts_assert(f->map != MAP_FAILED);
	f->size = size;
	f->vgem = NULL;
}

static void foreign_free(struct foreign *f)
{
	munmap(f->map, f->size);
	close(f->fd);
	if (f->vgem) {
		acts_gem_close(f->vgem, f->vgem_bo);
		acts_dev_close(f->vgem);
	}
	if (f->memfd >= 0)
		close(f->memfd);
}

/*
 * Import a foreign dma-buf: no device memory charged on import, use or
 * close; the import is the exporter's memory, for the CPU and for jobs.
 */
static void import_foreign(struct acts_dev *dev, struct foreign *f)
{
	uint64_t used0 = acts_query(dev, ACTS_Q_MEM_USED);
	struct acts_bo_info info;
	uint32_t h;

	fill(f->map, f->size, 9);
	h = acts_prime_import(dev, f->fd);
	acts_bo_info(dev, h, &info);
	acts_assert_eq_u64(info.size, f->size);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
	if (acts_has_engine(dev, ACTS_ENGINE_COMPUTE)) {
		struct acts_cmd cmd = { .op = ACTS_CMD_FILL, .offset = page(), .size = page(),
					.value = 0x600dcafe };
		struct acts_fence out = acts_submit_simple(dev, acts_ctx_create(dev),
							   ACTS_ENGINE_COMPUTE, &cmd, 1, &h, 1);
		size_t i;

		acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
		acts_fence_release(dev, &out);
		/* The job wrote the exporter's pages, and only its range. */
		for (i = 0; i < f->size; i++) {
			uint8_t want = pattern(i, 9);

			if (i >= page() && i < 2 * page())
				want = (uint8_t)(0x600dcafe >> (8 * (i % 4)));
			if (f->map[i] != want)
				acts_fail("byte %zu of the foreign dma-buf is %#x, expected %#x",
					  i, f->map[i], want);
		}
		/* The job's BO fence, if it had one, may outlive its signal a little. */
		acts_assert_eq_u64(acts_mem_used_after_jobs(dev, used0), used0);
	}
	acts_gem_close(dev, h);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
}

ACTS_SUBTEST(prime_import_foreign, "MEM-ACCOUNT-2 MEM-PRIME-1",
	     "a dma-buf of another driver (vgem, udmabuf) imports uncharged, is its memory, and closes uncharged")
{
	char path[256];

	acts_require_cap(dev, ACTS_CAP_PRIME);
	acts_require_query(dev, ACTS_Q_MEM_USED);
	/* vgem is loaded wherever the suite runs; udmabuf where the kernel has it. */
	acts_dynamic("vgem") {
		struct foreign f;

		if (acts_find_device("vgem", path, sizeof(path)))
			acts_skip("no vgem device to export a dma-buf from");
		foreign_vgem(&f, 4 * page() + SZ_64K);
		import_foreign(dev, &f);
		foreign_free(&f);
	}
	if (!access("/dev/udmabuf", R_OK | W_OK))
		acts_dynamic("udmabuf") {
			struct foreign f;

			foreign_udmabuf(&f, 4 * page() + SZ_64K);
			import_foreign(dev, &f);
			foreign_free(&f);
		}
}

/*
 * Userptr BOs (ACTS_CAP_USERPTR): BOs made of the caller's own memory.
 */

static void *anon_map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	acts_assert(p != MAP_FAILED);
	return p;
}

static int userptr_try(struct acts_dev *dev, uint64_t ptr, uint64_t size, uint64_t flags,
		       uint32_t pad)
{
	struct acts_bo_userptr u = { .user_ptr = ptr, .size = size, .flags = flags, .pad = pad };
	int ret = __acts_bo_create_userptr(dev, &u);

	/* A create that was to fail and did not: free what it made. */
	if (!ret)
		acts_gem_close(dev, u.handle);
	return ret;
}

/* A userptr create that must fail with one of the errnos, charging nothing. */
#define assert_userptr_refused(dev, ptr, size, flags, pad, ...) \
	do { \
		uint64_t __used = mem_used(dev); \
		acts_assert_err(userptr_try(dev, (uint64_t)(uintptr_t)(ptr), size, flags, pad), \
				__VA_ARGS__); \
		assert_mem_used(dev, __used); \
	} while (0)

ACTS_SUBTEST(userptr_job_reads_writes, "MEM-USERPTR-1",
	     "a job reads what the CPU wrote into a userptr BO, and the CPU sees in place what a job wrote")
{
	size_t len = 4 * page() + SZ_64K;
	uint8_t *mem;
	uint32_t h, ctx;
	size_t i;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	acts_require_submit(dev);
	mem = anon_map(len, PROT_READ | PROT_WRITE);
	fill(mem, len, 11);
	h = acts_bo_create_userptr(dev, mem, len);
	ctx = acts_ctx_create(dev);

	if (acts_has_engine(dev, ACTS_ENGINE_COPY)) {
		/* CPU -> device: the copy engine reads the user memory into a BO. */
		struct acts_cmd copy = { .op = ACTS_CMD_COPY, .src = 0, .bo = 1, .size = len };
		uint32_t bos[2] = { h, acts_bo_create(dev, len) };
		struct acts_fence out = acts_submit_simple(dev, ctx, ACTS_ENGINE_COPY, &copy, 1,
							   bos, 2);
		void *p;

		acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
		acts_fence_release(dev, &out);
		p = acts_bo_mmap(dev, bos[1], len);
		check(p, len, 11);
		munmap(p, len);
		acts_gem_close(dev, bos[1]);
	}

	/* Device -> CPU: a FILL of the second page lands in the user memory, only there. */
	{
		enum acts_engine e = acts_has_engine(dev, ACTS_ENGINE_COMPUTE) ?
				     ACTS_ENGINE_COMPUTE : ACTS_ENGINE_COPY;
		struct acts_cmd cmd = { .op = ACTS_CMD_FILL, .offset = page(), .size = page(),
					.value = 0x600dcafe };
		struct acts_fence out;

		acts_require_engine(dev, e);
		out = acts_submit_simple(dev, ctx, e, &cmd, 1, &h, 1);
		acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
		acts_fence_release(dev, &out);
		for (i = 0; i < len; i++) {
			uint8_t want = pattern(i, 11);

			if (i >= page() && i < 2 * page())
				want = (uint8_t)(0x600dcafe >> (8 * (i % 4)));
			if (mem[i] != want)
				acts_fail("byte %zu of the user memory is %#x, expected %#x", i,
					  mem[i], want);
		}
	}
	acts_ctx_destroy(dev, ctx);
	acts_gem_close(dev, h);
	acts_assert_syscall(munmap(mem, len));
}

ACTS_SUBTEST(userptr_charge_release, "MEM-USERPTR-2",
	     "a userptr BO is charged its size until closed, and closing gives the memory back intact")
{
	size_t len = 8 * page();
	uint64_t used0;
	uint8_t *mem;
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	acts_require_query(dev, ACTS_Q_MEM_USED);
	used0 = acts_query(dev, ACTS_Q_MEM_USED);
	mem = anon_map(len, PROT_READ | PROT_WRITE);
	fill(mem, len, 3);
	h = acts_bo_create_userptr(dev, mem, len);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + len);
	acts_gem_close(dev, h);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
	/* Unpinned and the process's again: intact, writable, made a BO again, unmappable. */
	check(mem, len, 3);
	fill(mem, len, 4);
	check(mem, len, 4);
	h = acts_bo_create_userptr(dev, mem, len);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0 + len);
	acts_gem_close(dev, h);
	acts_assert_eq_u64(acts_query(dev, ACTS_Q_MEM_USED), used0);
	check(mem, len, 4);
	acts_assert_syscall(munmap(mem, len));
}

ACTS_SUBTEST(userptr_budget_full, "MEM-USERPTR-2",
	     "a userptr BO the free device memory cannot hold fails with ENOSPC or ENOMEM, charging nothing")
{
	uint64_t size, max, used, free_mem;
	uint32_t held[64];
	unsigned int n = 0;
	uint8_t *mem;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	size = acts_require_query(dev, ACTS_Q_MEM_SIZE);
	max = acts_require_query(dev, ACTS_Q_MAX_BO_SIZE);
	mem = anon_map(page(), PROT_READ | PROT_WRITE);
	/* Use up the budget with BOs nobody touches (they cost no pages). */
	for (;;) {
		struct acts_bo_create c;

		used = acts_query(dev, ACTS_Q_MEM_USED);
		free_mem = (size - used) / page() * page();
		if (!free_mem)
			break;
		if (n == sizeof(held) / sizeof(held[0]))
			acts_skip("the device memory takes more than %u BOs to fill", n);
		c = (struct acts_bo_create){ .size = free_mem < max ? free_mem : max / page() * page() };
		acts_assert_ok(__acts_bo_create(dev, &c));
		held[n++] = c.handle;
	}
	assert_userptr_refused(dev, mem, page(), 0, 0, -ENOSPC, -ENOMEM);
	while (n)
		acts_gem_close(dev, held[--n]);
	/* With room again, the same memory is accepted. */
	acts_gem_close(dev, acts_bo_create_userptr(dev, mem, page()));
	acts_assert_syscall(munmap(mem, page()));
}

ACTS_SUBTEST(userptr_bad_args, "MEM-USERPTR-3",
	     "zero, unaligned, wrapping and out-of-space ranges, padding and undefined flags are refused, charging nothing")
{
	size_t len = 4 * page();
	uint8_t *mem;
	int bit;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	mem = anon_map(len, PROT_READ | PROT_WRITE);
	assert_userptr_refused(dev, mem, 0, 0, 0, -EINVAL);
	assert_userptr_refused(dev, mem + 1, page(), 0, 0, -EINVAL);
	assert_userptr_refused(dev, mem + page() / 2, page(), 0, 0, -EINVAL);
	assert_userptr_refused(dev, mem, page() + 1, 0, 0, -EINVAL);
	assert_userptr_refused(dev, mem, page() - 1, 0, 0, -EINVAL);
	if (acts_has_cap(dev, ACTS_CAP_PAD_FIELDS))
		assert_userptr_refused(dev, mem, page(), 0, 1, -EINVAL);
	for (bit = 0; bit < 64; bit++)
		if (!(dev->be->userptr_flags & (1ull << bit)))
			assert_userptr_refused(dev, mem, page(), 1ull << bit, 0, -EINVAL);
	/* The last page of the 64-bit space plus one: the range wraps. */
	assert_userptr_refused(dev, (uintptr_t)-page(), 2 * page(), 0, 0, -EFAULT, -EINVAL);
	/* Past any user address space (47 or 56 bits of it). */
	assert_userptr_refused(dev, (uintptr_t)1 << 62, page(), 0, 0, -EFAULT, -EINVAL);
	/* None of it touched the memory, which still makes a BO. */
	acts_gem_close(dev, acts_bo_create_userptr(dev, mem, len));
	acts_assert_syscall(munmap(mem, len));
}

/* A directory on a filesystem with writeback (not tmpfs or ramfs), or NULL. */
static const char *writeback_dir(void)
{
	const char *dirs[] = { getenv("ACCEL_CTS_SCRATCH"), getenv("ACCEL_CTS_WRITEBACK_DIR"),
			       "/var/tmp" };
	unsigned int i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct statfs st;

		if (!dirs[i] || statfs(dirs[i], &st) || access(dirs[i], W_OK))
			continue;
		if (st.f_type == TMPFS_MAGIC || st.f_type == RAMFS_MAGIC ||
		    st.f_type == V9FS_MAGIC)
			continue;
		return dirs[i];
	}
	return NULL;
}

ACTS_SUBTEST(userptr_unpinnable_memory, "MEM-USERPTR-4",
	     "unmapped, read-only, file-backed and BO-mapping ranges are refused, charging nothing and leaving the memory")
{
	size_t len = 3 * page(), i;
	uint8_t *mem;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	acts_dynamic("unmapped") {
		mem = anon_map(len, PROT_READ | PROT_WRITE);
		fill(mem, len, 5);
		/* A hole in the middle of the range. */
		acts_assert_syscall(munmap(mem + page(), page()));
		assert_userptr_refused(dev, mem, len, 0, 0, -EFAULT);
		/* The pages either side of the hole are as the CPU wrote them. */
		for (i = 0; i < len; i++)
			if ((i < page() || i >= 2 * page()) && mem[i] != pattern(i, 5))
				acts_fail("byte %zu of the user memory is %#x, expected %#x", i,
					  mem[i], pattern(i, 5));
		munmap(mem, page());
		munmap(mem + 2 * page(), page());
	}
	acts_dynamic("read-only") {
		mem = anon_map(len, PROT_READ);
		assert_userptr_refused(dev, mem, len, 0, 0, -EFAULT);
		/* And a range only partly read-only. */
		acts_assert_syscall(mprotect(mem, page(), PROT_READ | PROT_WRITE));
		assert_userptr_refused(dev, mem, len, 0, 0, -EFAULT);
		munmap(mem, len);
	}
	acts_dynamic("bo-mapping") {
		uint32_t h;
		void *p;

		acts_require_cap(dev, ACTS_CAP_GEM_MMAP);
		h = acts_bo_create(dev, len);
		p = acts_bo_mmap(dev, h, len);
		fill(p, len, 6);
		assert_userptr_refused(dev, p, len, 0, 0, -EFAULT, -EOPNOTSUPP);
		check(p, len, 6);
		munmap(p, len);
		acts_gem_close(dev, h);
	}
	acts_dynamic("file-writeback") {
		const char *dir = writeback_dir();
		char path[512];
		int fd;

		if (!dir)
			acts_skip("no writable filesystem with writeback (set ACCEL_CTS_SCRATCH)");
		snprintf(path, sizeof(path), "%s/acts-userptr-XXXXXX", dir);
		fd = mkstemp(path);
		acts_assert_syscall(fd);
		unlink(path);
		acts_assert_syscall(ftruncate(fd, (off_t)len));
		mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		acts_assert(mem != MAP_FAILED);
		fill(mem, len, 8);
		assert_userptr_refused(dev, mem, len, 0, 0, -EFAULT, -EOPNOTSUPP);
		check(mem, len, 8);
		munmap(mem, len);
		close(fd);
	}
}

ACTS_SUBTEST(userptr_failed_outputs_untouched, "CORE-OUTPUT-1 MEM-USERPTR-5",
	     "a refused userptr create leaves its handle as the caller set it")
{
	struct {
		const char *what;
		uint64_t off, size, flags;
		uint32_t pad;
	} cases[] = {
		{ "a zero size", 0, 0, 0, 0 },
		{ "an unaligned address", 1, SZ_64K, 0, 0 },
		{ "an unaligned size", 0, SZ_64K + 1, 0, 0 },
		{ "an undefined flag", 0, SZ_64K, ~dev->be->userptr_flags & -~dev->be->userptr_flags,
		  0 },
		{ "a padding field set", 0, SZ_64K, 0, 1 },
		{ "a read-only range", 0, SZ_64K, 0, 0 },
	};
	uint8_t *mem;
	unsigned int i;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	acts_require_failed_outputs(dev);
	mem = anon_map(SZ_64K + page(), PROT_READ | PROT_WRITE);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct acts_bo_userptr u = {
			.user_ptr = (uintptr_t)mem + cases[i].off, .size = cases[i].size,
			.flags = cases[i].flags, .pad = cases[i].pad, .handle = SENTINEL32,
		};
		int ret;

		if (cases[i].pad && !acts_has_cap(dev, ACTS_CAP_PAD_FIELDS))
			continue;
		if (i == sizeof(cases) / sizeof(cases[0]) - 1)
			acts_assert_syscall(mprotect(mem, SZ_64K, PROT_READ));
		ret = __acts_bo_create_userptr(dev, &u);
		if (!ret)
			acts_fail("%s: the create succeeded", cases[i].what);
		if (u.handle != SENTINEL32)
			acts_fail("%s: failed with %s but wrote handle %#x (was %#x)", cases[i].what,
				  acts_errno_name(ret), u.handle, SENTINEL32);
	}
	munmap(mem, SZ_64K + page());
}

ACTS_SUBTEST(userptr_mmap_export, "MEM-USERPTR-6",
	     "mapping and exporting a userptr BO behave as the driver documents, every time")
{
	size_t len = 2 * page();
	struct acts_bo_info info;
	unsigned int round;
	uint8_t *mem;
	uint32_t h;

	acts_require_cap(dev, ACTS_CAP_USERPTR);
	mem = anon_map(len, PROT_READ | PROT_WRITE);
	fill(mem, len, 12);
	h = acts_bo_create_userptr(dev, mem, len);
	acts_bo_info(dev, h, &info);
	acts_assert_eq_u64(info.size, len);
	for (round = 0; round < 2; round++) {
		void *p = NULL;
		int ret, fd = -1;

		ret = __acts_bo_mmap(dev, h, len, 0, &p);
		if (dev->be->userptr_mmap) {
			acts_assert_ok(ret);
			check(p, len, 12);
			munmap(p, len);
		} else {
			if (!ret)
				munmap(p, len);
			acts_assert_err(ret, -EINVAL, -EACCES, -ENODEV);
		}
		if (!acts_has_cap(dev, ACTS_CAP_PRIME))
			continue;
		ret = __acts_prime_export(dev, h, &fd);
		if (dev->be->userptr_export) {
			acts_assert_ok(ret);
			acts_assert_eq_u64((uint64_t)lseek(fd, 0, SEEK_END), len);
			close(fd);
		} else {
			if (!ret)
				close(fd);
			acts_assert_err(ret, -EOPNOTSUPP, -EINVAL);
		}
	}
	acts_gem_close(dev, h);
	check(mem, len, 12);
	munmap(mem, len);
}

ACTS_MAIN()
