// SPDX-License-Identifier: MIT
/*
 * accel_fault: the profile's recovery level. Each injected fault and what
 * must follow: allocation failures leave nothing behind, a failed job only
 * fails itself, a hung job is caught by the timeout, the engine is reset,
 * the guilty context is banned while innocent ones carry on, the device
 * works afterwards, counters move, and a devcoredump records the hang.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_fault.h"
#include "acts_gem.h"
#include "acts_longjob.h"
#include "acts_caps.h"
#include "acts_fence.h"
#include "acts_submit.h"
#include "acts_test.h"

#define SZ_4K	4096u
#define MS	1000000LL
#define BG	0xa5
/* The job timeout the hang subtests set: short, to keep the suite quick. */
#define HANG_TIMEOUT_MS	300
/* How late after the timeout a hang may be reported (a VM is slow). */
#define HANG_SLACK_MS	5000

static uint64_t mem_used(struct acts_dev *dev)
{
	uint64_t v;

	return __acts_query(dev, ACTS_Q_MEM_USED, &v) ? UINT64_MAX : v;
}

ACTS_SUBTEST(alloc_failure, "REC-ALLOC-1",
	     "an injected allocation failure is ENOMEM, charges nothing, and the next one works")
{
	struct acts_bo_create c = { .size = SZ_4K };
	uint64_t before_mem, before_cnt;

	acts_require_faults(dev);
	before_mem = mem_used(dev);
	before_cnt = acts_counter(dev, ACTS_CNT_ALLOC_FAILURES);

	acts_fault_set(dev, ACTS_FAULT_ALLOC, 1);
	acts_assert_err(__acts_bo_create(dev, &c), -ENOMEM);
	acts_assert_eq_u64(mem_used(dev), before_mem);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_ALLOC_FAILURES), before_cnt + 1);
	acts_assert_eq(acts_fault_remaining(dev, ACTS_FAULT_ALLOC), 0);

	/* The fault is spent: the next creation works and leaves no old handle. */
	acts_assert_ok(__acts_bo_create(dev, &c));
	acts_gem_close(dev, c.handle);
	acts_assert_eq_u64(mem_used(dev), before_mem);
}

ACTS_SUBTEST(alloc_failure_count, "REC-ALLOC-1",
	     "three injected failures fail exactly three creations")
{
	struct acts_bo_create c = { .size = SZ_4K };
	int i;

	acts_require_faults(dev);
	acts_fault_set(dev, ACTS_FAULT_ALLOC, 3);
	for (i = 0; i < 3; i++)
		acts_assert_err(__acts_bo_create(dev, &c), -ENOMEM);
	acts_assert_ok(__acts_bo_create(dev, &c));
}

/* A fill of the first page of b, returning its fence. */
static struct acts_fence fill(struct acts_dev *dev, uint32_t ctx, enum acts_engine e,
			      const struct acts_buf *b, uint32_t value)
{
	struct acts_cmd cmd = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = value };

	return acts_submit_simple(dev, ctx, e, &cmd, 1, &b->handle, 1);
}

/* The same, waited for: its fence's status (1, or the job's -errno). */
static int fill_wait(struct acts_dev *dev, uint32_t ctx, enum acts_engine e,
		     const struct acts_buf *b, uint32_t value)
{
	struct acts_fence f = fill(dev, ctx, e, b, value);
	int status = acts_fence_wait_status(dev, &f);

	acts_fence_release(dev, &f);
	return status;
}

ACTS_SUBTEST(job_error, "REC-JOB-1 FENCE-ERROR-1",
	     "an injected job error signals that job's fence with an error; the context carries on")
{
	struct acts_buf b;
	uint64_t before, banned;
	uint32_t ctx;

	acts_require_submit(dev);
	acts_require_faults(dev);
	b = acts_buf_new(dev, SZ_4K, BG);
	ctx = acts_ctx_create(dev);
	before = acts_counter(dev, ACTS_CNT_JOB_FAILURES);
	banned = acts_counter(dev, ACTS_CNT_BANNED);

	acts_fault_set(dev, ACTS_FAULT_JOB_ERROR, 1);
	acts_assert_lt(fill_wait(dev, ctx, ACTS_ENGINE_COMPUTE, &b, 1),
		       0);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_JOB_FAILURES), before + 1);

	/* The context is not banned for an error: its next job runs. */
	acts_assert_eq(fill_wait(dev, ctx, ACTS_ENGINE_COMPUTE, &b, 2),
		       1);
	acts_buf_assert_u32(&b, 0, SZ_4K, 2);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned);
}

