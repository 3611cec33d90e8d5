// SPDX-License-Identifier: MIT
/*
 * accel_fence: the profile's fences level. Jobs' fences seen through the
 * DRM core's syncobjs (binary and timeline) and sync_files: waits and
 * their timeouts, WAIT_ALL and WAIT_ANY, timeline points and their order,
 * WAIT_FOR_SUBMIT, export and import, errors carried by fences, and the
 * guarantee that every job's fence signals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_fault.h"
#include "acts_gem.h"
#include "acts_caps.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"

#define MS	1000000LL

static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };

/* A NOP job on ctx, waiting on in (if given), signalling out at point. */
static void submit_nop(struct acts_dev *dev, uint32_t ctx, const struct acts_sync *in,
		       uint32_t out, uint64_t point)
{
	struct acts_job job = {
		.ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1,
		.in = in, .nin = in ? 1 : 0, .out = { .handle = out, .point = point },
	};

	acts_submit(dev, &job);
}

ACTS_SUBTEST(wait_signalled, "FENCE-WAIT-1",
	     "a finished job's syncobj waits succeed at once, again and again")
{
	uint32_t ctx, out;
	int i;

	acts_require_job_syncobjs(dev);
	ctx = acts_ctx_create(dev);
	out = acts_syncobj_create(dev, false);
	submit_nop(dev, ctx, NULL, out, 0);
	acts_syncobj_wait(dev, out, 0);
	/* A signalled fence stays signalled: zero-timeout waits succeed. */
	for (i = 0; i < 3; i++)
		acts_assert_ok(__acts_syncobj_wait(dev, &out, 1, 0, 0, NULL));
	acts_assert_eq(acts_syncobj_status(dev, out, 0), 1);
}

ACTS_SUBTEST(wait_timeout, "FENCE-WAIT-2",
	     "waiting on a held-back job fails with ETIME at the deadline, not before, not much after")
{
	struct acts_ufence uf;
	struct acts_sync in;
	uint32_t out;
	int64_t start, took;

	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	out = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in, out, 0);

	acts_assert_err(__acts_syncobj_wait(dev, &out, 1, 0, 0, NULL), -ETIME);
	start = acts_now_ns();
	acts_assert_err(__acts_syncobj_wait(dev, &out, 1, start + 150 * MS, 0, NULL), -ETIME);
	took = acts_now_ns() - start;
	acts_assert_gte(took, 150 * MS - ACTS_DEADLINE_SLACK_NS);
	/* Generous for a loaded VM, far below any default timeout. */
	acts_assert_lt(took, 1500 * MS);
	acts_assert_eq(acts_syncobj_status(dev, out, 0), 0);

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_syncobj_wait_status(dev, out, 0), 1);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(wait_no_fence, "FENCE-WAIT-3",
	     "waiting on a syncobj without a fence fails with EINVAL")
{
	uint32_t out;

	acts_require_job_syncobjs(dev);
	out = acts_syncobj_create(dev, false);
	acts_assert_err(__acts_syncobj_wait(dev, &out, 1, acts_deadline_ms(100), 0, NULL),
			-EINVAL);
}

struct late_submit {
	struct acts_dev *dev;
	uint32_t ctx, out;
	uint64_t point;
	unsigned int delay_ms;
};

static void *late_submit_thread(void *arg)
{
	struct late_submit *ls = arg;

	usleep(ls->delay_ms * 1000);
	submit_nop(ls->dev, ls->ctx, NULL, ls->out, ls->point);
	return NULL;
}

