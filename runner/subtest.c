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
#include <sys/socket.h>
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
	SPAWN_STOPPED,		/* killed because on_line asked it */
};

/* What an on_line hook returns: bits. */
#define LINE_CLOCK_AGAIN	(1 << 0)	/* the deadline starts again from now */
#define LINE_STOP		(1 << 1)	/* kill the process now */
#define LINE_ACK		(1 << 2)	/* tell the binary (ACCEL_CTS_ACK_FD) to go on */

/*
 * A line of stdout; out and err are everything read so far (err read up to
 * what the process wrote before this line). Returns LINE_* bits.
 */
typedef int (*line_fn)(void *ctx, const char *line, size_t len, const struct buf *out,
		       const struct buf *err);

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

/* Read what fd has now without blocking into b; false at its end or on an error. */
static bool drain(int fd, struct buf *b)
{
	char chunk[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			buf_add(b, chunk, (size_t)n);
			continue;
		}
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	}
}

/*
 * Run argv with stdout and stderr captured. Returns 0 and the wait status,
 * or -errno if it could not start; *end says whether it had to be killed.
 * marks: ask the binary for its subtest marks on stderr too.
 */
static int spawn_capture(char *const argv[], int timeout_s, int inactivity_s, bool marks,
			 char **out, char **err, int *status, enum spawn_end *end,
			 line_fn on_line, void *ctx)
{
	size_t seen = 0;	/* stdout up to here was handed to on_line */
	struct buf bo = { 0 }, be = { 0 };
	int po[2], pe[2], pa[2] = { -1, -1 }, open_fds = 2;
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
	if (marks && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pa))
		pa[0] = pa[1] = -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int fork_err = -errno;

		if (pa[0] >= 0) {
			close(pa[0]);
			close(pa[1]);
		}
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
		if (marks)
			setenv("ACCEL_CTS_STDERR_MARKS", "1", 1);
		if (pa[0] >= 0) {
			char fd[16];

			/* Kept across exec: dup2 clears close-on-exec. */
			if (pa[0] == 3)
				fcntl(3, F_SETFD, 0);
			else
				dup2(pa[0], 3);
			snprintf(fd, sizeof(fd), "%d", 3);
			setenv("ACCEL_CTS_ACK_FD", fd, 1);
		}
		execv(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	if (pa[0] >= 0)
		close(pa[0]);
	fcntl(pe[0], F_SETFL, fcntl(pe[0], F_GETFL) | O_NONBLOCK);

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

			if ((i ? pe[0] : po[0]) < 0 ||
			    !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, chunk, sizeof(chunk));
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n > 0) {
				buf_add(i ? &be : &bo, chunk, (size_t)n);
				last = clock_mono_s();
				/* What it wrote on stderr before this line is the hook's too. */
				if (!i && on_line && pe[0] >= 0 && !drain(pe[0], &be)) {
					close(pe[0]);
					pe[0] = -1;
					open_fds--;
				}
				while (!i && on_line && bo.p && seen < bo.len && *end == SPAWN_EXITED) {
					char *nl = memchr(bo.p + seen, '\n', bo.len - seen);
					int what;

					if (!nl)
						break;
					what = on_line(ctx, bo.p + seen, (size_t)(nl - bo.p) - seen,
						       &bo, &be);
					seen = (size_t)(nl - bo.p) + 1;
					if (what & LINE_CLOCK_AGAIN)
						deadline = clock_mono_s() + timeout_s;
					if (what & LINE_STOP)
						*end = SPAWN_STOPPED;
					else if ((what & LINE_ACK) && pa[1] >= 0 &&
						 send(pa[1], "", 1, MSG_NOSIGNAL) != 1) {
						close(pa[1]);
						pa[1] = -1;
					}
				}
				if (*end == SPAWN_STOPPED) {
					kill(-pid, SIGKILL);
					kill(pid, SIGKILL);
					break;
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
		if (*end == SPAWN_STOPPED)
			break;
	}
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pa[1] >= 0)
		close(pa[1]);
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