/*
 * Hang the next job and return the job timeout in force before, to restore.
 * Clears stale devcoredumps, so that the hang's own dump can be found.
 */
static unsigned int arm_hang(struct acts_dev *dev, unsigned int timeout_ms)
{
	unsigned int old;

	acts_require_submit(dev);
	acts_require_faults(dev);
	old = acts_job_timeout_ms(dev);
	acts_set_job_timeout_ms(dev, timeout_ms);
	acts_devcoredump_discard_all(dev);
	acts_fault_set(dev, ACTS_FAULT_JOB_HANG, 1);
	return old;
}

ACTS_SUBTEST(hang_detected, "REC-HANG-1",
	     "a hung job's fence signals with an error after the job timeout, not before")
{
	uint64_t hangs, resets;
	unsigned int old;
	struct acts_buf b;
	int64_t start, took;
	struct acts_fence out;

	b = acts_buf_new(dev, SZ_4K, BG);
	old = arm_hang(dev, HANG_TIMEOUT_MS);
	hangs = acts_counter(dev, ACTS_CNT_HANGS);
	resets = acts_counter(dev, ACTS_CNT_RESETS);

	start = acts_now_ns();
	out = fill(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &b, 1);
	acts_assert_lt(acts_fence_wait_status(dev, &out), 0);
	took = acts_now_ns() - start;
	acts_info("hang reported after %lld ms (timeout %u ms)\n", (long long)(took / MS),
		  HANG_TIMEOUT_MS);
	acts_assert_gte(took, HANG_TIMEOUT_MS * MS);
	acts_assert_lt(took, (HANG_TIMEOUT_MS + HANG_SLACK_MS) * MS);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_HANGS), hangs + 1);
	acts_assert_gte_u64(acts_counter(dev, ACTS_CNT_RESETS), resets + 1);
	acts_set_job_timeout_ms(dev, old);
	acts_devcoredump_discard_all(dev);
}

/* How long the timeout test waits: past any driver's default of a few seconds. */
#define TIMEOUT_HOLD_MS	6000

ACTS_SUBTEST(hang_timeout_copy_engine, "REC-HANG-1 REC-CTRL-1 REC-RESET-1",
	     "the job timeout written applies to the copy engine too: a hang there outlasts a default timeout")
{
	struct acts_fence out;
	unsigned int old;
	struct acts_buf b;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	acts_require_cap(dev, ACTS_CAP_ENGINE_RESET);
	b = acts_buf_new(dev, SZ_4K, BG);
	/* Far longer than the hold: only a timeout that ignored the write can fire. */
	old = arm_hang(dev, 60000);
	out = fill(dev, acts_ctx_create(dev), ACTS_ENGINE_COPY, &b, 1);
	if (!__acts_fence_wait(dev, &out, acts_deadline_ms(TIMEOUT_HOLD_MS)))
		acts_fail("the hang on the copy engine ended within %u ms, with the job timeout "
			  "set to 60000 ms", TIMEOUT_HOLD_MS);
	acts_engine_reset(dev, ACTS_ENGINE_COPY);
	acts_assert_lt(acts_fence_wait_status(dev, &out), 0);
	acts_set_job_timeout_ms(dev, old);
	acts_devcoredump_discard_all(dev);
}

ACTS_SUBTEST(hang_bans_context, "REC-HANG-2",
	     "the hung job's context is banned: its queued jobs fail, new submits get ECANCELED")
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_job job = { .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1 };
	struct acts_fence hung, queued;
	uint64_t banned;
	unsigned int old;

	old = arm_hang(dev, HANG_TIMEOUT_MS);
	banned = acts_counter(dev, ACTS_CNT_BANNED);
	job.ctx = acts_ctx_create(dev);
	hung = acts_submit_simple(dev, job.ctx, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
	/* Queued behind the hang on the same context: cancelled with it. */
	queued = acts_submit_simple(dev, job.ctx, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);

	acts_assert_lt(acts_fence_wait_status(dev, &hung), 0);
	acts_assert_lt(acts_fence_wait_status(dev, &queued), 0);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned + 1);
	acts_assert_err(__acts_submit(dev, &job), -ECANCELED);
	acts_set_job_timeout_ms(dev, old);
	acts_devcoredump_discard_all(dev);
}