/* Wait for a fence that a thread submits only later. */
static void wait_for_submit(struct acts_dev *dev, uint64_t point)
{
	struct late_submit ls = { .dev = dev, .point = point, .delay_ms = 100 };
	int64_t start, deadline = acts_deadline_ms(acts_fence_timeout_ms());
	pthread_t t;
	int ret;

	acts_require_job_syncobjs(dev);
	if (point)
		acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	ls.ctx = acts_ctx_create(dev);
	ls.out = acts_syncobj_create(dev, false);
	start = acts_now_ns();
	acts_assert_eq(pthread_create(&t, NULL, late_submit_thread, &ls), 0);
	if (point)
		ret = __acts_syncobj_timeline_wait(dev, &ls.out, &point, 1, deadline,
						   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	else
		ret = __acts_syncobj_wait(dev, &ls.out, 1, deadline,
					  DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL);
	pthread_join(t, NULL);
	acts_assert_ok(ret);
	acts_assert_gte(acts_now_ns() - start, 100 * MS);
	acts_assert_eq(acts_syncobj_status(dev, ls.out, point), 1);
}

ACTS_SUBTEST(wait_for_submit, "FENCE-WAIT-3",
	     "WAIT_FOR_SUBMIT waits for a job submitted later by another thread")
{
	wait_for_submit(dev, 0);
}

ACTS_SUBTEST(timeline_wait_future_point, "FENCE-TL-2",
	     "a point not yet submitted: EINVAL, or with WAIT_FOR_SUBMIT a wait until it signals")
{
	uint32_t tl;
	uint64_t p = 3;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	tl = acts_syncobj_create(dev, false);
	/* Without WAIT_FOR_SUBMIT a point nobody promised is an error... */
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p, 1, acts_deadline_ms(50), 0,
						     NULL), -EINVAL);
	/* ...with it, the wait lasts until a job signals the point. */
	wait_for_submit(dev, 3);
}

ACTS_SUBTEST(wait_all_any, "FENCE-WAIT-4",
	     "WAIT_ANY returns the signalled one's index; WAIT_ALL waits for both")
{
	struct acts_ufence uf;
	struct acts_sync in;
	uint32_t ctx, h[2], first = ~0u;

	acts_require_job_syncobjs(dev);
	/* One job held back, one running beside it: two independent contexts. */
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_ufence(&uf);
	ctx = acts_ctx_create(dev);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	h[0] = acts_syncobj_create(dev, false);
	h[1] = acts_syncobj_create(dev, false);
	submit_nop(dev, ctx, &in, h[0], 0);			/* held back */
	submit_nop(dev, acts_ctx_create(dev), NULL, h[1], 0);	/* runs */
	acts_syncobj_wait(dev, h[1], 0);

	acts_assert_ok(__acts_syncobj_wait(dev, h, 2, acts_deadline_ms(1000), 0, &first));
	acts_assert_eq(first, 1);
	acts_assert_err(__acts_syncobj_wait(dev, h, 2, acts_deadline_ms(100),
					    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL), -ETIME);

	acts_ufence_signal(&uf);
	acts_assert_ok(__acts_syncobj_wait(dev, h, 2, acts_deadline_ms(acts_fence_timeout_ms()),
					   DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, NULL));
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(timeline_out_point, "FENCE-TL-1",
	     "jobs signal timeline points 1 and 7; the query returns 7")
{
	uint32_t ctx, tl;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	ctx = acts_ctx_create(dev);
	tl = acts_syncobj_create(dev, false);
	submit_nop(dev, ctx, NULL, tl, 1);
	submit_nop(dev, ctx, NULL, tl, 7);
	acts_syncobj_wait(dev, tl, 7);
	acts_assert_eq_u64(acts_syncobj_query(dev, tl), 7);
	acts_assert_eq(acts_syncobj_status(dev, tl, 1), 1);
	acts_assert_eq(acts_syncobj_status(dev, tl, 7), 1);
}

ACTS_SUBTEST(timeline_out_of_order, "FENCE-TL-1",
	     "point 2 finishing before point 1 does not signal the timeline past 0")
{
	struct acts_ufence uf;
	struct acts_sync in;
	uint64_t p1 = 1, p2 = 2;
	uint32_t tl;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	acts_require_ufence(&uf);
	tl = acts_syncobj_create(dev, false);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	/* Point 1's job is held back; point 2's, on another context, runs first. */
	submit_nop(dev, acts_ctx_create(dev), &in, tl, 1);
	submit_nop(dev, acts_ctx_create(dev), NULL, tl, 2);
	usleep(100 * 1000);

	/* A point signals only once every earlier point has. */
	acts_assert_eq_u64(acts_syncobj_query(dev, tl), 0);
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p2, 1, acts_deadline_ms(50), 0,
						     NULL), -ETIME);
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p1, 1, acts_deadline_ms(50), 0,
						     NULL), -ETIME);

	acts_ufence_signal(&uf);
	acts_syncobj_wait(dev, tl, 2);
	acts_assert_eq_u64(acts_syncobj_query(dev, tl), 2);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(timeline_in_point, "FENCE-TL-3",
	     "a job waits for a timeline point given as input")
{
	struct acts_ufence uf;
	struct acts_sync hold, in;
	uint32_t tl, out;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	acts_require_ufence(&uf);
	tl = acts_syncobj_create(dev, false);
	hold = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	submit_nop(dev, acts_ctx_create(dev), &hold, tl, 5);

	in = (struct acts_sync){ .handle = tl, .point = 5 };
	out = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in, out, 0);
	usleep(100 * 1000);
	acts_assert(!acts_syncobj_signalled(dev, out, 0));

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_syncobj_wait_status(dev, out, 0), 1);
	acts_assert(acts_syncobj_signalled(dev, tl, 5));
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(sync_file_export, "FENCE-SYNCFILE-1",
	     "a job's fence exported as a sync_file polls readable only once the job is done")
{
	struct acts_ufence uf;
	struct acts_sync in;
	struct pollfd p = { .events = POLLIN };
	uint32_t out;

	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	out = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in, out, 0);
	acts_assert_syscall(drmSyncobjExportSyncFile(dev->fd, out, &p.fd));

	acts_assert_eq(poll(&p, 1, 50), 0);
	acts_ufence_signal(&uf);
	acts_assert_eq(poll(&p, 1, (int)acts_fence_timeout_ms()), 1);
	acts_assert(p.revents & POLLIN);
	close(p.fd);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(sync_file_import, "FENCE-SYNCFILE-2",
	     "a sync_file imported into a syncobj holds back the job that takes it as input")
{
	struct acts_ufence uf;
	struct acts_sync in;
	uint32_t first, second, imported;
	int fd;

	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	first = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in, first, 0);

	/* The first job's fence goes out as a sync_file and back in as an input. */
	acts_assert_syscall(drmSyncobjExportSyncFile(dev->fd, first, &fd));
	imported = acts_syncobj_create(dev, false);
	acts_assert_syscall(drmSyncobjImportSyncFile(dev->fd, imported, fd));
	close(fd);
	in = (struct acts_sync){ .handle = imported };
	second = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in, second, 0);
	usleep(100 * 1000);
	acts_assert(!acts_syncobj_signalled(dev, second, 0));

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_syncobj_wait_status(dev, second, 0), 1);
	acts_ufence_destroy(&uf);
}

