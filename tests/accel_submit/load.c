// SPDX-License-Identifier: MIT
/*
 * accel_submit, load and teardown: many jobs, contexts and clients at
 * once, files closed and processes gone with jobs in flight, fdinfo engine
 * time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_gem.h"
#include "acts_profile.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"
#include "submit_util.h"

ACTS_SUBTEST(many_in_flight, "SUB-LOAD-1",
	     "256 jobs in flight on one context all run, checked")
{
	enum { N = 256 };
	struct acts_buf b;
	struct acts_job job = { .engine = ACTS_ENGINE_COMPUTE, .ncmds = 1, .nbos = 1 };
	int i;

	acts_require_submit(dev);
	b = acts_buf_new(dev, N * 256, BG);
	job.ctx = acts_ctx_create(dev);
	job.bos = &b.handle;
	for (i = 0; i < N; i++) {
		struct acts_cmd fill = {
			.op = ACTS_CMD_FILL, .offset = (uint64_t)i * 256, .size = 256, .value = i,
		};

		job.cmds = &fill;
		acts_fence_release(dev, &job.fence);
		acts_submit(dev, &job);
	}
	acts_assert_eq(acts_fence_wait_status(dev, &job.fence), 1);
	for (i = 0; i < N; i++)
		acts_buf_assert_u32(&b, (uint64_t)i * 256, 256, (uint32_t)i);
}

/* One client: its own file, context and BO; 32 jobs checked. Returns 0 if right. */
static int client(const char *path, int id)
{
	struct acts_dev *dev = acts_dev_open(path);
	struct acts_buf b;
	struct acts_fence out = { 0 };
	uint32_t ctx;
	int i;

	if (!dev)
		return 1;
	b = acts_buf_new(dev, 32 * SZ_4K, BG);
	ctx = acts_ctx_create(dev);
	for (i = 0; i < 32; i++) {
		struct acts_cmd fill = {
			.op = ACTS_CMD_FILL, .offset = (uint64_t)i * SZ_4K, .size = SZ_4K,
			.value = ((uint32_t)id << 16) | i,
		};

		out = acts_submit_simple(dev, ctx, i % 2 ? ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE,
					 &fill, 1, &b.handle, 1);
	}
	if (acts_fence_wait_status(dev, &out) != 1)
		return 1;
	for (i = 0; i < 32; i++)
		acts_buf_assert_u32(&b, (uint64_t)i * SZ_4K, SZ_4K, ((uint32_t)id << 16) | i);
	acts_dev_close(dev);
	return 0;
}

ACTS_SUBTEST(many_clients, "SUB-LOAD-2",
	     "8 processes submit 32 checked jobs each on both engines at once")
{
	enum { N = 8 };
	pid_t pid[N];
	int i, status;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	for (i = 0; i < N; i++) {
		pid[i] = fork();
		acts_assert(pid[i] >= 0);
		if (!pid[i])
			_exit(client(dev->path, i + 1));
	}
	for (i = 0; i < N; i++) {
		acts_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			acts_fail("client %d of %d failed (status %#x)", i + 1, N, status);
	}
}


/*
 * Jobs held back by the test are queued on a second file (or one of its
 * contexts); then that file is closed (or the context destroyed) and the
 * test lets the jobs go. Each of their fences must signal, success or
 * error, and everything they held must be freed.
 */
static void abandon_jobs(struct acts_dev *dev, bool destroy_ctx_only)
{
	enum { N = 16 };
	struct acts_ufence uf;
	struct acts_dev *other;
	struct acts_sync in;
	uint64_t base = 0, engines = 1u << ACTS_ENGINE_COMPUTE;
	int fds[N], i;
	uint32_t ctx, h;

	acts_require_job_syncobjs(dev);
	if (destroy_ctx_only)
		acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_ufence(&uf);
	__acts_query(dev, ACTS_Q_ENGINES, &engines);
	mem_used(dev, &base);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(other, &uf) };
	ctx = acts_ctx_create(other);
	h = acts_bo_create(other, SZ_1M);
	for (i = 0; i < N; i++) {
		struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_1M, .value = i };
		struct acts_job job = {
			.ctx = ctx, .engine = i % 2 ? ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE,
			.cmds = &fill, .ncmds = 1, .bos = &h, .nbos = 1, .in = &in, .nin = 1,
		};

		if (!(engines & (1u << job.engine)))
			job.engine = ACTS_ENGINE_COMPUTE;
		job.out.handle = acts_syncobj_create(other, false);
		acts_submit(other, &job);
		acts_assert_syscall(drmSyncobjExportSyncFile(other->fd, job.out.handle, &fds[i]));
	}

	if (destroy_ctx_only)
		acts_ctx_destroy(other, ctx);
	else
		acts_dev_close(other);
	acts_ufence_signal(&uf);

	for (i = 0; i < N; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		if (poll(&p, 1, (int)acts_fence_timeout_ms()) != 1)
			acts_fail("the fence of abandoned job %d never signalled", i);
		close(fds[i]);
	}
	if (destroy_ctx_only)
		acts_dev_close(other);
	expect_mem_back(dev, base);
	acts_ufence_destroy(&uf);
	expect_nop_runs(dev);
}

