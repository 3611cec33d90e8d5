// SPDX-License-Identifier: MIT
/*
 * Replays and shrinking. A stream's ops are (table index, op seed) pairs
 * drawn from the run's seed, so any subset of them can be replayed in a
 * fresh process with fresh files. A failure shrinks by delta debugging
 * (ddmin over complements): start from the ops before the failing one
 * (a window of them), drop chunks while the replay still fails the same
 * way, and print what is left as a readable op list with the arguments
 * each op issued.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acts_backend.h"
#include "fz.h"

uint64_t fz_stream_seed(uint64_t seed, unsigned int stream)
{
	struct acts_rand r = acts_rand_init(seed ^ (0x9e3779b97f4a7c15ull * (stream + 1)));

	return acts_rand_u64(&r);
}

uint64_t *fz_stream_seeds(uint64_t seed, unsigned int stream, uint64_t n)
{
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));
	struct acts_rand r = acts_rand_init(fz_stream_seed(seed, stream));
	uint64_t i;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = acts_rand_u64(&r);
	return v;
}

/* Two rule messages name the same rule: equal up to their first number. */
static bool same_rule(const char *a, const char *b)
{
	size_t n = strcspn(a, "0123456789");

	return n == strcspn(b, "0123456789") && !strncmp(a, b, n);
}

static void defaults_restore(const struct fz_opts *o)
{
	struct acts_dev *dev = acts_dev_open(o->device);

	if (!dev)
		return;
	if (dev->be->defaults_restore)
		dev->be->defaults_restore(dev);
	acts_dev_close(dev);
}

