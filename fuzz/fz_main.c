// SPDX-License-Identifier: MIT
/*
 * accel_fuzz: the command. Runs PROCS processes of THREADS streams each on
 * one refaccel node until the run has issued IOCTLS ioctls (or SECONDS
 * passed), watches the kernel log, then checks that every fence signalled
 * and no device memory is left; on a failure it shrinks the failing stream
 * to a reproducer. docs/FUZZ.md has the how-to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acts_backend.h"
#include "fz.h"

static struct fz_opts opts = {
	.device = "/dev/accel/accel0",
	.procs = 2,
	.threads = 2,
	.ioctls = 1000000,
	.shrink = true,
	.shrink_window = 2000,
	.shrink_seconds = 300,
};
static struct fz_limits lim;
static struct fz_shared *sh;
static double t_start;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: accel_fuzz [options]\n"
		"  --device PATH         the refaccel node (default /dev/accel/accel0)\n"
		"  --seed N              the run's seed (default: from the clock; printed)\n"
		"  --ioctls N            stop after N ioctls in all (default 1000000)\n"
		"  --seconds N           or after N seconds\n"
		"  --procs N --threads N processes, and streams in each (default 2 x 2)\n"
		"  --faults              toggle refaccel's fault knobs (debugfs, root)\n"
		"  --allow-core-bug=syncobj-huge-count\n"
		"                        let syncobj array counts go above %u: Linux 6.12's\n"
		"                        drm_syncobj_array_find then WARNs (a known core bug)\n"
		"  --no-shrink           report a failure without shrinking it\n"
		"  --shrink-window N     ops before the failing one to shrink from (2000)\n"
		"  --shrink-seconds N    time for shrinking (300)\n"
		"  --stream N --ops K    replay ops 0..K-1 of stream N, single-threaded, traced\n"
		"  --stream N --replay-ops I,J,...  replay those ops of stream N, traced\n"
		"  --list-ops            the ops table\n"
		"  --verbose             each stream's time per op kind, at its end\n"
		"Exit: 0 clean, 1 a failure (printed, with its reproducer), 2 bad usage or no device.\n",
		FZ_SYNCOBJ_SAFE_COUNT);
}

static void *stream_thread(void *arg)
{
	unsigned int stream = (unsigned int)(uintptr_t)arg;
	struct fz_state *s = calloc(1, sizeof(*s));
	struct acts_rand r = acts_rand_init(fz_stream_seed(opts.seed, stream));
	char why[256];
	int ret;

	if (!s)
		return NULL;
	ret = fz_state_init(s, &opts, sh, &lim, stream);
	if (ret) {
		fz_fail(sh, FZ_FAIL_DIED, stream, 0, "stream %u cannot open %s: %s", stream,
			opts.device, strerror(-ret));
		return NULL;
	}
	double op_t[64] = { 0 }, t0;
	unsigned long op_n[64] = { 0 };

	for (s->op_index = 0;; s->op_index++) {
		unsigned int op;

		if (__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&sh->ioctls, __ATOMIC_RELAXED) >= opts.ioctls ||
		    (opts.seconds && now_s() - t_start >= opts.seconds))
			break;
		t0 = opts.verbose ? now_s() : 0;
		op = fz_op_run(s, acts_rand_u64(&r));
		if (opts.verbose && op < 64) {
			op_t[op] += now_s() - t0;
			op_n[op]++;
		}
		sh->ops_done[stream] = s->op_index + 1;
		if (s->violation[0]) {
			fz_fail(sh, FZ_FAIL_RULE, stream, s->op_index, "%s", s->violation);
			if (opts.verbose)
				fprintf(stderr, "accel_fuzz: stream %u op #%llu (%s) broke a rule\n",
					stream, (unsigned long long)s->op_index, fz_op_name(op));
			break;
		}
	}
	if (opts.verbose) {
		unsigned int i;

		for (i = 0; i < 64; i++)
			if (op_n[i])
				fprintf(stderr, "accel_fuzz: stream %u: %-24s %7lu ops %8.3f s %7.1f us/op\n",
					stream, fz_op_name(i), op_n[i], op_t[i],
					op_t[i] * 1e6 / (double)op_n[i]);
	}
	if (!sh->failed && fz_drain(s, why, sizeof(why)))
		fz_fail(sh, FZ_FAIL_HANG, stream, s->op_index, "%s", why);
	fz_state_fini(s);
	free(s);
	return NULL;
}

static void worker(unsigned int proc)
{
	pthread_t t[FZ_MAX_STREAMS];
	unsigned int i;

	for (i = 0; i < opts.threads; i++)
		pthread_create(&t[i], NULL, stream_thread,
			       (void *)(uintptr_t)(proc * opts.threads + i));
	for (i = 0; i < opts.threads; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

static void restore_defaults(void)
{
	struct acts_dev *dev = acts_dev_open(opts.device);

	if (!dev)
		return;
	if (dev->be->defaults_restore)
		dev->be->defaults_restore(dev);
	acts_dev_close(dev);
}

static int parse_list(const char *arg, uint64_t **list, size_t *n)
{
	const char *p = arg;
	char *end;

	*n = 0;
	*list = malloc((strlen(arg) / 2 + 2) * sizeof(**list));
	if (!*list)
		return -ENOMEM;
	while (*p) {
		errno = 0;
		(*list)[(*n)++] = strtoull(p, &end, 0);
		if (errno || end == p)
			return -EINVAL;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return -EINVAL;
	}
	return 0;
}

static int replay(unsigned int stream, uint64_t nops, const char *ops_list)
{
	uint64_t *list, *seeds, max = 0, i;
	size_t n;
	bool hit;

	if (ops_list) {
		if (parse_list(ops_list, &list, &n)) {
			fprintf(stderr, "accel_fuzz: --replay-ops '%s': not a list of numbers\n",
				ops_list);
			return 2;
		}
	} else {
		n = nops;
		list = malloc((n ? n : 1) * sizeof(*list));
		if (!list)
			return 2;
		for (i = 0; i < n; i++)
			list[i] = i;
	}
	for (i = 0; i < n; i++)
		max = list[i] + 1 > max ? list[i] + 1 : max;
	seeds = fz_stream_seeds(opts.seed, stream, max);
	if (!seeds)
		return 2;
	printf("accel_fuzz: seed %#llx stream %u: replaying %zu op(s)\n",
	       (unsigned long long)opts.seed, stream, n);
	hit = fz_replay(&opts, &lim, stream, list, n, seeds, FZ_FAIL_NONE, "", true);
	printf("accel_fuzz: replay %s\n", hit ? "FAILED (a rule broken, a hang or a death)" :
						"clean (no rule broken)");
	free(list);
	free(seeds);
	return hit ? 1 : 0;
}

int main(int argc, char **argv)
{
	enum { O_DEVICE = 256, O_SEED, O_IOCTLS, O_SECONDS, O_PROCS, O_THREADS, O_FAULTS,
	       O_ALLOW, O_NOSHRINK, O_WINDOW, O_SHRINK_S, O_STREAM, O_OPS, O_REPLAY, O_LIST,
	       O_VERBOSE, O_HELP };
	static const struct option lo[] = {
		{ "device", 1, NULL, O_DEVICE }, { "seed", 1, NULL, O_SEED },
		{ "ioctls", 1, NULL, O_IOCTLS }, { "seconds", 1, NULL, O_SECONDS },
		{ "procs", 1, NULL, O_PROCS }, { "threads", 1, NULL, O_THREADS },
		{ "faults", 0, NULL, O_FAULTS }, { "allow-core-bug", 1, NULL, O_ALLOW },
		{ "no-shrink", 0, NULL, O_NOSHRINK }, { "shrink-window", 1, NULL, O_WINDOW },
		{ "shrink-seconds", 1, NULL, O_SHRINK_S }, { "stream", 1, NULL, O_STREAM },
		{ "ops", 1, NULL, O_OPS }, { "replay-ops", 1, NULL, O_REPLAY },
		{ "list-ops", 0, NULL, O_LIST }, { "verbose", 0, NULL, O_VERBOSE },
		{ "help", 0, NULL, O_HELP }, { 0 },
	};
	bool seeded = false, list_ops = false;
	long stream = -1;
	uint64_t nops = 0, used;
	const char *ops_list = NULL;
	pid_t pids[FZ_MAX_STREAMS];
	unsigned int i, alive;
	double t_last = 0, el;
	int c, kfd, ret;
	char *report;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_DEVICE: opts.device = optarg; break;
		case O_SEED: opts.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case O_IOCTLS: opts.ioctls = strtoull(optarg, NULL, 0); break;
		case O_SECONDS: opts.seconds = (unsigned int)strtoul(optarg, NULL, 0); break;
		case O_PROCS: opts.procs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case O_THREADS: opts.threads = (unsigned int)strtoul(optarg, NULL, 0); break;
		case O_FAULTS: opts.faults = true; break;
		case O_ALLOW:
			if (strcmp(optarg, "syncobj-huge-count")) {
				fprintf(stderr, "accel_fuzz: --allow-core-bug=%s: the only known one is syncobj-huge-count\n",
					optarg);
				return 2;
			}
			opts.allow_syncobj_huge = true;
			break;
		case O_NOSHRINK: opts.shrink = false; break;
		case O_WINDOW: opts.shrink_window = (unsigned int)strtoul(optarg, NULL, 0); break;
		case O_SHRINK_S: opts.shrink_seconds = (unsigned int)strtoul(optarg, NULL, 0); break;
		case O_STREAM: stream = strtol(optarg, NULL, 0); break;
		case O_OPS: nops = strtoull(optarg, NULL, 0); break;
		case O_REPLAY: ops_list = optarg; break;
		case O_LIST: list_ops = true; break;
		case O_VERBOSE: opts.verbose = true; break;
		case O_HELP: usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (list_ops) {
		for (i = 0; i < fz_nops_refaccel + fz_nops_drm + fz_nops_proc; i++)
			printf("%s\n", fz_op_name(i));
		return 0;
	}
	if (!opts.procs || !opts.threads || opts.procs * opts.threads > FZ_MAX_STREAMS) {
		fprintf(stderr, "accel_fuzz: procs x threads must be 1..%d\n", FZ_MAX_STREAMS);
		return 2;
	}
	if (!seeded)
		opts.seed = acts_seed();
	ret = fz_limits_read(opts.device, &lim);
	if (ret) {
		fprintf(stderr, "accel_fuzz: %s: cannot read refaccel's parameters: %s\n",
			opts.device, strerror(-ret));
		return 2;
	}
	if (stream >= 0)
		return replay((unsigned int)stream, nops, ops_list);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	memset(sh, 0, sizeof(*sh));
	printf("accel_fuzz: seed %#llx (replay: --seed %#llx), %u process(es) x %u thread(s), %llu ioctls%s%s, faults %s, syncobj counts %s\n",
	       (unsigned long long)opts.seed, (unsigned long long)opts.seed, opts.procs,
	       opts.threads, (unsigned long long)opts.ioctls, opts.seconds ? " or " : "",
	       opts.seconds ? "a time limit" : "", opts.faults ? "on" : "off",
	       opts.allow_syncobj_huge ? "unbounded (--allow-core-bug=syncobj-huge-count)" :
					 "capped below the core's WARN");
	if (!opts.allow_syncobj_huge)
		printf("accel_fuzz: syncobj array counts capped at %u: above it Linux 6.12's drm_syncobj_array_find WARNs in the page allocator (a known core bug); --allow-core-bug=syncobj-huge-count lifts the cap\n",
		       FZ_SYNCOBJ_SAFE_COUNT);
	fflush(stdout);
	kfd = fz_kmsg_open();
	if (kfd < 0)
		fprintf(stderr, "accel_fuzz: /dev/kmsg not readable: kernel reports are left to the caller\n");
	if (opts.faults)
		restore_defaults();
	t_start = now_s();
	for (i = 0; i < opts.procs; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker(i);
	}
	for (alive = opts.procs; alive;) {
		int status;
		pid_t p;

		usleep(200000);
		while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
			alive--;
			for (i = 0; i < opts.procs; i++)
				if (pids[i] == p && WIFSIGNALED(status))
					fz_fail(sh, FZ_FAIL_DIED, i * opts.threads, 0,
						"fuzzing process %u died of signal %d", i,
						WTERMSIG(status));
		}
		report = fz_kmsg_report(kfd);
		if (report) {
			fz_fail(sh, FZ_FAIL_KERNEL, 0, 0, "kernel: %s", report);
			free(report);
		}
		el = now_s() - t_start;
		if (el - t_last >= 10) {
			t_last = el;
			printf("accel_fuzz: %llu ioctls, %.0f s, %.0f ioctls/s\n",
			       (unsigned long long)sh->ioctls, el, sh->ioctls / el);
			fflush(stdout);
		}
	}
	el = now_s() - t_start;
	if (opts.faults)
		restore_defaults();
	{
		uint64_t ops = 0;

		for (i = 0; i < opts.procs * opts.threads; i++)
			ops += sh->ops_done[i];
		printf("accel_fuzz: %llu ioctls (%llu ops, %llu forks) in %.1f s: %.0f ioctls/s; %llu syncobj counts capped\n",
		       (unsigned long long)sh->ioctls, (unsigned long long)ops,
		       (unsigned long long)sh->forks, el, sh->ioctls / el,
		       (unsigned long long)sh->capped_counts);
		printf("accel_fuzz: ops per stream:");
		for (i = 0; i < opts.procs * opts.threads; i++)
			printf(" %llu", (unsigned long long)sh->ops_done[i]);
		printf("\n");
	}
	if (!sh->failed) {
		ret = fz_leak_check(opts.device, &used);
		if (ret == -ENOSPC)
			fz_fail(sh, FZ_FAIL_LEAK, 0, 0,
				"%llu bytes of device memory still in use 30 s after every file closed",
				(unsigned long long)used);
	}
	report = fz_kmsg_report(kfd);
	if (report) {
		fz_fail(sh, FZ_FAIL_KERNEL, 0, 0, "kernel: %s", report);
		free(report);
	}
	if (!sh->failed) {
		printf("accel_fuzz: PASS: no rule broken, no kernel report, every fence signalled, no device memory left\n");
		return 0;
	}
	printf("accel_fuzz: FAILED (%s): %s\n", fz_fail_name(sh->kind), sh->msg);
	if (sh->kind == FZ_FAIL_RULE || sh->kind == FZ_FAIL_HANG)
		printf("accel_fuzz: stream %u, op #%llu; replay: accel_fuzz --device %s --seed %#llx --stream %u --ops %llu\n",
		       sh->stream, (unsigned long long)sh->op_index, opts.device,
		       (unsigned long long)opts.seed, sh->stream,
		       (unsigned long long)sh->ops_done[sh->stream]);
	fflush(stdout);
	if (opts.shrink)
		fz_shrink(&opts, &lim, sh);
	return 1;
}
