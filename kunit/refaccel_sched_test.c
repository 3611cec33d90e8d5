// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The accel-cts authors
 *
 * KUnit suite refaccel_sched: jobs submitted through the driver's own
 * submission path on a device made by the test, run by the real drm_sched
 * and the engine workers until their fences signal; failed, hung and
 * refused jobs on the way.
 */

#include <kunit/test.h>
#include <linux/devcoredump.h>
#include <linux/dma-fence.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/gpu_scheduler.h>

#include <uapi/drm/refaccel_accel.h>

#include "refaccel_ctx.h"
#include "refaccel_drv.h"
#include "refaccel_engine.h"
#include "refaccel_job.h"
#include "refaccel_kunit.h"

struct sched_fx {
	struct kunit *test;
	struct refaccel_device *rdev;
	struct drm_file *file;
	unsigned long ucmds;	/* a user page for command buffers */
};

static void sched_fx_close(void *fx_ptr)
{
	struct sched_fx *fx = fx_ptr;

	refaccel_postclose(&fx->rdev->drm, fx->file);
}

/* The fixture lives as long as the test's resources, past the test function. */
static struct sched_fx *sched_fx_init(struct kunit *test, unsigned int timeout_ms)
{
	struct sched_fx *fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, fx);
	fx->test = test;
	fx->rdev = refaccel_kunit_device(test, SZ_16M, timeout_ms);
	/* The submission path only needs the driver's per-file state. */
	fx->file = kunit_kzalloc(test, sizeof(*fx->file), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx->file);
	KUNIT_ASSERT_EQ(test, refaccel_open(&fx->rdev->drm, fx->file), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sched_fx_close, fx), 0);
	fx->ucmds = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, fx->ucmds, 0, "no user memory for command buffers");
	return fx;
}

static u32 ctx_create(struct sched_fx *fx)
{
	struct drm_refaccel_ctx_create args = { .priority = REFACCEL_PRIORITY_NORMAL };

	KUNIT_ASSERT_EQ(fx->test, refaccel_ctx_create_ioctl(&fx->rdev->drm, &args, fx->file), 0);
	return args.ctx_id;
}

/* Submit one command; on success *done holds the job's finished fence. */
static int submit(struct sched_fx *fx, u32 ctx, const void *cmd, u32 size,
		  struct dma_fence **done, u64 *seqno)
{
	struct drm_refaccel_submit args = {
		.cmds = fx->ucmds, .cmds_size = size, .ctx_id = ctx,
		.engine = REFACCEL_ENGINE_COMPUTE,
	};
	int ret;

	KUNIT_ASSERT_EQ(fx->test, copy_to_user((void __user *)fx->ucmds, cmd, size), 0);
	*done = NULL;
	ret = refaccel_submit(&fx->rdev->drm, &args, fx->file, done);
	if (seqno)
		*seqno = args.seqno;
	return ret;
}

/* Wait for a fence and return its error (0 for success), then drop it. */
static int wait_error(struct sched_fx *fx, struct dma_fence *fence)
{
	long left = dma_fence_wait_timeout(fence, false, 10 * HZ);
	int error = fence->error;

	dma_fence_put(fence);
	KUNIT_ASSERT_GT_MSG(fx->test, left, 0, "the job's fence did not signal within 10 s");
	return error;
}

static const struct drm_refaccel_cmd_header nop = { REFACCEL_CMD_NOP, 8 };

/* Passes when two NOP jobs signal without error, with consecutive seqnos. */
static void refaccel_sched_nop_jobs(struct kunit *test)
{
	struct dma_fence *f1, *f2;
	struct sched_fx *fx;
	u64 s1, s2;
	u32 ctx;

	fx = sched_fx_init(test, 2000);
	ctx = ctx_create(fx);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f1, &s1), 0);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f2, &s2), 0);
	KUNIT_EXPECT_EQ(test, s2, s1 + 1);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f2), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f1), 0);
}

/*
 * Passes when a NOP submitted to an idle engine has run by the time its
 * submission returns: its fence is the engine's own, already signalled,
 * and the file's in-flight slot is back.
 */
static void refaccel_sched_direct_job(struct kunit *test)
{
	struct refaccel_file *rfile;
	struct dma_fence *f;
	struct sched_fx *fx;
	u64 s1, s2;
	u32 ctx;

	fx = sched_fx_init(test, 2000);
	rfile = fx->file->driver_priv;
	ctx = ctx_create(fx);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, &s1), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(f));
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(f));
	KUNIT_EXPECT_EQ(test, atomic_read(&rfile->jobs_in_flight), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, &s2), 0);
	KUNIT_EXPECT_EQ(test, s2, s1 + 1);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
}

