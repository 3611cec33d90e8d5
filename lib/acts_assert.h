/* SPDX-License-Identifier: MIT */
/*
 * Assertions for subtests. A failed assertion prints file:line, the
 * expression, the expected and the actual value (with errno names for
 * -errno values) and ends the subtest as FAIL.
 */
#ifndef ACTS_ASSERT_H
#define ACTS_ASSERT_H

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

#define acts_assert(cond) \
	do { if (!(cond)) __acts_assert_fail(__FILE__, __LINE__, #cond, "true", "false"); } while (0)

#define __acts_cmp_int(a, op, b) \
	do { \
		long long __a = (a), __b = (b); \
		if (!(__a op __b)) \
			__acts_assert_int_fail(__FILE__, __LINE__, #a " " #op " " #b, __b, __a, #op); \
	} while (0)
#define acts_assert_eq(a, b)	__acts_cmp_int(a, ==, b)
#define acts_assert_neq(a, b)	__acts_cmp_int(a, !=, b)
#define acts_assert_lt(a, b)	__acts_cmp_int(a, <, b)
#define acts_assert_lte(a, b)	__acts_cmp_int(a, <=, b)
#define acts_assert_gt(a, b)	__acts_cmp_int(a, >, b)
#define acts_assert_gte(a, b)	__acts_cmp_int(a, >=, b)

#define __acts_cmp_u64(a, op, b) \
	do { \
		uint64_t __a = (a), __b = (b); \
		if (!(__a op __b)) \
			__acts_assert_u64_fail(__FILE__, __LINE__, #a " " #op " " #b, __b, __a, #op); \
	} while (0)
#define acts_assert_eq_u64(a, b)	__acts_cmp_u64(a, ==, b)
#define acts_assert_gte_u64(a, b)	__acts_cmp_u64(a, >=, b)
#define acts_assert_lte_u64(a, b)	__acts_cmp_u64(a, <=, b)

/* ret is a library call's result: 0 or -errno. */
#define acts_assert_ok(ret) \
	do { \
		long __r = (ret); \
		if (__r != 0) { \
			static const int __e[] = { 0 }; \
			__acts_assert_err_fail(__FILE__, __LINE__, #ret, __e, 1, __r); \
		} \
	} while (0)

/* ret must be one of the listed -errno values. */
#define acts_assert_err(ret, ...) \
	do { \
		long __r = (ret); \
		static const int __e[] = { __VA_ARGS__ }; \
		int __n = (int)(sizeof(__e) / sizeof(__e[0])), __i, __hit = 0; \
		for (__i = 0; __i < __n; __i++) \
			__hit |= (__r == __e[__i]); \
		if (!__hit) \
			__acts_assert_err_fail(__FILE__, __LINE__, #ret, __e, __n, __r); \
	} while (0)

/* For system calls that return -1 and set errno. */
#define acts_assert_syscall(call) \
	do { \
		if ((call) == -1) \
			__acts_assert_err_fail(__FILE__, __LINE__, #call, (const int[]){ 0 }, 1, -errno); \
	} while (0)

#endif
