// SPDX-License-Identifier: MIT
/*
 * accel_isolation, mmap offsets: GEM drivers hand out fake mmap offsets
 * from the DRM core's vma offset manager, one range per device shared by
 * every file (include/drm/drm_vma_manager.h: from page
 * DRM_FILE_PAGE_OFFSET_START, DRM_FILE_PAGE_OFFSET_SIZE pages; 4 GiB and
 * 1 TiB on 64-bit with 4 KiB pages). Offsets are therefore guessable; what
 * isolates is the per-file permission the core checks at mmap. A tenant
 * maps every page of the part of the range any tenant's live BOs can
 * occupy (the range is allocated bottom up: from its start to past the
 * device's memory), and one page in every 4096 of the rest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_test.h"
#include "iso.h"

#define NBOS		16
#define SPARSE_STRIDE	4096u	/* pages between probes beyond the dense part */

struct victim {
	struct acts_buf bo[NBOS];
	uint64_t end;		/* byte offset past the highest BO */
};

static void victim_make(struct acts_dev *dev, struct victim *v)
{
	int i;

	v->end = 0;
	for (i = 0; i < NBOS; i++) {
		struct acts_bo_info info;

		v->bo[i] = iso_secret_buf(dev, i == NBOS - 1 ? SZ_1M : SZ_64K, (uint32_t)i);
		acts_bo_info(dev, v->bo[i].handle, &info);
		if (info.mmap_offset + info.size > v->end)
			v->end = info.mmap_offset + info.size;
	}
}

static void victim_check(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	for (i = 0; i < NBOS; i++) {
		acts_buf_expect_u32(&v->bo[i], 0, v->bo[i].size, ISO_SENTINEL ^ (uint32_t)i);
		acts_buf_free(&v->bo[i]);
	}
}

static void probe(struct acts_dev *a, struct iso_tally *t, uint64_t off, long page)
{
	void *p = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, a->fd, (off_t)off);

	if (p == MAP_FAILED) {
		iso_tally(t, off, -errno);
		return;
	}
	iso_tally(t, off, 0);
	if (iso_has_secret(p, (uint64_t)page, NBOS) && t->wrong <= 4)
		__acts_fail_later(__FILE__, __LINE__,
				  "offset %#llx mapped another tenant's secret",
				  (unsigned long long)off);
	munmap(p, (size_t)page);
}

/*
 * The probes are independent, and each is a system call that emulation makes
 * slow: two processes share them, alternately, so that a guest with two
 * CPUs sweeps in half the time. The second is a fork of the first, prober
 * of the same file; its tally comes back through a pipe.
 */
struct prober {
	int half;		/* 0: the caller, 1: its fork */
	unsigned long n;	/* offsets gone through */
};

static void take(struct acts_dev *a, struct iso_tally *t, struct prober *p, uint64_t off,
		 long page)
{
	if (p->n++ % 2 == (unsigned long)p->half)
		probe(a, t, off, page);
}

/*
 * From a file with no BO: every page from the manager's start up to
 * dense_end, then every SPARSE_STRIDE-th page to the manager's end, and
 * the pages below its start at every power of two.
 */
static void sweep(struct acts_dev *a, uint64_t dense_end)
{
	struct iso_tally t = ISO_TALLY("ISO-OFFSET-1", "mmap");
	long page = sysconf(_SC_PAGESIZE);
	uint64_t start = ((0xffffffffull / (uint64_t)page) + 1) * (uint64_t)page;
	uint64_t end = start + (0xffffffffull / (uint64_t)page) * 256 * (uint64_t)page;
	uint64_t off, dense = 0;
	unsigned long theirs[2] = { 0, 0 };	/* the fork's tried and wrong */
	struct prober p = { 0 };
	int pfd[2];
	bool fork_reported;
	pid_t pid;

	if (pipe(pfd))
		acts_fail("pipe: %s", acts_errno_name(-errno));
	pid = fork();
	if (pid < 0)
		acts_fail("fork: %s", acts_errno_name(-errno));
	p.half = pid == 0;

	for (off = (uint64_t)page; off < start; off *= 2)
		take(a, &t, &p, off, page);
	take(a, &t, &p, 0, page);
	for (off = start; off < end; ) {
		take(a, &t, &p, off, page);
		if (off < dense_end) {
			off += (uint64_t)page;
			dense++;
		} else {
			off += (uint64_t)page * SPARSE_STRIDE;
		}
	}
	if (pid == 0) {
		unsigned long mine[2] = { t.tried, t.wrong };

		_exit(write(pfd[1], mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
	}
	close(pfd[1]);
	fork_reported = read(pfd[0], theirs, sizeof(theirs)) == sizeof(theirs);
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	acts_assert(fork_reported);	/* else it died: its reason is above */
	t.tried += theirs[0];
	t.wrong += theirs[1];
	if (theirs[1])
		__acts_fail_later(__FILE__, __LINE__,
				  "%lu of the second prober's guesses were answered otherwise (above)",
				  theirs[1]);
	acts_info("offsets %#llx-%#llx: every page up to %#llx (%llu), then one in %u\n",
		  (unsigned long long)start, (unsigned long long)end,
		  (unsigned long long)dense_end, (unsigned long long)dense, SPARSE_STRIDE);
	iso_tally_report(&t);
}

/* Past the owner's highest BO by the device's memory (or 256 MiB when unreported). */
static uint64_t dense_end(struct acts_dev *dev, const struct victim *v)
{
	uint64_t mem = 256ull << 20;

	__acts_query(dev, ACTS_Q_MEM_SIZE, &mem);
	return v->end + mem;
}

/* The victim's BOs; the sweep goes to dense_end(). */
static uint64_t victim_make_bound(struct acts_dev *dev, void *arg)
{
	victim_make(dev, arg);
	return dense_end(dev, arg);
}

static struct victim victim;
static const struct iso_sweep guesses = {
	.victim = &victim, .make = victim_make_bound, .sweep = sweep, .check = victim_check,
};

ACTS_SUBTEST(mmap_offsets_other_file, "ISO-OFFSET-1 MEM-HANDLE-2",
	     "another open file mapping every page of the offset range a device's BOs use maps none")
{
	acts_require_cap(dev, ACTS_CAP_GEM_MMAP);
	iso_sweep_other_file(dev, &guesses);
}

ACTS_SUBTEST(mmap_offsets_other_process, "ISO-OFFSET-1 MEM-HANDLE-2",
	     "another process mapping every page of the offset range a device's BOs use maps none")
{
	acts_require_cap(dev, ACTS_CAP_GEM_MMAP);
	iso_sweep_other_process(dev, &guesses);
}
