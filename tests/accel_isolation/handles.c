// SPDX-License-Identifier: MIT
/*
 * accel_isolation, BO handles: a tenant guesses every GEM handle number
 * from 1 to far past another tenant's highest, through every call that
 * takes one (BO info, PRIME export, GEM close, a job's BO list), from
 * another open file and from another process. Every guess is refused, and
 * the owner's BOs keep their size, offset and secret contents.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_submit.h"
#include "acts_test.h"
#include "iso.h"

#define NBOS		32
#define BAD_FILL	0x0badf111u
/* Guesses that also go through a job's BO list (each one a submission). */
#define JOB_SWEEP	256u

struct victim {
	struct acts_buf bo[NBOS];
	struct acts_bo_info info[NBOS];
	bool live[NBOS];
	uint32_t max_handle;
};

/* 32 BOs of secrets; every fourth closed again, leaving holes in the numbers. */
static uint64_t victim_make(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	v->max_handle = 0;
	for (i = 0; i < NBOS; i++) {
		v->bo[i] = iso_secret_buf(dev, SZ_64K, (uint32_t)i);
		acts_bo_info(dev, v->bo[i].handle, &v->info[i]);
		v->live[i] = i % 4 != 3;
		if (v->bo[i].handle > v->max_handle)
			v->max_handle = v->bo[i].handle;
	}
	for (i = 0; i < NBOS; i++)
		if (!v->live[i])
			acts_buf_free(&v->bo[i]);
	return v->max_handle;
}

/* The owner's BOs are as they were: same size and offset, every word its secret. */
static void victim_check(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	for (i = 0; i < NBOS; i++) {
		struct acts_bo_info now;

		if (!v->live[i])
			continue;
		acts_assert_ok(__acts_bo_info(dev, v->bo[i].handle, 0, &now));
		acts_expect_eq_u64(now.size, v->info[i].size);
		acts_expect_eq_u64(now.mmap_offset, v->info[i].mmap_offset);
		acts_buf_expect_u32(&v->bo[i], 0, SZ_64K, ISO_SENTINEL ^ (uint32_t)i);
		acts_buf_free(&v->bo[i]);
	}
}

/* A dma-buf the guess exported: does it hold someone's secret? */
static void check_leak(int fd)
{
	void *p = mmap(NULL, SZ_4K, PROT_READ, MAP_SHARED, fd, 0);

	if (p != MAP_FAILED) {
		if (iso_has_secret(p, SZ_4K, NBOS))
			__acts_fail_later(__FILE__, __LINE__,
					  "a dma-buf exported by a guessed handle holds another tenant's data");
		munmap(p, SZ_4K);
	}
	close(fd);
}

/* Every number 1 .. max + ISO_HANDLE_SWEEP and the top ones, on a file that has no BO. */
static void sweep(struct acts_dev *a, uint64_t max)
{
	struct iso_tally info = ISO_TALLY("ISO-HANDLE-1", "info");
	struct iso_tally exp = ISO_TALLY("ISO-HANDLE-1", "export");
	struct iso_tally cls = ISO_TALLY("ISO-HANDLE-1", "close");
	struct iso_tally job = ISO_TALLY("ISO-HANDLE-1", "job");
	bool submit = acts_has_cap(a, ACTS_CAP_SUBMIT);
	uint32_t ctx = submit ? acts_ctx_create(a) : 0;
	uint64_t h, last = (uint64_t)max + ISO_HANDLE_SWEEP;

	for (h = 1; h <= last + ISO_NTOP; h++) {
		uint32_t g = h <= last ? (uint32_t)h : iso_top[h - last - 1];
		struct acts_bo_info bi;
		int fd = -1, ret;

		iso_tally(&info, g, __acts_bo_info(a, g, 0, &bi));
		if (acts_has_cap(a, ACTS_CAP_PRIME)) {
			ret = __acts_prime_export(a, g, &fd);
			iso_tally(&exp, g, ret);
			if (!ret)
				check_leak(fd);
		}
		if (submit && h <= JOB_SWEEP + max) {
			struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = BAD_FILL };
			struct acts_job j = { .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE,
					      .cmds = &fill, .ncmds = 1, .bos = &g, .nbos = 1 };

			ret = __acts_submit(a, &j);
			iso_tally(&job, g, ret);
			if (!ret) {
				acts_fence_wait_status(a, &j.fence);
				acts_fence_release(a, &j.fence);
			}
		}
		/* Last: a close that wrongly succeeded must not hide the other calls. */
		iso_tally(&cls, g, __acts_gem_close(a, g));
	}
	iso_tally_report(&info);
	if (acts_has_cap(a, ACTS_CAP_PRIME))
		iso_tally_report(&exp);
	if (submit)
		iso_tally_report(&job);
	else
		acts_info("no job submission on this device: the job BO list is not guessed\n");
	iso_tally_report(&cls);
	if (submit)
		acts_ctx_destroy(a, ctx);
}

static struct victim victim;
static const struct iso_sweep guesses = {
	.victim = &victim, .make = victim_make, .sweep = sweep, .check = victim_check,
};

ACTS_SUBTEST(bo_handles_other_file, "ISO-HANDLE-1 MEM-HANDLE-1",
	     "another open file guessing every handle number reaches none of this file's BOs")
{
	acts_require_cap(dev, ACTS_CAP_BO);
	iso_sweep_other_file(dev, &guesses);
}

ACTS_SUBTEST(bo_handles_other_process, "ISO-HANDLE-1 MEM-HANDLE-1",
	     "another process guessing every handle number reaches none of this process's BOs")
{
	acts_require_cap(dev, ACTS_CAP_BO);
	iso_sweep_other_process(dev, &guesses);
}
