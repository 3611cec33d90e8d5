// SPDX-License-Identifier: MIT
/*
 * The test-binary main loop: option parsing, subtest selection, one process
 * per subtest with a timeout, IGT and KTAP output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_backend.h"
#include "acts_device.h"
#include "acts_test.h"

#define DEFAULT_TIMEOUT_S 60

/* Written by the subtest process, read by the parent after it exits. */
struct shared_status {
	char reason[1024];
};

static struct shared_status *shared;
static const char *current_subtest;
static bool ktap;

const char *acts_current_subtest(void)
{
	return current_subtest;
}

bool acts_ktap_output(void)
{
	return ktap;
}

const char *acts_result_name(enum acts_result r)
{
	switch (r) {
	case ACTS_PASS: return "SUCCESS";
	case ACTS_SKIP: return "SKIP";
	case ACTS_FAIL: return "FAIL";
	case ACTS_CRASH: return "CRASH";
	case ACTS_TIMEOUT: return "TIMEOUT";
	}
	return "?";
}

/* Print a diagnostic: "# "-prefixed lines in KTAP mode. */
static void vdiag(FILE *f, const char *fmt, va_list ap)
{
	char buf[4096];
	char *line, *save = NULL;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!ktap) {
		fputs(buf, f);
		if (buf[0] && buf[strlen(buf) - 1] != '\n')
			fputc('\n', f);
	} else {
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			fprintf(stdout, "# %s\n", line);
	}
	fflush(f);
	fflush(stdout);
}

static void diag(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(f, fmt, ap);
	va_end(ap);
}

void acts_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(stdout, fmt, ap);
	va_end(ap);
}

noreturn void __acts_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[900];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(stderr, "%s:%d: %s: %s", file, line, current_subtest ? current_subtest : "?", msg);
	if (shared)
		snprintf(shared->reason, sizeof(shared->reason), "%s:%d: %s", file, line, msg);
	_exit(ACTS_EXIT_FAILURE);
}

noreturn void __acts_skip(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[900];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(stderr, "Test requirement not met in %s:%d: %s", file, line, msg);
	if (shared)
		snprintf(shared->reason, sizeof(shared->reason), "%s", msg);
	_exit(ACTS_EXIT_SKIP);
}

/* IGT's --run-subtest syntax: comma-separated globs. */
bool acts_name_matches(const char *patterns, const char *name)
{
	char buf[1024];
	char *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", patterns);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (fnmatch(p, name, 0) == 0)
			return true;
	return false;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct options {
	const char *run;	/* --run-subtest patterns, or NULL for all */
	const char *device;	/* node path, or NULL to discover */
	const char *driver;	/* restrict discovery to this driver */
	int timeout_s;
	bool list, describe;
};

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [options]\n"
		"  --list-subtests          list subtest names and exit\n"
		"  --describe[=PATTERN]     print each subtest's description and profile rules\n"
		"  --run-subtest PATTERNS   run the subtests matching comma-separated globs\n"
		"  --device PATH            device node (default: $ACCEL_CTS_DEVICE, else the first\n"
		"                           /dev/accel or /dev/dri node with a backend)\n"
		"  --driver NAME            only consider devices of this driver ($ACCEL_CTS_DRIVER)\n"
		"  --timeout SECONDS        per-subtest timeout (default %d, $ACCEL_CTS_TIMEOUT)\n"
		"  --ktap                   print KTAP instead of IGT's format\n"
		"exit status: 0 pass, 77 all skipped, 98 a failure, 79 no such subtest\n",
		prog, DEFAULT_TIMEOUT_S);
}

static int parse_timeout(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 86400)
		return -1;
	return (int)v;
}

