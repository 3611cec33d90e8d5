// SPDX-License-Identifier: MIT
/*
 * Unit tests of the harness library that need no device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "acts_assert.h"
#include "acts_caps.h"
#include "acts_profile.h"
#include "acts_backend.h"
#include "acts_device.h"
#include "acts_gem.h"
#include "acts_test.h"

static void test_name_matches(struct acts_dev *dev)
{
	acts_assert(acts_name_matches("bo-create-*", "bo-create-zero-size"));
	acts_assert(!acts_name_matches("bo-create-*", "bo-info-basic"));
	acts_assert(acts_name_matches("version,caps", "caps"));
	acts_assert(acts_name_matches("version,caps", "version"));
	acts_assert(!acts_name_matches("version,caps", "version-short-buffer"));
	acts_assert(acts_name_matches("*", "anything"));
}

static void test_errno_names(struct acts_dev *dev)
{
	acts_assert(!strcmp(acts_errno_name(-EINVAL), "EINVAL"));
	acts_assert(!strcmp(acts_errno_name(ENOENT), "ENOENT"));
	acts_assert(!strcmp(acts_errno_name(0), "success"));
	acts_assert(!strcmp(acts_errno_name(-4000), "errno 4000"));
}

static void test_fdinfo_sizes(struct acts_dev *dev)
{
	uint64_t v = 0;

	acts_assert_ok(acts_parse_fdinfo_size("0", &v));
	acts_assert_eq_u64(v, 0);
	acts_assert_ok(acts_parse_fdinfo_size("4096", &v));
	acts_assert_eq_u64(v, 4096);
	acts_assert_ok(acts_parse_fdinfo_size("4 KiB", &v));
	acts_assert_eq_u64(v, 4096);
	acts_assert_ok(acts_parse_fdinfo_size("3 MiB", &v));
	acts_assert_eq_u64(v, 3u << 20);
	acts_assert_ok(acts_parse_fdinfo_size("2 GiB", &v));
	acts_assert_eq_u64(v, 2ull << 30);
	acts_assert_err(acts_parse_fdinfo_size("", &v), -EINVAL);
	acts_assert_err(acts_parse_fdinfo_size("-1", &v), -EINVAL);
	acts_assert_err(acts_parse_fdinfo_size("5 TiB", &v), -EINVAL);
	acts_assert_err(acts_parse_fdinfo_size("12x", &v), -EINVAL);
	acts_assert_err(acts_parse_fdinfo_size("18446744073709551615 KiB", &v), -ERANGE);
}

static void test_backends(struct acts_dev *dev)
{
	int i;

	acts_assert(acts_backend_for("refaccel") != NULL);
	acts_assert(acts_backend_for("vgem") != NULL);
	acts_assert(acts_backend_for("no-such-driver") == NULL);
	for (i = 0; acts_backends[i]; i++) {
		acts_assert(acts_backends[i]->name && *acts_backends[i]->name);
		/* habanalabs has no GEM BOs: bo_create only where bo is declared. */
		acts_assert(!(acts_backends[i]->caps & ACTS_CAP_BIT(ACTS_CAP_BO)) ||
			    acts_backends[i]->bo_create != NULL);
	}
}

static int capture(void (*fn)(void), char *err, size_t len);

/* A backend declaring a capability has the operations it needs. */
static void check_backend_ops(const struct acts_backend *be)
{
#define NEEDS(cap, cond) \
	do { if ((be->caps & ACTS_CAP_BIT(cap)) && !(cond)) \
		acts_fail("the %s backend declares %s without its operations", be->name, \
			  acts_cap_name(cap)); } while (0)
	NEEDS(ACTS_CAP_BO, be->bo_create && be->bo_info);
	NEEDS(ACTS_CAP_RAW_QUERY, be->query_raw);
	NEEDS(ACTS_CAP_SUBMIT, be->encode && be->submit && be->encoded_free);
	NEEDS(ACTS_CAP_CONTEXTS, be->ctx_create && be->ctx_destroy);
	NEEDS(ACTS_CAP_BO_WAIT, be->bo_wait);
	NEEDS(ACTS_CAP_FAULT_INJECTION, be->fault_set && be->fault_get && be->counter);
	NEEDS(ACTS_CAP_JOB_TIMEOUT, be->job_timeout_get && be->job_timeout_set);
	NEEDS(ACTS_CAP_ENGINE_RESET, be->engine_reset);
#undef NEEDS
}