ACTS_SUBTEST(close_with_jobs_in_flight, "SUB-CLOSE-1 FENCE-NEVERLOST-1",
	     "closing a file with blocked jobs: every fence signals and memory is freed")
{
	abandon_jobs(dev, false);
}

ACTS_SUBTEST(ctx_destroy_with_jobs_in_flight, "SUB-CLOSE-1 FENCE-NEVERLOST-1",
	     "destroying a context with blocked jobs: every fence signals and memory is freed")
{
	abandon_jobs(dev, true);
}

ACTS_SUBTEST(client_exit_with_jobs_in_flight, "SUB-CLOSE-1",
	     "a process exiting with 64 jobs queued leaves no memory behind")
{
	uint64_t base = 0;
	pid_t pid;
	int status;

	acts_require_submit(dev);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	mem_used(dev, &base);
	pid = fork();
	acts_assert(pid >= 0);
	if (!pid) {
		struct acts_dev *d = acts_dev_open(dev->path);
		uint32_t ctx = acts_ctx_create(d), h = acts_bo_create(d, 4 * SZ_1M);
		int i;

		for (i = 0; i < 64; i++) {
			struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = 4 * SZ_1M, .value = i };
			struct acts_job job = {
				.ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &fill,
				.ncmds = 1, .bos = &h, .nbos = 1,
			};

			acts_submit(d, &job);
		}
		_exit(0);	/* no close, no wait: the kernel cleans up */
	}
	acts_assert_eq(waitpid(pid, &status, 0), pid);
	acts_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	expect_mem_back(dev, base);
	expect_nop_runs(dev);
}

ACTS_SUBTEST(fdinfo_engine_busy, "SUB-FDINFO-1",
	     "fdinfo drm-engine-* time grows with the file's own jobs only")
{
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = 8 * SZ_1M, .value = 7 };
	uint64_t c0, c1, k0, k1;
	struct acts_fence out;
	uint32_t h;

	acts_require_submit(dev);
	acts_require(!acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COMPUTE, &c0),
		     "no drm-engine-* key in fdinfo");
	acts_assert_eq_u64(c0, 0);
	h = acts_bo_create(dev, 8 * SZ_1M);
	out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &fill, 1, &h, 1);
	acts_fence_wait(dev, &out);
	acts_assert_ok(acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COMPUTE, &c1));
	acts_assert_gt(c1, c0);

	/* Another engine's time did not move, and another file saw none. */
	if (!acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COPY, &k0)) {
		struct acts_cmd copy = { .op = ACTS_CMD_COPY, .src = 0, .bo = 0,
					 .src_offset = 0, .offset = 4 * SZ_1M, .size = 4 * SZ_1M };
		uint64_t c2, k2;

		acts_assert_eq_u64(k0, 0);
		/* And the copy engine's jobs count there, not on the compute engine. */
		out = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COPY, &copy, 1, &h, 1);
		acts_fence_wait(dev, &out);
		acts_assert_ok(acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COPY, &k2));
		acts_assert_ok(acts_fdinfo_engine_ns(dev, ACTS_ENGINE_COMPUTE, &c2));
		acts_assert_gt(k2, 0);
		acts_assert_eq_u64(c2, c1);
	}
	if (acts_has_cap(dev, ACTS_CAP_MULTI_OPEN)) {
		struct acts_dev *other = acts_dev_reopen(dev);

		acts_assert_ok(acts_fdinfo_engine_ns(other, ACTS_ENGINE_COMPUTE, &k1));
		acts_assert_eq_u64(k1, 0);
		acts_dev_close(other);
	}
}
