// SPDX-License-Identifier: MIT
/*
 * accel_clients: the submit level under clients that do not behave. Contexts
 * torn down while other threads and processes submit on the same device, a
 * client that queues work without waiting for it, and clients that go away
 * (destroy the context, close the file, are killed) while their job runs.
 * What must hold: no fence is lost, a client's kernel memory is bounded, and
 * the engine is free for others within a bound, long before any timeout.
 * The kernel log is watched by the runner: any Oops or WARN fails the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_buf.h"
#include "acts_fault.h"
#include "acts_gem.h"
#include "acts_longjob.h"
#include "acts_rand.h"
#include "acts_caps.h"
#include "acts_fence.h"
#include "acts_submit.h"
#include "acts_syncobj.h"
#include "acts_test.h"
#include "acts_ufence.h"

#define SZ_4K	4096u
#define MS	1000000LL

/* How long the teardown stress runs: ACCEL_CTS_SOAK_S, default 8 s. */
static unsigned int soak_seconds(void)
{
	const char *s = getenv("ACCEL_CTS_SOAK_S");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v > 0 ? (unsigned int)v : 8;
}

static uint64_t mem_used_or(struct acts_dev *dev, uint64_t fallback)
{
	uint64_t v;

	return __acts_query(dev, ACTS_Q_MEM_USED, &v) ? fallback : v;
}

/* Wait until memory in use is back to base (it is freed as jobs end). */
static void expect_mem_back(struct acts_dev *dev, uint64_t base)
{
	acts_assert_eq_u64(acts_mem_used_after_jobs(dev, base), base);
}

/* A checked FILL on a fresh context: the engine serves this client. */
static void expect_engine_works(struct acts_dev *dev, enum acts_engine e)
{
	struct acts_buf b = acts_buf_new(dev, SZ_4K, 0xa5);
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0x600dcafe };
	struct acts_fence out = acts_submit_simple(dev, acts_ctx_create(dev), e, &fill, 1,
						   &b.handle, 1);

	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	acts_fence_release(dev, &out);
	acts_buf_assert_u32(&b, 0, SZ_4K, 0x600dcafe);
	acts_buf_free(&b);
}

struct churn {
	struct acts_dev *dev;
	uint32_t bo;
	uint64_t engines;
	int64_t until;
	uint64_t seed;
	unsigned int rounds;
};

/*
 * One thread: create a context, queue 2-16 jobs on it (NOP and FILL, both
 * engines), destroy it without waiting, and check that the last job's
 * fence still signals. A submission may only fail with EBUSY (the file's
 * bound on jobs in flight, with several threads queuing).
 */
static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	struct acts_rand r = acts_rand_init(c->seed);

	while (acts_now_ns() < c->until) {
		struct acts_fence last = { .kind = ACTS_FENCE_NONE };
		uint32_t ctx = acts_ctx_create(c->dev);
		unsigned int n = 2 + acts_rand_below(&r, 15), i;

		for (i = 0; i < n; i++) {
			struct acts_cmd cmd = { .op = ACTS_CMD_NOP };
			struct acts_job job = { .ctx = ctx, .cmds = &cmd, .ncmds = 1 };
			int ret;

			job.engine = acts_rand_below(&r, 2) && (c->engines & 2) ?
				     ACTS_ENGINE_COPY : ACTS_ENGINE_COMPUTE;
			if (acts_rand_below(&r, 2)) {
				cmd = (struct acts_cmd){ .op = ACTS_CMD_FILL, .size = SZ_4K,
							 .offset = SZ_4K * acts_rand_below(&r, 16),
							 .value = i };
				job.bos = &c->bo;
				job.nbos = 1;
			}
			ret = __acts_submit(c->dev, &job);
			if (ret == -EBUSY)
				break;
			acts_assert_ok(ret);
			acts_fence_release(c->dev, &last);
			last = job.fence;
		}
		acts_ctx_destroy(c->dev, ctx);
		if (last.kind != ACTS_FENCE_NONE) {
			/* Success if it ran, an error if it was cancelled: never lost. */
			acts_fence_wait_status(c->dev, &last);
			acts_fence_release(c->dev, &last);
		}
		c->rounds++;
	}
	return NULL;
}

