// SPDX-License-Identifier: MIT
/*
 * accel_isolation, fork(): a child inherits the parent's descriptor, and
 * with it the same open file, so the profile makes it the same client
 * (ISO-FORK-1): the parent's handles, contexts and syncobjs are valid in
 * the child and name the same objects, what the child creates is the
 * parent's too, and a child that exits with jobs in flight closes nothing:
 * its jobs complete (successfully), and everything lives on until the last
 * holder of the file closes it.
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
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "iso.h"

#define CHILD_BO	(4 * SZ_1M)
#define CHILD_JOBS	64

/* What the child leaves to the parent. */
struct legacy {
	uint32_t bo;
	struct acts_fence last;
	bool jobs;
};

static void child(struct acts_dev *dev, int up, const struct acts_buf *secret,
		  const struct acts_bo_info *info, uint32_t ctx, uint32_t sync)
{
	struct legacy l = { .bo = acts_bo_create(dev, CHILD_BO) };
	struct acts_bo_info now;
	uint32_t *p;
	int i;

	/* The parent's BO: the same size and offset, its bytes through a new mapping. */
	acts_assert_ok(__acts_bo_info(dev, secret->handle, 0, &now));
	acts_assert_eq_u64(now.size, info->size);
	acts_assert_eq_u64(now.mmap_offset, info->mmap_offset);
	if (acts_has_cap(dev, ACTS_CAP_GEM_MMAP)) {
		p = acts_bo_mmap(dev, secret->handle, SZ_64K);
		acts_assert(iso_has_secret(p, SZ_64K, 1));
		munmap(p, SZ_64K);
	}
	if (sync)
		acts_assert(acts_syncobj_signalled(dev, sync, 0));
	if (acts_has_cap(dev, ACTS_CAP_SUBMIT)) {
		/* Jobs on the parent's context, still running when the child exits. */
		for (i = 0; i < CHILD_JOBS; i++) {
			struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = CHILD_BO,
						 .value = 0xf0c00000u + i };
			struct acts_job j = { .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE,
					      .cmds = &fill, .ncmds = 1, .bos = &l.bo, .nbos = 1 };

			acts_fence_release(dev, &l.last);
			acts_submit(dev, &j);
			l.last = j.fence;
		}
		l.jobs = true;
	} else if (acts_has_cap(dev, ACTS_CAP_GEM_MMAP)) {
		p = acts_bo_mmap(dev, l.bo, CHILD_BO);
		for (i = 0; i < (int)(CHILD_BO / 4); i++)
			p[i] = 0xf0c00000u + CHILD_JOBS - 1;
		munmap(p, CHILD_BO);
	}
	iso_send(up, &l, sizeof(l));
	_exit(0);	/* no close, no wait */
}

ACTS_SUBTEST(fork_shares_file, "ISO-FORK-1",
	     "a forked child is the same client: it uses the parent's objects, and its exit with jobs in flight loses nothing")
{
	uint32_t ctx = ACTS_CTX_IMPLICIT, sync = 0;
	struct acts_bo_info info;
	struct acts_buf secret, theirs;
	struct legacy l;
	uint64_t base = 0;
	bool counted;
	int up[2], status;
	pid_t pid;

	acts_require_cap(dev, ACTS_CAP_BO);
	secret = iso_secret_buf(dev, SZ_64K, 0);
	acts_bo_info(dev, secret.handle, &info);
	if (acts_has_cap(dev, ACTS_CAP_SUBMIT))
		ctx = acts_ctx_create(dev);
	if (acts_has_cap(dev, ACTS_CAP_SYNCOBJ))
		sync = acts_syncobj_create(dev, true);
	counted = !iso_mem_used(dev, &base);
	acts_assert_syscall(pipe(up));
	fflush(NULL);
	pid = fork();
	acts_assert(pid >= 0);
	if (!pid) {
		close(up[0]);
		child(dev, up[1], &secret, &info, ctx, sync);
	}
	close(up[1]);
	iso_recv(up[0], &l, sizeof(l));
	close(up[0]);
	acts_assert_eq(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		acts_fail("the child failed (status %#x; its messages are above)", status);

	/* The child is gone; its jobs were not cancelled: they ran. */
	if (l.jobs) {
		int s = acts_fence_wait_status(dev, &l.last);

		if (s != 1)
			acts_fail("the last of the child's %d jobs signalled %s after the child exited: "
				  "the file is still open, they must run", CHILD_JOBS,
				  s < 0 ? acts_errno_name(s) : "nothing");
		acts_fence_release(dev, &l.last);
	} else {
		acts_info("no job submission on this device: the child's BO is checked alone\n");
	}
	/* Its BO is the parent's now, holding what the child's last job wrote. */
	theirs = (struct acts_buf){ .dev = dev, .handle = l.bo, .size = CHILD_BO };
	if (acts_has_cap(dev, ACTS_CAP_GEM_MMAP)) {
		theirs.map = acts_bo_mmap(dev, l.bo, CHILD_BO);
		acts_buf_expect_u32(&theirs, 0, CHILD_BO, 0xf0c00000u + CHILD_JOBS - 1);
	}
	if (counted) {
		uint64_t now = 0;

		acts_assert_ok(iso_mem_used(dev, &now));
		acts_expect_eq_u64(now, base + CHILD_BO);
	}
	acts_buf_free(&theirs);
	/* The parent's own objects survived the child. */
	acts_buf_expect_u32(&secret, 0, SZ_64K, ISO_SENTINEL);
	if (sync)
		acts_expect(acts_syncobj_signalled(dev, sync, 0));
	if (acts_has_cap(dev, ACTS_CAP_SUBMIT)) {
		static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
		struct acts_fence f = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &nop, 1,
							 NULL, 0);

		acts_expect_eq(acts_fence_wait_status(dev, &f), 1);
		acts_fence_release(dev, &f);
		acts_ctx_destroy(dev, ctx);
	}
	if (sync)
		acts_syncobj_destroy(dev, sync);
	acts_buf_free(&secret);
}