static int parse_options(int argc, char **argv, struct options *o, const char **describe_pat)
{
	static const struct option longopts[] = {
		{ "list-subtests", no_argument, NULL, 'l' },
		{ "describe", optional_argument, NULL, 'D' },
		{ "run-subtest", required_argument, NULL, 'r' },
		{ "device", required_argument, NULL, 'd' },
		{ "driver", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ktap", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *env;
	int c;

	o->timeout_s = DEFAULT_TIMEOUT_S;
	env = getenv("ACCEL_CTS_TIMEOUT");
	if (env && (o->timeout_s = parse_timeout(env)) < 0) {
		fprintf(stderr, "%s: ACCEL_CTS_TIMEOUT='%s' is not a number of seconds (1-86400)\n",
			argv[0], env);
		return -1;
	}
	o->device = getenv("ACCEL_CTS_DEVICE");
	o->driver = getenv("ACCEL_CTS_DRIVER");

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->list = true; break;
		case 'D': o->describe = true; *describe_pat = optarg; break;
		case 'r': o->run = optarg; break;
		case 'd': o->device = optarg; break;
		case 'k': o->driver = optarg; break;
		case 'K': ktap = true; break;
		case 't':
			o->timeout_s = parse_timeout(optarg);
			if (o->timeout_s < 0) {
				fprintf(stderr, "%s: --timeout '%s' is not a number of seconds (1-86400)\n",
					argv[0], optarg);
				return -1;
			}
			break;
		case 'h': usage(argv[0]); exit(0);
		default: usage(argv[0]); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		usage(argv[0]);
		return -1;
	}
	return 0;
}

static noreturn void run_child(const struct acts_subtest *t, const char *device,
			       const char *no_device_reason)
{
	struct acts_dev *dev = NULL;

	setpgid(0, 0);
	current_subtest = t->name;
	if (!(t->flags & ACTS_NO_DEVICE)) {
		if (!device)
			acts_skip("%s", no_device_reason);
		dev = acts_dev_open(device);
		if (!dev)
			acts_fail("cannot open %s: %s", device, strerror(errno));
		if (!dev->be)
			acts_skip("no backend for driver '%s' (%s)", dev->driver, device);
	}
	t->fn(dev);
	acts_dev_close(dev);
	fflush(NULL);
	_exit(ACTS_EXIT_SUCCESS);
}

/*
 * Mark the kernel log the way IGT's binaries do, so that any runner (ours,
 * igt_runner) can split it per subtest. Info level: never a warning. Only
 * root may write /dev/kmsg; elsewhere there is nothing to split.
 */
static void kmsg_mark(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd, len;

	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = snprintf(line, sizeof(line), "<6>[IGT] ");
	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	/* Best effort: no subtest's result depends on the marks. */
	if (len > 0 && (size_t)len < sizeof(line) && write(fd, line, len) != len)
		diag(stderr, "could not mark the kernel log: %s", strerror(errno));
	close(fd);
}

/*
 * After a subtest that did not pass: it may have died with a fault armed
 * or the job timeout changed, which must not leak into the next subtest.
 */
static void restore_device_defaults(const char *device)
{
	int ret = device ? acts_dev_restore_defaults(device) : 0;

	if (ret)
		diag(stderr, "could not restore the device's defaults: %s", acts_errno_name(ret));
}

/* Wait for pid up to timeout_s; kill its process group on timeout. */
static enum acts_result wait_child(pid_t pid, int timeout_s, char *why, size_t len)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status;

	if (pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int r;

		do {
			r = poll(&pfd, 1, timeout_s * 1000);
		} while (r < 0 && errno == EINTR);
		close(pidfd);
		if (r == 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(why, len, "timed out after %d s", timeout_s);
			return ACTS_TIMEOUT;
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* Leftover helpers of the subtest must not outlive it. */
	kill(-pid, SIGKILL);

	if (WIFSIGNALED(status)) {
		snprintf(why, len, "killed by signal SIG%s", sigabbrev_np(WTERMSIG(status)) ?: "?");
		return ACTS_CRASH;
	}
	switch (WEXITSTATUS(status)) {
	case ACTS_EXIT_SUCCESS: return ACTS_PASS;
	case ACTS_EXIT_SKIP: return ACTS_SKIP;
	case ACTS_EXIT_FAILURE: return ACTS_FAIL;
	default:
		snprintf(why, len, "exited with unexpected status %d", WEXITSTATUS(status));
		return ACTS_FAIL;
	}
}

int acts_main(int argc, char **argv, const struct acts_subtest *tests, int n)
{
	const char *describe_pat = NULL;
	struct options o = { 0 };
	char device[256] = "", no_device_reason[512] = "";
	int i, selected = 0, idx = 0, passed = 0, failed = 0;
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (parse_options(argc, argv, &o, &describe_pat))
		return ACTS_EXIT_INVALID;

	if (o.list || o.describe) {
		for (i = 0; i < n; i++) {
			const char *pat = o.list ? o.run : describe_pat;

			if (pat && !acts_name_matches(pat, tests[i].name))
				continue;
			selected++;
			if (o.list)
				printf("%s\n", tests[i].name);
			else
				printf("SUB %s\n  %s\n  rules: %s\n\n", tests[i].name, tests[i].desc,
				       tests[i].rules);
		}
		/* As IGT: describing a subtest that does not exist is an error. */
		if (o.describe && describe_pat && !selected) {
			fprintf(stderr, "Unknown subtest: %s\n", describe_pat);
			return ACTS_EXIT_INVALID;
		}
		return ACTS_EXIT_SUCCESS;
	}

	for (i = 0; i < n; i++)
		selected += !o.run || acts_name_matches(o.run, tests[i].name);
	if (!selected) {
		fprintf(stderr, "Unknown subtest: %s\n", o.run);
		return ACTS_EXIT_INVALID;
	}

	if (o.device) {
		snprintf(device, sizeof(device), "%s", o.device);
	} else if (acts_find_device(o.driver, device, sizeof(device)) < 0) {
		device[0] = '\0';
		snprintf(no_device_reason, sizeof(no_device_reason),
			 "no %s%sdevice with a backend in /dev/accel or /dev/dri",
			 o.driver ?: "", o.driver ? " " : "");
	}

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return ACTS_EXIT_ABORT;
	}

	if (ktap)
		printf("KTAP version 1\n1..%d\n", selected);
	else if (device[0])
		fprintf(stderr, "Using device: %s\n", device);
	fflush(NULL);

	for (i = 0; i < n; i++) {
		const struct acts_subtest *t = &tests[i];
		enum acts_result r;
		char why[256] = "";
		double start;
		pid_t pid;

		if (o.run && !acts_name_matches(o.run, t->name))
			continue;
		idx++;
		memset(shared, 0, sizeof(*shared));
		if (!ktap)
			printf("Starting subtest: %s\n", t->name);
		fflush(NULL);

		kmsg_mark("%s: starting subtest %s\n", prog, t->name);
		start = now_s();
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return ACTS_EXIT_ABORT;
		}
		if (pid == 0)
			run_child(t, device[0] ? device : NULL, no_device_reason);
		r = wait_child(pid, o.timeout_s, why, sizeof(why));
		kmsg_mark("%s: finished subtest %s, %s\n", prog, t->name, acts_result_name(r));
		/* A skip too: a subtest may skip after it armed a fault or set the timeout. */
		if (r != ACTS_PASS)
			restore_device_defaults(device[0] ? device : NULL);

		if (why[0])
			diag(stderr, "%s: %s", t->name, why);
		if (ktap) {
			const char *reason = shared->reason[0] ? shared->reason : why;

			/* ktap.rst's directives: "# SKIP why", "# TIMEOUT why", "# ERROR why". */
			if (r == ACTS_PASS)
				printf("ok %d %s\n", idx, t->name);
			else if (r == ACTS_SKIP)
				printf("ok %d %s # SKIP %s\n", idx, t->name, reason);
			else if (r == ACTS_TIMEOUT)
				printf("not ok %d %s # TIMEOUT %s\n", idx, t->name, reason);
			else if (r == ACTS_CRASH)
				printf("not ok %d %s # ERROR crash: %s\n", idx, t->name, reason);
			else
				printf("not ok %d %s%s%s\n", idx, t->name, reason[0] ? " # " : "", reason);
		} else {
			printf("Subtest %s: %s (%.3fs)\n", t->name, acts_result_name(r),
			       now_s() - start);
		}
		fflush(stdout);

		if (r == ACTS_PASS)
			passed++;
		else if (r != ACTS_SKIP)
			failed++;
	}

	if (failed)
		return ACTS_EXIT_FAILURE;
	return passed ? ACTS_EXIT_SUCCESS : ACTS_EXIT_SKIP;
}