ACTS_SUBTEST(hang_innocent_context, "REC-HANG-3",
	     "another file's jobs queued behind the hang, and on the other engine, complete correctly")
{
	struct acts_buf mine, theirs;
	struct acts_dev *other;
	struct acts_fence hung, same_engine, other_engine = { .kind = ACTS_FENCE_NONE };
	uint32_t ctx;
	uint64_t engines = 1u << ACTS_ENGINE_COMPUTE;
	unsigned int old;

	old = arm_hang(dev, HANG_TIMEOUT_MS);
	__acts_query(dev, ACTS_Q_ENGINES, &engines);
	mine = acts_buf_new(dev, SZ_4K, BG);
	hung = fill(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &mine, 1);

	/* Another client's work, queued behind the hang and on the other engine. */
	other = acts_dev_reopen(dev);
	acts_assert(other);
	theirs = acts_buf_new(other, 2 * SZ_4K, BG);
	ctx = acts_ctx_create(other);
	same_engine = fill(other, ctx, ACTS_ENGINE_COMPUTE, &theirs, 0x1234);
	if (engines & (1u << ACTS_ENGINE_COPY)) {
		struct acts_cmd cmd = { .op = ACTS_CMD_FILL, .offset = SZ_4K, .size = SZ_4K,
					.value = 0x5678 };

		other_engine = acts_submit_simple(other, acts_ctx_create(other), ACTS_ENGINE_COPY,
						  &cmd, 1, &theirs.handle, 1);
	}

	acts_assert_lt(acts_fence_wait_status(dev, &hung), 0);
	acts_assert_eq(acts_fence_wait_status(other, &same_engine), 1);
	acts_buf_assert_u32(&theirs, 0, SZ_4K, 0x1234);
	if (other_engine.kind != ACTS_FENCE_NONE) {
		acts_assert_eq(acts_fence_wait_status(other, &other_engine), 1);
		acts_buf_assert_u32(&theirs, SZ_4K, SZ_4K, 0x5678);
	}
	/* The innocent context is not banned. */
	acts_assert_eq(fill_wait(other, ctx, ACTS_ENGINE_COMPUTE,
							  &theirs, 0x9abc), 1);
	acts_buf_assert_u32(&theirs, 0, SZ_4K, 0x9abc);
	acts_dev_close(other);
	acts_set_job_timeout_ms(dev, old);
	acts_devcoredump_discard_all(dev);
}

ACTS_SUBTEST(device_works_after_hang, "REC-HANG-4",
	     "after the reset, new contexts run checked jobs")
{
	struct acts_dev *after = dev;
	struct acts_buf b;
	unsigned int old;
	int i;

	b = acts_buf_new(dev, SZ_4K, BG);
	old = arm_hang(dev, HANG_TIMEOUT_MS);
	acts_assert_lt(fill_wait(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &b, 1), 0);
	acts_set_job_timeout_ms(dev, old);

	/* New contexts: where a file has one context, the banned one, a new file. */
	if (!acts_has_cap(dev, ACTS_CAP_CONTEXTS)) {
		after = acts_dev_reopen(dev);
		acts_assert(after);
		acts_buf_free(&b);
		b = acts_buf_new(after, SZ_4K, BG);
	}
	for (i = 0; i < 8; i++) {
		acts_assert_eq(fill_wait(after, acts_ctx_create(after), ACTS_ENGINE_COMPUTE, &b,
					 100 + i), 1);
		acts_buf_assert_u32(&b, 0, SZ_4K, 100u + i);
	}
	acts_buf_free(&b);
	if (after != dev)
		acts_dev_close(after);
	acts_devcoredump_discard_all(dev);
}

/*
 * A driver may write the dump after the hung job's fence signals (from a
 * worker, since nothing may allocate before it): give it a second.
 */
#define DEVCOREDUMP_MISSING \
	"needs devcoredump in the kernel: CONFIG_DEV_COREDUMP (no /sys/class/devcoredump)"

static int wait_for_devcoredump(struct acts_dev *dev, char *dir, size_t len)
{
	int64_t deadline = acts_deadline_ms(1000);
	int n;

	while (!(n = acts_devcoredump_find(dev, dir, len)) && acts_now_ns() < deadline)
		usleep(10 * 1000);
	return n;
}