/*
 * A line of the running subtest r's stdout: IGT's dynamic subtest lines
 * start and end a dynamic part, timed as they arrive.
 */
static void dynamic_line(struct subtest_result *r, double t0, const char *line, size_t len)
{
	static const char start[] = "Starting dynamic subtest: ", res[] = "Dynamic subtest ";
	char text[512], full[1024];
	struct subtest_result *d;

	if (len >= sizeof(text))
		return;
	memcpy(text, line, len);
	text[len] = '\0';
	if (!strncmp(text, start, sizeof(start) - 1)) {
		snprintf(full, sizeof(full), "%s@%s", r->name, text + sizeof(start) - 1);
		d = subtest_dynamic(r, full);
		if (!d)
			return;
		d->result = RUN_INCOMPLETE;
		d->start = d->end = clock_wall_s() - t0;
	} else if (!strncmp(text, res, sizeof(res) - 1)) {
		char *colon = strstr(text + sizeof(res) - 1, ": ");
		bool found;

		if (!colon)
			return;
		snprintf(full, sizeof(full), "%s@%.*s", r->name,
			 (int)(colon - text - (sizeof(res) - 1)), text + sizeof(res) - 1);
		d = subtest_dynamic(r, full);
		if (!d)
			return;
		d->end = clock_wall_s() - t0;
		d->result = parse_result_of(text, "Dynamic subtest", dynamic_part_name(d), &found);
		if (!found)
			return;
	} else {
		return;
	}
	if (dynamic_hook)
		dynamic_hook(dynamic_hook_ctx, r, d);
}

/* What run_subtest's line hook needs: the subtest and when the run began. */
struct live {
	struct subtest_result *r;
	double t0;
};

