// SPDX-License-Identifier: MIT
/*
 * Unit tests of the statistics behind `accel-cts compare` and
 * `accel-cts history`, on values known from tables or by hand.
 */
#include <math.h>
#include <stddef.h>

#include "acts_assert.h"
#include "acts_test.h"
#include "stats.h"

static void expect_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		acts_fail("got %.10g, expected %.10g", got, want);
}

/* Student's t: table quantiles, the Cauchy case (df 1) and the normal limit. */
static void test_t_cdf(struct acts_dev *dev)
{
	expect_near(student_t_cdf(2.776445, 4), 0.975, 1e-6);
	expect_near(student_t_cdf(2.228139, 10), 0.975, 1e-6);
	expect_near(student_t_cdf(-2.228139, 10), 0.025, 1e-6);
	expect_near(student_t_cdf(1, 1), 0.75, 1e-12);
	expect_near(student_t_cdf(0, 3), 0.5, 1e-15);
	expect_near(student_t_cdf(1.959964, 1e7), 0.975, 1e-6);
	expect_near(student_t_cdf(INFINITY, 5), 1, 0);
}

/*
 * {1..5} against {6..10}: means 3 and 8, variances 2.5, so t = 5 with
 * 8 degrees of freedom and a two-sided p of 0.0010528 (numerical integral).
 */
static void test_welch(struct acts_dev *dev)
{
	double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	double c[] = { 2, 2, 2 }, d[] = { 2, 2 }, e[] = { 3, 3 };
	struct welch w;

	welch_test(a, 5, b, 5, &w);
	expect_near(w.t, 5, 1e-12);
	expect_near(w.df, 8, 1e-12);
	expect_near(w.p, 0.00105283, 1e-7);
	welch_test(b, 5, a, 5, &w);
	expect_near(w.t, -5, 1e-12);
	expect_near(w.p, 0.00105283, 1e-7);
	/* No spread at all: equal means are p 1, different ones p 0. */
	welch_test(c, 3, d, 2, &w);
	expect_near(w.p, 1, 0);
	welch_test(c, 3, e, 2, &w);
	expect_near(w.p, 0, 0);
	/* One value a side is no test at all. */
	welch_test(a, 1, b, 5, &w);
	acts_assert(isnan(w.p));
}

/* Benjamini-Hochberg on four p values, worked by hand (see the steps). */
static void test_bh(struct acts_dev *dev)
{
	/* Sorted 0.005 0.01 0.03 0.04 -> 0.02 0.02 0.04 0.04 (running minimum). */
	double p[] = { 0.01, 0.04, 0.03, 0.005 };

	double q[] = { NAN, 0.01, 0.02 };

	bh_adjust(p, 4);
	expect_near(p[0], 0.02, 1e-15);
	expect_near(p[1], 0.04, 1e-15);
	expect_near(p[2], 0.04, 1e-15);
	expect_near(p[3], 0.02, 1e-15);
	/* An untested figure stays untested and does not count among the tested. */
	bh_adjust(q, 3);
	acts_assert(isnan(q[0]));
	expect_near(q[1], 0.02, 1e-15);
	expect_near(q[2], 0.02, 1e-15);
}

/* A deterministic wobble of +-1%, as between runs of identical code. */
static double wobble(int i)
{
	static const double w[] = { 0.004, -0.007, 0.01, -0.002, 0.006, -0.009, 0.001, -0.004 };

	return w[i % 8];
}

/* One step of 10% after run 12 of 20 is found there; a flat series has none. */
static void test_change_points(struct acts_dev *dev)
{
	double step[20], flat[20], two[30];
	size_t cp[4], n;
	int i;

	for (i = 0; i < 20; i++) {
		step[i] = log(1 + wobble(i)) + (i >= 12 ? log(1.10) : 0);
		flat[i] = log(1 + wobble(i * 3));
	}
	n = change_points(step, 20, 3, 0.01, log(1.05), 999, 1, cp, 4);
	acts_assert_eq(n, 1);
	acts_assert_eq(cp[0], 12);
	n = change_points(flat, 20, 3, 0.01, log(1.05), 999, 1, cp, 4);
	acts_assert_eq(n, 0);

	/* Up 20% at 10, back down at 20: two change points, in order. */
	for (i = 0; i < 30; i++)
		two[i] = log(1 + wobble(i)) + (i >= 10 && i < 20 ? log(1.2) : 0);
	n = change_points(two, 30, 3, 0.01, log(1.05), 999, 7, cp, 4);
	acts_assert_eq(n, 2);
	acts_assert_eq(cp[0], 10);
	acts_assert_eq(cp[1], 20);
	/* A step smaller than the smallest change that counts is not one. */
	n = change_points(step, 20, 3, 0.01, log(1.20), 999, 1, cp, 4);
	acts_assert_eq(n, 0);
}

static const struct acts_subtest tests[] = {
	{ "t-cdf", "", "Student's t distribution against table quantiles", test_t_cdf,
	  ACTS_NO_DEVICE },
	{ "welch", "", "Welch's t test: t, degrees of freedom and p of a worked case", test_welch,
	  ACTS_NO_DEVICE },
	{ "bh", "", "Benjamini-Hochberg adjustment of a worked case", test_bh, ACTS_NO_DEVICE },
	{ "change-points", "", "a 10% step in a series is found where it is; a flat series has none",
	  test_change_points, ACTS_NO_DEVICE },
};

ACTS_MAIN(tests)
