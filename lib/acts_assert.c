// SPDX-License-Identifier: MIT
/*
 * Assertion failure reports.
 */
#define _GNU_SOURCE
#include <inttypes.h>
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

noreturn void __acts_assert_fail(const char *file, int line, const char *expr,
				 const char *expected, const char *actual)
{
	__acts_fail(file, line, "assertion failed: %s\n  expected: %s\n  actual:   %s",
		    expr, expected, actual);
}

noreturn void __acts_assert_int_fail(const char *file, int line, const char *expr,
				     long long expected, long long actual, const char *op)
{
	__acts_fail(file, line, "assertion failed: %s\n  expected: %s %lld\n  actual:   %lld",
		    expr, op, expected, actual);
}

noreturn void __acts_assert_u64_fail(const char *file, int line, const char *expr,
				     uint64_t expected, uint64_t actual, const char *op)
{
	__acts_fail(file, line,
		    "assertion failed: %s\n  expected: %s %" PRIu64 " (0x%" PRIx64 ")\n"
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

noreturn void __acts_assert_err_fail(const char *file, int line, const char *expr,
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
	__acts_fail(file, line, "assertion failed: %s\n  expected: %s\n  actual:   %s",
		    expr, exp, act);
}