/*
 * Passes when a NOP submitted while a hung job of another context holds
 * the engine goes through the scheduler, with the seqno that follows its
 * context's direct job, and ends without error once the reset took the
 * hung job off; then the engine serves direct jobs again.
 */
static void refaccel_sched_direct_waits_for_engine(struct kunit *test)
{
	struct refaccel_faults *faults;
	struct dma_fence *hung, *f;
	struct sched_fx *fx;
	u32 ctx, other;
	u64 s1, s2;

	fx = sched_fx_init(test, 100);
	faults = &fx->rdev->faults;
	ctx = ctx_create(fx);
	other = ctx_create(fx);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, &s1), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);

	atomic_set(&faults->hang_job, 1);
	KUNIT_ASSERT_EQ(test, submit(fx, other, &nop, sizeof(nop), &hung, NULL), 0);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, &s2), 0);
	KUNIT_EXPECT_EQ(test, s2, s1 + 1);
	KUNIT_EXPECT_NOT_NULL(test, to_drm_sched_fence(f));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f));
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, hung), -ETIMEDOUT);

	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(f));
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	flush_work(&fx->rdev->engines[REFACCEL_ENGINE_COMPUTE].dump.work);
	dev_coredump_put(fx->rdev->drm.dev);
}

/*
 * Passes when a job failed by the fail_job fault signals -EIO and counts
 * one failure, and the context's next job succeeds.
 */
static void refaccel_sched_failed_job(struct kunit *test)
{
	struct refaccel_faults *faults;
	struct dma_fence *f;
	struct sched_fx *fx;
	u32 ctx;

	fx = sched_fx_init(test, 2000);
	faults = &fx->rdev->faults;
	ctx = ctx_create(fx);
	atomic_set(&faults->fail_job, 1);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), -EIO);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->job_failures), 1);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->banned_contexts), 0);
}

/*
 * Passes when a hung job is timed out by drm_sched and signals an error,
 * the engine is reset, its context is banned (new submissions get
 * -ECANCELED) and a new context runs jobs again.
 */
static void refaccel_sched_hung_job(struct kunit *test)
{
	struct refaccel_faults *faults;
	struct dma_fence *f;
	struct sched_fx *fx;
	u32 ctx;

	fx = sched_fx_init(test, 100);
	faults = &fx->rdev->faults;
	ctx = ctx_create(fx);
	atomic_set(&faults->hang_job, 1);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->hangs), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->resets), 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&faults->banned_contexts), 1);
	KUNIT_EXPECT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), -ECANCELED);

	ctx = ctx_create(fx);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	/* The dump is handed over by a worker after the hung job's fence. */
	flush_work(&fx->rdev->engines[REFACCEL_ENGINE_COMPUTE].dump.work);
	dev_coredump_put(fx->rdev->drm.dev);
}

/* Passes when a malformed command is refused before drm_sched sees a job. */
static void refaccel_sched_refused_job(struct kunit *test)
{
	static const struct drm_refaccel_cmd_header bad = { 0x1000, 8 };
	struct dma_fence *f;
	struct sched_fx *fx;
	u32 ctx;

	fx = sched_fx_init(test, 2000);
	ctx = ctx_create(fx);
	KUNIT_EXPECT_EQ(test, submit(fx, ctx, &bad, sizeof(bad), &f, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->rdev->jobs_alive), 0);
	KUNIT_EXPECT_EQ(test, submit(fx, ctx + 1, &nop, sizeof(nop), &f, NULL), -ENOENT);
}

/*
 * Passes when a file gets exactly REFACCEL_MAX_QUEUED_JOBS jobs in flight
 * (held behind a hung one) and -EBUSY for the next, with no job made; and
 * when, after a reset ends the hang, every fence signals and the file can
 * submit again.
 */
