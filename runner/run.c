// SPDX-License-Identifier: MIT
/*
 * Run one test binary: list its subtests, then run each in its own process
 * with its output, exit status and kernel log captured, under a timeout.
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

#include "expectations.h"
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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Run argv with stdout and stderr captured. Returns 0 and the wait status,
 * or -errno if it could not start. *timed_out is set if it had to be killed.
 */
static int spawn_capture(char *const argv[], int timeout_s, char **out, char **err,
			 int *status, bool *timed_out)
{
	struct buf bo = { 0 }, be = { 0 };
	int po[2], pe[2], open_fds = 2;
	double deadline = now_s() + timeout_s;
	pid_t pid;

	*timed_out = false;
	if (pipe2(po, O_CLOEXEC))
		return -errno;
	if (pipe2(pe, O_CLOEXEC)) {
		close(po[0]);
		close(po[1]);
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
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
		int left = (int)((deadline - now_s()) * 1000), i, r;

		if (left <= 0) {
			*timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			break;
		}
		r = poll(pfd, 2, left);
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
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL);	/* anything the test left behind */
	*out = buf_take(&bo);
	*err = buf_take(&be);
	return 0;
}

static enum run_result parse_result(const char *out, const char *name, bool *found)
{
	static const struct { const char *word; enum run_result r; } words[] = {
		{ "SUCCESS", RUN_PASS }, { "SKIP", RUN_SKIP }, { "FAIL", RUN_FAIL },
		{ "CRASH", RUN_CRASH }, { "TIMEOUT", RUN_TIMEOUT },
	};
	char prefix[512];
	const char *p = out;
	size_t i;

	*found = false;
	snprintf(prefix, sizeof(prefix), "Subtest %s: ", name);
	while ((p = strstr(p, prefix))) {
		if (p == out || p[-1] == '\n') {
			p += strlen(prefix);
			for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
				if (!strncmp(p, words[i].word, strlen(words[i].word))) {
					*found = true;
					return words[i].r;
				}
			}
		}
		p++;
	}
	return RUN_FAIL;
}