ACTS_SUBTEST(fence_error, "FENCE-ERROR-1",
	     "a failed job's fence carries an error; the context's next job succeeds")
{
	uint32_t ctx, bad, good;

	acts_require_job_syncobjs(dev);
	acts_require_faults(dev);
	ctx = acts_ctx_create(dev);
	acts_fault_set(dev, ACTS_FAULT_JOB_ERROR, 1);
	bad = acts_syncobj_create(dev, false);
	submit_nop(dev, ctx, NULL, bad, 0);
	acts_assert_lt(acts_syncobj_wait_status(dev, bad, 0), 0);

	/* Errors stay with their job: the next one signals cleanly. */
	good = acts_syncobj_create(dev, false);
	submit_nop(dev, ctx, NULL, good, 0);
	acts_assert_eq(acts_syncobj_wait_status(dev, good, 0), 1);
	acts_faults_clear(dev);
}

ACTS_SUBTEST(fence_never_lost, "FENCE-NEVERLOST-1",
	     "96 jobs over 4 contexts and both engines, some failing, one context destroyed: all signal")
{
	enum { N = 96 };
	uint32_t ctx[4], out[N];
	uint64_t engines = 1u << ACTS_ENGINE_COMPUTE;
	bool faults;
	int i, failed = 0;

	acts_require_job_syncobjs(dev);
	__acts_query(dev, ACTS_Q_ENGINES, &engines);
	/* With fault injection, a third of the jobs fail: they must signal too. */
	faults = acts_has_faults(dev);
	if (faults)
		acts_fault_set(dev, ACTS_FAULT_JOB_ERROR, N / 3);
	for (i = 0; i < 4; i++)
		ctx[i] = acts_ctx_create(dev);
	for (i = 0; i < N; i++) {
		struct acts_job job = {
			.ctx = ctx[i % 4], .cmds = &nop, .ncmds = 1,
			.engine = (engines & 2) && (i & 4) ? ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE,
		};

		job.out.handle = out[i] = acts_syncobj_create(dev, false);
		acts_submit(dev, &job);
	}
	/* Destroying a context with jobs queued must not lose their fences. */
	acts_ctx_destroy(dev, ctx[3]);
	for (i = 0; i < N; i++) {
		int st = acts_syncobj_wait_status(dev, out[i], 0);

		acts_assert(st == 1 || st < 0);
		failed += st < 0;
	}
	if (faults) {
		/* Every injected failure hit a job (cancelled ones fail too). */
		acts_assert_eq(acts_fault_remaining(dev, ACTS_FAULT_JOB_ERROR), 0);
		acts_assert_gte(failed, N / 3);
		acts_faults_clear(dev);
	}
}