static void test_capabilities(struct acts_dev *dev)
{
	char buf[512];
	int c, i;

	for (c = 0; c < ACTS_CAP_COUNT; c++) {
		acts_assert(strcmp(acts_cap_name(c), "?"));
		acts_assert_eq(acts_cap_parse(acts_cap_name(c)), c);
	}
	acts_assert_eq(acts_cap_parse("no-such-capability"), -1);
	acts_caps_format(ACTS_CAP_BIT(ACTS_CAP_BO) | ACTS_CAP_BIT(ACTS_CAP_JOB_SYNCOBJS), buf,
			 sizeof(buf));
	if (strcmp(buf, "bo job-syncobjs"))
		acts_fail("caps formatted as '%s'", buf);
	for (i = 0; acts_backends[i]; i++)
		check_backend_ops(acts_backends[i]);
	check_backend_ops(&acts_backend_generic);
	/* The generic backend declares only what the DRM core provides. */
	acts_assert_eq_u64(acts_backend_generic.caps & (ACTS_CAP_BIT(ACTS_CAP_BO) |
							ACTS_CAP_BIT(ACTS_CAP_SUBMIT)), 0);
}

/* A fake device whose backend declares one errno deviation. */
static const struct acts_errno_deviation fake_deviations[] = {
	{ "SUB-WAIT-1", "deadline", ETIMEDOUT, "its wait times out with ETIMEDOUT" },
	{ NULL, NULL, 0, NULL },
};
static const struct acts_backend fake_backend = { .name = "fake", .deviations = fake_deviations };
static struct acts_dev fake_dev = { .driver = "fake", .be = &fake_backend };

static void rule_profile_errno(void)
{
	acts_assert_rule(&fake_dev, "SUB-WAIT-1", "deadline", -ETIME);
	printf("passed\n");
	fflush(stdout);
}

static void rule_deviation(void)
{
	acts_assert_rule(&fake_dev, "SUB-WAIT-1", "deadline", -ETIMEDOUT);
	printf("passed\n");
	fflush(stdout);
}

static void rule_undeclared(void)
{
	acts_assert_rule(&fake_dev, "SUB-WAIT-1", "unknown-handle", -ETIMEDOUT);
	printf("passed\n");
	fflush(stdout);
}

static void test_errno_profile(struct acts_dev *dev)
{
	char out[2048];
	int n;

	acts_assert(acts_profile_errnos("SUB-INVAL-1", "over-limit", &n) != NULL);
	acts_assert_eq(n, 2);
	acts_assert(acts_profile_errnos("SUB-WAIT-1", "no-such-case", &n) == NULL);

	acts_assert_eq(capture(rule_profile_errno, out, sizeof(out)), 0);
	if (strstr(out, "deviation") || !strstr(out, "passed"))
		acts_fail("the profile's own errno was not a plain pass:\n%s", out);
	acts_assert_eq(capture(rule_deviation, out, sizeof(out)), 0);
	if (!strstr(out, "deviation: SUB-WAIT-1 deadline: fake returns ETIMEDOUT where the "
			 "profile says ETIME (its wait times out with ETIMEDOUT)") ||
	    !strstr(out, "passed"))
		acts_fail("a declared deviation was not recorded:\n%s", out);
	/* Declared for one case only: another case of the rule still fails. */
	acts_assert_eq(capture(rule_undeclared, out, sizeof(out)), ACTS_EXIT_FAILURE);
	if (strstr(out, "passed") || !strstr(out, "-ENOENT"))
		acts_fail("an undeclared errno passed, or the message lacks the profile's:\n%s",
			  out);
}

