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
#include "acts_device.h"
#include "acts_gem.h"
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

static int submit_nop(struct ctx *c, uint32_t out)
{
	static const struct acts_cmd nop = { .op = ACTS_CMD_NOP };
	struct acts_job job = {
		.ctx = c->job_ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = &nop, .ncmds = 1,
		.out = { .handle = out },
	};

	return __acts_submit(c->dev, &job);
}

static void wait_out(struct ctx *c, uint32_t out)
{
	int ret = __acts_syncobj_wait(c->dev, &out, 1, acts_deadline_ms(acts_fence_timeout_ms()),
				      0, NULL);

	if (ret)
		die("waiting for a NOP job", ret);
}

/* One NOP at a time, submit to the wait returning. */
static void nop_round_trip(struct ctx *c, struct bench_stats *st)
{
	uint32_t out = acts_syncobj_create(c->dev, false);
	unsigned int warm = c->n / 10, i;
	double *s = samples(c->n);
	int ret;

	for (i = 0; i < c->n + warm; i++) {
		int64_t t0 = bench_now_ns();

		ret = submit_nop(c, out);
		if (ret)
			die("submitting a NOP job", ret);
		wait_out(c, out);
		if (i >= warm)
			s[i - warm] = (double)(bench_now_ns() - t0);
	}
	acts_syncobj_destroy(c->dev, out);
	bench_stats_compute(s, c->n, st);
	free(s);
}

/* Jobs per second with inflight NOPs kept queued, over several repetitions. */
static void nop_throughput(struct ctx *c, unsigned int inflight, unsigned int jobs,
			   struct bench_stats *st)
{
	enum { REPS = 7 };
	uint32_t *outs = calloc(inflight, sizeof(*outs));
	double s[REPS];
	unsigned int r, i;
	int ret;

	if (!outs)
		die("out of memory", ENOMEM);
	for (i = 0; i < inflight; i++)
		outs[i] = acts_syncobj_create(c->dev, false);
	for (r = 0; r < REPS + 1; r++) {
		int64_t t0 = bench_now_ns();

		for (i = 0; i < jobs; i++) {
			if (i >= inflight)
				wait_out(c, outs[i % inflight]);
			ret = submit_nop(c, outs[i % inflight]);
			if (ret)
				die("submitting a NOP job", ret);
		}
		for (i = 0; i < inflight && i < jobs; i++)
			wait_out(c, outs[i]);
		if (r)	/* the first repetition warms up */
			s[r - 1] = (double)jobs * 1e9 / (double)(bench_now_ns() - t0);
	}
	for (i = 0; i < inflight; i++)
		acts_syncobj_destroy(c->dev, outs[i]);
	free(outs);
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
	uint32_t out = acts_syncobj_create(c->dev, false);
	unsigned int warm = c->n / 10, i, k;
	double *s[3] = { samples(c->n), samples(c->n), samples(c->n) };
	struct acts_job job = {
		.ctx = c->job_ctx, .engine = ACTS_ENGINE_COMPUTE, .cmds = cmds, .ncmds = 3,
		.bos = &b.handle, .nbos = 1, .out = { .handle = out },
	};
	int ret;

	for (i = 0; i < c->n + warm; i++) {
		int64_t t0 = bench_now_ns(), t3;
		uint64_t ts[2];

		ret = __acts_submit(c->dev, &job);
		if (ret)
			die("submitting a TIMESTAMP job", ret);
		wait_out(c, out);
		t3 = bench_now_ns();
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
	acts_syncobj_destroy(c->dev, out);
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
		return 2;
	}
	if (!c.dev->be->submit) {
		fprintf(stderr, "accel_bench_latency: the %s backend cannot submit jobs\n",
			c.dev->be->name);
		return 77;
	}
	c.cpu = bench_pin(cpu);
	if (c.cpu < 0) {
		fprintf(stderr, "accel_bench_latency: cannot pin to CPU %d\n", cpu);
		return 2;
	}
	bench_env_fill(&c.env, c.dev);
	c.records = json_object_new_array();
	{
		struct acts_ctx_create cc = { .priority = ACTS_PRIO_NORMAL };
		int ret = __acts_ctx_create(c.dev, &cc);

		if (ret)
			die("creating a context", ret);
		c.job_ctx = cc.id;
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

	if (c.dev->be->timestamps_monotonic) {
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
	acts_dev_close(c.dev);
	return 0;
}