/* One process: its own file, shared by two threads churning contexts on it. */
static int churn_process(const char *path, int id, int64_t until, uint64_t seed)
{
	enum { THREADS = 2 };
	struct churn c[THREADS];
	pthread_t t[THREADS];
	struct acts_dev *dev = acts_dev_open(path);
	uint32_t bo = acts_bo_create(dev, 16 * SZ_4K);
	uint64_t engines = 1u << ACTS_ENGINE_COMPUTE;
	unsigned int total = 0;
	int i;

	__acts_query(dev, ACTS_Q_ENGINES, &engines);
	for (i = 0; i < THREADS; i++) {
		c[i] = (struct churn){ .dev = dev, .bo = bo, .engines = engines, .until = until,
				       .seed = seed + (uint64_t)id * THREADS + i };
		acts_assert_eq(pthread_create(&t[i], NULL, churn_thread, &c[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += c[i].rounds;
	}
	printf("client %d: %u contexts created, fed and destroyed\n", id, total);
	fflush(stdout);	/* the caller leaves with _exit() */
	acts_gem_close(dev, bo);
	acts_dev_close(dev);
	return total ? 0 : 1;
}

ACTS_SUBTEST(teardown_concurrent, "SUB-TEARDOWN-1 FENCE-NEVERLOST-1",
	     "4 processes of 2 threads create, feed and destroy contexts at once; no fence lost, memory freed")
{
	enum { PROCS = 4 };
	int64_t until = acts_deadline_ms(soak_seconds() * 1000);
	uint64_t base, seed = acts_seed();
	pid_t pid[PROCS];
	int i, status;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	acts_info("seed %#llx (ACCEL_CTS_SEED replays it), %u s\n", (unsigned long long)seed,
		  soak_seconds());
	base = mem_used_or(dev, 0);
	for (i = 0; i < PROCS; i++) {
		pid[i] = fork();
		acts_assert(pid[i] >= 0);
		if (!pid[i])
			_exit(churn_process(dev->path, i, until, seed));
	}
	for (i = 0; i < PROCS; i++) {
		acts_assert_eq(waitpid(pid[i], &status, 0), pid[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			acts_fail("client %d of %d failed (status %#x)", i, PROCS, status);
	}
	expect_mem_back(dev, base);
	expect_engine_works(dev, ACTS_ENGINE_COMPUTE);
}

/* MemAvailable from /proc/meminfo, in bytes. */
static uint64_t mem_available(void)
{
	char line[128];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	acts_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

/*
 * Queue jobs held back by a fence the test signals, with the largest
 * command buffer the driver takes, until the driver refuses one. It must
 * refuse with EBUSY or EAGAIN: at exactly its reported limit + 1 when it
 * reports one, else before the kernel has used a quarter of the memory
 * that was available. The refusal has no effect; another file still
 * submits; once the fence signals every accepted job completes and the
 * file can submit again.
 */
ACTS_SUBTEST(queue_bound, "SUB-BOUND-1",
	     "a file queuing jobs held behind a fence is refused (EBUSY/EAGAIN) at its bound, with no effect")
{
	const unsigned int max_jobs = 1u << 20;
	uint64_t limit = 0, avail0, used;
	bool has_limit;
	struct acts_ufence uf;
	struct acts_sync in;
	struct acts_cmd *nops;
	struct acts_dev *other;
	unsigned int n, ncmds = 2048, accepted = 0;
	uint32_t ctx, out_first = 0, out_last = 0, refused_out;
	int ret = 0;

	/* Jobs are held back by an input syncobj. */
	acts_require_job_syncobjs(dev);
	acts_require_ufence(&uf);
	has_limit = !__acts_query(dev, ACTS_Q_MAX_QUEUED_JOBS, &limit);
	acts_info("driver's limit on jobs in flight per file: %s%llu\n",
		  has_limit ? "" : "none reported, watching memory; ",
		  (unsigned long long)limit);
	nops = calloc(ncmds, sizeof(*nops));
	acts_assert(nops);
	for (n = 0; n < ncmds; n++)
		nops[n].op = ACTS_CMD_NOP;

	in = (struct acts_sync){ .handle = acts_ufence_syncobj(dev, &uf) };
	ctx = acts_ctx_create(dev);
	avail0 = mem_available();
	for (n = 0; n < max_jobs; n++) {
		struct acts_job job = {
			.ctx = ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = nops, .ncmds = ncmds,
			.in = &in, .nin = 1,
		};

		job.out.handle = acts_syncobj_create(dev, false);
		/* The first job finds the largest command buffer the driver takes. */
		while (!accepted && (ret = __acts_submit(dev, &job)) == -EINVAL && job.ncmds > 1)
			job.ncmds = ncmds = job.ncmds / 2;
		if (accepted)
			ret = __acts_submit(dev, &job);
		if (ret) {
			refused_out = job.out.handle;
			break;
		}
		accepted++;
		if (!out_first)
			out_first = job.out.handle;
		else if (out_last)
			acts_syncobj_destroy(dev, out_last);
		if (out_first != job.out.handle)
			out_last = job.out.handle;
		if (!has_limit && (int64_t)(used = avail0 - mem_available()) > (int64_t)(avail0 / 4))
			acts_fail("%u jobs held in flight by one file took %llu MiB of kernel "
				  "memory and none was refused: no bound", accepted,
				  (unsigned long long)(used >> 20));
		if (has_limit && accepted > limit)
			acts_fail("job %u accepted past the reported limit of %llu", accepted,
				  (unsigned long long)limit);
	}
	acts_info("%u jobs of %u commands accepted, then %s\n", accepted, ncmds,
		  acts_errno_name(ret));
	if (!ret)
		acts_fail("%u jobs accepted in flight: no bound", accepted);
	if (ret != -EBUSY && ret != -EAGAIN)
		acts_fail("job %u refused with %s; the profile allows EBUSY or EAGAIN",
			  accepted + 1, acts_errno_name(ret));
	if (has_limit)
		acts_assert_eq_u64(accepted, limit);
	/* The refused job had no effect: its output syncobj has no fence. */
	acts_assert_err(__acts_syncobj_wait(dev, &refused_out, 1, 0, 0, NULL), -EINVAL);

	/* The bound is the file's: another client still submits meanwhile. */
	other = acts_dev_reopen(dev);
	acts_assert(other);
	expect_engine_works(other, ACTS_ENGINE_COMPUTE);

	acts_ufence_signal(&uf);
	acts_assert_eq(acts_syncobj_wait_status(dev, out_first, 0), 1);
	if (out_last)
		acts_assert_eq(acts_syncobj_wait_status(dev, out_last, 0), 1);
	/* Room again: the same file submits. */
	expect_engine_works(dev, ACTS_ENGINE_COMPUTE);
	acts_dev_close(other);
	acts_ufence_destroy(&uf);
	free(nops);
}

/* Job timeout long enough that only the rule under test can end a long job. */
#define LONG_TIMEOUT_MS	60000

/*
 * Raise the job timeout far above the stop bound, when the backend can; a
 * driver whose timeout cannot be set is tested against its own.
 */
static void raise_timeout(struct acts_dev *dev, unsigned int *old)
{
	unsigned int ms;

	*old = 0;
	if (!__acts_job_timeout_get(dev, old) && !__acts_job_timeout_set(dev, LONG_TIMEOUT_MS))
		return;
	*old = 0;
	acts_require(!__acts_job_timeout_get(dev, &ms),
		     "the job timeout can be neither read nor set");
	acts_require(ms >= 4 * acts_stop_bound_ms(),
		     "the job timeout (%u ms) is too close to the stop bound (%u ms)", ms,
		     acts_stop_bound_ms());
}

static void restore_timeout(struct acts_dev *dev, unsigned int old)
{
	if (old)
		__acts_job_timeout_set(dev, old);
}

/* Has the long job begun? Give the engine time to start it. */
static void let_it_start(void)
{
	usleep(300 * 1000);
}

/*
 * A job of another client, queued behind the long one on the same engine,
 * must complete within the stop bound of `since`.
 */
static void expect_freed_within_bound(struct acts_dev *dev, struct acts_buf *b,
				      struct acts_fence out, int64_t since, const char *what)
{
	int64_t took;

	acts_assert_eq(acts_fence_wait_status(dev, &out), 1);
	took = acts_now_ns() - since;
	acts_info("%s: the next job finished %lld ms later (bound %u ms)\n", what,
		  (long long)(took / MS), acts_stop_bound_ms());
	if (took > (int64_t)acts_stop_bound_ms() * MS)
		acts_fail("%s: the engine was busy %lld ms longer (bound %u ms)", what,
			  (long long)(took / MS), acts_stop_bound_ms());
	acts_buf_assert_u32(b, 0, SZ_4K, 0xfeed);
}

/* A FILL of b's first page on a new context, queued on the compute engine. */
static struct acts_fence queue_fill(struct acts_dev *dev, struct acts_buf *b)
{
	struct acts_cmd fill = { .op = ACTS_CMD_FILL, .size = SZ_4K, .value = 0xfeed };

	return acts_submit_simple(dev, acts_ctx_create(dev), ACTS_ENGINE_COMPUTE, &fill, 1,
				  &b->handle, 1);
}

ACTS_SUBTEST(ctx_destroy_stops_running, "SUB-TEARDOWN-2",
	     "destroying a context stops its running job; the engine serves others within the stop bound")
{
	struct acts_longjob lj;
	struct acts_dev *other;
	struct acts_buf b;
	unsigned int old;
	struct acts_fence long_out, out;
	uint64_t hangs = 0;
	bool counted;
	uint32_t ctx;
	int64_t t0;
	int status;

	acts_require_cap(dev, ACTS_CAP_CONTEXTS);
	acts_longjob_init(dev, &lj);
	raise_timeout(dev, &old);
	counted = !__acts_counter(dev, ACTS_CNT_HANGS, &hangs);
	ctx = acts_ctx_create(dev);
	long_out = acts_longjob_submit(&lj, ctx);
	other = acts_dev_reopen(dev);
	acts_assert(other);
	b = acts_buf_new(other, SZ_4K, 0);
	out = queue_fill(other, &b);
	let_it_start();
	acts_require(!acts_fence_signalled(dev, &long_out),
		     "%s finished within %d ms: too fast to test stopping it", lj.what, 300);

	t0 = acts_now_ns();
	acts_ctx_destroy(dev, ctx);
	status = acts_fence_wait_status(dev, &long_out);
	acts_info("%s: fence status %s\n", lj.what, status < 0 ? acts_errno_name(status) : "1");
	/* It outlasts any timeout: stopped, it did not run to its end, and says so. */
	if (status >= 0)
		acts_fail("%s, stopped by its context's destruction, signalled success", lj.what);
	expect_freed_within_bound(other, &b, out, t0, "context destroyed");
	if (counted) {
		uint64_t now = 0;

		acts_assert_ok(__acts_counter(dev, ACTS_CNT_HANGS, &now));
		acts_assert_eq_u64(now, hangs);
	}
	restore_timeout(dev, old);
	acts_buf_free(&b);
	acts_dev_close(other);
	acts_longjob_fini(&lj);
}

/*
 * A child process opens the device, starts a long job and tells the
 * parent; then it closes its file and sleeps, or is killed.
 */
static void owner_goes_away(struct acts_dev *dev, bool kill_it)
{
	struct acts_buf b;
	unsigned int old;
	int pipefd[2], status;
	struct acts_fence out;
	int64_t t0;
	char c;
	pid_t pid;

	acts_require_submit(dev);
	/* The owner is another process with its own file. */
	acts_require_cap(dev, ACTS_CAP_MULTI_OPEN);
	raise_timeout(dev, &old);
	acts_assert_syscall(pipe(pipefd));
	pid = fork();
	acts_assert(pid >= 0);
	if (!pid) {
		struct acts_dev *d = acts_dev_open(dev->path);
		struct acts_longjob lj;

		close(pipefd[0]);
		acts_longjob_init(d, &lj);
		acts_longjob_submit(&lj, acts_ctx_create(d));
		let_it_start();
		if (write(pipefd[1], "s", 1) != 1)
			_exit(1);
		if (!kill_it) {
			/* Close the file with the job running; the process lives on. */
			acts_dev_close(d);
			if (write(pipefd[1], "c", 1) != 1)
				_exit(1);
		}
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	acts_assert_eq(read(pipefd[0], &c, 1), 1);
	b = acts_buf_new(dev, SZ_4K, 0);
	out = queue_fill(dev, &b);
	t0 = acts_now_ns();
	if (kill_it) {
		kill(pid, SIGKILL);
	} else {
		acts_assert_eq(read(pipefd[0], &c, 1), 1);
		acts_assert_eq(c, 'c');
	}
	expect_freed_within_bound(dev, &b, out, t0, kill_it ? "owner killed" : "owner closed its file");
	if (!kill_it)
		kill(pid, SIGKILL);
	acts_assert_eq(waitpid(pid, &status, 0), pid);
	close(pipefd[0]);
	restore_timeout(dev, old);
	acts_buf_free(&b);
}

ACTS_SUBTEST(owner_killed_frees_engine, "REC-OWNER-1",
	     "killing a client whose long job runs frees the engine within the stop bound")
{
	owner_goes_away(dev, true);
}

ACTS_SUBTEST(owner_close_frees_engine, "REC-OWNER-1",
	     "a client closing its file with its long job running frees the engine within the stop bound")
{
	owner_goes_away(dev, false);
}



ACTS_MAIN()
