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
	bool reason_is_failure;		/* reason says why it failed, not why it skipped */
	char dyn_reason[1024];		/* the same for the dynamic part running */
	bool dyn_reason_is_failure;
	bool defaults_touched;		/* acts_dev_defaults_touched() was called */
};

static struct shared_status *shared;
static const char *current_subtest;
static bool ktap;
static const char *prog_name = "?";
static const char *dyn_filter;		/* --dynamic-subtest patterns */

/* The subtest's process and, inside it, its dynamic parts. */
static pid_t subtest_pid;
static bool in_dynamic;			/* this process is a dynamic part */
static char dyn_name[128];
static bool nested_diag;		/* diagnostics of a dynamic part, from its subtest */
static int expect_failures;		/* of this process: the subtest or the part */
static struct {
	int ran, passed, skipped, failed;
} dyn;

/* The fixture whose teardown is owed if the subtest ends early. */
static struct {
	const struct acts_fixture *fx;
	struct acts_dev *dev;
	void *self;
	const void *variant;
	pid_t owner;
	bool running;
} armed;

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

int acts_expect_failures(void)
{
	return expect_failures;
}

/* Why the subtest (or the dynamic part) did not pass: a failure's reason wins over a skip's. */
static void set_reason(bool failure, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_reason(bool failure, const char *fmt, ...)
{
	char *reason = in_dynamic ? shared->dyn_reason : shared->reason;
	bool *is_failure = in_dynamic ? &shared->dyn_reason_is_failure : &shared->reason_is_failure;
	va_list ap;

	if (!shared || (reason[0] && (*is_failure || !failure)))
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(shared->reason), fmt, ap);
	va_end(ap);
	*is_failure = failure;
}

/* Print a diagnostic: "# "-prefixed lines in KTAP mode (indented in a dynamic part). */
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
			fprintf(stdout, "%s# %s\n", in_dynamic || nested_diag ? "  " : "", line);
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

/* The fixture's teardown, if one is owed by this process; once. */
static void teardown_owed(void)
{
	if (!armed.fx || armed.owner != getpid() || armed.running)
		return;
	armed.running = true;
	armed.fx->teardown(armed.dev, armed.self, armed.variant);
	armed.fx = NULL;
}

/* The name failures are reported under: "subtest" or "subtest@part". */
static void where(char *buf, size_t len)
{
	if (in_dynamic)
		snprintf(buf, len, "%s@%s", current_subtest ?: "?", dyn_name);
	else
		snprintf(buf, len, "%s", current_subtest ?: "?");
}

void __acts_fail_later(const char *file, int line, const char *fmt, ...)
{
	char msg[900], name[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(name, sizeof(name));
	diag(stderr, "%s:%d: %s: %s", file, line, name, msg);
	set_reason(true, "%s:%d: %s", file, line, msg);
	expect_failures++;
}

noreturn void __acts_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[900], name[300];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(name, sizeof(name));
	diag(stderr, "%s:%d: %s: %s", file, line, name, msg);
	set_reason(true, "%s:%d: %s", file, line, msg);
	teardown_owed();
	fflush(NULL);
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
	set_reason(false, "%s", msg);
	teardown_owed();
	fflush(NULL);
	/* A skip after a failed expectation or dynamic part does not hide it. */
	_exit(expect_failures || (!in_dynamic && dyn.failed) ? ACTS_EXIT_FAILURE : ACTS_EXIT_SKIP);
}