ACTS_SUBTEST(devcoredump, "REC-DUMP-1",
	     "a hang leaves one devcoredump on the device, readable, and deletable")
{
	char dir[PATH_MAX], data[4096];
	unsigned int old;
	struct acts_buf b;

	/* Without the kernel's devcoredump class no driver can leave a dump. */
	acts_require(access("/sys/class/devcoredump", F_OK) == 0, DEVCOREDUMP_MISSING);
	b = acts_buf_new(dev, SZ_4K, BG);
	old = arm_hang(dev, HANG_TIMEOUT_MS);
	acts_assert_eq(acts_devcoredump_find(dev, NULL, 0), 0);
	acts_assert_lt(fill_wait(dev, acts_ctx_create(dev),
							ACTS_ENGINE_COMPUTE, &b, 1), 0);
	acts_set_job_timeout_ms(dev, old);

	acts_assert_eq(wait_for_devcoredump(dev, dir, sizeof(dir)), 1);
	acts_assert_gt(acts_devcoredump_read(dir, data, sizeof(data)), 0);
	acts_info("%s starts: %.60s\n", dir, data);
	acts_devcoredump_discard_all(dev);
	acts_assert_eq(acts_devcoredump_find(dev, NULL, 0), 0);
}

ACTS_SUBTEST(engine_reset_idle, "REC-RESET-1",
	     "a requested reset of an idle engine counts a reset, bans nobody, loses nothing")
{
	uint64_t resets, hangs, banned;
	struct acts_buf b;
	uint32_t ctx;

	acts_require_submit(dev);
	acts_require_faults(dev);
	b = acts_buf_new(dev, SZ_4K, BG);
	ctx = acts_ctx_create(dev);
	acts_assert_eq(fill_wait(dev, ctx, ACTS_ENGINE_COMPUTE, &b, 1), 1);
	resets = acts_counter(dev, ACTS_CNT_RESETS);
	hangs = acts_counter(dev, ACTS_CNT_HANGS);
	banned = acts_counter(dev, ACTS_CNT_BANNED);

	acts_engine_reset(dev, ACTS_ENGINE_COMPUTE);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_RESETS), resets + 1);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_HANGS), hangs);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned);

	/* Nobody was guilty: the same context carries on. */
	acts_assert_eq(fill_wait(dev, ctx, ACTS_ENGINE_COMPUTE, &b, 2), 1);
	acts_buf_assert_u32(&b, 0, SZ_4K, 2);
}

ACTS_SUBTEST(engine_reset_hung, "REC-RESET-1 REC-HANG-2",
	     "a requested reset ends a hang long before its timeout")
{
	unsigned int old;
	struct acts_buf b;
	int64_t start;
	struct acts_fence out;

	b = acts_buf_new(dev, SZ_4K, BG);
	/* A timeout far away: the requested reset must be what ends the hang. */
	old = arm_hang(dev, 60000);
	out = fill(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &b, 1);
	usleep(200 * 1000);
	acts_assert(!acts_fence_signalled(dev, &out));

	start = acts_now_ns();
	acts_engine_reset(dev, ACTS_ENGINE_COMPUTE);
	acts_assert_lt(acts_fence_wait_status(dev, &out), 0);
	acts_assert_lt(acts_now_ns() - start, HANG_SLACK_MS * MS);
	acts_set_job_timeout_ms(dev, old);
	acts_devcoredump_discard_all(dev);
}

/*
 * A job that is not hung but runs past the job timeout is stopped like a
 * hang: its fence fails no earlier than the timeout and soon after it, it
 * counts as a hang, its context is banned, and another file's job queued
 * behind it on the same engine runs with the right result.
 */
