// SPDX-License-Identifier: MIT
/*
 * One subtest in its own process: its output, exit status and kernel log
 * captured, under the per-test and inactivity timeouts. And the listing of
 * a binary's subtests that plans the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "runner.h"

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p)
			return;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static char *buf_take(struct buf *b)
{
	return b->p ? b->p : strdup("");
}

/*
 * The runner's heartbeat: a file rewritten every HEARTBEAT_S while a
 * subtest runs, so that whoever watches the machine (vm/run --progress) can
 * tell a long, quiet subtest under a live runner from a frozen machine.
 */
#define HEARTBEAT_S 10
static char *heartbeat_path;

void subtest_heartbeat_file(const char *path)
{
	free(heartbeat_path);
	heartbeat_path = path ? strdup(path) : NULL;
}

static void heartbeat(void)
{
	static double last;
	char text[32];
	int fd, n;

	if (!heartbeat_path || clock_mono_s() - last < HEARTBEAT_S)
		return;
	last = clock_mono_s();
	fd = open(heartbeat_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	n = snprintf(text, sizeof(text), "%.0f\n", clock_wall_s());
	if (write(fd, text, (size_t)n) < 0)
		n = 0;	/* a missed beat is no error: the next one comes */
	close(fd);
}

/* How a captured process ended, when it did not end by itself. */
enum spawn_end {
	SPAWN_EXITED,
	SPAWN_TIMEOUT,		/* killed at its deadline */
	SPAWN_INACTIVE,		/* killed after inactivity_s without output */
	SPAWN_UNKILLABLE,	/* killed, and still there KILL_GRACE_S later */
};

/* A process SIGKILL cannot end within this is stuck in the kernel. */
#define KILL_GRACE_S 10

/* Reap pid, waiting at most grace_s; false if it is still there. */
static bool reap(pid_t pid, int *status, int grace_s)
{
	double until = clock_mono_s() + grace_s;
	pid_t r;

	do {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return true;
		usleep(20000);
	} while (clock_mono_s() < until);
	return false;
}

/*
 * Run argv with stdout and stderr captured. Returns 0 and the wait status,
 * or -errno if it could not start; *end says whether it had to be killed.
 */
static int spawn_capture(char *const argv[], int timeout_s, int inactivity_s, char **out,
			 char **err, int *status, enum spawn_end *end,
			 void (*on_line)(void *ctx, const char *line, size_t len), void *ctx)
{
	size_t seen = 0;	/* stdout up to here was handed to on_line */
	struct buf bo = { 0 }, be = { 0 };
	int po[2], pe[2], open_fds = 2;
	double deadline = clock_mono_s() + timeout_s, last = clock_mono_s();
	pid_t pid;

	*end = SPAWN_EXITED;
	*status = 0;
	if (pipe2(po, O_CLOEXEC))
		return -errno;
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int fork_err = -errno;

		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		return fork_err;
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);

	while (open_fds) {
		struct pollfd pfd[2] = { { .fd = po[0], .events = POLLIN },
					 { .fd = pe[0], .events = POLLIN } };
		double t = clock_mono_s(), stop = deadline;
		int left, i, r;

		if (inactivity_s && last + inactivity_s < stop)
			stop = last + inactivity_s;
		left = (int)((stop - t) * 1000);
		if (left <= 0) {
			*end = t >= deadline ? SPAWN_TIMEOUT : SPAWN_INACTIVE;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		heartbeat();
		r = poll(pfd, 2, left < HEARTBEAT_S * 1000 ? left : HEARTBEAT_S * 1000);
		if (r < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2 && r > 0; i++) {
			char chunk[4096];
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, chunk, sizeof(chunk));
			if (n > 0) {
				buf_add(i ? &be : &bo, chunk, (size_t)n);
				last = clock_mono_s();
				while (!i && on_line && bo.p && seen < bo.len) {
					char *nl = memchr(bo.p + seen, '\n', bo.len - seen);

					if (!nl)
						break;
					on_line(ctx, bo.p + seen, (size_t)(nl - bo.p) - seen);
					seen = (size_t)(nl - bo.p) + 1;
				}
			} else {
				close(pfd[i].fd);
				if (i)
					pe[0] = -1;
				else
					po[0] = -1;
				open_fds--;
			}
		}
	}
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	/*
	 * Its output closed, the process may still run (it closed or handed on
	 * its stdout and stderr): it gets what is left of its deadline.
	 */
	if (*end == SPAWN_EXITED) {
		double left = deadline - clock_mono_s();

		if (!reap(pid, status, left > 0 ? (int)left + 1 : 0)) {
			*end = SPAWN_TIMEOUT;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	if (*end != SPAWN_EXITED && !reap(pid, status, KILL_GRACE_S))
		*end = SPAWN_UNKILLABLE;
	kill(-pid, SIGKILL);	/* anything the test left behind */
	*out = buf_take(&bo);
	*err = buf_take(&be);
	return 0;
}

static const struct { const char *word; enum run_result r; } result_words[] = {
	{ "SUCCESS", RUN_PASS }, { "SKIP", RUN_SKIP }, { "FAIL", RUN_FAIL },
	{ "CRASH", RUN_CRASH }, { "TIMEOUT", RUN_TIMEOUT },
};

/* The result of IGT's "<kind> NAME: RESULT (Ns)" line for name in out. */
static enum run_result parse_result_of(const char *out, const char *kind, const char *name,
				       bool *found)
{
	static const size_t nwords = sizeof(result_words) / sizeof(result_words[0]);
	char prefix[512];
	const char *p = out;
	size_t i;

	*found = false;
	snprintf(prefix, sizeof(prefix), "%s %s: ", kind, name);
	while ((p = strstr(p, prefix))) {
		if (p == out || p[-1] == '\n') {
			p += strlen(prefix);
			for (i = 0; i < nwords; i++) {
				if (!strncmp(p, result_words[i].word, strlen(result_words[i].word))) {
					*found = true;
					return result_words[i].r;
				}
			}
		}
		p++;
	}
	return RUN_FAIL;
}

static enum run_result parse_result(const char *out, const char *name, bool *found)
{
	return parse_result_of(out, "Subtest", name, found);
}

/* The first informative line of the test's stderr, for the summary. */
static char *first_reason(const char *err)
{
	static const char skip_prefix[] = "Test requirement not met in ";
	const char *p = err;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n && strncmp(p, "Using device:", 13) && strncmp(p, "Starting dynamic subtest: ", 26) &&
		    strncmp(p, "Dynamic subtest ", 16)) {
			if (!strncmp(p, skip_prefix, sizeof(skip_prefix) - 1)) {
				/* Keep only the message after "file:line: ". */
				const char *m = strstr(p + sizeof(skip_prefix) - 1, ": ");

				if (m && m < p + n)
					return strndup(m + 2, n - (size_t)(m + 2 - p));
			}
			return strndup(p, n);
		}
		p += n + (p[n] == '\n');
	}
	return NULL;
}

