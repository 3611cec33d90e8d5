// SPDX-License-Identifier: MIT
/*
 * accel_isolation, syncobjs: a tenant guesses every syncobj handle from 1
 * to far past another tenant's highest, through the DRM core's calls
 * (wait, query, signal, reset, export, destroy) and a job's input and
 * output syncobjs. Every guess is refused, and the owner's syncobjs keep
 * their state: the signalled ones signalled, the empty ones empty.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <xf86drm.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "iso.h"

#define NSYNC		16
#define JOB_SWEEP	256u

struct victim {
	uint32_t h[NSYNC];	/* even: signalled, odd: no fence */
	uint32_t max;
};

static uint64_t victim_make(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	v->max = 0;
	for (i = 0; i < NSYNC; i++) {
		v->h[i] = acts_syncobj_create(dev, i % 2 == 0);
		if (v->h[i] > v->max)
			v->max = v->h[i];
	}
	return v->max;
}

static void victim_check(struct acts_dev *dev, void *arg)
{
	struct victim *v = arg;
	int i;

	for (i = 0; i < NSYNC; i++) {
		int ret = __acts_syncobj_wait(dev, &v->h[i], 1, 0, 0, NULL);

		/* Signalled: 0; empty: EINVAL (no fence), not ENOENT (destroyed). */
		if (ret != (i % 2 == 0 ? 0 : -EINVAL))
			__acts_fail_later(__FILE__, __LINE__,
					  "this file's %s syncobj %u now answers a wait with %s",
					  i % 2 ? "empty" : "signalled", v->h[i], acts_errno_name(ret));
		acts_syncobj_destroy(dev, v->h[i]);
	}
}

static int ret_of(int r)
{
	return r ? -errno : 0;
}

static void sweep(struct acts_dev *a, uint64_t max)
{
	struct iso_tally look = ISO_TALLY("ISO-SYNCOBJ-1", "lookup");
	struct iso_tally exp = ISO_TALLY("ISO-SYNCOBJ-1", "export");
	struct iso_tally des = ISO_TALLY("ISO-SYNCOBJ-1", "destroy");
	struct iso_tally job = ISO_TALLY("ISO-SYNCOBJ-1", "job");
	bool jobs = acts_has_cap(a, ACTS_CAP_JOB_SYNCOBJS);
	uint32_t ctx = jobs ? acts_ctx_create(a) : 0;
	/*
	 * The guessing file's own output syncobj for the jobs that guess an
	 * input (else the backend would make one per job, at a number the
	 * sweep then guesses): its number alone is not guessed, being its own.
	 */
	uint32_t own = jobs ? acts_syncobj_create(a, false) : 0;
	uint64_t h, last = (uint64_t)max + ISO_HANDLE_SWEEP;

	for (h = 1; h <= last + ISO_NTOP; h++) {
		uint32_t g = h <= last ? (uint32_t)h : iso_top[h - last - 1];
		uint64_t point = 0;
		int fd = -1, ret;

		if (g == own)
			continue;

		iso_tally(&look, g, ret_of(drmSyncobjWait(a->fd, &g, 1, 0, 0, NULL)));
		iso_tally(&look, g, ret_of(drmSyncobjQuery(a->fd, &g, &point, 1)));
		iso_tally(&look, g, ret_of(drmSyncobjSignal(a->fd, &g, 1)));
		iso_tally(&look, g, ret_of(drmSyncobjReset(a->fd, &g, 1)));
		ret = ret_of(drmSyncobjHandleToFD(a->fd, g, &fd));
		iso_tally(&exp, g, ret);
		if (!ret)
			close(fd);
		if (jobs && h <= max + JOB_SWEEP) {
			static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
			struct acts_sync in = { .handle = g };
			struct acts_job j = { .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE,
					      .cmds = &nop, .ncmds = 1, .out = { .handle = g } };

			iso_tally(&job, g, __acts_submit(a, &j));
			j = (struct acts_job){ .ctx = ctx, .engine = ACTS_ENGINE_COMPUTE,
					       .cmds = &nop, .ncmds = 1, .in = &in, .nin = 1,
					       .out = { .handle = own } };
			ret = __acts_submit(a, &j);
			iso_tally(&job, g, ret);
			if (!ret) {
				acts_fence_wait_status(a, &j.fence);
				acts_fence_release(a, &j.fence);
			}
		}
		iso_tally(&des, g, ret_of(drmSyncobjDestroy(a->fd, g)));
	}
	iso_tally_report(&look);
	iso_tally_report(&exp);
	if (jobs)
		iso_tally_report(&job);
	else
		acts_info("jobs take no caller syncobjs on this device: not guessed through jobs\n");
	iso_tally_report(&des);
	if (jobs) {
		acts_info("syncobj %u, the guessing file's own, was not guessed\n", own);
		acts_syncobj_destroy(a, own);
		acts_ctx_destroy(a, ctx);
	}
}

static struct victim victim;
static const struct iso_sweep guesses = {
	.victim = &victim, .make = victim_make, .sweep = sweep, .check = victim_check,
};

ACTS_SUBTEST(syncobjs_other_file, "ISO-SYNCOBJ-1",
	     "another open file guessing every syncobj handle can neither wait on, signal, export nor destroy one")
{
	acts_require_syncobj(dev, false);
	iso_sweep_other_file(dev, &guesses);
}

ACTS_SUBTEST(syncobjs_other_process, "ISO-SYNCOBJ-1",
	     "another process guessing every syncobj handle can neither wait on, signal, export nor destroy one")
{
	acts_require_syncobj(dev, false);
	iso_sweep_other_process(dev, &guesses);
}