ACTS_SUBTEST(runaway_job_stopped, "REC-RUNAWAY-1",
	     "a job still running at the timeout is stopped and counted as a hang; work behind it runs")
{
	struct acts_longjob lj;
	struct acts_dev *other;
	struct acts_buf theirs;
	uint64_t hangs, banned;
	unsigned int old;
	struct acts_fence runaway, behind;
	uint32_t ctx;
	int64_t start, took;
	int status;

	acts_require_submit(dev);
	acts_require_faults(dev);
	acts_longjob_init(dev, &lj);
	old = acts_job_timeout_ms(dev);
	acts_set_job_timeout_ms(dev, 500);
	acts_devcoredump_discard_all(dev);
	hangs = acts_counter(dev, ACTS_CNT_HANGS);
	banned = acts_counter(dev, ACTS_CNT_BANNED);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	theirs = acts_buf_new(other, SZ_4K, BG);

	ctx = acts_ctx_create(dev);
	start = acts_now_ns();
	runaway = acts_longjob_submit(&lj, ctx);
	behind = fill(other, acts_ctx_create(other), ACTS_ENGINE_COMPUTE, &theirs, 0x4321);
	status = acts_fence_wait_status(dev, &runaway);
	took = acts_now_ns() - start;
	acts_info("%s ended after %lld ms with %s (timeout 500 ms)\n", lj.what,
		  (long long)(took / MS), status < 0 ? acts_errno_name(status) : "success");
	acts_require(status < 0 || took >= 500 * MS,
		     "%s finished within the 500 ms timeout: too fast to test", lj.what);
	if (status == 1)
		acts_fail("%s ran %lld ms, past the 500 ms timeout, and was not stopped", lj.what,
			  (long long)(took / MS));
	acts_assert_gte(took, 500 * MS);
	acts_assert_lt(took, (500 + HANG_SLACK_MS) * MS);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_HANGS), hangs + 1);
	acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned + 1);
	acts_assert_err(__acts_submit(dev, &(struct acts_job){ .ctx = ctx,
			.engine = ACTS_ENGINE_COMPUTE, .cmds = &(struct acts_cmd){ .op = ACTS_CMD_NOP },
			.ncmds = 1 }), -ECANCELED);

	/* The innocent client's job behind it ran, and right. */
	acts_assert_eq(acts_fence_wait_status(other, &behind), 1);
	acts_buf_assert_u32(&theirs, 0, SZ_4K, 0x4321);
	acts_set_job_timeout_ms(dev, old);
	acts_buf_free(&theirs);
	acts_dev_close(other);
	acts_longjob_fini(&lj);
	acts_devcoredump_discard_all(dev);
}

ACTS_SUBTEST(counters_quiet, "REC-COUNT-1",
	     "jobs without faults move no fault or reset counter")
{
	uint64_t before[ACTS_CNT_COUNT];
	struct acts_buf b;
	uint32_t ctx;
	int c, i;

	acts_require_submit(dev);
	acts_require_faults(dev);
	for (c = 0; c < ACTS_CNT_COUNT; c++)
		before[c] = acts_counter(dev, c);
	b = acts_buf_new(dev, SZ_4K, BG);
	ctx = acts_ctx_create(dev);
	for (i = 0; i < 16; i++)
		acts_assert_eq(fill_wait(dev, ctx, ACTS_ENGINE_COMPUTE,
								&b, i), 1);
	for (c = 0; c < ACTS_CNT_COUNT; c++)
		if (acts_counter(dev, c) != before[c])
			acts_fail("the %s counter moved from %llu to %llu with no fault",
				  acts_counter_name(c), (unsigned long long)before[c],
				  (unsigned long long)acts_counter(dev, c));
}


ACTS_SUBTEST(controls_read_back, "REC-CTRL-1",
	     "the job timeout and every fault's pending count read back what was written")
{
	/* Multiples of 20 ms: whole ticks at every HZ the kernel offers. */
	static const unsigned int timeouts[] = { 20, 260, 1240, 60000 };
	unsigned int old, ms, i;
	int f;

	acts_require_faults(dev);
	acts_require_cap(dev, ACTS_CAP_JOB_TIMEOUT);
	old = acts_job_timeout_ms(dev);
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		acts_set_job_timeout_ms(dev, timeouts[i]);
		acts_assert_ok(__acts_job_timeout_get(dev, &ms));
		if (ms != timeouts[i])
			acts_fail("the job timeout was set to %u ms and reads back %u ms",
				  timeouts[i], ms);
	}
	acts_set_job_timeout_ms(dev, old);
	acts_assert_eq(acts_job_timeout_ms(dev), old);
	/* Armed with no work to fire on: each count stays as written until cleared. */
	for (f = 0; f < ACTS_FAULT_COUNT; f++) {
		for (i = 1; i <= 7; i += 3) {
			acts_fault_set(dev, f, i);
			acts_assert_eq(acts_fault_remaining(dev, f), i);
		}
		acts_fault_set(dev, f, 0);
		acts_assert_eq(acts_fault_remaining(dev, f), 0);
	}
}

