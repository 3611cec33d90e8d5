// SPDX-License-Identifier: MIT
/*
 * accel_bench_latency: how long a job takes from submit to the waiter
 * being woken, and how many jobs per second get through, each against a
 * floor measured in the same run on the same CPU:
 *
 *   null-ioctl          the driver's cheapest ioctl (its parameter query)
 *   eventfd-round-trip  two threads waking each other through eventfds: the
 *                       floor of any asynchronous completion
 *   clock-overhead      two back-to-back clock reads: the harness's own cost
 *
 * Records (JSON) go to --out; one line per measurement goes to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <json-c/json.h>

#include "acts_backend.h"
#include "acts_buf.h"
#include "acts_caps.h"
#include "acts_device.h"
#include "acts_gem.h"
#include "acts_fence.h"
#include "acts_submit.h"
#include "bench.h"

struct ctx {
	struct acts_dev *dev;
	struct bench_env env;
	json_object *records;
	int cpu;
	unsigned int n;		/* samples per latency measurement */
	uint32_t job_ctx;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "accel_bench_latency: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static double *samples(unsigned int n)
{
	double *s = calloc(n, sizeof(*s));

	if (!s)
		die("out of memory", ENOMEM);
	return s;
}

static json_object *params_int(const char *key, int64_t v)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, key, json_object_new_int64(v));
	return p;
}

static json_object *params_str(const char *key, const char *v)
{
	json_object *p = json_object_new_object();

	json_object_object_add(p, key, json_object_new_string(v));
	return p;
}

/* ---- floors ---- */

static void null_ioctl(struct ctx *c, struct bench_stats *st)
{
	double *s = samples(c->n);
	uint64_t v;
	unsigned int i;
	int ret;

	for (i = 0; i < c->n + c->n / 10; i++) {
		int64_t t0 = bench_now_ns();

		ret = __acts_query(c->dev, ACTS_Q_UAPI_VERSION, &v);
		if (ret)
			die("the null ioctl (parameter query) failed", ret);
		if (i >= c->n / 10)	/* the first tenth warms up */
			s[i - c->n / 10] = (double)(bench_now_ns() - t0);
	}
	bench_stats_compute(s, c->n, st);
	free(s);
}

struct pingpong {
	int to_peer, from_peer;
	unsigned int rounds;
	int cpu;
};

static void *pong(void *arg)
{
	struct pingpong *p = arg;
	uint64_t v;
	unsigned int i;

	bench_pin(p->cpu);
	for (i = 0; i < p->rounds; i++) {
		if (read(p->to_peer, &v, sizeof(v)) != sizeof(v) ||
		    write(p->from_peer, &v, sizeof(v)) != sizeof(v))
			break;
	}
	return NULL;
}

static void eventfd_round_trip(struct ctx *c, struct bench_stats *st)
{
	unsigned int warm = c->n / 10, i;
	struct pingpong p = {
		.to_peer = eventfd(0, EFD_CLOEXEC), .from_peer = eventfd(0, EFD_CLOEXEC),
		.rounds = c->n + warm, .cpu = c->cpu,
	};
	double *s = samples(c->n);
	pthread_t t;
	uint64_t one = 1, v;

	if (p.to_peer < 0 || p.from_peer < 0)
		die("eventfd", errno);
	if (pthread_create(&t, NULL, pong, &p))
		die("pthread_create", errno);
	for (i = 0; i < p.rounds; i++) {
		int64_t t0 = bench_now_ns();

		if (write(p.to_peer, &one, sizeof(one)) != sizeof(one) ||
		    read(p.from_peer, &v, sizeof(v)) != sizeof(v))
			die("eventfd ping-pong", errno);
		if (i >= warm)
			s[i - warm] = (double)(bench_now_ns() - t0);
	}
	pthread_join(t, NULL);
	close(p.to_peer);
	close(p.from_peer);
	bench_stats_compute(s, c->n, st);
	free(s);
}

/* ---- jobs ---- */

/*
 * Jobs complete through their opaque fence (acts_fence.h): a syncobj, a
 * BO or a sequence number, whatever the device's shape. The fence a backend
 * makes for a job (a syncobj, a BO) is part of submitting it on that
 * device, so its creation is timed; waiting is timed; reading the job's
 * status and releasing the fence come after the clock stops, except where
 * a slot is reused inside a timed throughput run.
 */
static void submit_nop(struct ctx *c, struct acts_fence *f)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_job job = {
		.ctx = c->job_ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1,
	};
	int ret = __acts_submit(c->dev, &job);

	if (ret)
		die("submitting a NOP job", ret);
	*f = job.fence;
}

static void wait_job(struct ctx *c, const struct acts_fence *f)
{
	int ret = __acts_fence_wait(c->dev, f, acts_deadline_ms(acts_fence_timeout_ms()));

	if (ret)
		die("waiting for a job", ret);
}