static void refaccel_sched_queue_bound(struct kunit *test)
{
	struct refaccel_file *rfile;
	struct dma_fence **fences, *f;
	struct sched_fx *fx;
	int alive, i;
	u32 ctx;

	fx = sched_fx_init(test, 60000);
	rfile = fx->file->driver_priv;
	fences = kunit_kcalloc(test, REFACCEL_MAX_QUEUED_JOBS, sizeof(*fences), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fences);
	ctx = ctx_create(fx);
	atomic_set(&fx->rdev->faults.hang_job, 1);
	for (i = 0; i < REFACCEL_MAX_QUEUED_JOBS; i++)
		KUNIT_ASSERT_EQ_MSG(test, submit(fx, ctx, &nop, sizeof(nop), &fences[i], NULL), 0,
				    "job %d of %d refused", i, REFACCEL_MAX_QUEUED_JOBS);
	KUNIT_EXPECT_EQ(test, atomic_read(&rfile->jobs_in_flight), REFACCEL_MAX_QUEUED_JOBS);
	alive = atomic_read(&fx->rdev->jobs_alive);
	KUNIT_EXPECT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), -EBUSY);
	KUNIT_EXPECT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->rdev->jobs_alive), alive);
	/* The bound is per file, not per context. */
	KUNIT_EXPECT_EQ(test, submit(fx, ctx_create(fx), &nop, sizeof(nop), &f, NULL), -EBUSY);

	/*
	 * The reset must find the hung job on the engine: run_job may not have
	 * run yet (the scheduler's work item shares the CPU with this thread).
	 */
	KUNIT_ASSERT_GT_MSG(test, dma_fence_wait_timeout(&to_drm_sched_fence(fences[0])->scheduled,
							 false, 10 * HZ), 0,
			    "the first job did not start within 10 s");
	refaccel_engine_request_reset(&fx->rdev->engines[REFACCEL_ENGINE_COMPUTE]);
	flush_workqueue(fx->rdev->reset_wq);
	KUNIT_EXPECT_EQ(test, wait_error(fx, fences[0]), -ETIMEDOUT);
	for (i = 1; i < REFACCEL_MAX_QUEUED_JOBS; i++)
		KUNIT_EXPECT_LT(test, wait_error(fx, fences[i]), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&rfile->jobs_in_flight), 0);

	ctx = ctx_create(fx);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx, &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
	flush_work(&fx->rdev->engines[REFACCEL_ENGINE_COMPUTE].dump.work);
	dev_coredump_put(fx->rdev->drm.dev);
}

/*
 * Passes when contexts destroyed right after their jobs were queued leave
 * no fence unsignalled and no job in flight, 64 times over, and the
 * device still runs jobs.
 */
static void refaccel_sched_destroy_with_jobs_queued(struct kunit *test)
{
	struct drm_refaccel_ctx_destroy destroy = {};
	struct dma_fence *fences[4], *f;
	struct refaccel_file *rfile;
	struct sched_fx *fx;
	int round, i;

	fx = sched_fx_init(test, 2000);
	rfile = fx->file->driver_priv;
	for (round = 0; round < 64; round++) {
		destroy.ctx_id = ctx_create(fx);
		for (i = 0; i < ARRAY_SIZE(fences); i++)
			KUNIT_ASSERT_EQ(test, submit(fx, destroy.ctx_id, &nop, sizeof(nop),
						     &fences[i], NULL), 0);
		KUNIT_ASSERT_EQ(test, refaccel_ctx_destroy_ioctl(&fx->rdev->drm, &destroy,
								 fx->file), 0);
		for (i = 0; i < ARRAY_SIZE(fences); i++) {
			int error = wait_error(fx, fences[i]);

			KUNIT_EXPECT_TRUE_MSG(test, error == 0 || error == -ECANCELED ||
					      error == -ESRCH, "round %d job %d: error %d",
					      round, i, error);
		}
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&rfile->jobs_in_flight), 0);
	KUNIT_ASSERT_EQ(test, submit(fx, ctx_create(fx), &nop, sizeof(nop), &f, NULL), 0);
	KUNIT_EXPECT_EQ(test, wait_error(fx, f), 0);
}

static struct kunit_case refaccel_sched_cases[] = {
	KUNIT_CASE(refaccel_sched_queue_bound),
	KUNIT_CASE(refaccel_sched_destroy_with_jobs_queued),
	KUNIT_CASE(refaccel_sched_nop_jobs),
	KUNIT_CASE(refaccel_sched_direct_job),
	KUNIT_CASE_SLOW(refaccel_sched_direct_waits_for_engine),
	KUNIT_CASE(refaccel_sched_failed_job),
	KUNIT_CASE_SLOW(refaccel_sched_hung_job),
	KUNIT_CASE(refaccel_sched_refused_job),
	{}
};

static struct kunit_suite refaccel_sched_suite = {
	.name = "refaccel_sched",
	.test_cases = refaccel_sched_cases,
};

kunit_test_suite(refaccel_sched_suite);