ACTS_SUBTEST(hang_queued_fill_untouched, "REC-HANG-2",
	     "a FILL queued behind a hang on the banned context does not run: its bytes stay untouched")
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence hung, queued;
	struct acts_buf b;
	unsigned int old;
	uint32_t ctx;

	b = acts_buf_new(dev, 2 * SZ_4K, BG);
	old = arm_hang(dev, HANG_TIMEOUT_MS);
	ctx = acts_ctx_create(dev);
	hung = acts_submit_simple(dev, ctx, ACTS_ENGINE_COMPUTE, &nop, 1, NULL, 0);
	queued = fill(dev, ctx, ACTS_ENGINE_COMPUTE, &b, 0xbad0bad0);

	acts_assert_lt(acts_fence_wait_status(dev, &hung), 0);
	acts_assert_lt(acts_fence_wait_status(dev, &queued), 0);
	/* Cancelled means not run: not one word of its range was written. */
	acts_buf_assert_bytes(&b, 0, b.size, BG);
	acts_assert_ok(__acts_bo_wait(dev, b.handle, acts_deadline_ms(acts_fence_timeout_ms())));
	acts_buf_assert_bytes(&b, 0, b.size, BG);
	acts_set_job_timeout_ms(dev, old);
	acts_fence_release(dev, &hung);
	acts_fence_release(dev, &queued);
	acts_buf_free(&b);
	acts_devcoredump_discard_all(dev);
}

/*
 * A stream of healthy jobs on the copy engine, each rewriting a region of
 * its own many times (about CHAIN_JOB_MS), fed so that CHAIN_DEPTH are
 * always in flight: whenever the compute engine is reset, some of them are
 * running or queued.
 */
#define CHAIN_JOB_MS	40
#define CHAIN_REGION	(256u << 10)
#define CHAIN_MAX	256
#define CHAIN_DEPTH	8

struct chain {
	struct acts_dev *dev;
	struct acts_buf b;
	struct acts_cmd *cmds;
	unsigned int reps, n, done;
	uint32_t ctx;
	struct acts_fence f[CHAIN_MAX];
};

static struct acts_fence chain_job(struct chain *c, unsigned int i)
{
	unsigned int r;

	for (r = 0; r < c->reps; r++)
		c->cmds[r] = (struct acts_cmd){ .op = ACTS_CMD_FILL,
						.offset = (uint64_t)(i % 64) * CHAIN_REGION,
						.size = CHAIN_REGION, .value = 0xc4a10000u + i };
	return acts_submit_simple(c->dev, c->ctx, ACTS_ENGINE_COPY, c->cmds, c->reps,
				  &c->b.handle, 1);
}

/* Size the jobs on this machine. */
static void chain_init(struct chain *c, struct acts_dev *dev)
{
	uint64_t fills = acts_require_query(dev, ACTS_Q_MAX_JOB_FILLS);
	struct acts_fence f;
	int64_t t;

	acts_require_engine(dev, ACTS_ENGINE_COPY);
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	c->b = acts_buf_new(dev, 64ull * CHAIN_REGION, BG);
	c->cmds = calloc(fills, sizeof(*c->cmds));
	acts_assert(c->cmds);
	c->ctx = acts_ctx_create(dev);
	c->reps = fills < 256 ? (unsigned int)fills : 256;
	t = acts_now_ns();
	f = chain_job(c, 0);
	acts_assert_eq(acts_fence_wait_status(dev, &f), 1);
	acts_fence_release(dev, &f);
	t = (acts_now_ns() - t) / c->reps;
	c->reps = (unsigned int)(CHAIN_JOB_MS * MS / (t ? t : 1));
	c->reps = c->reps < 1 ? 1 : c->reps > fills ? (unsigned int)fills : c->reps;
	acts_info("copy-engine jobs of %u fills of %u KiB each\n", c->reps, CHAIN_REGION >> 10);
}

/* Keep CHAIN_DEPTH jobs in flight; false once CHAIN_MAX were submitted. */
static bool chain_feed(struct chain *c)
{
	while (c->done < c->n && acts_fence_signalled(c->dev, &c->f[c->done]))
		c->done++;
	while (c->n < CHAIN_MAX && c->n - c->done < CHAIN_DEPTH) {
		c->f[c->n] = chain_job(c, c->n);
		c->n++;
	}
	return c->n < CHAIN_MAX;
}