bool fz_replay(const struct fz_opts *o, const struct fz_limits *lim, unsigned int stream,
	       const uint64_t *idx, size_t n, const uint64_t *seeds, enum fz_fail_kind kind,
	       const char *want, bool print)
{
	int kfd = kind == FZ_FAIL_KERNEL || kind == FZ_FAIL_NONE ? fz_kmsg_open() : -1, status;
	bool hit = false;
	char *report;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		struct fz_shared *sh = calloc(1, sizeof(*sh));
		struct fz_state *s = calloc(1, sizeof(*s));
		char why[256];
		size_t i;

		defaults_restore(o);
		if (!sh || !s || fz_state_init(s, o, sh, lim, stream))
			_exit(2);
		s->trace = print;
		for (i = 0; i < n; i++) {
			unsigned int op;

			s->op_index = idx[i];
			op = fz_op_run(s, seeds[idx[i]]);
			if (print)
				printf("  %3zu  #%-8llu %s\n", i + 1, (unsigned long long)idx[i],
				       s->trace ? s->desc : fz_op_name(op));
			if (s->violation[0]) {
				if (print)
					printf("        ^ rule broken: %s\n", s->violation);
				fflush(stdout);
				if (kind == FZ_FAIL_RULE && same_rule(s->violation, want))
					_exit(1);
				if (kind == FZ_FAIL_NONE)
					_exit(1);
			}
		}
		if (fz_drain(s, why, sizeof(why))) {
			if (print)
				printf("        ^ %s\n", why);
			fflush(stdout);
			if (kind == FZ_FAIL_HANG || kind == FZ_FAIL_NONE)
				_exit(1);
		}
		fz_state_fini(s);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		hit = true;
	if (WIFSIGNALED(status) && (kind == FZ_FAIL_DIED || kind == FZ_FAIL_NONE))
		hit = true;
	if (kfd >= 0) {
		/* Let a late report (a timed-out job's worker) reach the log. */
		usleep(200000);
		report = fz_kmsg_report(kfd);
		if (report) {
			if (print)
				printf("        kernel: %s\n", report);
			hit = true;
			free(report);
		}
		close(kfd);
	}
	return hit;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct shrink_ctx {
	const struct fz_opts *o;
	const struct fz_limits *lim;
	const struct fz_shared *sh;
	unsigned int stream;
	const uint64_t *seeds;
	uint64_t last;		/* the failing op, kept at the end (rules), or UINT64_MAX */
	uint64_t *buf;
	unsigned int tests;
};

static bool test(struct shrink_ctx *c, const uint64_t *idx, size_t n)
{
	size_t m = n;

	memcpy(c->buf, idx, n * sizeof(*idx));
	if (c->last != UINT64_MAX)
		c->buf[m++] = c->last;
	c->tests++;
	return fz_replay(c->o, c->lim, c->stream, c->buf, m, c->seeds, c->sh->kind, c->sh->msg,
			 false);
}

/* ddmin over complements: drop one chunk of n at a time while it still fails. */
static size_t ddmin(struct shrink_ctx *c, uint64_t *list, size_t len, double deadline)
{
	uint64_t *cand = malloc((len + 1) * sizeof(*cand));
	size_t n = 2;

	if (!cand)
		return len;
	while (len >= 1 && now_s() < deadline) {
		size_t chunk = (len + n - 1) / n, i, reduced = 0;

		for (i = 0; i < n && i * chunk < len; i++) {
			size_t lo = i * chunk, hi = lo + chunk < len ? lo + chunk : len, m;

			memcpy(cand, list, lo * sizeof(*cand));
			memcpy(cand + lo, list + hi, (len - hi) * sizeof(*cand));
			m = len - (hi - lo);
			if (test(c, cand, m)) {
				memcpy(list, cand, m * sizeof(*cand));
				len = m;
				n = n > 2 ? n - 1 : 2;
				reduced = 1;
				break;
			}
			if (now_s() >= deadline)
				break;
		}
		if (!reduced) {
			if (n >= len)
				break;
			n = 2 * n < len ? 2 * n : len;
		}
	}
	free(cand);
	return len;
}

static int shrink_stream(const struct fz_opts *o, const struct fz_limits *lim,
			 const struct fz_shared *sh, unsigned int stream, uint64_t nops)
{
	struct shrink_ctx c = { .o = o, .lim = lim, .sh = sh, .stream = stream };
	uint64_t start, *list, i;
	size_t len, k;
	double t0 = now_s();

	if (!nops)
		return -ENOENT;
	start = nops > o->shrink_window ? nops - o->shrink_window : 0;
	c.seeds = fz_stream_seeds(o->seed, stream, nops);
	list = malloc((nops - start + 1) * sizeof(*list));
	c.buf = malloc((nops - start + 2) * sizeof(*c.buf));
	if (!c.seeds || !list || !c.buf)
		return -ENOMEM;
	c.last = sh->kind == FZ_FAIL_RULE ? nops - 1 : UINT64_MAX;
	len = 0;
	for (i = start; i < nops - (c.last != UINT64_MAX); i++)
		list[len++] = i;
	printf("accel_fuzz: shrinking stream %u: replaying ops %llu..%llu single-threaded\n",
	       stream, (unsigned long long)start, (unsigned long long)nops - 1);
	fflush(stdout);
	if (!test(&c, list, len)) {
		printf("accel_fuzz: stream %u's last %zu ops do not reproduce it alone (it needs other streams, a WARN_ONCE already fired, or timing)\n",
		       stream, len + (c.last != UINT64_MAX));
		return -EAGAIN;
	}
	len = ddmin(&c, list, len, t0 + o->shrink_seconds);
	if (c.last != UINT64_MAX)
		list[len++] = c.last;
	printf("accel_fuzz: reproducer: %zu op(s) of stream %u (from %llu, %u replays, %.1f s):\n",
	       len, stream, (unsigned long long)(nops - start), c.tests, now_s() - t0);
	fflush(stdout);
	fz_replay(o, lim, stream, list, len, c.seeds, sh->kind, sh->msg, true);
	printf("accel_fuzz: replay it: accel_fuzz --device %s --seed %#llx --stream %u --replay-ops ",
	       o->device, (unsigned long long)o->seed, stream);
	for (k = 0; k < len; k++)
		printf("%s%llu", k ? "," : "", (unsigned long long)list[k]);
	printf("\n");
	free(list);
	free(c.buf);
	free((void *)c.seeds);
	return 0;
}

int fz_shrink(const struct fz_opts *o, const struct fz_limits *lim, const struct fz_shared *sh)
{
	unsigned int n = o->procs * o->threads, st;

	if (sh->kind == FZ_FAIL_RULE || sh->kind == FZ_FAIL_HANG)
		return shrink_stream(o, lim, sh, sh->stream,
				     sh->kind == FZ_FAIL_RULE ? sh->op_index + 1 :
								sh->ops_done[sh->stream]);
	if (sh->kind == FZ_FAIL_LEAK)
		return -EOPNOTSUPP;
	/* A kernel report or a death names no stream: try each. */
	for (st = 0; st < n; st++)
		if (!shrink_stream(o, lim, sh, st, sh->ops_done[st]))
			return 0;
	return -EAGAIN;
}