/* IGT's --run-subtest syntax: comma-separated globs. */
bool acts_name_matches(const char *patterns, const char *name)
{
	const char *p, *e;
	char pat[512];

	/* Any length of list: a runner's multiple mode names a binary's every subtest. */
	for (p = patterns; *p; p = *e ? e + 1 : e) {
		size_t n;

		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		if (!n || n >= sizeof(pat))
			continue;
		memcpy(pat, p, n);
		pat[n] = '\0';
		if (fnmatch(pat, name, 0) == 0)
			return true;
	}
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
		"  --dynamic-subtest PATTERNS  in those, run only the dynamic parts matching\n"
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
		{ "dynamic-subtest", required_argument, NULL, 'y' },
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
		case 'y': dyn_filter = optarg; break;
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

/* A subtest as the binary runs it: a declaration, or one (test, variant) of a fixture. */
struct entry {
	char *name, *rules, *desc;
	const struct acts_subtest *t;
	const void *variant;
};

/* The end of a subtest whose body returned: its result from expectations and parts. */
static noreturn void subtest_done(void)
{
	if (in_dynamic)
		acts__dynamic_end();
	fflush(NULL);
	if (expect_failures || dyn.failed)
		_exit(ACTS_EXIT_FAILURE);
	if (dyn.ran && dyn.skipped == dyn.ran) {
		set_reason(false, "every dynamic subtest skipped");
		_exit(ACTS_EXIT_SKIP);
	}
	if (dyn_filter && !dyn.ran) {
		/* IGT's words when a dynamic subtest filter leaves nothing to run. */
		diag(stderr, "No dynamic tests executed.");
		set_reason(false, "No dynamic tests executed.");
		_exit(ACTS_EXIT_SKIP);
	}
	_exit(ACTS_EXIT_SUCCESS);
}

static noreturn void run_child(const struct entry *e, const char *device,
			       const char *no_device_reason)
{
	const struct acts_subtest *t = e->t;
	struct acts_dev *dev = NULL;

	setpgid(0, 0);
	subtest_pid = getpid();
	current_subtest = e->name;
	if (!(t->flags & ACTS_NO_DEVICE)) {
		if (!device)
			acts_skip("%s", no_device_reason);
		dev = acts_dev_open(device);
		if (!dev && errno == ENXIO && acts_backend_refusal()[0])
			acts_skip("%s", acts_backend_refusal());
		if (!dev)
			acts_fail("cannot open %s: %s", device, strerror(errno));
		if (!dev->be)
			acts_skip("no backend for driver '%s' (%s)", dev->driver, device);
	}
	if (t->ffn)
		t->ffn(dev, e->variant);
	else
		t->fn(dev);
	acts_dev_close(dev);
	subtest_done();
}

void acts__fixture_run(const struct acts_fixture *fx, struct acts_dev *dev, void *self,
		       unsigned long size, const void *variant,
		       void (*body)(struct acts_dev *dev, void *self, const void *variant))
{
	memset(self, 0, size);
	fx->setup(dev, self, variant);
	armed.fx = fx;
	armed.dev = dev;
	armed.self = self;
	armed.variant = variant;
	armed.owner = getpid();
	armed.running = false;
	body(dev, self, variant);
	/* A dynamic part that returned ends here: the teardown is its subtest's. */
	if (in_dynamic)
		acts__dynamic_end();
	teardown_owed();
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

	/* Opened each time: the kernel rate-limits each open file of /dev/kmsg. */
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

/* Wait for pid up to timeout_s (0: no limit); kill its process group on timeout. */
static enum acts_result wait_child(pid_t pid, int timeout_s, char *why, size_t len)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status;

	if (pidfd >= 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
		int r;

		do {
			r = poll(&pfd, 1, timeout_s ? timeout_s * 1000 : -1);
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

/* A KTAP result line takes one line of reason: the first. */
static const char *one_line(const char *reason, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(reason, "\n"), reason);
	return buf;
}

static bool dynamic_name_ok(const char *name)
{
	const char *p;

	for (p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-')
			return false;
	return *name != '\0';
}

int acts__dynamic_begin(const char *fmt, ...)
{
	char name[sizeof(dyn_name)], why[256] = "", line[512];
	enum acts_result r;
	const char *reason;
	double start;
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (in_dynamic)
		acts_fail("dynamic subtest %s inside dynamic subtest %s", name, dyn_name);
	if (getpid() != subtest_pid)
		acts_fail("dynamic subtest %s outside a subtest's own process", name);
	if (!dynamic_name_ok(name))
		acts_fail("Invalid dynamic subtest name \"%s\".", name);
	if (dyn_filter && !acts_name_matches(dyn_filter, name))
		return 0;

	dyn.ran++;
	if (ktap) {
		if (dyn.ran == 1)
			printf("  KTAP version 1\n  # Subtest: %s\n", current_subtest);
	} else {
		printf("Starting dynamic subtest: %s\n", name);
		fprintf(stderr, "Starting dynamic subtest: %s\n", name);
	}
	fflush(NULL);
	kmsg_mark("%s: starting dynamic subtest %s\n", prog_name, name);
	shared->dyn_reason[0] = '\0';
	shared->dyn_reason_is_failure = false;
	start = now_s();
	pid = fork();
	if (pid < 0)
		acts_fail("fork for dynamic subtest %s: %s", name, strerror(errno));
	if (pid == 0) {
		in_dynamic = true;
		expect_failures = 0;
		snprintf(dyn_name, sizeof(dyn_name), "%s", name);
		return 1;
	}
	r = wait_child(pid, 0, why, sizeof(why));
	reason = one_line(shared->dyn_reason[0] ? shared->dyn_reason : why, line, sizeof(line));
	nested_diag = true;
	if (why[0])
		diag(stderr, "%s@%s: %s", current_subtest, name, why);
	nested_diag = false;
	if (r == ACTS_PASS) {
		dyn.passed++;
	} else if (r == ACTS_SKIP) {
		dyn.skipped++;
	} else {
		dyn.failed++;
		set_reason(true, "dynamic subtest %s: %s%s%s", name, acts_result_name(r),
			   reason[0] ? ": " : "", reason);
	}
	if (ktap) {
		if (r == ACTS_PASS)
			printf("  ok %d %s\n", dyn.ran, name);
		else if (r == ACTS_SKIP)
			printf("  ok %d %s # SKIP %s\n", dyn.ran, name, reason);
		else if (r == ACTS_CRASH)
			printf("  not ok %d %s # ERROR crash: %s\n", dyn.ran, name, reason);
		else
			printf("  not ok %d %s%s%s\n", dyn.ran, name, reason[0] ? " # " : "", reason);
	} else {
		double took = now_s() - start;

		printf("Dynamic subtest %s: %s (%.3fs)\n", name, acts_result_name(r), took);
		fprintf(stderr, "Dynamic subtest %s: %s (%.3fs)\n", name, acts_result_name(r), took);
	}
	fflush(NULL);
	return 0;
}

noreturn void acts__dynamic_end(void)
{
	fflush(NULL);
	_exit(expect_failures ? ACTS_EXIT_FAILURE : ACTS_EXIT_SUCCESS);
}

/* "bo_create_basic" as the subtest's name: bo-create-basic. */
static char *dashed(const char *ident, const char *prefix)
{
	char *s;
	size_t i;

	if (asprintf(&s, "%s%s%s", prefix ?: "", prefix ? "-" : "", ident) < 0)
		return NULL;
	for (i = 0; s[i]; i++)
		if (s[i] == '_')
			s[i] = '-';
	return s;
}

/* text with every "{key}" replaced by value. */
static char *substitute(const char *text, const char *key, const char *value)
{
	size_t klen = strlen(key), cap = strlen(text) + 1;
	const char *p;
	char *out, *o;

	for (p = strstr(text, key); p; p = strstr(p + klen, key))
		cap += strlen(value);
	out = o = malloc(cap);
	if (!out)
		return NULL;
	while ((p = strstr(text, key))) {
		memcpy(o, text, (size_t)(p - text));
		o += p - text;
		strcpy(o, value);
		o += strlen(value);
		text = p + klen;
	}
	strcpy(o, text);
	return out;
}

/* The linker's bounds of the declarations' sections; NULL in a binary with none. */
extern const struct acts_subtest *const __start_acts_subtests[] __attribute__((weak));
extern const struct acts_subtest *const __stop_acts_subtests[] __attribute__((weak));
extern const struct acts_variant *const __start_acts_variants[] __attribute__((weak));
extern const struct acts_variant *const __stop_acts_variants[] __attribute__((weak));

/* Declaration order: source file name, then line (the linker's order is no promise). */
static int cmp_decl(const char *fa, int la, const char *fb, int lb)
{
	int c = strcmp(fa ?: "", fb ?: "");

	return c ? c : (la > lb) - (la < lb);
}

static int cmp_subtest(const void *a, const void *b)
{
	const struct acts_subtest *x = *(const struct acts_subtest *const *)a;
	const struct acts_subtest *y = *(const struct acts_subtest *const *)b;

	return cmp_decl(x->file, x->line, y->file, y->line);
}

static int cmp_variant(const void *a, const void *b)
{
	const struct acts_variant *x = *(const struct acts_variant *const *)a;
	const struct acts_variant *y = *(const struct acts_variant *const *)b;

	return cmp_decl(x->file, x->line, y->file, y->line);
}

static int add_entry(struct entry **es, int *n, const struct acts_subtest *t,
		     const struct acts_variant *v)
{
	struct entry *grown = realloc(*es, (size_t)(*n + 1) * sizeof(**es));
	struct entry *e;
	char *rules;

	if (!grown)
		return -ENOMEM;
	*es = grown;
	e = &grown[(*n)++];
	memset(e, 0, sizeof(*e));
	e->t = t;
	/* Declarations name subtests by identifier; a table spells them out. */
	e->name = t->file ? dashed(t->name, v ? v->name : NULL) : strdup(t->name);
	if (v && strstr(t->rules, "{rules}")) {
		rules = substitute(t->rules, "{rules}", v->rules ?: "");
	} else if (v && v->rules && *v->rules) {
		if (asprintf(&rules, "%s %s", t->rules, v->rules) < 0)
			rules = NULL;
	} else {
		rules = strdup(t->rules);
	}
	e->rules = rules;
	e->variant = v ? v->data : NULL;
	if (v) {
		/* The variant as the subtest's name shows it: with dashes. */
		char *shown = dashed(v->name, NULL);

		e->desc = shown ? substitute(t->desc, "{variant}", shown) : NULL;
		free(shown);
	} else {
		e->desc = strdup(t->desc);
	}
	return e->name && e->rules && e->desc ? 0 : -ENOMEM;
}

/*
 * Every subtest of the binary, in order: the hand-made table, or the
 * declarations of its sources with each fixture's tests run per variant.
 */
static int collect(const struct acts_subtest *table, int n, struct entry **out)
{
	const struct acts_subtest **ts = NULL;
	const struct acts_variant **vs = NULL;
	struct entry *es = NULL;
	int nt = 0, nv = 0, ne = 0, i, j, k, ret = 0;

	if (table) {
		for (i = 0; i < n && !ret; i++)
			ret = add_entry(&es, &ne, &table[i], NULL);
		goto done;
	}
	if (__start_acts_subtests)
		nt = (int)(__stop_acts_subtests - __start_acts_subtests);
	if (__start_acts_variants)
		nv = (int)(__stop_acts_variants - __start_acts_variants);
	ts = calloc((size_t)nt + 1, sizeof(*ts));
	vs = calloc((size_t)nv + 1, sizeof(*vs));
	if (!ts || !vs) {
		ret = -ENOMEM;
		goto done;
	}
	memcpy(ts, __start_acts_subtests, (size_t)nt * sizeof(*ts));
	memcpy(vs, __start_acts_variants, (size_t)nv * sizeof(*vs));
	qsort(ts, (size_t)nt, sizeof(*ts), cmp_subtest);
	qsort(vs, (size_t)nv, sizeof(*vs), cmp_variant);
	for (i = 0; i < nt && !ret; i++) {
		const struct acts_fixture *fx = ts[i]->fixture;
		bool variants = false, first = true;

		if (!fx) {
			ret = add_entry(&es, &ne, ts[i], NULL);
			continue;
		}
		/* A fixture's block, variant by variant, at its first test. */
		for (j = 0; j < i && first; j++)
			first = ts[j]->fixture != fx;
		if (!first)
			continue;
		for (k = 0; k < nv && !ret; k++) {
			if (vs[k]->fixture != fx)
				continue;
			variants = true;
			for (j = i; j < nt && !ret; j++)
				if (ts[j]->fixture == fx)
					ret = add_entry(&es, &ne, ts[j], vs[k]);
		}
		for (j = i; j < nt && !ret && !variants; j++)
			if (ts[j]->fixture == fx)
				ret = add_entry(&es, &ne, ts[j], NULL);
	}
done:
	free(ts);
	free(vs);
	for (i = 0; i < ne && !ret; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(es[i].name, es[j].name)) {
				fprintf(stderr, "%s: two subtests are named %s\n", prog_name,
					es[i].name);
				ret = -EEXIST;
				break;
			}
	*out = es;
	return ret ? ret : ne;
}

/* The binary's subtests, from collect() (volatile: a store nothing reads is kept). */
static struct entry *volatile all_subtests;

int acts_main(int argc, char **argv, const struct acts_subtest *table, int n)
{
	const char *describe_pat = NULL;
	struct options o = { 0 };
	char device[256] = "", no_device_reason[512] = "";
	int i, selected = 0, idx = 0, passed = 0, failed = 0;
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	/*
	 * Set by accel-cts run in multiple mode: subtest marks on stderr too,
	 * and a socket on which the runner says it recorded each start.
	 */
	bool stderr_marks = getenv("ACCEL_CTS_STDERR_MARKS");
	int ack_fd = getenv("ACCEL_CTS_ACK_FD") ? atoi(getenv("ACCEL_CTS_ACK_FD")) : -1;
	struct entry *tests;

	prog_name = prog;
	if (parse_options(argc, argv, &o, &describe_pat))
		return ACTS_EXIT_INVALID;
	n = collect(table, n, &tests);
	/* They live as long as the process: kept where leak checkers see them. */
	all_subtests = tests;
	if (n < 0) {
		fprintf(stderr, "%s: cannot list the subtests: %s\n", prog, strerror(-n));
		return n == -EEXIST ? ACTS_EXIT_INVALID : ACTS_EXIT_ABORT;
	}

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
			 "no %s%sdevice with a backend in /dev/accel or /dev/dri%s%s",
			 o.driver ?: "", o.driver ? " " : "",
			 acts_backend_refusal()[0] ? ": " : "", acts_backend_refusal());
	}

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return ACTS_EXIT_ABORT;
	}
	acts_dev_defaults_flag(&shared->defaults_touched);

	if (ktap)
		printf("KTAP version 1\n1..%d\n", selected);
	else if (device[0])
		/*
		 * On stdout, as IGT's own preamble: igt_runner reads stderr output
		 * of a passing dynamic subtest as a warning.
		 */
		printf("Using device: %s\n", device);
	fflush(NULL);

	for (i = 0; i < n; i++) {
		const struct entry *t = &tests[i];
		enum acts_result r;
		char why[256] = "", line[512];
		double start;
		pid_t pid;

		if (o.run && !acts_name_matches(o.run, t->name))
			continue;
		idx++;
		memset(shared, 0, sizeof(*shared));
		if (!ktap)
			printf("Starting subtest: %s\n", t->name);
		fflush(NULL);
		/*
		 * A runner that runs several subtests in one execution splits
		 * stderr by these marks (IGT's sentinels on stderr), and drops them.
		 */
		if (stderr_marks)
			fprintf(stderr, "Starting subtest: %s\n", t->name);
		/*
		 * The runner has the start in its journal before the subtest
		 * runs: a kernel that dies in it is blamed on it, not on the
		 * one before. No runner there (EOF, an error): no more waits.
		 */
		if (ack_fd >= 0) {
			char ack;
			ssize_t got;

			do {
				got = read(ack_fd, &ack, 1);
			} while (got < 0 && errno == EINTR);
			if (got != 1) {
				close(ack_fd);
				ack_fd = -1;
			}
		}

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
		/* A skip too if it armed a fault or set the timeout before skipping. */
		if (r != ACTS_PASS && (r != ACTS_SKIP || shared->defaults_touched))
			restore_device_defaults(device[0] ? device : NULL);

		if (why[0])
			diag(stderr, "%s: %s", t->name, why);
		if (ktap) {
			const char *reason = one_line(shared->reason[0] ? shared->reason : why, line,
						      sizeof(line));

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
			double took = now_s() - start;

			if (stderr_marks)
				fprintf(stderr, "Subtest %s: %s (%.3fs)\n", t->name,
					acts_result_name(r), took);
			printf("Subtest %s: %s (%.3fs)\n", t->name, acts_result_name(r), took);
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