static void test_discover_empty(struct acts_dev *dev)
{
	char root[] = "/tmp/acts-devroot-XXXXXX", path[512];
	struct acts_node nodes[4];
	FILE *f;

	acts_assert(mkdtemp(root) != NULL);
	setenv("ACCEL_CTS_DEV_ROOT", root, 1);
	acts_assert_eq(acts_discover(nodes, 4), 0);
	/* A file named like a node but not a DRM device is ignored. */
	snprintf(path, sizeof(path), "%s/accel", root);
	acts_assert_syscall(mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/accel/accel0", root);
	f = fopen(path, "w");
	acts_assert(f != NULL);
	fclose(f);
	acts_assert_eq(acts_discover(nodes, 4), 0);
	acts_assert_err(acts_find_device(NULL, path, sizeof(path)), -ENODEV);
	unlink(path);
	snprintf(path, sizeof(path), "%s/accel", root);
	rmdir(path);
	rmdir(root);
}

/* Run fn in a child with its output captured; returns its exit status. */
static int capture(void (*fn)(void), char *err, size_t len)
{
	int p[2], status;
	size_t got;
	ssize_t n;
	pid_t pid;

	acts_assert_syscall(pipe(p));
	pid = fork();
	acts_assert_syscall(pid);
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		fn();
		_exit(0);
	}
	close(p[1]);
	/* Until the child is gone: it may write in several pieces. */
	for (got = 0; got < len - 1; got += (size_t)n) {
		n = read(p[0], err + got, len - 1 - got);
		if (n <= 0)
			break;
	}
	err[got] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void failing_errno_assert(void)
{
	acts_assert_err(-ENOENT, -EINVAL, -ENOSPC);
}

static void failing_u64_assert(void)
{
	acts_assert_eq_u64(4096, 8192);
}

static void test_assert_messages(struct acts_dev *dev)
{
	char err[2048];

	acts_assert_eq(capture(failing_errno_assert, err, sizeof(err)), ACTS_EXIT_FAILURE);
	if (!strstr(err, "lib_selftest.c:") || !strstr(err, "-EINVAL (-22) or -ENOSPC (-28)") ||
	    !strstr(err, "actual:   -ENOENT (-2)") || !strstr(err, "assertion failed: -ENOENT"))
		acts_fail("errno assertion message lacks file:line, expression or names:\n%s", err);

	acts_assert_eq(capture(failing_u64_assert, err, sizeof(err)), ACTS_EXIT_FAILURE);
	if (!strstr(err, "expected: == 8192 (0x2000)") || !strstr(err, "actual:   4096 (0x1000)"))
		acts_fail("u64 assertion message lacks values:\n%s", err);
}

/* Devices of a backend run here and of one not run here, both without submit. */
static const struct acts_backend fake_verified = { .name = "fakev", .verified = true,
						   .notes = "nothing to say" };
static const struct acts_backend fake_unverified = { .name = "fakeu",
						     .notes = "jobs need firmware programs" };
static struct acts_dev fake_verified_dev = { .driver = "fakev", .be = &fake_verified };
static struct acts_dev fake_unverified_dev = { .driver = "fakeu", .be = &fake_unverified };

static void require_verified(void)
{
	acts_require_cap(&fake_verified_dev, ACTS_CAP_SUBMIT);
}

static void require_unverified(void)
{
	acts_require_cap(&fake_unverified_dev, ACTS_CAP_SUBMIT);
}

static void test_skip_reasons(struct acts_dev *dev)
{
	char out[2048];

	acts_assert_eq(capture(require_unverified, out, sizeof(out)), ACTS_EXIT_SKIP);
	if (!strstr(out, "needs capability submit, which fakeu does not have "
			 "(jobs need firmware programs)"))
		acts_fail("a backend not run here did not say why it lacks submit:\n%s", out);
	/* The backends verified here keep their reasons as they were. */
	acts_assert_eq(capture(require_verified, out, sizeof(out)), ACTS_EXIT_SKIP);
	if (!strstr(out, "needs capability submit, which fakev does not have\n"))
		acts_fail("a verified backend's skip reason changed:\n%s", out);
}

static const struct acts_subtest tests[] = {
	{ "name-matches", "", "--run-subtest globs and comma lists", test_name_matches,
	  ACTS_NO_DEVICE },
	{ "errno-names", "", "errno values print by name", test_errno_names, ACTS_NO_DEVICE },
	{ "fdinfo-sizes", "", "fdinfo size values parse with units and reject junk",
	  test_fdinfo_sizes, ACTS_NO_DEVICE },
	{ "backends", "", "the backend table finds each backend by driver name", test_backends,
	  ACTS_NO_DEVICE },
	{ "capabilities", "", "capability names, and every backend has the ops of its capabilities",
	  test_capabilities, ACTS_NO_DEVICE },
	{ "errno-profile", "",
	  "profile errnos pass, a declared deviation passes recorded, an undeclared one fails",
	  test_errno_profile, ACTS_NO_DEVICE },
	{ "skip-reasons", "", "a backend not run here says why it lacks a capability",
	  test_skip_reasons, ACTS_NO_DEVICE },
	{ "discover-empty", "", "discovery finds nothing in an empty or fake device root",
	  test_discover_empty, ACTS_NO_DEVICE },
	{ "assert-messages", "", "failed assertions report file:line, expected and actual",
	  test_assert_messages, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