/* Parse "--describe" output: "SUB name\n  desc\n  rules: ids\n". */
static void describe(const char *text, const char *name, char **desc, char **rules)
{
	char head[512];
	const char *p;

	*desc = strdup("");
	*rules = strdup("");
	snprintf(head, sizeof(head), "SUB %s\n  ", name);
	p = strstr(text, head);
	if (!p)
		return;
	p += strlen(head);
	free(*desc);
	*desc = strndup(p, strcspn(p, "\n"));
	p = strstr(p, "\n  rules: ");
	if (p) {
		p += 10;
		free(*rules);
		*rules = strndup(p, strcspn(p, "\n"));
	}
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static dynamic_hook_fn dynamic_hook;
static void *dynamic_hook_ctx;

void subtest_dynamic_hook(dynamic_hook_fn fn, void *ctx)
{
	dynamic_hook = fn;
	dynamic_hook_ctx = ctx;
}


struct subtest_result *subtest_dynamic(struct subtest_result *r, const char *name)
{
	struct subtest_result *grown, *d;
	int i;

	for (i = 0; i < r->ndyn; i++)
		if (!strcmp(r->dyn[i].name, name))
			return &r->dyn[i];
	grown = realloc(r->dyn, (size_t)(r->ndyn + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	r->dyn = grown;
	d = &r->dyn[r->ndyn];
	memset(d, 0, sizeof(*d));
	d->binary = strdup(r->binary);
	d->name = strdup(name);
	d->desc = strdup(r->desc ?: "");
	d->rules = strdup(r->rules ?: "");
	d->result = RUN_NOTRUN;
	d->boot = r->boot;
	if (!d->binary || !d->name || !d->desc || !d->rules) {
		free(d->binary);
		free(d->name);
		free(d->desc);
		free(d->rules);
		return NULL;
	}
	r->ndyn++;
	return d;
}

/* What run_subtest's line hook needs: the subtest and when the run began. */
struct live {
	struct subtest_result *r;
	double t0;
};

/*
 * A line of the running subtest's stdout: IGT's dynamic subtest lines
 * start and end a dynamic part, timed as they arrive.
 */
static void on_line(void *ctx, const char *line, size_t len)
{
	static const char start[] = "Starting dynamic subtest: ", res[] = "Dynamic subtest ";
	struct live *l = ctx;
	char text[512], full[1024];
	struct subtest_result *d;

	if (len >= sizeof(text))
		return;
	memcpy(text, line, len);
	text[len] = '\0';
	if (!strncmp(text, start, sizeof(start) - 1)) {
		snprintf(full, sizeof(full), "%s@%s", l->r->name, text + sizeof(start) - 1);
		d = subtest_dynamic(l->r, full);
		if (!d)
			return;
		d->result = RUN_INCOMPLETE;
		d->start = d->end = clock_wall_s() - l->t0;
	} else if (!strncmp(text, res, sizeof(res) - 1)) {
		char *colon = strstr(text + sizeof(res) - 1, ": ");
		bool found;

		if (!colon)
			return;
		snprintf(full, sizeof(full), "%s@%.*s", l->r->name,
			 (int)(colon - text - (sizeof(res) - 1)), text + sizeof(res) - 1);
		d = subtest_dynamic(l->r, full);
		if (!d)
			return;
		d->end = clock_wall_s() - l->t0;
		d->result = parse_result_of(text, "Dynamic subtest", dynamic_part_name(d), &found);
		if (!found)
			return;
	} else {
		return;
	}
	if (dynamic_hook)
		dynamic_hook(dynamic_hook_ctx, l->r, d);
}

/*
 * The span of text that belongs to dynamic part name: from its start mark
 * to the end of its result line (or the next part's start mark); NULL if
 * the part has no start mark in text.
 */
static char *dynamic_slice(const char *text, const char *name)
{
	char mark[600], res[600];
	const char *b, *e, *r;

	snprintf(mark, sizeof(mark), "Starting dynamic subtest: %s\n", name);
	for (b = strstr(text, mark); b && b != text && b[-1] != '\n'; b = strstr(b + 1, mark))
		;
	if (!b)
		return NULL;
	e = strstr(b + strlen(mark), "Starting dynamic subtest: ");
	snprintf(res, sizeof(res), "Dynamic subtest %s: ", name);
	r = strstr(b, res);
	if (r && (!e || r < e))
		e = r + strcspn(r, "\n") + (r[strcspn(r, "\n")] == '\n');
	return strndup(b, e ? (size_t)(e - b) : strlen(b));
}

/* After the run: each dynamic part's own output, kernel log and reason. */
static void finish_dynamic(struct subtest_result *r)
{
	int i;

	for (i = 0; i < r->ndyn; i++) {
		struct subtest_result *d = &r->dyn[i];
		const char *name = dynamic_part_name(d);
		bool found;

		free(d->out);
		free(d->err);
		free(d->dmesg);
		free(d->reason);
		d->out = dynamic_slice(r->out ?: "", name);
		d->err = dynamic_slice(r->err ?: "", name);
		d->dmesg = NULL;
		d->reason = NULL;
		if (!d->out)
			d->out = strdup("");
		if (!d->err)
			d->err = strdup("");
		if (!d->dmesg)
			d->dmesg = strdup("");
		/* The kernel log: from this part's mark to the next one's. */
		{
			char mark[600];
			const char *b, *e;

			snprintf(mark, sizeof(mark), ": starting dynamic subtest %s\n", name);
			b = strstr(r->dmesg ?: "", mark);
			if (b) {
				/* The first part has what came before it, as igt_runner gives it. */
				b = i ? b : r->dmesg;
				while (b > r->dmesg && b[-1] != '\n')
					b--;
				e = strstr(b + 1, ": starting dynamic subtest ");
				while (e && e > b && e[-1] != '\n')
					e--;
				free(d->dmesg);
				d->dmesg = strndup(b, e && e > b ? (size_t)(e - b) : strlen(b));
			}
		}
		d->result = parse_result_of(r->out ?: "", "Dynamic subtest", name, &found);
		if (!found) {
			/* Cut short: what ended the subtest ended the part. */
			d->result = r->result == RUN_PASS || r->result == RUN_SKIP ? RUN_FAIL :
				    r->result == RUN_DMESG_WARN ? RUN_FAIL :
				    r->result == RUN_DMESG_FAIL ? RUN_FAIL : r->result;
			if (asprintf(&d->reason, "no result line: the subtest ended %s in it%s%s",
				     run_result_name(r->result), r->reason ? ": " : "",
				     r->reason ?: "") < 0)
				d->reason = NULL;
		} else if (d->result != RUN_PASS) {
			d->reason = first_reason(d->err);
		}
		if (d->end < d->start)
			d->end = d->start;
	}
	/* The subtest's reason: the part that failed it, or why they all skipped. */
	for (i = 0; i < r->ndyn; i++) {
		struct subtest_result *d = &r->dyn[i];
		bool failed = run_result_is_failure(d->result);
		char *why;

		if (!(failed && run_result_is_failure(r->result)) &&
		    !(r->result == RUN_SKIP && d->result == RUN_SKIP))
			continue;
		if (failed && asprintf(&why, "dynamic subtest %s (%s)%s%s", dynamic_part_name(d),
				       run_result_name(d->result), d->reason ? ": " : "",
				       d->reason ?: "") < 0)
			break;
		if (!failed && asprintf(&why, "every dynamic subtest skipped; %s: %s",
					dynamic_part_name(d), d->reason ?: "skip") < 0)
			break;
		free(r->reason);
		r->reason = why;
		break;
	}
}

/* Run r's subtest of the binary at path in its own process and fill in r. */
void run_subtest(const struct run_options *o, const struct device_run *dev, const char *path,
		 struct subtest_result *r, double t0, bool *unkillable)
{
	char timeout[16];
	char *argv[] = { (char *)path, "--run-subtest", r->name, "--timeout", timeout, "--device",
			 (char *)dev->node.path, NULL };
	struct live live = { .r = r, .t0 = t0 };
	int kfd = kmsg_open(), status, ret;
	enum spawn_end end;
	bool found;
	char *warning;

	snprintf(timeout, sizeof(timeout), "%d", o->timeout_s);
	if (!dev->node.path[0])
		argv[5] = NULL;		/* --no-device: the binary looks for none */
	r->start = clock_wall_s() - t0;
	/* The binary enforces the timeout; this is the backstop. */
	ret = spawn_capture(argv, o->timeout_s + 15, o->inactivity_s, &r->out, &r->err, &status,
			    &end, on_line, &live);
	r->end = clock_wall_s() - t0;
	r->dmesg = kmsg_collect(kfd, &warning);
	if (kfd >= 0)
		close(kfd);
	*unkillable = end == SPAWN_UNKILLABLE;

	if (ret) {
		r->out = strdup("");
		r->err = strdup("");
		r->result = RUN_FAIL;
		r->reason = strdup(strerror(-ret));
	} else if (end == SPAWN_UNKILLABLE) {
		r->result = RUN_TIMEOUT;
		if (asprintf(&r->reason, "killed after its timeout, still running %d s later: "
			     "stuck in the kernel", KILL_GRACE_S) < 0)
			r->reason = NULL;
	} else if (end == SPAWN_TIMEOUT) {
		r->result = RUN_TIMEOUT;
		r->reason = strdup("killed by the runner after its timeout");
	} else if (end == SPAWN_INACTIVE) {
		r->result = RUN_TIMEOUT;
		if (asprintf(&r->reason, "killed by the runner: no output for %d s",
			     o->inactivity_s) < 0)
			r->reason = NULL;
	} else {
		r->result = parse_result(r->out, r->name, &found);
		if (!found && WIFSIGNALED(status))
			r->result = RUN_CRASH;
		else if (!found && WIFEXITED(status) && WEXITSTATUS(status) == 77)
			r->result = RUN_SKIP;
		if (r->result != RUN_PASS)
			r->reason = first_reason(r->err);
		if (!found && !r->reason) {
			char why[64];

			snprintf(why, sizeof(why), "no result line; wait status %#x", status);
			r->reason = strdup(why);
		}
	}
	/*
	 * A subtest the runner had to kill took the harness that restores the
	 * device's defaults with it: restore them here, for the next subtest.
	 */
	if (r->result != RUN_PASS && r->result != RUN_SKIP && !*unkillable && dev->node.path[0])
		acts_dev_restore_defaults(dev->node.path);
	finish_dynamic(r);
	free(r->kernel_said);
	r->kernel_said = warning ? strdup(warning) : NULL;
	if (warning) {
		if (r->result == RUN_PASS)
			r->result = RUN_DMESG_WARN;
		else if (r->result == RUN_FAIL)
			r->result = RUN_DMESG_FAIL;
		if (!r->reason) {
			if (asprintf(&r->reason, "the kernel logged a warning: %s", warning) < 0)
				r->reason = NULL;
		} else if (r->result == RUN_CRASH || r->result == RUN_TIMEOUT) {
			/* What the kernel said explains a crash better than the signal. */
			char *both;

			if (asprintf(&both, "%s; the kernel: %s", r->reason, warning) >= 0) {
				free(r->reason);
				r->reason = both;
			}
		}
		free(warning);
	}
}

static void plan_free_lists(struct plan_binary *b)
{
	int i;

	for (i = 0; i < b->n; i++) {
		free(b->subtests[i]);
		free(b->descs[i]);
		free(b->rules[i]);
	}
	free(b->subtests);
	free(b->descs);
	free(b->rules);
	b->subtests = b->descs = b->rules = NULL;
	b->n = 0;
}

void plan_binary_free(struct plan_binary *b)
{
	plan_free_lists(b);
	free(b->path);
	free(b->name);
	b->path = b->name = NULL;
}

int plan_binary(const char *path, struct plan_binary *b)
{
	char *list_out, *list_err, *desc_out = NULL, *desc_err, *line, *save = NULL;
	char *list_argv[] = { (char *)path, "--list-subtests", NULL };
	char *desc_argv[] = { (char *)path, "--describe", NULL };
	enum spawn_end end;
	int status, ret;

	memset(b, 0, sizeof(*b));
	b->path = strdup(path);
	b->name = strdup(base_name(path));
	if (!b->path || !b->name) {
		plan_binary_free(b);
		return -ENOMEM;
	}
	ret = spawn_capture(list_argv, 30, 0, &list_out, &list_err, &status, &end, NULL, NULL);
	if (ret || end != SPAWN_EXITED || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "accel-cts: %s --list-subtests failed: %s\n", path,
			ret ? strerror(-ret) : list_err);
		if (!ret) {
			free(list_out);
			free(list_err);
		}
		plan_binary_free(b);
		return ret ?: -EIO;
	}
	free(list_err);
	if (spawn_capture(desc_argv, 30, 0, &desc_out, &desc_err, &status, &end, NULL, NULL))
		desc_out = NULL;
	else
		free(desc_err);

	ret = 0;
	for (line = strtok_r(list_out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t cap = (size_t)b->n + 1;
		char **s = realloc(b->subtests, cap * sizeof(*s)), **d, **r;

		if (s)
			b->subtests = s;
		d = s ? realloc(b->descs, cap * sizeof(*d)) : NULL;
		if (d)
			b->descs = d;
		r = d ? realloc(b->rules, cap * sizeof(*r)) : NULL;
		if (r)
			b->rules = r;
		if (!r) {
			ret = -ENOMEM;
			break;
		}
		b->subtests[b->n] = strdup(line);
		describe(desc_out ?: "", line, &b->descs[b->n], &b->rules[b->n]);
		b->n++;
		if (!b->subtests[b->n - 1] || !b->descs[b->n - 1] || !b->rules[b->n - 1]) {
			ret = -ENOMEM;
			break;
		}
	}
	free(list_out);
	free(desc_out);
	if (ret)
		plan_binary_free(b);
	return ret;
}