/* The job succeeded (a fast failed job is no figure); then its fence is freed. */
static void check_release(struct ctx *c, struct acts_fence *f)
{
	int status = acts_fence_status(c->dev, f);

	if (status != 1) {
		fprintf(stderr, "accel_bench_latency: a job %s\n",
			status == 0 ? "had not completed after its wait" : "failed");
		die("the job's status", status == 0 ? EIO : status);
	}
	acts_fence_release(c->dev, f);
}

/* One NOP at a time, submit to the wait returning. */
static void nop_round_trip(struct ctx *c, struct bench_stats *st)
{
	unsigned int warm = c->n / 10, i;
	double *s = samples(c->n);

	for (i = 0; i < c->n + warm; i++) {
		struct acts_fence f;
		int64_t t0 = bench_now_ns();

		submit_nop(c, &f);
		wait_job(c, &f);
		if (i >= warm)
			s[i - warm] = (double)(bench_now_ns() - t0);
		check_release(c, &f);
	}
	bench_stats_compute(s, c->n, st);
	free(s);
}

/*
 * Jobs per second with inflight NOPs kept queued, over several repetitions:
 * a slot's job is waited for and its fence released before the slot takes
 * the next; the jobs still in flight at the end are waited for in the timed
 * run, their status read after it.
 */
static void nop_throughput(struct ctx *c, unsigned int inflight, unsigned int jobs,
			   struct bench_stats *st)
{
	enum { REPS = 7 };
	struct acts_fence *fences = calloc(inflight, sizeof(*fences));
	double s[REPS];
	unsigned int r, i;

	if (!fences)
		die("out of memory", ENOMEM);
	for (r = 0; r < REPS + 1; r++) {
		int64_t t0 = bench_now_ns();

		for (i = 0; i < jobs; i++) {
			struct acts_fence *f = &fences[i % inflight];

			if (i >= inflight) {
				wait_job(c, f);
				acts_fence_release(c->dev, f);
			}
			submit_nop(c, f);
		}
		for (i = 0; i < inflight && i < jobs; i++)
			wait_job(c, &fences[i]);
		if (r)	/* the first repetition warms up */
			s[r - 1] = (double)jobs * 1e9 / (double)(bench_now_ns() - t0);
		for (i = 0; i < inflight && i < jobs; i++)
			check_release(c, &fences[i]);
	}
	free(fences);
	bench_stats_compute(s, REPS, st);
}

/*
 * Where a job's time goes: TIMESTAMP at its start and end give submit to
 * start, start to end, and end to the waiter woken.
 */