/* Every job succeeded and wrote its region (the last 64 jobs' regions survive). */
static void chain_check(struct chain *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		int status = acts_fence_wait_status(c->dev, &c->f[i]);

		if (status != 1)
			acts_fail("healthy job %u of %u on the copy engine ended with %s", i + 1,
				  c->n, acts_errno_name(status));
		acts_fence_release(c->dev, &c->f[i]);
	}
	for (i = c->n > 64 ? c->n - 64 : 0; i < c->n; i++)
		acts_buf_assert_u32(&c->b, (uint64_t)(i % 64) * CHAIN_REGION, CHAIN_REGION,
				    0xc4a10000u + i);
	free(c->cmds);
	acts_buf_free(&c->b);
}

enum chain_reset {
	HANG_TIMEOUT,	/* a compute hang ended by the job timeout */
	HANG_RESET,	/* a compute hang ended by a requested compute reset */
	BUSY_RESET,	/* a requested reset of the copy engine while the stream runs on it */
};

/* Healthy copy-engine jobs across a reset: all succeed, all write their bytes. */
static void reset_beside_chain(struct acts_dev *dev, enum chain_reset how)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_fence hung = { .kind = ACTS_FENCE_NONE };
	unsigned int old = 0, pending = 0;
	uint64_t banned;
	struct chain c;
	int64_t reset_at;

	acts_require_submit(dev);
	acts_require_faults(dev);
	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	if (how != HANG_TIMEOUT)
		acts_require_cap(dev, ACTS_CAP_ENGINE_RESET);
	chain_init(&c, dev);
	banned = acts_counter(dev, ACTS_CNT_BANNED);
	/* A timeout many times a chain job's length: the chain is never the one timed out. */
	if (how != BUSY_RESET) {
		old = arm_hang(dev, how == HANG_RESET ? 60000 : 1000);
		hung = acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &nop, 1,
					  NULL, 0);
	}
	reset_at = acts_now_ns() + 300 * MS;
	for (;;) {
		if (!chain_feed(&c))
			acts_fail("the reset was not over after %u copy-engine jobs", CHAIN_MAX);
		if (how == HANG_TIMEOUT && acts_fence_signalled(dev, &hung))
			break;
		if (how != HANG_TIMEOUT && reset_at && acts_now_ns() >= reset_at) {
			pending = c.n - c.done;
			acts_engine_reset(dev, how == BUSY_RESET ? ACTS_ENGINE_COPY :
				  ACTS_ENGINE_COMPUTE);
			reset_at = 0;
		}
		if (how == HANG_RESET && !reset_at && acts_fence_signalled(dev, &hung))
			break;
		if (how == BUSY_RESET && !reset_at)
			break;
		usleep(5 * 1000);
	}
	if (how == HANG_TIMEOUT) {
		/* Jobs submitted before the hang was seen over, and not done: in flight at the reset. */
		pending = c.n;
		chain_feed(&c);
		pending -= c.done;
	}
	acts_info("%u copy-engine jobs, %u in flight at the reset\n", c.n, pending);
	acts_assert_gt(pending, 0);
	chain_check(&c);
	if (how != BUSY_RESET) {
		acts_assert_lt(acts_fence_status(dev, &hung), 0);
		acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned + 1);
		acts_set_job_timeout_ms(dev, old);
		acts_fence_release(dev, &hung);
	} else {
		acts_assert_eq_u64(acts_counter(dev, ACTS_CNT_BANNED), banned);
	}
	acts_devcoredump_discard_all(dev);
}

ACTS_SUBTEST(hang_spares_other_engine, "REC-HANG-3",
	     "healthy jobs running and queued on the copy engine while a compute hang times out complete with the right bytes")
{
	reset_beside_chain(dev, HANG_TIMEOUT);
}

ACTS_SUBTEST(reset_spares_other_engine, "REC-RESET-1 REC-HANG-3",
	     "healthy jobs running and queued on the copy engine across a requested compute reset complete with the right bytes")
{
	reset_beside_chain(dev, HANG_RESET);
}

ACTS_SUBTEST(reset_spares_healthy_job, "REC-RESET-1",
	     "a requested reset of the copy engine while healthy jobs run on it: none is guilty, all complete with the right bytes")
{
	reset_beside_chain(dev, BUSY_RESET);
}

ACTS_MAIN()