static int on_line(void *ctx, const char *line, size_t len, const struct buf *out,
		   const struct buf *err)
{
	struct live *l = ctx;

	(void)out;
	(void)err;
	dynamic_line(l->r, l->t0, line, len);
	return 0;
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

/*
 * r's result from its output, how its process ended (ret: it could not
 * start) and what the kernel said (warning, taken). restore: the runner
 * restores the device's defaults after a subtest that did not pass (the
 * harness that would have did not live to).
 */
static void conclude(const struct run_options *o, const struct device_run *dev,
		     struct subtest_result *r, int ret, enum spawn_end end, int status,
		     char *warning, bool restore)
{
	bool found;

	if (ret) {
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
	if (restore && r->result != RUN_PASS && r->result != RUN_SKIP &&
	    end != SPAWN_UNKILLABLE && dev->node.path[0])
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
	char *warning;

	snprintf(timeout, sizeof(timeout), "%d", o->timeout_s);
	if (!dev->node.path[0])
		argv[5] = NULL;		/* --no-device: the binary looks for none */
	r->start = clock_wall_s() - t0;
	/* The binary enforces the timeout; this is the backstop. */
	ret = spawn_capture(argv, o->timeout_s + 15, o->inactivity_s, false, &r->out, &r->err,
			    &status, &end, on_line, &live);
	r->end = clock_wall_s() - t0;
	r->dmesg = kmsg_collect(kfd, &warning);
	if (kfd >= 0)
		close(kfd);
	*unkillable = end == SPAWN_UNKILLABLE;
	if (ret) {
		r->out = strdup("");
		r->err = strdup("");
	}
	conclude(o, dev, r, ret, end, status, warning, true);
}

/*
 * Multiple mode: several subtests of one binary in one execution, IGT's
 * --multiple-mode. The combined output is cut per subtest by the marks the
 * binary writes: "Starting subtest: X" and "Subtest X: RESULT" on stdout,
 * the same on stderr (asked for with ACCEL_CTS_STDERR_MARKS, and dropped
 * here), the kernel log read up to each result line. Each subtest's text is
 * what it would have been in an execution of its own: what the binary wrote
 * before its first subtest comes first in each.
 */
bool subtest_batchable(const char *name)
{
	return !strpbrk(name, ",*?[]\\") && strlen(name) < 400;
}

static const char start_mark[] = "Starting subtest: ";

static const char *line_after(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/* The first line from p (a line's start) that begins with prefix, or the end of the text. */
static const char *line_with(const char *p, const char *prefix)
{
	while (*p && strncmp(p, prefix, strlen(prefix)))
		p = line_after(p);
	return p;
}

/*
 * Where name's start mark ("Starting subtest: name\n") or result mark
 * ("Subtest name: ") is in text from from on, or NULL. At a line's start,
 * unless anywhere: on stderr a mark follows whatever the subtest left
 * without a newline.
 */
static const char *find_mark(const char *text, size_t from, const char *name, bool result,
			     bool anywhere)
{
	char mark[512];
	const char *p;

	snprintf(mark, sizeof(mark), result ? "Subtest %s: " : "%s%s\n",
		 result ? name : start_mark, name);
	for (p = strstr(text + from, mark); p; p = strstr(p + 1, mark))
		if (anywhere || p == text || p[-1] == '\n')
			return p;
	return NULL;
}

/* pre[0, npre) followed by [b, e). */
static char *join(const char *pre, size_t npre, const char *b, const char *e)
{
	char *s;

	if (asprintf(&s, "%.*s%.*s", (int)npre, pre, (int)(e - b), b) < 0)
		return NULL;
	return s;
}

int subtest_split(const char *out, const char *err, const char *name, char **sub_out,
		  char **sub_err)
{
	const char *first_o = line_with(out, start_mark), *first_e, *b, *e;

	*sub_out = *sub_err = NULL;
	/* stdout: from its start mark to the end of its result line, both kept. */
	b = find_mark(out, 0, name, false, false);
	if (!b)
		return -ENOENT;
	e = find_mark(out, (size_t)(b - out), name, true, false);
	e = e ? line_after(e) : line_with(line_after(b), start_mark);
	*sub_out = join(out, (size_t)(first_o - out), b, e);
	/* stderr: between its two marks, both dropped. */
	b = find_mark(err, 0, name, false, true);
	for (first_e = err; *first_e; first_e++)
		if (!strncmp(first_e, start_mark, sizeof(start_mark) - 1))
			break;
	if (b) {
		b += sizeof(start_mark) - 1 + strlen(name) + 1;
		e = find_mark(err, (size_t)(b - err), name, true, true);
		if (!e)
			for (e = b; *e && strncmp(e, start_mark, sizeof(start_mark) - 1); e++)
				;
	} else {
		b = e = first_e;
	}
	*sub_err = join(err, (size_t)(first_e - err), b, e);
	if (!*sub_out || !*sub_err) {
		free(*sub_out);
		free(*sub_err);
		*sub_out = *sub_err = NULL;
		return -ENOMEM;
	}
	return 0;
}

struct batch {
	const struct run_options *o;
	const struct device_run *dev;
	struct subtest_result **rs;
	int n;
	int cur;		/* the subtest running, or -1 */
	int kfd;
	double t0;
	const struct batch_hooks *hooks;
	bool stop;		/* a hook asked the run to stop */
	int pending;		/* journalled as started, its start mark not read yet; or -1 */
	char *carry;		/* kernel log read already that is the next subtest's */
};

/*
 * The kernel log of the subtest that just ended: what was read before and
 * is its, and what there is now up to the binary's mark that the next one
 * starts (the binary may be past it already); the rest is carried over.
 */
static char *batch_dmesg(struct batch *b, const char *name, char **warning)
{
	char *now = kmsg_collect(b->kfd, warning), *all, *cut = NULL, *p;
	static const char mark[] = ": starting subtest ";

	free(*warning);
	*warning = NULL;
	if (!now)
		return NULL;
	if (asprintf(&all, "%s%s", b->carry ?: "", now) < 0)
		all = NULL;
	free(now);
	free(b->carry);
	b->carry = NULL;
	if (!all)
		return NULL;
	for (p = strstr(all, "] [IGT] "); p && !cut; p = strstr(p + 1, "] [IGT] ")) {
		size_t n = strcspn(p, "\n");
		const char *m = strstr(p, mark);

		if (m && m < p + n && !(strlen(m + sizeof(mark) - 1) >= strlen(name) &&
					!strncmp(m + sizeof(mark) - 1, name, strlen(name)) &&
					m + sizeof(mark) - 1 + strlen(name) == p + n))
			cut = p;
	}
	if (cut) {
		while (cut > all && cut[-1] != '\n')
			cut--;
		b->carry = strdup(cut);
		*cut = '\0';
	}
	*warning = kmsg_worst(all);
	return all;
}

/* The subtest rs[b->cur] ended with its result line: cut out its part. */
/*
 * The subtest the binary runs next, journalled as started before its start
 * mark is even read: a kernel that dies before the runner reads the mark
 * still leaves the culprit recorded. The binary runs them in list order.
 */
static int batch_next(struct batch *b, int after)
{
	int i;

	for (i = after + 1; i < b->n; i++) {
		if (b->rs[i]->result != RUN_NOTRUN)
			continue;
		b->rs[i]->start = clock_wall_s() - b->t0;
		if (b->hooks->starting(b->hooks->ctx, b->rs[i]))
			return 1;
		b->rs[i]->result = RUN_INCOMPLETE;
		b->pending = i;
		return 0;
	}
	return 0;
}

/* The subtest rs[i] ended: cut out its part, then the next one is on. */
static int batch_finish(struct batch *b, int i, const struct buf *out, const struct buf *err,
			enum spawn_end end, int status, bool restore)
{
	struct subtest_result *r = b->rs[i];
	char *warning;
	int ret;

	if (b->cur == i)
		b->cur = -1;
	if (b->pending == i)
		b->pending = -1;
	r->end = clock_wall_s() - b->t0;
	ret = subtest_split(out->p ?: "", err->p ?: "", r->name, &r->out, &r->err);
	if (ret) {
		/* Not started: what the binary wrote before any subtest is all it has. */
		r->out = strndup(out->p ?: "", out->p ? (size_t)(line_with(out->p, start_mark) - out->p) : 0);
		r->err = strndup(err->p ?: "", err->p ? (size_t)(line_with(err->p, start_mark) - err->p) : 0);
	}
	r->dmesg = batch_dmesg(b, r->name, &warning);
	conclude(b->o, b->dev, r, 0, end, status, warning, restore);
	if (!r->out || !r->err || !r->dmesg)
		return -ENOMEM;
	ret = b->hooks->finished(b->hooks->ctx, r);
	if (!ret && !restore)
		ret = batch_next(b, i);
	return ret;
}

static int batch_line(void *ctx, const char *line, size_t len, const struct buf *out,
		      const struct buf *err)
{
	static const char start[] = "Starting subtest: ", res[] = "Subtest ";
	struct batch *b = ctx;
	int i;

	if (len > sizeof(start) - 1 && !strncmp(line, start, sizeof(start) - 1)) {
		const char *name = line + sizeof(start) - 1;
		size_t n = len - (sizeof(start) - 1);

		for (i = 0; i < b->n; i++) {
			struct subtest_result *r = b->rs[i];

			if (strlen(r->name) != n || strncmp(r->name, name, n) ||
			    (r->result != RUN_NOTRUN && i != b->pending))
				continue;
			if (i != b->pending) {
				/* Out of the expected order: journalled now. */
				r->start = clock_wall_s() - b->t0;
				if (b->hooks->starting(b->hooks->ctx, r)) {
					b->stop = true;
					return LINE_STOP;
				}
			} else {
				b->pending = -1;
			}
			b->cur = i;
			r->start = clock_wall_s() - b->t0;
			r->result = RUN_INCOMPLETE;
			/*
			 * The backstop is per subtest: its clock starts again. Its
			 * start is journalled: the binary may run it.
			 */
			return LINE_CLOCK_AGAIN | LINE_ACK;
		}
		return LINE_ACK;	/* not one of ours: it goes on, unrecorded */
	}
	if (b->cur < 0)
		return 0;
	if (!strncmp(line, res, sizeof(res) - 1) &&
	    !strncmp(line + sizeof(res) - 1, b->rs[b->cur]->name, strlen(b->rs[b->cur]->name)) &&
	    !strncmp(line + sizeof(res) - 1 + strlen(b->rs[b->cur]->name), ": ", 2)) {
		if (batch_finish(b, b->cur, out, err, SPAWN_EXITED, 0, false)) {
			b->stop = true;
			return LINE_STOP;
		}
		return 0;
	}
	dynamic_line(b->rs[b->cur], b->t0, line, len);
	return 0;
}

int run_batch(const struct run_options *o, const struct device_run *dev, const char *path,
	      struct subtest_result **rs, int n, double t0, const struct batch_hooks *hooks,
	      bool *unkillable)
{
	struct batch b = { .o = o, .dev = dev, .rs = rs, .n = n, .cur = -1, .t0 = t0,
			   .hooks = hooks };
	char timeout[16], *list = NULL, *argv[8], *out = NULL, *err = NULL;
	size_t len = 0;
	enum spawn_end end;
	int i, status, ret;

	for (i = 0; i < n; i++)
		len += strlen(rs[i]->name) + 1;
	list = malloc(len + 1);
	if (!list)
		return -ENOMEM;
	list[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(list, ",");
		strcat(list, rs[i]->name);
	}
	snprintf(timeout, sizeof(timeout), "%d", o->timeout_s);
	argv[0] = (char *)path;
	argv[1] = "--run-subtest";
	argv[2] = list;
	argv[3] = "--timeout";
	argv[4] = timeout;
	argv[5] = dev->node.path[0] ? "--device" : NULL;
	argv[6] = (char *)dev->node.path;
	argv[7] = NULL;
	b.kfd = kmsg_open();
	b.pending = -1;
	if (batch_next(&b, -1)) {
		free(list);
		if (b.kfd >= 0)
			close(b.kfd);
		return 1;
	}
	/* The binary enforces each subtest's timeout; this is the backstop, per subtest. */
	ret = spawn_capture(argv, o->timeout_s + 15, o->inactivity_s, true, &out, &err, &status,
			    &end, batch_line, &b);
	*unkillable = !ret && end == SPAWN_UNKILLABLE;
	if (ret) {
		/* It could not start: the subtest journalled as started is not run yet. */
		if (b.pending >= 0)
			rs[b.pending]->result = RUN_NOTRUN;
	} else if (b.cur >= 0 || (b.pending >= 0 && end != SPAWN_STOPPED)) {
		/*
		 * Its process ended, or was ended, in this subtest (or before
		 * it started it): what ended it is its result.
		 */
		struct buf bo = { .p = out, .len = strlen(out) }, be = { .p = err, .len = strlen(err) };

		if (end == SPAWN_STOPPED)
			end = SPAWN_TIMEOUT;
		if (batch_finish(&b, b.cur >= 0 ? b.cur : b.pending, &bo, &be, end, status, true))
			b.stop = true;
	}
	free(out);
	free(err);
	free(list);
	free(b.carry);
	if (b.kfd >= 0)
		close(b.kfd);
	if (ret)
		return ret;
	return b.stop ? 1 : 0;
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
	ret = spawn_capture(list_argv, 30, 0, false, &list_out, &list_err, &status, &end, NULL,
			    NULL);
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
	if (spawn_capture(desc_argv, 30, 0, false, &desc_out, &desc_err, &status, &end, NULL,
			  NULL))
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