static void breakdown(struct ctx *c, struct bench_stats st[3])
{
	struct acts_cmd cmds[3] = {
		{ .op = ACTS_CMD_TIMESTAMP, .bo = 0, .offset = 0 },
		{ .op = ACTS_CMD_NOP },
		{ .op = ACTS_CMD_TIMESTAMP, .bo = 0, .offset = 8 },
	};
	struct acts_buf b = acts_buf_new(c->dev, 4096, 0);
	unsigned int warm = c->n / 10, i, k;
	double *s[3] = { samples(c->n), samples(c->n), samples(c->n) };
	int ret;

	for (i = 0; i < c->n + warm; i++) {
		struct acts_job job = {
			.ctx = c->job_ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = cmds, .ncmds = 3,
			.bos = &b.handle, .nbos = 1,
		};
		int64_t t0 = bench_now_ns(), t3;
		uint64_t ts[2];

		ret = __acts_submit(c->dev, &job);
		if (ret)
			die("submitting a TIMESTAMP job", ret);
		wait_job(c, &job.fence);
		t3 = bench_now_ns();
		check_release(c, &job.fence);
		memcpy(ts, b.map, sizeof(ts));
		if (i < warm)
			continue;
		s[0][i - warm] = (double)((int64_t)ts[0] - t0);
		s[1][i - warm] = (double)(ts[1] - ts[0]);
		s[2][i - warm] = (double)(t3 - (int64_t)ts[1]);
	}
	for (k = 0; k < 3; k++) {
		bench_stats_compute(s[k], c->n, &st[k]);
		free(s[k]);
	}
	acts_buf_free(&b);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: accel_bench_latency [--device PATH] [--quick] [--cpu N] [--out FILE]\n"
		   "  --device PATH  the node (default: the first whose backend can submit)\n"
		   "  --quick        fewer samples and in-flight depths (a few seconds)\n"
		   "  --cpu N        pin the measuring threads to CPU N (default 0)\n"
		   "  --out FILE     write the JSON records there (default: stdout only)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' }, { "quick", no_argument, NULL, 'q' },
		{ "cpu", required_argument, NULL, 'c' }, { "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	static const unsigned int depths_full[] = { 1, 2, 4, 8, 16, 32, 64 };
	static const unsigned int depths_quick[] = { 1, 8, 64 };
	const char *device = NULL, *out = NULL;
	struct bench_stats null_st, ev_st, clk_st, nop_st, tp, bd[3];
	struct ctx c = { .n = 2000 };
	bool quick = false;
	const unsigned int *depths;
	unsigned int ndepths, i;
	double clk;
	int opt, cpu = 0;
	char *end;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': device = optarg; break;
		case 'q': quick = true; break;
		case 'o': out = optarg; break;
		case 'c':
			cpu = (int)strtol(optarg, &end, 10);
			if (*end || cpu < 0) {
				fprintf(stderr, "accel_bench_latency: --cpu '%s' is not a CPU number\n",
					optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (quick)
		c.n = 300;

	c.dev = bench_open_device(device, true);
	if (!c.dev) {
		fprintf(stderr, "accel_bench_latency: no device%s%s with a backend that submits jobs\n",
			device ? " at " : "", device ?: "");
		return device ? 2 : BENCH_EXIT_SKIP;
	}
	bench_env_fill(&c.env, c.dev);
	/* Every figure here times jobs, or is a floor for those that do. */
	if (!acts_has_cap(c.dev, ACTS_CAP_SUBMIT)) {
		bench_skipped("latency", "%s cannot run jobs (needs capability %s)", c.env.label,
			      acts_cap_name(ACTS_CAP_SUBMIT));
		acts_dev_close(c.dev);
		return BENCH_EXIT_SKIP;
	}
	if (__acts_query(c.dev, ACTS_Q_UAPI_VERSION, &(uint64_t){ 0 })) {
		bench_skipped("latency", "%s has no parameter query to time as the null ioctl",
			      c.env.label);
		acts_dev_close(c.dev);
		return BENCH_EXIT_SKIP;
	}
	c.cpu = bench_pin(cpu);
	if (c.cpu < 0) {
		fprintf(stderr, "accel_bench_latency: cannot pin to CPU %d\n", cpu);
		return 2;
	}
	c.records = json_object_new_array();
	/* A context of its own, or the file's implicit one on drivers without contexts. */
	if (acts_has_cap(c.dev, ACTS_CAP_CONTEXTS)) {
		struct acts_ctx_create cc = { .priority = ACTS_PRIO_NORMAL };
		int ret = __acts_ctx_create(c.dev, &cc);

		if (ret)
			die("creating a context", ret);
		c.job_ctx = cc.id;
	} else {
		c.job_ctx = ACTS_CTX_IMPLICIT;
	}

	/* The floors first, on the same CPU. */
	bench_clock_overhead(&clk_st);
	clk = clk_st.median;
	null_ioctl(&c, &null_st);
	eventfd_round_trip(&c, &ev_st);
	bench_record(c.records, &c.env, "clock-overhead", NULL, "ns", &clk_st,
		     "null-ioctl", null_st.median, false, c.cpu);
	bench_record(c.records, &c.env, "null-ioctl", NULL, "ns", &null_st,
		     "clock-overhead", clk, false, c.cpu);
	bench_record(c.records, &c.env, "eventfd-round-trip", NULL, "ns", &ev_st,
		     "clock-overhead", clk, false, c.cpu);

	nop_round_trip(&c, &nop_st);
	bench_record(c.records, &c.env, "nop-round-trip", params_int("engine", 0), "ns", &nop_st,
		     "eventfd-round-trip", ev_st.median, false, c.cpu);

	depths = quick ? depths_quick : depths_full;
	ndepths = quick ? 3 : 7;
	for (i = 0; i < ndepths; i++) {
		nop_throughput(&c, depths[i], quick ? 200 : 1000, &tp);
		bench_record(c.records, &c.env, "nop-throughput", params_int("in_flight", depths[i]),
			     "jobs/s", &tp, "null-ioctl-rate", 1e9 / null_st.median, true, c.cpu);
	}

	if (!acts_timestamps_monotonic(c.dev)) {
		bench_skipped("nop-submit-to-start", "%s's TIMESTAMP values do not count "
			      "CLOCK_MONOTONIC (so nor nop-start-to-end, nop-end-to-woken)", c.env.label);
	} else {
		breakdown(&c, bd);
		bench_record(c.records, &c.env, "nop-submit-to-start", NULL, "ns", &bd[0],
			     "null-ioctl", null_st.median, false, c.cpu);
		/* Timed by the device's own clock: the harness's overhead is not in it. */
		bench_record(c.records, &c.env, "nop-start-to-end",
			     params_str("timed_by", "device"), "ns", &bd[1],
			     "clock-overhead", clk, false, c.cpu);
		bench_record(c.records, &c.env, "nop-end-to-woken", NULL, "ns", &bd[2],
			     "eventfd-round-trip", ev_st.median, false, c.cpu);
	}

	if (out && json_object_to_file_ext(out, c.records, JSON_C_TO_STRING_PRETTY)) {
		fprintf(stderr, "accel_bench_latency: cannot write %s\n", out);
		return 1;
	}
	json_object_put(c.records);
	if (c.job_ctx != ACTS_CTX_IMPLICIT)
		__acts_ctx_destroy(c.dev, c.job_ctx);
	acts_dev_close(c.dev);
	return 0;
}
