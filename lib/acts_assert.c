// SPDX-License-Identifier: MIT
/*
 * Assertion and expectation failure reports.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acts_assert.h"

const char *acts_errno_name(long err)
{
	static __thread char buf[32];
	const char *name;

	if (err == 0)
		return "success";
	if (err < 0)
		err = -err;
	name = err < 4096 ? strerrorname_np((int)err) : NULL;
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %ld", err);
	return buf;
}

/* Report a failed check: the end of the subtest (fatal), or a failure it goes on after. */
static void check_failed(bool fatal, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void check_failed(bool fatal, const char *file, int line, const char *fmt, ...)
{
	char msg[800];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fatal)
		__acts_fail(file, line, "assertion failed: %s", msg);
	__acts_fail_later(file, line, "expectation failed: %s", msg);
}

void __acts_check_fail(bool fatal, const char *file, int line, const char *expr,
		       const char *expected, const char *actual)
{
	check_failed(fatal, file, line, "%s\n  expected: %s\n  actual:   %s", expr, expected, actual);
}

void __acts_check_int_fail(bool fatal, const char *file, int line, const char *expr,
			   long long expected, long long actual, const char *op)
{
	check_failed(fatal, file, line, "%s\n  expected: %s %lld\n  actual:   %lld",
		     expr, op, expected, actual);
}

void __acts_check_u64_fail(bool fatal, const char *file, int line, const char *expr,
			   uint64_t expected, uint64_t actual, const char *op)
{
	check_failed(fatal, file, line,
		     "%s\n  expected: %s %" PRIu64 " (0x%" PRIx64 ")\n"
		     "  actual:   %" PRIu64 " (0x%" PRIx64 ")",
		     expr, op, expected, expected, actual, actual);
}

static void describe_err(char *buf, size_t len, long v)
{
	if (v == 0)
		snprintf(buf, len, "0 (success)");
	else if (v < 0 && v > -4096)
		snprintf(buf, len, "-%s (%ld)", acts_errno_name(v), v);
	else
		snprintf(buf, len, "%ld (not an errno)", v);
}

void __acts_check_err_fail(bool fatal, const char *file, int line, const char *expr,
			   const int *expected, int n, long actual)
{
	char exp[256] = "", one[64], act[64];
	int i;

	for (i = 0; i < n; i++) {
		describe_err(one, sizeof(one), expected[i]);
		snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), "%s%s",
			 i ? " or " : "", one);
	}
	describe_err(act, sizeof(act), actual);
	check_failed(fatal, file, line, "%s\n  expected: %s\n  actual:   %s", expr, exp, act);
}

noreturn void __acts_assert_fail(const char *file, int line, const char *expr,
				 const char *expected, const char *actual)
{
	__acts_check_fail(true, file, line, expr, expected, actual);
	abort();
}

noreturn void __acts_assert_int_fail(const char *file, int line, const char *expr,
				     long long expected, long long actual, const char *op)
{
	__acts_check_int_fail(true, file, line, expr, expected, actual, op);
	abort();
}

noreturn void __acts_assert_u64_fail(const char *file, int line, const char *expr,
				     uint64_t expected, uint64_t actual, const char *op)
{
	__acts_check_u64_fail(true, file, line, expr, expected, actual, op);
	abort();
}

noreturn void __acts_assert_err_fail(const char *file, int line, const char *expr,
				     const int *expected, int n, long actual)
{
	__acts_check_err_fail(true, file, line, expr, expected, n, actual);
	abort();
}
