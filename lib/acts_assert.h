/* SPDX-License-Identifier: MIT */
/*
 * Assertions and expectations for subtests. A failed one prints file:line,
 * the expression, the expected and the actual value (with errno names for
 * -errno values); an assertion ends the subtest as FAIL, an expectation lets
 * it go on and makes it FAIL at its end.
 */
#ifndef ACTS_ASSERT_H
#define ACTS_ASSERT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "acts_test.h"

/* "EINVAL" for 22 or -22, "success" for 0, "errno 4095" when unknown. */
const char *acts_errno_name(long err);

noreturn void __acts_assert_fail(const char *file, int line, const char *expr,
				 const char *expected, const char *actual);
noreturn void __acts_assert_int_fail(const char *file, int line, const char *expr,
				     long long expected, long long actual, const char *op);
noreturn void __acts_assert_u64_fail(const char *file, int line, const char *expr,
				     uint64_t expected, uint64_t actual, const char *op);
noreturn void __acts_assert_err_fail(const char *file, int line, const char *expr,
				     const int *expected, int n, long actual);

/* The same reports with fatal false: the subtest goes on and FAILs at its end. */
void __acts_check_fail(bool fatal, const char *file, int line, const char *expr,
		       const char *expected, const char *actual);
void __acts_check_int_fail(bool fatal, const char *file, int line, const char *expr,
			   long long expected, long long actual, const char *op);
void __acts_check_u64_fail(bool fatal, const char *file, int line, const char *expr,
			   uint64_t expected, uint64_t actual, const char *op);
void __acts_check_err_fail(bool fatal, const char *file, int line, const char *expr,
			   const int *expected, int n, long actual);

/*
 * Each check comes as acts_assert_*() (fatal: the subtest ends as FAIL) and
 * acts_expect_*() (the failure is reported the same way, the subtest goes
 * on, and it FAILs at its end). An expect evaluates to true when it held.
 */
/* The expression's text is taken by the outer macro, before its names expand. */
#define __acts_check(fatal, cond, text) \
	({ \
		bool __ok = (cond); \
		if (!__ok) \
			__acts_check_fail(fatal, __FILE__, __LINE__, text, "true", "false"); \
		__ok; \
	})
#define acts_assert(cond)	((void)__acts_check(true, cond, #cond))
#define acts_expect(cond)	__acts_check(false, cond, #cond)

#define __acts_cmp_int(fatal, a, op, b, text) \
	({ \
		long long __a = (a), __b = (b); \
		bool __ok = __a op __b; \
		if (!__ok) \
			__acts_check_int_fail(fatal, __FILE__, __LINE__, text, __b, __a, #op); \
		__ok; \
	})
#define acts_assert_eq(a, b)	((void)__acts_cmp_int(true, a, ==, b, #a " == " #b))
#define acts_assert_neq(a, b)	((void)__acts_cmp_int(true, a, !=, b, #a " != " #b))
#define acts_assert_lt(a, b)	((void)__acts_cmp_int(true, a, <, b, #a " < " #b))
#define acts_assert_lte(a, b)	((void)__acts_cmp_int(true, a, <=, b, #a " <= " #b))
#define acts_assert_gt(a, b)	((void)__acts_cmp_int(true, a, >, b, #a " > " #b))
#define acts_assert_gte(a, b)	((void)__acts_cmp_int(true, a, >=, b, #a " >= " #b))
#define acts_expect_eq(a, b)	__acts_cmp_int(false, a, ==, b, #a " == " #b)
#define acts_expect_neq(a, b)	__acts_cmp_int(false, a, !=, b, #a " != " #b)
#define acts_expect_lt(a, b)	__acts_cmp_int(false, a, <, b, #a " < " #b)
#define acts_expect_lte(a, b)	__acts_cmp_int(false, a, <=, b, #a " <= " #b)
#define acts_expect_gt(a, b)	__acts_cmp_int(false, a, >, b, #a " > " #b)
#define acts_expect_gte(a, b)	__acts_cmp_int(false, a, >=, b, #a " >= " #b)

#define __acts_cmp_u64(fatal, a, op, b, text) \
	({ \
		uint64_t __a = (a), __b = (b); \
		bool __ok = __a op __b; \
		if (!__ok) \
			__acts_check_u64_fail(fatal, __FILE__, __LINE__, text, __b, __a, #op); \
		__ok; \
	})
#define acts_assert_eq_u64(a, b)	((void)__acts_cmp_u64(true, a, ==, b, #a " == " #b))
#define acts_assert_gte_u64(a, b)	((void)__acts_cmp_u64(true, a, >=, b, #a " >= " #b))
#define acts_assert_lte_u64(a, b)	((void)__acts_cmp_u64(true, a, <=, b, #a " <= " #b))
#define acts_expect_eq_u64(a, b)	__acts_cmp_u64(false, a, ==, b, #a " == " #b)
#define acts_expect_gte_u64(a, b)	__acts_cmp_u64(false, a, >=, b, #a " >= " #b)
#define acts_expect_lte_u64(a, b)	__acts_cmp_u64(false, a, <=, b, #a " <= " #b)

/* ret is a library call's result: 0 or -errno. */
#define __acts_check_ok(fatal, ret, text) \
	({ \
		long __r = (ret); \
		static const int __e[] = { 0 }; \
		if (__r != 0) \
			__acts_check_err_fail(fatal, __FILE__, __LINE__, text, __e, 1, __r); \
		__r == 0; \
	})
#define acts_assert_ok(ret)	((void)__acts_check_ok(true, ret, #ret))
#define acts_expect_ok(ret)	__acts_check_ok(false, ret, #ret)

/* ret must be one of the listed -errno values. */
#define __acts_check_err(fatal, ret, text, ...) \
	({ \
		long __r = (ret); \
		static const int __e[] = { __VA_ARGS__ }; \
		int __n = (int)(sizeof(__e) / sizeof(__e[0])), __i, __hit = 0; \
		for (__i = 0; __i < __n; __i++) \
			__hit |= (__r == __e[__i]); \
		if (!__hit) \
			__acts_check_err_fail(fatal, __FILE__, __LINE__, text, __e, __n, __r); \
		(bool)__hit; \
	})
#define acts_assert_err(ret, ...)	((void)__acts_check_err(true, ret, #ret, __VA_ARGS__))
#define acts_expect_err(ret, ...)	__acts_check_err(false, ret, #ret, __VA_ARGS__)

/* For system calls that return -1 and set errno. */
#define __acts_check_syscall(fatal, call, text) \
	({ \
		bool __ok = (call) != -1; \
		if (!__ok) \
			__acts_check_err_fail(fatal, __FILE__, __LINE__, text, (const int[]){ 0 }, 1, \
					      -errno); \
		__ok; \
	})
#define acts_assert_syscall(call)	((void)__acts_check_syscall(true, call, #call))
#define acts_expect_syscall(call)	__acts_check_syscall(false, call, #call)

#endif