ACTS_SUBTEST(timeline_points_in_flight, "FENCE-TL-4 FENCE-TL-3 SUB-INVAL-3",
	     "points 1, 2, 3 in flight, 2 and 3 held back: point 1 waits and feeds a job, 2, 3 and 4 wait to their deadline")
{
	struct acts_ufence uf;
	struct acts_sync hold, in1, in2;
	uint64_t p[] = { 1, 2, 3, 4 };
	uint32_t tl, after1, after2;
	int64_t start;

	acts_require_job_syncobjs(dev);
	acts_require_cap(dev, ACTS_CAP_SYNCOBJ_TIMELINE);
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_ufence(&uf);
	tl = acts_syncobj_create(dev, false);
	hold = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	/* Point 1 runs; points 2 and 3, on their own context, wait for the test. */
	submit_nop(dev, acts_ctx_create(dev), NULL, tl, 1);
	acts_syncobj_wait(dev, tl, 1);
	submit_nop(dev, acts_ctx_create(dev), &hold, tl, 2);
	submit_nop(dev, acts_ctx_create(dev), &hold, tl, 3);

	/* The earlier point signalled, the later ones did not; the value stops at 1. */
	acts_assert_ok(__acts_syncobj_timeline_wait(dev, &tl, &p[0], 1, acts_deadline_ms(1000), 0,
						    NULL));
	acts_assert_eq(acts_syncobj_status(dev, tl, 1), 1);
	acts_assert_eq_u64(acts_syncobj_query(dev, tl), 1);
	start = acts_now_ns();
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p[1], 1, acts_deadline_ms(100), 0,
						     NULL), -ETIME);
	acts_assert_gte(acts_now_ns() - start, 100 * MS - ACTS_DEADLINE_SLACK_NS);
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p[2], 1, acts_deadline_ms(100), 0,
						     NULL), -ETIME);
	/* Past the last point submitted: nobody promised it, so no early return. */
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p[3], 1, acts_deadline_ms(100), 0,
						     NULL), -EINVAL);
	start = acts_now_ns();
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p[3], 1, acts_deadline_ms(200),
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL), -ETIME);
	acts_assert_gte(acts_now_ns() - start, 200 * MS - ACTS_DEADLINE_SLACK_NS);
	/* Nor can a job take it as input (SUB-INVAL-3). */
	in1 = (struct acts_sync){ .handle = tl, .point = 4 };
	acts_assert_err(__acts_submit(dev, &(struct acts_job){
			.ctx = acts_ctx_create(dev), .engine = ACTS_ENGINE_COMPUTE,
			.cmds = &nop, .ncmds = 1, .in = &in1, .nin = 1 }), -EINVAL);

	/* A job on point 1 runs now; a job on point 2 waits with it. */
	in1 = (struct acts_sync){ .handle = tl, .point = 1 };
	in2 = (struct acts_sync){ .handle = tl, .point = 2 };
	after1 = acts_syncobj_create(dev, false);
	after2 = acts_syncobj_create(dev, false);
	submit_nop(dev, acts_ctx_create(dev), &in1, after1, 0);
	submit_nop(dev, acts_ctx_create(dev), &in2, after2, 0);
	acts_assert_eq(acts_syncobj_wait_status(dev, after1, 0), 1);
	usleep(100 * 1000);
	acts_assert(!acts_syncobj_signalled(dev, after2, 0));

	acts_ufence_signal(&uf);
	acts_syncobj_wait(dev, tl, 3);
	acts_assert_eq_u64(acts_syncobj_query(dev, tl), 3);
	acts_assert_eq(acts_syncobj_wait_status(dev, after2, 0), 1);
	/* Every point done, and still nothing for point 4 before its deadline. */
	start = acts_now_ns();
	acts_assert_err(__acts_syncobj_timeline_wait(dev, &tl, &p[3], 1, acts_deadline_ms(200),
				DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL), -ETIME);
	acts_assert_gte(acts_now_ns() - start, 200 * MS - ACTS_DEADLINE_SLACK_NS);
	acts_ufence_destroy(&uf);
}

ACTS_MAIN()