/* The first informative line of the test's stderr, for the summary. */
static char *first_reason(const char *err)
{
	static const char skip_prefix[] = "Test requirement not met in ";
	const char *p = err;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n && strncmp(p, "Using device:", 13)) {
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

static struct subtest_result *add_result(struct device_run *dev)
{
	if (dev->n == dev->cap) {
		int cap = dev->cap ? dev->cap * 2 : 64;
		struct subtest_result *r = realloc(dev->results, cap * sizeof(*r));

		if (!r)
			return NULL;
		dev->results = r;
		dev->cap = cap;
	}
	memset(&dev->results[dev->n], 0, sizeof(dev->results[0]));
	return &dev->results[dev->n++];
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

/* Run one subtest in its own process and fill r with its result. */
static void run_subtest(const struct run_options *o, struct device_run *dev, const char *path,
			const char *line, struct subtest_result *r, double t0)
{
	char timeout[16];
	char *argv[] = { (char *)path, "--run-subtest", (char *)line, "--device", dev->node.path,
			 "--timeout", timeout, NULL };
	int kfd = kmsg_open(), status, ret;
	bool found, timed_out;
	char *warning;

	snprintf(timeout, sizeof(timeout), "%d", o->timeout_s);
	r->start = now_s() - t0;
	/* The binary enforces the timeout; this is the backstop. */
	ret = spawn_capture(argv, o->timeout_s + 15, &r->out, &r->err, &status, &timed_out);
	r->end = now_s() - t0;
	r->dmesg = kmsg_collect(kfd, &warning);
	if (kfd >= 0)
		close(kfd);

	if (ret) {
		r->out = strdup("");
		r->err = strdup("");
		r->result = RUN_FAIL;
		r->reason = strdup(strerror(-ret));
	} else if (timed_out) {
		r->result = RUN_TIMEOUT;
		r->reason = strdup("killed by the runner after its timeout");
	} else {
		r->result = parse_result(r->out, line, &found);
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
	if (warning) {
		if (r->result == RUN_PASS)
			r->result = RUN_DMESG_WARN;
		else if (r->result == RUN_FAIL)
			r->result = RUN_DMESG_FAIL;
		if (!r->reason && asprintf(&r->reason, "the kernel logged a warning: %s", warning) < 0)
			r->reason = NULL;
		free(warning);
	}
}

/* Run a subtest again (a flake's retry); true if it passed this time. */
static bool retry_passes(const struct run_options *o, struct device_run *dev, const char *path,
			 const char *line, double t0)
{
	struct subtest_result again = { .binary = (char *)base_name(path) };
	bool passed;

	run_subtest(o, dev, path, line, &again, t0);
	passed = !run_result_is_failure(again.result);
	free(again.out);
	free(again.err);
	free(again.dmesg);
	free(again.reason);
	return passed;
}

static void print_line(const struct device_run *dev, const struct subtest_result *r)
{
	const char *why = r->result != RUN_PASS && r->reason ? r->reason : NULL;
	char note[96] = "";

	if (r->retries)
		snprintf(note, sizeof(note), " [%s: %s on retry %d]", expectation_name(r->verdict),
			 r->retry_passed ? "passed" : "failed again", r->retries);
	else if (r->verdict != EXP_NONE && r->verdict != EXP_LISTED_SKIP)
		snprintf(note, sizeof(note), " [%s]", expectation_name(r->verdict));
	printf("  %-9s %-10s %s@%s%s%s%s\n", run_result_name(r->result), dev->node.driver,
	       r->binary, r->name, note, why ? ": " : "", why ?: "");
	fflush(stdout);
}

int run_binary(const struct run_options *o, struct device_run *dev, const char *path,
	       double t0)
{
	char *list_out, *list_err, *desc_out, *desc_err, *line, *save = NULL;
	const char *binary = base_name(path);
	bool timed_out;
	int status, ret;

	{
		char *argv[] = { (char *)path, "--list-subtests", NULL };

		ret = spawn_capture(argv, 30, &list_out, &list_err, &status, &timed_out);
		if (ret || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "accel-cts: %s --list-subtests failed: %s\n", path,
				ret ? strerror(-ret) : list_err);
			return -1;
		}
		free(list_err);
	}
	{
		char *argv[] = { (char *)path, "--describe", NULL };

		if (spawn_capture(argv, 30, &desc_out, &desc_err, &status, &timed_out))
			desc_out = strdup(""), desc_err = strdup("");
		free(desc_err);
	}
	for (line = strtok_r(list_out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct subtest_result *r = add_result(dev);
		char name[512];

		if (!r)
			return -1;
		r->binary = strdup(binary);
		r->name = strdup(line);
		describe(desc_out, line, &r->desc, &r->rules);
		snprintf(name, sizeof(name), "%s@%s", binary, line);
		if (expectations_skip(dev->exp, name)) {
			r->result = RUN_SKIP;
			r->verdict = EXP_LISTED_SKIP;
			r->out = strdup("");
			r->err = strdup("");
			r->start = r->end = now_s() - t0;
			if (asprintf(&r->reason, "not run: listed in %s", dev->exp->files[2]) < 0)
				r->reason = NULL;
		} else {
			run_subtest(o, dev, path, line, r, t0);
			/* A listed flake that failed gets more chances; the first result is kept. */
			if (run_result_is_failure(r->result) && expectations_flaky(dev->exp, name)) {
				while (r->retries < o->flake_retries && !r->retry_passed) {
					r->retries++;
					r->retry_passed = retry_passes(o, dev, path, line, t0);
				}
			}
			r->verdict = expectations_judge(dev->exp, name, r->result);
		}
		if (!o->quiet)
			print_line(dev, r);
	}
	free(list_out);
	free(desc_out);
	return 0;
}
